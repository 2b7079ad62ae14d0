import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { topstepxTradesFormat } from '../../importers/futures/topstepx'
import {
  binanceFormat,
  coinbaseFormat,
  ctraderFormat,
  dasFormat,
  krakenFormat,
  mt4Format,
  mt5Format,
  tradezeroFormat,
} from '../../importers/other'
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
  status: 'open' | 'closed'
  quantity: string
  entry: string
  exit: string | null
  gross: string | null
  fees: string
  net: string | null
}

interface Case {
  format: ImportFormat
  file: string
  fills: number
  /** Round trips in order of opening, worked out by hand. */
  trips: Trip[]
  bad: { file: string; errors: { line: number; column: string }[] }
}

const closed = (
  account: string,
  symbol: string,
  side: 'long' | 'short',
  quantity: string,
  [entry, exit]: [string, string],
  [gross, fees, net]: [string, string, string],
): Trip => ({ account, symbol, side, status: 'closed', quantity, entry, exit, gross, fees, net })

const open = (
  account: string,
  symbol: string,
  quantity: string,
  entry: string,
  fees: string,
): Trip => ({
  account,
  symbol,
  side: 'long',
  status: 'open',
  quantity,
  entry,
  exit: null,
  gross: null,
  fees,
  net: null,
})

const cases: Case[] = [
  {
    format: mt4Format,
    file: 'statement.htm',
    fills: 6,
    trips: [
      // FX in units (lots × 100,000): 0.0035 × 100,000 = 350; commission 7.
      closed('1234567', 'EURUSD', 'long', '100000', ['1.095', '1.0985'], ['350', '7', '343']),
      // −0.004 × 0.5 × 100,000 = −200; commission 3.50 + swap 1.20.
      closed('1234567', 'GBPUSD', 'short', '50000', ['1.27', '1.274'], ['-200', '4.7', '-204.7']),
      // The report does not state gold's contract size (the broker's 103.00 implies 100 oz), so
      // the multiplier is 1 until the user sets it: 10.30 × 0.1 = 1.03.
      closed('1234567', 'GOLD', 'short', '0.1', ['2350.4', '2340.1'], ['1.03', '0', '1.03']),
    ],
    bad: {
      file: 'bad-rows.htm',
      errors: [
        { line: 6, column: 'Open Time' },
        { line: 7, column: 'Price' },
      ],
    },
  },
  {
    format: mt5Format,
    file: 'report.htm',
    fills: 7,
    trips: [
      // 0.0032 × 0.5 × 100,000 = 160; commissions 2.50 + 2.50 + swap 0.08.
      closed('5550001', 'EURUSD', 'long', '50000', ['1.0721', '1.0753'], ['160', '5.08', '154.92']),
      // Contract size not in the report: multiplier 1, 10.30 × 1.
      closed('5550001', 'XAUUSD', 'short', '1', ['2350.4', '2340.1'], ['10.3', '0', '10.3']),
      // The in/out deal (sell 3) closes the long 1 and opens a short 2: 0.001 × 100,000 = 100;
      // fees 5 + 1/3 of 15.
      closed('5550001', 'EURUSD', 'long', '100000', ['1.08', '1.081'], ['100', '10', '90']),
      // 0.002 × 2 × 100,000 = 400; fees 2/3 of 15 + 10 + 0.50.
      closed('5550001', 'EURUSD', 'short', '200000', ['1.081', '1.079'], ['400', '20.5', '379.5']),
    ],
    bad: {
      file: 'bad-rows.htm',
      errors: [
        { line: 6, column: 'Symbol' },
        { line: 7, column: 'Volume' },
      ],
    },
  },
  {
    format: mt5Format,
    file: 'rapporto-posizioni.csv',
    fills: 4,
    trips: [
      // 0.0025 × 0.2 × 100,000 = 50; an EUR account's commission 1.40 EUR × 1.0875 = 1.5225 USD.
      closed(
        '7770001',
        'EURUSD',
        'long',
        '20000',
        ['1.085', '1.0875'],
        ['50', '1.5225', '48.4775'],
      ),
      // 50.50 × 1; commission 2 + swap 0.35.
      closed('7770001', 'GER40', 'short', '1', ['18250.5', '18200'], ['50.5', '2.35', '48.15']),
    ],
    bad: {
      file: 'bad-rows.htm',
      errors: [
        { line: 6, column: 'Symbol' },
        { line: 7, column: 'Volume' },
      ],
    },
  },
  {
    format: ctraderFormat,
    file: 'history.csv',
    fills: 6,
    trips: [
      // 0.0025 × 0.2 × 100,000 = 50; commissions 1.20 (the broker's Net 48.80).
      closed('default', 'EURUSD', 'long', '20000', ['1.085', '1.0875'], ['50', '1.2', '48.8']),
      // 12.20 × 5 × 1 = 61; commissions 0.50 + swap 0.35 (Net 60.15).
      closed('default', 'US500', 'short', '5', ['5512.3', '5500.1'], ['61', '0.85', '60.15']),
      // −0.001 × 0.1 × 100,000 = −10; the 1.90 swap credit is not a fee (the broker's Net −8.10).
      closed('default', 'EURUSD', 'long', '10000', ['1.09', '1.089'], ['-10', '0', '-10']),
    ],
    bad: {
      file: 'bad-rows.csv',
      errors: [
        { line: 3, column: 'Opening Direction' },
        { line: 3, column: 'Entry Price' },
        { line: 4, column: 'Opening Time' },
        { line: 4, column: 'Closing Quantity' },
      ],
    },
  },
  {
    format: tradezeroFormat,
    file: 'trades.csv',
    fills: 5,
    trips: [
      // Cover VWAP (25 × 49.65 + 25 × 49.60) / 50 = 49.625; 50 × 0.255 = 12.75; SEC 0.06 + TAF
      // 0.01, and the 0.20 rebate of the second cover is a credit Blotter leaves out.
      closed('TZ000001', 'RBLX', 'short', '50', ['49.88', '49.625'], ['12.75', '0.07', '12.68']),
      // 50 × 0.43 = 21.50; fees 1.18 + (1.14 − 0.20 rebate).
      closed('TZ000001', 'SQ', 'long', '50', ['82.07', '82.5'], ['21.5', '2.12', '19.38']),
    ],
    bad: {
      file: 'bad-rows.csv',
      errors: [
        { line: 3, column: 'Side' },
        { line: 3, column: 'Qty' },
        { line: 4, column: 'T/D' },
      ],
    },
  },
  {
    format: dasFormat,
    file: '2026-07-20.csv',
    fills: 5,
    trips: [
      // 100 × 1.50; the Trades window has no fees.
      closed('SIM1', 'TSLA', 'long', '100', ['372.5', '374'], ['150', '0', '150']),
      // 50 × 0.50.
      closed('SIM1', 'AMD', 'short', '50', ['142.1', '141.6'], ['25', '0', '25']),
    ],
    bad: {
      file: 'bad-rows-2026-07-21.csv',
      errors: [
        { line: 3, column: 'Side' },
        { line: 4, column: 'Qty' },
        { line: 4, column: 'Time' },
      ],
    },
  },
  {
    format: binanceFormat,
    file: 'trade-history.csv',
    fills: 4,
    trips: [
      // 2 × 2.47 = 4.94; fee 0.22006 USDT (the sell's BNB fee is not counted).
      closed(
        'default',
        'SOL-USDT',
        'long',
        '2',
        ['110.03', '112.5'],
        ['4.94', '0.22006', '4.71994'],
      ),
      // 0.02 × 275 = 5.50; fees 0.00002 BTC × 61,725 = 1.2345 + 1.24.
      closed(
        'default',
        'BTC-USDT',
        'long',
        '0.02',
        ['61725', '62000'],
        ['5.5', '2.4745', '3.0255'],
      ),
    ],
    bad: {
      file: 'bad-rows.csv',
      errors: [
        { line: 3, column: 'Side' },
        { line: 3, column: 'Executed' },
        { line: 4, column: 'Executed' },
      ],
    },
  },
  {
    format: coinbaseFormat,
    file: 'transactions.csv',
    fills: 6,
    trips: [
      // Exit VWAP (0.004 × 61,000 + 0.006 × 61,600) / 0.01 = 61,360; 4 + 9.60 = 13.60;
      // fees 10 + 1.21 + 0.74.
      closed('default', 'BTC-EUR', 'long', '0.01', ['60000', '61360'], ['13.6', '11.95', '1.65']),
      // Bought 0.5 at 2,500 (fee 12.50), converted at 2,600 (fee 10): 0.5 × 100 = 50.
      closed('default', 'ETH-EUR', 'long', '0.5', ['2500', '2600'], ['50', '22.5', '27.5']),
      // The convert's BTC leg: €1,290 net proceeds for 0.02 BTC.
      open('default', 'BTC-EUR', '0.02', '64500', '0'),
    ],
    bad: {
      file: 'bad-rows.csv',
      errors: [
        { line: 5, column: 'Timestamp' },
        { line: 5, column: 'Quantity Transacted' },
      ],
    },
  },
  {
    format: krakenFormat,
    file: 'trades.csv',
    fills: 5,
    trips: [
      // 0.00185 × 946 = 1.7501; fees 0.18 + 0.26.
      closed(
        'default',
        'BTC-EUR',
        'long',
        '0.00185',
        ['54054', '55000'],
        ['1.7501', '0.44', '1.3101'],
      ),
      // XETHZEUR and ETH/EUR are one market: 0.1 × 100 = 10; fees 0.48 + 0.50.
      closed('default', 'ETH-EUR', 'long', '0.1', ['3000', '3100'], ['10', '0.98', '9.02']),
      open('default', 'ETH-BTC', '0.05', '0.0545', '0.00000709'),
    ],
    bad: {
      file: 'bad-rows.csv',
      errors: [
        { line: 3, column: 'type' },
        { line: 4, column: 'time' },
        { line: 4, column: 'vol' },
      ],
    },
  },
]

describe('importing the other brokers’ exports', () => {
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
    }))

  describe.each(cases.map((c) => [`${c.format.id} ${c.file}`, c] as const))('%s', (_name, c) => {
    it('builds the round trips worked out by hand, and adds nothing the second time', () => {
      const result = importFile(temp.ctx, c.file, fixture(c.format, c.file), { format: c.format })
      expect(result).toMatchObject({
        format: c.format.id,
        status: 'imported',
        fills: c.fills,
        duplicates: 0,
        errors: [],
      })
      // Only CFDs, whose contract size no report states, may warn (P&L marked incomplete).
      for (const warning of result.warnings) {
        expect(warning).toMatch(/^No multiplier known for (GOLD|XAUUSD|GER40|US500):/)
      }
      expect(trips()).toEqual(c.trips)

      const before = journalContent(temp.journal.sqlite, ['import_batches'])
      const again = importFile(temp.ctx, c.file, fixture(c.format, c.file), { format: c.format })
      expect(again).toMatchObject({ status: 'imported', fills: 0, duplicates: c.fills })
      expect(journalContent(temp.journal.sqlite, ['import_batches'])).toEqual(before)
    })

    it('rejects the file with bad rows whole, naming line and column', () => {
      const before = journalContent(temp.journal.sqlite)
      const result = importFile(temp.ctx, c.bad.file, fixture(c.format, c.bad.file), {
        format: c.format,
      })
      expect(result).toMatchObject({ status: 'rejected', fills: 0, batchId: null })
      expect(result.errors.map(({ line, column }) => ({ line, column }))).toEqual(c.bad.errors)
      expect(journalContent(temp.journal.sqlite)).toEqual(before)
    })
  })

  it('rejects a DAS file whose name has no date, every row saying why', () => {
    const result = importFile(temp.ctx, 'trades.csv', fixture(dasFormat, 'trades.csv'), {
      format: dasFormat,
    })
    expect(result).toMatchObject({ status: 'rejected', fills: 0 })
    expect(result.errors).toEqual([
      { line: 2, column: 'Time', message: expect.stringContaining('has no date') },
      { line: 3, column: 'Time', message: expect.stringContaining('has no date') },
    ])
  })

  it('reads MetaTrader server time in the --tz zone when the broker runs another clock', () => {
    importFile(temp.ctx, 'statement.htm', fixture(mt4Format, 'statement.htm'), {
      format: mt4Format,
      timezone: 'UTC',
    })
    expect(listTrades(temp.ctx, {})[0]).toMatchObject({
      openedAt: '2026-01-05T09:31:12.000Z',
      closedAt: '2026-01-05T14:20:45.000Z',
    })
  })
})

describe('MetaTrader and cTrader charges in the deposit currency', () => {
  const temp = useTempJournal()

  const trips = () =>
    listTrades(temp.ctx, {}).map((t) =>
      [t.symbol, t.side, t.quantity, t.entryPrice, t.exitPrice, t.grossPnl, t.fees, t.netPnl].join(
        ' ',
      ),
    )

  const uncompared = (account: string, days: string) =>
    `EURAUD (account ${account}): the broker's P&L is in USD, and the file has no exact rate into the fills' currency, so ${days}`
  const leftOut = (rows: string) =>
    `The charges of ${rows} are in USD and the file gives no rate into the pair's quote currency, so they were left out: Blotter's P&L is higher than the broker's by those charges`
  const hedged = (lines: string) =>
    `2 trades (lines ${lines}) overlap: positions of one instrument are open at the same time in opposite directions. Blotter nets each instrument's fills into one position in time order (fills of one instant in file order), so the totals are exact but the P&L is split between these trades differently from the file's rows`

  // Each file's USDJPY round trip: 0.100 × 100,000 = 10,000 JPY, which the broker's Profit of
  // 66.62 USD matches at the closing price (66.62 × 150.1 = 9,999.662, within half a cent ×
  // 150.1 = 0.7505), so no day differs. Its EURAUD round trip: 0.005 × 50,000 = 250 AUD.
  const cases = [
    {
      format: mt4Format,
      file: 'deposit-usd.htm',
      trips: [
        // 7.00 USD × 150.1.
        'USDJPY long 100000 150 150.1 10000 1050.7 8949.3',
        // 4.00 USD at the row's own rate, 250 AUD / 162.00 USD: 6.17 AUD.
        'EURAUD short 50000 1.65 1.645 250 6.17 243.83',
        // Profit 0: no rate, the 0.70 USD is left out.
        'EURAUD long 10000 1.64 1.64 0 0 0',
      ],
      warnings: [
        leftOut('1 row (line 8)'),
        uncompared('880001', "2 days were not compared with Blotter's: 2026-03-03, 2026-03-04"),
      ],
    },
    {
      format: mt5Format,
      file: 'netting-deals-usd.csv',
      trips: [
        // Each deal's 7.00 USD at its own price: 1,050 + 1,050.7.
        'USDJPY long 100000 150 150.1 10000 2100.7 7899.3',
        // Deals show no rate: 1.75 + 2.25 USD left out.
        'EURAUD short 50000 1.65 1.645 250 0 250',
      ],
      warnings: [
        leftOut('2 rows (lines 8, 9)'),
        uncompared('660001', "1 day was not compared with Blotter's: 2026-03-03"),
      ],
    },
    {
      format: mt5Format,
      file: 'hedge-positions-usd.csv',
      trips: [
        // The position's 14.00 USD at its closing price.
        'USDJPY long 100000 150 150.1 10000 2101.4 7898.6',
        'EURAUD short 50000 1.65 1.645 250 6.17 243.83',
        // Tickets +300 and +100 (fees 7 each) overlap: netted, the short's opening closes the
        // long (+500, no fee), and the long's close opens a short the other's close ends (−100,
        // fees 14). 400 and 14 in total, as the broker.
        'EURUSD long 100000 1.1 1.105 500 0 500',
        'EURUSD short 100000 1.103 1.104 -100 14 -114',
      ],
      warnings: [
        hedged('7, 8'),
        uncompared('550001', "1 day was not compared with Blotter's: 2026-03-03"),
      ],
    },
    {
      format: ctraderFormat,
      file: 'deposit-usd.csv',
      trips: [
        'USDJPY long 100000 150 150.1 10000 2101.4 7898.6',
        'EURAUD short 50000 1.65 1.645 250 6.17 243.83',
        'EURUSD long 100000 1.1 1.105 500 0 500',
        'EURUSD short 100000 1.103 1.104 -100 14 -114',
      ],
      warnings: [
        hedged('2, 3'),
        uncompared('default', "1 day was not compared with Blotter's: 2026-03-03"),
      ],
    },
  ]

  it.each(cases.map((c) => [`${c.format.id} ${c.file}`, c] as const))(
    '%s: fees in the quote currency, no false differences',
    (_name, c) => {
      const result = importFile(temp.ctx, c.file, fixture(c.format, c.file), { format: c.format })
      expect(result).toMatchObject({ status: 'imported', errors: [], reconciliation: [] })
      expect(result.warnings).toEqual(c.warnings)
      expect(trips()).toEqual(c.trips)
    },
  )

  it('still reports a real difference, in the fills’ currency, saying it was converted', () => {
    const text = fixture(mt4Format, 'deposit-usd.htm').toString('utf8').replace('66.62', '60.00')
    const result = importFile(temp.ctx, 'deposit-usd.htm', Buffer.from(text), { format: mt4Format })
    // 60.00 USD × 150.1 = 9,006 JPY against Blotter's 10,000.
    expect(result.reconciliation).toEqual([
      {
        account: '880001',
        symbol: 'USDJPY',
        date: '2026-03-02',
        basis: 'gross',
        broker: '9006',
        blotter: '10000',
        difference: '994',
      },
    ])
    expect(result.warnings).toContain(
      "USDJPY (account 880001): the broker's P&L is in USD; its differences show it converted into the fills' currency at each closing deal's price",
    )
  })
})

describe('trade-level rows the netting engine cuts differently', () => {
  const temp = useTempJournal()

  const trips = () =>
    listTrades(temp.ctx, {}).map((t) =>
      [t.symbol, t.side, t.entryPrice, t.exitPrice, t.grossPnl, t.fees, t.netPnl].join(' '),
    )

  it('nets an MT4 hedge into other trades with the same totals, and says so once', () => {
    const result = importFile(temp.ctx, 'hedged.htm', fixture(mt4Format, 'hedged.htm'), {
      format: mt4Format,
    })
    expect(result).toMatchObject({ status: 'imported', fills: 6, reconciliation: [] })
    expect(result.warnings).toEqual([expect.stringMatching(/^2 trades \(lines 5, 6\) overlap/)])
    // The broker's tickets: +300 and +100 (fees 7 each) on March 2, +100 (fee 7) on March 3.
    expect(trips()).toEqual([
      'EURUSD long 1.1 1.105 500 0 500',
      'EURUSD short 1.103 1.104 -100 14 -114',
      'EURUSD long 1.1 1.101 100 7 93',
    ])
  })

  it('warns when a newest-first TopstepX file enters a trade in the second the last one exits', () => {
    const result = importFile(
      temp.ctx,
      'newest-first.csv',
      fixture(topstepxTradesFormat, 'newest-first.csv'),
      { format: topstepxTradesFormat },
    )
    expect(result).toMatchObject({ status: 'imported', fills: 4, reconciliation: [] })
    expect(result.warnings).toEqual([
      "2 trades (lines 2, 3) overlap: a trade opens at the instant another of the same instrument closes, above it in the file. Blotter nets each instrument's fills into one position in time order (fills of one instant in file order), so the totals are exact but the P&L is split between these trades differently from the file's rows",
    ])
    // The broker: long +20 and short +20, fees 0.74 each. Line 2's entry (a sell) is read before
    // line 3's exit at 09:30:05, so it closes the long at 25,010 and the exit opens a short.
    expect(trips()).toEqual([
      'MNQZ25 long 24990 25010 40 0 40',
      'MNQZ25 short 25000 25000 0 1.48 -1.48',
    ])
  })
})
