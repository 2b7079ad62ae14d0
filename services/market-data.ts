/**
 * Market data use cases: importing candles, order book snapshots and fundamentals (each file all
 * or nothing, in one transaction), reading candles for charts with on-demand aggregation and gap
 * reports, computing and reading indicators, building volume profiles. docs/market-data.md.
 */
import { Buffer } from 'node:buffer'
import { basename } from 'node:path'
import { uuidv7 } from 'uuidv7'
import type {
  BookLevelView,
  CandleImportView,
  CandleSeriesView,
  FundamentalsImportView,
  FundamentalsView,
  GapView,
  IndicatorComputeView,
  IndicatorSeriesView,
  LatestIndicatorView,
  OrderBookImportView,
  OrderBookView,
  ParsedInput,
  SessionView,
  VolumeProfileView,
} from '../contract'
import {
  addDays,
  aggregateCandles,
  canAggregate,
  CANDLE_TIMEFRAMES,
  defaultSession,
  findGaps,
  formatDayStart,
  INTRADAY_MS,
  parseDayStart,
  TradingCalendar,
  type Candle,
  type CandleTimeframe,
  type Gap,
  type Session,
} from '../core/candles'
import { formatDecimal, parseDecimal, toNumber, type Fixed8 } from '../core/decimal'
import {
  computeIndicator,
  defaultPeriodsPerYear,
  IndicatorError,
  indicatorParameters,
  toFixed8,
  type IndicatorName,
  type IndicatorOptions,
  type IndicatorParameters,
} from '../core/indicators'
import { toScaled } from '../core/scaled'
import { isTimeZone, toIsoUtc } from '../core/time'
import { autoRowSize, volumeProfile } from '../core/volume-profile'
import { FillWriter } from '../db/queries/fills'
import {
  CandleWriter,
  decimalSql,
  findInstruments,
  iterateCandles,
  readCandleColumns,
  readCandles,
  readCandleTimes,
  readIndicatorColumns,
  readLatestIndicators,
  storedTimeframes,
  writeIndicator,
  type CandleColumns,
  type CandleRange,
  type IndicatorPoint,
  type InstrumentRow,
} from '../db/queries/market-data'
import { ASSET_CLASSES, type AssetClass, type Timeframe } from '../db/schema'
import { readCandleFile } from '../importers/candles'
import {
  detectFundamentalsKind,
  readFundamentalsCsv,
  readOrderBookCsv,
  STATISTICS,
  type FundamentalsKind,
  type FundamentalsRow,
} from '../importers/market-csv'
import { decodeFile } from '../importers/sniff'
import type { InstrumentSpec, RowError } from '../importers/types'
import { futureInstrument, optionFromSymbol, stockInstrument } from '../importers/us/common'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { newInstrument } from './import'
import { userFuturesTable } from './instruments'
import { settingValue } from './settings'

// core/candles.ts repeats the schema's timeframe list (core cannot import db): keep them equal.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const timeframesAgree: Same<CandleTimeframe, Timeframe> = true
void timeframesAgree

/** Gaps listed in a result; the count says how many there are in all. */
const MAX_GAPS_LISTED = 100
const EARLIEST = -8.64e15
const LATEST = 8.64e15

/** Thrown inside a transaction to roll it back; never escapes this module. */
class Rollback extends Error {}

function runRollingBack(ctx: ServiceContext, work: () => void): void {
  try {
    ctx.journal.sqlite.transaction(work).immediate()
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Instruments and sessions

function assetClassOf(text: string | undefined): AssetClass | null {
  if (text === undefined) return null
  const lower = text.trim().toLowerCase()
  if (!(ASSET_CLASSES as readonly string[]).includes(lower)) {
    throw new AppError(
      'invalid_input',
      `assetClass "${text}" must be one of ${ASSET_CLASSES.join(', ')}`,
    )
  }
  return lower as AssetClass
}

/**
 * The instrument a symbol names in an asset class, as the importers normalise it; a one-digit
 * futures year ("ESZ4") is the one nearest to `at`.
 */
function specOf(symbol: string, assetClass: AssetClass, at = Date.now()): InstrumentSpec | null {
  if (assetClass === 'option') return optionFromSymbol(symbol)
  if (assetClass === 'future') {
    const contract = futureInstrument(symbol, at)
    if (contract) return contract
    // A continuous or root symbol ("ES"): its own root, so the futures table knows its multiplier.
    const root = stockInstrument(symbol, 'future')
    return root && { ...root, underlying: root.symbol }
  }
  return stockInstrument(symbol, assetClass)
}

/**
 * The live instrument a symbol (and asset class) names, futures dated near `at` (default now);
 * null when there is none. Several: an invalid_input AppError asking for the asset class.
 */
export function findInstrument(
  ctx: ServiceContext,
  input: { symbol: string; assetClass?: string | undefined; at?: number | undefined },
): InstrumentRow | null {
  const assetClass = assetClassOf(input.assetClass)
  const spec = assetClass ? specOf(input.symbol, assetClass, input.at) : null
  const symbol = spec?.symbol ?? input.symbol.trim().toUpperCase()
  let rows = findInstruments(ctx.journal.sqlite, symbol, assetClass)
  if (rows.length === 0 && assetClass === null) {
    // "ESZ4" is stored as ESZ24 and "AAPL 240621C00190000" in OCC form: try those spellings.
    for (const derivative of ['future', 'option'] as const) {
      const canonical = specOf(input.symbol, derivative, input.at)?.symbol
      if (canonical !== undefined && canonical !== symbol) {
        rows = findInstruments(ctx.journal.sqlite, canonical, derivative)
        if (rows.length > 0) break
      }
    }
  }
  if (rows.length > 1) {
    throw new AppError(
      'invalid_input',
      `"${symbol}" names ${rows.length} instruments (${rows.map((row) => row.assetClass + (row.exchange ? ` on ${row.exchange}` : '')).join(', ')}): give the asset class`,
    )
  }
  return rows[0] ?? null
}

function requireInstrument(
  ctx: ServiceContext,
  input: { symbol: string; assetClass?: string | undefined },
): InstrumentRow {
  const found = findInstrument(ctx, input)
  if (!found) {
    throw new AppError(
      'not_found',
      `No instrument "${input.symbol}"${input.assetClass ? ` (${input.assetClass})` : ''} in the journal: import its candles or fills first`,
    )
  }
  return found
}

/** Found, or created (as a stock unless an asset class is given) inside the caller's transaction. */
function findOrCreateInstrument(
  ctx: ServiceContext,
  input: { symbol: string; assetClass?: string | undefined },
): InstrumentRow {
  const found = findInstrument(ctx, input)
  if (found) return found
  const assetClass = assetClassOf(input.assetClass) ?? 'stock'
  const spec = specOf(input.symbol, assetClass)
  if (!spec) {
    throw new AppError(
      'invalid_input',
      `"${input.symbol}" is not a ${assetClass} symbol Blotter can read`,
    )
  }
  const created = new FillWriter(ctx.journal.sqlite).instrument(
    newInstrument(spec, settingValue(ctx, 'journal.baseCurrency'), userFuturesTable(ctx)),
  )
  return {
    id: created.id,
    symbol: spec.symbol,
    assetClass: spec.assetClass,
    exchange: spec.exchange,
  }
}

/**
 * The instrument's default session (core/candles.ts defaultSession), or the one asked for: a
 * timezone other than the default's starts days at midnight unless dayStart says otherwise.
 */
function sessionOf(
  ctx: ServiceContext,
  instrument: InstrumentRow,
  input: { timezone?: string | undefined; dayStart?: string | undefined },
): Session {
  const base = defaultSession(instrument, settingValue(ctx, 'journal.timezone'))
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
    throw new AppError('invalid_input', `timezone "${input.timezone}" is not an IANA time zone`)
  }
  let dayStart: number | null = null
  if (input.dayStart !== undefined) {
    dayStart = parseDayStart(input.dayStart)
    if (dayStart === null) {
      throw new AppError('invalid_input', `dayStart "${input.dayStart}" must be a time HH:MM`)
    }
  }
  const zone = input.timezone ?? base.zone
  return {
    zone,
    dayStart: dayStart ?? (zone === base.zone ? base.dayStart : 0),
    everyDay: base.everyDay,
  }
}

function sessionView(session: Session): SessionView {
  return {
    timezone: session.zone,
    dayStart: formatDayStart(session.dayStart),
    everyDay: session.everyDay,
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** `from` inclusive, `to` exclusive; a date is its trading day's start (`to`: the next day's). */
function rangeOf(
  calendar: TradingCalendar,
  from: string | undefined,
  to: string | undefined,
): { from: number; to: number } {
  const instant = (text: string | undefined, fallback: number, days: number) => {
    if (text === undefined) return fallback
    if (DATE_ONLY.test(text)) return calendar.tradingDayStart(addDays(text, days))
    return Date.parse(text)
  }
  const range = { from: instant(from, EARLIEST, 0), to: instant(to, LATEST, 1) }
  if (range.from >= range.to) {
    throw new AppError('invalid_input', `from (${from}) must be before to (${to})`)
  }
  return range
}

function gapViews(gaps: readonly Gap[]): { gaps: GapView[]; gapCount: number } {
  return {
    gaps: gaps.slice(0, MAX_GAPS_LISTED).map((gap) => ({
      from: toIsoUtc(gap.from),
      to: toIsoUtc(gap.to),
      missing: gap.missing,
    })),
    gapCount: gaps.length,
  }
}

// ---------------------------------------------------------------------------------------------
// Candles: import

const sameCandle = (a: Omit<Candle, 'time'>, b: Omit<Candle, 'time'>) =>
  a.open === b.open &&
  a.high === b.high &&
  a.low === b.low &&
  a.close === b.close &&
  a.volume === b.volume

/**
 * Imports an OHLCV CSV for one instrument and timeframe. Every bad row is listed (line, column,
 * reason) and then the file is rejected whole unless skipInvalid; candles already stored for the
 * same time and source are counted as duplicates and left as they are. Daily and weekly candles
 * are stamped with 00:00 of their trading day (week: its Monday) in the session zone.
 */
export function importCandles(
  ctx: ServiceContext,
  input: ParsedInput<'candles.import'>,
): CandleImportView {
  const timeframe = input.timeframe
  const result: CandleImportView = {
    file: basename(input.file.name),
    symbol: input.symbol.toUpperCase(),
    timeframe,
    status: 'rejected',
    layout: null,
    candles: 0,
    duplicates: 0,
    skipped: 0,
    first: null,
    last: null,
    session: null,
    gaps: [],
    gapCount: 0,
    warnings: [],
    errors: [],
  }
  const decoded = decodeFile(Buffer.from(input.file.content, 'base64'))
  if (decoded.encoding === 'windows-1252') {
    result.warnings.push('The file is not valid UTF-8; it was read as Windows-1252')
  }
  assetClassOf(input.assetClass)
  const intraday = INTRADAY_MS[timeframe]
  runRollingBack(ctx, () => {
    const instrument = findOrCreateInstrument(ctx, input)
    result.symbol = instrument.symbol
    const session = sessionOf(ctx, instrument, input)
    const calendar = new TradingCalendar(session)
    result.session = sessionView(session)
    const file = readCandleFile(decoded.text, session.zone)
    if ('message' in file) {
      result.errors.push(file)
      throw new Rollback()
    }
    result.layout = file.description
    const sqlite = ctx.journal.sqlite
    const lastIdBefore = sqlite
      .prepare('SELECT ifnull(max(id), 0) FROM market_data')
      .pluck()
      .get() as bigint
    const writer = new CandleWriter(sqlite, instrument.id, timeframe, input.source)
    const badLines = new Set<number>()
    let changedValues = 0
    let first = Infinity
    let last = -Infinity
    let previous: { line: number; time: number } | null = null
    const fail = (error: RowError) => {
      result.errors.push(error)
      badLines.add(error.line)
    }
    for (const item of file.rows()) {
      if ('message' in item) {
        fail(item)
        continue
      }
      const time = intraday === undefined ? calendar.bucketStart(item.time, timeframe) : item.time
      if (
        intraday !== undefined &&
        previous !== null &&
        time !== previous.time &&
        Math.abs(time - previous.time) < intraday
      ) {
        fail({
          line: item.line,
          column: null,
          message: `${toIsoUtc(time)} is ${Math.abs(time - previous.time) / 1000} s from the candle on line ${previous.line}, closer than one ${timeframe} candle: is the timeframe right?`,
        })
        continue
      }
      previous = { line: item.line, time }
      // After an error nothing more is written, but reading goes on to list every error.
      if (result.errors.length > 0 && !input.skipInvalid) continue
      const candle = { ...item, time }
      if (time < first) first = time
      if (time > last) last = time
      if (writer.add(candle)) {
        result.candles += 1
        continue
      }
      const stored = writer.storedAt(time)
      const same = stored !== undefined && sameCandle(stored, candle)
      if (stored !== undefined && stored.id > lastIdBefore && !same) {
        fail({
          line: item.line,
          column: null,
          message: `Another row of this file has a candle at ${toIsoUtc(time)} with other prices`,
        })
        continue
      }
      result.duplicates += 1
      if (!same) changedValues += 1
    }
    result.skipped = badLines.size
    if (result.errors.length > 0 && !input.skipInvalid) throw new Rollback()
    if (changedValues > 0) {
      result.warnings.push(
        `${changedValues} candles were already stored from source "${input.source}" with other prices; the stored ones were kept`,
      )
    }
    if (first <= last) {
      result.first = toIsoUtc(first)
      result.last = toIsoUtc(last)
      const times = readCandleTimes(sqlite, {
        instrumentId: instrument.id,
        timeframe,
        from: first,
        to: last + 1,
        source: null,
      })
      Object.assign(result, gapViews(findGaps(times, timeframe, calendar)))
    }
    if (input.dryRun) throw new Rollback()
    result.status = 'imported'
  })
  if (input.dryRun) result.status = 'dry-run'
  if (result.errors.length > 0 && !input.skipInvalid) {
    if (!input.dryRun) result.status = 'rejected'
    result.candles = 0
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Candles: read

interface CandleSource {
  instrument: InstrumentRow
  calendar: TradingCalendar
  /** Null when the timeframe is stored as it is. */
  aggregatedFrom: CandleTimeframe | null
  range: CandleRange
}

/** Where candles of `timeframe` come from: stored as such, else the finest stored timeframe that adds up to it. */
function candleSource(
  ctx: ServiceContext,
  input: {
    symbol: string
    assetClass?: string | undefined
    timeframe: CandleTimeframe
    timezone?: string | undefined
    dayStart?: string | undefined
    source?: string | undefined
    from?: string | undefined
    to?: string | undefined
  },
): CandleSource {
  const instrument = requireInstrument(ctx, input)
  const calendar = new TradingCalendar(sessionOf(ctx, instrument, input))
  const { from, to } = rangeOf(calendar, input.from, input.to)
  const stored = storedTimeframes(ctx.journal.sqlite, instrument.id, CANDLE_TIMEFRAMES)
  const base = { instrumentId: instrument.id, from, to, source: input.source ?? null }
  if (stored.includes(input.timeframe)) {
    return {
      instrument,
      calendar,
      aggregatedFrom: null,
      range: { ...base, timeframe: input.timeframe },
    }
  }
  const finer = stored.find((timeframe) => canAggregate(timeframe, input.timeframe))
  if (!finer) {
    throw new AppError(
      'not_found',
      `No ${instrument.symbol} candles at ${input.timeframe} or at a finer timeframe that adds up to it (stored: ${stored.join(', ') || 'none'})`,
    )
  }
  return { instrument, calendar, aggregatedFrom: finer, range: { ...base, timeframe: finer } }
}

/** Every candle of a source, aggregated when it must be (indicators, volume profiles). */
function allCandles(
  ctx: ServiceContext,
  source: CandleSource,
  timeframe: CandleTimeframe,
): Candle[] {
  const candles = readCandles(ctx.journal.sqlite, source.range)
  return source.aggregatedFrom === null
    ? candles
    : aggregateCandles(candles, timeframe, source.calendar).candles
}

/**
 * Candles for a chart, at most `limit` of them from `from` on, as columns; `next` continues.
 * A timeframe not stored is aggregated on demand from the finest stored one that adds up to it.
 * Values cross as scaled integers (core/scaled.ts): formatting 5 × 10^5 decimal strings cost
 * about as much as reading the candles.
 */
export function listCandles(
  ctx: ServiceContext,
  input: ParsedInput<'candles.list'>,
): CandleSeriesView {
  const source = candleSource(ctx, input)
  const { calendar } = source
  let columns: CandleColumns
  let next: number | null
  if (source.aggregatedFrom === null) {
    const page = readCandleColumns(ctx.journal.sqlite, source.range, input.limit)
    columns = page.columns
    next = page.next
  } else {
    const page = aggregateCandles(
      iterateCandles(ctx.journal.sqlite, source.range),
      input.timeframe,
      calendar,
      input.limit,
    )
    next = page.rest === null ? null : calendar.spanStart(page.rest.time, input.timeframe)
    columns = {
      time: page.candles.map((candle) => candle.time),
      open: page.candles.map((candle) => toScaled(candle.open)),
      high: page.candles.map((candle) => toScaled(candle.high)),
      low: page.candles.map((candle) => toScaled(candle.low)),
      close: page.candles.map((candle) => toScaled(candle.close)),
      volume: page.candles.map((candle) => toScaled(candle.volume)),
    }
  }
  const { time, ...values } = columns
  return {
    symbol: source.instrument.symbol,
    assetClass: source.instrument.assetClass,
    timeframe: input.timeframe,
    aggregatedFrom: source.aggregatedFrom,
    session: sessionView(calendar.session),
    time: time.map((ms) => ms / 1000),
    ...values,
    ...gapViews(findGaps(time, input.timeframe, calendar)),
    next: next === null ? null : toIsoUtc(next),
  }
}

// ---------------------------------------------------------------------------------------------
// Indicators

function indicatorOptions(input: IndicatorOptions): IndicatorOptions {
  const options: IndicatorOptions = {}
  for (const key of ['period', 'fast', 'slow', 'signal', 'stddev', 'periodsPerYear'] as const) {
    if (input[key] !== undefined) options[key] = input[key]
  }
  return options
}

/** The canonical parameters of an indicator series (with the session VWAP restarts on). */
function parametersOf(
  name: IndicatorName,
  timeframe: CandleTimeframe,
  calendar: TradingCalendar,
  options: IndicatorOptions,
): IndicatorParameters {
  const { session } = calendar
  const minutes = INTRADAY_MS[timeframe]
  try {
    return indicatorParameters(name, indicatorOptions(options), {
      session: `${session.zone} ${formatDayStart(session.dayStart)}`,
      defaultPeriodsPerYear: defaultPeriodsPerYear(
        minutes === undefined ? null : minutes / 60_000,
        timeframe === '1w',
        session.everyDay,
      ),
    })
  } catch (error) {
    if (error instanceof IndicatorError) throw new AppError('invalid_input', error.message)
    throw error
  }
}

/** Output values of a stored point, as decimal strings. */
function pointValues(value: string | null, outputs: string | null): Record<string, string> {
  if (outputs === null) return { value: value ?? '' }
  const parsed = JSON.parse(outputs) as Record<string, number>
  return Object.fromEntries(
    Object.entries(parsed).map(([name, scaled]) => [name, formatDecimal(BigInt(scaled))]),
  )
}

/**
 * Computes an indicator over every candle of the timeframe and stores the points where all its
 * outputs are defined (replacing earlier values at the same times), plus the latest point.
 */
export function computeIndicatorSeries(
  ctx: ServiceContext,
  input: ParsedInput<'indicators.compute'>,
): IndicatorComputeView {
  const source = candleSource(ctx, input)
  const { calendar } = source
  const parameters = parametersOf(input.indicator, input.timeframe, calendar, input)
  const candles = allCandles(ctx, source, input.timeframe)
  const series = computeIndicator(input.indicator, parameters, {
    high: candles.map((candle) => toNumber(candle.high)),
    low: candles.map((candle) => toNumber(candle.low)),
    close: candles.map((candle) => toNumber(candle.close)),
    volume: candles.map((candle) => toNumber(candle.volume)),
    tradingDate:
      input.indicator === 'vwap' ? candles.map((candle) => calendar.tradingDate(candle.time)) : [],
  })
  const single = series.outputs.length === 1
  const points: IndicatorPoint[] = []
  candles.forEach((candle, i) => {
    const values = series.outputs.map((name) => series.values[name]?.[i] ?? null)
    if (values.some((value) => value === null || !Number.isFinite(value))) return
    const scaled = (values as number[]).map(toFixed8)
    points.push({
      time: candle.time,
      value: single ? (scaled[0] as Fixed8) : null,
      outputs: single
        ? null
        : Object.fromEntries(series.outputs.map((name, j) => [name, Number(scaled[j])])),
    })
  })
  const key = {
    instrumentId: source.instrument.id,
    timeframe: input.timeframe,
    indicator: input.indicator,
    parameters: JSON.stringify(parameters),
  }
  ctx.journal.sqlite.transaction(() => writeIndicator(ctx.journal.sqlite, key, points)).immediate()
  const last = points.at(-1)
  return {
    symbol: source.instrument.symbol,
    timeframe: input.timeframe,
    indicator: input.indicator,
    parameters,
    aggregatedFrom: source.aggregatedFrom,
    candles: candles.length,
    points: points.length,
    first: points[0] ? toIsoUtc(points[0].time) : null,
    last: last ? toIsoUtc(last.time) : null,
    latest: last
      ? {
          time: toIsoUtc(last.time),
          values: pointValues(
            last.value === null ? null : formatDecimal(last.value),
            last.outputs === null ? null : JSON.stringify(last.outputs),
          ),
        }
      : null,
  }
}

/**
 * Stored points of one indicator series as chart columns, values as scaled integers like
 * candles.list's (core/scaled.ts): formatting 10^5 decimal strings cost as much as reading them.
 */
export function listIndicator(
  ctx: ServiceContext,
  input: ParsedInput<'indicators.list'>,
): IndicatorSeriesView {
  const instrument = requireInstrument(ctx, input)
  const calendar = new TradingCalendar(sessionOf(ctx, instrument, input))
  const parameters = parametersOf(input.indicator, input.timeframe, calendar, input)
  const { from, to } = rangeOf(calendar, input.from, input.to)
  const page = readIndicatorColumns(
    ctx.journal.sqlite,
    {
      instrumentId: instrument.id,
      timeframe: input.timeframe,
      indicator: input.indicator,
      parameters: JSON.stringify(parameters),
    },
    from,
    to,
    input.limit,
  )
  return {
    symbol: instrument.symbol,
    timeframe: input.timeframe,
    indicator: input.indicator,
    parameters,
    outputs: page.outputs,
    time: page.time.map((ms) => ms / 1000),
    values: Object.fromEntries(page.outputs.map((name, i) => [name, page.values[i] ?? []])),
    next: page.next === null ? null : toIsoUtc(page.next),
  }
}

/** Every indicator series stored for a symbol, with its latest value. */
export function latestIndicators(
  ctx: ServiceContext,
  input: ParsedInput<'indicators.latest'>,
): LatestIndicatorView[] {
  const instrument = requireInstrument(ctx, input)
  return readLatestIndicators(ctx.journal.sqlite, instrument.id).map((row) => ({
    timeframe: row.timeframe,
    indicator: row.indicator,
    parameters: JSON.parse(row.parameters) as Record<string, number | string>,
    time: toIsoUtc(row.time),
    values: pointValues(row.value, row.outputs),
    computedAt: toIsoUtc(row.computedAt),
  }))
}

// ---------------------------------------------------------------------------------------------
// Volume profile

/**
 * The volume profile of an instrument over [from, to) from its candles (the finest stored
 * timeframe unless one is asked for), stored in volume_profile under a source naming how it was
 * built ("candles 1m range 0.25"), replacing an earlier profile built the same way.
 */
export function getVolumeProfile(
  ctx: ServiceContext,
  input: ParsedInput<'volumeProfile.get'>,
): VolumeProfileView {
  const instrument = requireInstrument(ctx, input)
  const stored = storedTimeframes(ctx.journal.sqlite, instrument.id, CANDLE_TIMEFRAMES)
  const timeframe = input.timeframe ?? stored[0]
  if (timeframe === undefined) {
    throw new AppError('not_found', `No ${instrument.symbol} candles in the journal`)
  }
  const source = candleSource(ctx, { ...input, timeframe })
  const candles = allCandles(ctx, source, timeframe)
  if (candles.length === 0) {
    throw new AppError(
      'not_found',
      `No ${instrument.symbol} candles between ${input.from} and ${input.to}`,
    )
  }
  let rowSize: Fixed8
  if (input.rowSize === undefined) {
    rowSize = autoRowSize(lowOf(candles), highOf(candles))
  } else {
    rowSize = parseDecimal(input.rowSize)
    if (rowSize <= 0n) throw new AppError('invalid_input', 'rowSize must be greater than 0')
    const rows = (highOf(candles) - lowOf(candles)) / rowSize + 1n
    if (rows > BigInt(MAX_PROFILE_ROWS)) {
      throw new AppError(
        'invalid_input',
        `rowSize ${input.rowSize} makes ${rows} price rows over this range; at most ${MAX_PROFILE_ROWS}`,
      )
    }
  }
  const profile = volumeProfile(candles, rowSize, input.method)
  const { from, to } = source.range
  const dataSource = `candles ${timeframe} ${input.method} ${formatDecimal(rowSize)}`
  const sqlite = ctx.journal.sqlite
  // Clipped to the candles (from the first one's open to the last one's end), so an open-ended
  // request stores a finite range.
  const lastTime = (candles.at(-1) as Candle).time
  const lastLength = INTRADAY_MS[timeframe] ?? (timeframe === '1w' ? 7 : 1) * 86_400_000
  const rangeStart = Math.max(from, (candles[0] as Candle).time)
  const rangeEnd = Math.min(to, lastTime + lastLength)
  sqlite
    .transaction(() => {
      sqlite
        .prepare(
          `DELETE FROM volume_profile
           WHERE instrument_id = ? AND range_start = ? AND range_end = ? AND data_source = ?`,
        )
        .run(instrument.id, rangeStart, rangeEnd, dataSource)
      const insert = sqlite.prepare(
        `INSERT INTO volume_profile (instrument_id, range_start, range_end, price_level, volume,
           data_source) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      for (const level of profile.levels) {
        insert.run(instrument.id, rangeStart, rangeEnd, level.price, level.volume, dataSource)
      }
    })
    .immediate()
  const decimalOrNull = (value: Fixed8 | null) => (value === null ? null : formatDecimal(value))
  return {
    symbol: instrument.symbol,
    from: toIsoUtc(rangeStart),
    to: toIsoUtc(rangeEnd),
    timeframe,
    method: input.method,
    rowSize: formatDecimal(rowSize),
    candles: candles.length,
    total: formatDecimal(profile.total),
    pointOfControl: decimalOrNull(profile.pointOfControl),
    valueAreaLow: decimalOrNull(profile.valueAreaLow),
    valueAreaHigh: decimalOrNull(profile.valueAreaHigh),
    levels: profile.levels.map((level) => ({
      price: formatDecimal(level.price),
      volume: formatDecimal(level.volume),
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// Order book

/** Imports order book levels (one row per side and level of a snapshot), all or nothing. */
export function importOrderBook(
  ctx: ServiceContext,
  input: ParsedInput<'orderBook.import'>,
): OrderBookImportView {
  const result: OrderBookImportView = {
    file: basename(input.file.name),
    symbol: input.symbol.toUpperCase(),
    status: 'rejected',
    rows: 0,
    duplicates: 0,
    skipped: 0,
    snapshots: 0,
    first: null,
    last: null,
    warnings: [],
    errors: [],
  }
  const text = decodeFile(Buffer.from(input.file.content, 'base64')).text
  assetClassOf(input.assetClass)
  runRollingBack(ctx, () => {
    const instrument = findOrCreateInstrument(ctx, input)
    result.symbol = instrument.symbol
    const zone = sessionOf(ctx, instrument, { timezone: input.timezone }).zone
    const insert = ctx.journal.sqlite.prepare(
      `INSERT INTO order_book (instrument_id, captured_at, side, level, price, size, order_count,
         data_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    )
    const badLines = new Set<number>()
    const snapshots = new Set<number>()
    for (const item of readOrderBookCsv(text, zone)) {
      if ('message' in item) {
        result.errors.push(item)
        badLines.add(item.line)
        continue
      }
      if (result.errors.length > 0 && !input.skipInvalid) continue
      const added =
        insert.run(
          instrument.id,
          item.capturedAt,
          item.side,
          item.level,
          item.price,
          item.size,
          item.orderCount,
          input.source,
        ).changes > 0
      if (!added) {
        result.duplicates += 1
        continue
      }
      result.rows += 1
      snapshots.add(item.capturedAt)
    }
    result.skipped = badLines.size
    if (result.errors.length > 0 && !input.skipInvalid) throw new Rollback()
    result.snapshots = snapshots.size
    if (snapshots.size > 0) {
      // A loop, not Math.min(...): spreading 10^5+ values overflows the call stack.
      const times = [...snapshots]
      result.first = toIsoUtc(times.reduce((a, b) => Math.min(a, b)))
      result.last = toIsoUtc(times.reduce((a, b) => Math.max(a, b)))
    }
    if (input.dryRun) throw new Rollback()
    result.status = 'imported'
  })
  return finishImport(result, input)
}

function finishImport<T extends { status: string; rows: number; errors: RowError[] }>(
  result: T,
  input: { dryRun: boolean; skipInvalid: boolean },
): T {
  if (input.dryRun) result.status = 'dry-run'
  if (result.errors.length > 0 && !input.skipInvalid) {
    if (!input.dryRun) result.status = 'rejected'
    result.rows = 0
  }
  return result
}

/** The last snapshot captured at or before `at`: bids and asks, best level first. */
export function getOrderBook(
  ctx: ServiceContext,
  input: ParsedInput<'orderBook.get'>,
): OrderBookView {
  const instrument = requireInstrument(ctx, input)
  const sqlite = ctx.journal.sqlite
  const snapshot = sqlite
    .prepare(
      `SELECT captured_at AS capturedAt, data_source AS source FROM order_book
       WHERE instrument_id = ? AND captured_at <= ? AND (? IS NULL OR data_source = ?)
       ORDER BY captured_at DESC, data_source LIMIT 1`,
    )
    .safeIntegers(false)
    .get(instrument.id, Date.parse(input.at), input.source ?? null, input.source ?? null) as
    { capturedAt: number; source: string } | undefined
  const view: OrderBookView = {
    symbol: instrument.symbol,
    capturedAt: null,
    source: null,
    bids: [],
    asks: [],
  }
  if (!snapshot) return view
  view.capturedAt = toIsoUtc(snapshot.capturedAt)
  view.source = snapshot.source
  const levels = sqlite
    .prepare(
      `SELECT side, level, ${decimalSql('price')} AS price, ${decimalSql('size')} AS size,
         order_count AS orders
       FROM order_book WHERE instrument_id = ? AND captured_at = ? AND data_source = ?
       ORDER BY side, level`,
    )
    .safeIntegers(false)
    .all(instrument.id, snapshot.capturedAt, snapshot.source) as (BookLevelView & {
    side: 'bid' | 'ask'
  })[]
  for (const { side, ...level } of levels) (side === 'bid' ? view.bids : view.asks).push(level)
  return view
}

// ---------------------------------------------------------------------------------------------
// Fundamentals

/**
 * Imports company profiles, key statistics or institutional holders. Each row's symbol is its
 * own column's, else the `symbol` given; figures already stored for the same symbol (and date
 * and source) are replaced, since fundamentals are reference data refetched over time.
 */
export function importFundamentals(
  ctx: ServiceContext,
  input: ParsedInput<'fundamentals.import'>,
): FundamentalsImportView {
  const result: FundamentalsImportView = {
    file: basename(input.file.name),
    kind: null,
    status: 'rejected',
    rows: 0,
    replaced: 0,
    skipped: 0,
    symbols: [],
    warnings: [],
    errors: [],
  }
  const text = decodeFile(Buffer.from(input.file.content, 'base64')).text
  const kind: FundamentalsKind | null =
    input.kind === 'auto' ? detectFundamentalsKind(text) : input.kind
  if (kind === null) {
    result.errors.push({
      line: 1,
      column: null,
      message:
        'Not a fundamentals file Blotter knows: expected a company profile (name, sector…), key statistics (as_of, market_cap…) or institutional holders (holder, shares, reported_date)',
    })
    return result
  }
  result.kind = kind
  assetClassOf(input.assetClass)
  runRollingBack(ctx, () => {
    const writer = new FundamentalsWriter(ctx, input.source)
    const instruments = new Map<string, InstrumentRow>()
    const badLines = new Set<number>()
    for (const item of readFundamentalsCsv(text, kind)) {
      if ('message' in item) {
        result.errors.push(item)
        badLines.add(item.line)
        continue
      }
      const symbol = item.symbol ?? input.symbol
      if (symbol === undefined) {
        result.errors.push({
          line: item.line,
          column: null,
          message: 'The row names no symbol: add a symbol column or give the symbol',
        })
        badLines.add(item.line)
        continue
      }
      if (result.errors.length > 0 && !input.skipInvalid) continue
      let instrument = instruments.get(symbol)
      if (!instrument) {
        instrument = findOrCreateInstrument(ctx, { symbol, assetClass: input.assetClass })
        instruments.set(symbol, instrument)
      }
      if (writer.write(instrument.id, item)) result.replaced += 1
      result.rows += 1
    }
    result.skipped = badLines.size
    if (result.errors.length > 0 && !input.skipInvalid) throw new Rollback()
    result.symbols = [...new Set([...instruments.values()].map((row) => row.symbol))].sort()
    if (input.dryRun) throw new Rollback()
    result.status = 'imported'
  })
  const finished = finishImport(result, input)
  if (finished.rows === 0) finished.replaced = 0
  return finished
}

/** key_statistics column of a statistic: marketCap → market_cap. */
const statisticColumn = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** Upserts fundamentals rows; `write` says whether the row replaced stored figures. */
class FundamentalsWriter {
  private readonly statements

  constructor(
    ctx: ServiceContext,
    private readonly source: string,
  ) {
    const sqlite = ctx.journal.sqlite
    const statisticColumns = STATISTICS.map(statisticColumn)
    this.statements = {
      updateCompany: sqlite.prepare(
        `UPDATE company_info SET name = ?, description = ?, sector = ?, industry = ?, country = ?,
           currency = ?, website = ?, employees = ?, ipo_date = ?, fiscal_year_end = ?,
           data_source = ?, fetched_at = ?
         WHERE instrument_id = ? AND deleted_at IS NULL`,
      ),
      addCompany: sqlite.prepare(
        `INSERT INTO company_info (id, instrument_id, name, description, sector, industry, country,
           currency, website, employees, ipo_date, fiscal_year_end, data_source, fetched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      hasStatistics: sqlite.prepare(
        `SELECT 1 FROM key_statistics WHERE instrument_id = ? AND as_of = ? AND data_source = ?`,
      ),
      upsertStatistics: sqlite.prepare(
        `INSERT INTO key_statistics (id, instrument_id, as_of, data_source, fetched_at,
           ${statisticColumns.join(', ')})
         VALUES (?, ?, ?, ?, ?, ${statisticColumns.map(() => '?').join(', ')})
         ON CONFLICT (instrument_id, as_of, data_source) DO UPDATE SET
           fetched_at = excluded.fetched_at, deleted_at = NULL,
           ${statisticColumns.map((column) => `${column} = excluded.${column}`).join(', ')}`,
      ),
      hasHolding: sqlite.prepare(
        `SELECT 1 FROM institutional_holders
         WHERE instrument_id = ? AND reported_date = ? AND holder_name = ? AND data_source = ?`,
      ),
      upsertHolding: sqlite.prepare(
        `INSERT INTO institutional_holders (id, instrument_id, holder_name, shares, value,
           percent_held, change_shares, reported_date, data_source, fetched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (instrument_id, reported_date, holder_name, data_source) DO UPDATE SET
           shares = excluded.shares, value = excluded.value, percent_held = excluded.percent_held,
           change_shares = excluded.change_shares, fetched_at = excluded.fetched_at,
           deleted_at = NULL`,
      ),
    }
  }

  write(instrumentId: string, row: FundamentalsRow): boolean {
    const now = Date.now()
    const s = this.statements
    switch (row.kind) {
      case 'company': {
        const values = [
          row.name,
          row.description,
          row.sector,
          row.industry,
          row.country,
          row.currency,
          row.website,
          row.employees,
          row.ipoDate,
          row.fiscalYearEnd,
          this.source,
          now,
        ]
        if (s.updateCompany.run(...values, instrumentId).changes > 0) return true
        s.addCompany.run(uuidv7(), instrumentId, ...values)
        return false
      }
      case 'statistics': {
        const existed = s.hasStatistics.get(instrumentId, row.asOf, this.source) !== undefined
        s.upsertStatistics.run(
          uuidv7(),
          instrumentId,
          row.asOf,
          this.source,
          now,
          ...STATISTICS.map((name) => row.values[name]),
        )
        return existed
      }
      case 'holders': {
        const existed =
          s.hasHolding.get(instrumentId, row.reportedDate, row.holder, this.source) !== undefined
        s.upsertHolding.run(
          uuidv7(),
          instrumentId,
          row.holder,
          row.shares,
          row.value,
          row.percentHeld,
          row.changeShares,
          row.reportedDate,
          this.source,
          now,
        )
        return existed
      }
    }
  }
}

const decimalOrNull = (value: bigint | null) => (value === null ? null : formatDecimal(value))

/** What the journal knows about a symbol's company: profile, newest statistics, holders. */
export function getFundamentals(
  ctx: ServiceContext,
  input: ParsedInput<'fundamentals.get'>,
): FundamentalsView {
  const instrument = requireInstrument(ctx, input)
  const sqlite = ctx.journal.sqlite
  const company = sqlite
    .prepare(
      `SELECT name, description, sector, industry, country, currency, website, employees,
         ipo_date AS ipoDate, fiscal_year_end AS fiscalYearEnd, data_source AS source,
         fetched_at AS fetchedAt
       FROM company_info WHERE instrument_id = ? AND deleted_at IS NULL`,
    )
    .safeIntegers(false)
    .get(instrument.id) as
    | (Omit<NonNullable<FundamentalsView['company']>, 'fetchedAt'> & { fetchedAt: number })
    | undefined
  const statistics = sqlite
    .prepare(
      `SELECT * FROM key_statistics WHERE instrument_id = ? AND deleted_at IS NULL
       ORDER BY as_of DESC, fetched_at DESC LIMIT 1`,
    )
    .get(instrument.id) as Record<string, bigint | string | null> | undefined
  const holders = sqlite
    .prepare(
      `SELECT holder_name AS holder, shares, value, percent_held AS percentHeld,
         change_shares AS changeShares, reported_date AS reportedDate
       FROM institutional_holders h
       WHERE instrument_id = ? AND deleted_at IS NULL AND reported_date = (
         SELECT max(reported_date) FROM institutional_holders
         WHERE instrument_id = h.instrument_id AND holder_name = h.holder_name
           AND deleted_at IS NULL)
       ORDER BY shares DESC, holder_name LIMIT 100`,
    )
    .all(instrument.id) as {
    holder: string
    shares: bigint
    value: bigint | null
    percentHeld: bigint | null
    changeShares: bigint | null
    reportedDate: string
  }[]
  return {
    symbol: instrument.symbol,
    company: company ? { ...company, fetchedAt: toIsoUtc(company.fetchedAt) } : null,
    statistics: statistics
      ? {
          asOf: statistics.as_of as string,
          source: statistics.data_source as string,
          values: Object.fromEntries(
            STATISTICS.map((name) => [
              name,
              decimalOrNull(statistics[statisticColumn(name)] as bigint | null),
            ]),
          ),
        }
      : null,
    holders: holders.map((row) => ({
      holder: row.holder,
      shares: formatDecimal(row.shares),
      value: decimalOrNull(row.value),
      percentHeld: decimalOrNull(row.percentHeld),
      changeShares: decimalOrNull(row.changeShares),
      reportedDate: row.reportedDate,
    })),
  }
}

/** Price rows a volume profile may have: a tiny rowSize over a wide range would never finish. */
const MAX_PROFILE_ROWS = 10_000

function lowOf(candles: readonly Candle[]): Fixed8 {
  return candles.reduce((min, candle) => (candle.low < min ? candle.low : min), candles[0]!.low)
}

function highOf(candles: readonly Candle[]): Fixed8 {
  return candles.reduce((max, candle) => (candle.high > max ? candle.high : max), 0n)
}
