/**
 * What the US retail broker formats share: a header found below any preamble, cells read by
 * header name with errors that name the column as the file spells it, instruments in Blotter's
 * canonical symbols, and the ordering rules of date-only and newest-first files.
 */
import { DecimalError, type Fixed8 } from '../../core/decimal'
import { parseFuturesSymbol } from '../../core/instruments/futures'
import { formatOcc, parseOptionSymbol, type OptionContract } from '../../core/instruments/options'
import { parseBrokerNumber, parseBrokerNumberOrNull } from '../../core/parse/numbers'
import {
  calendarDate,
  parseTimestamp,
  TimeParseError,
  zonedToUtc,
  type TimestampFormat,
} from '../../core/time-parse'
import type { AssetClass } from '../../db/schema'
import { csvRecords, findHeaderRow, headerIndex, isBlankRecord, type CsvRecord } from '../sniff'
import type { Side } from '../../core/engine'
import type { InstrumentSpec, ParsedFill, RowError } from '../types'

/** US brokers print US Eastern wall-clock times (and dates that mean a US Eastern day). */
export const EASTERN = 'America/New_York'

/** A column as the file spells its header. */
export interface Column {
  index: number
  name: string
}

export interface Table<K extends string> {
  header: CsvRecord
  columns: Record<K, Column | undefined>
}

/**
 * Finds the header among the first `maxScan` records (any one signature, every name present)
 * and resolves each wanted column to the first of its aliases the header has.
 */
export function findTable<K extends string>(
  text: string,
  signatures: readonly (readonly string[])[],
  wanted: Record<K, readonly string[]>,
  maxScan = 30,
): Table<K> | undefined {
  const match = findHeaderRow(csvRecords(text), signatures, maxScan)
  if (!match) return undefined
  return { header: match.record, columns: resolveColumns(match.record, wanted) }
}

export function resolveColumns<K extends string>(
  header: CsvRecord,
  wanted: Record<K, readonly string[]>,
): Record<K, Column | undefined> {
  const columns = {} as Record<K, Column | undefined>
  const map = new Map<string, number[]>()
  header.fields.forEach((field, index) => {
    const name = field.trim().toLowerCase()
    if (name !== '') map.set(name, [...(map.get(name) ?? []), index])
  })
  for (const key of Object.keys(wanted) as K[]) {
    const index = wanted[key]
      .map((alias) => headerIndex(map, alias))
      .find((found) => found !== undefined)
    columns[key] =
      index === undefined ? undefined : { index, name: (header.fields[index] ?? '').trim() }
  }
  return columns
}

/** The records after the header, in file order. */
export function* rowsAfter(text: string, header: CsvRecord): Generator<CsvRecord, void> {
  for (const record of csvRecords(text)) {
    if (record.line > header.line) yield record
  }
}

/** The one error of a file whose header is not there. */
export function missingHeader(what: string, signatures: readonly (readonly string[])[]): RowError {
  const lists = signatures.map((names) => names.join(', ')).join('; or ')
  return {
    line: 1,
    column: null,
    message: `No ${what} header found in the first 30 lines; expected the columns ${lists}`,
  }
}

/**
 * Blank rows, and rows whose only text is in the first cell: titles, "Total:" lines, the
 * disclaimers and "Date downloaded …" lines brokers append (none of them can be a trade).
 */
export function isNoteRecord(record: CsvRecord): boolean {
  return isBlankRecord(record) || record.fields.every((field, i) => i === 0 || field.trim() === '')
}

/** One data row: cells by column, and every problem found in it. */
export class Row {
  readonly errors: RowError[] = []
  constructor(readonly record: CsvRecord) {}

  get line(): number {
    return this.record.line
  }

  text(column: Column | undefined): string {
    return column === undefined ? '' : (this.record.fields[column.index] ?? '').trim()
  }

  fail(column: Column | string | null, message: string): null {
    const name = column === null || typeof column === 'string' ? column : column.name
    this.errors.push({ line: this.record.line, column: name, message })
    return null
  }

  /** A number that must be there; `label` names a column the header lacks. */
  number(column: Column | undefined, label: string, text = this.text(column)): Fixed8 | null {
    const errors = this.errors.length
    const value = this.optionalNumber(column, text)
    if (value === null && this.errors.length === errors) {
      return this.fail(column ?? label, `${column?.name ?? label} is empty`)
    }
    return value
  }

  /** A number that may be blank (or '--', 'N/A'): null then. */
  optionalNumber(column: Column | undefined, text = this.text(column)): Fixed8 | null {
    try {
      return parseBrokerNumberOrNull(text)
    } catch (error) {
      if (!(error instanceof DecimalError)) throw error
      return this.fail(column ?? null, `${column?.name ?? 'value'} ${error.message}`)
    }
  }

  /** An instant; `column` is where the (first part of the) text came from. */
  time(
    column: Column | undefined,
    label: string,
    text: string,
    format: TimestampFormat,
    zone: string,
  ): number | null {
    try {
      return parseTimestamp(text, format, zone)
    } catch (error) {
      if (!(error instanceof TimeParseError)) throw error
      const name = column?.name ?? label
      const message =
        text === '' ? `${name} is empty` : `${name} "${text}" is not a date: ${error.message}`
      return this.fail(column ?? label, message)
    }
  }
}

/** Number text with more than 8 decimals (Webull's `Avg Price`), rounded half-even to 8. */
export function roundTo8Decimals(text: string): string {
  return text.replace(/(\d+)\.(\d{9,})/, (_, whole: string, fraction: string) => {
    const excess = 10n ** BigInt(fraction.length - 8)
    const digits = BigInt(whole + fraction)
    let kept = digits / excess
    const twice = (digits % excess) * 2n
    if (twice > excess || (twice === excess && kept % 2n === 1n)) kept += 1n
    const padded = kept.toString().padStart(9, '0')
    return `${padded.slice(0, -8)}.${padded.slice(-8)}`
  })
}

// ---------------------------------------------------------------------------------------------
// Instruments

const PLAIN_SYMBOL = /^[A-Z0-9][A-Z0-9./-]*$/i

/** A stock (or fund) by its ticker; null when the text is no ticker (it has spaces, …). */
export function stockInstrument(
  symbol: string,
  assetClass: AssetClass = 'stock',
): InstrumentSpec | null {
  if (!PLAIN_SYMBOL.test(symbol)) return null
  return {
    symbol: symbol.toUpperCase(),
    assetClass,
    exchange: null,
    multiplier: null,
    expiry: null,
    strike: null,
    putCall: null,
    underlying: null,
  }
}

/** Options are stored by their OCC symbol; the multiplier is left to the service (100). */
export function optionInstrument(contract: OptionContract): InstrumentSpec {
  return {
    symbol: formatOcc(contract),
    assetClass: 'option',
    exchange: null,
    multiplier: null,
    expiry: contract.expiry,
    strike: contract.strike,
    putCall: contract.putCall,
    underlying: contract.underlying,
  }
}

export function optionFromSymbol(text: string): InstrumentSpec | null {
  const contract = parseOptionSymbol(text)
  return contract ? optionInstrument(contract) : null
}

/** A futures contract by its canonical code; the multiplier comes from the built-in table. */
export function futureInstrument(text: string, executedAt: number): InstrumentSpec | null {
  const referenceYear = new Date(executedAt).getUTCFullYear()
  const contract = parseFuturesSymbol(text, { referenceYear })
  if (!contract) return null
  return {
    symbol: contract.code,
    assetClass: 'future',
    exchange: null,
    multiplier: null,
    expiry: null,
    strike: null,
    putCall: null,
    underlying: contract.root,
  }
}

// ---------------------------------------------------------------------------------------------
// Fills and order

/** The parts of a ParsedFill every format fills in the same way. */
export function fillOf(
  record: CsvRecord,
  fill: Omit<ParsedFill, 'line' | 'raw' | 'isDerived' | 'note' | 'brokerOrderId'> &
    Partial<Pick<ParsedFill, 'brokerOrderId' | 'note'>>,
): ParsedFill {
  return {
    line: record.line,
    raw: record.raw,
    brokerOrderId: null,
    note: null,
    isDerived: false,
    ...fill,
  }
}

/**
 * Whether rows stamped `times` (in file order) run newest-first: more steps down than up from
 * one row to the next. A file whose rows all share one time cannot tell; `byDefault` decides.
 */
export function isNewestFirst(times: readonly number[], byDefault: boolean): boolean {
  let down = 0
  let up = 0
  for (let i = 1; i < times.length; i++) {
    const step = (times[i] as number) - (times[i - 1] as number)
    if (step < 0) down++
    else if (step > 0) up++
  }
  return down === up ? byDefault : down > up
}

/**
 * The engine orders fills by (time, line). Rows that share a time (every row of a day in a
 * date-only file, or a newest-first file's same-second rows) would then run in file order, so
 * each gets 1 ms more than the one before it in chronological order: the n-th row sharing a time
 * at that time + n ms. Deterministic, so the same file (or another covering the same whole days)
 * gives the same instants and re-imports as duplicates.
 */
export class Sequencer {
  private readonly counts = new Map<number, number>()

  next(time: number): number {
    const count = this.counts.get(time) ?? 0
    this.counts.set(time, count + 1)
    return time + count
  }
}

/** `total` split in proportion to positive `weights`; the last part takes the remainder. */
export function splitByWeight(total: Fixed8, weights: readonly Fixed8[]): Fixed8[] {
  const sum = weights.reduce((a, b) => a + b, 0n)
  const parts = weights.map((weight) => (total * weight) / sum)
  const rest = total - parts.reduce((a, b) => a + b, 0n)
  parts[parts.length - 1] = (parts[parts.length - 1] ?? 0n) + rest
  return parts
}

/** A positive quantity from a signed or unsigned cell ("+300", "-1", "8S"). */
export function magnitude(value: Fixed8): Fixed8 {
  return value < 0n ? -value : value
}

/** Read a whole-number-or-decimal cell, for number texts the caller found inside free text. */
export function numberIn(text: string): Fixed8 | null {
  try {
    return parseBrokerNumber(text)
  } catch (error) {
    if (error instanceof DecimalError) return null
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Date-only transaction files (Schwab, Fidelity, E*TRADE, Robinhood)

/** What a transaction row trades; `side` null for an expiry or assignment row, which closes. */
export interface DatedTrade {
  instrument: InstrumentSpec
  side: Side | null
  /** When the file holds no position to close: the side the row's own text implies, if any. */
  fallbackSide: Side | null
  quantity: Fixed8
  price: Fixed8
  fee: Fixed8
  account: string | null
}

export interface DatedRow {
  row: Row
  /** Midnight of the row's date in the source zone (the fill goes at noon). */
  date: number
  trade: DatedTrade
  /** Where to point when the side cannot be told. */
  actionColumn: Column | undefined
}

/**
 * Noon of the date that starts at `midnight` in `zone`. It falls on that date in every zone less
 * than 12 h ahead of `zone` and at most 12 h behind it; midnight fell on the day before in every
 * zone west of `zone` (TradeTally #18, brokers.md §3.1).
 */
function noonOf(midnight: number, zone: string): number {
  const [year, month, day] = calendarDate(midnight, zone).split('-').map(Number) as [
    number,
    number,
    number,
  ]
  return zonedToUtc({ year, month, day, hour: 12 }, zone)
}

/**
 * Fills of a date-only file, oldest first: the file's direction is read from its dates
 * (`newestFirstByDefault` when every row has the same date), each fill is put at noon of its
 * date, each day's rows keep their order through {@link Sequencer}, and a row that only says
 * "expired" closes the position the file built up so far (brokers.md §2.6: OEXP rows carry no
 * side).
 */
export function* datedFills(
  rows: readonly DatedRow[],
  newestFirstByDefault: boolean,
  zone: string,
): Generator<ParsedFill | RowError, void> {
  const newestFirst = isNewestFirst(
    rows.map((dated) => dated.date),
    newestFirstByDefault,
  )
  const chronological = newestFirst ? [...rows].reverse() : rows
  const sequencer = new Sequencer()
  const positions = new Map<string, Fixed8>()
  for (const { row, date, trade, actionColumn } of chronological) {
    const key = `${trade.account ?? ''}|${trade.instrument.symbol}`
    const held = positions.get(key) ?? 0n
    const side = trade.side ?? (held > 0n ? 'sell' : held < 0n ? 'buy' : null) ?? trade.fallbackSide
    if (side === null) {
      yield {
        line: row.line,
        column: actionColumn?.name ?? null,
        message: `"${row.text(actionColumn)}" closes ${trade.instrument.symbol}, but this file holds no position in it to tell whether it was long or short: import a file that also covers the opening trade`,
      }
      continue
    }
    positions.set(key, held + (side === 'buy' ? trade.quantity : -trade.quantity))
    // Parser version 1 put the fill at midnight + n ms: the instant of its key in older journals.
    const legacyExecutedAt = sequencer.next(date)
    yield fillOf(row.record, {
      account: trade.account,
      instrument: trade.instrument,
      side,
      quantity: trade.quantity,
      price: trade.price,
      fee: trade.fee,
      currency: null,
      executedAt: noonOf(date, zone) + (legacyExecutedAt - date),
      legacyExecutedAt,
      sourceTimezone: zone,
      brokerExecutionId: null,
    })
  }
}

export interface DatedTable<K extends string> {
  /** The export's name, for the missing-header error. */
  what: string
  signatures: readonly (readonly string[])[]
  columns: Record<K, readonly string[]>
  newestFirstByDefault: boolean
}

/**
 * A date-only transaction file: the header below any preamble, then each row read by `read`
 * (null: not a trade, skipped). Errors come first, in file order; then the fills, oldest first.
 */
export function* parseDatedTable<K extends string>(
  text: string,
  zone: string,
  table: DatedTable<K>,
  read: (row: Row, columns: Record<K, Column | undefined>) => DatedRow | null,
): Generator<ParsedFill | RowError, void> {
  const found = findTable(text, table.signatures, table.columns)
  if (!found) {
    yield missingHeader(table.what, table.signatures)
    return
  }
  const rows: DatedRow[] = []
  for (const record of rowsAfter(text, found.header)) {
    if (isNoteRecord(record)) continue
    const row = new Row(record)
    const dated = record.error ? row.fail(null, record.error) : read(row, found.columns)
    if (row.errors.length > 0) yield* row.errors
    else if (dated) rows.push(dated)
  }
  yield* datedFills(rows, table.newestFirstByDefault, zone)
}

/** A fee that is the sum of cost columns written positive; a net credit is an error. */
export function costs(row: Row, columns: readonly (Column | undefined)[]): Fixed8 {
  const values = columns.map((column) => row.optionalNumber(column) ?? 0n)
  const total = values.reduce((a, b) => a + b, 0n)
  if (total < 0n) {
    const named = columns.filter((column) => column !== undefined)
    row.fail(
      named[0] ?? null,
      `${named.map((column) => `${column.name} "${row.text(column)}"`).join(' and ')} add up to a credit; a fee must be a cost`,
    )
    return 0n
  }
  return total
}
