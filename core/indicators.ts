/**
 * Technical indicators over candle series. Pure and computed in double precision from prices in
 * currency units; values are rounded to 8 decimal places only when stored. Each function returns
 * one value per input candle, null where the indicator is not defined yet. The definitions
 * (docs/market-data.md) follow Wilder and TA-Lib's conventions.
 */

export const INDICATORS = [
  'sma',
  'ema',
  'rsi',
  'macd',
  'bbands',
  'atr',
  'vwap',
  'volatility',
] as const
export type IndicatorName = (typeof INDICATORS)[number]

export type Series = (number | null)[]

export class IndicatorError extends Error {
  override name = 'IndicatorError'
}

/** Simple moving average: the mean of the last `period` values. */
export function sma(values: readonly number[], period: number): Series {
  const result: Series = new Array<number | null>(values.length).fill(null)
  for (let i = period - 1; i < values.length; i++) {
    // A fresh sum per window: no drift from adding and subtracting over a million candles.
    let sum = 0
    for (let j = i - period + 1; j <= i; j++) sum += values[j] as number
    result[i] = sum / period
  }
  return result
}

/**
 * Exponential moving average, α = 2 / (period + 1), seeded with the simple average of the
 * first `period` values: EMA = α × value + (1 − α) × previous EMA. Nulls before the input's
 * first value are skipped (MACD's signal line is an EMA of a series that starts late).
 */
export function ema(values: readonly (number | null)[], period: number): Series {
  const result: Series = new Array<number | null>(values.length).fill(null)
  const alpha = 2 / (period + 1)
  const first = values.findIndex((value) => value !== null)
  if (first === -1) return result
  const seedAt = first + period - 1
  if (seedAt >= values.length) return result
  let sum = 0
  for (let j = first; j <= seedAt; j++) sum += values[j] as number
  let previous = sum / period
  result[seedAt] = previous
  for (let i = seedAt + 1; i < values.length; i++) {
    previous = alpha * (values[i] as number) + (1 - alpha) * previous
    result[i] = previous
  }
  return result
}

/**
 * Relative strength index (Wilder): gains and losses of close-to-close changes; the first
 * averages are the means of the first `period` changes, then each average is
 * (previous × (period − 1) + current) / period. RSI = 100 − 100 / (1 + avgGain / avgLoss);
 * 100 when there is no loss, 50 when there is neither gain nor loss.
 */
export function rsi(closes: readonly number[], period: number): Series {
  const result: Series = new Array<number | null>(closes.length).fill(null)
  if (closes.length <= period) return result
  let gain = 0
  let loss = 0
  for (let i = 1; i <= period; i++) {
    const change = (closes[i] as number) - (closes[i - 1] as number)
    if (change > 0) gain += change
    else loss -= change
  }
  gain /= period
  loss /= period
  result[period] = rsiOf(gain, loss)
  for (let i = period + 1; i < closes.length; i++) {
    const change = (closes[i] as number) - (closes[i - 1] as number)
    gain = (gain * (period - 1) + Math.max(change, 0)) / period
    loss = (loss * (period - 1) + Math.max(-change, 0)) / period
    result[i] = rsiOf(gain, loss)
  }
  return result
}

function rsiOf(gain: number, loss: number): number {
  if (loss === 0) return gain === 0 ? 50 : 100
  return 100 - 100 / (1 + gain / loss)
}

/**
 * MACD: line = EMA(fast) − EMA(slow) of closes; signal = EMA(signal) of the line (seeded with
 * the mean of its first `signal` values); histogram = line − signal. A point is defined once
 * the signal is.
 */
export function macd(
  closes: readonly number[],
  fast: number,
  slow: number,
  signal: number,
): { macd: Series; signal: Series; histogram: Series } {
  const fastLine = ema(closes, fast)
  const slowLine = ema(closes, slow)
  const line = closes.map((_, i) => {
    const f = fastLine[i]
    const s = slowLine[i]
    return f == null || s == null ? null : f - s
  })
  const signalLine = ema(line, signal)
  const histogram = line.map((value, i) => {
    const s = signalLine[i]
    return value === null || s == null ? null : value - s
  })
  return {
    macd: line.map((value, i) => (signalLine[i] == null ? null : value)),
    signal: signalLine,
    histogram,
  }
}

/**
 * Bollinger Bands: middle = SMA(period); upper and lower = middle ± k × the population standard
 * deviation (divided by `period`, as Bollinger defines it) of the same closes.
 */
export function bollinger(
  closes: readonly number[],
  period: number,
  k: number,
): { middle: Series; upper: Series; lower: Series } {
  const middle = sma(closes, period)
  const upper: Series = new Array<number | null>(closes.length).fill(null)
  const lower: Series = new Array<number | null>(closes.length).fill(null)
  for (let i = period - 1; i < closes.length; i++) {
    const mean = middle[i] as number
    let squares = 0
    for (let j = i - period + 1; j <= i; j++) squares += ((closes[j] as number) - mean) ** 2
    const deviation = Math.sqrt(squares / period)
    upper[i] = mean + k * deviation
    lower[i] = mean - k * deviation
  }
  return { middle, upper, lower }
}

/**
 * Average true range (Wilder). True range from the second candle on: max(high − low,
 * |high − previous close|, |low − previous close|). The first ATR (at index `period`) is the mean
 * of the first `period` true ranges, then (previous × (period − 1) + TR) / period.
 */
export function atr(
  highs: readonly number[],
  lows: readonly number[],
  closes: readonly number[],
  period: number,
): Series {
  const result: Series = new Array<number | null>(closes.length).fill(null)
  if (closes.length <= period) return result
  const trueRange = (i: number) => {
    const high = highs[i] as number
    const low = lows[i] as number
    const previous = closes[i - 1] as number
    return Math.max(high - low, Math.abs(high - previous), Math.abs(low - previous))
  }
  let average = 0
  for (let i = 1; i <= period; i++) average += trueRange(i)
  average /= period
  result[period] = average
  for (let i = period + 1; i < closes.length; i++) {
    average = (average * (period - 1) + trueRange(i)) / period
    result[i] = average
  }
  return result
}

/**
 * Session-anchored VWAP: Σ(typical price × volume) / Σ volume from the first candle of the
 * candle's trading day, typical price = (high + low + close) / 3. Null until the session has
 * traded any volume.
 */
export function vwap(
  highs: readonly number[],
  lows: readonly number[],
  closes: readonly number[],
  volumes: readonly number[],
  tradingDates: readonly string[],
): Series {
  const result: Series = new Array<number | null>(closes.length).fill(null)
  let day: string | undefined
  let weighted = 0
  let volume = 0
  for (let i = 0; i < closes.length; i++) {
    if (tradingDates[i] !== day) {
      day = tradingDates[i]
      weighted = 0
      volume = 0
    }
    const typical = ((highs[i] as number) + (lows[i] as number) + (closes[i] as number)) / 3
    weighted += typical * (volumes[i] as number)
    volume += volumes[i] as number
    if (volume > 0) result[i] = weighted / volume
  }
  return result
}

/**
 * Annualised volatility: the sample standard deviation (n − 1) of the last `period` log
 * returns ln(close / previous close), times √periodsPerYear. A fraction: 0.25 = 25 %.
 */
export function annualisedVolatility(
  closes: readonly number[],
  period: number,
  periodsPerYear: number,
): Series {
  const result: Series = new Array<number | null>(closes.length).fill(null)
  const returns = closes.map((close, i) =>
    i === 0 ? 0 : Math.log(close / (closes[i - 1] as number)),
  )
  const scale = Math.sqrt(periodsPerYear)
  for (let i = period; i < closes.length; i++) {
    let mean = 0
    for (let j = i - period + 1; j <= i; j++) mean += returns[j] as number
    mean /= period
    let squares = 0
    for (let j = i - period + 1; j <= i; j++) squares += ((returns[j] as number) - mean) ** 2
    result[i] = Math.sqrt(squares / (period - 1)) * scale
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Indicator specifications: parameters, their canonical JSON, outputs

export interface IndicatorOptions {
  period?: number
  fast?: number
  slow?: number
  signal?: number
  stddev?: number
  periodsPerYear?: number
}

/** The candle columns an indicator reads, in currency units, plus each candle's trading date. */
export interface IndicatorInput {
  high: readonly number[]
  low: readonly number[]
  close: readonly number[]
  volume: readonly number[]
  tradingDate: readonly string[]
}

export interface IndicatorSeries {
  /** Output names; single-output indicators have one, 'value'. */
  outputs: string[]
  values: Record<string, Series>
}

/** Parameters in their canonical key order, with the defaults filled in. */
export type IndicatorParameters = Record<string, number | string>

const DEFAULT_PERIOD: Readonly<Record<IndicatorName, number>> = {
  sma: 20,
  ema: 20,
  rsi: 14,
  macd: 0,
  bbands: 20,
  atr: 14,
  vwap: 0,
  volatility: 20,
}

function positiveInteger(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min || value > 100_000) {
    throw new IndicatorError(`${name} must be a whole number from ${min} to 100000, got ${value}`)
  }
  return value
}

/**
 * The indicator's parameters with defaults (MACD 12/26/9, Bollinger 20/2, RSI and ATR 14,
 * SMA, EMA and volatility 20) in canonical key order: `JSON.stringify` of the result is the
 * text stored in technical_indicators.parameters, so equal parameters are equal texts.
 * `session` names the trading days VWAP restarts on; `defaultPeriodsPerYear` is volatility's.
 */
export function indicatorParameters(
  name: IndicatorName,
  options: IndicatorOptions,
  context: { session: string; defaultPeriodsPerYear: number },
): IndicatorParameters {
  switch (name) {
    case 'macd': {
      const fast = positiveInteger('fast', options.fast ?? 12)
      const slow = positiveInteger('slow', options.slow ?? 26)
      const signal = positiveInteger('signal', options.signal ?? 9)
      if (fast >= slow) throw new IndicatorError(`fast (${fast}) must be below slow (${slow})`)
      return { fast, slow, signal }
    }
    case 'bbands': {
      const stddev = options.stddev ?? 2
      if (!(stddev > 0 && stddev <= 10)) {
        throw new IndicatorError(`stddev must be above 0 and at most 10, got ${stddev}`)
      }
      return { period: positiveInteger('period', options.period ?? 20), stddev }
    }
    case 'vwap':
      return { session: context.session }
    case 'volatility': {
      const periodsPerYear = options.periodsPerYear ?? context.defaultPeriodsPerYear
      if (!(periodsPerYear > 0 && periodsPerYear <= 1e7)) {
        throw new IndicatorError(`periodsPerYear must be above 0, got ${periodsPerYear}`)
      }
      return { period: positiveInteger('period', options.period ?? 20, 2), periodsPerYear }
    }
    default:
      return { period: positiveInteger('period', options.period ?? DEFAULT_PERIOD[name]) }
  }
}

/** Number of a canonical parameter (the specification fills every one in). */
function numberOf(parameters: IndicatorParameters, key: string): number {
  return parameters[key] as number
}

/** The indicator over a candle series. */
export function computeIndicator(
  name: IndicatorName,
  parameters: IndicatorParameters,
  input: IndicatorInput,
): IndicatorSeries {
  const period = numberOf(parameters, 'period')
  const single = (values: Series): IndicatorSeries => ({
    outputs: ['value'],
    values: { value: values },
  })
  switch (name) {
    case 'sma':
      return single(sma(input.close, period))
    case 'ema':
      return single(ema(input.close, period))
    case 'rsi':
      return single(rsi(input.close, period))
    case 'atr':
      return single(atr(input.high, input.low, input.close, period))
    case 'vwap':
      return single(vwap(input.high, input.low, input.close, input.volume, input.tradingDate))
    case 'volatility':
      return single(
        annualisedVolatility(input.close, period, numberOf(parameters, 'periodsPerYear')),
      )
    case 'macd': {
      const values = macd(
        input.close,
        numberOf(parameters, 'fast'),
        numberOf(parameters, 'slow'),
        numberOf(parameters, 'signal'),
      )
      return { outputs: ['macd', 'signal', 'histogram'], values }
    }
    case 'bbands': {
      const values = bollinger(input.close, period, numberOf(parameters, 'stddev'))
      return { outputs: ['middle', 'upper', 'lower'], values }
    }
  }
}

/**
 * Periods per year volatility is annualised with unless given: 52 weekly; 252 trading days
 * (365 for markets trading every day); intraday, that many days of 390 minutes (a US equity
 * regular session; 1,440 for markets trading around the clock) divided by the candle length.
 */
export function defaultPeriodsPerYear(
  intradayMinutes: number | null,
  weekly: boolean,
  everyDay: boolean,
): number {
  if (weekly) return 52
  const days = everyDay ? 365 : 252
  if (intradayMinutes === null) return days
  return (days * (everyDay ? 1440 : 390)) / intradayMinutes
}

/** A double to Fixed8, rounded to the nearest 10^-8 (ties away from zero). */
export function toFixed8(value: number): bigint {
  const scaled = BigInt(Math.round(Math.abs(value) * 1e8))
  return value < 0 ? -scaled : scaled
}
