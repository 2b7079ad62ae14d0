/**
 * Importing Blotter fills CSVs of 10^5 and 10^6 fills (several accounts and symbols, scale-ins,
 * flips): wall time, fills/s and peak RSS, beside plain prepared inserts of the same rows into a
 * plain table in one transaction, measured in the same run; then re-importing the file, which
 * must add 0 fills. Goals (issue #3 §7): 10^5 in ≤ 1.5 s, 10^6 in ≤ 15 s with peak RSS ≤ 300 MB,
 * within 3× of the plain inserts.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import Papa from 'papaparse'
import { openJournal } from '../db/open'
import { importFile } from '../services/import'
import { tempDir } from '../test/support/temp'
import { peakRssMb, report, timeOnce } from './report'

const ACCOUNTS = ['Main', 'Swing', 'Futures']
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMD', 'META', 'AMZN', 'GOOG', 'SPY', 'QQQ']

export async function importBenchmark(maxRows: number): Promise<void> {
  const { dir, cleanup } = tempDir('blotter-bench-import-')
  try {
    for (const rows of [100_000, 1_000_000].filter((n) => n <= maxRows)) {
      const file = join(dir, `fills-${rows}.csv`)
      writeFileSync(file, syntheticFills(rows))
      const bytes = readFileSync(file)

      const plainMs = plainInsertMs(join(dir, `plain-${rows}.db`), bytes.toString('utf8'))
      const journal = await openJournal(join(dir, `journal-${rows}.db`))
      const ctx = { journal, host: 'cli' as const, secrets: null }
      const first = timeOnce(() => importFile(ctx, file, bytes, { format: 'blotter' }))
      report({
        name: `import ${rows.toLocaleString('en-US')} fills`,
        ms: first.ms,
        rows,
        rawMs: plainMs,
        rawLabel: 'parse + plain inserts',
        goalMs: rows >= 1_000_000 ? 15_000 : 1_500,
      })
      const again = timeOnce(() => importFile(ctx, file, bytes, { format: 'blotter' }))
      report({ name: `re-import (${again.value.fills} new fills)`, ms: again.ms, rows })
      journal.close()
      console.log(
        `  ${first.value.fills} fills, ${first.value.trades} trades, peak RSS so far ${peakRssMb().toFixed(0)} MB (goal ≤ 300 MB)`,
      )
    }
  } finally {
    cleanup()
  }
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
