import { describe, expect, it } from 'vitest'
import { formatDecimal, parseDecimal } from '../../core/decimal'
import {
  annualisedVolatility,
  atr,
  bollinger,
  ema,
  indicatorParameters,
  IndicatorError,
  macd,
  rsi,
  sma,
  toFixed8,
  vwap,
  type Series,
} from '../../core/indicators'
import { autoRowSize, volumeProfile } from '../../core/volume-profile'

/** Values rounded to 8 places as they are stored, so expectations are exact decimal strings. */
const stored = (series: Series) =>
  series.map((value) => (value === null ? null : formatDecimal(toFixed8(value))))

describe('moving averages', () => {
  it('SMA(3) is the mean of the last three values', () => {
    // (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4])
  })

  it('EMA(3) seeds with the SMA, then α = 2/(3+1) = 0.5', () => {
    // seed at index 2: (2+4+6)/3 = 4; 0.5·8 + 0.5·4 = 6; 0.5·4 + 0.5·6 = 5; 0.5·2 + 0.5·5 = 3.5
    expect(ema([2, 4, 6, 8, 4, 2], 3)).toEqual([null, null, 4, 6, 5, 3.5])
  })

  it('EMA skips leading nulls (the MACD signal line)', () => {
    // seed at index 3: (4+6)/2 = 5; α = 2/3: 2/3·8 + 1/3·5 = 7
    expect(ema([null, null, 4, 6, 8], 2)).toEqual([null, null, null, 5, 7])
  })
})

describe('RSI (Wilder)', () => {
  it('matches the hand-worked RSI(3)', () => {
    // closes 10, 11, 10.5, 11.5, 12, 11 → changes +1, −0.5, +1, +0.5, −1
    // index 3: avgGain = (1+0+1)/3 = 2/3, avgLoss = (0+0.5+0)/3 = 1/6, RS = 4 → 100 − 100/5 = 80
    // index 4 (+0.5): gain = (2/3·2 + 0.5)/3 = 11/18, loss = (1/6·2)/3 = 1/9, RS = 5.5
    //   → 100 − 100/6.5 = 84.615384615… → 84.61538462
    // index 5 (−1): gain = (11/18·2)/3 = 11/27, loss = (1/9·2 + 1)/3 = 11/27, RS = 1 → 50
    expect(stored(rsi([10, 11, 10.5, 11.5, 12, 11], 3))).toEqual([
      null,
      null,
      null,
      '80',
      '84.61538462',
      '50',
    ])
  })

  it('is 100 without losses and 50 without any movement', () => {
    expect(rsi([1, 2, 3], 2)[2]).toBe(100)
    expect(rsi([5, 5, 5], 2)[2]).toBe(50)
  })
})

describe('MACD', () => {
  it('matches the hand-worked MACD(2, 3, 2)', () => {
    // closes 10, 12, 11, 14, 13, 16
    // EMA2 (α 2/3): seed (10+12)/2 = 11; 2/3·11 + 1/3·11 = 11; 2/3·14 + 1/3·11 = 13;
    //   2/3·13 + 1/3·13 = 13; 2/3·16 + 1/3·13 = 15
    // EMA3 (α 1/2): seed (10+12+11)/3 = 11; 12.5; 12.75; 14.375
    // line from index 2: 0, 0.5, 0.25, 0.625
    // signal EMA2 of the line: seed (0 + 0.5)/2 = 0.25 at index 3; 2/3·0.25 + 1/3·0.25 = 0.25;
    //   2/3·0.625 + 1/3·0.25 = 0.5
    // histogram: 0.25, 0, 0.125
    const result = macd([10, 12, 11, 14, 13, 16], 2, 3, 2)
    expect(stored(result.macd)).toEqual([null, null, null, '0.5', '0.25', '0.625'])
    expect(stored(result.signal)).toEqual([null, null, null, '0.25', '0.25', '0.5'])
    expect(stored(result.histogram)).toEqual([null, null, null, '0.25', '0', '0.125'])
  })
})

describe('Bollinger Bands', () => {
  it('uses the population standard deviation of the window', () => {
    // window 1,1,3,3: mean 2, variance (1+1+1+1)/4 = 1 → 2 ± 2·1
    // window 1,3,3,5: mean 3, variance (4+0+0+4)/4 = 2 → 3 ± 2√2 = 3 ± 2.8284271247…
    // window 3,3,5,5: mean 4, variance 1 → 4 ± 2
    const bands = bollinger([1, 1, 3, 3, 5, 5], 4, 2)
    expect(stored(bands.middle).slice(3)).toEqual(['2', '3', '4'])
    expect(stored(bands.upper).slice(3)).toEqual(['4', '5.82842712', '6'])
    expect(stored(bands.lower).slice(3)).toEqual(['0', '0.17157288', '2'])
  })
})

describe('ATR (Wilder)', () => {
  it('matches the hand-worked ATR(2)', () => {
    // candle  H     L    C    TR (vs previous close)
    // 0       10    8    9    –
    // 1       11    9    10   max(2, |11−9|, |9−9|) = 2
    // 2       12    10.5 12   max(1.5, |12−10|, |10.5−10|) = 2
    // 3       12.5  9    9.5  max(3.5, 0.5, 3) = 3.5
    // 4       10    9.5  9.8  max(0.5, 0.5, 0) = 0.5
    // 5       9     8.5  8.7  max(0.5, |9−9.8| = 0.8, |8.5−9.8| = 1.3) = 1.3
    // ATR at 2: (2+2)/2 = 2; (2·1 + 3.5)/2 = 2.75; (2.75 + 0.5)/2 = 1.625; (1.625 + 1.3)/2 = 1.4625
    const highs = [10, 11, 12, 12.5, 10, 9]
    const lows = [8, 9, 10.5, 9, 9.5, 8.5]
    const closes = [9, 10, 12, 9.5, 9.8, 8.7]
    expect(stored(atr(highs, lows, closes, 2))).toEqual([
      null,
      null,
      '2',
      '2.75',
      '1.625',
      '1.4625',
    ])
  })
})

describe('VWAP', () => {
  it('restarts at each trading day and skips candles before any volume', () => {
    // day 1: TP (11+9+10)/3 = 10 × 100; TP (12+10+11)/3 = 11 × 300 → (1000 + 3300)/400 = 10.75
    // day 2: TP 20 × 50 → 20; then a candle of no volume keeps 20
    // day 3 starts with no volume: null
    const result = vwap(
      [11, 12, 21, 20, 5],
      [9, 10, 19, 16, 4],
      [10, 11, 20, 18, 4.5],
      [100, 300, 50, 0, 0],
      ['2024-03-04', '2024-03-04', '2024-03-05', '2024-03-05', '2024-03-06'],
    )
    expect(result).toEqual([10, 10.75, 20, 20, null])
  })
})

describe('annualised volatility', () => {
  it('is the sample deviation of log returns × √periods per year', () => {
    // closes 100, 110, 99, 108.9: returns ln 1.1, ln 0.9, ln 1.1.
    // Two values a, b have sample deviation |a − b|/√2; |ln 1.1 − ln 0.9| = ln(11/9)
    //   = 0.2006706954621512 → /√2 = 0.1418956095467077 → × √4 = 0.2837912190934153
    expect(stored(annualisedVolatility([100, 110, 99, 108.9], 2, 4))).toEqual([
      null,
      null,
      '0.28379122',
      '0.28379122',
    ])
  })
})

describe('indicator parameters', () => {
  const context = { session: 'America/New_York 00:00', defaultPeriodsPerYear: 252 }

  it('fill in the defaults in one key order, so equal parameters are equal JSON texts', () => {
    expect(JSON.stringify(indicatorParameters('macd', {}, context))).toBe(
      '{"fast":12,"slow":26,"signal":9}',
    )
    expect(
      JSON.stringify(indicatorParameters('macd', { signal: 9, slow: 26, fast: 12 }, context)),
    ).toBe('{"fast":12,"slow":26,"signal":9}')
    expect(JSON.stringify(indicatorParameters('bbands', {}, context))).toBe(
      '{"period":20,"stddev":2}',
    )
    expect(JSON.stringify(indicatorParameters('rsi', {}, context))).toBe('{"period":14}')
    expect(JSON.stringify(indicatorParameters('atr', {}, context))).toBe('{"period":14}')
    expect(JSON.stringify(indicatorParameters('volatility', {}, context))).toBe(
      '{"period":20,"periodsPerYear":252}',
    )
    expect(JSON.stringify(indicatorParameters('vwap', { period: 3 }, context))).toBe(
      '{"session":"America/New_York 00:00"}',
    )
  })

  it('refuses parameters that make no sense', () => {
    expect(() => indicatorParameters('macd', { fast: 26, slow: 12 }, context)).toThrow(
      IndicatorError,
    )
    expect(() => indicatorParameters('volatility', { period: 1 }, context)).toThrow(/period/)
    expect(() => indicatorParameters('sma', { period: 0 }, context)).toThrow(/period/)
  })

  it('rounds to the nearest 10^-8, the same way on both sides of zero', () => {
    expect(toFixed8(84.615384615384)).toBe(8461538462n)
    expect(toFixed8(-84.615384615384)).toBe(-8461538462n)
    expect(toFixed8(-0.000000004)).toBe(0n)
  })
})

describe('volume profile', () => {
  const d = parseDecimal
  // c1: H 10.5 L 10 C 10.2 V 100; c2: H 11 L 10 C 10.9 V 30; rows of 0.5
  const candles = [
    { high: d('10.5'), low: d('10'), close: d('10.2'), volume: d('100') },
    { high: d('11'), low: d('10'), close: d('10.9'), volume: d('30') },
  ]
  const rows = (profile: ReturnType<typeof volumeProfile>) =>
    profile.levels.map((level) => `${formatDecimal(level.price)}:${formatDecimal(level.volume)}`)

  it('close: each candle’s volume on the row of its close', () => {
    // 10.2 → row 10 (100); 10.9 → row 10.5 (30)
    const profile = volumeProfile(candles, d('0.5'), 'close')
    expect(rows(profile)).toEqual(['10:100', '10.5:30'])
    expect(formatDecimal(profile.pointOfControl ?? 0n)).toBe('10')
  })

  it('range: spread evenly over the rows from low to high', () => {
    // c1 touches rows 10 and 10.5: 50 each; c2 rows 10, 10.5, 11: 10 each
    // → 10: 60, 10.5: 60, 11: 10; total 130
    const profile = volumeProfile(candles, d('0.5'), 'range')
    expect(rows(profile)).toEqual(['10:60', '10.5:60', '11:10'])
    // Tie for the most volume: the lower row is the point of control.
    expect(formatDecimal(profile.pointOfControl ?? 0n)).toBe('10')
    // 70 % of 130 = 91: POC 60, then the neighbour above (60) → 120 ≥ 91.
    // Value area: from row 10 to the top of row 10.5 = 11.
    expect(formatDecimal(profile.valueAreaLow ?? 0n)).toBe('10')
    expect(formatDecimal(profile.valueAreaHigh ?? 0n)).toBe('11')
    expect(formatDecimal(profile.total)).toBe('130')
  })

  it('keeps every 10^-8 of a volume that does not divide evenly', () => {
    // 100 over 3 rows: 33.33333333 each, the remaining 0.00000001 on the close's row (10.5)
    const profile = volumeProfile(
      [{ high: d('11'), low: d('10'), close: d('10.6'), volume: d('100') }],
      d('0.5'),
      'range',
    )
    expect(rows(profile)).toEqual(['10:33.33333333', '10.5:33.33333334', '11:33.33333333'])
  })

  it('picks a row size of 1, 2 or 5 × 10^k giving about 100 rows', () => {
    // (5100 − 4900)/100 = 2 → 2; (101.37 − 100)/100 = 0.0137 → 0.02
    expect(formatDecimal(autoRowSize(d('4900'), d('5100')))).toBe('2')
    expect(formatDecimal(autoRowSize(d('100'), d('101.37')))).toBe('0.02')
  })
})
