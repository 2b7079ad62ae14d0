/**
 * What the "other" family's formats share: columns found by header name (with aliases), a row
 * reader that collects every error of a row, fee netting, half-even rounding of over-long crypto
 * decimals, the instrument rules for stocks, CFDs/forex and crypto pairs, and the deposit
 * currency of MetaTrader and cTrader charges.
 */
import {
  DecimalError,
  divideHalfEven,
  formatDecimal,
  fromInteger,
  multiply,
  SCALE,
  type Fixed8,
} from '../../core/decimal'
import { parseOptionSymbol, formatOcc } from '../../core/instruments/options'
import { parseBrokerNumber, type DecimalSeparator } from '../../core/parse/numbers'
import { parseTimestamp, TimeParseError, type TimestampFormat } from '../../core/time-parse'
import { csvRecords, isBlankRecord, type CsvRecord } from '../sniff'
import type { BrokerPnl, InstrumentSpec, ParsedFill, ParseWarning, RowError } from '../types'

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
 * the fee is then 0 and the note says how much credit (in `currency`, when named) was left out.
 */
export function netFee(
  cost: Fixed8,
  what: string,
  currency: string | null = null,
): { fee: Fixed8; note: string | null } {
  if (cost >= 0n) return { fee: cost, note: null }
  return {
    fee: 0n,
    note: `${what} come to a net credit of ${money(-cost, currency)}, not counted (fees cannot be negative)`,
  }
}

/** An amount for a note: 2 decimals at least, and its currency when known. */
function money(amount: Fixed8, currency: string | null): string {
  return currency === null ? formatDecimal(amount, 2) : `${formatDecimal(amount, 2)} ${currency}`
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

export interface ForexPair {
  base: string
  quote: string
}

/** Base and quote of an FX pair written `EURUSD` (+ a broker suffix), or null. */
function forexPair(symbol: string): ForexPair | null {
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
  pair: ForexPair | null
  unitsPerLot: Fixed8
} {
  const pair = forexPair(symbol)
  const upper = symbol.toUpperCase()
  if (pair) {
    return {
      instrument: { ...NO_CONTRACT, symbol: upper, assetClass: 'forex' },
      pair,
      unitsPerLot: FX_LOT,
    }
  }
  return {
    instrument: { ...NO_CONTRACT, symbol: upper, assetClass: 'cfd' },
    pair: null,
    unitsPerLot: SCALE,
  }
}

// ---------------------------------------------------------------------------------------------
// Deposit currency

/**
 * One MetaTrader / cTrader row's money. Its charges and the broker's P&L are in the account's
 * deposit currency (brokers.md §2.11–2.12, §2.19), while a pair's fills are priced in its quote
 * currency, which is what Blotter's P&L and fees are in.
 */
export interface DepositRow {
  /** null for a CFD (leveragedInstrument). */
  pair: ForexPair | null
  /** null when the file does not say. */
  deposit: string | null
  /** All of the row's charges as the broker signs them (negative: a cost). */
  charges: Fixed8
  /** What the charges are called, for notes. */
  what: string
  /** The price of the deal the charges are booked on (a round trip's closing one). */
  price: Fixed8
  pnl: { amount: Fixed8; net: boolean } | null
  /** A round trip's gross P&L in the quote currency; null for a single deal. */
  gross: Fixed8 | null
}

export interface BookedRow {
  /** The fills' currency. */
  currency: string | null
  fee: Fixed8
  note: string | null
  brokerPnl: BrokerPnl | null
  /** The charges had no rate into the fills' currency and were left out of the fee. */
  leftOut: boolean
}

/**
 * The fee and the broker's P&L of a row in its fills' currency:
 *
 * - a CFD: the report names no currency for it, so its fills are in the deposit currency, which
 *   its charges and Profit are in (the account's when the report does not say either);
 * - the deposit currency is the quote (EURUSD in a USD account), or unknown: as written;
 * - it is the base (USDJPY in a USD account): one unit is worth the deal's price in the quote,
 *   so the fee is charges × price, exact (a product of 2 and ≤ 6 decimals fits Blotter's 8), and
 *   the broker's P&L is compared at that rate;
 * - a cross pair (EURAUD in a USD account): the file has no exact rate. A round trip whose Profit
 *   and gross are both non-zero shows the rate the broker applied, gross ÷ Profit, so the fee is
 *   converted at it, rounded half-even to the cent, and the note says so; otherwise the fee is
 *   left out (`leftOut`: the parser warns). The broker's P&L is not compared.
 */
export function bookDepositRow(row: DepositRow): BookedRow {
  const { pair, deposit, pnl } = row
  const { fee, note } = netFee(-row.charges, row.what, deposit)
  if (pair === null) return { currency: deposit, fee, note, brokerPnl: pnl, leftOut: false }
  const booked = { currency: pair.quote, fee, note, brokerPnl: pnl, leftOut: false }
  if (deposit === null || deposit === pair.quote) return booked
  if (deposit === pair.base) {
    const conversion = { currency: deposit, rate: row.price }
    return {
      ...booked,
      fee: multiply(fee, row.price),
      brokerPnl: pnl && { ...pnl, conversion },
    }
  }
  const cross = {
    ...booked,
    brokerPnl: pnl && { ...pnl, conversion: { currency: deposit, rate: null } },
  }
  if (fee === 0n) return cross
  // Profit is gross in both reports; cTrader's Net is Gross plus the signed charges.
  const depositGross = pnl === null ? null : pnl.net ? pnl.amount - row.charges : pnl.amount
  const gross = row.gross
  if (
    depositGross !== null &&
    gross !== null &&
    depositGross !== 0n &&
    gross !== 0n &&
    depositGross > 0n === gross > 0n
  ) {
    return {
      ...cross,
      fee: productRatioToCents(fee, gross, depositGross),
      note: joinNotes(
        note,
        `${row.what} of ${money(fee, deposit)} converted at the broker's own rate for this row (its gross, ${money(gross, pair.quote)}, is ${money(depositGross, deposit)}), to the cent`,
      ),
    }
  }
  return {
    ...cross,
    fee: 0n,
    note: joinNotes(
      note,
      `${row.what} of ${money(fee, deposit)} left out: the row gives no ${deposit} to ${pair.quote} rate`,
    ),
    leftOut: true,
  }
}

/** a × b ÷ c, rounded half-even to the cent once. */
function productRatioToCents(a: Fixed8, b: Fixed8, c: Fixed8): Fixed8 {
  const cent = SCALE / 100n
  return divideHalfEven(a * b, c * cent) * cent
}

/**
 * The file's warnings about deposit currency: rows whose charges were left out, or an unknown
 * deposit currency where it matters (FX rows).
 */
export class DepositNotes {
  private readonly leftOut: number[] = []
  private forex = false

  constructor(private readonly deposit: string | null) {}

  add(line: number, booked: BookedRow, pair: ForexPair | null): void {
    if (booked.leftOut) this.leftOut.push(line)
    if (pair) this.forex = true
  }

  *warnings(): Generator<ParseWarning, void> {
    if (this.deposit === null && this.forex) {
      yield {
        warning:
          "The file does not name the account's deposit currency: the charges and the broker's P&L of each FX pair are taken to be in its quote currency",
      }
    }
    const count = this.leftOut.length
    if (count > 0) {
      const lines = this.leftOut.slice(0, 10).join(', ') + (count > 10 ? '…' : '')
      yield {
        warning: `The charges of ${count === 1 ? `1 row (line ${lines})` : `${count} rows (lines ${lines})`} are in ${this.deposit ?? 'the deposit currency'} and the file gives no rate into the pair's quote currency, so they were left out: Blotter's P&L is higher than the broker's by those charges`,
      }
    }
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
