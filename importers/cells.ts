/**
 * Cells of files whose number and time formats nobody states (candles, order books, signals,
 * backtests): the format is read from the first rows, then every row is read by it. Numbers go
 * through the broker-number parser (currency symbols, thousands separators, accounting
 * negatives, a detected decimal comma); times through whichever shape reads the most samples.
 */
import { DecimalError, parseDecimal, type Fixed8 } from '../core/decimal'
import {
  detectDecimalSeparator,
  parseBrokerNumber,
  parseBrokerNumberOrNull,
  type BrokerNumberOptions,
  type DecimalSeparator,
} from '../core/parse/numbers'
import { parseTimestamp, TimeParseError, type TimestampFormat } from '../core/time-parse'
import type { CsvRecord } from './sniff'
import type { RowError } from './types'

/** Rows a file's formats are read from. */
export const SAMPLE_ROWS = 200

/**
 * The first `count` rows, kept to detect formats from, and every row (those first) to read:
 * a one-shot source such as a CSV parse is read once.
 */
export function sampleRows<T>(
  rows: Iterable<T>,
  count = SAMPLE_ROWS,
): { sample: T[]; all: Generator<T, void> } {
  const iterator = rows[Symbol.iterator]()
  const sample: T[] = []
  while (sample.length < count) {
    const next = iterator.next()
    if (next.done) break
    sample.push(next.value)
  }
  function* all(): Generator<T, void> {
    yield* sample
    if (sample.length < count) return
    for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value
  }
  return { sample, all: all() }
}

// ---------------------------------------------------------------------------------------------
// Times

/** What {@link detectTimeReader} recognises, for messages. */
export const TIME_SHAPES =
  'epoch seconds or milliseconds, ISO 8601, YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY or YYYY.MM.DD, with or without a time'

export interface TimeReader {
  label: string
  /** Whether the zone is used (times without an offset). */
  zoned: boolean
  /** The instant; throws TimeParseError saying why not. */
  read(text: string): number
}

const EPOCH = /^\d{9,19}(\.\d+)?$/

/** Epoch numbers by magnitude of the first one: seconds up to 10^11 (year 5138), then ms, µs, ns. */
function epochReader(first: string): TimeReader {
  const magnitude = Number(first)
  const [label, divisor] =
    magnitude < 1e11
      ? ['epoch seconds', 1e-3]
      : magnitude < 1e14
        ? ['epoch milliseconds', 1]
        : magnitude < 1e17
          ? ['epoch microseconds', 1e3]
          : ['epoch nanoseconds', 1e6]
  return {
    label,
    zoned: false,
    read(text) {
      if (!EPOCH.test(text)) throw new TimeParseError(`"${text}" is not an epoch number (${label})`)
      return Math.round(Number(text) / divisor)
    },
  }
}

/** Text shapes in order of preference on a tie (US before European dates). */
const TEXT_FORMATS: readonly {
  format: TimestampFormat
  label: string
  suffix?: string
  shape?: RegExp
}[] = [
  { format: 'iso', label: 'ISO 8601' },
  { format: 'date-iso', label: 'YYYY-MM-DD' },
  { format: 'metatrader', label: 'YYYY.MM.DD HH:MM' },
  { format: 'metatrader', label: 'YYYY.MM.DD', suffix: ' 00:00', shape: /^\d{4}\.\d{2}\.\d{2}$/ },
  { format: 'date-compact', label: 'YYYYMMDD' },
  { format: 'ibkr-flex', label: 'YYYYMMDD HH:MM:SS' },
  { format: 'us-slash', label: 'MM/DD/YYYY HH:MM' },
  { format: 'us-slash-ampm', label: 'MM/DD/YYYY hh:mm AM/PM' },
  { format: 'date-us', label: 'MM/DD/YYYY' },
  { format: 'eu-slash', label: 'DD.MM.YYYY HH:MM' },
  {
    format: 'eu-slash',
    label: 'DD.MM.YYYY',
    suffix: ' 00:00',
    shape: /^\d{1,2}[./]\d{1,2}[./]\d{4}$/,
  },
]

const readsText = (read: (text: string) => number, text: string) => {
  try {
    read(text)
    return true
  } catch {
    return false
  }
}

/**
 * How a column's times are written: the shape that reads the most sample cells (bad rows must
 * not hide the format of the good ones; their errors come later, row by row). Epoch numbers when
 * most samples are 9–19 digits. Null when no shape reads any sample.
 */
export function detectTimeReader(samples: readonly string[], zone: string): TimeReader | null {
  const epochs = samples.filter((sample) => EPOCH.test(sample))
  if (epochs.length * 2 > samples.length) return epochReader(epochs[0] as string)
  let best: { reader: TimeReader; reads: number } | null = null
  for (const candidate of TEXT_FORMATS) {
    const read = (text: string) => {
      if (candidate.shape && !candidate.shape.test(text)) {
        throw new TimeParseError(`"${text}" is not a ${candidate.label} date`)
      }
      return parseTimestamp(text + (candidate.suffix ?? ''), candidate.format, zone)
    }
    const readable = samples.filter((sample) => readsText(read, sample))
    if (readable.length > (best?.reads ?? 0)) {
      const offset = readable.every((sample) => /(Z|[+-]\d{2}:?\d{2}|UTC|GMT)$/i.test(sample))
      best = { reader: { label: candidate.label, zoned: !offset, read }, reads: readable.length }
    }
  }
  return best?.reader ?? null
}

/**
 * {@link detectTimeReader}'s reader, or, when no shape reads any sample, one that refuses every
 * cell saying which shapes it knows: each row then gets its own error.
 */
export function columnTimeReader(samples: readonly string[], zone: string): TimeReader {
  return (
    detectTimeReader(samples, zone) ?? {
      label: 'none',
      zoned: false,
      read(text) {
        throw new TimeParseError(`"${text}" is not a time Blotter reads (${TIME_SHAPES})`)
      },
    }
  )
}

// ---------------------------------------------------------------------------------------------
// Rows

/** A condition on a number, and what it says when a cell breaks it ("greater than 0"). */
export interface ValueRule {
  test: (value: Fixed8) => boolean
  says: string
}

/** How a file writes its numbers and times, read from its first rows. */
export interface CellFormats<K extends string> {
  decimal: DecimalSeparator
  times: Partial<Record<K, TimeReader>>
}

/**
 * The decimal separator of the `numbers` columns (one for the file) and the time shape of each
 * of the `times` columns, from the sample rows' non-empty cells.
 */
export function detectCellFormats<K extends string>(
  sample: readonly CsvRecord[],
  columns: Readonly<Record<K, number>>,
  kinds: { numbers: readonly K[]; times: readonly K[] },
  zone: string,
): CellFormats<K> {
  const cells = (column: K) =>
    sample.map((record) => cellAt(record, columns[column])).filter((text) => text !== '')
  const times: Partial<Record<K, TimeReader>> = {}
  for (const column of kinds.times) times[column] = columnTimeReader(cells(column), zone)
  return { decimal: detectDecimalSeparator(kinds.numbers.flatMap(cells)), times }
}

function cellAt(record: CsvRecord, index: number): string {
  return index === -1 ? '' : (record.fields[index] ?? '').trim()
}

/**
 * Digits, an optional point and up to 8 decimals, below 10^10: what parseBrokerNumber would make
 * of it, at a quarter of the cost (backtests run to 10^5 rows of six numbers).
 */
const PLAIN_DECIMAL = /^-?\d{1,10}(?:\.\d{1,8})?$/

/**
 * One row's cells by column, read in the file's formats. Every problem becomes a row error
 * naming the line, the column (its documented name) and the reason; a value that could not be
 * read comes back null.
 */
export class RowCells<K extends string> {
  readonly errors: RowError[] = []
  readonly line: number

  constructor(
    readonly record: CsvRecord,
    private readonly columns: Readonly<Record<K, number>>,
    private readonly formats: CellFormats<K>,
  ) {
    this.line = record.line
  }

  /** The cell, trimmed; '' when the column or the cell is missing. */
  text(column: K): string {
    return cellAt(this.record, this.columns[column])
  }

  reject(column: K, message: string): null {
    this.errors.push({ line: this.line, column, message })
    return null
  }

  /** A number the row must have. */
  number(column: K, rule?: ValueRule): Fixed8 | null {
    const text = this.text(column)
    if (text === '') return this.reject(column, `${column} is empty`)
    return this.parse(column, text, rule, parseBrokerNumber)
  }

  /** A number the row may leave out: null for a blank cell, '-', '--' or 'N/A'. */
  optionalNumber(column: K, rule?: ValueRule): Fixed8 | null {
    return this.parse(column, this.text(column), rule, parseBrokerNumberOrNull)
  }

  private parse(
    column: K,
    text: string,
    rule: ValueRule | undefined,
    read: (text: string, options: BrokerNumberOptions) => Fixed8 | null,
  ): Fixed8 | null {
    try {
      const value =
        this.formats.decimal === '.' && PLAIN_DECIMAL.test(text)
          ? parseDecimal(text)
          : read(text, { decimal: this.formats.decimal })
      if (value !== null && rule && !rule.test(value)) {
        return this.reject(column, `${column} "${text}" must be ${rule.says}`)
      }
      return value
    } catch (error) {
      if (error instanceof DecimalError) return this.reject(column, `${column}: ${error.message}`)
      throw error
    }
  }

  /** A time the row must have, in its column's shape. */
  time(column: K): number | null {
    const text = this.text(column)
    if (text === '') return this.reject(column, `${column} is empty`)
    const reader = this.formats.times[column]
    if (!reader)
      throw new Error(`${column} is not among the time columns the formats were read for`)
    try {
      return reader.read(text)
    } catch (error) {
      if (error instanceof TimeParseError) return this.reject(column, `${column}: ${error.message}`)
      throw error
    }
  }
}
