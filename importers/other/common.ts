/**
 * What the "other" family's formats share: columns found by header name (with aliases), a row
 * reader that collects every error of a row, fee netting, half-even rounding of over-long crypto
 * decimals, and the instrument rules for stocks, CFDs/forex and crypto pairs.
 */
import { DecimalError, formatDecimal, fromInteger, SCALE, type Fixed8 } from '../../core/decimal'
import { parseOptionSymbol, formatOcc } from '../../core/instruments/options'
import { parseBrokerNumber, type DecimalSeparator } from '../../core/parse/numbers'
import { parseTimestamp, TimeParseError, type TimestampFormat } from '../../core/time-parse'
import { csvRecords, isBlankRecord, type CsvRecord } from '../sniff'
import type { InstrumentSpec, ParsedFill, RowError } from '../types'

// ---------------------------------------------------------------------------------------------
// Columns

/** Trimmed (a BOM too), lower case, inner whitespace collapsed. */
export function headerKey(name: string): string {
  return name
    .replace(/\uFEFF/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()
}

export interface ColumnSpec {
  /** Header names it may have (any case); the first present wins. */
  names: readonly string[]
  /** Which occurrence of a repeated name (MT5 Positions: Time and Price twice). */
  occurrence?: number
  /** Matches headers with a variable part, e.g. `Gross (USD)`; tried after `names`. */
  pattern?: RegExp
}

export interface Column {
  index: number
  /** The header as written in the file: what a RowError names. */
  name: string
}

export type Columns<K extends string> = Map<K, Column>

/** Finds each wanted column by header name; absent ones are left out of the map. */
export function mapColumns<K extends string>(
  fields: readonly string[],
  spec: Readonly<Record<K, ColumnSpec>>,
): Columns<K> {
  const keys = fields.map(headerKey)
  const columns: Columns<K> = new Map()
  for (const key of Object.keys(spec) as K[]) {
    const { names, occurrence = 0, pattern } = spec[key]
    let index = -1
    for (const name of names) {
      index = nthIndex(keys, (k) => k === name, occurrence)
      if (index !== -1) break
    }
    if (index === -1 && pattern) index = nthIndex(keys, (k) => pattern.test(k), occurrence)
    if (index !== -1) columns.set(key, { index, name: (fields[index] ?? '').trim() })
  }
  return columns
}

function nthIndex(keys: readonly string[], test: (key: string) => boolean, n: number): number {
  let seen = 0
  for (let i = 0; i < keys.length; i++) {
    if (test(keys[i] ?? '') && seen++ === n) return i
  }
  return -1
}

/** The header row among the first `maxScan` CSV records, past any preamble. */
export function findCsvHeader<K extends string>(
  text: string,
  spec: Readonly<Record<K, ColumnSpec>>,
  required: readonly K[],
  maxScan = 30,
): { line: number; columns: Columns<K> } | null {
  let scanned = 0
  for (const record of csvRecords(text)) {
    if (scanned++ >= maxScan) break
    const columns = mapColumns(record.fields, spec)
    if (required.every((key) => columns.has(key))) return { line: record.line, columns }
  }
  return null
}

/** The non-blank records after the header line. */
export function* recordsAfter(text: string, headerLine: number): Generator<CsvRecord, void> {
  for (const record of csvRecords(text)) {
    if (record.line > headerLine && !isBlankRecord(record)) yield record
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

/** One record being read: cells by column key, every problem collected as a RowError. */
export class RowReader<K extends string> {
  readonly errors: RowError[] = []

  constructor(
    readonly line: number,
    readonly cells: readonly string[],
    private readonly columns: Columns<K>,
  ) {}

  has(key: K): boolean {
    return this.columns.has(key)
  }

  /** The trimmed cell, '' when the column is absent. */
  cell(key: K): string {
    const column = this.columns.get(key)
    return column === undefined ? '' : (this.cells[column.index] ?? '').trim()
  }

  /** The header as the file writes it (what errors name); the key when the column is absent. */
  name(key: K): string {
    return this.columns.get(key)?.name ?? key
  }

  /** Records an error on a column and returns null. */
  fail(key: K, message: string): null {
    this.errors.push({ line: this.line, column: this.name(key), message })
    return null
  }

  /**
   * The cell as a broker number, or null after recording why not. `round`: more than 8 decimals
   * are rounded half-even instead of refused (crypto quantities and fees).
   */
  number(key: K, options: { decimal?: DecimalSeparator; round?: boolean } = {}): Fixed8 | null {
    return this.numberFrom(key, this.cell(key), options)
  }

  /** Like {@link number}, but 0 for an empty or absent cell. */
  numberOrZero(key: K, options: { decimal?: DecimalSeparator; round?: boolean } = {}): Fixed8 {
    const text = this.cell(key)
    return text === '' ? 0n : (this.numberFrom(key, text, options) ?? 0n)
  }

  /** Reads `text` (the cell, or part of it) as a number, errors going to column `key`. */
  numberFrom(
    key: K,
    text: string,
    options: { decimal?: DecimalSeparator; round?: boolean } = {},
  ): Fixed8 | null {
    if (text === '') return this.fail(key, `${this.name(key)} is empty`)
    try {
      return options.round
        ? parseRoundedNumber(text, options.decimal)
        : parseBrokerNumber(text, { decimal: options.decimal ?? '.' })
    } catch (error) {
      if (error instanceof DecimalError)
        return this.fail(key, `${this.name(key)}: ${error.message}`)
      throw error
    }
  }

  /** A quantity or price that must be above zero. */
  positive(key: K, options: { decimal?: DecimalSeparator; round?: boolean } = {}): Fixed8 | null {
    const value = this.number(key, options)
    if (value === null) return null
    if (value <= 0n) {
      return this.fail(key, `${this.name(key)} "${this.cell(key)}" must be greater than 0`)
    }
    return value
  }

  /** A time in `format`, read in `zone` unless the text carries an offset. */
  time(key: K, text: string, format: TimestampFormat, zone: string): number | null {
    if (text.trim() === '') return this.fail(key, `${this.name(key)} is empty`)
    try {
      return parseTimestamp(text, format, zone)
    } catch (error) {
      if (error instanceof TimeParseError)
        return this.fail(key, `${this.name(key)}: ${error.message}`)
      throw error
    }
  }
}

/** The zone a time was read in: 'UTC' when the text named its own offset (a `Z`, `+02:00`, `UTC`). */
export function sourceZone(text: string, zone: string): string {
  return /(?:Z|[+-]\d{2}(?::?\d{2})?|\b[A-Z]{3,4})\s*$/.test(text.trim()) ? 'UTC' : zone
}

// ---------------------------------------------------------------------------------------------
// Numbers

/**
 * Crypto exports print more than Blotter's 8 decimals (Coinbase ETH amounts have up to 18);
 * parseBrokerNumber refuses those, so this rounds the fraction half-even to 8 places (Fixed8's
 * scale) first. Only for '.'-decimal text, which is what every crypto export writes.
 */
export function parseRoundedNumber(text: string, decimal: DecimalSeparator = '.'): Fixed8 {
  const long = decimal === '.' ? /^([^.]*\.)(\d{8})(\d+)(\D*)$/.exec(text.trim()) : null
  if (!long) return parseBrokerNumber(text, { decimal })
  const [, head = '', kept = '', dropped = '', tail = ''] = long
  const value = parseBrokerNumber(`${head}${kept}${tail}`, { decimal })
  const half = `5${'0'.repeat(dropped.length - 1)}`
  const lastOdd = Number(kept.at(-1) ?? '0') % 2 === 1
  const up = dropped > half || (dropped === half && lastOdd)
  if (!up) return value
  const negative = /^[^\d]*[-(]/.test(text.trim())
  return value + (negative ? -1n : 1n)
}

/**
 * A row's charges netted into Blotter's fee, which must be ≥ 0. `cost` is positive for a cost.
 * A net credit (a rebate or a swap credit larger than the costs) cannot be stored as a fee:
 * the fee is then 0 and the note says how much credit was left out.
 */
export function netFee(cost: Fixed8, what: string): { fee: Fixed8; note: string | null } {
  if (cost >= 0n) return { fee: cost, note: null }
  return {
    fee: 0n,
    note: `${what} come to a net credit of ${formatDecimal(-cost, 2)}, not counted (fees cannot be negative)`,
  }
}

/** Joins the non-empty notes of a fill, or null. */
export function joinNotes(...notes: (string | null | undefined)[]): string | null {
  const kept = notes.filter((note): note is string => Boolean(note && note.trim()))
  return kept.length > 0 ? kept.join('; ') : null
}

// ---------------------------------------------------------------------------------------------
// Instruments

const NO_CONTRACT = {
  exchange: null,
  multiplier: null,
  expiry: null,
  strike: null,
  putCall: null,
  underlying: null,
} as const

/** A US equity ticker, or an option when the symbol is one in any notation Blotter reads. */
export function stockOrOption(symbol: string): InstrumentSpec {
  const option = /\d/.test(symbol) ? parseOptionSymbol(symbol) : null
  if (option) {
    return {
      ...NO_CONTRACT,
      symbol: formatOcc(option),
      assetClass: 'option',
      expiry: option.expiry,
      strike: option.strike,
      putCall: option.putCall,
      underlying: option.underlying,
    }
  }
  return { ...NO_CONTRACT, symbol: symbol.toUpperCase(), assetClass: 'stock' }
}

/** A crypto pair, stored as BASE-QUOTE ('BTC-EUR') whatever the exchange writes. */
export function cryptoPair(base: string, quote: string): InstrumentSpec {
  return { ...NO_CONTRACT, symbol: `${base}-${quote}`, assetClass: 'crypto' }
}

/**
 * ISO 4217 currencies that FX brokers quote against each other. Metals (XAU, XAG) are left
 * out on purpose: their contract sizes are not 100,000.
 */
const FIAT = new Set(
  (
    'USD EUR GBP JPY CHF AUD NZD CAD SEK NOK DKK PLN CZK HUF TRY ZAR MXN SGD HKD CNH CNY ' +
    'ILS RUB THB INR KRW BRL'
  ).split(' '),
)

/** The standard lot: 100,000 units of the base currency. */
const FX_LOT: Fixed8 = fromInteger(100_000)

/** Base and quote of an FX pair written `EURUSD` (+ a broker suffix), or null. */
function forexPair(symbol: string): { base: string; quote: string } | null {
  const upper = symbol.toUpperCase()
  const base = upper.slice(0, 3)
  const quote = upper.slice(3, 6)
  return FIAT.has(base) && FIAT.has(quote) && base !== quote ? { base, quote } : null
}

/**
 * A MetaTrader / cTrader symbol, upper-cased with any broker suffix kept (`EURUSDm` →
 * `EURUSDM`). An FX pair is assetClass 'forex' counted in units of the base currency with
 * multiplier 1, the convention every format shares (IBKR, Blotter CSV), so one EURUSD instrument
 * serves them all; a lot is 100,000 units. Anything else is a 'cfd' whose contract size the
 * reports do not state: its multiplier stays unknown and quantities stay in lots.
 */
export function leveragedInstrument(symbol: string): {
  instrument: InstrumentSpec
  currency: string | null
  unitsPerLot: Fixed8
} {
  const pair = forexPair(symbol)
  const upper = symbol.toUpperCase()
  if (pair) {
    return {
      instrument: { ...NO_CONTRACT, symbol: upper, assetClass: 'forex' },
      currency: pair.quote,
      unitsPerLot: FX_LOT,
    }
  }
  return {
    instrument: { ...NO_CONTRACT, symbol: upper, assetClass: 'cfd' },
    currency: null,
    unitsPerLot: SCALE,
  }
}

// ---------------------------------------------------------------------------------------------
// Fills

type FillBase = Pick<ParsedFill, 'line' | 'raw' | 'account'>

/** The opening and closing fills of a trade-level row (brokers.md §1: never re-pair these). */
export function roundTripFills(
  base: FillBase & Pick<ParsedFill, 'instrument' | 'quantity' | 'currency' | 'sourceTimezone'>,
  trade: {
    id: string | null
    openSide: 'buy' | 'sell'
    openedAt: number
    openPrice: Fixed8
    closedAt: number
    closePrice: Fixed8
    /** All of the row's charges; booked on the closing fill. */
    fee: Fixed8
    brokerPnl: ParsedFill['brokerPnl']
    note: string | null
  },
): [ParsedFill, ParsedFill] {
  const common = { ...base, brokerOrderId: null, isDerived: true }
  return [
    {
      ...common,
      side: trade.openSide,
      price: trade.openPrice,
      fee: 0n,
      executedAt: trade.openedAt,
      brokerExecutionId: trade.id === null ? null : `${trade.id}:open`,
      note: null,
    },
    {
      ...common,
      side: trade.openSide === 'buy' ? 'sell' : 'buy',
      price: trade.closePrice,
      fee: trade.fee,
      executedAt: trade.closedAt,
      brokerExecutionId: trade.id === null ? null : `${trade.id}:close`,
      note: trade.note,
      brokerPnl: trade.brokerPnl,
    },
  ]
}

/** The one error of a file whose header row is not there (brief: line 1, no column). */
export function headerNotFound(expected: readonly string[], what: string): RowError {
  return {
    line: 1,
    column: null,
    message: `Not a ${what}: no header row with the columns ${expected.join(', ')} was found`,
  }
}
