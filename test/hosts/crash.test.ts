import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'

const ROWS = 20_000
const KILLS = 12

/** A Blotter fills CSV of `rows` fills that scale in and out of a few symbols. */
function fillsCsv(rows: number): string {
  const lines = ['time,account,symbol,side,quantity,price,fee']
  const start = Date.UTC(2026, 0, 5, 14, 30)
  for (let i = 0; i < rows; i++) {
    const side = i % 4 < 2 ? 'buy' : 'sell'
    lines.push(
      `${new Date(start + i * 1000).toISOString()},Main,SYM${i % 7},${side},${1 + (i % 5)},${100 + (i % 13)}.5,0.25`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** Starts `blotter import` and SIGKILLs it after `delayMs`; resolves with how it ended. */
function importAndKill(db: string, file: string, delayMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/blotter.mjs', 'import', file, '--db', db], {
      stdio: 'ignore',
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(signal ?? `exit ${code}`)
    })
  })
}

describe('crash safety of an import', () => {
  let dir: string
  let cleanup: () => void
  let file: string
  beforeAll(() => {
    ;({ dir, cleanup } = tempDir())
    file = join(dir, 'fills.csv')
    writeFileSync(file, fillsCsv(ROWS))
  })
  afterAll(() => cleanup())

  it(`leaves the journal intact with each batch all there or absent, after ${KILLS} SIGKILLs`, async () => {
    const db = join(dir, 'journal.db')
    // Random kill points from process start to past the end of the import.
    const delays = fc.sample(fc.integer({ min: 50, max: 4000 }), { numRuns: KILLS, seed: 7 })
    const outcomes: string[] = []
    for (const delay of delays) {
      outcomes.push(await importAndKill(db, file, delay))
      // Read-write, as the app would open it next: SQLite recovers the WAL on open.
      const sqlite = new Database(db)
      try {
        const tables = sqlite
          .prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'trades'`)
          .pluck()
          .get()
        if (tables === 0) continue // killed before the schema was created
        expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
        const batches = sqlite
          .prepare(
            `SELECT b.status, b.fill_count AS recorded, count(t.id) AS present
             FROM import_batches b LEFT JOIN trades t ON t.import_batch_id = b.id
             GROUP BY b.id`,
          )
          .all() as { status: string; recorded: number; present: number }[]
        for (const batch of batches) {
          expect(batch.status).toBe('imported')
          expect(batch.present).toBe(batch.recorded)
        }
        const fills = sqlite.prepare('SELECT count(*) FROM trades').pluck().get() as number
        expect([0, ROWS]).toContain(fills)
      } finally {
        sqlite.close()
      }
    }
    // The sample must have killed some imports mid-way, not only before or after them.
    expect(outcomes.filter((outcome) => outcome === 'SIGKILL').length).toBeGreaterThan(0)
  }, 120_000)
})
