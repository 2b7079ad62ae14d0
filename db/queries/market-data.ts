/**
 * Market data reads and writes: candles, indicator points, volume profiles, order book levels.
 * Hot paths are raw prepared statements; chart reads come back from SQLite as one text of
 * integers per column, so 10^5 candles never become 10^5 rows or 5 × 10^5 bigints in JS.
 */
import type Database from 'better-sqlite3'
import type { Candle, CandleTimeframe } from '../../core/candles'
import type { Fixed8 } from '../../core/decimal'
import type { ScaledDecimal } from '../../core/scaled'

const SCALE = 100000000

/**
 * SQL that renders a fixed8 INTEGER column exactly as formatDecimal does: no exponent, no
 * trailing fractional zeros ("12.5", "-0.00000001", "3").
 */
export function decimalSql(column: string): string {
  return `(CASE WHEN ${column} < 0 THEN '-' ELSE '' END || (abs(${column}) / ${SCALE}) ||
    CASE WHEN abs(${column}) % ${SCALE} = 0 THEN ''
      ELSE rtrim(printf('.%08d', abs(${column}) % ${SCALE}), '0') END)`
}

export interface InstrumentRow {
  id: string
  symbol: string
  assetClass: string
  exchange: string | null
}

/** Live instruments with this symbol, of one asset class when given. */
export function findInstruments(
  sqlite: Database.Database,
  symbol: string,
  assetClass: string | null,
): InstrumentRow[] {
  return sqlite
    .prepare(
      `SELECT id, symbol, asset_class AS assetClass, exchange FROM instruments
       WHERE deleted_at IS NULL AND symbol = ? AND (? IS NULL OR asset_class = ?)
       ORDER BY asset_class, exchange`,
    )
    .all(symbol, assetClass, assetClass) as InstrumentRow[]
}

// ---------------------------------------------------------------------------------------------
// Candles

export interface CandleRange {
  instrumentId: string
  timeframe: CandleTimeframe
  /** Inclusive. */
  from: number
  /** Exclusive. */
  to: number
  /** One data source, or null for all (the first source in name order wins a timestamp). */
  source: string | null
}

/** Timeframes that have candles of this instrument, finest first. */
export function storedTimeframes(
  sqlite: Database.Database,
  instrumentId: string,
  timeframes: readonly CandleTimeframe[],
): CandleTimeframe[] {
  const any = sqlite.prepare(
    'SELECT 1 FROM market_data WHERE instrument_id = ? AND timeframe = ? LIMIT 1',
  )
  return timeframes.filter((timeframe) => any.get(instrumentId, timeframe) !== undefined)
}

export interface LatestClose {
  timeframe: CandleTimeframe
  /** The candle's open time, epoch ms. */
  time: number
  close: Fixed8
}

/**
 * A reader of each instrument's latest stored candle in its finest stored timeframe (`timeframes`
 * finest first; with several sources, the first in name order); undefined: no candles. Statements
 * are prepared once, for reading many instruments; an instrument without candles costs one probe.
 */
export function latestCloseReader(
  sqlite: Database.Database,
  timeframes: readonly CandleTimeframe[],
): (instrumentId: string) => LatestClose | undefined {
  const anyCandle = sqlite.prepare('SELECT 1 FROM market_data WHERE instrument_id = ? LIMIT 1')
  const anyOf = sqlite.prepare(
    'SELECT 1 FROM market_data WHERE instrument_id = ? AND timeframe = ? LIMIT 1',
  )
  // The index on (instrument, timeframe, timestamp, source) ends the scan at the first row.
  const latest = sqlite
    .prepare(
      `SELECT timestamp, close FROM market_data WHERE instrument_id = ? AND timeframe = ?
       ORDER BY timestamp DESC, data_source LIMIT 1`,
    )
    .raw()
  return (instrumentId) => {
    if (anyCandle.get(instrumentId) === undefined) return undefined
    const timeframe = timeframes.find((each) => anyOf.get(instrumentId, each) !== undefined)
    if (timeframe === undefined) return undefined
    const [time, close] = latest.get(instrumentId, timeframe) as [bigint, Fixed8]
    return { timeframe, time: Number(time), close }
  }
}

/** Prepared once per import; runs inside the caller's transaction. */
export class CandleWriter {
  private readonly insert
  private readonly stored

  constructor(
    sqlite: Database.Database,
    private readonly instrumentId: string,
    private readonly timeframe: CandleTimeframe,
    private readonly source: string,
  ) {
    this.insert = sqlite.prepare(
      `INSERT INTO market_data (instrument_id, timeframe, timestamp, open, high, low, close,
         volume, data_source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    )
    this.stored = sqlite.prepare(
      `SELECT id, open, high, low, close, volume FROM market_data
       WHERE instrument_id = ? AND timeframe = ? AND timestamp = ? AND data_source = ?`,
    )
  }

  /** Inserts a candle unless one is stored for its time; returns whether it was new. */
  add(candle: Candle): boolean {
    return (
      this.insert.run(
        this.instrumentId,
        this.timeframe,
        candle.time,
        candle.open,
        candle.high,
        candle.low,
        candle.close,
        candle.volume,
        this.source,
      ).changes > 0
    )
  }

  /** The stored candle at `time` with its row id. */
  storedAt(time: number): (Omit<Candle, 'time'> & { id: bigint }) | undefined {
    return this.stored.get(this.instrumentId, this.timeframe, time, this.source) as
      (Omit<Candle, 'time'> & { id: bigint }) | undefined
  }
}

const RANGE_WHERE = `instrument_id = ? AND timeframe = ? AND timestamp >= ? AND timestamp < ?
  AND (? IS NULL OR data_source = ?)`

function rangeParameters(range: CandleRange) {
  return [range.instrumentId, range.timeframe, range.from, range.to, range.source, range.source]
}

/** Chart columns: open times in epoch ms, prices and volumes as scaled integers (core/scaled.ts). */
export interface CandleColumns {
  time: number[]
  open: ScaledDecimal[]
  high: ScaledDecimal[]
  low: ScaledDecimal[]
  close: ScaledDecimal[]
  volume: ScaledDecimal[]
}

/** 2^53: fixed8 values below it cross JSON as exact numbers. */
const SAFE = 9007199254740992

/**
 * A fixed8 column for json_group_array: the integer while JSON numbers hold it exactly (below
 * about 90 million units), else the decimal text.
 */
function jsonFixed8(column: string): string {
  return `CASE WHEN abs(${column}) < ${SAFE} THEN ${column} ELSE ${decimalSql(column)} END`
}

/** Whether open times are in order (not descending); the arrays below rely on it. */
function inOrder(times: readonly number[]): boolean {
  for (let i = 1; i < times.length; i++) {
    if ((times[i] as number) < (times[i - 1] as number)) return false
  }
  return true
}

/**
 * One JSON array per column of a query's rows (any values), in the subquery's order. Rows come
 * in the subquery's order in practice; the first column's order is checked, and the arrays are
 * built again with an explicit (slower) ORDER BY if they ever are not.
 */
function jsonColumns(
  sqlite: Database.Database,
  columns: readonly string[],
  subquery: string,
  order: string,
  parameters: readonly unknown[],
): (number | string | null)[][] {
  const run = (ordered: boolean) =>
    (
      sqlite
        .prepare(
          `SELECT ${columns.map((column) => `json_group_array(${column}${ordered ? ` ORDER BY ${order}` : ''})`).join(', ')}
           FROM (${subquery})`,
        )
        .raw()
        .get(...parameters) as string[]
    ).map((text) => JSON.parse(text) as (number | string | null)[])
  const result = run(false)
  return inOrder(result[0] as number[]) ? result : run(true)
}

/**
 * The `count` comma-separated integers of a group_concat as numbers; null unless each is a
 * plain integer below 2^53 (not NULL, which group_concat skips, nor REAL, TEXT or larger). A
 * loop over the bytes: twice as fast as JSON.parse, and no boxed number per value.
 */
function parseIntegers(bytes: Uint8Array, count: number): number[] | null {
  const values = new Array<number>(count)
  const end = bytes.length
  let n = 0
  let i = 0
  while (i < end) {
    let digit = (bytes[i] as number) - 48
    const negative = digit === -3 // '-'
    if (negative && ++i < end) digit = (bytes[i] as number) - 48
    if (digit < 0 || digit > 9 || n === count) return null
    let value = digit
    while (++i < end) {
      digit = (bytes[i] as number) - 48
      if (digit === -4) break // ','
      if (digit < 0 || digit > 9) return null
      // Exact below 2^53; past it the double stays ≥ 2^53, so the check below sees it.
      value = value * 10 + digit
    }
    i++
    if (value >= SAFE) return null
    values[n++] = negative ? -value : value
  }
  return n === count ? values : null
}

/**
 * A subquery's `timestamp` and `columns` as numbers, in its order (checked as jsonColumns does),
 * or null unless every value is a plain integer below 2^53. Each column crosses as one
 * comma-separated text cast to a blob (no UTF-8 decoding into a JS string), parsed from the
 * bytes. candles.list of 10^5 candles: 78–86 ms with json_group_array and JSON.parse, 59–64 ms
 * so; reading rows (.all, .iterate, one .pluck per column) took 130–180 ms.
 */
function integerColumns(
  sqlite: Database.Database,
  columns: readonly string[],
  subquery: string,
  order: string,
  parameters: readonly unknown[],
): number[][] | null {
  const run = (ordered: boolean) => {
    const [count, ...texts] = sqlite
      .prepare(
        `SELECT count(*), ${['timestamp', ...columns].map((column) => `CAST(group_concat(${column}${ordered ? ` ORDER BY ${order}` : ''}) AS BLOB)`).join(', ')}
         FROM (${subquery})`,
      )
      .raw()
      .safeIntegers(false)
      .get(...parameters) as [number, ...(Uint8Array | null)[]]
    const result: number[][] = []
    for (const bytes of texts) {
      const values = bytes === null ? (count === 0 ? [] : null) : parseIntegers(bytes, count)
      if (values === null) return null
      result.push(values)
    }
    return result
  }
  const result = run(false)
  return result === null || inOrder(result[0] as number[]) ? result : run(true)
}

const CANDLE_VALUES = ['open', 'high', 'low', 'close', 'volume'] as const

/**
 * A subquery's `timestamp` and fixed8 `columns` as chart columns (core/scaled.ts), in its order:
 * the stored integers as they are, no formatting per cell. Rare (a value past about 90 million
 * units): read again with such values as decimal text, rather than pay a CASE per cell on every
 * read.
 */
function readScaledColumns(
  sqlite: Database.Database,
  columns: readonly string[],
  subquery: string,
  order: string,
  parameters: readonly unknown[],
): { time: number[]; values: ScaledDecimal[][] } {
  const [time, ...values] = (integerColumns(sqlite, columns, subquery, order, parameters) ??
    jsonColumns(
      sqlite,
      ['timestamp', ...columns.map(jsonFixed8)],
      subquery,
      order,
      parameters,
    )) as [number[], ...ScaledDecimal[][]]
  return { time, values }
}

/**
 * Up to `limit` stored candles of a range as columns, oldest first, and the open time (ms) of
 * the next one when there are more. With several sources, a timestamp comes from the first
 * source in name order.
 */
export function readCandleColumns(
  sqlite: Database.Database,
  range: CandleRange,
  limit: number,
): { columns: CandleColumns; next: number | null } {
  let { time: times, values } = readScaledColumns(
    sqlite,
    CANDLE_VALUES,
    `SELECT timestamp, ${CANDLE_VALUES.join(', ')}, data_source FROM market_data
     WHERE ${RANGE_WHERE} ORDER BY timestamp, data_source LIMIT ?`,
    'timestamp, data_source',
    [...rangeParameters(range), limit + 1],
  )
  const fetched = times.length
  if (times.some((time, i) => i > 0 && time === times[i - 1])) {
    const keep = times.map((time, i) => i === 0 || time !== times[i - 1])
    times = times.filter((_, i) => keep[i])
    values = values.map((column) => column.filter((_, i) => keep[i]))
  }
  let next: number | null = null
  if (times.length > limit) {
    next = times[limit] as number
    times.length = limit
    for (const column of values) column.length = limit
  } else if (fetched > limit) {
    // Sources sharing the last timestamps hid more rows behind a full page.
    next = (times.at(-1) as number) + 1
  }
  const [open, high, low, close, volume] = values as [
    ScaledDecimal[],
    ScaledDecimal[],
    ScaledDecimal[],
    ScaledDecimal[],
    ScaledDecimal[],
  ]
  return { columns: { time: times, open, high, low, close, volume }, next }
}

/** Stored candles of a range as exact values (for aggregation and indicators), oldest first. */
export function readCandles(sqlite: Database.Database, range: CandleRange, limit = -1): Candle[] {
  const rows = sqlite
    .prepare(
      `SELECT timestamp, open, high, low, close, volume FROM market_data WHERE ${RANGE_WHERE}
       ORDER BY timestamp, data_source LIMIT ?`,
    )
    .raw()
    .all(...rangeParameters(range), limit) as [bigint, Fixed8, Fixed8, Fixed8, Fixed8, Fixed8][]
  const candles: Candle[] = []
  let previous = -1
  for (const [time, open, high, low, close, volume] of rows) {
    const instant = Number(time)
    if (instant === previous) continue
    previous = instant
    candles.push({ time: instant, open, high, low, close, volume })
  }
  return candles
}

/** Stored candles of a range one at a time (stop early by breaking out), oldest first. */
export function* iterateCandles(sqlite: Database.Database, range: CandleRange): Generator<Candle> {
  const rows = sqlite
    .prepare(
      `SELECT timestamp, open, high, low, close, volume FROM market_data WHERE ${RANGE_WHERE}
       ORDER BY timestamp, data_source`,
    )
    .raw()
    .iterate(...rangeParameters(range)) as IterableIterator<
    [bigint, Fixed8, Fixed8, Fixed8, Fixed8, Fixed8]
  >
  let previous = -1
  for (const [time, open, high, low, close, volume] of rows) {
    const instant = Number(time)
    if (instant === previous) continue
    previous = instant
    yield { time: instant, open, high, low, close, volume }
  }
}

/** Open times only, for gap detection over what is stored. */
export function readCandleTimes(sqlite: Database.Database, range: CandleRange): number[] {
  return sqlite
    .prepare(`SELECT DISTINCT timestamp FROM market_data WHERE ${RANGE_WHERE} ORDER BY timestamp`)
    .pluck()
    .safeIntegers(false)
    .all(...rangeParameters(range)) as number[]
}

// ---------------------------------------------------------------------------------------------
// Indicators

export interface IndicatorPoint {
  time: number
  /** Single-output indicators. */
  value: Fixed8 | null
  /** Multi-output indicators: output name → fixed8 integer. */
  outputs: Record<string, number> | null
}

/**
 * Writes an indicator series (replacing points computed before at the same times) and its
 * latest point. `parameters` must be canonical minified JSON.
 */
export function writeIndicator(
  sqlite: Database.Database,
  series: {
    instrumentId: string
    timeframe: CandleTimeframe
    indicator: string
    parameters: string
  },
  points: readonly IndicatorPoint[],
): void {
  const upsert = sqlite.prepare(
    `INSERT INTO technical_indicators (instrument_id, timeframe, timestamp, indicator, parameters,
       value, outputs)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (instrument_id, timeframe, indicator, parameters, timestamp)
     DO UPDATE SET value = excluded.value, outputs = excluded.outputs`,
  )
  const { instrumentId, timeframe, indicator, parameters } = series
  for (const point of points) {
    upsert.run(
      instrumentId,
      timeframe,
      point.time,
      indicator,
      parameters,
      point.value,
      point.outputs === null ? null : JSON.stringify(point.outputs),
    )
  }
  const last = points.at(-1)
  if (last === undefined) return
  sqlite
    .prepare(
      `INSERT INTO technical_indicators_latest (instrument_id, timeframe, indicator, parameters,
         timestamp, value, outputs, computed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (instrument_id, timeframe, indicator, parameters)
       DO UPDATE SET timestamp = excluded.timestamp, value = excluded.value,
         outputs = excluded.outputs, computed_at = excluded.computed_at`,
    )
    .run(
      instrumentId,
      timeframe,
      indicator,
      parameters,
      last.time,
      last.value,
      last.outputs === null ? null : JSON.stringify(last.outputs),
      Date.now(),
    )
}

const SERIES_WHERE = `instrument_id = ? AND timeframe = ? AND indicator = ? AND parameters = ?
  AND timestamp >= ? AND timestamp < ?`

/**
 * Up to `limit` stored points of one series in [from, to) as chart columns, oldest first (times
 * in ms, each output's values as scaled integers read as candles are: readScaledColumns), and the
 * time of the next point when there are more. `outputs` are the first point's output names, or
 * ['value'] for a single-output series; points lacking one of them are left out.
 */
export function readIndicatorColumns(
  sqlite: Database.Database,
  series: {
    instrumentId: string
    timeframe: CandleTimeframe
    indicator: string
    parameters: string
  },
  from: number,
  to: number,
  limit: number,
): { outputs: string[]; time: number[]; values: ScaledDecimal[][]; next: number | null } {
  const where = [
    series.instrumentId,
    series.timeframe,
    series.indicator,
    series.parameters,
    from,
    to,
  ]
  const first = sqlite
    .prepare(
      `SELECT outputs FROM technical_indicators WHERE ${SERIES_WHERE} ORDER BY timestamp LIMIT 1`,
    )
    .pluck()
    .get(...where) as string | null | undefined
  const multi = typeof first === 'string'
  const outputs = multi ? Object.keys(JSON.parse(first) as object) : ['value']
  const columns = outputs.map((_, i) => `v${i}`)
  // A multi-output point holds its fixed8 integers in one JSON object: one column per output.
  const paths = multi ? outputs.map((name) => `$.${JSON.stringify(name)}`) : []
  const selected = multi
    ? columns.map((column) => `outputs ->> ? AS ${column}`)
    : [`value AS ${columns[0] as string}`]
  // LIMIT -1 keeps the inner query from being flattened into the outer one, which would extract
  // every output twice (once more for the filter): 40 % more time for 10^5 Bollinger points.
  const { time, values } = readScaledColumns(
    sqlite,
    columns,
    `SELECT * FROM (SELECT timestamp, ${selected.join(', ')} FROM technical_indicators
       WHERE ${SERIES_WHERE} ORDER BY timestamp LIMIT -1)
     WHERE ${columns.map((column) => `${column} IS NOT NULL`).join(' AND ')}
     ORDER BY timestamp LIMIT ?`,
    'timestamp',
    [...paths, ...where, limit + 1],
  )
  let next: number | null = null
  if (time.length > limit) {
    next = time[limit] as number
    time.length = limit
    for (const column of values) column.length = limit
  }
  return { outputs, time, values, next }
}

/** Every stored series of an instrument with its latest point. */
export function readLatestIndicators(sqlite: Database.Database, instrumentId: string) {
  return sqlite
    .prepare(
      `SELECT timeframe, indicator, parameters, timestamp AS time,
         CASE WHEN value IS NULL THEN NULL ELSE ${decimalSql('value')} END AS value, outputs,
         computed_at AS computedAt
       FROM technical_indicators_latest WHERE instrument_id = ?
       ORDER BY timeframe, indicator, parameters`,
    )
    .safeIntegers(false)
    .all(instrumentId) as {
    timeframe: CandleTimeframe
    indicator: string
    parameters: string
    time: number
    value: string | null
    outputs: string | null
    computedAt: number
  }[]
}
