/**
 * Importing Blotter fills CSVs of 10^5 and 10^6 fills (several accounts and symbols, scale-ins,
 * flips): wall time, fills/s and peak RSS, beside plain prepared inserts of the same rows into a
 * plain table in one transaction, measured in the same run; then re-importing the file, which
 * must add 0 fills. Goals (issue #3 §7): 10^5 in ≤ 1.5 s, 10^6 in ≤ 15 s with peak RSS ≤ 300 MB,
 * within 3× of the plain inserts.
 *
 * Each import runs in a child process (this file with `--child`), so its peak RSS is the
 * import's own: the file's bytes, the parse, SQLite's cache and the rebuild, not this process's
 * generated text.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import Papa from 'papaparse'
import { uuidv7 } from 'uuidv7'
import { openJournal } from '../db/open'
import { instrumentIdentityKey } from '../db/schema'
import { importFile } from '../services/import'
import { tempDir } from '../test/support/temp'
import { peakRssMb, report, timeOnce } from './report'

const ACCOUNTS = ['Main', 'Swing', 'Futures']
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMD', 'META', 'AMZN', 'GOOG', 'SPY', 'QQQ']
const RSS_GOAL_MB = 300

/** What a child reports back, as one JSON line. */
interface ChildResult {
  ms: number
  cpuMs: number
  fills: number
  trades: number
  /** Peak RSS of the child after the first import (MB). */
  rssMb: number
  againMs: number
  againFills: number
  /** Peak RSS of the child after the re-import (MB). */
  againRssMb: number
}

export async function importBenchmark(maxRows: number): Promise<void> {
  const { dir, cleanup } = tempDir('blotter-bench-import-')
  try {
    for (const rows of [100_000, 1_000_000].filter((n) => n <= maxRows)) {
      const file = join(dir, `fills-${rows}.csv`)
      writeFileSync(file, syntheticFills(rows))

      const plainMs = plainInsertMs(join(dir, `plain-${rows}.db`), readFileSync(file, 'utf8'))
      const schemaMs = await schemaInsertMs(join(dir, `schema-${rows}.db`), rows)
      const child = runChild(file, join(dir, `journal-${rows}.db`))
      report({
        name: `import ${rows.toLocaleString('en-US')} fills`,
        ms: child.ms,
        rows,
        rawMs: plainMs,
        rawLabel: 'parse + plain inserts',
        goalMs: rows >= 1_000_000 ? 15_000 : 1_500,
      })
      report({
        name: '  (floor: the same fills into the fills table)',
        ms: schemaMs,
        rows,
      })
      report({ name: `re-import (${child.againFills} new fills)`, ms: child.againMs, rows })
      console.log(
        `  ${child.fills} fills, ${child.trades} trades; import CPU ${(child.cpuMs / 1000).toFixed(2)} s; peak RSS of the importing process ${child.rssMb.toFixed(0)} MB (goal ≤ ${RSS_GOAL_MB} MB ${child.rssMb <= RSS_GOAL_MB ? 'met' : 'MISSED'}), ${child.againRssMb.toFixed(0)} MB after the re-import`,
      )
    }
  } finally {
    cleanup()
  }
}

/** This file again, in a fresh process with the same loader (tsx), importing one file. */
function runChild(file: string, journalPath: string): ChildResult {
  const script = fileURLToPath(import.meta.url)
  const output = execFileSync(
    process.execPath,
    [...process.execArgv, script, '--child', file, journalPath],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  )
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as ChildResult
}

async function child(file: string, journalPath: string): Promise<void> {
  const bytes = readFileSync(file)
  const journal = await openJournal(journalPath)
  const ctx = { journal, host: 'cli' as const, secrets: null }
  const cpu = process.cpuUsage()
  const first = timeOnce(() => importFile(ctx, file, bytes, { format: 'blotter' }))
  const cpuUsed = process.cpuUsage(cpu)
  const rssMb = peakRssMb()
  const again = timeOnce(() => importFile(ctx, file, bytes, { format: 'blotter' }))
  const againRssMb = peakRssMb()
  journal.close()
  const result: ChildResult = {
    ms: first.ms,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    fills: first.value.fills,
    trades: first.value.trades,
    rssMb,
    againMs: again.ms,
    againFills: again.value.fills,
    againRssMb,
  }
  console.log(JSON.stringify(result))
}

/** Random walks per (account, symbol) that scale in, scale out and flip. */
function syntheticFills(rows: number): string {
  const lines = ['time,account,symbol,side,quantity,price,fee']
  const positions = new Map<string, number>()
  let seed = 42
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
  const start = Date.UTC(2024, 0, 2, 14, 30)
  for (let i = 0; i < rows; i++) {
    const account = ACCOUNTS[i % ACCOUNTS.length] as string
    const symbol = SYMBOLS[Math.floor(random() * SYMBOLS.length)] as string
    const key = `${account}/${symbol}`
    const position = positions.get(key) ?? 0
    const quantity = 1 + Math.floor(random() * 300)
    // Lean towards flattening so round trips close, and sometimes cross zero.
    const side = position > 0 ? (random() < 0.7 ? 'sell' : 'buy') : random() < 0.7 ? 'buy' : 'sell'
    positions.set(key, position + (side === 'buy' ? quantity : -quantity))
    const price = (100 + random() * 50).toFixed(2)
    const fee = (quantity * 0.005).toFixed(3)
    lines.push(
      `${new Date(start + i * 1000).toISOString()},${account},${symbol},${side},${quantity},${price},${fee}`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** The raw limit: parse the same CSV and insert its rows with one prepared statement. */
function plainInsertMs(path: string, text: string): number {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(
    'CREATE TABLE fills (time TEXT, account TEXT, symbol TEXT, side TEXT, quantity TEXT, price TEXT, fee TEXT)',
  )
  const insert = db.prepare('INSERT INTO fills VALUES (?, ?, ?, ?, ?, ?, ?)')
  const { ms } = timeOnce(() =>
    db.transaction(() => {
      Papa.parse<string[]>(text, {
        skipEmptyLines: true,
        step: (row) => {
          if (row.data[0] !== 'time') insert.run(...row.data)
        },
      })
    })(),
  )
  db.close()
  return ms
}

/**
 * What the journal's fills table costs by itself: the same number of fills, already converted,
 * inserted with one prepared statement in one transaction (its indexes, keys and CHECKs, no
 * parsing, no round trips). The part of the import no code change can remove.
 */
async function schemaInsertMs(path: string, rows: number): Promise<number> {
  const journal = await openJournal(path)
  const sqlite = journal.sqlite
  const accounts = ACCOUNTS.map((name) => {
    const id = uuidv7()
    sqlite
      .prepare(
        `INSERT INTO accounts (id, name, broker, base_currency, timezone) VALUES (?, ?, 'blotter', 'USD', 'UTC')`,
      )
      .run(id, name)
    return id
  })
  const instruments = SYMBOLS.map((symbol) => {
    const id = uuidv7()
    const identity = {
      symbol,
      exchange: null,
      assetClass: 'stock' as const,
      expiry: null,
      strike: null,
      putCall: null,
    }
    sqlite
      .prepare(
        `INSERT INTO instruments (id, symbol, asset_class, identity_key, quote_currency) VALUES (?, ?, 'stock', ?, 'USD')`,
      )
      .run(id, symbol, instrumentIdentityKey(identity))
    return id
  })
  const batch = uuidv7()
  sqlite
    .prepare(
      `INSERT INTO import_batches (id, file_name, sha256, format, parser_version) VALUES (?, 'bench', ?, 'blotter', '1')`,
    )
    .run(batch, '0'.repeat(64))
  const insert = sqlite.prepare(
    `INSERT INTO trades (id, account_id, instrument_id, side, quantity, price, fee, currency,
       executed_at, source_timezone, content_key, is_derived, import_batch_id, source_line,
       raw_source, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'USD', ?, 'UTC', ?, 0, ?, ?, ?, ?, ?)`,
  )
  const start = Date.UTC(2024, 0, 2, 14, 30)
  const values = Array.from({ length: rows }, (_, i) => {
    const at = start + i * 1000
    return [
      uuidv7(),
      accounts[i % accounts.length],
      instruments[i % instruments.length],
      i % 3 === 0 ? 'sell' : 'buy',
      BigInt(1 + (i % 300)) * 100_000_000n,
      12_345_000_000n + BigInt(i % 5000) * 1_000_000n,
      BigInt(1 + (i % 300)) * 500_000n,
      at,
      `${at.toString(36)}.${(i * 2_654_435_761).toString(36).padStart(16, '0').slice(-16)}`,
      batch,
      i + 2,
      `${new Date(at).toISOString()},Main,AAPL,buy,${1 + (i % 300)},123.45,0.005`,
      at,
      at,
    ]
  })
  const { ms } = timeOnce(() =>
    sqlite.transaction(() => {
      for (const row of values) insert.run(row)
    })(),
  )
  journal.close()
  return ms
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string)
}
