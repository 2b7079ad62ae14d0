/**
 * What the two IBKR formats share (brokers.md §2.1): numbers with more decimals than Fixed8
 * keeps, the Notes/Codes list, instruments from an asset class and a symbol, and times without a
 * zone.
 */
import { DecimalError, formatDecimal, SCALE_DIGITS, type Fixed8 } from '../../core/decimal'
import { parseFuturesSymbol } from '../../core/instruments/futures'
import {
  formatOcc,
  optionFromParts,
  parseOptionSymbol,
  type OptionContract,
  type OptionParts,
} from '../../core/instruments/options'
import { parseBrokerNumber } from '../../core/parse/numbers'
import {
  calendarDate,
  parseTimestamp,
  TimeParseError,
  zonedToUtc,
  type TimestampFormat,
  type WallTime,
} from '../../core/time-parse'
import { headerIndex, type CsvRecord, type HeaderMap } from '../sniff'
import type { InstrumentSpec, RowError } from '../types'

/**
 * IBKR writes times without a zone; in practice they are US/Eastern (brokers.md §2.1.a,
 * [Inferred]). --tz overrides it for accounts whose reports say otherwise.
 */
export const IBKR_TIMEZONE = 'America/New_York'

const LONG_FRACTION = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)\.(\d{9,})$/

/**
 * A number as IBKR writes it: quoted thousands ("-1,000"), and commissions and P&L with more
 * decimals than Fixed8 keeps (-2.119713626, brokers.md §2.1.b). Those are rounded half-even to 8
 * places here, explicitly: the digits beyond are IBKR's own float noise, far below a cent.
 * Throws DecimalError like parseBrokerNumber.
 */
export function ibkrNumber(text: string): Fixed8 {
  const long = LONG_FRACTION.exec(text.trim())
  if (!long) return parseBrokerNumber(text)
  const [, sign = '', whole = '', fraction = ''] = long
  const dropped = 10n ** BigInt(fraction.length - SCALE_DIGITS)
  const digits = BigInt(whole.replaceAll(',', '') + fraction)
  let rounded = digits / dropped
  const twiceRemainder = (digits % dropped) * 2n
  if (twiceRemainder > dropped || (twiceRemainder === dropped && rounded % 2n === 1n)) {
    rounded += 1n
  }
  // Through parseBrokerNumber again for its range check.
  return parseBrokerNumber(`${sign}${formatDecimal(rounded)}`)
}

/** Notes/Codes and Open/CloseIndicator tokens: "C;Ep" → {C, Ep}. Codes are whole tokens. */
export function codeSet(...cells: string[]): Set<string> {
  return new Set(cells.flatMap((cell) => cell.split(/[;,\s]+/)).filter((code) => code !== ''))
}

/** Option lifecycle events IBKR reports as trades (brokers.md §2.1.b codes, §2.1.c). */
export type OptionEvent = 'expired' | 'assigned' | 'exercised'

export function optionEvent(codes: Set<string>): OptionEvent | null {
  if (codes.has('Ep')) return 'expired'
  if (codes.has('A')) return 'assigned'
  if (codes.has('Ex')) return 'exercised'
  return null
}

export const EVENT_NOTES: Readonly<Record<OptionEvent, string>> = {
  expired: 'IBKR: option expired (code Ep)',
  assigned: 'IBKR: option assignment (code A)',
  exercised: 'IBKR: option exercise (code Ex)',
}

/** The asset classes Blotter reads from IBKR files. */
export type IbkrAsset = 'stock' | 'option' | 'future' | 'forex'

/** For messages: "is not an option symbol". */
export const ASSET_NAMES: Readonly<Record<IbkrAsset, string>> = {
  stock: 'a stock',
  option: 'an option',
  future: 'a futures',
  forex: 'a forex',
}

// ---------------------------------------------------------------------------------------------
// Times

/**
 * The time IBKR stamps expiries, assignments and exercises with in statements (brokers.md
 * §2.1.c): such a row without a time of day goes there, after the day's trades.
 */
const EVENT_TIME = { hour: 16, minute: 20 }
/**
 * Any other row without a time of day: noon falls on its date in every zone less than 12 h ahead
 * of the file's and at most 12 h behind it (midnight ET was the day before west of New York).
 */
const NOON = { hour: 12 }
const DATE_ONLY = /^(\d{4})-?(\d{2})-?(\d{2})$/
const EXPLICIT_ZONE = /\d{2}:?\d{2}:?\d{2}\s*(?:Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{3,4})$/i

export interface ReadTime {
  executedAt: number
  sourceTimezone: string
  /** A date alone that parser version 1 put at midnight: that instant (ParsedFill). */
  legacyExecutedAt?: number
}

/**
 * A date-and-time cell in the first of `formats` that reads it, or a date alone (yyyyMMdd or
 * yyyy-MM-dd): noon in the zone, or 16:20 for an option event. Throws TimeParseError.
 */
export function readIbkrTime(
  text: string,
  formats: readonly TimestampFormat[],
  zone: string,
  event: OptionEvent | null,
): ReadTime {
  const trimmed = text.trim()
  if (DATE_ONLY.test(trimmed)) {
    const executedAt = atDate(trimmed, zone, event)
    if (event) return { executedAt, sourceTimezone: zone }
    return { executedAt, sourceTimezone: zone, legacyExecutedAt: zonedToUtc(dateOf(trimmed), zone) }
  }
  let executedAt: number | undefined
  let firstError: TimeParseError | undefined
  for (const format of formats) {
    try {
      executedAt = parseTimestamp(trimmed, format, zone)
      break
    } catch (error) {
      if (!(error instanceof TimeParseError)) throw error
      firstError ??= error
    }
  }
  if (executedAt === undefined) throw firstError
  return { executedAt, sourceTimezone: EXPLICIT_ZONE.test(trimmed) ? 'UTC' : zone }
}

/** Noon of a yyyyMMdd / yyyy-MM-dd date in the zone, or 16:20 for an option event. */
export function atDate(text: string, zone: string, event: OptionEvent | null): number {
  return zonedToUtc({ ...dateOf(text), ...(event ? EVENT_TIME : NOON) }, zone)
}

function dateOf(text: string): WallTime {
  const [, year = '', month = '', day = ''] = DATE_ONLY.exec(text.trim()) ?? []
  return { year: Number(year), month: Number(month), day: Number(day) }
}

/** The year of an instant on the calendar of `zone` (futures codes with one-digit years). */
export function yearIn(executedAt: number, zone: string): number {
  return Number(calendarDate(executedAt, zone).slice(0, 4))
}

// ---------------------------------------------------------------------------------------------
// Instruments

export interface SymbolContext {
  /** The file's multiplier, when it states one. */
  multiplier: Fixed8 | null
  /** Year of the row's date, for futures codes with a one-digit year. */
  referenceYear: number
  /** Flex: the option's own Strike/Expiry/Put/Call columns, for symbols not in OCC form. */
  optionParts?: OptionParts | null
}

/** Options through parseOptionSymbol, then the separate columns when the file has them. */
export function readOption(symbol: string, parts?: OptionParts | null): OptionContract | null {
  return parseOptionSymbol(symbol) ?? (parts ? optionFromParts(parts) : null)
}

/**
 * The instrument of a row, or null when the symbol is not one of its asset class. Exchange stays
 * null, as in every format, so one instrument is one instrument whichever file it came from.
 */
export function ibkrInstrument(
  asset: IbkrAsset,
  symbol: string,
  context: SymbolContext,
): InstrumentSpec | null {
  const base: InstrumentSpec = {
    symbol: symbol.trim().toUpperCase(),
    assetClass: asset,
    exchange: null,
    multiplier: context.multiplier,
    expiry: null,
    strike: null,
    putCall: null,
    underlying: null,
  }
  switch (asset) {
    case 'stock':
      return base.symbol === '' ? null : base
    case 'option': {
      const option = readOption(symbol, context.optionParts)
      return option ? { ...base, ...option, symbol: formatOcc(option) } : null
    }
    case 'future': {
      const future = parseFuturesSymbol(symbol, { referenceYear: context.referenceYear })
      return future ? { ...base, symbol: future.code, underlying: future.root } : null
    }
    case 'forex': {
      // IBKR writes pairs base.quote: EUR.USD → EURUSD.
      const pair = /^([A-Z]{3})\.([A-Z]{3})$/.exec(base.symbol)
      return pair ? { ...base, symbol: `${pair[1]}${pair[2]}` } : null
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

/** A cell looked up by header name, with the name as the file writes it. */
export interface Field {
  column: string
  text: string
}

/** One data row read by header name, collecting its errors. */
export class IbkrRow {
  readonly errors: RowError[] = []

  constructor(
    readonly record: CsvRecord,
    private readonly columns: HeaderMap,
    private readonly header: CsvRecord,
  ) {}

  /** The first of `names` with a value, else the first the header has (text ''). */
  field(...names: string[]): Field | undefined {
    let empty: Field | undefined
    for (const name of names) {
      const index = headerIndex(this.columns, name)
      if (index === undefined) continue
      const field = {
        column: (this.header.fields[index] ?? name).trim(),
        text: (this.record.fields[index] ?? '').trim(),
      }
      if (field.text !== '') return field
      empty ??= field
    }
    return empty
  }

  cell(...names: string[]): string {
    return this.field(...names)?.text ?? ''
  }

  /** The header's column names as the file writes them. */
  headerNames(): string[] {
    return [...this.columns.values()].flatMap((indices) =>
      indices.map((index) => (this.header.fields[index] ?? '').trim()),
    )
  }

  has(...names: string[]): boolean {
    return this.field(...names) !== undefined
  }

  fail(column: string | null, message: string): null {
    this.errors.push({ line: this.record.line, column, message })
    return null
  }

  /** The number in the first of `names` with a value; null when blank (an error if required). */
  number(names: readonly string[], required: boolean): Fixed8 | null {
    const field = this.field(...names)
    if (!field || field.text === '') {
      const column = field?.column ?? names[0] ?? ''
      return required ? this.fail(column, `${column} is empty`) : null
    }
    try {
      return ibkrNumber(field.text)
    } catch (error) {
      if (error instanceof DecimalError) {
        return this.fail(field.column, `${field.column} ${error.message}`)
      }
      throw error
    }
  }
}

/** Columns a header lacks, each written as its alternatives ("TradePrice or Price"). */
export function missingColumns(
  columns: HeaderMap,
  required: readonly (readonly string[])[],
): string[] {
  return required
    .filter((names) => names.every((name) => headerIndex(columns, name) === undefined))
    .map((names) => names.join(' or '))
}

/** A currency code cell, upper case; null when blank, or (with an error) when not a code. */
export function readCurrency(row: IbkrRow, names: readonly string[]): string | null {
  const field = row.field(...names)
  if (!field || field.text === '') return null
  const code = field.text.toUpperCase()
  if (/^[A-Z]{3}$/.test(code)) return code
  return row.fail(field.column, `${field.column} "${field.text}" is not a currency code`)
}

/**
 * The row's cost from its commission and tax columns, which IBKR writes negative (brokers.md
 * §2.1.a). A credit (an exchange rebate) nets against the row's other costs; a net credit cannot
 * be a Blotter fee (0 or more), so it is reported rather than dropped.
 */
export function readFee(row: IbkrRow, columns: readonly (readonly string[])[]): Fixed8 | null {
  let total = 0n
  let credit: Field | undefined
  for (const names of columns) {
    const value = row.number(names, false)
    if (value === null) continue
    total += value
    if (value > 0n) credit ??= row.field(...names)
  }
  if (total <= 0n) return -total
  return row.fail(
    credit?.column ?? null,
    `${credit?.column} "${credit?.text}" is a credit larger than the row's costs; Blotter records fees as costs (0 or more), so import this row by hand`,
  )
}
