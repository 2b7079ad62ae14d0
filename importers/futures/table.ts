/**
 * What the futures platforms' exports share: one CSV table whose header is found by name (below
 * any preamble, BOM and typographic apostrophes forgiven), cells read by header name, broker
 * numbers and times turned into RowErrors that name the column and quote the value, contract
 * codes read with the trade's own year, and trade-level rows split into two derived fills.
 */
import { DecimalError, type Fixed8 } from '../../core/decimal'
import { parseFuturesSymbol } from '../../core/instruments/futures'
import { parseBrokerNumber, type DecimalSeparator } from '../../core/parse/numbers'
import { parseTimestamp, TimeParseError, type TimestampFormat } from '../../core/time-parse'
import {
  csvRecords,
  detectDelimiter,
  isBlankRecord,
  splitLines,
  type CsvRecord,
  type Delimiter,
} from '../sniff'
import { TradeOverlaps } from '../trade-overlaps'
import type { InstrumentSpec, ParsedFill, ParseItem, RowError } from '../types'

/** One logical column: every name it goes by (layouts, languages), in order of preference. */
export type Column = readonly string[]

export interface TableSpec {
  /** What the trader calls the export, for the "header not found" error. */
  name: string
  /** A header row holds every name of at least one signature. */
  signatures: readonly (readonly string[])[]
  /** Detected from the first 30 lines when omitted. */
  delimiter?: Delimiter
}

const HEADER_SCAN = 30

/** Trimmed (which drops a BOM), lower case, typographic apostrophes as "'" (NinjaTrader FR). */
function headerKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`\u2032]/g, "'")
}

/** Header names to column indices; the first of duplicate names wins. */
export class Columns {
  private readonly byKey = new Map<string, number>()

  constructor(private readonly names: readonly string[]) {
    names.forEach((name, index) => {
      const key = headerKey(name)
      if (key !== '' && !this.byKey.has(key)) this.byKey.set(key, index)
    })
  }

  /** Indices of the names of `column` the header has, in `column`'s order. */
  indices(column: Column): number[] {
    return column.flatMap((name) => this.byKey.get(headerKey(name)) ?? [])
  }

  has(column: Column): boolean {
    return this.indices(column).length > 0
  }

  /** The header as the file writes it (BOM and spaces trimmed). */
  label(index: number): string {
    return (this.names[index] ?? '').trim()
  }

  matches(signature: readonly string[]): boolean {
    return signature.every((name) => this.byKey.has(headerKey(name)))
  }
}

/**
 * Some Tradovate exports wrap a whole row in quotes, doubling the quotes inside (TradeTally fix
 * "Handle malformed whole-line quoted Tradovate CSV rows"): the CSV parser sees one cell holding
 * the real row, which is parsed again.
 */
function unwrapWholeLine(record: CsvRecord, delimiter: Delimiter): CsvRecord {
  const [only] = record.fields
  if (record.fields.length !== 1 || only === undefined || !only.includes(delimiter)) return record
  if (!record.raw.trimStart().startsWith('"')) return record
  const inner = csvRecords(only, { delimiter }).next()
  if (inner.done) return record
  const unwrapped: CsvRecord = { line: record.line, fields: inner.value.fields, raw: record.raw }
  if (inner.value.error) unwrapped.error = inner.value.error
  return unwrapped
}

export interface Table {
  columns: Columns
  delimiter: Delimiter
  /** The records after the header, whole-line quoting undone, blank ones dropped. */
  rows: Iterable<CsvRecord>
}

/** The table of `text`, or null when no header in the first 30 records matches the spec. */
export function openTable(text: string, spec: TableSpec): Table | null {
  const delimiter =
    spec.delimiter ?? detectDelimiter(splitLines(text, HEADER_SCAN).map((line) => line.text))
  const records = csvRecords(text, { delimiter })
  for (let scanned = 0; scanned < HEADER_SCAN; scanned++) {
    const next = records.next()
    if (next.done) return null
    const columns = new Columns(unwrapWholeLine(next.value, delimiter).fields)
    if (spec.signatures.some((signature) => columns.matches(signature))) {
      return { columns, delimiter, rows: dataRows(records, delimiter) }
    }
  }
  records.return()
  return null
}

function* dataRows(records: Generator<CsvRecord, void>, delimiter: Delimiter) {
  // The generator continues where the header search stopped.
  for (const record of records) {
    if (!isBlankRecord(record)) yield unwrapWholeLine(record, delimiter)
  }
}

/** 0.9 when the header signature is there (it names the export unambiguously), else 0. */
export function detectTable(text: string, spec: TableSpec): number {
  return openTable(text, spec) ? 0.9 : 0
}

/**
 * Reads every row with `read`, in file order. A row with errors yields its errors and no fills;
 * a file without the header yields one error saying which columns were expected. Trade-level
 * rows the engine will pair differently from the file get one warning at the end.
 */
export function* parseTable(
  text: string,
  spec: TableSpec,
  read: (row: Row) => readonly ParsedFill[],
): Generator<ParseItem, void> {
  const table = openTable(text, spec)
  if (!table) {
    yield { line: 1, column: null, message: headerMissing(spec) }
    return
  }
  const overlaps = new TradeOverlaps()
  for (const record of table.rows) {
    if (record.error) {
      yield { line: record.line, column: null, message: `Malformed CSV row: ${record.error}` }
      continue
    }
    const row = new Row(record, table.columns)
    const fills = read(row)
    if (row.errors.length > 0) {
      yield* row.errors
      continue
    }
    // Two derived fills are a trade-level row's opening and closing fill (derivedFills).
    const [opening, closing] = fills
    if (fills.length === 2 && opening?.isDerived && closing?.isDerived) {
      overlaps.add(`${opening.account ?? ''}\u0000${opening.instrument.symbol}`, {
        line: row.line,
        long: opening.side === 'buy',
        openedAt: opening.executedAt,
        closedAt: closing.executedAt,
      })
    }
    yield* fills
  }
  const warning = overlaps.warning()
  if (warning) yield warning
}

function headerMissing(spec: TableSpec): string {
  const expected = spec.signatures.map((signature) => signature.join(', ')).join('; or ')
  return `No ${spec.name} header in the first ${HEADER_SCAN} lines: expected the columns ${expected}`
}

export interface NumberRule {
  /** Default true: an empty cell is an error. Otherwise it reads as null. */
  required?: boolean
  sign?: 'positive' | 'non-negative' | 'any'
  decimal?: DecimalSeparator
  /** Round more than 8 decimal places half-even (TopstepX writes 9). */
  round?: boolean
}

export interface ReadTime {
  executedAt: number
  /** 'UTC' when the text carried its own offset, else the zone it was read in. */
  sourceTimezone: string
}

const EXPLICIT_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i

/** One data row: cells by column, and the errors found reading them. */
export class Row {
  readonly errors: RowError[] = []

  constructor(
    readonly record: CsvRecord,
    private readonly columns: Columns,
  ) {}

  get line(): number {
    return this.record.line
  }

  has(column: Column): boolean {
    return this.columns.has(column)
  }

  /** The first non-empty cell among the column's names, trimmed; '' when none. */
  text(column: Column): string {
    return this.cell(column).value
  }

  /** The header name (as written) the column's value comes from, for error messages. */
  label(column: Column): string {
    const { index } = this.cell(column)
    return index === undefined ? (column[0] ?? '') : this.columns.label(index)
  }

  private cell(column: Column): { index: number | undefined; value: string } {
    const indices = this.columns.indices(column)
    for (const index of indices) {
      const value = (this.record.fields[index] ?? '').trim()
      if (value !== '') return { index, value }
    }
    return { index: indices[0], value: '' }
  }

  /** Records an error on the column (null: the whole row) and returns null. */
  fail(column: Column | null, message: string): null {
    this.errors.push({ line: this.line, column: column ? this.label(column) : null, message })
    return null
  }

  /** A non-empty cell, or an error saying it is empty. */
  required(column: Column): string | null {
    const value = this.text(column)
    return value !== '' ? value : this.fail(column, `${this.label(column)} is empty`)
  }

  number(column: Column, rule: NumberRule = {}): Fixed8 | null {
    const label = this.label(column)
    const value = this.text(column)
    if (value === '') return rule.required === false ? null : this.fail(column, `${label} is empty`)
    let amount: Fixed8
    try {
      const text = rule.round ? roundToEightPlaces(value) : value
      amount = parseBrokerNumber(text, rule.decimal ? { decimal: rule.decimal } : {})
    } catch (error) {
      if (error instanceof DecimalError) return this.fail(column, `${label}: ${error.message}`)
      throw error
    }
    if (rule.sign === 'positive' && amount <= 0n) {
      return this.fail(column, `${label} "${value}" must be greater than 0`)
    }
    if (rule.sign === 'non-negative' && amount < 0n) {
      return this.fail(column, `${label} "${value}" must not be negative`)
    }
    return amount
  }

  /**
   * The sum of the cost columns present, each as a positive amount: brokers print commissions
   * with either sign, and none of these exports carries rebates.
   */
  fee(columns: readonly Column[], rule: NumberRule = {}): Fixed8 {
    let total = 0n
    for (const column of columns) {
      const amount = this.number(column, { ...rule, required: false, sign: 'any' }) ?? 0n
      total += amount < 0n ? -amount : amount
    }
    return total
  }

  /** The cell read with the first of `formats` that fits; naive times are in `zone`. */
  time(column: Column, formats: readonly TimestampFormat[], zone: string): ReadTime | null {
    const label = this.label(column)
    const value = this.required(column)
    if (value === null) return null
    let failure: string | undefined
    for (const format of formats) {
      try {
        const executedAt = parseTimestamp(value, format, zone)
        return { executedAt, sourceTimezone: EXPLICIT_OFFSET.test(value) ? 'UTC' : zone }
      } catch (error) {
        if (!(error instanceof TimeParseError)) throw error
        // The first format is the one the export documents: its complaint is the useful one.
        failure ??= error.message
      }
    }
    return this.fail(column, `${label}: ${failure}`)
  }
}

/** Rounds a plain decimal with more than 8 places half-even to 8; other text is unchanged. */
export function roundToEightPlaces(text: string): string {
  const match = /^([+-]?)(\d+)\.(\d{9,})$/.exec(text.trim())
  if (!match) return text
  const [, sign = '', whole = '', fraction = ''] = match
  const drop = 10n ** BigInt(fraction.length - 8)
  const digits = BigInt(whole + fraction)
  let kept = digits / drop
  const twiceRest = (digits % drop) * 2n
  if (twiceRest > drop || (twiceRest === drop && kept % 2n === 1n)) kept += 1n
  const padded = kept.toString().padStart(9, '0')
  return `${sign}${padded.slice(0, -8)}.${padded.slice(-8)}`
}

/**
 * A futures contract as the file names it, in canonical code (MNQM6, /NQM26, MES JUN26,
 * MES 09-26, CON.F.US.MES.U25 → MNQM26 …). The multiplier stays null so the point-value table
 * applies; an unknown root parses too and is flagged by the import, never refused here. Text
 * that is no contract code is kept as written, its root taken from `root` (Tradovate's Product)
 * or from the text itself when it is a bare root ("MNQ").
 */
export function futureInstrument(
  text: string,
  referenceYear: number,
  root: string | null = null,
): InstrumentSpec {
  const contract = parseFuturesSymbol(text, { referenceYear })
  const symbol = contract?.code ?? text.trim().toUpperCase().replace(/\s+/g, ' ')
  const underlying =
    contract?.root ?? (root?.toUpperCase() || (/^[A-Z0-9]{1,6}$/.test(symbol) ? symbol : null))
  return {
    symbol,
    assetClass: 'future',
    exchange: null,
    multiplier: null,
    expiry: null,
    strike: null,
    putCall: null,
    underlying,
  }
}

/** The calendar year of an instant (UTC), for single-digit contract years. */
export function yearOf(instant: number): number {
  return new Date(instant).getUTCFullYear()
}

/** A trade-level row: one round trip or one matched pair of fills. */
export interface TradeRow {
  account: string | null
  instrument: InstrumentSpec
  direction: 'long' | 'short'
  quantity: Fixed8
  entry: { price: Fixed8; time: ReadTime }
  exit: { price: Fixed8; time: ReadTime }
  /** Every cost of the round trip; it goes on the closing fill. */
  fee: Fixed8
  currency: string | null
  /** The broker's id of the row; the fills get `${id}:open` and `${id}:close`. */
  id: string | null
  brokerPnl: { amount: Fixed8; net: boolean } | null
}

/**
 * The opening and the closing fill of a trade-level row, both derived and on the row's line.
 * The fee rides on the closing fill: the round trip's net is the same either way, and a row's
 * cost is never split into fractions of a cent.
 */
export function derivedFills(row: Row, trade: TradeRow): ParsedFill[] {
  const opening = trade.direction === 'long' ? 'buy' : 'sell'
  const closing = trade.direction === 'long' ? 'sell' : 'buy'
  const base = {
    line: row.line,
    raw: row.record.raw,
    account: trade.account,
    instrument: trade.instrument,
    quantity: trade.quantity,
    currency: trade.currency,
    brokerOrderId: null,
    isDerived: true,
    note: null,
  }
  return [
    {
      ...base,
      side: opening,
      price: trade.entry.price,
      fee: 0n,
      executedAt: trade.entry.time.executedAt,
      sourceTimezone: trade.entry.time.sourceTimezone,
      brokerExecutionId: trade.id === null ? null : `${trade.id}:open`,
    },
    {
      ...base,
      side: closing,
      price: trade.exit.price,
      fee: trade.fee,
      executedAt: trade.exit.time.executedAt,
      sourceTimezone: trade.exit.time.sourceTimezone,
      brokerExecutionId: trade.id === null ? null : `${trade.id}:close`,
      brokerPnl: trade.brokerPnl,
    },
  ]
}
