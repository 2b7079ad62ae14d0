/**
 * Robinhood account activity report (brokers.md §2.6): every field quoted, Descriptions that
 * span lines ("Tesla\nCUSIP: …"), newest-first, dates only (M/D/YYYY), unsigned quantities
 * (fractional, or "8S" on non-cash events), money as "$1,234.56" / "($1,234.56)", and a
 * trailing disclaimer. The options' contract is in Description ("SPY 3/20/2026 Call $580.00",
 * prefixed "Option Expiration for " on OEXP rows). No fee column: regulatory fees are netted
 * into Amount, so fills carry fee 0.
 */
import type { Side } from '../../core/engine'
import type { ImportFormat, ParseOptions } from '../types'
import {
  EASTERN,
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

type Key = 'date' | 'instrument' | 'description' | 'code' | 'quantity' | 'price'

const TABLE: DatedTable<Key> = {
  what: 'Robinhood account activity',
  signatures: [['Activity Date', 'Process Date', 'Settle Date', 'Instrument', 'Trans Code']],
  columns: {
    date: ['Activity Date'],
    instrument: ['Instrument'],
    description: ['Description'],
    code: ['Trans Code'],
    quantity: ['Quantity'],
    price: ['Price'],
  },
  newestFirstByDefault: true,
}

const STOCK_CODES = new Map<string, Side>([
  ['BUY', 'buy'],
  ['SELL', 'sell'],
])
const OPTION_CODES = new Map<string, Side>([
  ['BTO', 'buy'],
  ['BTC', 'buy'],
  ['STO', 'sell'],
  ['STC', 'sell'],
])
/**
 * Option lifecycle rows carry no side, price or amount: they close what is held. Without a
 * position in the file, assignment (of a short) buys and exercise (of a long) sells; an
 * expiry cannot be told.
 */
const CLOSINGS = new Map<string, Side | null>([
  ['OEXP', null],
  ['OASGN', 'buy'],
  ['OEXCS', 'sell'],
])

export const robinhoodFormat: ImportFormat = {
  id: 'robinhood',
  label: 'Robinhood account activity',
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
  const code = row.text(columns.code).toUpperCase()
  const stockSide = STOCK_CODES.get(code)
  const optionSide = OPTION_CODES.get(code)
  const closing = CLOSINGS.has(code)
  if (!stockSide && !optionSide && !closing) return null // dividends, transfers, interest, fees

  const date = row.time(columns.date, 'Activity Date', row.text(columns.date), 'date-us', zone)
  const description = row.text(columns.description)
  const symbol = row.text(columns.instrument)
  const instrument = stockSide
    ? (stockInstrument(symbol) ??
      row.fail(columns.instrument ?? 'Instrument', `Instrument "${symbol}" is not a ticker`))
    : (optionFromSymbol(description.replace(/^Option \w+ for /i, '')) ??
      row.fail(
        columns.description ?? 'Description',
        `Description "${description}" is not an option contract Blotter can read`,
      ))
  const quantity = row.number(columns.quantity, 'Quantity')
  if (quantity === 0n) row.fail(columns.quantity ?? 'Quantity', 'Quantity is 0')
  const price = closing ? 0n : row.number(columns.price, 'Price')
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
    actionColumn: columns.code,
    trade: {
      instrument,
      side: stockSide ?? optionSide ?? null,
      fallbackSide: CLOSINGS.get(code) ?? null,
      quantity: magnitude(quantity),
      price,
      fee: 0n,
      account: null,
    },
  }
}
