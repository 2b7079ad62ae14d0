/**
 * E*TRADE transaction downloads (brokers.md §2.5), both layouts:
 * - old (≤2024): "For Account:,####1234", a blank line, TransactionDate,TransactionType,
 *   SecurityType,…, a blank line, rows; SecurityType EQ / OPTN / MF;
 * - new "All Transactions" (2025+): six preamble lines (title, account, "Total:"), then
 *   Activity/Trade Date,…,Quantity #,Price $,Amount $,Commission[,Fees],…; `--` for nulls;
 *   options described fixed-width in Description ("PUT  IWM    02/27/26   260.000").
 * Dates only (MM/DD/YY); Quantity is negative for sells, Commission positive. The old sample is
 * newest-first; the order of a one-day file cannot be seen, and newest-first is assumed.
 */
import type { Side } from '../../core/engine'
import type { ImportFormat, InstrumentSpec, ParseOptions } from '../types'
import {
  EASTERN,
  costs,
  findTable,
  magnitude,
  optionFromSymbol,
  parseDatedTable,
  stockInstrument,
  type Column,
  type DatedRow,
  type DatedTable,
  type Row,
} from './common'

type Key =
  | 'date'
  | 'action'
  | 'securityType'
  | 'symbol'
  | 'description'
  | 'quantity'
  | 'price'
  | 'commission'
  | 'fees'

const OLD = ['TransactionDate', 'TransactionType', 'SecurityType', 'Symbol', 'Quantity', 'Price']
const NEW = ['Activity/Trade Date', 'Activity Type', 'Symbol', 'Quantity #', 'Price $']

const TABLE: DatedTable<Key> = {
  what: 'E*TRADE transactions',
  signatures: [OLD, NEW],
  columns: {
    date: ['TransactionDate', 'Activity/Trade Date'],
    action: ['TransactionType', 'Activity Type'],
    securityType: ['SecurityType'],
    symbol: ['Symbol'],
    description: ['Description'],
    quantity: ['Quantity', 'Quantity #'],
    price: ['Price', 'Price $'],
    commission: ['Commission'],
    fees: ['Fees'],
  },
  newestFirstByDefault: true,
}

/** Lower-cased; case varies between rows ("Bought to Close", "Bought To Open"). */
const SIDES = new Map<string, Side>([
  ['bought', 'buy'],
  ['bought to open', 'buy'],
  ['bought to close', 'buy'],
  ['bought to cover', 'buy'], // [Inferred]
  ['sold', 'sell'],
  ['sold short', 'sell'], // also a sell to open of an option
  ['sold to open', 'sell'],
  ['sold to close', 'sell'], // [Inferred]
])
/** [Inferred] names; the side closes what is held, else follows the quantity's sign. */
const CLOSINGS = new Set(['option expired', 'option assigned', 'option exercised'])

export const etradeFormat: ImportFormat = {
  id: 'etrade',
  label: 'E*TRADE transactions',
  parserVersion: '2',
  defaultTimezone: EASTERN,
  detect: (text) => (findTable(text, TABLE.signatures, {}) ? 0.9 : 0),
  parse: (text: string, options: ParseOptions) =>
    parseDatedTable(text, options.timezone, TABLE, (row, columns) =>
      readRow(row, columns, options.timezone),
    ),
}

function readRow(
  row: Row,
  columns: Record<Key, Column | undefined>,
  zone: string,
): DatedRow | null {
  const action = row.text(columns.action).replace(/\s+/g, ' ').toLowerCase()
  const side = SIDES.get(action) ?? null
  const closing = CLOSINGS.has(action)
  if (side === null && !closing) return null // dividends, transfers, interest

  const date = row.time(columns.date, 'TransactionDate', row.text(columns.date), 'date-us', zone)
  const instrument = instrumentOf(row, columns)
  const quantity = row.number(columns.quantity, 'Quantity')
  if (quantity === 0n) row.fail(columns.quantity ?? 'Quantity', 'Quantity is 0')
  const price = closing ? 0n : row.number(columns.price, 'Price')
  const fee = costs(row, [columns.commission, columns.fees])
  if (
    row.errors.length > 0 ||
    date === null ||
    !instrument ||
    quantity === null ||
    price === null
  ) {
    return null
  }
  return {
    row,
    date,
    actionColumn: columns.action,
    trade: {
      instrument,
      side,
      fallbackSide: quantity > 0n ? 'buy' : 'sell',
      quantity: magnitude(quantity),
      price,
      fee,
      account: null,
    },
  }
}

/**
 * New layout: an option is described in Description (Symbol holds the underlying). Old layout:
 * SecurityType says; where an OPTN row keeps the contract (Symbol or Description) is
 * unverified, so both are tried.
 */
function instrumentOf(row: Row, columns: Record<Key, Column | undefined>): InstrumentSpec | null {
  const symbol = row.text(columns.symbol)
  const description = row.text(columns.description)
  const type = row.text(columns.securityType).toUpperCase()
  if (type === 'OPTN') {
    return (
      optionFromSymbol(symbol) ??
      optionFromSymbol(description) ??
      row.fail(
        columns.symbol ?? 'Symbol',
        `neither Symbol "${symbol}" nor Description "${description}" is an option Blotter can read`,
      )
    )
  }
  const option = columns.securityType === undefined ? optionFromSymbol(description) : null
  return (
    option ??
    stockInstrument(symbol, type === 'MF' ? 'fund' : 'stock') ??
    row.fail(columns.symbol ?? 'Symbol', `Symbol "${symbol}" is not a ticker`)
  )
}
