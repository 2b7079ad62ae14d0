import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { methods, settingKeys, type SystemInfo } from '../../contract'
import { openJournal, type Journal } from '../../db/open'
import { createServices, type SecretStore, type Services } from '../../services'
import { dispatch } from '../../services/dispatch'
import { tempDir } from '../support/temp'

/** Reversible stand-in for the OS keychain: enough to prove secrets are stored encrypted. */
const fakeKeychain: SecretStore = {
  encrypt: (plain) => Buffer.from(plain, 'utf8').reverse(),
  decrypt: (encrypted) => Buffer.from(encrypted).reverse().toString('utf8'),
}

describe('the contract router', () => {
  let journal: Journal
  let services: Services
  let cleanup: () => void
  beforeEach(async () => {
    const temp = tempDir()
    cleanup = temp.cleanup
    journal = await openJournal(join(temp.dir, 'journal.db'))
    services = createServices({ journal, host: 'cli', secrets: null })
  })
  afterEach(() => {
    journal.close()
    cleanup()
  })

  it('implements every method of the contract', () => {
    expect(Object.keys(services).sort()).toEqual([...methods].sort())
  })

  it('rejects unknown methods', async () => {
    const response = await dispatch(services, 'system.dropEverything', {})
    expect(response).toEqual({
      ok: false,
      error: { code: 'unknown_method', message: 'Unknown method "system.dropEverything"' },
    })
    expect((await dispatch(services, '__proto__', {})).ok).toBe(false)
    expect((await dispatch(services, 'toString', {})).ok).toBe(false)
  })

  it('rejects invalid input and says where', async () => {
    const unknownKey = await dispatch(services, 'settings.get', { key: 'ui.colour' })
    expect(unknownKey.ok).toBe(false)
    if (!unknownKey.ok) {
      expect(unknownKey.error.code).toBe('invalid_input')
      expect(unknownKey.error.issues?.[0]?.path).toBe('key')
    }
    const extra = await dispatch(services, 'system.info', { sql: 'DROP TABLE accounts' })
    expect(extra.ok).toBe(false)
    const notObject = await dispatch(services, 'settings.set', 'ui.theme=dark')
    expect(notObject.ok).toBe(false)
  })

  it('answers system.info with every table and its row count', async () => {
    const response = await dispatch(services, 'system.info', {})
    expect(response.ok).toBe(true)
    const info = (response as { value: SystemInfo }).value
    expect(info.path).toBe(journal.path)
    expect(info.schemaVersion).toBe(journal.schemaVersion)
    expect(Object.keys(info.tables)).toContain('positions')
    expect(Object.keys(info.tables)).not.toContain('__drizzle_migrations')
    expect(info.tables.system_settings).toBe(0)
  })

  it('gets, validates and sets settings', async () => {
    const list = await dispatch(services, 'settings.list', {})
    expect(list.ok && list.value).toHaveLength(settingKeys.length)

    const badZone = await dispatch(services, 'settings.set', {
      key: 'journal.timezone',
      value: 'Mars/Olympus',
    })
    expect(badZone.ok).toBe(false)
    if (!badZone.ok) expect(badZone.error.message).toMatch(/IANA time zone/)

    const set = await dispatch(services, 'settings.set', {
      key: 'journal.timezone',
      value: 'America/Chicago',
    })
    expect(set).toMatchObject({ ok: true, value: { value: 'America/Chicago', isDefault: false } })
    const got = await dispatch(services, 'settings.get', { key: 'journal.timezone' })
    expect(got).toMatchObject({ ok: true, value: { value: 'America/Chicago' } })
  })

  it('refuses to store secrets without a keychain, and encrypts them with one', async () => {
    const input = { key: 'sync.postgresUrl', value: 'postgres://me:pw@db.example/journal' }
    const refused = await dispatch(services, 'settings.set', input)
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } })

    const desktop = createServices({ journal, host: 'electron', secrets: fakeKeychain })
    const stored = await dispatch(desktop, 'settings.set', input)
    expect(stored).toEqual({
      ok: true,
      value: {
        key: 'sync.postgresUrl',
        secret: true,
        isSet: true,
        description: expect.any(String),
      },
    })
    const row = journal.sqlite
      .prepare(`SELECT value, encrypted_value FROM system_settings WHERE key = ?`)
      .get('sync.postgresUrl') as { value: string | null; encrypted_value: Buffer }
    expect(row.value).toBeNull()
    expect(row.encrypted_value.toString('utf8')).not.toContain('pw@')
    expect(fakeKeychain.decrypt(row.encrypted_value)).toBe(input.value)

    const cleared = await dispatch(desktop, 'settings.set', { key: 'sync.postgresUrl', value: '' })
    expect(cleared).toMatchObject({ ok: true, value: { isSet: false } })
    const tombstone = journal.sqlite
      .prepare(`SELECT encrypted_value, deleted_at FROM system_settings WHERE key = ?`)
      .get('sync.postgresUrl') as { encrypted_value: Buffer | null; deleted_at: bigint | null }
    expect(tombstone.encrypted_value).toBeNull()
    expect(tombstone.deleted_at).not.toBeNull()
  })

  it('imports files, pages trades by keyset, lists and undoes imports', async () => {
    const lines = ['time,symbol,side,quantity,price']
    for (let i = 0; i < 5; i++) {
      lines.push(
        `2026-03-0${i + 1}T15:00:00Z,T${i},buy,1,10`,
        `2026-03-0${i + 1}T16:00:00Z,T${i},sell,1,11`,
      )
    }
    const content = Buffer.from(lines.join('\n')).toString('base64')
    const imported = await dispatch(services, 'import.files', {
      files: [{ name: 'five.csv', content }],
    })
    expect(imported).toMatchObject({
      ok: true,
      value: { files: [{ status: 'imported', fills: 10, trades: 5 }] },
    })

    // A file that names no account goes to "default", created with the journal's defaults.
    expect(await dispatch(services, 'accounts.list', {})).toMatchObject({
      ok: true,
      value: [{ name: 'default', baseCurrency: 'USD', startingBalance: '0', archived: false }],
    })

    const first = await dispatch(services, 'trades.list', { limit: 2 })
    const page1 = (first as { value: { rows: { symbol: string }[]; next: unknown } }).value
    expect(page1.rows.map((row) => row.symbol)).toEqual(['T0', 'T1'])
    const second = await dispatch(services, 'trades.list', { limit: 2, after: page1.next })
    const page2 = (second as { value: { rows: { symbol: string }[]; next: unknown } }).value
    expect(page2.rows.map((row) => row.symbol)).toEqual(['T2', 'T3'])
    const last = await dispatch(services, 'trades.list', { limit: 2, after: page2.next })
    expect(last).toMatchObject({ ok: true, value: { rows: [{ symbol: 'T4' }], next: null } })
    // Newest first: the same keyset, walked from the other end.
    const newest = await dispatch(services, 'trades.list', { limit: 3, newestFirst: true })
    const newest1 = (newest as { value: { rows: { symbol: string }[]; next: unknown } }).value
    expect(newest1.rows.map((row) => row.symbol)).toEqual(['T4', 'T3', 'T2'])
    const older = await dispatch(services, 'trades.list', {
      limit: 3,
      newestFirst: true,
      after: newest1.next,
    })
    expect(older).toMatchObject({
      ok: true,
      value: { rows: [{ symbol: 'T1' }, { symbol: 'T0' }], next: null },
    })
    // Dates are days in the journal's zone, `to` included; T(i) opened 2026-03-0(i+1) 15:00 UTC.
    const symbolsOpened = async (from: string, to: string) => {
      const page = await dispatch(services, 'trades.list', { from, to })
      return (page as { value: { rows: { symbol: string }[] } }).value.rows.map((r) => r.symbol)
    }
    expect(await symbolsOpened('2026-03-02', '2026-03-03')).toEqual(['T1', 'T2'])
    await dispatch(services, 'settings.set', { key: 'journal.timezone', value: 'Asia/Tokyo' })
    // In Tokyo (UTC+9) T0 opened on 2026-03-02 at 00:00 and T2 on 2026-03-04.
    expect(await symbolsOpened('2026-03-02', '2026-03-03')).toEqual(['T0', 'T1'])
    await dispatch(services, 'settings.set', { key: 'journal.timezone', value: 'UTC' })
    expect(await symbolsOpened('2026-03-02T15:00:00Z', '2026-03-03T15:00:00Z')).toEqual(['T1'])
    expect(await dispatch(services, 'trades.list', { from: '2026-02-30' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await dispatch(services, 'trades.list', { limit: 501 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    // A bad date says what a good one looks like, not just "Invalid input".
    const badDate = await dispatch(services, 'stats.summary', { from: '2026-03-02T10:00' })
    expect(badDate).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(JSON.stringify(badDate)).toMatch(/from.*calendar date YYYY-MM-DD or an ISO 8601 time/)

    const batches = await dispatch(services, 'imports.list', {})
    const batchId = (batches as { value: { id: string }[] }).value[0]?.id
    expect(await dispatch(services, 'import.undo', { batchId })).toMatchObject({
      ok: true,
      value: { fills: 10, trades: 5 },
    })
    expect(await dispatch(services, 'import.undo', { batchId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })
    expect(
      await dispatch(services, 'import.files', { files: [{ name: 'x.csv', content: '%%%' }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
  })
})
