import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { blotter } from '../support/cli'

const fixture = (name: string) => join(process.cwd(), 'test/fixtures/candles', name)

describe('blotter candles, indicators and market', () => {
  let dir: string
  let cleanup: () => void
  let db: string
  beforeEach(() => {
    ;({ dir, cleanup } = tempDir())
    db = join(dir, 'journal.db')
  })
  afterEach(() => cleanup())

  it('candles import exits 1 listing every bad line, and writes nothing', () => {
    const result = blotter([
      'candles',
      'import',
      fixture('bad-rows.csv'),
      '--symbol',
      'XYZ',
      '--timeframe',
      '1m',
      '--db',
      db,
    ])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('bad-rows.csv: rejected')
    expect(result.stdout).toContain('line 3, high: high 99 is below low 101')
    expect(result.stdout).toContain('line 8, low: low 99.5 is above close 99')
    const info = JSON.parse(blotter(['info', '--json', '--db', db]).stdout)
    expect(info.tables.market_data).toBe(0)
    expect(info.tables.instruments).toBe(0)
  })

  it('imports candles, then prints them aggregated with ISO times and decimal strings', () => {
    const imported = blotter([
      'candles',
      'import',
      fixture('xyz-1m-ny.csv'),
      '--symbol',
      'XYZ',
      '--timeframe',
      '1m',
      '--tz',
      'America/New_York',
      '--json',
      '--db',
      db,
    ])
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.stdout)).toMatchObject({ candles: 9, duplicates: 0, gapCount: 1 })
    // --json before the command works as well as after it.
    const listed = blotter([
      '--json',
      'candles',
      '--symbol',
      'XYZ',
      '--timeframe',
      '5m',
      '--tz',
      'America/New_York',
      '--from',
      '2024-03-04',
      '--to',
      '2024-03-04',
      '--db',
      db,
    ])
    expect(listed.code).toBe(0)
    // Worked by hand in test/unit/candles.test.ts.
    expect(JSON.parse(listed.stdout)).toEqual({
      symbol: 'XYZ',
      assetClass: 'stock',
      timeframe: '5m',
      aggregatedFrom: '1m',
      session: { timezone: 'America/New_York', dayStart: '00:00', everyDay: false },
      candles: [
        {
          time: '2024-03-04T14:30:00.000Z',
          open: '100',
          high: '100.8',
          low: '99.8',
          close: '99.95',
          volume: '2900',
        },
        {
          time: '2024-03-04T14:35:00.000Z',
          open: '99.95',
          high: '100.3',
          low: '99.7',
          close: '100.25',
          volume: '800',
        },
      ],
      gaps: [],
      gapCount: 0,
    })
    const computed = blotter([
      'indicators',
      'compute',
      '--symbol',
      'XYZ',
      '--timeframe',
      '1m',
      '--indicator',
      'rsi',
      '--period',
      '3',
      '--json',
      '--db',
      db,
    ])
    expect(JSON.parse(computed.stdout)).toMatchObject({ points: 6, parameters: { period: 3 } })
    const rsi = blotter([
      'indicators',
      '--symbol',
      'XYZ',
      '--timeframe',
      '1m',
      '--indicator',
      'rsi',
      '--period',
      '3',
      '--json',
      '--db',
      db,
    ])
    // RSI(3) worked by hand in test/db/market-data.test.ts.
    expect(JSON.parse(rsi.stdout).points[0]).toEqual({
      time: '2024-03-04T14:33:00.000Z',
      value: '45.45454545',
    })
  })

  it('prints every output of an indicator as decimal strings, past 2^53 too', () => {
    const candles = join(dir, 'big.csv')
    writeFileSync(
      candles,
      'time,open,high,low,close\n' +
        '2024-03-04T14:30:00Z,1,1,1,1\n' +
        '2024-03-04T14:31:00Z,100000000,100000000,100000000,100000000\n',
    )
    const series = ['--symbol', 'BIG', '--timeframe', '1m', '--indicator', 'bbands']
    expect(blotter(['candles', 'import', candles, ...series.slice(0, 4), '--db', db]).code).toBe(0)
    // Period 1: bands of width 0 around each close.
    const options = [...series, '--period', '1', '--db', db]
    expect(blotter(['indicators', 'compute', ...options]).code).toBe(0)
    const listed = blotter(['indicators', ...options, '--json'])
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toMatchObject({
      outputs: ['middle', 'upper', 'lower'],
      points: [
        { time: '2024-03-04T14:30:00.000Z', middle: '1', upper: '1', lower: '1' },
        {
          time: '2024-03-04T14:31:00.000Z',
          middle: '100000000',
          upper: '100000000',
          lower: '100000000',
        },
      ],
      next: null,
    })
    expect(blotter(['indicators', ...options]).stdout).toContain(
      '2024-03-04T14:31:00.000Z  100000000  100000000  100000000',
    )
  })

  it('prints a closed trade’s MAE and MFE from the stored candles', () => {
    const candles = ['candles', 'import', fixture('xyz-1m-ny.csv'), '--symbol', 'XYZ']
    blotter([...candles, '--timeframe', '1m', '--tz', 'America/New_York', '--db', db])
    const fills = join(dir, 'fills.csv')
    writeFileSync(
      fills,
      'time,symbol,side,quantity,price\n' +
        '2024-03-04T14:31:00Z,XYZ,buy,10,100.20\n' +
        '2024-03-04T14:33:30Z,XYZ,sell,10,100.40\n',
    )
    expect(blotter(['import', fills, '--db', db]).code).toBe(0)
    const [trade] = JSON.parse(blotter(['trades', '--json', '--db', db]).stdout) as { id: string }[]
    const excursion = blotter(['excursion', trade?.id ?? '', '--json', '--db', db])
    expect(excursion.code).toBe(0)
    // Held through the 09:31, 09:32 and 09:33 New York candles: highest 100.80, lowest 100.00.
    expect(JSON.parse(excursion.stdout)).toEqual({
      id: trade?.id,
      timeframe: '1m',
      candles: 3,
      maePrice: '0.2',
      mfePrice: '0.6',
      maeR: null,
      mfeR: null,
    })
    const human = blotter(['excursion', trade?.id ?? '', '--db', db])
    expect(human.stdout).toMatch(/^MFE\s+0\.6$/m)
    expect(blotter(['excursion', 'no-such-trade', '--db', db]).code).toBe(1)
  })

  it('imports fundamentals and shows them beside the symbol', () => {
    expect(
      blotter(['market', 'fundamentals', 'import', fixture('company.csv'), '--db', db]).code,
    ).toBe(0)
    const shown = blotter(['market', 'fundamentals', '--symbol', 'XYZ', '--db', db])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('XYZ: XYZ Holdings Inc. (Technology, Software, US)')
  })

  it('exits 2 on usage errors', () => {
    expect(blotter(['candles', '--symbol', 'XYZ', '--timeframe', '2m', '--db', db]).code).toBe(2)
    expect(blotter(['candles', 'import', fixture('xyz-1m-ny.csv'), '--db', db]).code).toBe(2)
    expect(
      blotter([
        'indicators',
        'compute',
        '--symbol',
        'X',
        '--timeframe',
        '1m',
        '--indicator',
        'rsi',
        '--period',
        'ten',
        '--db',
        db,
      ]).code,
    ).toBe(2)
  })
})
