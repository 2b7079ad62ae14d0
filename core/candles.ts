/**
 * Candles: what a valid one is, the trading calendar that decides which day a candle belongs
 * to, aggregation to higher timeframes and gap detection. Pure; docs/market-data.md defines
 * every rule stated here.
 */
import type { Fixed8 } from './decimal'
import type { EpochMs } from './time'
import { calendarDate, zonedToUtc } from './time-parse'

/** Same list as db/schema/market.ts TIMEFRAMES (core cannot import db; services check both agree). */
export const CANDLE_TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'] as const
export type CandleTimeframe = (typeof CANDLE_TIMEFRAMES)[number]

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

/** Length of the intraday timeframes; 1d and 1w follow the trading calendar instead. */
export const INTRADAY_MS: Readonly<Partial<Record<CandleTimeframe, number>>> = {
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '4h': 240 * MINUTE_MS,
}

export function isIntraday(timeframe: CandleTimeframe): boolean {
  return INTRADAY_MS[timeframe] !== undefined
}

/** One OHLCV candle; `time` is its open instant. */
export interface Candle {
  time: EpochMs
  open: Fixed8
  high: Fixed8
  low: Fixed8
  close: Fixed8
  volume: Fixed8
}

export type CandleField = 'open' | 'high' | 'low' | 'close' | 'volume'

export interface CandleProblem {
  field: CandleField
  reason: string
}

/**
 * Why a candle cannot be stored (empty when it can): prices must be above 0, volume 0 or more,
 * and the high must be the highest price and the low the lowest. The journal's CHECKs say the
 * same; this says it per field, in words.
 */
export function candleProblems(
  candle: Omit<Candle, 'time'>,
  format: (value: Fixed8) => string,
): CandleProblem[] {
  const problems: CandleProblem[] = []
  const prices = ['open', 'high', 'low', 'close'] as const
  for (const field of prices) {
    if (candle[field] <= 0n) {
      problems.push({ field, reason: `${field} ${format(candle[field])} must be greater than 0` })
    }
  }
  if (candle.volume < 0n) {
    problems.push({ field: 'volume', reason: `volume ${format(candle.volume)} must be 0 or more` })
  }
  if (problems.length > 0) return problems
  const { high, low } = candle
  if (high < low) {
    problems.push({ field: 'high', reason: `high ${format(high)} is below low ${format(low)}` })
    return problems
  }
  for (const field of ['open', 'close'] as const) {
    if (high < candle[field]) {
      problems.push({
        field: 'high',
        reason: `high ${format(high)} is below ${field} ${format(candle[field])}`,
      })
    }
    if (low > candle[field]) {
      problems.push({
        field: 'low',
        reason: `low ${format(low)} is above ${field} ${format(candle[field])}`,
      })
    }
  }
  return problems
}

// ---------------------------------------------------------------------------------------------
// Sessions

/**
 * Where an instrument's trading days begin and end. A trading day is a calendar date in `zone`;
 * when `dayStart` is after midnight, the day starts at that wall time on the previous calendar
 * date (CME Globex: 17:00 America/Chicago, so Sunday 17:00 opens Monday's trading day).
 */
export interface Session {
  zone: string
  /** Minutes after midnight at which the next trading day starts; 0 = the calendar day. */
  dayStart: number
  /** Trades on Saturdays and Sundays too (crypto): weekend days are expected like any other. */
  everyDay: boolean
}

/** US equity and options venues (MIC and common names), all on New York time. */
const NEW_YORK_VENUES = new Set([
  'NYSE',
  'XNYS',
  'NASDAQ',
  'XNAS',
  'ARCA',
  'ARCX',
  'NYSEARCA',
  'AMEX',
  'XASE',
  'BATS',
  'BATS-Z',
  'IEX',
  'IEXG',
  'CBOE',
  'XCBO',
  'SMART',
])
/** CME Group venues: trading days roll at 17:00 Chicago. */
const CME_VENUES = new Set(['CME', 'XCME', 'CBOT', 'XCBT', 'NYMEX', 'XNYM', 'COMEX', 'GLOBEX'])
const EUROPEAN_VENUES: Readonly<Record<string, string>> = {
  LSE: 'Europe/London',
  XLON: 'Europe/London',
  XETRA: 'Europe/Berlin',
  XETR: 'Europe/Berlin',
  EUREX: 'Europe/Berlin',
  XEUR: 'Europe/Berlin',
  EURONEXT: 'Europe/Paris',
  XPAR: 'Europe/Paris',
  XAMS: 'Europe/Amsterdam',
  SIX: 'Europe/Zurich',
  XSWX: 'Europe/Zurich',
}

const CME_DAY_START = 17 * 60

/**
 * The session an instrument trades in when the trader names none: by its venue when Blotter
 * knows it, else by asset class (futures: CME's 17:00 Chicago roll; forex: 17:00 New York;
 * crypto: UTC calendar days, every day), else the journal's zone with calendar days.
 */
export function defaultSession(
  instrument: { assetClass: string; exchange: string | null },
  journalZone: string,
): Session {
  const venue = instrument.exchange?.trim().toUpperCase() ?? ''
  if (instrument.assetClass === 'crypto') return { zone: 'UTC', dayStart: 0, everyDay: true }
  if (CME_VENUES.has(venue) || (venue === '' && instrument.assetClass === 'future')) {
    return { zone: 'America/Chicago', dayStart: CME_DAY_START, everyDay: false }
  }
  if (instrument.assetClass === 'forex') {
    return { zone: 'America/New_York', dayStart: 17 * 60, everyDay: false }
  }
  if (NEW_YORK_VENUES.has(venue)) return { zone: 'America/New_York', dayStart: 0, everyDay: false }
  const european = EUROPEAN_VENUES[venue]
  if (european) return { zone: european, dayStart: 0, everyDay: false }
  return { zone: journalZone, dayStart: 0, everyDay: false }
}

/** 'HH:MM' → minutes after midnight; null when it is not a wall time. */
export function parseDayStart(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim())
  if (!match) return null
  const hours = Number(match[1])
  const minutes = Number(match[2])
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null
}

export function formatDayStart(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** 'YYYY-MM-DD' plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay()
}

function wall(date: string, minutes: number) {
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
    hour: Math.floor(minutes / 60),
    minute: minutes % 60,
  }
}

/**
 * Trading days of a {@link Session}, memoised per date: reading a million candles asks the
 * same few hundred dates over and over.
 */
export class TradingCalendar {
  private readonly starts = new Map<string, EpochMs>()
  private readonly labels = new Map<string, EpochMs>()

  constructor(readonly session: Session) {}

  /** The trading date an instant belongs to. */
  tradingDate(instant: EpochMs): string {
    const date = calendarDate(instant, this.session.zone)
    if (this.session.dayStart === 0) return date
    let start = this.starts.get(date)
    if (start === undefined) {
      start = zonedToUtc(wall(date, this.session.dayStart), this.session.zone)
      this.starts.set(date, start)
    }
    return instant >= start ? addDays(date, 1) : date
  }

  /** The instant daily candles of `date` are stamped with: 00:00 of that date in the zone. */
  dayLabel(date: string): EpochMs {
    let label = this.labels.get(date)
    if (label === undefined) {
      label = zonedToUtc(wall(date, 0), this.session.zone)
      this.labels.set(date, label)
    }
    return label
  }

  /** The instant a trading date begins: its day start, on the previous calendar date if after midnight. */
  tradingDayStart(date: string): EpochMs {
    if (this.session.dayStart === 0) return this.dayLabel(date)
    return zonedToUtc(wall(addDays(date, -1), this.session.dayStart), this.session.zone)
  }

  /** Whether candles are expected on a trading date (Monday–Friday, or every day). */
  isTradingDay(date: string): boolean {
    if (this.session.everyDay) return true
    const weekday = weekdayOf(date)
    return weekday !== 0 && weekday !== 6
  }

  /** Monday of the week of a trading date. */
  weekOf(date: string): string {
    return addDays(date, -((weekdayOf(date) + 6) % 7))
  }

  /**
   * Start of the candle of `timeframe` that contains `instant`: intraday candles on a grid
   * aligned to the Unix epoch (UTC); daily candles at {@link dayLabel} of the trading date;
   * weekly ones at the label of that week's Monday.
   */
  bucketStart(instant: EpochMs, timeframe: CandleTimeframe): EpochMs {
    const length = INTRADAY_MS[timeframe]
    if (length !== undefined) return Math.floor(instant / length) * length
    const date = this.tradingDate(instant)
    return this.dayLabel(timeframe === '1w' ? this.weekOf(date) : date)
  }

  /**
   * The first instant of the candle of `timeframe` containing `instant`: its bucket start when
   * intraday, else the start of its (first) trading day, which a day start after midnight puts
   * before the daily candle's 00:00 label. Where reading candles of that bucket must begin.
   */
  spanStart(instant: EpochMs, timeframe: CandleTimeframe): EpochMs {
    if (isIntraday(timeframe)) return this.bucketStart(instant, timeframe)
    const date = this.tradingDate(instant)
    return this.tradingDayStart(timeframe === '1w' ? this.weekOf(date) : date)
  }
}

// ---------------------------------------------------------------------------------------------
// Aggregation

const ORDER: Readonly<Record<CandleTimeframe, number>> = Object.fromEntries(
  CANDLE_TIMEFRAMES.map((timeframe, index) => [timeframe, index]),
) as Record<CandleTimeframe, number>

/**
 * Whether candles of `source` add up to candles of `target`: the target is longer and, when
 * intraday, a whole multiple of the source (every intraday timeframe divides the longer ones).
 */
export function canAggregate(source: CandleTimeframe, target: CandleTimeframe): boolean {
  if (ORDER[source] >= ORDER[target]) return false
  const sourceMs = INTRADAY_MS[source]
  const targetMs = INTRADAY_MS[target]
  if (targetMs === undefined) return source !== '1w'
  return sourceMs !== undefined && targetMs % sourceMs === 0
}

/**
 * Candles of a higher timeframe from candles sorted by time: open of the first, highest high,
 * lowest low, close of the last, summed volume, stamped with the bucket's start. A bucket only
 * partly covered (the range's edges, missing candles) is built from what there is. Stops after
 * `limit` candles; `rest` is then the first source candle of the next one.
 */
export function aggregateCandles(
  candles: Iterable<Candle>,
  timeframe: CandleTimeframe,
  calendar: TradingCalendar,
  limit = Infinity,
): { candles: Candle[]; rest: Candle | null } {
  const result: Candle[] = []
  let current: Candle | undefined
  for (const candle of candles) {
    const start = calendar.bucketStart(candle.time, timeframe)
    if (current !== undefined && current.time === start) {
      if (candle.high > current.high) current.high = candle.high
      if (candle.low < current.low) current.low = candle.low
      current.close = candle.close
      current.volume += candle.volume
    } else {
      if (result.length >= limit) return { candles: result, rest: candle }
      current = { ...candle, time: start }
      result.push(current)
    }
  }
  return { candles: result, rest: null }
}

// ---------------------------------------------------------------------------------------------
// Gaps

/** Expected candles missing between two present ones: `from` is the first missing, `to` the next present. */
export interface Gap {
  from: EpochMs
  to: EpochMs
  missing: number
}

/**
 * Gaps in candles of one timeframe, from their sorted open times. Only the span between the
 * first and the last candle is judged. What is expected:
 * - intraday: every candle of the grid between two candles of the same trading date (sessions
 *   trading every day: between any two), so nights and weekends are no gaps;
 * - daily: every trading day (Monday–Friday; every day for sessions trading every day);
 *   holidays are reported, Blotter knows no holiday calendar;
 * - weekly: every week.
 */
export function findGaps(
  times: readonly EpochMs[],
  timeframe: CandleTimeframe,
  calendar: TradingCalendar,
): Gap[] {
  const gaps: Gap[] = []
  const length = INTRADAY_MS[timeframe]
  for (let i = 1; i < times.length; i++) {
    const before = times[i - 1] as number
    const after = times[i] as number
    if (length !== undefined) {
      if (after - before <= length) continue
      if (
        !calendar.session.everyDay &&
        calendar.tradingDate(before) !== calendar.tradingDate(after)
      ) {
        continue
      }
      gaps.push({
        from: before + length,
        to: after,
        missing: Math.ceil((after - before) / length) - 1,
      })
    } else if (timeframe === '1w') {
      const weeks = Math.round(
        (Date.parse(calendar.weekOf(calendar.tradingDate(after))) -
          Date.parse(calendar.weekOf(calendar.tradingDate(before)))) /
          (7 * DAY_MS),
      )
      if (weeks > 1) {
        const first = addDays(calendar.weekOf(calendar.tradingDate(before)), 7)
        gaps.push({ from: calendar.dayLabel(first), to: after, missing: weeks - 1 })
      }
    } else {
      const last = calendar.tradingDate(after)
      let first: string | null = null
      let missing = 0
      for (
        let date = addDays(calendar.tradingDate(before), 1);
        date < last;
        date = addDays(date, 1)
      ) {
        if (!calendar.isTradingDay(date)) continue
        first ??= date
        missing++
      }
      if (first !== null) gaps.push({ from: calendar.dayLabel(first), to: after, missing })
    }
  }
  return gaps
}
