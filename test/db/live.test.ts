import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { live, softDelete } from '../../db/live'
import { openJournal, type Journal } from '../../db/open'
import { readSettings, writeSetting } from '../../db/queries/settings'
import { accounts } from '../../db/schema'
import { tempDir } from '../support/temp'

describe('soft deletes in the data layer', () => {
  let journal: Journal
  let cleanup: () => void
  beforeEach(async () => {
    const temp = tempDir()
    cleanup = temp.cleanup
    journal = await openJournal(join(temp.dir, 'journal.db'))
  })
  afterEach(() => {
    journal.close()
    cleanup()
  })

  it('hides a soft-deleted row from live reads but keeps its tombstone for sync', () => {
    const [kept, gone] = journal.write((tx) => [
      tx.insert(accounts).values({ name: 'Cash', broker: 'ibkr' }).returning().get(),
      tx.insert(accounts).values({ name: 'Old', broker: 'tos' }).returning().get(),
    ])
    expect(journal.write((tx) => softDelete(tx, accounts, gone!.id))).toBe(true)
    expect(journal.write((tx) => softDelete(tx, accounts, gone!.id))).toBe(false) // already gone

    const visible = journal.orm.select().from(accounts).where(live(accounts)).all()
    expect(visible.map((row) => row.id)).toEqual([kept!.id])
    const tombstone = journal.orm.select().from(accounts).where(eq(accounts.id, gone!.id)).get()
    expect(tombstone?.deletedAt).toBeGreaterThan(0)
  })

  it('hides soft-deleted settings, and writing the key again revives it', () => {
    journal.write((tx) =>
      writeSetting(tx, { key: 'ui.theme', value: 'dark', isSecret: false, encryptedValue: null }),
    )
    journal.sqlite.prepare(`UPDATE system_settings SET deleted_at = 1 WHERE key = 'ui.theme'`).run()
    expect(readSettings(journal)).toEqual([])
    journal.write((tx) =>
      writeSetting(tx, { key: 'ui.theme', value: 'light', isSecret: false, encryptedValue: null }),
    )
    expect(readSettings(journal)).toMatchObject([{ key: 'ui.theme', value: 'light' }])
  })
})
