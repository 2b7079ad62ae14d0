import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  aggregateCandles,
  canAggregate,
  candleProblems,
  defaultSession,
  findGaps,
  TradingCalendar,
  type Candle,
} from '../../core/candles'
import { formatDecimal, parseDecimal } from '../../core/decimal'
import { readCandleFile, type ParsedCandle } from '../../importers/candles'
import type { RowError } from '../../importers/types'

const d = parseDecimal
const at = (iso: string) => Date.parse(iso)
const candle = (time: string, o: string, h: string, l: string, c: string, v: string): Candle => ({
  time: at(time),
  open: d(o),
  high: d(h),
  low: d(l),
  close: d(c),
  volume: d(v),
})
const shown = (candles: readonly Candle[]) =>
  candles.map((c) => ({
    time: new Date(c.time).toISOString(),
    ohlcv: [c.open, c.high, c.low, c.close, c.volume]
      .map((value) => formatDecimal(value))
      .join(' '),
  }))

const newYork = new TradingCalendar({ zone: 'America/New_York', dayStart: 0, everyDay: false })
const cme = new TradingCalendar({ zone: 'America/Chicago', dayStart: 17 * 60, everyDay: false })
const crypto = new TradingCalendar({ zone: 'UTC', dayStart: 0, everyDay: true })

describe('candleProblems', () => {
  const problems = (o: string, h: string, l: string, c: string, v = '1') =>
    candleProblems({ open: d(o), high: d(h), low: d(l), close: d(c), volume: d(v) }, formatDecimal)

  it('accepts a candle whose high and low bound its open and close', () => {
    expect(problems('10', '12', '9', '11')).toEqual([])
    expect(problems('10', '10', '10', '10', '0')).toEqual([])
  })

  it('names the field and the reason of each problem', () => {
    expect(problems('10', '9', '11', '10')).toEqual([
      { field: 'high', reason: 'high 9 is below low 11' },
    ])
    expect(problems('10', '10.5', '9', '11')).toEqual([
      { field: 'high', reason: 'high 10.5 is below close 11' },
    ])
    expect(problems('10', '12', '10.5', '11')).toEqual([
      { field: 'low', reason: 'low 10.5 is above open 10' },
    ])
    expect(problems('-1', '12', '9', '11')).toEqual([
      { field: 'open', reason: 'open -1 must be greater than 0' },
    ])
    expect(problems('0', '12', '9', '11', '-2')).toEqual([
      { field: 'open', reason: 'open 0 must be greater than 0' },
      { field: 'volume', reason: 'volume -2 must be 0 or more' },
    ])
  })
})

describe('sessions and trading days', () => {
  it('defaults by venue, then asset class, then the journal zone', () => {
    expect(defaultSession({ assetClass: 'future', exchange: null }, 'UTC')).toEqual({
      zone: 'America/Chicago',
      dayStart: 1020,
      everyDay: false,
    })
    expect(defaultSession({ assetClass: 'stock', exchange: 'XNAS' }, 'UTC').zone).toBe(
      'America/New_York',
    )
    expect(defaultSession({ assetClass: 'stock', exchange: 'XETRA' }, 'UTC').zone).toBe(
      'Europe/Berlin',
    )
    expect(defaultSession({ assetClass: 'crypto', exchange: null }, 'Asia/Tokyo')).toEqual({
      zone: 'UTC',
      dayStart: 0,
      everyDay: true,
    })
    expect(defaultSession({ assetClass: 'stock', exchange: null }, 'Asia/Tokyo').zone).toBe(
      'Asia/Tokyo',
    )
  })

  it('rolls CME trading days at 17:00 Chicago, across the DST change', () => {
    // Sunday 2024-03-03 17:00 CST = 23:00Z opens Monday's trading day.
    expect(cme.tradingDate(at('2024-03-03T23:00:00Z'))).toBe('2024-03-04')
    expect(cme.tradingDate(at('2024-03-04T22:59:00Z'))).toBe('2024-03-04') // Mon 16:59 CST
    expect(cme.tradingDate(at('2024-03-04T23:00:00Z'))).toBe('2024-03-05') // Mon 17:00 CST
    // DST began 2024-03-10 02:00: Sunday 17:00 CDT is 22:00Z.
    expect(cme.tradingDate(at('2024-03-10T21:59:00Z'))).toBe('2024-03-10')
    expect(cme.tradingDate(at('2024-03-10T22:00:00Z'))).toBe('2024-03-11')
    expect(cme.tradingDayStart('2024-03-11')).toBe(at('2024-03-10T22:00:00Z'))
    // Daily candles are stamped 00:00 of their trading date: 00:00 CDT = 05:00Z.
    expect(cme.bucketStart(at('2024-03-10T22:30:00Z'), '1d')).toBe(at('2024-03-11T05:00:00Z'))
    expect(cme.spanStart(at('2024-03-10T22:30:00Z'), '1d')).toBe(at('2024-03-10T22:00:00Z'))
  })

  it('aligns intraday buckets to the epoch in UTC and weeks to Monday', () => {
    expect(newYork.bucketStart(at('2024-03-04T14:37:59Z'), '5m')).toBe(at('2024-03-04T14:35:00Z'))
    expect(newYork.bucketStart(at('2024-03-04T14:37:59Z'), '4h')).toBe(at('2024-03-04T12:00:00Z'))
    // Wednesday 2024-03-13 → the week of Monday 2024-03-11, 00:00 EDT = 04:00Z.
    expect(newYork.bucketStart(at('2024-03-13T15:00:00Z'), '1w')).toBe(at('2024-03-11T04:00:00Z'))
  })

  it('knows which timeframes add up to which', () => {
    expect(canAggregate('1m', '5m')).toBe(true)
    expect(canAggregate('15m', '1h')).toBe(true)
    expect(canAggregate('4h', '1d')).toBe(true)
    expect(canAggregate('1d', '1w')).toBe(true)
    expect(canAggregate('5m', '1m')).toBe(false)
    expect(canAggregate('1w', '1d')).toBe(false)
    expect(canAggregate('1h', '1h')).toBe(false)
  })
})

// test/fixtures/candles/xyz-1m-ny.csv: 09:30–09:37 New York (EST, UTC−5) on 4 March, 09:30–09:31
// on 5 March.
const xyz = [
  candle('2024-03-04T14:30:00Z', '100.00', '100.50', '99.90', '100.20', '1000'),
  candle('2024-03-04T14:31:00Z', '100.20', '100.80', '100.10', '100.70', '500'),
  candle('2024-03-04T14:32:00Z', '100.70', '100.75', '100.30', '100.40', '700'),
  candle('2024-03-04T14:33:00Z', '100.40', '100.60', '100.00', '100.10', '300'),
  candle('2024-03-04T14:34:00Z', '100.10', '100.20', '99.80', '99.95', '400'),
  candle('2024-03-04T14:35:00Z', '99.95', '100.05', '99.70', '100.00', '600'),
  candle('2024-03-04T14:37:00Z', '100.00', '100.30', '99.90', '100.25', '200'),
  candle('2024-03-05T14:30:00Z', '101.00', '101.50', '100.90', '101.40', '800'),
  candle('2024-03-05T14:31:00Z', '101.40', '101.45', '101.00', '101.10', '250'),
]

describe('aggregateCandles', () => {
  it('builds 5m candles: first open, highest high, lowest low, last close, summed volume', () => {
    // 14:30 bucket (09:30–09:34): O 100, H max(100.5, 100.8, 100.75, 100.6, 100.2) = 100.8,
    //   L min(99.9, 100.1, 100.3, 100, 99.8) = 99.8, C 99.95, V 1000+500+700+300+400 = 2900.
    // 14:35 bucket (09:35, 09:37): O 99.95, H 100.3, L 99.7, C 100.25, V 600+200 = 800.
    // 5 March 14:30: O 101, H 101.5, L 100.9, C 101.1, V 800+250 = 1050.
    expect(shown(aggregateCandles(xyz, '5m', newYork).candles)).toEqual([
      { time: '2024-03-04T14:30:00.000Z', ohlcv: '100 100.8 99.8 99.95 2900' },
      { time: '2024-03-04T14:35:00.000Z', ohlcv: '99.95 100.3 99.7 100.25 800' },
      { time: '2024-03-05T14:30:00.000Z', ohlcv: '101 101.5 100.9 101.1 1050' },
    ])
  })

  it('builds daily candles per New York trading date, stamped 00:00 New York (05:00Z)', () => {
    // 4 March: O 100, H 100.8, L 99.7, C 100.25, V 2900 + 800 = 3700.
    expect(shown(aggregateCandles(xyz, '1d', newYork).candles)).toEqual([
      { time: '2024-03-04T05:00:00.000Z', ohlcv: '100 100.8 99.7 100.25 3700' },
      { time: '2024-03-05T05:00:00.000Z', ohlcv: '101 101.5 100.9 101.1 1050' },
    ])
  })

  it('splits the same instants by UTC date when the session is UTC', () => {
    // 14:30Z is the same calendar day in UTC: same two days, stamped 00:00Z.
    const days = aggregateCandles(xyz, '1d', crypto).candles
    expect(days.map((c) => new Date(c.time).toISOString())).toEqual([
      '2024-03-04T00:00:00.000Z',
      '2024-03-05T00:00:00.000Z',
    ])
  })

  it('stops after `limit` candles and hands back the first candle of the next', () => {
    const page = aggregateCandles(xyz, '5m', newYork, 2)
    expect(page.candles).toHaveLength(2)
    expect(page.rest?.time).toBe(at('2024-03-05T14:30:00Z'))
  })
})

describe('findGaps', () => {
  const times = (...isos: string[]) => isos.map(at)

  it('reports missing minutes inside a trading day, not the night between days', () => {
    const gaps = findGaps(
      times(
        '2024-03-04T14:30:00Z',
        '2024-03-04T14:31:00Z',
        '2024-03-04T14:35:00Z',
        '2024-03-05T14:30:00Z',
      ),
      '1m',
      newYork,
    )
    // 14:32, 14:33, 14:34 are missing: 3 candles from 14:32 up to the next present at 14:35.
    expect(gaps).toEqual([
      { from: at('2024-03-04T14:32:00Z'), to: at('2024-03-04T14:35:00Z'), missing: 3 },
    ])
  })

  it('reports every missing minute for markets that trade around the clock', () => {
    // 23:59 to 00:02 the next UTC day: 00:00 and 00:01 are missing.
    expect(findGaps(times('2024-03-04T23:59:00Z', '2024-03-05T00:02:00Z'), '1m', crypto)).toEqual([
      { from: at('2024-03-05T00:00:00Z'), to: at('2024-03-05T00:02:00Z'), missing: 2 },
    ])
  })

  it('expects daily candles Monday to Friday, or every day when the market never closes', () => {
    // Mon 4, Tue 5, Fri 8, Mon 11 March (New York midnights): Wed 6 and Thu 7 are missing;
    // Sat 9 and Sun 10 are no trading days.
    const daily = times(
      '2024-03-04T05:00:00Z',
      '2024-03-05T05:00:00Z',
      '2024-03-08T05:00:00Z',
      '2024-03-11T04:00:00Z',
    )
    expect(findGaps(daily, '1d', newYork)).toEqual([
      { from: at('2024-03-06T05:00:00Z'), to: at('2024-03-08T05:00:00Z'), missing: 2 },
    ])
    // Crypto: Fri 8 then Sun 10: Saturday 9 is missing.
    expect(findGaps(times('2024-03-08T00:00:00Z', '2024-03-10T00:00:00Z'), '1d', crypto)).toEqual([
      { from: at('2024-03-09T00:00:00Z'), to: at('2024-03-10T00:00:00Z'), missing: 1 },
    ])
  })

  it('expects every week', () => {
    // Weeks of 4 and 18 March: the week of 11 March (00:00 EDT = 04:00Z) is missing.
    expect(findGaps(times('2024-03-04T05:00:00Z', '2024-03-18T04:00:00Z'), '1w', newYork)).toEqual([
      { from: at('2024-03-11T04:00:00Z'), to: at('2024-03-18T04:00:00Z'), missing: 1 },
    ])
  })
})

describe('readCandleFile', () => {
  const read = (text: string, zone = 'UTC') => {
    const file = readCandleFile(text, zone)
    if ('message' in file) throw new Error(file.message)
    return { description: file.description, rows: [...file.rows()] }
  }
  const candles = (rows: readonly (ParsedCandle | RowError)[]) =>
    rows.map((row) =>
      'message' in row
        ? row
        : {
            line: row.line,
            time: new Date(row.time).toISOString(),
            ohlcv: [row.open, row.high, row.low, row.close, row.volume]
              .map((v) => formatDecimal(v))
              .join(' '),
          },
    )
  const fixture = (name: string) => readFileSync(`test/fixtures/candles/${name}`, 'utf8')

  it('reads separate date and time columns in the zone given', () => {
    const { description, rows } = read(fixture('xyz-1m-ny.csv'), 'America/New_York')
    expect(description).toBe('header on line 1; times ISO 8601 in America/New_York')
    expect(candles(rows)[0]).toEqual({
      line: 2,
      time: '2024-03-04T14:30:00.000Z',
      ohlcv: '100 100.5 99.9 100.2 1000',
    })
    expect(rows).toHaveLength(9)
  })

  it('reads headerless Binance klines: epoch milliseconds and the first five values', () => {
    const { description, rows } = read(fixture('btcusdt-1m-binance.csv'))
    expect(description).toBe(
      'no header (time, open, high, low, close, volume by position); times epoch milliseconds',
    )
    expect(candles(rows)[1]).toEqual({
      line: 2,
      time: '2024-03-04T14:31:00.000Z',
      ohlcv: '62005 62020 62000 62015.75 2.25',
    })
  })

  it('reads MetaTrader exports: tabs, <DATE> <TIME>, dotted dates', () => {
    const { rows } = read(fixture('mt5-eurusd-h1.csv'), 'Europe/Athens')
    // 2024.03.04 01:00 in Athens (EET, UTC+2) = 2024-03-03T23:00Z.
    expect(candles(rows)[1]).toMatchObject({ time: '2024-03-03T23:00:00.000Z', line: 3 })
  })

  it('reads Yahoo daily files by Close, not Adj Close', () => {
    const { rows } = read(fixture('spy-daily-yahoo.csv'), 'America/New_York')
    expect(candles(rows)[0]).toEqual({
      line: 2,
      time: '2024-03-04T05:00:00.000Z',
      ohlcv: '512.03 514.2 512 512.3 49799300',
    })
  })

  it('reads epoch seconds, day-first dates and quoted thousands', () => {
    expect(candles(read('t,o,h,l,c,v\n1709562600,1,2,0.5,1.5,10\n').rows)[0]).toMatchObject({
      time: '2024-03-04T14:30:00.000Z',
    })
    const european = read(
      'Datetime;Open;High;Low;Close;Volume\n25.03.2024 10:00;1,5;2;1;1,75;1.000\n',
    )
    expect(candles(european.rows)[0]).toEqual({
      line: 2,
      time: '2024-03-25T10:00:00.000Z',
      ohlcv: '1.5 2 1 1.75 1000',
    })
    const quoted = read(
      'Date,Close/Last,Volume,Open,High,Low\n03/04/2024,"$1,234.50",100,"$1,230.00","$1,240.00","$1,229.00"\n',
    )
    expect(candles(quoted.rows)[0]).toMatchObject({ ohlcv: '1230 1240 1229 1234.5 100' })
  })

  it('lists every bad row with its line, column and reason', () => {
    const { rows } = read(fixture('bad-rows.csv'))
    const errors = rows.filter((row): row is RowError => 'message' in row)
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'high'],
      [4, 'open'],
      [5, 'high'],
      [6, 'time'],
      [7, 'volume'],
      [8, 'low'],
    ])
    expect(errors[0]?.message).toBe('high 99 is below low 101')
    expect(rows.filter((row) => !('message' in row))).toHaveLength(1)
  })

  it('refuses a file with no candle columns, naming what it looked for', () => {
    const file = readCandleFile('Name,Price\nAAPL,100\n', 'UTC')
    expect(file).toMatchObject({ line: 1, column: null })
    expect((file as RowError).message).toMatch(/time, open, high, low and close/)
  })
})
