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
import { openJournal } from '../db/open'
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
}

export async function importBenchmark(maxRows: number): Promise<void> {
  const { dir, cleanup } = tempDir('blotter-bench-import-')
  try {
    for (const rows of [100_000, 1_000_000].filter((n) => n <= maxRows)) {
      const file = join(dir, `fills-${rows}.csv`)
      writeFileSync(file, syntheticFills(rows))

      const plainMs = plainInsertMs(join(dir, `plain-${rows}.db`), readFileSync(file, 'utf8'))
      const child = runChild(file, join(dir, `journal-${rows}.db`))
      report({
        name: `import ${rows.toLocaleString('en-US')} fills`,
        ms: child.ms,
        rows,
        rawMs: plainMs,
        rawLabel: 'parse + plain inserts',
        goalMs: rows >= 1_000_000 ? 15_000 : 1_500,
      })
      report({ name: `re-import (${child.againFills} new fills)`, ms: child.againMs, rows })
      console.log(
        `  ${child.fills} fills, ${child.trades} trades; import CPU ${(child.cpuMs / 1000).toFixed(2)} s; peak RSS of the importing process ${child.rssMb.toFixed(0)} MB (goal ≤ ${RSS_GOAL_MB} MB ${child.rssMb <= RSS_GOAL_MB ? 'met' : 'MISSED'})`,
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
  journal.close()
  const result: ChildResult = {
    ms: first.ms,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    fills: first.value.fills,
    trades: first.value.trades,
    rssMb,
    againMs: again.ms,
    againFills: again.value.fills,
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

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string)
}
