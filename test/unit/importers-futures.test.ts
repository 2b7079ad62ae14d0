import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDecimal } from '../../core/decimal'
import { blotterFormat } from '../../importers/blotter'
import { futuresFormats } from '../../importers/futures'
import {
  ninjatraderExecutionsFormat,
  ninjatraderTradesFormat,
} from '../../importers/futures/ninjatrader'
import { roundToEightPlaces } from '../../importers/futures/table'
import { topstepxOrdersFormat, topstepxTradesFormat } from '../../importers/futures/topstepx'
import {
  tradovateFillsFormat,
  tradovateOrdersFormat,
  tradovatePerformanceFormat,
} from '../../importers/futures/tradovate'
import { decodeFile } from '../../importers/sniff'
import {
  isParseWarning,
  isRowError,
  type ImportFormat,
  type ParsedFill,
  type ParseItem,
  type ParseOptions,
  type RowError,
} from '../../importers/types'

const fixtures = join(process.cwd(), 'test/fixtures')
const text = (dir: string, file: string) => decodeFile(readFileSync(join(fixtures, dir, file))).text

function parseAll(format: ImportFormat, source: string, options: Partial<ParseOptions> = {}) {
  return [
    ...format.parse(source, { timezone: format.defaultTimezone, fileName: 'file.csv', ...options }),
  ]
}

/** Fills and row errors; the file's warnings are looked at apart (warningsOf). */
function parse(format: ImportFormat, source: string, timezone = format.defaultTimezone) {
  return parseAll(format, source, { timezone }).filter(
    (item): item is ParsedFill | RowError => !isParseWarning(item),
  )
}

function warningsOf(items: ParseItem[]) {
  return items.filter(isParseWarning).map((item) => item.warning)
}

/** A fill as the assertions spell it: decimals as text, the time as ISO UTC. */
function summary(fill: ParsedFill) {
  return {
    line: fill.line,
    account: fill.account,
    symbol: fill.instrument.symbol,
    root: fill.instrument.underlying,
    side: fill.side,
    quantity: formatDecimal(fill.quantity),
    price: formatDecimal(fill.price),
    fee: formatDecimal(fill.fee),
    time: new Date(fill.executedAt).toISOString(),
    zone: fill.sourceTimezone,
    id: fill.brokerExecutionId,
    order: fill.brokerOrderId,
    derived: fill.isDerived,
    pnl: fill.brokerPnl
      ? `${formatDecimal(fill.brokerPnl.amount)} ${fill.brokerPnl.net ? 'net' : 'gross'}`
      : null,
  }
}

function fillsOf(items: (ParsedFill | RowError)[]) {
  expect(items.filter(isRowError)).toEqual([])
  const fills = items.filter((item): item is ParsedFill => !isRowError(item))
  for (const fill of fills) {
    // Point values come from the built-in table, never from these files.
    expect(fill.instrument).toMatchObject({ assetClass: 'future', multiplier: null })
  }
  return fills.map(summary)
}

function errorsOf(items: (ParsedFill | RowError)[]) {
  return items.filter(isRowError).map(({ line, column }) => ({ line, column }))
}

describe('detection', () => {
  const own = (format: ImportFormat) => readdirSync(join(fixtures, format.id))
  const others = (format: ImportFormat) => [
    ...futuresFormats
      .filter((other) => other !== format)
      .flatMap((other) => own(other).map((file) => [other.id, file] as const)),
    ...readdirSync(join(fixtures, 'blotter')).map((file) => ['blotter', file] as const),
  ]

  it.each(futuresFormats.map((format) => [format.id, format] as const))(
    '%s claims its own fixtures and no other',
    (_id, format) => {
      for (const file of own(format)) expect(format.detect(text(format.id, file))).toBe(0.9)
      for (const [dir, file] of others(format)) {
        expect(format.detect(text(dir, file)), `${dir}/${file}`).toBeLessThan(0.5)
      }
    },
  )

  it('leaves the futures fixtures to the Blotter format', () => {
    for (const format of futuresFormats) {
      for (const file of own(format)) expect(blotterFormat.detect(text(format.id, file))).toBe(0)
    }
  })

  it('finds a header below a preamble', () => {
    const preamble = `Performance report\nAccount,DEMO1\n\n${text('tradovate-performance', 'performance.csv')}`
    expect(tradovatePerformanceFormat.detect(preamble)).toBe(0.9)
    expect(fillsOf(parse(tradovatePerformanceFormat, preamble))).toHaveLength(12)
  })

  it('says which columns it expected when the header is not there', () => {
    const blotter = text('blotter', 'scale-and-flip.csv')
    for (const format of futuresFormats) {
      expect(parse(format, blotter)).toEqual([
        { line: 1, column: null, message: expect.stringMatching(/header.*expected the columns/) },
      ])
    }
  })
})

describe('tradovate-orders', () => {
  const orders = (file: string, timezone?: string) =>
    parse(tradovateOrdersFormat, text('tradovate-orders', file), timezone)
  const order = (line: number, account: string, side: string, qty: string, price: string) => ({
    line,
    account,
    side,
    quantity: qty,
    price,
    fee: '0',
    zone: 'America/Chicago',
    derived: false,
    pnl: null,
  })

  it('imports filled quantity at the average price, skipping unfilled orders', () => {
    const fills = fillsOf(orders('orders.csv'))
    // Line 3 cancelled with nothing filled and line 7 rejected: skipped. Line 4 and line 8 are
    // whole-line quoted. Line 6 is a cancelled limit that filled 2 of 3: the 2 count.
    // Fill Time is Central time: 16:00:05 CDT = 21:00:05Z.
    expect(fills).toEqual([
      {
        ...order(2, 'ACCT0000000000001', 'buy', '5', '28531.75'),
        symbol: 'MNQM26',
        root: 'MNQ',
        time: '2026-06-10T21:00:05.000Z',
        id: '537862110004:fill',
        order: '537862110004',
      },
      {
        ...order(4, 'ACCT0000000000001', 'sell', '5', '28491.75'),
        symbol: 'MNQM26',
        root: 'MNQ',
        time: '2026-06-10T21:00:29.000Z',
        id: '537862110018:fill',
        order: '537862110018',
      },
      {
        ...order(5, 'ACCT0000000000001', 'sell', '3', '7203.25'),
        symbol: 'MESM26',
        root: 'MES',
        time: '2026-06-11T14:31:12.000Z',
        id: '537862110155:fill',
        order: '537862110155',
      },
      {
        ...order(6, 'ACCT0000000000001', 'buy', '2', '7198.5'),
        symbol: 'MESM26',
        root: 'MES',
        time: '2026-06-11T14:40:02.000Z',
        id: '537862110160:fill',
        order: '537862110160',
      },
      {
        ...order(8, 'ACCT0000000000001', 'buy', '1', '7199.25'),
        symbol: 'MESM26',
        root: 'MES',
        time: '2026-06-11T14:41:30.000Z',
        id: '537862110171:fill',
        order: '537862110171',
      },
      {
        ...order(9, 'ACCT0000000000002', 'buy', '1', '29000'),
        symbol: 'MNQM26',
        root: 'MNQ',
        time: '2026-06-12T13:45:00.000Z',
        id: '537862110200:fill',
        order: '537862110200',
      },
      {
        ...order(10, 'ACCT0000000000002', 'sell', '1', '29010.25'),
        symbol: 'MNQM26',
        root: 'MNQ',
        time: '2026-06-12T13:50:00.000Z',
        id: '537862110201:fill',
        order: '537862110201',
      },
    ])
    const [first] = orders('orders.csv').filter((item) => !isRowError(item)) as ParsedFill[]
    expect(first?.currency).toBe('USD')
  })

  it('keeps the record as written, quotes and all', () => {
    const quoted = orders('orders.csv').find((item) => item.line === 4) as ParsedFill
    expect(quoted.raw).toMatch(/^"537862110018,.*""284,917.50"",USD"$/)
  })

  it('reads the older 26-column layout', () => {
    expect(fillsOf(orders('orders-old-layout.csv'))).toMatchObject([
      { line: 2, symbol: 'ESU26', side: 'sell', quantity: '1', price: '6650.5' },
      { line: 3, symbol: 'ESU26', side: 'buy', quantity: '1', price: '6648' },
    ])
  })

  it('reads Fill Time in the zone given with --tz', () => {
    const [first] = fillsOf(orders('orders.csv', 'Europe/Berlin'))
    expect(first).toMatchObject({ time: '2026-06-10T14:00:05.000Z', zone: 'Europe/Berlin' })
  })

  it('reports every bad cell with its line and header', () => {
    const items = orders('bad-rows.csv')
    expect(errorsOf(items)).toEqual([
      { line: 3, column: 'B/S' },
      { line: 4, column: 'avgPrice' },
      { line: 4, column: 'Fill Time' },
    ])
    expect(items.filter(isRowError).map((error) => error.message)).toEqual([
      expect.stringContaining('"Hold"'),
      expect.stringContaining('"28491.7x"'),
      expect.stringContaining('06/31/2026 16:00:29'),
    ])
  })

  it('keeps an unknown root for the import to flag, and a header that is quoted whole', () => {
    const header =
      'orderId,Account,B/S,Contract,Product,avgPrice,filledQty,Fill Time,Status,Currency'
    const source = [
      `"${header}"`,
      '1,ACCT1, Buy,ZZQM6,ZZQ,100.5,1,06/10/2026 09:00:00, Filled,USD',
      '2,ACCT1, Sell,SPREAD-1,XYZ,101,1,06/10/2026 09:05:00, Filled,USD',
    ].join('\n')
    expect(fillsOf(parse(tradovateOrdersFormat, source))).toMatchObject([
      { symbol: 'ZZQM26', root: 'ZZQ' },
      { symbol: 'SPREAD-1', root: 'XYZ' },
    ])
  })
})

describe('tradovate-fills', () => {
  const fill = (line: number, side: string, qty: string, price: string, fee: string) => ({
    line,
    account: 'DEMO0000001',
    side,
    quantity: qty,
    price,
    fee,
    zone: 'UTC',
    derived: false,
    pnl: null,
  })

  it('reads the UTC _timestamp, Fill ID and commission, and skips a busted fill', () => {
    const items = parse(
      tradovateFillsFormat,
      text('tradovate-fills', 'fills.csv'),
      'America/New_York',
    )
    // Line 2 is a Sunday-evening fill: 23:03 UTC on the 13th, trade date the 14th. Line 6 is
    // inactive (_active false). The --tz zone does not matter: _timestamp ends in Z.
    expect(fillsOf(items)).toEqual([
      {
        ...fill(2, 'sell', '1', '6612.5', '0.62'),
        symbol: 'MESU26',
        root: 'MES',
        time: '2026-09-13T23:03:54.732Z',
        id: '621235571820',
        order: '621235571817',
      },
      {
        ...fill(3, 'buy', '2', '29007.75', '1'),
        symbol: 'MNQU26',
        root: 'MNQ',
        time: '2026-09-14T14:30:00.700Z',
        id: '621235571868',
        order: '621235571865',
      },
      {
        ...fill(4, 'buy', '1', '29009.25', '0.5'),
        symbol: 'MNQU26',
        root: 'MNQ',
        time: '2026-09-14T14:30:00.700Z',
        id: '621235571869',
        order: '621235571865',
      },
      {
        ...fill(5, 'buy', '1', '6608.75', '0.62'),
        symbol: 'MESU26',
        root: 'MES',
        time: '2026-09-14T13:45:02.100Z',
        id: '621235571880',
        order: '621235571877',
      },
      {
        ...fill(7, 'sell', '3', '29021.25', '1.5'),
        symbol: 'MNQU26',
        root: 'MNQ',
        time: '2026-09-14T14:41:17.250Z',
        id: '621235571902',
        order: '621235571899',
      },
    ])
  })

  it('falls back to _action and the platform Timestamp when the user columns are gone', () => {
    const source = [
      '_id,_orderId,Fill ID,B/S,Contract,Quantity,Price,_action,Timestamp',
      '7,6,7,,MNQU6,1,29000,1,09/14/2026 09:30:00',
    ].join('\n')
    expect(fillsOf(parse(tradovateFillsFormat, source))).toMatchObject([
      { side: 'sell', time: '2026-09-14T14:30:00.000Z', zone: 'America/Chicago', id: '7' },
    ])
  })

  it('reports bad cells with line and header', () => {
    const items = parse(tradovateFillsFormat, text('tradovate-fills', 'bad-rows.csv'))
    expect(errorsOf(items)).toEqual([
      { line: 3, column: '_timestamp' },
      { line: 4, column: 'Quantity' },
      { line: 4, column: 'commission' },
    ])
    expect(items.filter(isRowError)[0]?.message).toContain('2026-09-14 25:41:17.250Z')
  })
})

describe('tradovate-performance', () => {
  const pair = (line: number, symbol: string, root: string) => ({
    line,
    account: null,
    symbol,
    root,
    fee: '0',
    zone: 'America/Chicago',
    order: null,
    derived: true,
  })

  it('turns each matched pair into an opening and a closing fill', () => {
    const fills = fillsOf(
      parse(tradovatePerformanceFormat, text('tradovate-performance', 'performance.csv')),
    )
    const mnq = (line: number) => pair(line, 'MNQM26', 'MNQ')
    const mes = (line: number) => pair(line, 'MESM26', 'MES')
    expect(fills).toEqual([
      // Long: bought first. pnl $(400.00) = (28491.75 − 28531.75) × 5 × $2, gross.
      {
        ...mnq(2),
        side: 'buy',
        quantity: '5',
        price: '28531.75',
        time: '2026-06-10T21:00:05.000Z',
        id: '537862110007/537862110018:open',
        pnl: null,
      },
      {
        ...mnq(2),
        side: 'sell',
        quantity: '5',
        price: '28491.75',
        time: '2026-06-10T21:00:29.000Z',
        id: '537862110007/537862110018:close',
        pnl: '-400 gross',
      },
      {
        ...mnq(3),
        side: 'buy',
        quantity: '5',
        price: '29262',
        time: '2026-06-12T14:45:49.000Z',
        id: '537862110155/537862110184:open',
        pnl: null,
      },
      {
        ...mnq(3),
        side: 'sell',
        quantity: '5',
        price: '29382',
        time: '2026-06-12T14:57:07.000Z',
        id: '537862110155/537862110184:close',
        pnl: '1200 gross',
      },
      // Short: soldTimestamp 10:05:03 is before boughtTimestamp 10:20:41 (brokers.md §4).
      {
        ...mes(4),
        side: 'sell',
        quantity: '2',
        price: '7201.5',
        time: '2026-06-12T15:05:03.000Z',
        id: '537862110230/537862110212:open',
        pnl: null,
      },
      {
        ...mes(4),
        side: 'buy',
        quantity: '2',
        price: '7190.25',
        time: '2026-06-12T15:20:41.000Z',
        id: '537862110230/537862110212:close',
        pnl: '112.5 gross',
      },
      // Same second both ways: the sell fill id is lower, so the sell came first: a short.
      {
        ...mnq(5),
        side: 'sell',
        quantity: '1',
        price: '29401.5',
        time: '2026-06-12T16:00:00.000Z',
        id: '537862110301/537862110300:open',
        pnl: null,
      },
      {
        ...mnq(5),
        side: 'buy',
        quantity: '1',
        price: '29400',
        time: '2026-06-12T16:00:00.000Z',
        id: '537862110301/537862110300:close',
        pnl: '3 gross',
      },
      // One buy fill scaled out in two pairs: two opening halves at the same time.
      {
        ...mes(6),
        side: 'buy',
        quantity: '1',
        price: '7205',
        time: '2026-06-12T17:00:10.000Z',
        id: '537862110400/537862110410:open',
        pnl: null,
      },
      {
        ...mes(6),
        side: 'sell',
        quantity: '1',
        price: '7207.25',
        time: '2026-06-12T17:03:00.000Z',
        id: '537862110400/537862110410:close',
        pnl: '11.25 gross',
      },
      {
        ...mes(7),
        side: 'buy',
        quantity: '1',
        price: '7205',
        time: '2026-06-12T17:00:10.000Z',
        id: '537862110400/537862110415:open',
        pnl: null,
      },
      {
        ...mes(7),
        side: 'sell',
        quantity: '1',
        price: '7209',
        time: '2026-06-12T17:07:30.000Z',
        id: '537862110400/537862110415:close',
        pnl: '20 gross',
      },
    ])
  })

  it('reports bad cells with line and header', () => {
    const items = parse(tradovatePerformanceFormat, text('tradovate-performance', 'bad-rows.csv'))
    expect(errorsOf(items)).toEqual([
      { line: 3, column: 'buyPrice' },
      { line: 4, column: 'soldTimestamp' },
    ])
  })
})

describe('ninjatrader-executions', () => {
  const execution = (line: number, side: string, qty: string, price: string, fee: string) => ({
    line,
    account: 'Sim101',
    side,
    quantity: qty,
    price,
    fee,
    zone: 'America/New_York',
    derived: false,
    pnl: null,
  })

  it('reads the en-US grid: AM/PM times, $ commissions, trailing comma, blank rows', () => {
    const items = parse(
      ninjatraderExecutionsFormat,
      text('ninjatrader-executions', 'executions.csv'),
    )
    expect(fillsOf(items)).toEqual([
      {
        ...execution(2, 'buy', '2', '30220.25', '0.78'),
        symbol: 'MNQU26',
        root: 'MNQ',
        time: '2026-07-28T13:45:17.000Z',
        id: 'a1f0c2d4e5b6478a9c0d1e2f3a4b5c6d',
        order: '24901',
      },
      {
        ...execution(3, 'sell', '1', '30231.5', '0.39'),
        symbol: 'MNQU26',
        root: 'MNQ',
        time: '2026-07-28T13:52:03.000Z',
        id: 'b2e1d3c5f6a7489b0d1e2f3a4b5c6d7e',
        order: '24902',
      },
      {
        ...execution(4, 'sell', '1', '30226', '0.39'),
        symbol: 'MNQU26',
        root: 'MNQ',
        time: '2026-07-28T14:01:44.000Z',
        id: 'c3f2e4d6a7b8490c1e2f3a4b5c6d7e8f',
        order: '24903',
      },
      // "MES 09-26" is the older month-number notation; SellShort/BuyToCover are NinjaScript's.
      {
        ...execution(5, 'sell', '1', '6650.75', '0.62'),
        symbol: 'MESU26',
        root: 'MES',
        time: '2026-07-28T17:15:00.000Z',
        id: 'd4a3f5e7b8c9401d2f3a4b5c6d7e8f9a',
        order: '24910',
      },
      {
        ...execution(6, 'buy', '1', '6655', '0.62'),
        symbol: 'MESU26',
        root: 'MES',
        time: '2026-07-28T17:20:30.000Z',
        id: 'e5b4a6f8c9d0412e3a4b5c6d7e8f9a0b',
        order: '24911',
      },
    ])
  })

  it('reads the EU grid: semicolons, decimal commas, day-first times, "0,62 $"', () => {
    const items = parse(
      ninjatraderExecutionsFormat,
      text('ninjatrader-executions', 'executions-eu.csv'),
      'Europe/Paris',
    )
    const eu = (line: number, side: string, qty: string, price: string, fee: string) => ({
      ...execution(line, side, qty, price, fee),
      account: 'Playback101',
      zone: 'Europe/Paris',
      id: `execution-${line - 1}`,
      order: `order-${line - 1}`,
    })
    // 27/04/2026 6:05:02 in Paris (CEST, +02:00) = 04:05:02Z.
    expect(fillsOf(items)).toEqual([
      {
        ...eu(2, 'sell', '1', '7200.75', '0.62'),
        symbol: 'MESM26',
        root: 'MES',
        time: '2026-04-27T04:05:02.000Z',
      },
      {
        ...eu(3, 'buy', '1', '7195.5', '0.62'),
        symbol: 'MESM26',
        root: 'MES',
        time: '2026-04-27T04:18:40.000Z',
      },
      {
        ...eu(4, 'buy', '2', '27512.25', '1.24'),
        symbol: 'MNQM26',
        root: 'MNQ',
        time: '2026-04-27T13:31:02.000Z',
      },
      {
        ...eu(5, 'sell', '2', '27498.75', '1.24'),
        symbol: 'MNQM26',
        root: 'MNQ',
        time: '2026-04-27T13:44:10.000Z',
      },
    ])
  })

  describe('date order', () => {
    const gb = text('ninjatrader-executions', 'executions-gb.csv')
    const times = (items: ParseItem[]) =>
      items
        .filter((item): item is ParsedFill => !isRowError(item) && !isParseWarning(item))
        .map((fill) => new Date(fill.executedAt).toISOString())

    it('reads a comma file with every day up to 12 month-first, and warns', () => {
      const items = parseAll(ninjatraderExecutionsFormat, gb)
      // 05/04/2026 14:05:02 as 4 May, New York (EDT, −04:00); 07/04/2026 as 4 July.
      expect(fillsOf(parse(ninjatraderExecutionsFormat, gb))).toMatchObject([
        { line: 2, symbol: 'MESM26', side: 'buy', price: '7200.25', fee: '0.62', id: 'gb-1' },
        { line: 3, symbol: 'MESM26', side: 'sell', price: '7210.25', fee: '0.62', id: 'gb-2' },
        { line: 4, symbol: 'MNQM26', side: 'sell', quantity: '2', price: '27512.25', id: 'gb-3' },
        { line: 5, symbol: 'MNQM26', side: 'buy', quantity: '2', price: '27498.75', id: 'gb-4' },
      ])
      expect(times(items)).toEqual([
        '2026-05-04T18:05:02.000Z',
        '2026-05-04T18:09:30.000Z',
        '2026-07-04T13:31:02.000Z',
        '2026-07-04T13:44:10.000Z',
      ])
      expect(warningsOf(items)).toEqual([
        expect.stringMatching(
          /^NinjaTrader dates such as "05\/04\/2026" read either way round .* they were read month-first \(2026-05-04\)\. If Windows shows your dates day-first, .* set to day-first \(--date-order dmy\)$/,
        ),
      ])
    })

    it('reads the same file day-first with --date-order dmy, without a warning', () => {
      const items = parseAll(ninjatraderExecutionsFormat, gb, {
        timezone: 'Europe/London',
        dateOrder: 'dmy',
      })
      // 5 and 7 April in London (BST, +01:00 since 29 March).
      expect(times(items)).toEqual([
        '2026-04-05T13:05:02.000Z',
        '2026-04-05T13:09:30.000Z',
        '2026-04-07T08:31:02.000Z',
        '2026-04-07T08:44:10.000Z',
      ])
      expect(warningsOf(items)).toEqual([])
      const mdy = parseAll(ninjatraderExecutionsFormat, gb, { dateOrder: 'mdy' })
      expect(times(mdy)).toEqual(times(parseAll(ninjatraderExecutionsFormat, gb)))
      expect(warningsOf(mdy)).toEqual([])
    })

    it('settles the order by a day above 12 anywhere in the file', () => {
      const [header = '', first = ''] = gb.split('\n')
      const late = first.replace('05/04/2026 14:05:02', '13/04/2026 10:00:00')
      const source = [header, ...Array<string>(250).fill(first), late].join('\n')
      const items = parseAll(ninjatraderExecutionsFormat, source)
      expect(warningsOf(items)).toEqual([])
      // 5 April and 13 April in New York (EDT).
      const read = times(items)
      expect(read).toHaveLength(251)
      expect([read[0], read[250]]).toEqual(['2026-04-05T18:05:02.000Z', '2026-04-13T14:00:00.000Z'])
    })

    it('takes AM/PM as month-first and a semicolon file as day-first, without a warning', () => {
      const ampm = gb.replace(/(\d\d\/\d\d\/2026) (\d\d):(\d\d):(\d\d)/g, '$1 1:$3:$4 PM')
      const us = parseAll(ninjatraderExecutionsFormat, ampm)
      expect(warningsOf(us)).toEqual([])
      // 4 May 1:05:02 PM EDT.
      expect(times(us)[0]).toBe('2026-05-04T17:05:02.000Z')

      const eu = text('ninjatrader-executions', 'executions-eu.csv').replaceAll('27/04', '03/04')
      const items = parseAll(ninjatraderExecutionsFormat, eu, { timezone: 'Europe/Paris' })
      expect(warningsOf(items)).toEqual([])
      // 3 April 6:05:02 in Paris (CEST, +02:00).
      expect(times(items)[0]).toBe('2026-04-03T04:05:02.000Z')
    })

    it('does not warn when every date reads the same either way round', () => {
      const items = parseAll(ninjatraderExecutionsFormat, gb.replaceAll(/0[57]\/04/g, '04/04'))
      expect(warningsOf(items)).toEqual([])
      expect(times(items)[0]).toBe('2026-04-04T18:05:02.000Z')
    })
  })

  it('reads a bare root as the instrument, for the table to price', () => {
    const source = [
      'Instrument,Action,Quantity,Price,Time,ID,E/X,Position,Order ID,Name,Commission,Rate,Account,Connection,',
      'MNQ,Sell,1,102.00,1/15/2025 3:00:00 PM,E2,Exit,-,12346,Manual Exit,$0.00,1,Sim101,Apex Trader Funding ,',
    ].join('\n')
    expect(fillsOf(parse(ninjatraderExecutionsFormat, source))).toMatchObject([
      { symbol: 'MNQ', root: 'MNQ', time: '2025-01-15T20:00:00.000Z', fee: '0', id: 'E2' },
    ])
  })

  it('reports bad cells with line and header', () => {
    const items = parse(ninjatraderExecutionsFormat, text('ninjatrader-executions', 'bad-rows.csv'))
    expect(errorsOf(items)).toEqual([
      { line: 3, column: 'Action' },
      { line: 4, column: 'Commission' },
      { line: 4, column: 'Time' },
    ])
  })
})

describe('ninjatrader-trades', () => {
  const trade = (line: number, account: string, symbol: string, root: string) => ({
    line,
    account,
    symbol,
    root,
    zone: 'America/New_York',
    id: null,
    order: null,
    derived: true,
  })

  it('splits each round trip; Profit is the broker net, fees add up on the close', () => {
    const items = parse(ninjatraderTradesFormat, text('ninjatrader-trades', 'trades.csv'))
    const mnq = (line: number, account = 'Sim101') => trade(line, account, 'MNQU26', 'MNQ')
    expect(fillsOf(items)).toEqual([
      // (30231.50 − 30220.25) × 2 × $2 = 45 gross; costs 1.56 + 0.96 + 0.08 = 2.60; 42.40 net.
      {
        ...mnq(2),
        side: 'buy',
        quantity: '2',
        price: '30220.25',
        fee: '0',
        time: '2026-07-28T13:45:17.000Z',
        pnl: null,
      },
      {
        ...mnq(2),
        side: 'sell',
        quantity: '2',
        price: '30231.5',
        fee: '2.6',
        time: '2026-07-28T13:52:03.000Z',
        pnl: '42.4 net',
      },
      // Short: (6650.75 − 6655) × $5 = −21.25; costs 0.62 + 0.70 + 0.04 = 1.36; −22.61 net.
      {
        ...trade(3, 'Sim101', 'MESU26', 'MES'),
        side: 'sell',
        quantity: '1',
        price: '6650.75',
        fee: '0',
        time: '2026-07-28T17:15:00.000Z',
        pnl: null,
      },
      {
        ...trade(3, 'Sim101', 'MESU26', 'MES'),
        side: 'buy',
        quantity: '1',
        price: '6655',
        fee: '1.36',
        time: '2026-07-28T17:20:30.000Z',
        pnl: '-22.61 net',
      },
      {
        ...mnq(4, 'Sim102'),
        side: 'sell',
        quantity: '1',
        price: '30250.5',
        fee: '0',
        time: '2026-07-28T18:02:10.000Z',
        pnl: null,
      },
      {
        ...mnq(4, 'Sim102'),
        side: 'buy',
        quantity: '1',
        price: '30244',
        fee: '1.3',
        time: '2026-07-28T18:09:45.000Z',
        pnl: '11.7 net',
      },
    ])
  })

  it('reads a customised grid with minutes only and accounting negatives', () => {
    const all = parseAll(ninjatraderTradesFormat, text('ninjatrader-trades', 'trades-grid.csv'))
    // 7/2/2026 is ambiguous; a comma-delimited file without AM/PM is read month-first (July),
    // and the import says so.
    expect(warningsOf(all)).toEqual([
      expect.stringMatching(
        /"7\/2\/2026" .* month-first \(2026-07-02\)\. .* \(--date-order dmy\)$/,
      ),
    ])
    const items = parse(ninjatraderTradesFormat, text('ninjatrader-trades', 'trades-grid.csv'))
    expect(fillsOf(items)).toMatchObject([
      { line: 2, side: 'buy', price: '30220', fee: '0', time: '2026-07-02T13:12:00.000Z' },
      { line: 2, side: 'sell', price: '30245', fee: '0.78', pnl: '48.1 net' },
      { line: 3, side: 'buy', price: '30123.75', time: '2026-07-02T13:23:00.000Z' },
      {
        line: 3,
        side: 'sell',
        price: '30086.75',
        time: '2026-07-02T13:23:00.000Z',
        pnl: '-75.9 net',
      },
    ])
  })

  it('reads the French grid: semicolons, decimal commas, typographic apostrophes', () => {
    const items = parse(
      ninjatraderTradesFormat,
      text('ninjatrader-trades', 'trades-fr.csv'),
      'Europe/Paris',
    )
    const fr = (line: number, symbol: string, root: string) => ({
      ...trade(line, 'Sim101', symbol, root),
      zone: 'Europe/Paris',
    })
    expect(fillsOf(items)).toEqual([
      {
        ...fr(2, 'MESM26', 'MES'),
        side: 'sell',
        quantity: '1',
        price: '7200.75',
        fee: '0',
        time: '2026-06-16T13:31:02.000Z',
        pnl: null,
      },
      {
        ...fr(2, 'MESM26', 'MES'),
        side: 'buy',
        quantity: '1',
        price: '7195.5',
        fee: '1.24',
        time: '2026-06-16T13:44:10.000Z',
        pnl: '25.01 net',
      },
      {
        ...fr(3, 'MNQM26', 'MNQ'),
        side: 'buy',
        quantity: '2',
        price: '27512.25',
        fee: '0',
        time: '2026-06-16T14:02:00.000Z',
        pnl: null,
      },
      {
        ...fr(3, 'MNQM26', 'MNQ'),
        side: 'sell',
        quantity: '2',
        price: '27498.75',
        fee: '2.48',
        time: '2026-06-16T14:10:30.000Z',
        pnl: '-56.48 net',
      },
      {
        ...fr(4, 'MNQM26', 'MNQ'),
        side: 'buy',
        quantity: '10',
        price: '27400',
        fee: '0',
        time: '2026-06-17T07:05:12.000Z',
        pnl: null,
      },
      // "1 052,20 $" with a narrow no-break space grouping the thousands.
      {
        ...fr(4, 'MNQM26', 'MNQ'),
        side: 'sell',
        quantity: '10',
        price: '27453',
        fee: '7.8',
        time: '2026-06-17T07:48:55.000Z',
        pnl: '1052.2 net',
      },
    ])
  })

  it('reports bad cells with the header as written', () => {
    const items = parse(ninjatraderTradesFormat, text('ninjatrader-trades', 'bad-rows.csv'))
    expect(errorsOf(items)).toEqual([
      { line: 3, column: 'Market pos.' },
      { line: 4, column: 'Qty' },
      { line: 4, column: 'Exit time' },
    ])
    const french = text('ninjatrader-trades', 'trades-fr.csv').replace('7200,75', '7200,7,5')
    expect(errorsOf(parse(ninjatraderTradesFormat, french))).toEqual([
      { line: 2, column: 'Prix d’entrée' },
    ])
  })
})

describe('topstepx-trades', () => {
  const trade = (line: number, symbol: string, root: string) => ({
    line,
    account: null,
    symbol,
    root,
    zone: 'UTC',
    order: null,
    derived: true,
  })

  it('reads explicit offsets across the DST change, 9-decimal prices and the BOM on Id', () => {
    const items = parse(topstepxTradesFormat, text('topstepx-trades', 'trades.csv'))
    expect(fillsOf(items)).toEqual([
      // 10:02:11 -04:00 (EDT) = 14:02:11Z.
      {
        ...trade(2, 'MNQZ25', 'MNQ'),
        side: 'buy',
        quantity: '2',
        price: '25810.25',
        fee: '0',
        time: '2025-10-31T14:02:11.000Z',
        id: '1649700001:open',
        pnl: null,
      },
      {
        ...trade(2, 'MNQZ25', 'MNQ'),
        side: 'sell',
        quantity: '2',
        price: '25822.75',
        fee: '1.48',
        time: '2025-10-31T14:15:40.000Z',
        id: '1649700001:close',
        pnl: '50 gross',
      },
      // After the change: 09:31:05 -05:00 (EST) = 14:31:05Z, the same UTC hour as before.
      {
        ...trade(3, 'MNQZ25', 'MNQ'),
        side: 'buy',
        quantity: '1',
        price: '25900',
        fee: '0',
        time: '2025-11-03T14:31:05.000Z',
        id: '1649700002:open',
        pnl: null,
      },
      {
        ...trade(3, 'MNQZ25', 'MNQ'),
        side: 'sell',
        quantity: '1',
        price: '25893.5',
        fee: '0.74',
        time: '2025-11-03T14:33:47.000Z',
        id: '1649700002:close',
        pnl: '-13 gross',
      },
      {
        ...trade(4, 'MYMZ25', 'MYM'),
        side: 'sell',
        quantity: '4',
        price: '46356',
        fee: '0',
        time: '2025-11-18T14:45:25.000Z',
        id: '1649735311:open',
        pnl: null,
      },
      {
        ...trade(4, 'MYMZ25', 'MYM'),
        side: 'buy',
        quantity: '4',
        price: '46156',
        fee: '2.96',
        time: '2025-11-18T14:56:16.000Z',
        id: '1649735311:close',
        pnl: '400 gross',
      },
      // Scale-out: one row per exit. Fees 0.70 + Commissions 0.50 on the first.
      {
        ...trade(5, 'MESZ25', 'MES'),
        side: 'buy',
        quantity: '1',
        price: '6700.25',
        fee: '0',
        time: '2025-11-19T15:00:00.000Z',
        id: '1649800010:open',
        pnl: null,
      },
      {
        ...trade(5, 'MESZ25', 'MES'),
        side: 'sell',
        quantity: '1',
        price: '6704.25',
        fee: '1.2',
        time: '2025-11-19T15:05:00.000Z',
        id: '1649800010:close',
        pnl: '20 gross',
      },
      {
        ...trade(6, 'MESZ25', 'MES'),
        side: 'buy',
        quantity: '1',
        price: '6700.25',
        fee: '0',
        time: '2025-11-19T15:00:00.000Z',
        id: '1649800011:open',
        pnl: null,
      },
      {
        ...trade(6, 'MESZ25', 'MES'),
        side: 'sell',
        quantity: '1',
        price: '6708.75',
        fee: '0.7',
        time: '2025-11-19T15:12:30.000Z',
        id: '1649800011:close',
        pnl: '42.5 gross',
      },
    ])
  })

  it('reads the ISO variant and contract ids like CON.F.US.MES.U25', () => {
    const source = [
      'Id,ContractName,EnteredAt,ExitedAt,EntryPrice,ExitPrice,Fees,PnL,Size,Type',
      '9,CON.F.US.MES.U25,2025-09-02T09:31:05.123-04:00,2025-09-02T09:40:00-04:00,6450.123456785,6451.25,0.74,5,1,Long',
    ].join('\n')
    expect(fillsOf(parse(topstepxTradesFormat, source))).toMatchObject([
      { symbol: 'MESU25', time: '2025-09-02T13:31:05.123Z', price: '6450.12345678' },
      { symbol: 'MESU25', time: '2025-09-02T13:40:00.000Z', price: '6451.25' },
    ])
  })

  it('reports bad cells with line and header', () => {
    const items = parse(topstepxTradesFormat, text('topstepx-trades', 'bad-rows.csv'))
    expect(errorsOf(items)).toEqual([
      { line: 3, column: 'Type' },
      { line: 4, column: 'EntryPrice' },
      { line: 4, column: 'ExitedAt' },
    ])
  })
})

describe('topstepx-orders', () => {
  const order = (line: number, account: string, side: string, qty: string, price: string) => ({
    line,
    account,
    side,
    quantity: qty,
    price,
    fee: '0',
    zone: 'UTC',
    derived: false,
    pnl: null,
  })

  it('imports filled orders (Bid buys, Ask sells) and skips cancelled, rejected and open ones', () => {
    const items = parse(topstepxOrdersFormat, text('topstepx-orders', 'orders.csv'))
    const first = '50KTC-V2-000001-00000001'
    const second = '50KTC-V2-000001-00000002'
    expect(fillsOf(items)).toEqual([
      // 16:20:37 +02:00 = 14:20:37Z.
      {
        ...order(2, first, 'buy', '3', '31246.5'),
        symbol: 'MNQZ26',
        root: 'MNQ',
        time: '2026-10-07T14:20:37.000Z',
        id: '3614074691:fill',
        order: '3614074691',
      },
      {
        ...order(4, first, 'sell', '3', '31262.75'),
        symbol: 'MNQZ26',
        root: 'MNQ',
        time: '2026-10-07T15:49:06.000Z',
        id: '3614074698:fill',
        order: '3614074698',
      },
      {
        ...order(6, second, 'sell', '1', '6801.25'),
        symbol: 'MESZ26',
        root: 'MES',
        time: '2026-10-08T13:35:10.000Z',
        id: '3614074800:fill',
        order: '3614074800',
      },
      {
        ...order(7, second, 'buy', '1', '6795'),
        symbol: 'MESZ26',
        root: 'MES',
        time: '2026-10-08T13:50:00.000Z',
        id: '3614074805:fill',
        order: '3614074805',
      },
    ])
  })

  it('reads the older 19-column variant', () => {
    const items = parse(topstepxOrdersFormat, text('topstepx-orders', 'orders-older.csv'))
    expect(fillsOf(items)).toMatchObject([
      { symbol: 'MGCZ25', side: 'buy', quantity: '2', price: '4102.3' },
      { symbol: 'MGCZ25', side: 'sell', quantity: '2', price: '4109.8' },
    ])
  })

  it('reports bad cells and unknown statuses', () => {
    const items = parse(topstepxOrdersFormat, text('topstepx-orders', 'bad-rows.csv'))
    expect(errorsOf(items)).toEqual([
      { line: 3, column: 'Side' },
      { line: 3, column: 'ExecutePrice' },
      { line: 4, column: 'Status' },
    ])
  })
})

describe('roundToEightPlaces', () => {
  it('rounds half to even beyond 8 places and leaves other text alone', () => {
    expect(roundToEightPlaces('46356.000000000')).toBe('46356.00000000')
    expect(roundToEightPlaces('1.123456785')).toBe('1.12345678')
    expect(roundToEightPlaces('1.123456775')).toBe('1.12345678')
    expect(roundToEightPlaces('-0.0000000051')).toBe('-0.00000001')
    expect(roundToEightPlaces('0.99999999999')).toBe('1.00000000')
    expect(roundToEightPlaces('$1.5')).toBe('$1.5')
  })
})
