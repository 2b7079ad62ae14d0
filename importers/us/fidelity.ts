/**
 * Fidelity account history download (brokers.md §2.4): blank or "Brokerage" lines above the
 * header, a disclaimer and "Date downloaded …" below the rows, several header variants (one
 * account or all accounts; Price before or after Quantity), mapped by name. Dates only; the
 * Action is free text (" YOU BOUGHT PROSHARES TR (AAPL) (Cash)"); Quantity is negative for
 * sells; Commission and Fees are positive.
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

type Key = 'date' | 'account' | 'action' | 'symbol' | 'quantity' | 'price' | 'commission' | 'fees'

const TABLE: DatedTable<Key> = {
  what: 'Fidelity history',
  signatures: [['Run Date', 'Action', 'Symbol', 'Quantity']],
  columns: {
    date: ['Run Date'],
    // All-accounts files: the 2026 one names the account and numbers it; the number is stable.
    account: ['Account Number', 'Account'],
    action: ['Action'],
    symbol: ['Symbol'],
    quantity: ['Quantity'],
    price: ['Price ($)', 'Price'],
    commission: ['Commission ($)', 'Commission'],
    fees: ['Fees ($)', 'Fees'],
  },
  // brokers.md does not say; the real samples list the latest day first.
  newestFirstByDefault: true,
}

/** Action prefixes; "SHORT SALE" is [Inferred] in brokers.md. */
const SIDES: readonly [string, Side][] = [
  ['YOU BOUGHT', 'buy'],
  ['YOU SOLD', 'sell'],
  ['SHORT SALE', 'sell'],
  ['REINVESTMENT', 'buy'],
]
/** Lifecycle rows with a signed quantity: "EXPIRED as of …" +1 buys back a short option. */
const CLOSINGS = ['EXPIRED', 'ASSIGNED']

export const fidelityFormat: ImportFormat = {
  id: 'fidelity',
  label: 'Fidelity account history',
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
  const action = row.text(columns.action).replace(/\s+/g, ' ').toUpperCase()
  const side = SIDES.find(([prefix]) => action.startsWith(prefix))?.[1] ?? null
  const closing = CLOSINGS.some((prefix) => action.startsWith(prefix))
  if (side === null && !closing) return null // dividends, transfers, interest

  // One all-accounts export writes 07-07-2026 [Inferred, synthetic].
  const dateText = row.text(columns.date).replace(/-/g, '/')
  const date = row.time(columns.date, 'Run Date', dateText, 'date-us', zone)
  const symbol = row.text(columns.symbol)
  const instrument =
    optionFromSymbol(symbol) ??
    stockInstrument(symbol) ??
    row.fail(columns.symbol ?? 'Symbol', `Symbol "${symbol}" is neither a ticker nor an option`)
  const quantity = row.number(columns.quantity, 'Quantity')
  if (quantity === 0n) row.fail(columns.quantity ?? 'Quantity', 'Quantity is 0')
  const price = closing ? 0n : row.number(columns.price, 'Price ($)')
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
      account: row.text(columns.account) || null,
    },
  }
}
