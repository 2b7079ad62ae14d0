/**
 * Charles Schwab (schwab.com) Transactions CSV (brokers.md §2.3). Current and old (≤2022)
 * layouts share the header; the old one has a "Transactions  for account …" line above it, a
 * trailing comma on every row and a closing "Transactions Total" row. Dates only, newest-first;
 * quantities unsigned (the Action tells the side); "MM/DD/YYYY as of MM/DD/YYYY" rows trade on
 * the "as of" date.
 */
import type { Side } from '../../core/engine'
import type { ImportFormat, ParseOptions } from '../types'
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

const SIGNATURE = ['Date', 'Action', 'Symbol', 'Quantity', 'Price', 'Fees & Comm', 'Amount']

const TABLE: DatedTable<'date' | 'action' | 'symbol' | 'quantity' | 'price' | 'fees'> = {
  what: 'Schwab Transactions',
  signatures: [SIGNATURE],
  columns: {
    date: ['Date'],
    action: ['Action'],
    symbol: ['Symbol'],
    quantity: ['Quantity'],
    price: ['Price'],
    fees: ['Fees & Comm'],
  },
  newestFirstByDefault: true,
}

const BUYS = new Set(['buy', 'buy to open', 'buy to close', 'buy to cover', 'reinvest shares'])
const SELLS = new Set(['sell', 'sell short', 'sell to open', 'sell to close'])
/** Option lifecycle rows: no price; the side closes what is held, else the one given here. */
const CLOSINGS = new Map<string, Side | null>([
  ['expired', null],
  // Assignment removes a short option; exercise removes a long one.
  ['assigned', 'buy'],
  ['exchange or exercise', 'sell'],
])

export const schwabFormat: ImportFormat = {
  id: 'schwab',
  label: 'Charles Schwab Transactions CSV',
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
  columns: Record<keyof typeof TABLE.columns, Column | undefined>,
  zone: string,
): DatedRow | null {
  const action = row.text(columns.action).replace(/\s+/g, ' ').toLowerCase()
  const side: Side | null = BUYS.has(action) ? 'buy' : SELLS.has(action) ? 'sell' : null
  const closing = CLOSINGS.has(action)
  if (side === null && !closing) return null // cash movements, dividends, journals, totals

  // "04/01/2020 as of 03/31/2020": the trade belongs to the "as of" day.
  const dateText = row.text(columns.date).replace(/^.*\bas of\s+/i, '')
  const date = row.time(columns.date, 'Date', dateText, 'date-us', zone)
  const symbol = row.text(columns.symbol)
  const instrument =
    optionFromSymbol(symbol) ??
    stockInstrument(symbol) ??
    row.fail(columns.symbol ?? 'Symbol', `Symbol "${symbol}" is neither a ticker nor an option`)
  // Exercise rows may carry "-1": the Action, not the sign, tells the side.
  const quantity = row.number(columns.quantity, 'Quantity')
  if (quantity === 0n) row.fail(columns.quantity ?? 'Quantity', 'Quantity is 0')
  const price = closing ? 0n : row.number(columns.price, 'Price')
  const fee = costs(row, [columns.fees])
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
      fallbackSide: CLOSINGS.get(action) ?? null,
      quantity: magnitude(quantity),
      price,
      fee,
      account: null,
    },
  }
}
