import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ServiceContext } from '../../services'
import { importFile, type ImportOptions, type ImportProgress } from '../../services/import'
import { setFuturesRoot } from '../../services/instruments'
import { listFills, listTrades, undoImport } from '../../services/journal'
import { exportFillsCsv } from '../../importers/blotter'
import type { ImportFormat } from '../../importers/types'
import { journalContent } from '../support/content'
import { openJournal } from '../../db/open'
import { useTempJournal } from '../support/journal'

const fixtures = join(process.cwd(), 'test/fixtures/blotter')
const fixture = (name: string) => readFileSync(join(fixtures, name))
const auto: ImportOptions = { format: 'auto' }

describe('importing Blotter fills CSV', () => {
  const temp = useTempJournal()

  const trades = () =>
    listTrades(temp.ctx, {}).map((t) => ({
      symbol: t.symbol,
      side: t.side,
      status: t.status,
      quantity: t.quantity,
      entry: t.entryPrice,
      exit: t.exitPrice,
      gross: t.grossPnl,
      fees: t.fees,
      net: t.netPnl,
    }))

  it('builds round trips with P&L worked out by hand, a crossing fill split', () => {
    const result = importFile(temp.ctx, 'scale-and-flip.csv', fixture('scale-and-flip.csv'), auto)
    expect(result).toMatchObject({
      format: 'blotter',
      status: 'imported',
      fills: 7,
      duplicates: 0,
      trades: 3,
      errors: [],
    })
    expect(trades()).toEqual([
      // (150×155.5 + 50×149) − (100×150 + 100×152) = 575; fees 1 + 1 + 1.5 + 0.5
      {
        symbol: 'AAPL',
        side: 'long',
        status: 'closed',
        quantity: '200',
        entry: '151',
        exit: '153.875',
        gross: '575',
        fees: '4',
        net: '571',
      },
      // (2×5000 − 2×4990) × 50; fees 4.2 + 2/5 of 10.5
      {
        symbol: 'ESH26',
        side: 'short',
        status: 'closed',
        quantity: '2',
        entry: '5000',
        exit: '4990',
        gross: '1000',
        fees: '8.4',
        net: '991.6',
      },
      // 3 × 5.25 × 50; fees 3/5 of 10.5 + 6.3
      {
        symbol: 'ESH26',
        side: 'long',
        status: 'closed',
        quantity: '3',
        entry: '4990',
        exit: '4995.25',
        gross: '787.5',
        fees: '12.6',
        net: '774.9',
      },
    ])
  })

  it('adds nothing when the same file comes again', () => {
    importFile(temp.ctx, 'a.csv', fixture('scale-and-flip.csv'), auto)
    const before = journalContent(temp.journal.sqlite, ['import_batches'])
    const again = importFile(temp.ctx, 'a.csv', fixture('scale-and-flip.csv'), auto)
    expect(again).toMatchObject({ status: 'imported', fills: 0, duplicates: 7, trades: 0 })
    expect(journalContent(temp.journal.sqlite, ['import_batches'])).toEqual(before)
  })

  it('keeps genuinely identical fills of one file apart, and recognises them next time', () => {
    const first = importFile(temp.ctx, 'same.csv', fixture('identical-fills.csv'), auto)
    expect(first).toMatchObject({ fills: 3, duplicates: 0 })
    expect(trades()).toMatchObject([{ quantity: '2', gross: '2', status: 'closed' }])
    expect(importFile(temp.ctx, 'same.csv', fixture('identical-fills.csv'), auto)).toMatchObject({
      fills: 0,
      duplicates: 3,
    })
  })

  it('reports progress while it rebuilds round trips, after each account and instrument', () => {
    const progress: ImportProgress[] = []
    const onProgress = (report: ImportProgress) => progress.push(report)
    importFile(temp.ctx, 'scale-and-flip.csv', fixture('scale-and-flip.csv'), {
      ...auto,
      onProgress,
    })
    // 7 rows (under one report's worth of reading), lines 2–8, two pairs: Main/AAPL, Main/ESH6.
    const done = { rowsParsed: 8, fillsWritten: 7, phase: 'rebuilding' }
    expect(progress).toEqual([done, done])
  })

  it('reads a UTF-16 or Windows-1252 Blotter CSV piece by piece, detected or named', () => {
    const text =
      'time,symbol,side,quantity,price,note\n' +
      '2026-03-02T14:31:05Z,AAPL,buy,1,100,café\n' +
      '2026-03-02T14:32:05Z,AAPL,sell,1,101,\n'
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const legacy = Buffer.from(text, 'latin1') // é is 0xE9 in Windows-1252 too
    expect(importFile(temp.ctx, 'a.csv', utf16, auto)).toMatchObject({
      status: 'imported',
      fills: 2,
    })
    const again = importFile(temp.ctx, 'b.csv', legacy, { format: 'blotter' })
    // Same fills (no broker ids): recognised by content, whatever the encoding.
    expect(again).toMatchObject({ status: 'imported', fills: 0, duplicates: 2 })
    expect(again.warnings).toContain('The file is not valid UTF-8; it was read as Windows-1252')
    expect(listFills(temp.ctx, {}).map((f) => f.note)).toEqual(['café', null])
    // Bought at 100, sold at 101, 1 share: gross 1.
    expect(trades()).toMatchObject([{ gross: '1', status: 'closed' }])
  })

  it('counts an identical fill as new when an earlier file had it fewer times', () => {
    // The first file has the buy once; the second has it twice and the sell: its first buy is
    // the one already in the journal, its second buy and the sell are new (1 + 1 = 2 fills).
    const lines = fixture('identical-fills.csv').toString('utf8').trim().split('\n')
    const once = [lines[0], lines[1]].join('\n')
    expect(importFile(temp.ctx, 'once.csv', Buffer.from(once), auto)).toMatchObject({ fills: 1 })
    expect(importFile(temp.ctx, 'same.csv', fixture('identical-fills.csv'), auto)).toMatchObject({
      fills: 2,
      duplicates: 1,
    })
    expect(trades()).toMatchObject([{ quantity: '2', gross: '2', status: 'closed' }])
  })

  it('imports the union of overlapping files', () => {
    const lines = fixture('scale-and-flip.csv').toString('utf8').trim().split('\n')
    const header = lines[0]
    const early = [header, ...lines.slice(1, 4)].join('\n')
    const late = [header, ...lines.slice(2)].join('\n')
    expect(importFile(temp.ctx, 'early.csv', Buffer.from(early), auto)).toMatchObject({ fills: 3 })
    expect(importFile(temp.ctx, 'late.csv', Buffer.from(late), auto)).toMatchObject({
      fills: 4,
      duplicates: 2,
    })
    expect(listFills(temp.ctx, {})).toHaveLength(7)
    expect(trades().map((t) => t.net)).toEqual(['571', '991.6', '774.9'])
  })

  it('rejects a file with bad rows whole, naming every line and column, writing nothing', () => {
    const before = journalContent(temp.journal.sqlite)
    const result = importFile(temp.ctx, 'bad-rows.csv', fixture('bad-rows.csv'), auto)
    expect(result.status).toBe('rejected')
    expect(result.fills).toBe(0)
    expect(result.batchId).toBeNull()
    expect(result.errors).toEqual([
      { line: 3, column: 'side', message: expect.stringMatching(/hold/) },
      { line: 4, column: 'quantity', message: expect.stringMatching(/-150/) },
      { line: 5, column: 'time', message: expect.stringMatching(/2026-13-02/) },
    ])
    expect(journalContent(temp.journal.sqlite)).toEqual(before)
  })

  it('imports the valid rows with skipInvalid and still lists the bad ones', () => {
    const result = importFile(temp.ctx, 'bad-rows.csv', fixture('bad-rows.csv'), {
      ...auto,
      skipInvalid: true,
    })
    expect(result).toMatchObject({ status: 'imported', fills: 1 })
    expect(result.errors).toHaveLength(3)
    expect(listTrades(temp.ctx, {})).toMatchObject([{ status: 'open', quantity: '100' }])
  })

  it('reports a dry run exactly and writes nothing', () => {
    const before = journalContent(temp.journal.sqlite)
    const result = importFile(temp.ctx, 'a.csv', fixture('scale-and-flip.csv'), {
      ...auto,
      dryRun: true,
    })
    expect(result).toMatchObject({ status: 'dry-run', fills: 7, trades: 3, batchId: null })
    expect(journalContent(temp.journal.sqlite)).toEqual(before)
  })

  it('undoes an import, and what the trader added comes back with the fills', () => {
    const first = importFile(temp.ctx, 'a.csv', fixture('scale-and-flip.csv'), auto)
    temp.journal.sqlite
      .prepare(`UPDATE positions SET stop_loss = ? WHERE trade_key IS NOT NULL`)
      .run(14_000_000_000n)
    expect(undoImport(temp.ctx, first.batchId as string)).toMatchObject({ fills: 7, trades: 3 })
    expect(listTrades(temp.ctx, {})).toEqual([])
    expect(listFills(temp.ctx, {})).toEqual([])

    importFile(temp.ctx, 'a.csv', fixture('scale-and-flip.csv'), auto)
    const stops = temp.journal.sqlite
      .prepare(`SELECT stop_loss FROM positions WHERE deleted_at IS NULL`)
      .pluck()
      .all()
    expect(stops).toEqual([14_000_000_000n, 14_000_000_000n, 14_000_000_000n])
    expect(() => undoImport(temp.ctx, first.batchId as string)).toThrow(/undone/)
  })

  it('writes, retires and revives more round trips of one pair than one write statement holds', () => {
    // 123 round trips of one pair: full batches of round-trip writes plus a remainder.
    const lines = ['time,symbol,side,quantity,price,fee']
    for (let i = 0; i < 123; i++) {
      const minute = String(i % 60).padStart(2, '0')
      const hour = String(10 + Math.floor(i / 60)).padStart(2, '0')
      lines.push(`2024-03-01T${hour}:${minute}:00Z,AAPL,buy,${i + 1},100,0.5`)
      lines.push(`2024-03-01T${hour}:${minute}:30Z,AAPL,sell,${i + 1},101,0.5`)
    }
    const file = Buffer.from(`${lines.join('\n')}\n`)
    const first = importFile(temp.ctx, 'many.csv', file, auto)
    expect(first).toMatchObject({ status: 'imported', fills: 246, trades: 123 })
    const ids = () =>
      temp.journal.sqlite
        .prepare(`SELECT id FROM positions WHERE deleted_at IS NULL ORDER BY opened_at`)
        .pluck()
        .all()
    const before = ids()
    expect(trades().map((t) => t.gross)).toEqual(
      Array.from({ length: 123 }, (_, i) => String(i + 1)),
    )
    expect(undoImport(temp.ctx, first.batchId as string)).toMatchObject({ fills: 246, trades: 123 })
    expect(ids()).toEqual([])
    expect(importFile(temp.ctx, 'many.csv', file, auto)).toMatchObject({ fills: 246, trades: 123 })
    expect(ids()).toEqual(before)
  })

  it('exports fills that import back to the same journal and to a new one', async () => {
    importFile(temp.ctx, 'a.csv', fixture('scale-and-flip.csv'), auto)
    importFile(temp.ctx, 'same.csv', fixture('identical-fills.csv'), auto)
    const csv = exportFillsCsv(listFills(temp.ctx, {}))
    expect(importFile(temp.ctx, 'export.csv', Buffer.from(csv), auto)).toMatchObject({
      status: 'imported',
      fills: 0,
      duplicates: 10,
    })

    const other = await openJournal(join(temp.dir, 'other.db'))
    try {
      const otherCtx: ServiceContext = { journal: other, host: 'cli', secrets: null }
      expect(importFile(otherCtx, 'export.csv', Buffer.from(csv), auto)).toMatchObject({
        fills: 10,
      })
      const strip = (rows: ReturnType<typeof listTrades>) => rows.map(({ id: _id, ...t }) => t)
      expect(strip(listTrades(otherCtx, {}))).toEqual(strip(listTrades(temp.ctx, {})))
    } finally {
      other.close()
    }
  })

  it('reads naive times in the account’s own zone unless --tz says otherwise', () => {
    const header = 'time,account,symbol,side,quantity,price,order_id\n'
    const first = Buffer.from(`${header}2026-03-02T09:30:00,NY,AAPL,buy,10,150,ORD-1\n`)
    // The account is created by this import, in its --tz zone.
    importFile(temp.ctx, 'first.csv', first, { ...auto, timezone: 'America/New_York' })
    const later = Buffer.from(
      `${header}2026-03-02T10:00:00,NY,AAPL,sell,10,151,ORD-2\n` +
        `2026-03-02T10:00:00,Other,AAPL,buy,1,151,\n`,
    )
    expect(importFile(temp.ctx, 'later.csv', later, auto)).toMatchObject({ fills: 2 })
    const explicit = Buffer.from(`${header}2026-03-02T11:00:00,NY,AAPL,buy,1,152,\n`)
    importFile(temp.ctx, 'explicit.csv', explicit, { ...auto, timezone: 'Europe/London' })

    const fills = listFills(temp.ctx, {}).map((f) => [
      f.account,
      f.time,
      f.sourceTimezone,
      f.orderId,
    ])
    expect(fills).toEqual([
      ['Other', '2026-03-02T10:00:00.000Z', 'UTC', null], // a new account: the format's UTC
      ['NY', '2026-03-02T11:00:00.000Z', 'Europe/London', null],
      ['NY', '2026-03-02T14:30:00.000Z', 'America/New_York', 'ORD-1'],
      ['NY', '2026-03-02T15:00:00.000Z', 'America/New_York', 'ORD-2'],
    ])
    // The order id goes out with the export and back in.
    expect(exportFillsCsv(listFills(temp.ctx, { account: 'NY' }))).toContain(',ORD-2,')
  })
  it('keeps the fills of an unknown futures root and marks their P&L incomplete', () => {
    const csv = [
      'time,symbol,side,quantity,price,asset_class',
      '2026-03-05T14:30:00Z,ZZQH6,buy,1,100,future',
      '2026-03-05T15:30:00Z,ZZQH6,sell,1,101,future',
    ].join('\n')
    const result = importFile(temp.ctx, 'zz.csv', Buffer.from(csv), auto)
    expect(result).toMatchObject({ status: 'imported', fills: 2 })
    expect(result.warnings).toEqual([expect.stringMatching(/ZZQH26/)])
    expect(listTrades(temp.ctx, {})).toMatchObject([{ status: 'closed', pnlComplete: false }])

    // Setting the root's point value later fixes the contract and recomputes its trades:
    // (101 − 100) × 1 × 20 = 20.
    expect(setFuturesRoot(temp.ctx, 'zzq', 20n * 100_000_000n, null)).toMatchObject({
      root: 'ZZQ',
      contracts: 1,
      trades: 1,
    })
    expect(listTrades(temp.ctx, {})).toMatchObject([{ grossPnl: '20', pnlComplete: true }])
    // And the next import of that root knows it.
    const next = csv.replaceAll('ZZQH6', 'ZZQM6')
    expect(importFile(temp.ctx, 'zz2.csv', Buffer.from(next), auto).warnings).toEqual([])
  })

  it('takes futures point values from the built-in table', () => {
    const csv = [
      'time,symbol,side,quantity,price,fee,asset_class',
      '2026-03-05T14:30:00Z,MNQM6,buy,2,21000.25,1.24,future',
      '2026-03-05T15:30:00Z,MNQM6,sell,2,21010.75,1.24,future',
    ].join('\n')
    importFile(temp.ctx, 'mnq.csv', Buffer.from(csv), auto)
    // (21010.75 − 21000.25) × 2 × $2 = 42; fees 2.48 → 39.52
    expect(listTrades(temp.ctx, {})).toMatchObject([
      { symbol: 'MNQM26', multiplier: '2', grossPnl: '42', netPnl: '39.52', pnlComplete: true },
    ])
  })

  it('reports every day where the broker’s realized P&L differs from Blotter’s', () => {
    // A broker export that states its own P&L on closing rows: 95 on 03-06 (we make 100 gross,
    // 98 net after 2 of fees) and 50 on 03-09 (we agree).
    const fill = (
      line: number,
      side: 'buy' | 'sell',
      price: string,
      day: string,
      pnl?: string,
    ) => ({
      line,
      raw: `row ${line}`,
      account: 'Broker',
      instrument: {
        symbol: 'XYZ',
        assetClass: 'stock' as const,
        exchange: null,
        multiplier: null,
        expiry: null,
        strike: null,
        putCall: null,
        underlying: null,
      },
      side,
      quantity: 10n * 100_000_000n,
      price: BigInt(price) * 100_000_000n,
      fee: 1n * 100_000_000n,
      currency: null,
      executedAt: Date.parse(`${day}T15:00:00Z`) + line,
      sourceTimezone: 'UTC',
      brokerExecutionId: `x${line}`,
      brokerOrderId: null,
      isDerived: false,
      note: null,
      brokerPnl: pnl ? { amount: BigInt(pnl) * 100_000_000n, net: true } : null,
    })
    const brokerFormat: ImportFormat = {
      id: 'test-broker',
      label: 'A broker that reports P&L',
      parserVersion: '1',
      defaultTimezone: 'UTC',
      detect: () => 0,
      parse: () => [
        fill(2, 'buy', '10', '2026-03-06'),
        fill(3, 'sell', '20', '2026-03-06', '95'),
        fill(4, 'buy', '10', '2026-03-09'),
        fill(5, 'sell', '15', '2026-03-09', '48'),
      ],
    }
    const result = importFile(temp.ctx, 'broker.csv', Buffer.from('x'), { format: brokerFormat })
    expect(result.status).toBe('imported')
    expect(result.reconciliation).toEqual([
      {
        account: 'Broker',
        symbol: 'XYZ',
        date: '2026-03-06',
        basis: 'net',
        broker: '95',
        blotter: '98',
        difference: '3',
      },
    ])
  })

  it('turns a row the journal’s constraints refuse into that row’s error, not a crash', () => {
    const before = journalContent(temp.journal.sqlite)
    const fill = (line: number, currency: string) => ({
      line,
      raw: `row ${line}`,
      account: 'Checks',
      instrument: {
        symbol: 'ABC',
        assetClass: 'stock' as const,
        exchange: null,
        multiplier: null,
        expiry: null,
        strike: null,
        putCall: null,
        underlying: null,
      },
      side: 'buy' as const,
      quantity: 100_000_000n,
      price: 100_000_000n,
      fee: 0n,
      currency,
      executedAt: Date.parse('2026-03-10T15:00:00Z') + line,
      sourceTimezone: 'UTC',
      brokerExecutionId: null,
      brokerOrderId: null,
      isDerived: false,
      note: null,
    })
    // The parser lets a lower-case currency through; the trades CHECK refuses it.
    const loose: ImportFormat = {
      id: 'loose',
      label: 'A format with a gap in its checks',
      parserVersion: '1',
      defaultTimezone: 'UTC',
      detect: () => 0,
      parse: () => [fill(2, 'USD'), fill(3, 'us$')],
    }
    const result = importFile(temp.ctx, 'loose.csv', Buffer.from('x'), { format: loose })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([
      {
        line: 3,
        column: null,
        message: expect.stringMatching(/^The journal refused this row: /),
      },
    ])
    expect(journalContent(temp.journal.sqlite)).toEqual(before)
  })
})
