import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { formatDecimal } from '../../core/decimal'
import { toIsoUtc } from '../../core/time'
import { parseRoundedNumber } from '../../importers/other/common'
import { dateFromFileName } from '../../importers/other/das'
import { htmlTableRows } from '../../importers/other/html'
import { otherFormats } from '../../importers/other'
import { krakenPair } from '../../importers/other/kraken'
import { decodeFile } from '../../importers/sniff'
import { TradeOverlaps } from '../../importers/trade-overlaps'
import {
  isParseWarning,
  isRowError,
  type ImportFormat,
  type ParsedFill,
  type ParseOptions,
  type RowError,
} from '../../importers/types'

const fixtures = join(process.cwd(), 'test/fixtures')
const formatOf = (id: string): ImportFormat => {
  const format = otherFormats.find((candidate) => candidate.id === id)
  if (!format) throw new Error(`no format ${id}`)
  return format
}
const textOf = (dir: string, file: string) =>
  decodeFile(readFileSync(join(fixtures, dir, file))).text

function parse(id: string, file: string, options: Partial<ParseOptions> = {}) {
  const format = formatOf(id)
  const items = [
    ...format.parse(textOf(id, file), {
      timezone: format.defaultTimezone,
      fileName: file,
      ...options,
    }),
  ]
  const fills = items.filter(
    (item): item is ParsedFill => !isRowError(item) && !isParseWarning(item),
  )
  const errors = items.filter((item): item is RowError => isRowError(item))
  const warnings = items.filter(isParseWarning).map((item) => item.warning)
  return { fills, errors, warnings, lines: fills.map(fillLine) }
}

/** One fill as a line: `line side quantity symbol @ price fee F time id=… order=…`. */
function fillLine(fill: ParsedFill): string {
  return [
    fill.line,
    fill.side,
    formatDecimal(fill.quantity),
    fill.instrument.symbol,
    '@',
    formatDecimal(fill.price),
    'fee',
    formatDecimal(fill.fee),
    toIsoUtc(fill.executedAt),
    `id=${fill.brokerExecutionId ?? '-'}`,
    `order=${fill.brokerOrderId ?? '-'}`,
  ].join(' ')
}

/** `amount basis`, then ` in CUR at rate` (or ` in CUR, no rate`) when not in the fill's currency. */
const pnl = (fill: ParsedFill | undefined) => {
  if (!fill?.brokerPnl) return null
  const { amount, net, conversion } = fill.brokerPnl
  const converted = !conversion
    ? ''
    : conversion.rate === null
      ? ` in ${conversion.currency}, no rate`
      : ` in ${conversion.currency} at ${formatDecimal(conversion.rate)}`
  return `${formatDecimal(amount)} ${net ? 'net' : 'gross'}${converted}`
}

const multiplier = (fill: ParsedFill | undefined) =>
  fill?.instrument.multiplier == null ? null : formatDecimal(fill.instrument.multiplier)

describe('detection', () => {
  const owners = otherFormats.map((format) => format.id)
  const cases = [...owners, 'blotter'].flatMap((dir) =>
    readdirSync(join(fixtures, dir)).map((file) => ({ dir, file })),
  )

  it.each(cases)('$dir/$file is claimed by its own format only', ({ dir, file }) => {
    const text = textOf(dir, file)
    for (const format of otherFormats) {
      const score = format.detect(text)
      if (format.id === dir) expect(score, format.id).toBeGreaterThanOrEqual(0.9)
      else expect(score, format.id).toBeLessThan(0.5)
    }
  })
})

describe('HTML table rows', () => {
  it('drops hidden cells, spreads colspans, decodes entities and keeps line numbers', () => {
    const html = [
      '<table><style>td { color: red }</style>',
      '<tr><th colspan="3"><b>Deals</b></th></tr>',
      '<!-- <tr><td>commented out</td></tr> -->',
      '<tr align="right"><td>1</td><td class="hidden" colspan="8">x</td>',
      '<td colspan=2>4&nbsp;182.78</td><td>a &amp; b<br>c</td></tr>',
      '<tr><td>no closing tags<td>second',
      '</table>',
    ].join('\n')
    expect([...htmlTableRows(html)].map(({ line, cells }) => ({ line, cells }))).toEqual([
      { line: 2, cells: ['Deals', '', ''] },
      { line: 4, cells: ['1', '4 182.78', '', 'a & b c'] },
      { line: 6, cells: ['no closing tags', 'second'] },
    ])
  })
})

describe('mt4-html', () => {
  it('reads Closed Transactions as round trips in server time, skipping balance, cancelled, total and open rows', () => {
    const { lines, fills, errors, warnings } = parse('mt4-html', 'statement.htm')
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    // Server time Europe/Helsinki: UTC+2 in January, UTC+3 in July.
    expect(lines).toEqual([
      '27 buy 100000 EURUSD @ 1.095 fee 0 2026-01-05T07:31:12.000Z id=50001001:open order=-',
      '27 sell 100000 EURUSD @ 1.0985 fee 7 2026-01-05T12:20:45.000Z id=50001001:close order=-',
      '28 sell 50000 GBPUSD @ 1.27 fee 0 2026-01-06T21:10:00.000Z id=50001002:open order=-',
      // Commission 3.50 + swap 1.20.
      '28 buy 50000 GBPUSD @ 1.274 fee 4.7 2026-01-08T08:00:00.000Z id=50001002:close order=-',
      '29 sell 0.1 GOLD @ 2350.4 fee 0 2026-07-14T07:05:00.000Z id=50001003:open order=-',
      '29 buy 0.1 GOLD @ 2340.1 fee 0 2026-07-14T08:15:30.000Z id=50001003:close order=-',
    ])
    expect(fills.every((fill) => fill.isDerived && fill.account === '1234567')).toBe(true)
    expect(fills.every((fill) => fill.sourceTimezone === 'Europe/Helsinki')).toBe(true)
    expect(fills.map(pnl)).toEqual([null, '350 gross', null, '-200 gross', null, '103 gross'])
    expect(fills[0]?.instrument).toMatchObject({ assetClass: 'forex' })
    expect(fills.map((fill) => [fill.currency, multiplier(fill)])).toEqual([
      // FX in units with multiplier 1 (the service's default), as every format counts it.
      ['USD', null],
      ['USD', null],
      ['USD', null],
      ['USD', null],
      // A CFD's currency is not in the report: the deposit currency, which its charges are in.
      ['USD', null],
      ['USD', null],
    ])
    expect(fills[4]?.instrument.assetClass).toBe('cfd')
    expect(fills[0]?.raw).toMatch(/^<tr align=right><td title="#50001001">50001001<\/td>/)
  })

  it('reads the broker variant (A/C No, Lots, Symbol, Commis, Trade P/L, Comment, no seconds)', () => {
    const { lines, fills, errors, warnings } = parse('mt4-html', 'statement-variant.htm')
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    expect(lines).toEqual([
      '7 sell 30000 USDJPY.A @ 150.25 fee 0 2026-03-02T07:31:00.000Z id=60002001:open order=-',
      '7 buy 30000 USDJPY.A @ 149.8 fee 0 2026-03-04T09:02:00.000Z id=60002001:close order=-',
      '8 buy 2 US30 @ 38950.5 fee 0 2026-03-05T14:45:00.000Z id=60002002:open order=-',
      '8 sell 2 US30 @ 39012 fee 4 2026-03-05T15:10:00.000Z id=60002002:close order=-',
    ])
    expect(fills[0]).toMatchObject({ account: '2345678', currency: 'JPY' })
    // Swap credit 3.60 exceeds the 2.10 commission: fee 0, the credit noted (USD, the deposit).
    expect(fills[1]?.note).toBe(
      '[tp]; Commission + Taxes + Swap come to a net credit of 1.50 USD, not counted (fees cannot be negative)',
    )
    // USD is the pair's base: the broker's USD figure compares at the closing price.
    expect(pnl(fills[1])).toBe('90.05 gross in USD at 149.8')
    expect(fills[3]).toMatchObject({ currency: 'USD', fee: 4n * 100_000_000n })
    expect(fills[3]?.note).toBe('from #60001999')
  })

  it('names the line and column of bad rows', () => {
    const { lines, errors } = parse('mt4-html', 'bad-rows.htm')
    expect(lines).toHaveLength(2)
    expect(errors).toEqual([
      { line: 6, column: 'Open Time', message: expect.stringContaining("'2026.13.05 09:31:12'") },
      { line: 7, column: 'Price', message: expect.stringContaining('"1.09x00"') },
    ])
  })

  it('books a USD account’s charges in each pair’s quote currency', () => {
    const { lines, fills, errors, warnings } = parse('mt4-html', 'deposit-usd.htm')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '6 buy 100000 USDJPY @ 150 fee 0 2026-03-02T08:00:00.000Z id=80001:open order=-',
      // USD is the base: 7.00 USD × 150.100 = 1050.7 JPY, exact.
      '6 sell 100000 USDJPY @ 150.1 fee 1050.7 2026-03-02T09:00:00.000Z id=80001:close order=-',
      '7 sell 50000 EURAUD @ 1.65 fee 0 2026-03-03T07:00:00.000Z id=80002:open order=-',
      // A cross: gross 0.005 × 50,000 = 250 AUD is Profit 162.00 USD, the broker's own rate, so
      // 3.50 + 0.50 = 4.00 USD = 4 × 250 / 162 = 6.1728… → 6.17 AUD.
      '7 buy 50000 EURAUD @ 1.645 fee 6.17 2026-03-03T13:00:00.000Z id=80002:close order=-',
      '8 buy 10000 EURAUD @ 1.64 fee 0 2026-03-04T08:00:00.000Z id=80003:open order=-',
      // Profit 0: no rate, so the 0.70 USD is left out.
      '8 sell 10000 EURAUD @ 1.64 fee 0 2026-03-04T08:30:00.000Z id=80003:close order=-',
    ])
    expect(fills.map((fill) => fill.currency)).toEqual(['JPY', 'JPY', 'AUD', 'AUD', 'AUD', 'AUD'])
    expect(fills.map(pnl)).toEqual([
      null,
      '66.62 gross in USD at 150.1',
      null,
      '162 gross in USD, no rate',
      null,
      '0 gross in USD, no rate',
    ])
    expect(fills[3]?.note).toBe(
      "Commission + Taxes + Swap of 4.00 USD converted at the broker's own rate for this row (its gross, 250.00 AUD, is 162.00 USD), to the cent",
    )
    expect(fills[5]?.note).toBe(
      'Commission + Taxes + Swap of 0.70 USD left out: the row gives no USD to AUD rate',
    )
    expect(warnings).toEqual([
      "The charges of 1 row (line 8) are in USD and the file gives no rate into the pair's quote currency, so they were left out: Blotter's P&L is higher than the broker's by those charges",
    ])
  })

  it('warns once about hedged tickets the engine nets', () => {
    const { lines, warnings } = parse('mt4-html', 'hedged.htm')
    expect(lines).toHaveLength(6)
    expect(warnings).toEqual([
      "2 trades (lines 5, 6) overlap: positions of one instrument are open at the same time in opposite directions. Blotter nets each instrument's fills into one position in time order (fills of one instant in file order), so the totals are exact but the P&L is split between these trades differently from the file's rows",
    ])
  })

  it('says when the report does not name its deposit currency', () => {
    const { warnings } = parse('mt4-html', 'bad-rows.htm')
    expect(warnings).toEqual([
      expect.stringMatching(/^The file does not name the account's deposit currency/),
    ])
  })

  it('reports a file without Closed Transactions on line 1', () => {
    const items = [
      ...formatOf('mt4-html').parse('<table><tr><td>x</td></tr></table>', {
        timezone: 'UTC',
        fileName: 'x.htm',
      }),
    ]
    expect(items).toEqual([
      {
        line: 1,
        column: null,
        message: expect.stringMatching(/no Closed Transactions \(Ticket, Open Time/),
      },
    ])
  })
})

describe('mt5-html', () => {
  it('decodes the UTF-16LE report and prefers Deals (real fills with Deal ids) over Positions', () => {
    const bytes = readFileSync(join(fixtures, 'mt5-html/report.htm'))
    expect(decodeFile(bytes)).toMatchObject({ encoding: 'utf-16le', hadBom: true })
    const { lines, fills, errors } = parse('mt5-html', 'report.htm')
    expect(errors).toEqual([])
    // July: EEST, UTC+3. Hidden cells dropped; balance and subtotal rows skipped.
    expect(lines).toEqual([
      '41 buy 50000 EURUSD @ 1.0721 fee 2.5 2026-07-01T07:15:30.000Z id=70000002 order=80000002',
      // Commission 2.50 + swap 0.08 ("- 0.08").
      '42 sell 50000 EURUSD @ 1.0753 fee 2.58 2026-07-01T09:40:05.000Z id=70000003 order=80000003',
      '43 sell 1 XAUUSD @ 2350.4 fee 0 2026-07-02T06:00:00.000Z id=70000004 order=80000004',
      '44 buy 1 XAUUSD @ 2340.1 fee 0 2026-07-02T08:30:00.000Z id=70000005 order=80000005',
      '45 buy 100000 EURUSD @ 1.08 fee 5 2026-07-03T07:00:00.000Z id=70000006 order=80000006',
      '46 sell 300000 EURUSD @ 1.081 fee 15 2026-07-03T08:00:00.000Z id=70000007 order=80000007',
      // Commission 10 + fee 0.50.
      '47 buy 200000 EURUSD @ 1.079 fee 10.5 2026-07-03T12:30:00.000Z id=70000008 order=80000008',
    ])
    expect(fills.every((fill) => !fill.isDerived && fill.account === '5550001')).toBe(true)
    // Profit of out and in/out deals is the broker's gross P&L; space thousands read.
    expect(fills.map(pnl)).toEqual([
      null,
      '160 gross',
      null,
      '1030 gross',
      null,
      '100 gross',
      '400 gross',
    ])
    expect(fills[1]?.note).toBe('[tp 1.07530]')
    expect(fills[2]?.instrument).toMatchObject({ symbol: 'XAUUSD', assetClass: 'cfd' })
  })

  it('falls back to Positions in a localised (Italian) CSV copy with decimal commas', () => {
    const { lines, fills, errors, warnings } = parse('mt5-html', 'rapporto-posizioni.csv')
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    // March: EET, UTC+2.
    expect(lines).toEqual([
      '8 buy 20000 EURUSD @ 1.085 fee 0 2026-03-10T08:00:00.000Z id=1234567:open order=-',
      // An EUR account: commission 1.40 EUR × 1.0875 = 1.5225 USD.
      '8 sell 20000 EURUSD @ 1.0875 fee 1.5225 2026-03-10T14:45:10.000Z id=1234567:close order=-',
      '9 sell 1 GER40 @ 18250.5 fee 0 2026-03-11T07:30:00.000Z id=1234570:open order=-',
      '9 buy 1 GER40 @ 18200 fee 2.35 2026-03-11T09:00:00.000Z id=1234570:close order=-',
    ])
    expect(fills.every((fill) => fill.isDerived && fill.account === '7770001')).toBe(true)
    expect(fills.map((fill) => fill.currency)).toEqual(['USD', 'USD', 'EUR', 'EUR'])
    expect(fills.map(pnl)).toEqual([null, '45.98 gross in EUR at 1.0875', null, '50.5 gross'])
  })

  it('reads a Netting account’s Deals in a USD account: USDJPY converted, EURAUD charges left out', () => {
    const { lines, fills, errors, warnings } = parse('mt5-html', 'netting-deals-usd.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      // Each deal's commission at its own price: 7 × 150 and 7 × 150.1.
      '6 buy 100000 USDJPY @ 150 fee 1050 2026-03-02T08:00:00.000Z id=1001 order=2001',
      '7 sell 100000 USDJPY @ 150.1 fee 1050.7 2026-03-02T09:00:00.000Z id=1002 order=2002',
      // A deal has no gross of its own to show the broker's USD/AUD rate.
      '8 sell 50000 EURAUD @ 1.65 fee 0 2026-03-03T07:00:00.000Z id=1003 order=2003',
      '9 buy 50000 EURAUD @ 1.645 fee 0 2026-03-03T13:00:00.000Z id=1004 order=2004',
    ])
    expect(fills.map(pnl)).toEqual([
      null,
      '66.62 gross in USD at 150.1',
      null,
      '162 gross in USD, no rate',
    ])
    expect(fills[3]?.note).toBe(
      'Commission + Fee + Swap of 2.25 USD left out: the row gives no USD to AUD rate',
    )
    expect(warnings).toEqual([
      "The charges of 2 rows (lines 8, 9) are in USD and the file gives no rate into the pair's quote currency, so they were left out: Blotter's P&L is higher than the broker's by those charges",
    ])
  })

  it('reads a Hedge account’s Positions, not its Deals, and warns about overlapping ones', () => {
    const { lines, fills, errors, warnings } = parse('mt5-html', 'hedge-positions-usd.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '5 buy 100000 USDJPY @ 150 fee 0 2026-03-02T08:00:00.000Z id=501:open order=-',
      // The position's 14.00 USD at its closing price: 14 × 150.1.
      '5 sell 100000 USDJPY @ 150.1 fee 2101.4 2026-03-02T09:00:00.000Z id=501:close order=-',
      '6 sell 50000 EURAUD @ 1.65 fee 0 2026-03-03T07:00:00.000Z id=502:open order=-',
      '6 buy 50000 EURAUD @ 1.645 fee 6.17 2026-03-03T13:00:00.000Z id=502:close order=-',
      '7 buy 100000 EURUSD @ 1.1 fee 0 2026-03-05T08:00:00.000Z id=503:open order=-',
      '7 sell 100000 EURUSD @ 1.103 fee 7 2026-03-05T10:00:00.000Z id=503:close order=-',
      '8 sell 100000 EURUSD @ 1.105 fee 0 2026-03-05T09:00:00.000Z id=504:open order=-',
      '8 buy 100000 EURUSD @ 1.104 fee 7 2026-03-05T11:00:00.000Z id=504:close order=-',
    ])
    expect(fills.map(pnl)).toEqual([
      null,
      '66.62 gross in USD at 150.1',
      null,
      '162 gross in USD, no rate',
      null,
      '300 gross',
      null,
      '100 gross',
    ])
    expect(warnings).toEqual([
      "2 trades (lines 7, 8) overlap: positions of one instrument are open at the same time in opposite directions. Blotter nets each instrument's fills into one position in time order (fills of one instant in file order), so the totals are exact but the P&L is split between these trades differently from the file's rows",
    ])
  })

  it('warns about a Hedge account read from Deals alone when positions overlap', () => {
    const { lines, warnings } = parse('mt5-html', 'hedge-deals-only.csv')
    expect(lines).toHaveLength(4)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^1 deal \(line 6\) of this Hedge account open a position while one of the same symbol in the other direction is open/,
      ),
    ])
  })

  it('names the line and column of bad deals', () => {
    const { lines, errors } = parse('mt5-html', 'bad-rows.htm')
    expect(lines).toHaveLength(1)
    expect(errors).toEqual([
      { line: 6, column: 'Symbol', message: 'Symbol is empty' },
      { line: 7, column: 'Volume', message: 'Volume "-1" must be greater than 0' },
    ])
  })
})

describe('ctrader', () => {
  it('reads History rows as round trips: lots, day-first times with milliseconds, Gross as the broker P&L', () => {
    const { lines, fills, errors, warnings } = parse('ctrader', 'history.csv')
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    expect(lines).toEqual([
      '2 buy 20000 EURUSD @ 1.085 fee 0 2026-03-15T10:00:00.000Z id=40012345:open order=-',
      '2 sell 20000 EURUSD @ 1.0875 fee 1.2 2026-03-15T11:30:15.250Z id=40012345:close order=-',
      '3 sell 5 US500 @ 5512.3 fee 0 2026-03-16T14:00:00.000Z id=40012346:open order=-',
      // Commissions 0.50 + swap 0.35.
      '3 buy 5 US500 @ 5500.1 fee 0.85 2026-03-16T15:10:00.000Z id=40012346:close order=-',
      '4 buy 10000 EURUSD @ 1.09 fee 0 2026-03-17T09:00:00.000Z id=40012347:open order=-',
      '4 sell 10000 EURUSD @ 1.089 fee 0 2026-03-19T09:05:00.000Z id=40012347:close order=-',
    ])
    expect(fills.map(pnl)).toEqual([null, '50 gross', null, '61 gross', null, '-10 gross'])
    expect(fills[0]).toMatchObject({ account: null, isDerived: true, sourceTimezone: 'UTC' })
    expect(multiplier(fills[0])).toBeNull() // FX in units: the default multiplier 1
    expect(fills[2]?.instrument).toMatchObject({ assetClass: 'cfd', multiplier: null })
    expect(fills[3]?.note).toBe('breakout')
    expect(fills[5]?.note).toBe(
      'carry; Commissions + Swap come to a net credit of 1.90 USD, not counted (fees cannot be negative)',
    )
  })

  it('reads another column set: the header offset (UTC+2), units as lots for FX pairs, Net as the P&L', () => {
    const { lines, fills, errors, warnings } = parse('ctrader', 'history-units.csv')
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    // An EUR account trading two crosses: each fee is converted at the rate the row's own Net
    // implies. GBPUSD: gross 0.001 × 20,000 = 20 USD is Net 17.62 + commission 0.80 = 18.42 EUR,
    // so 0.80 EUR = 0.80 × 20 / 18.42 = 0.8686… → 0.87 USD. USDJPY: 0.30 × 100,000 = 30,000 JPY
    // is 179.50 + 3.00 = 182.50 EUR, so 3.00 EUR = 3 × 30,000 / 182.50 = 493.1506… → 493.15 JPY.
    expect(lines).toEqual([
      '2 sell 20000 GBPUSD @ 1.265 fee 0 2026-04-02T07:15:00.000Z id=- order=-',
      '2 buy 20000 GBPUSD @ 1.264 fee 0.87 2026-04-02T07:45:00.000Z id=- order=-',
      '3 buy 100000 USDJPY @ 151.2 fee 0 2026-04-02T08:00:00.000Z id=- order=-',
      '3 sell 100000 USDJPY @ 151.5 fee 493.15 2026-04-02T11:30:00.000Z id=- order=-',
    ])
    expect(fills[1]?.note).toBe(
      "Commissions + Swap of 0.80 EUR converted at the broker's own rate for this row (its gross, 20.00 USD, is 18.42 EUR), to the cent",
    )
    // The broker's EUR figures have no exact rate into USD or JPY: not compared.
    expect(fills.map(pnl)).toEqual([
      null,
      '17.62 net in EUR, no rate',
      null,
      '179.5 net in EUR, no rate',
    ])
    expect(fills[0]?.sourceTimezone).toBe('UTC')
  })

  it('books a USD account’s charges in the quote currency and warns about hedged rows', () => {
    const { lines, fills, errors, warnings } = parse('ctrader', 'deposit-usd.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '2 sell 100000 EURUSD @ 1.105 fee 0 2026-03-05T11:00:00.000Z id=50004:open order=-',
      '2 buy 100000 EURUSD @ 1.104 fee 7 2026-03-05T13:00:00.000Z id=50004:close order=-',
      '3 buy 100000 EURUSD @ 1.1 fee 0 2026-03-05T10:00:00.000Z id=50003:open order=-',
      '3 sell 100000 EURUSD @ 1.103 fee 7 2026-03-05T12:00:00.000Z id=50003:close order=-',
      '4 sell 50000 EURAUD @ 1.65 fee 0 2026-03-03T09:00:00.000Z id=50002:open order=-',
      // Gross 250 AUD = 162.00 USD: 4.00 USD × 250 / 162 = 6.1728… → 6.17 AUD.
      '4 buy 50000 EURAUD @ 1.645 fee 6.17 2026-03-03T15:00:00.000Z id=50002:close order=-',
      '5 buy 100000 USDJPY @ 150 fee 0 2026-03-02T10:00:00.000Z id=50001:open order=-',
      // 14.00 USD × 150.100 = 2101.4 JPY.
      '5 sell 100000 USDJPY @ 150.1 fee 2101.4 2026-03-02T11:00:00.000Z id=50001:close order=-',
    ])
    expect(fills.map(pnl)).toEqual([
      null,
      '100 gross',
      null,
      '300 gross',
      null,
      '162 gross in USD, no rate',
      null,
      '66.62 gross in USD at 150.1',
    ])
    expect(warnings).toEqual([
      "2 trades (lines 2, 3) overlap: positions of one instrument are open at the same time in opposite directions. Blotter nets each instrument's fills into one position in time order (fills of one instant in file order), so the totals are exact but the P&L is split between these trades differently from the file's rows",
    ])
  })

  it('reads naive times in the --tz zone', () => {
    const { lines } = parse('ctrader', 'history.csv', { timezone: 'Europe/Berlin' })
    expect(lines[0]).toContain('2026-03-15T09:00:00.000Z')
  })

  it('names the line and column of bad rows', () => {
    const { lines, errors } = parse('ctrader', 'bad-rows.csv')
    expect(lines).toHaveLength(2)
    expect(errors).toEqual([
      {
        line: 3,
        column: 'Opening Direction',
        message: 'Opening Direction "Hold" must be Buy or Sell',
      },
      { line: 3, column: 'Entry Price', message: 'Entry Price: "abc" is not a number' },
      {
        line: 4,
        column: 'Opening Time',
        message: expect.stringContaining("'31/02/2026 12:00:00.000'"),
      },
      {
        line: 4,
        column: 'Closing Quantity',
        message: 'Closing Quantity "0 Lots" must be greater than 0',
      },
    ])
  })
})

describe('trade overlaps', () => {
  const trade = (line: number, long: boolean, openedAt: number, closedAt: number) => ({
    line,
    long,
    openedAt,
    closedAt,
  })

  it('finds opposite trades open together, whatever their order in the file', () => {
    const overlaps = new TradeOverlaps()
    overlaps.add('EURUSD', trade(2, true, 10, 20))
    overlaps.add('EURUSD', trade(3, true, 12, 14)) // same direction: one position, as the broker
    overlaps.add('EURUSD', trade(4, false, 19, 30))
    overlaps.add('EURUSD', trade(5, false, 30, 40)) // starts as line 4 ends, below it: in order
    overlaps.add('GBPUSD', trade(6, false, 15, 16)) // another instrument
    expect(overlaps.warning()?.warning).toMatch(/^2 trades \(lines 2, 4\) overlap: positions/)
  })

  it('finds a trade that opens as another closes but stands above it in the file', () => {
    const overlaps = new TradeOverlaps()
    overlaps.add('MNQ', trade(2, false, 20, 30))
    overlaps.add('MNQ', trade(3, true, 10, 20))
    overlaps.add('MNQ', trade(4, true, 5, 5)) // opens and closes at once: its own row
    expect(overlaps.warning()?.warning).toMatch(
      /^2 trades \(lines 2, 3\) overlap: a trade opens at the instant another of the same instrument closes, above it in the file\./,
    )
  })

  it('is silent about trades the engine cuts as the file does', () => {
    const overlaps = new TradeOverlaps()
    overlaps.add('MNQ', trade(2, true, 10, 20))
    overlaps.add('MNQ', trade(3, false, 20, 30))
    expect(overlaps.warning()).toBeNull()
  })
})

describe('tradezero', () => {
  it('joins T/D and Exec Time in New York time and nets the ECN rebate into the fee', () => {
    const { lines, fills, errors } = parse('tradezero', 'trades.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      // SEC 0.06 + TAF 0.01.
      '2 sell 50 RBLX @ 49.88 fee 0.07 2022-08-08T13:47:59.000Z id=- order=-',
      '3 buy 25 RBLX @ 49.65 fee 0 2022-08-08T13:48:22.000Z id=- order=-',
      '4 buy 25 RBLX @ 49.6 fee 0 2022-08-08T13:49:01.000Z id=- order=-',
      // Comm 0.99 + NSCC 0.03 + Nasdaq 0.01 + ECN Remove 0.15.
      '5 buy 50 SQ @ 82.07 fee 1.18 2022-08-08T14:09:21.000Z id=- order=-',
      // 0.99 + 0.10 + 0.01 + 0.03 + 0.01 − (0.20).
      '6 sell 50 SQ @ 82.5 fee 0.94 2022-08-08T14:30:00.000Z id=- order=-',
    ])
    expect(fills[0]).toMatchObject({
      account: 'TZ000001',
      currency: 'USD',
      sourceTimezone: 'America/New_York',
      isDerived: false,
      instrument: { assetClass: 'stock', multiplier: null },
    })
    expect(fills[2]?.note).toBe(
      'Fees (ECN Add rebate included) come to a net credit of 0.20, not counted (fees cannot be negative)',
    )
  })

  it('reads M/D/YY dates, pre-market H:MM:SS times and several accounts', () => {
    const { lines, fills, errors } = parse('tradezero', 'trades-2026.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '2 buy 100 HCAI @ 11.02 fee 1.03 2026-04-30T11:35:46.000Z id=- order=-',
      '3 buy 200 HCAI @ 11.05 fee 1.03 2026-04-30T11:36:10.000Z id=- order=-',
      // 0.99 + 0.03 + 0.02 + 0.03 + 0.01 − 0.25.
      '4 sell 100 HCAI @ 11.4 fee 0.83 2026-04-30T13:45:02.000Z id=- order=-',
    ])
    expect(fills.map((fill) => fill.account)).toEqual(['TZ000002', 'TZ000003', 'TZ000002'])
  })

  it('names the line and column of bad rows (a masked quantity among them)', () => {
    const { lines, errors } = parse('tradezero', 'bad-rows.csv')
    expect(lines).toHaveLength(1)
    expect(errors).toEqual([
      { line: 3, column: 'Side', message: 'Side "X" must be B, S, SS or BC' },
      { line: 3, column: 'Qty', message: 'Qty: "****" is not a number' },
      { line: 4, column: 'T/D', message: expect.stringContaining("'13/08/2022'") },
    ])
  })
})

describe('das', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('takes the date from a YYYY-MM-DD file name and reads times in New York time', () => {
    const { lines, fills, errors } = parse('das', '2026-07-20.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '2 buy 100 TSLA @ 372.5 fee 0 2026-07-20T13:31:05.000Z id=- order=C1',
      '3 sell 60 TSLA @ 374 fee 0 2026-07-20T13:45:10.000Z id=- order=C2',
      '4 sell 40 TSLA @ 374 fee 0 2026-07-20T13:45:10.000Z id=- order=C2',
      '5 sell 50 AMD @ 142.1 fee 0 2026-07-20T15:05:00.000Z id=- order=C6',
      '6 buy 50 AMD @ 141.6 fee 0 2026-07-20T15:20:30.000Z id=- order=C7',
    ])
    expect(fills[0]).toMatchObject({ account: 'SIM1', sourceTimezone: 'America/New_York' })
  })

  it('reads July20.csv (the other header variant) as the latest July 20 up to today', () => {
    vi.setSystemTime(new Date('2026-08-01T12:00:00Z'))
    expect(parse('das', 'July20.csv').lines).toEqual([
      '2 buy 20 NVDA @ 181.25 fee 0 2026-07-20T13:58:01.000Z id=- order=C11',
      '3 sell 20 NVDA @ 182 fee 0 2026-07-20T14:02:44.000Z id=- order=C12',
    ])
    vi.setSystemTime(new Date('2026-07-19T12:00:00Z'))
    expect(parse('das', 'July20.csv').lines[0]).toContain('2025-07-20T13:58:01.000Z')
  })

  it('makes every row an error when the file name has no date', () => {
    const { lines, errors } = parse('das', 'trades.csv')
    expect(lines).toEqual([])
    expect(errors).toEqual([
      { line: 2, column: 'Time', message: expect.stringContaining('"trades.csv" has no date') },
      { line: 3, column: 'Time', message: expect.stringContaining('"trades.csv" has no date') },
    ])
  })

  it('names the line and column of bad rows', () => {
    const { lines, errors } = parse('das', 'bad-rows-2026-07-21.csv')
    expect(lines).toEqual(['2 buy 100 TSLA @ 372.5 fee 0 2026-07-21T13:31:05.000Z id=- order=C1'])
    expect(errors).toEqual([
      { line: 3, column: 'Side', message: 'Side "X" must be B, S, SS or BC' },
      { line: 4, column: 'Qty', message: 'Qty "0" must be greater than 0' },
      { line: 4, column: 'Time', message: 'Time "25:45:10" is not a time of day (HH:MM:SS)' },
    ])
  })

  it('finds the date in the file names traders use', () => {
    const today = '2026-08-01'
    expect(dateFromFileName('2026-07-20.csv', today)).toBe('2026-07-20')
    expect(dateFromFileName('trades_20260720.csv', today)).toBe('2026-07-20')
    expect(dateFromFileName('07-20-2026.csv', today)).toBe('2026-07-20')
    expect(dateFromFileName('July20.csv', today)).toBe('2026-07-20')
    expect(dateFromFileName('Jul 20 2025.csv', today)).toBe('2025-07-20')
    expect(dateFromFileName('Dec31.csv', '2027-01-02')).toBe('2026-12-31')
    expect(dateFromFileName('market20.csv', today)).toBeNull()
    expect(dateFromFileName('trades.csv', today)).toBeNull()
    expect(dateFromFileName('2026-02-30.csv', today)).toBeNull()
  })
})

describe('binance', () => {
  it('reads the Date(UTC+8) offset, asset-suffixed amounts and fees in any asset', () => {
    const { lines, fills, errors } = parse('binance', 'trade-history.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '2 buy 2 SOL-USDT @ 110.03 fee 0.22006 2026-03-02T13:01:36.000Z id=- order=-',
      // Fee in BNB: not counted.
      '3 sell 2 SOL-USDT @ 112.5 fee 0 2026-03-02T14:15:00.000Z id=- order=-',
      // 0.00002 BTC × 61,725 = 1.2345 USDT.
      '4 buy 0.02 BTC-USDT @ 61725 fee 1.2345 2026-03-03T01:30:00.000Z id=- order=-',
      '5 sell 0.02 BTC-USDT @ 62000 fee 1.24 2026-03-03T02:00:00.000Z id=- order=-',
    ])
    expect(fills[0]).toMatchObject({
      currency: 'USDT',
      sourceTimezone: 'UTC',
      instrument: { assetClass: 'crypto', multiplier: null },
    })
    expect(fills.map((fill) => fill.note)).toEqual([
      null,
      'fee 0.000165 BNB not counted: the file has no BNB/USDT price',
      'fee 0.00002 BTC, counted as 1.2345 USDT at the fill price',
      null,
    ])
  })

  it('reads the older Market/Type/Amount/Total/Fee Coin header', () => {
    const { lines, errors } = parse('binance', 'trade-history-xlsx-era.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      // 0.0015 ETH × 0.072 = 0.000108 BTC.
      '2 buy 1.5 ETH-BTC @ 0.072 fee 0.000108 2021-05-10T08:00:00.000Z id=- order=-',
      '3 sell 1.5 ETH-BTC @ 0.075 fee 0.0001125 2021-05-11T09:30:00.000Z id=- order=-',
    ])
  })

  it('names the line and column of bad rows', () => {
    const { lines, errors } = parse('binance', 'bad-rows.csv')
    expect(lines).toHaveLength(1)
    expect(errors).toEqual([
      { line: 3, column: 'Side', message: 'Side "HOLD" must be BUY or SELL' },
      { line: 3, column: 'Executed', message: 'Executed: "abcSOL" is not a number' },
      { line: 4, column: 'Executed', message: 'Executed "2.0ETH" is in ETH, not SOL' },
    ])
  })
})

describe('coinbase', () => {
  it('reads v4 past its preamble: buys, negative sells, Advanced Trade notes, converts', () => {
    const { lines, fills, errors } = parse('coinbase', 'transactions.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '5 buy 0.01 BTC-EUR @ 60000 fee 10 2026-02-08T16:31:22.000Z id=65f1a0c0e1b2c3d4e5f60001 order=-',
      '7 sell 0.004 BTC-EUR @ 61000 fee 1.21 2026-02-09T09:15:00.000Z id=65f1a0c0e1b2c3d4e5f60003 order=-',
      // The executed rate from Notes, not the spot price column.
      '8 sell 0.006 BTC-EUR @ 61600 fee 0.74 2026-02-10T12:00:00.000Z id=65f1a0c0e1b2c3d4e5f60004 order=-',
      '10 buy 0.5 ETH-EUR @ 2500 fee 12.5 2026-02-12T10:00:00.000Z id=65f1a0c0e1b2c3d4e5f60006 order=-',
      '11 sell 0.5 ETH-EUR @ 2600 fee 10 2026-02-13T10:00:00.000Z id=65f1a0c0e1b2c3d4e5f60007:sell order=-',
      // Net proceeds €1,290 for 0.02 BTC.
      '11 buy 0.02 BTC-EUR @ 64500 fee 0 2026-02-13T10:00:00.000Z id=65f1a0c0e1b2c3d4e5f60007:buy order=-',
    ])
    expect(fills[0]).toMatchObject({
      currency: 'EUR',
      sourceTimezone: 'UTC',
      account: null,
      instrument: { assetClass: 'crypto' },
    })
  })

  it('reads v3 (Spot Price columns, ISO times) after a notice, rounding 18 decimals half-even', () => {
    const { lines, fills, errors } = parse('coinbase', 'transactions-v3.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '4 buy 0.12345679 ETH-USD @ 1850 fee 2 2023-06-01T14:00:00.000Z id=- order=-',
      '5 buy 2 SOL-USDC @ 20.05 fee 0.2 2023-06-02T15:30:00.000Z id=- order=-',
    ])
    expect(fills[1]?.currency).toBe('USDC')
  })

  it('names the line and column of bad rows', () => {
    const { lines, errors } = parse('coinbase', 'bad-rows.csv')
    expect(lines).toHaveLength(1)
    expect(errors).toEqual([
      {
        line: 5,
        column: 'Timestamp',
        message: expect.stringContaining("'2026-02-30 10:00:00 UTC'"),
      },
      {
        line: 5,
        column: 'Quantity Transacted',
        message: 'Quantity Transacted: "abc" is not a number',
      },
    ])
  })
})

describe('kraken', () => {
  it('reads txids, UTC times with 4-digit fractions and every pair spelling', () => {
    const { lines, fills, errors } = parse('kraken', 'trades.csv')
    expect(errors).toEqual([])
    expect(lines).toEqual([
      '2 buy 0.00185 BTC-EUR @ 54054 fee 0.18 2026-03-19T19:43:31.679Z id=TDNN5P-YWGRO-YF32BH order=OS6ZQP-JLQZV-8QW9K2',
      '3 sell 0.00185 BTC-EUR @ 55000 fee 0.26 2026-03-20T08:00:00.123Z id=TQ7V2K-4MPLA-ZX81QE order=OR3KTA-8WQNE-1M4DZP',
      '4 buy 0.1 ETH-EUR @ 3000 fee 0.48 2026-03-21T10:15:00.000Z id=TH4NXW-9KQLM-CV2BNE order=OA1SDF-3GHJK-LZ7XCV',
      '5 sell 0.1 ETH-EUR @ 3100 fee 0.5 2026-03-21T16:40:12.500Z id=TP8LKJ-2HGFD-SA5QWE order=OP6ZXC-4VBNM-QW3ERT',
      '6 buy 0.05 ETH-BTC @ 0.0545 fee 0.00000709 2026-03-22T09:00:00.000Z id=TM1NBV-7CXZL-KJ8HGF order=OM2QAZ-WSX3E-DC4RFV',
    ])
    expect(fills[0]).toMatchObject({ currency: 'EUR', sourceTimezone: 'UTC', isDerived: false })
    expect(fills[4]?.currency).toBe('BTC')
  })

  it('names the line and column of bad rows', () => {
    const { lines, errors } = parse('kraken', 'bad-rows.csv')
    expect(lines).toHaveLength(1)
    expect(errors).toEqual([
      { line: 3, column: 'type', message: 'type "hold" must be buy or sell' },
      { line: 4, column: 'time', message: expect.stringContaining("'19/03/2026 19:43'") },
      { line: 4, column: 'vol', message: 'vol "-0.00185000" must be greater than 0' },
    ])
  })

  it('normalises pair spellings', () => {
    expect(krakenPair('XXBTZUSD')).toEqual({ base: 'BTC', quote: 'USD' })
    expect(krakenPair('XETHXXBT')).toEqual({ base: 'ETH', quote: 'BTC' })
    expect(krakenPair('POL/EUR')).toEqual({ base: 'POL', quote: 'EUR' })
    expect(krakenPair('SOLEUR')).toEqual({ base: 'SOL', quote: 'EUR' })
    expect(krakenPair('XDGUSD')).toEqual({ base: 'DOGE', quote: 'USD' })
    expect(krakenPair('???')).toBeNull()
  })
})

describe('parseRoundedNumber', () => {
  it('rounds more than 8 decimals half-even, keeping signs, symbols and suffixes', () => {
    const read = (text: string) => formatDecimal(parseRoundedNumber(text))
    expect(read('0.123456789')).toBe('0.12345679')
    expect(read('0.123456785')).toBe('0.12345678')
    expect(read('0.123456775')).toBe('0.12345678')
    expect(read('0.1234567850001')).toBe('0.12345679')
    expect(read('-€0.000000006')).toBe('-0.00000001')
    expect(read('1,234.5000000001USDT')).toBe('1234.5')
    expect(read('12.5')).toBe('12.5')
  })
})
