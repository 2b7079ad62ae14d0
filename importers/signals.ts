/**
 * A strategy's signals CSV (docs/strategies.md): a header row with `time`, `symbol`,
 * `direction` (long, short or exit) and optionally `price` and `strength`; every other column
 * is kept in the signal's metadata. Header names are case-insensitive, and spaces, hyphens and
 * underscores in them are the same (`Entry Time` = `entry_time`).
 */
import { DecimalError, parseDecimal, type Fixed8 } from '../core/decimal'
import { parseTimestamp, TimeParseError } from '../core/time-parse'
import { csvRecords, findHeaderRow, isBlankRecord, type CsvRecord, type HeaderMap } from './sniff'
import type { RowError } from './types'

export const SIGNAL_DIRECTIONS = ['long', 'short', 'exit'] as const
export type SignalDirection = (typeof SIGNAL_DIRECTIONS)[number]

export interface ParsedSignal {
  line: number
  /** As written, upper-cased. */
  symbol: string
  signalAt: number
  direction: SignalDirection
  price: Fixed8 | null
  strength: Fixed8 | null
  /** The file's other columns by header name (empty cells left out); null when none. */
  metadata: Record<string, string> | null
}

/** `Entry Time`, `entry-time`, `ENTRY_TIME` → `entry_time`. */
export function canonicalColumnName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_')
}

export interface CsvTable {
  /** The header row's names as written (trimmed). */
  headerNames: string[]
  /** Canonical column name → indices (see {@link canonicalColumnName}). */
  columns: HeaderMap
  /** The records after the header, blank ones left out. */
  rows: Generator<CsvRecord, void>
}

/**
 * The header row (in the first 30 records, any delimiter) that has every `required` column, and
 * the records after it; undefined when no record has them all.
 */
export function readCsvTable(text: string, required: readonly string[]): CsvTable | undefined {
  const canonical = function* (records: Iterable<CsvRecord>) {
    for (const record of records) {
      yield { ...record, fields: record.fields.map(canonicalColumnName) }
    }
  }
  const match = findHeaderRow(canonical(csvRecords(text)), [required])
  if (!match) return undefined
  const headerLine = match.record.line
  let headerNames: string[] = []
  for (const record of csvRecords(text)) {
    if (record.line !== headerLine) continue
    headerNames = record.fields.map((field) => field.trim())
    break
  }
  const rows = function* () {
    for (const record of csvRecords(text)) {
      if (record.line > headerLine && !isBlankRecord(record)) yield record
    }
  }
  return { headerNames, columns: match.columns, rows: rows() }
}

/** A cell by canonical column name; '' when the column or the cell is missing. */
export function cellOf(record: CsvRecord, columns: HeaderMap, name: string): string {
  const index = columns.get(name)?.[0]
  return index === undefined ? '' : (record.fields[index] ?? '').trim()
}

/** A decimal cell, or the row error saying why not. */
export function decimalCell(
  line: number,
  column: string,
  text: string,
  rule: { test: (value: Fixed8) => boolean; says: string } | null = null,
): Fixed8 | RowError {
  try {
    const value = parseDecimal(text)
    if (rule && !rule.test(value)) {
      return { line, column, message: `${column} "${text}" must be ${rule.says}` }
    }
    return value
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error
    return { line, column, message: `${column}: ${error.message}` }
  }
}

/** A time cell (ISO 8601; without an offset it is read in `zone`), or its row error. */
export function timeCell(
  line: number,
  column: string,
  text: string,
  zone: string,
): number | RowError {
  try {
    return parseTimestamp(text, 'iso', zone)
  } catch (error) {
    if (!(error instanceof TimeParseError)) throw error
    return { line, column, message: `${column}: ${error.message}` }
  }
}

export const isError = (value: unknown): value is RowError =>
  typeof value === 'object' && value !== null && 'message' in value

const REQUIRED = ['time', 'symbol', 'direction']
const KNOWN = new Set([...REQUIRED, 'price', 'strength'])

/** Every signal of the file and every row error, in file order. */
export function* readSignals(
  text: string,
  options: { timezone: string },
): Generator<ParsedSignal | RowError, void> {
  const table = readCsvTable(text, REQUIRED)
  if (!table) {
    yield {
      line: 1,
      column: null,
      message: `No header row with the columns ${REQUIRED.join(', ')} in the first 30 lines`,
    }
    return
  }
  const { headerNames, columns } = table
  const extra = [...columns.entries()]
    .filter(([name]) => !KNOWN.has(name))
    .map(([, indices]) => indices[0] as number)
  for (const record of table.rows) {
    const line = record.line
    if (record.error) {
      yield { line, column: null, message: record.error }
      continue
    }
    const cell = (name: string) => cellOf(record, columns, name)
    const errors: RowError[] = []
    const keep = <T>(value: T | RowError): T | null => {
      if (isError(value)) {
        errors.push(value)
        return null
      }
      return value
    }
    const signalAt = keep(timeCell(line, 'time', cell('time'), options.timezone))
    const symbol = cell('symbol').toUpperCase()
    if (symbol === '') errors.push({ line, column: 'symbol', message: 'symbol is empty' })
    const directionText = cell('direction').toLowerCase()
    const direction = SIGNAL_DIRECTIONS.find((known) => known === directionText) ?? null
    if (direction === null) {
      errors.push({
        line,
        column: 'direction',
        message: `direction "${cell('direction')}" must be long, short or exit`,
      })
    }
    const priceText = cell('price')
    const price =
      priceText === ''
        ? null
        : keep(decimalCell(line, 'price', priceText, { test: (v) => v >= 0n, says: '0 or more' }))
    const strengthText = cell('strength')
    const strength = strengthText === '' ? null : keep(decimalCell(line, 'strength', strengthText))
    if (errors.length > 0) {
      yield* errors
      continue
    }
    const metadata: Record<string, string> = {}
    for (const index of extra) {
      const value = (record.fields[index] ?? '').trim()
      if (value !== '') metadata[headerNames[index] ?? `column ${index + 1}`] = value
    }
    yield {
      line,
      symbol,
      signalAt: signalAt as number,
      direction: direction as SignalDirection,
      price,
      strength,
      metadata: Object.keys(metadata).length > 0 ? metadata : null,
    }
  }
}
