/**
 * The journal file at scale: create and migrate, bulk-insert fills through the real schema
 * (CHECKs, indexes, audit trigger), reopen (read-only inspection + quick_check + pragmas), and
 * system.info — each beside the plainest SQLite doing the same work in the same run.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import { openJournal } from '../db/open'
import { createServices } from '../services'
import { dispatch } from '../services/dispatch'
import { tempDir } from '../test/support/temp'
import { peakRssMb, report, timeMedian, timeMedianAsync, timeOnce } from './report'

const FILL_COLUMNS =
  'id, account_id, instrument_id, side, quantity, price, fee, currency, executed_at, import_batch_id, source_line'

export async function journalBenchmark(rows: number): Promise<void> {
  const { dir, cleanup } = tempDir('blotter-bench-')
  try {
    const path = join(dir, 'journal.db')
    const createMs = await timeMedianAsync(3, async () => {
      ;(await openJournal(join(dir, `create-${uuidv7()}.db`))).close()
    })
    report({ name: 'create + migrate a new journal', ms: createMs })
    const created = await openJournal(path)

    const ids = seedParents(created.sqlite)
    const fills = makeFills(rows, ids)

    const insert = created.sqlite.prepare(
      `INSERT INTO trades (${FILL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?)`,
    )
    const blotterInsert = timeOnce(() =>
      created.write(() => {
        for (const fill of fills) insert.run(...fill)
      }),
    )
    created.close()

    const raw = new Database(join(dir, 'plain.db'))
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = FULL')
    raw.exec(
      `CREATE TABLE plain_fills (id TEXT, account_id TEXT, instrument_id TEXT, side TEXT, quantity INTEGER, price INTEGER, fee INTEGER, currency TEXT, executed_at INTEGER, import_batch_id TEXT, source_line INTEGER)`,
    )
    const rawInsert = raw.prepare(
      `INSERT INTO plain_fills (${FILL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?)`,
    )
    const plain = timeOnce(() =>
      raw.transaction(() => {
        for (const fill of fills) rawInsert.run(...fill)
      })(),
    )
    raw.close()
    report({
      name: `insert ${rows.toLocaleString('en-US')} fills through the schema`,
      ms: blotterInsert.ms,
      rows,
      rawMs: plain.ms,
      rawLabel: 'plain table',
    })

    const openMs = await timeMedianAsync(5, async () => (await openJournal(path)).close())
    const quickCheckMs = timeMedian(5, () => {
      const db = new Database(path, { readonly: true })
      db.pragma('quick_check')
      db.close()
    })
    report({
      name: `reopen journal with ${rows.toLocaleString('en-US')} fills`,
      ms: openMs,
      rawMs: quickCheckMs,
      rawLabel: 'quick_check alone',
      goalMs: 300,
    })

    const journal = await openJournal(path)
    const services = createServices({ journal, host: 'cli', secrets: null })
    const infoMs = await timeMedianAsync(5, () => dispatch(services, 'system.info', {}))
    const countMs = timeMedian(5, () => journal.sqlite.prepare('SELECT count(*) FROM trades').get())
    journal.close()
    report({
      name: 'system.info (row count of every table)',
      ms: infoMs,
      rawMs: countMs,
      rawLabel: 'count(*) of fills',
    })
    console.log(`peak RSS ${peakRssMb().toFixed(0)} MB`)
  } finally {
    cleanup()
  }
}

interface ParentIds {
  accounts: string[]
  instruments: string[]
  batch: string
}

function seedParents(db: Database.Database): ParentIds {
  const accounts = ['acct-1', 'acct-2', 'acct-3']
  const instruments = Array.from({ length: 20 }, (_, i) => `inst-${i}`)
  const addAccount = db.prepare(`INSERT INTO accounts (id, name, broker) VALUES (?, ?, 'bench')`)
  const addInstrument = db.prepare(
    `INSERT INTO instruments (id, symbol, asset_class, identity_key)
     VALUES (?, ?, 'stock', json_array(?, NULL, 'stock', NULL, NULL, NULL))`,
  )
  db.transaction(() => {
    for (const id of accounts) addAccount.run(id, id)
    instruments.forEach((id, i) => addInstrument.run(id, `SYM${i}`, `SYM${i}`))
    db.prepare(
      `INSERT INTO import_batches (id, file_name, sha256, format, parser_version, status)
       VALUES ('batch-1', 'bench.csv', ?, 'blotter', '1', 'imported')`,
    ).run('0'.repeat(64))
  })()
  return { accounts, instruments, batch: 'batch-1' }
}

type FillRow = [string, string, string, string, bigint, bigint, bigint, number, string, number]

function makeFills(rows: number, ids: ParentIds): FillRow[] {
  const start = Date.UTC(2026, 0, 2, 14, 30)
  return Array.from({ length: rows }, (_, i) => [
    uuidv7(),
    ids.accounts[i % ids.accounts.length] as string,
    ids.instruments[i % ids.instruments.length] as string,
    i % 2 === 0 ? 'buy' : 'sell',
    BigInt(1 + (i % 7)) * 100_000_000n,
    BigInt(10_000 + (i % 500)) * 1_000_000n,
    35_000_000n,
    start + i * 1000,
    ids.batch,
    i + 2,
  ])
}
