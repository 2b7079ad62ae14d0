import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ninjatraderExecutionsFormat,
  ninjatraderTradesFormat,
} from '../../importers/futures/ninjatrader'
import { topstepxOrdersFormat, topstepxTradesFormat } from '../../importers/futures/topstepx'
import {
  tradovateFillsFormat,
  tradovateOrdersFormat,
  tradovatePerformanceFormat,
} from '../../importers/futures/tradovate'
import type { ImportFormat } from '../../importers/types'
import { importFile } from '../../services/import'
import { listTrades } from '../../services/journal'
import { journalContent } from '../support/content'
import { useTempJournal } from '../support/journal'

const fixture = (format: ImportFormat, name: string) =>
  readFileSync(join(process.cwd(), 'test/fixtures', format.id, name))

interface Trip {
  account: string
  symbol: string
  side: 'long' | 'short'
  quantity: string
  entry: string
  exit: string
  gross: string
  fees: string
  net: string
}

interface Case {
  format: ImportFormat
  file: string
  timezone?: string
  fills: number
  /** Round trips in order of opening, worked out by hand; multipliers from the table. */
  trips: Trip[]
  /** The bad-rows.csv fixture's errors. */
  errors: { line: number; column: string }[]
}

const trip = (
  account: string,
  symbol: string,
  side: 'long' | 'short',
  quantity: string,
  [entry, exit]: [string, string],
  [gross, fees, net]: [string, string, string],
): Trip => ({ account, symbol, side, quantity, entry, exit, gross, fees, net })

const cases: Case[] = [
  {
    format: tradovateOrdersFormat,
    file: 'orders.csv',
    fills: 7,
    trips: [
      // (28491.75 − 28531.75) × 5 × $2 = −400; Orders reports carry no fees.
      trip(
        'ACCT0000000000001',
        'MNQM26',
        'long',
        '5',
        ['28531.75', '28491.75'],
        ['-400', '0', '-400'],
      ),
      // Exit VWAP (2 × 7198.50 + 7199.25) / 3 = 7198.75; (7203.25 − 7198.75) × 3 × $5 = 67.50.
      trip(
        'ACCT0000000000001',
        'MESM26',
        'short',
        '3',
        ['7203.25', '7198.75'],
        ['67.5', '0', '67.5'],
      ),
      // Second account: (29010.25 − 29000) × $2 = 20.50.
      trip(
        'ACCT0000000000002',
        'MNQM26',
        'long',
        '1',
        ['29000', '29010.25'],
        ['20.5', '0', '20.5'],
      ),
    ],
    errors: [
      { line: 3, column: 'B/S' },
      { line: 4, column: 'avgPrice' },
      { line: 4, column: 'Fill Time' },
    ],
  },
  {
    format: tradovateFillsFormat,
    file: 'fills.csv',
    fills: 5,
    trips: [
      // (6612.50 − 6608.75) × $5 = 18.75; commissions 0.62 + 0.62.
      trip(
        'DEMO0000001',
        'MESU26',
        'short',
        '1',
        ['6612.5', '6608.75'],
        ['18.75', '1.24', '17.51'],
      ),
      // Entry VWAP (2 × 29007.75 + 29009.25) / 3 = 29008.25; (29021.25 − 29008.25) × 3 × $2 = 78;
      // commissions 1.0 + 0.5 + 1.5 (the busted fill is not there).
      trip('DEMO0000001', 'MNQU26', 'long', '3', ['29008.25', '29021.25'], ['78', '3', '75']),
    ],
    errors: [
      { line: 3, column: '_timestamp' },
      { line: 4, column: 'Quantity' },
      { line: 4, column: 'commission' },
    ],
  },
  {
    format: tradovatePerformanceFormat,
    file: 'performance.csv',
    fills: 12,
    // Each gross equals the report's pnl column: −400 + 1200 + 112.50 + 3 + 31.25 = 946.75.
    trips: [
      trip('default', 'MNQM26', 'long', '5', ['28531.75', '28491.75'], ['-400', '0', '-400']),
      trip('default', 'MNQM26', 'long', '5', ['29262', '29382'], ['1200', '0', '1200']),
      // Sold before bought: (7201.50 − 7190.25) × 2 × $5 = 112.50.
      trip('default', 'MESM26', 'short', '2', ['7201.5', '7190.25'], ['112.5', '0', '112.5']),
      // Same second; the sell's fill id is lower: (29401.50 − 29400) × $2 = 3.
      trip('default', 'MNQM26', 'short', '1', ['29401.5', '29400'], ['3', '0', '3']),
      // One buy fill, two exits: exit VWAP (7207.25 + 7209) / 2; (7208.125 − 7205) × 2 × $5.
      trip('default', 'MESM26', 'long', '2', ['7205', '7208.125'], ['31.25', '0', '31.25']),
    ],
    errors: [
      { line: 3, column: 'buyPrice' },
      { line: 4, column: 'soldTimestamp' },
    ],
  },
  {
    format: ninjatraderExecutionsFormat,
    file: 'executions.csv',
    fills: 5,
    trips: [
      // Exit VWAP (30231.50 + 30226) / 2 = 30228.75; 8.50 × 2 × $2 = 34; 0.78 + 0.39 + 0.39.
      trip('Sim101', 'MNQU26', 'long', '2', ['30220.25', '30228.75'], ['34', '1.56', '32.44']),
      // (6650.75 − 6655) × $5 = −21.25; 0.62 + 0.62.
      trip('Sim101', 'MESU26', 'short', '1', ['6650.75', '6655'], ['-21.25', '1.24', '-22.49']),
    ],
    errors: [
      { line: 3, column: 'Action' },
      { line: 4, column: 'Commission' },
      { line: 4, column: 'Time' },
    ],
  },
  {
    format: ninjatraderTradesFormat,
    file: 'trades.csv',
    fills: 6,
    // Every net equals NinjaTrader's Profit: the costs are counted once.
    trips: [
      // 11.25 × 2 × $2 = 45; 1.56 + 0.96 + 0.08 = 2.60; Profit $42.40.
      trip('Sim101', 'MNQU26', 'long', '2', ['30220.25', '30231.5'], ['45', '2.6', '42.4']),
      // −4.25 × $5 = −21.25; 0.62 + 0.70 + 0.04 = 1.36; Profit ($22.61).
      trip('Sim101', 'MESU26', 'short', '1', ['6650.75', '6655'], ['-21.25', '1.36', '-22.61']),
      // 6.50 × $2 = 13; 0.78 + 0.48 + 0.04 = 1.30; Profit $11.70.
      trip('Sim102', 'MNQU26', 'short', '1', ['30250.5', '30244'], ['13', '1.3', '11.7']),
    ],
    errors: [
      { line: 3, column: 'Market pos.' },
      { line: 4, column: 'Qty' },
      { line: 4, column: 'Exit time' },
    ],
  },
  {
    format: ninjatraderTradesFormat,
    file: 'trades-fr.csv',
    timezone: 'Europe/Paris',
    fills: 6,
    trips: [
      // 5.25 × $5 = 26.25 − 1.24 = 25.01, the Profit column.
      trip('Sim101', 'MESM26', 'short', '1', ['7200.75', '7195.5'], ['26.25', '1.24', '25.01']),
      // −13.50 × 2 × $2 = −54 − 2.48 = −56.48.
      trip('Sim101', 'MNQM26', 'long', '2', ['27512.25', '27498.75'], ['-54', '2.48', '-56.48']),
      // 53 × 10 × $2 = 1060 − 7.80 = 1052.20.
      trip('Sim101', 'MNQM26', 'long', '10', ['27400', '27453'], ['1060', '7.8', '1052.2']),
    ],
    errors: [
      { line: 3, column: 'Market pos.' },
      { line: 4, column: 'Qty' },
      { line: 4, column: 'Exit time' },
    ],
  },
  {
    format: topstepxTradesFormat,
    file: 'trades.csv',
    fills: 10,
    trips: [
      // 12.50 × 2 × $2 = 50, the PnL column (gross); Fees 1.48.
      trip('default', 'MNQZ25', 'long', '2', ['25810.25', '25822.75'], ['50', '1.48', '48.52']),
      trip('default', 'MNQZ25', 'long', '1', ['25900', '25893.5'], ['-13', '0.74', '-13.74']),
      // 200 × 4 × $0.50 = 400.
      trip('default', 'MYMZ25', 'short', '4', ['46356', '46156'], ['400', '2.96', '397.04']),
      // Two exit rows of one entry: (4 + 8.50) × $5 = 62.50; 0.70 + 0.50 + 0.70.
      trip('default', 'MESZ25', 'long', '2', ['6700.25', '6706.5'], ['62.5', '1.9', '60.6']),
    ],
    errors: [
      { line: 3, column: 'Type' },
      { line: 4, column: 'EntryPrice' },
      { line: 4, column: 'ExitedAt' },
    ],
  },
  {
    format: topstepxOrdersFormat,
    file: 'orders.csv',
    fills: 4,
    trips: [
      // 16.25 × 3 × $2 = 97.50; the Orders export has no fees.
      trip(
        '50KTC-V2-000001-00000001',
        'MNQZ26',
        'long',
        '3',
        ['31246.5', '31262.75'],
        ['97.5', '0', '97.5'],
      ),
      // 6.25 × $5 = 31.25.
      trip(
        '50KTC-V2-000001-00000002',
        'MESZ26',
        'short',
        '1',
        ['6801.25', '6795'],
        ['31.25', '0', '31.25'],
      ),
    ],
    errors: [
      { line: 3, column: 'Side' },
      { line: 3, column: 'ExecutePrice' },
      { line: 4, column: 'Status' },
    ],
  },
]

describe('importing futures platform exports', () => {
  const temp = useTempJournal()

  const trips = () =>
    listTrades(temp.ctx, {}).map((t) => ({
      account: t.account,
      symbol: t.symbol,
      side: t.side,
      status: t.status,
      quantity: t.quantity,
      entry: t.entryPrice,
      exit: t.exitPrice,
      gross: t.grossPnl,
      fees: t.fees,
      net: t.netPnl,
      complete: t.pnlComplete,
    }))

  describe.each(cases.map((c) => [`${c.format.id} ${c.file}`, c] as const))('%s', (_name, c) => {
    const options = { format: c.format, ...(c.timezone ? { timezone: c.timezone } : {}) }

    it('builds the round trips worked out by hand, and adds nothing the second time', () => {
      const result = importFile(temp.ctx, c.file, fixture(c.format, c.file), options)
      expect(result).toMatchObject({
        format: c.format.id,
        status: 'imported',
        fills: c.fills,
        duplicates: 0,
        trades: c.trips.length,
        warnings: [],
        errors: [],
      })
      expect(trips()).toEqual(c.trips.map((t) => ({ ...t, status: 'closed', complete: true })))

      const before = journalContent(temp.journal.sqlite, ['import_batches'])
      const again = importFile(temp.ctx, c.file, fixture(c.format, c.file), options)
      expect(again).toMatchObject({ status: 'imported', fills: 0, duplicates: c.fills })
      expect(journalContent(temp.journal.sqlite, ['import_batches'])).toEqual(before)
    })

    it('rejects the file with bad rows whole, naming line and column', () => {
      const before = journalContent(temp.journal.sqlite)
      const result = importFile(
        temp.ctx,
        'bad-rows.csv',
        fixture(c.format, 'bad-rows.csv'),
        options,
      )
      expect(result).toMatchObject({ status: 'rejected', fills: 0, batchId: null })
      expect(result.errors.map(({ line, column }) => ({ line, column }))).toEqual(c.errors)
      expect(journalContent(temp.journal.sqlite)).toEqual(before)
    })
  })

  it('keeps the fills of an unknown root, flagging its P&L as incomplete', () => {
    const csv = [
      'orderId,Account,B/S,Contract,Product,avgPrice,filledQty,Fill Time,Status',
      '1,ACCT1, Buy,ZZQM6,ZZQ,100.5,1,06/10/2026 09:00:00, Filled',
      '2,ACCT1, Sell,ZZQM6,ZZQ,101,1,06/10/2026 09:05:00, Filled',
    ].join('\n')
    const result = importFile(temp.ctx, 'zz.csv', Buffer.from(csv), {
      format: tradovateOrdersFormat,
    })
    expect(result).toMatchObject({ status: 'imported', fills: 2, errors: [] })
    expect(result.warnings).toEqual([expect.stringMatching(/ZZQM26/)])
    expect(trips()).toMatchObject([{ symbol: 'ZZQM26', status: 'closed', complete: false }])
  })
})
