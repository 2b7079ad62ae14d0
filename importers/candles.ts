/**
 * OHLCV candle CSVs in the layouts data vendors and platforms write (docs/market-data.md §1):
 * a header row anywhere in the first 30 lines with any of the usual names (`Date`, `time`,
 * `<DATE>`, `Open Time`, `o`, `Close/Last`, `Vol`…), or no header at all (Binance klines, MT4
 * history: time, open, high, low, close, volume by position); times as epoch seconds, ms, µs or
 * ns, ISO, US or European dates, MetaTrader dots, or separate date and time columns.
 */
import type { Fixed8 } from '../core/decimal'
import { candleProblems, type Candle, type CandleField } from '../core/candles'
import { formatDecimal } from '../core/decimal'
import {
  detectDecimalSeparator,
  parseBrokerNumber,
  type DecimalSeparator,
} from '../core/parse/numbers'
import { detectTimeReader, SAMPLE_ROWS, TIME_SHAPES, type TimeReader } from './cells'
import { csvRecords, findColumns, isBlankRecord, type CsvRecord } from './sniff'
import type { RowError } from './types'

export interface ParsedCandle extends Candle {
  line: number
}

const CANDLE_ALIASES = {
  date: ['date', 'day', 'tradedate'],
  timeOfDay: ['time', 'timeofday'],
  instant: [
    'datetime',
    'timestamp',
    'time',
    'date',
    'opentime',
    'gmttime',
    'localtime',
    'timeutc',
    'unix',
    'unixtime',
    'ts',
    't',
  ],
  open: ['open', 'o', 'openprice', 'first'],
  high: ['high', 'h', 'highprice', 'max'],
  low: ['low', 'l', 'lowprice', 'min'],
  close: ['close', 'c', 'last', 'closelast', 'closeprice', 'lastprice'],
  volume: ['volume', 'vol', 'v', 'realvolume', 'tickvol', 'tickvolume', 'basevolume'],
} as const

type PriceColumn = 'open' | 'high' | 'low' | 'close' | 'volume'

/** Where each value sits in a record, and the name to report it by. */
interface Layout {
  /** First record that holds candles. */
  firstRow: number
  /** Line of the header row; null for a headerless file. */
  headerLine: number | null
  /** Index of the date-and-time cell, or of the date cell when `timeOfDay` is set. */
  time: number
  timeOfDay: number | null
  columns: Record<PriceColumn, number>
  /** Column names for error messages: the header's, or the position's meaning. */
  names: Record<PriceColumn | 'time', string>
}

export interface CandleFile {
  /** How the file was read, for the import result ("header on line 1; times ISO in UTC"). */
  description: string
  rows(): Generator<ParsedCandle | RowError, void>
}

/** Digits, an optional point and up to 8 decimals, below 10^10: read without parseBrokerNumber. */
const PLAIN_DECIMAL = /^(\d{1,10})(?:\.(\d{1,8}))?$/

function plainDecimal(cell: string): Fixed8 | null {
  const match = PLAIN_DECIMAL.exec(cell)
  return match ? BigInt((match[1] as string) + (match[2] ?? '').padEnd(8, '0')) : null
}

const TIME_OF_DAY = /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/
const NUMBER_CELL = /^[-+$\d.,\s]+$/

/**
 * Reads the layout of a candle CSV; a RowError (line 1 or the header's line) when it has no
 * columns Blotter recognises or no times it can read.
 */
export function readCandleFile(text: string, timezone: string): CandleFile | RowError {
  const layout = findLayout(text)
  if ('message' in layout) return layout
  const samples: string[] = []
  const priceSamples: string[] = []
  let index = 0
  for (const record of csvRecords(text)) {
    if (index++ < layout.firstRow || isBlankRecord(record)) continue
    samples.push(timeText(record, layout))
    priceSamples.push(cellOf(record, layout.columns.close))
    if (samples.length >= SAMPLE_ROWS) break
  }
  if (samples.length === 0) return { line: 1, column: null, message: 'The file has no candles' }
  const reader = detectTimeReader(samples, timezone)
  if (!reader) {
    return {
      line: 1,
      column: layout.names.time,
      message: `Cannot read the times (e.g. "${samples[0]}"): expected ${TIME_SHAPES}`,
    }
  }
  const decimal = detectDecimalSeparator(priceSamples)
  return {
    description: `${layout.headerLine === null ? 'no header (time, open, high, low, close, volume by position)' : `header on line ${layout.headerLine}`}; times ${reader.label}${reader.zoned ? ` in ${timezone}` : ''}`,
    rows: () => candleRows(text, layout, reader, decimal),
  }
}

function cellOf(record: CsvRecord, index: number): string {
  return index === -1 ? '' : (record.fields[index] ?? '').trim()
}

function timeText(record: CsvRecord, layout: Layout): string {
  const date = cellOf(record, layout.time)
  if (layout.timeOfDay === null) return date
  let time = cellOf(record, layout.timeOfDay)
  // 093000 and 0930 → 09:30:00 and 09:30
  if (/^\d{4}(\d{2})?$/.test(time))
    time = time.replace(/^(\d{2})(\d{2})(\d{2})?$/, (_, h, m, s) => `${h}:${m}${s ? `:${s}` : ''}`)
  return `${date} ${time}`
}

function findLayout(text: string): Layout | RowError {
  let index = 0
  let first: CsvRecord | undefined
  for (const record of csvRecords(text)) {
    if (index >= 30) break
    index++
    if (isBlankRecord(record)) continue
    first ??= record
    const found = findColumns(record.fields, CANDLE_ALIASES)
    if (found.open === -1 || found.high === -1 || found.low === -1 || found.close === -1) continue
    const split = found.date !== -1 && found.timeOfDay !== -1 && found.date !== found.timeOfDay
    const time = split ? found.date : found.instant
    if (time === -1) continue
    const name = (i: number, fallback: string) =>
      i === -1 ? fallback : (record.fields[i] ?? '').trim()
    const columns = {
      open: found.open,
      high: found.high,
      low: found.low,
      close: found.close,
      volume: found.volume,
    }
    return {
      firstRow: index,
      headerLine: record.line,
      time,
      timeOfDay: split ? found.timeOfDay : null,
      columns,
      names: {
        time: split
          ? `${name(time, 'date')} + ${name(found.timeOfDay, 'time')}`
          : name(time, 'time'),
        open: name(columns.open, 'open'),
        high: name(columns.high, 'high'),
        low: name(columns.low, 'low'),
        close: name(columns.close, 'close'),
        volume: name(columns.volume, 'volume'),
      },
    }
  }
  if (!first) return { line: 1, column: null, message: 'The file is empty' }
  return positionalLayout(first)
}

/** Headerless files: time (or date, time), open, high, low, close[, volume…]. */
function positionalLayout(first: CsvRecord): Layout | RowError {
  const fields = first.fields.map((field) => field.trim())
  const split = TIME_OF_DAY.test(fields[1] ?? '')
  const offset = split ? 2 : 1
  const prices = fields.slice(offset, offset + 4)
  if (prices.length < 4 || !prices.every((cell) => NUMBER_CELL.test(cell))) {
    return {
      line: first.line,
      column: null,
      message:
        'No header with time, open, high, low and close columns in the first 30 lines, and the first line is not a candle (time, open, high, low, close, volume)',
    }
  }
  const hasVolume = fields.length > offset + 4
  return {
    firstRow: 0,
    headerLine: null,
    time: 0,
    timeOfDay: split ? 1 : null,
    columns: {
      open: offset,
      high: offset + 1,
      low: offset + 2,
      close: offset + 3,
      volume: hasVolume ? offset + 4 : -1,
    },
    names: {
      time: split ? 'date + time (columns 1–2)' : 'time (column 1)',
      open: `open (column ${offset + 1})`,
      high: `high (column ${offset + 2})`,
      low: `low (column ${offset + 3})`,
      close: `close (column ${offset + 4})`,
      volume: `volume (column ${offset + 5})`,
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

function* candleRows(
  text: string,
  layout: Layout,
  reader: TimeReader,
  decimal: DecimalSeparator,
): Generator<ParsedCandle | RowError, void> {
  let index = 0
  for (const record of csvRecords(text)) {
    if (index++ < layout.firstRow || isBlankRecord(record)) continue
    const line = record.line
    if (record.error) {
      yield { line, column: null, message: record.error }
      continue
    }
    const errors: RowError[] = []
    let time = NaN
    const written = timeText(record, layout)
    try {
      time = reader.read(written)
    } catch (error) {
      errors.push({ line, column: layout.names.time, message: (error as Error).message })
    }
    const value = (column: PriceColumn): Fixed8 => {
      const cell = cellOf(record, layout.columns[column])
      if (column === 'volume' && cell === '') return 0n
      const plain = decimal === '.' ? plainDecimal(cell) : null
      if (plain !== null) return plain
      try {
        return parseBrokerNumber(cell, { decimal })
      } catch (error) {
        errors.push({
          line,
          column: layout.names[column],
          message: cell === '' ? `${column} is empty` : (error as Error).message,
        })
        return 0n
      }
    }
    const candle = {
      open: value('open'),
      high: value('high'),
      low: value('low'),
      close: value('close'),
      volume: value('volume'),
    }
    if (errors.length === 0) {
      for (const problem of candleProblems(candle, formatDecimal)) {
        errors.push({
          line,
          column: layout.names[problem.field as CandleField],
          message: problem.reason,
        })
      }
    }
    if (errors.length > 0) yield* errors
    else yield { line, time, ...candle }
  }
}
