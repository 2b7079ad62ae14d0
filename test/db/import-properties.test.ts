import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openJournal, type Journal } from '../../db/open'
import { rebuildPositions } from '../../db/queries/positions'
import type { ServiceContext } from '../../services'
import { importFile } from '../../services/import'
import { listFills, undoImport } from '../../services/journal'
import { journalContent } from '../support/content'
import { tempDir } from '../support/temp'

const sample = readFileSync(join(process.cwd(), 'test/fixtures/blotter/scale-and-flip.csv'))

describe('import properties', () => {
  let journal: Journal
  let ctx: ServiceContext
  let cleanup: () => void
  beforeAll(async () => {
    const temp = tempDir()
    cleanup = temp.cleanup
    journal = await openJournal(join(temp.dir, 'journal.db'))
    ctx = { journal, host: 'cli', secrets: null }
  })
  afterAll(() => {
    journal.close()
    cleanup()
  })

  it('answers random bytes and truncated files with a result, never a crash, and a rejection writes nothing', () => {
    const truncated = fc.integer({ min: 0, max: sample.length }).map((n) => sample.subarray(0, n))
    const mangled = fc
      .tuple(
        fc.integer({ min: 0, max: sample.length - 1 }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
      )
      .map(([at, bytes]) => Buffer.concat([sample.subarray(0, at), bytes, sample.subarray(at)]))
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), truncated, mangled), (bytes) => {
        const before = journalContent(journal.sqlite, ['import_batches'])
        const result = importFile(ctx, 'random.csv', Buffer.from(bytes), { format: 'auto' })
        expect(['imported', 'rejected']).toContain(result.status)
        if (result.status === 'rejected') {
          expect(result.errors.length).toBeGreaterThan(0)
          expect(journalContent(journal.sqlite, ['import_batches'])).toBe(before)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('rebuilds incrementally to what a whole rebuild gives, whatever later files and undos add or remove', () => {
    const row = fc.record({
      minute: fc.integer({ min: 0, max: 20 }),
      side: fc.constantFrom('buy', 'sell'),
      quantity: fc.integer({ min: 1, max: 4 }),
      file: fc.integer({ min: 0, max: 2 }),
    })
    let run = 0
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.boolean(), (rows, undo) => {
        const account = `Inc${run++}`
        const batches = [0, 1, 2].map((file) => {
          const csv = [
            'time,account,symbol,side,quantity,price',
            ...rows
              .filter((r) => r.file === file)
              .map(
                (r, i) =>
                  `2026-05-01T14:${String(r.minute).padStart(2, '0')}:00Z,${account},INC,${r.side},${r.quantity},${100 + i}`,
              ),
          ].join('\n')
          return importFile(ctx, `${account}-${file}.csv`, Buffer.from(csv), { format: 'auto' })
        })
        const first = batches[0]?.batchId
        if (undo && first) undoImport(ctx, first)
        const pair = journal.sqlite
          .prepare(
            `SELECT DISTINCT p.account_id, p.instrument_id FROM positions p
             JOIN accounts a ON a.id = p.account_id WHERE a.name = ?`,
          )
          .raw()
          .get(account) as [string, string] | undefined
        if (!pair) return
        const trips = () =>
          journal.sqlite
            .prepare(`SELECT * FROM positions WHERE account_id = ? ORDER BY trade_key`)
            .all(pair[0])
        const before = trips()
        // A whole rebuild from the pair's first fill finds nothing to change.
        expect(rebuildPositions(journal.sqlite, pair[0], pair[1])).toBe(0)
        expect(trips()).toEqual(before)
      }),
      { numRuns: 80 },
    )
  })

  it('is idempotent: importing any file twice adds nothing the second time', () => {
    const row = fc.record({
      minute: fc.integer({ min: 0, max: 59 }),
      side: fc.constantFrom('buy', 'sell'),
      quantity: fc.integer({ min: 1, max: 5 }),
      price: fc.integer({ min: 1, max: 3 }),
    })
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 25 }), fc.string(), (rows, name) => {
        const csv = [
          'time,account,symbol,side,quantity,price',
          ...rows.map(
            (r) =>
              `2026-04-01T14:${String(r.minute).padStart(2, '0')}:00Z,Prop,IDEM,${r.side},${r.quantity},${r.price}`,
          ),
        ].join('\n')
        const fillsBefore = listFills(ctx, { account: 'Prop' }).length
        const first = importFile(ctx, `${name}.csv`, Buffer.from(csv), { format: 'auto' })
        const second = importFile(ctx, `${name}.csv`, Buffer.from(csv), { format: 'auto' })
        expect(second.fills).toBe(0)
        expect(second.duplicates).toBe(rows.length)
        expect(listFills(ctx, { account: 'Prop' }).length).toBe(fillsBefore + first.fills)
      }),
      { numRuns: 60 },
    )
  })
})
