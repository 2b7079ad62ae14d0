import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { journalContent } from '../support/content'
import { EXPECTED_TABLES } from '../support/tables'
import { tempDir } from '../support/temp'
import { blotter } from '../support/cli'

describe('blotter CLI', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({ dir, cleanup } = tempDir()))
  afterEach(() => cleanup())

  it('info --json on a new file lists every table, with nothing else on stdout', () => {
    const db = join(dir, 'new.db')
    const { code, stdout } = blotter(['info', '--json', '--db', db])
    expect(code).toBe(0)
    const info = JSON.parse(stdout)
    expect(info.path).toBe(db)
    expect(info.schemaVersion).toBeGreaterThan(0)
    for (const table of EXPECTED_TABLES) expect(info.tables[table], table).toBe(0)
  })

  it('takes the journal from BLOTTER_DB when --db is absent', () => {
    const db = join(dir, 'env.db')
    expect(blotter(['init', '--json'], { BLOTTER_DB: db })).toMatchObject({ code: 0 })
    expect(JSON.parse(blotter(['info', '--json'], { BLOTTER_DB: db }).stdout).path).toBe(db)
  })

  it('init creates, then reports the schema version', () => {
    const db = join(dir, 'journal.db')
    const first = blotter(['init', '--db', db])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Journal ready at .*journal\.db, schema version \d+/)
  })

  it('settings set validates, persists and prints', () => {
    const db = join(dir, 'journal.db')
    const set = blotter(['settings', 'set', 'backup.intervalMinutes', '30', '--json', '--db', db])
    expect(set.code).toBe(0)
    expect(JSON.parse(set.stdout)).toMatchObject({ value: 30, isDefault: false })
    expect(blotter(['settings', 'get', 'backup.intervalMinutes', '--db', db]).stdout).toBe(
      'backup.intervalMinutes = 30\n',
    )
    const bad = blotter(['settings', 'set', 'ui.theme', 'neon', '--db', db])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/ui\.theme/)
  })

  it('exits 2 on usage errors', () => {
    expect(blotter(['frobnicate']).code).toBe(2)
    expect(blotter(['settings', 'get']).code).toBe(2)
    expect(blotter(['info', '--no-such-flag']).code).toBe(2)
  })

  it('exits 1 with one clear message when the journal is refused, and leaves it unchanged', () => {
    const db = join(dir, 'broker-export.csv')
    writeFileSync(db, 'Date,Symbol,Qty\n2026-03-02,AAPL,10\n'.repeat(100))
    const before = readFileSync(db)
    const result = blotter(['info', '--json', '--db', db])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/not a Blotter journal/)
    expect(readFileSync(db).equals(before)).toBe(true)
  })

  it('import exits 1 on a file with a bad row and leaves the journal unchanged in content', () => {
    const db = join(dir, 'journal.db')
    const good = join(process.cwd(), 'test/fixtures/blotter/scale-and-flip.csv')
    expect(blotter(['import', good, '--db', db]).code).toBe(0)
    const snapshot = () => {
      const sqlite = new Database(db, { readonly: true })
      sqlite.defaultSafeIntegers(true)
      try {
        return journalContent(sqlite)
      } finally {
        sqlite.close()
      }
    }
    const before = snapshot()
    const bad = join(process.cwd(), 'test/fixtures/blotter/bad-rows.csv')
    const result = blotter(['import', bad, good, '--json', '--db', db])
    expect(result.code).toBe(1)
    const files = JSON.parse(result.stdout).files
    expect(files.map((f: { status: string }) => f.status)).toEqual(['rejected', 'imported'])
    expect(files[0]).toMatchObject({ fills: 0, batchId: null })
    expect(files[0].errors).toHaveLength(3)
    // The good file was all duplicates: its batch is recorded, nothing else changes.
    expect(files[1]).toMatchObject({ fills: 0, duplicates: 7 })
    expect(snapshot().replace(/"import_batches":\[.*?\]\],/, '')).toBe(
      before.replace(/"import_batches":\[.*?\]\],/, ''),
    )
  })

  it('trades --json prints the fixed shape with decimal strings and ISO UTC times', () => {
    const db = join(dir, 'journal.db')
    const good = join(process.cwd(), 'test/fixtures/blotter/scale-and-flip.csv')
    blotter(['import', good, '--db', db])
    const trades = JSON.parse(blotter(['trades', '--json', '--symbol', 'AAPL', '--db', db]).stdout)
    expect(trades).toEqual([
      expect.objectContaining({
        account: 'Main',
        symbol: 'AAPL',
        assetClass: 'stock',
        side: 'long',
        status: 'closed',
        openedAt: '2026-03-02T14:31:05.000Z',
        closedAt: '2026-03-02T15:30:00.000Z',
        quantity: '200',
        entryPrice: '151',
        exitPrice: '153.875',
        multiplier: '1',
        grossPnl: '575',
        fees: '4',
        netPnl: '571',
        fills: 4,
      }),
    ])
    const open = blotter(['trades', '--json', '--status', 'open', '--db', db])
    expect(JSON.parse(open.stdout)).toEqual([])
    expect(blotter(['trades', '--status', 'maybe', '--db', db]).code).toBe(2)
  })
})
