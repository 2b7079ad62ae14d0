/**
 * TradeStation TradeManager → Orders, Filled Orders, copied as text (brokers.md §2.8). Only
 * the column names TradeNote reads are known (Account, Entered, Type, Symbol, Order Status,
 * Qty Filled, Filled Price, Commission, Contract Exp Date); order, delimiter (tab or comma) and
 * the line above the header are not verified, so all three are found, not assumed.
 *
 * One row per order: the filled quantity at the filled price. `Entered` (MM/DD/YY hh:mm:ss AM)
 * is when the order was entered, the only time brokers.md names, in the platform's zone
 * [Inferred], US Eastern by default. A futures row has a Contract Exp Date.
 */
import type { Side } from '../../core/engine'
import type { ImportFormat, ParsedFill, ParseOptions, RowError } from '../types'
import {
  EASTERN,
  Row,
  costs,
  fillOf,
  findTable,
  futureInstrument,
  isNoteRecord,
  missingHeader,
  optionFromSymbol,
  rowsAfter,
  stockInstrument,
} from './common'

const SIGNATURE = ['Entered', 'Type', 'Symbol', 'Order Status', 'Qty Filled', 'Filled Price']
const COLUMNS = {
  account: ['Account'],
  entered: ['Entered'],
  type: ['Type'],
  symbol: ['Symbol'],
  status: ['Order Status'],
  quantity: ['Qty Filled'],
  price: ['Filled Price'],
  commission: ['Commission'],
  expiry: ['Contract Exp Date'],
}

export const tradestationFormat: ImportFormat = {
  id: 'tradestation',
  label: 'TradeStation TradeManager orders',
  parserVersion: '1',
  defaultTimezone: EASTERN,
  detect: (text) => (findTable(text, [SIGNATURE], {}) ? 0.9 : 0),
  parse: parseTradeStation,
}

function* parseTradeStation(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const table = findTable(text, [SIGNATURE], COLUMNS)
  if (!table) {
    yield missingHeader('TradeStation orders', [SIGNATURE])
    return
  }
  const { columns } = table
  for (const record of rowsAfter(text, table.header)) {
    if (isNoteRecord(record)) continue
    const row = new Row(record)
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const quantity = row.number(columns.quantity, 'Qty Filled')
    // Cancelled and rejected orders (nothing filled) are not trades.
    if (quantity === 0n && row.errors.length === 0) continue
    if (quantity !== null && quantity < 0n) {
      row.fail(
        columns.quantity ?? 'Qty Filled',
        `Qty Filled "${row.text(columns.quantity)}" is negative`,
      )
    }
    // Buy, Buy to Cover, Buy to Open, Buy to Close; Sell, Sell Short, Sell to Open, Sell to Close.
    const typeText = row.text(columns.type)
    const word = typeText.split(/\s+/)[0]?.toLowerCase()
    const side: Side | null =
      word === 'buy' || word === 'sell'
        ? word
        : row.fail(columns.type ?? 'Type', `Type "${typeText}" is neither a buy nor a sell`)
    const price = row.number(columns.price, 'Filled Price')
    const fee = costs(row, [columns.commission])
    const executedAt = row.time(
      columns.entered,
      'Entered',
      row.text(columns.entered),
      'us-slash-ampm',
      options.timezone,
    )
    const symbol = row.text(columns.symbol)
    const isFuture = row.text(columns.expiry) !== ''
    const instrument =
      executedAt === null
        ? null
        : isFuture
          ? (futureInstrument(symbol, executedAt) ??
            row.fail(
              columns.symbol ?? 'Symbol',
              `Symbol "${symbol}" is not a futures contract Blotter can read`,
            ))
          : (optionFromSymbol(symbol) ??
            stockInstrument(symbol) ??
            row.fail(
              columns.symbol ?? 'Symbol',
              `Symbol "${symbol}" is neither a ticker nor an option`,
            ))
    if (row.errors.length > 0 || !side || price === null || executedAt === null || !instrument) {
      yield* row.errors
      continue
    }
    yield fillOf(record, {
      account: row.text(columns.account) || null,
      instrument,
      side,
      quantity: quantity as bigint,
      price,
      fee,
      currency: null,
      executedAt,
      sourceTimezone: options.timezone,
      brokerExecutionId: null,
    })
  }
}
