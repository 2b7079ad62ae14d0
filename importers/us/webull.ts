/**
 * Webull order history (brokers.md §2.7): one row per order, cancelled ones included. A fill is
 * the order's `Filled` quantity at its `Avg Price` (`Price` is the limit, "@16.53"), at
 * `Filled Time`, which names its zone ("09/19/2025 13:31:39 EDT"). No fee columns.
 *
 * The export has no order id, so one is made of what an order never changes: symbol, side,
 * total quantity, limit price and placed time. It is the fill's broker id, so an order exported
 * again is a duplicate. Limitation: an order exported while partially filled keeps the
 * quantity of that first import; undo that import and import the later file to take the rest.
 */
import { createHash } from 'node:crypto'
import type { Side } from '../../core/engine'
import type { ImportFormat, ParsedFill, ParseOptions, RowError } from '../types'
import {
  EASTERN,
  Row,
  fillOf,
  findTable,
  isNoteRecord,
  missingHeader,
  optionFromSymbol,
  roundTo8Decimals,
  rowsAfter,
  stockInstrument,
} from './common'

const SIGNATURE = ['Symbol', 'Side', 'Status', 'Filled', 'Total Qty', 'Avg Price', 'Filled Time']
const COLUMNS = {
  symbol: ['Symbol'],
  side: ['Side'],
  status: ['Status'],
  filled: ['Filled'],
  total: ['Total Qty'],
  limit: ['Price'],
  average: ['Avg Price'],
  placed: ['Placed Time'],
  filledTime: ['Filled Time'],
}
/** A short sale is a sell; a cover is written as a Buy. */
const SIDES = new Map<string, Side>([
  ['buy', 'buy'],
  ['sell', 'sell'],
  ['short', 'sell'],
])
/** Webull writes its zone as EST/EDT: US Eastern. */
const NAMED_ZONE = /\b(EST|EDT)$/i

export const webullFormat: ImportFormat = {
  id: 'webull',
  label: 'Webull order history',
  parserVersion: '1',
  defaultTimezone: EASTERN,
  detect: (text) => (findTable(text, [SIGNATURE], {}) ? 0.9 : 0),
  parse: parseWebull,
}

function* parseWebull(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const table = findTable(text, [SIGNATURE], COLUMNS)
  if (!table) {
    yield missingHeader('Webull orders', [SIGNATURE])
    return
  }
  const { columns } = table
  const seen = new Map<string, number>()
  for (const record of rowsAfter(text, table.header)) {
    if (isNoteRecord(record)) continue
    const row = new Row(record)
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const filled = row.number(columns.filled, 'Filled')
    // Cancelled, failed and working orders with nothing filled are not trades.
    if (filled === 0n && row.errors.length === 0) continue
    const sideText = row.text(columns.side)
    const side =
      SIDES.get(sideText.toLowerCase()) ??
      row.fail(columns.side ?? 'Side', `Side "${sideText}" must be Buy, Sell or Short`)
    // Avg Price may have 10 decimals: rounded half-even to the 8 Blotter keeps.
    const price = row.number(
      columns.average,
      'Avg Price',
      roundTo8Decimals(row.text(columns.average)),
    )
    const timeText = row.text(columns.filledTime)
    const executedAt = row.time(
      columns.filledTime,
      'Filled Time',
      timeText,
      'us-slash',
      options.timezone,
    )
    const symbol = row.text(columns.symbol)
    const instrument =
      optionFromSymbol(symbol) ??
      stockInstrument(symbol) ??
      row.fail(columns.symbol ?? 'Symbol', `Symbol "${symbol}" is neither a ticker nor an option`)
    if (filled !== null && filled < 0n) {
      row.fail(columns.filled ?? 'Filled', `Filled "${row.text(columns.filled)}" is negative`)
    }
    if (row.errors.length > 0 || !side || price === null || executedAt === null || !instrument) {
      yield* row.errors
      continue
    }
    const identity = [
      symbol,
      sideText,
      row.text(columns.total),
      row.text(columns.limit),
      row.text(columns.placed),
    ].join('|')
    // Two orders alike in all of that stay apart, in file order, the same way every time.
    const count = seen.get(identity) ?? 0
    seen.set(identity, count + 1)
    const orderId = `webull:${createHash('sha256').update(`${identity}#${count}`).digest('hex').slice(0, 20)}`
    yield fillOf(record, {
      account: null,
      instrument,
      side,
      quantity: filled as bigint,
      price,
      fee: 0n,
      currency: null,
      executedAt,
      sourceTimezone: NAMED_ZONE.test(timeText) ? EASTERN : options.timezone,
      brokerExecutionId: orderId,
      brokerOrderId: orderId,
    })
  }
}
