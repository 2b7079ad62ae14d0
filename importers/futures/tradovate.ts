/**
 * Tradovate reports (brokers.md §2.9): Orders (one row per order, cancelled ones too), Fills (one
 * row per fill, with commission and a UTC `_timestamp`) and Performance (one row per matched
 * buy/sell fill pair). Also what Tradovate-cleared prop accounts (Apex, Tradeify…) download.
 *
 * Times other than `_timestamp` are naive, in the zone chosen in the Tradovate platform, which
 * the file never names. The default is America/Chicago, the exchange's zone (an assumption, not
 * documented by Tradovate); traders in another platform zone pass --tz.
 */
import type { Side } from '../../core/engine'
import type { ImportFormat, ParsedFill, ParseOptions } from '../types'
import {
  derivedFills,
  detectTable,
  futureInstrument,
  parseTable,
  yearOf,
  type Column,
  type Row,
  type TableSpec,
} from './table'

const DEFAULT_TIMEZONE = 'America/Chicago'

const ACCOUNT: Column = ['Account']
const SIDE: Column = ['B/S']
const CONTRACT: Column = ['Contract']
const PRODUCT: Column = ['Product']
const CURRENCY: Column = ['Currency']

/** ` Buy` / ` Sell`, leading space and all. */
function readSide(row: Row, column: Column): Side | null {
  const text = row.text(column).toLowerCase()
  if (text === 'buy' || text === 'sell') return text
  return row.fail(column, `${row.label(column)} "${row.text(column)}" must be Buy or Sell`)
}

function readCurrency(row: Row): string | null {
  const text = row.text(CURRENCY).toUpperCase()
  if (text === '') return null
  return /^[A-Z]{3}$/.test(text)
    ? text
    : row.fail(CURRENCY, `Currency "${row.text(CURRENCY)}" is not a currency code`)
}

// ---------------------------------------------------------------------------------------------
// Orders

const ORDER_ID: Column = ['orderId', 'Order ID']
// The older 26-column layout has only avgPrice/filledQty; the newer adds Filled Qty/Avg Fill Price.
const FILLED_QTY: Column = ['filledQty', 'Filled Qty']
const AVG_PRICE: Column = ['avgPrice', 'Avg Fill Price']
const FILL_TIME: Column = ['Fill Time']

const ORDERS: TableSpec = {
  name: 'Tradovate Orders',
  signatures: [
    ['B/S', 'Contract', 'Status', 'avgPrice', 'filledQty', 'Fill Time'],
    ['B/S', 'Contract', 'Status', 'Avg Fill Price', 'Filled Qty', 'Fill Time'],
  ],
  delimiter: ',',
}

/**
 * An order's filled quantity at its average fill price, whatever its status: a cancelled
 * bracket leg that filled partly still traded. Orders with nothing filled are skipped.
 */
function readOrder(row: Row, options: ParseOptions): ParsedFill[] {
  const filled = row.number(FILLED_QTY, { required: false, sign: 'non-negative' })
  if (filled === null || filled === 0n) return []
  const side = readSide(row, SIDE)
  const price = row.number(AVG_PRICE, { sign: 'non-negative' })
  const time = row.time(FILL_TIME, ['us-slash'], options.timezone)
  const contract = row.required(CONTRACT)
  const currency = readCurrency(row)
  if (row.errors.length > 0 || !side || price === null || !time || !contract) return []
  const orderId = row.text(ORDER_ID) || null
  return [
    {
      line: row.line,
      raw: row.record.raw,
      account: row.text(ACCOUNT) || null,
      instrument: futureInstrument(contract, yearOf(time.executedAt), row.text(PRODUCT) || null),
      side,
      quantity: filled,
      price,
      fee: 0n,
      currency,
      executedAt: time.executedAt,
      sourceTimezone: time.sourceTimezone,
      brokerExecutionId: orderId === null ? null : `${orderId}:fill`,
      brokerOrderId: orderId,
      isDerived: false,
      note: null,
    },
  ]
}

export const tradovateOrdersFormat: ImportFormat = {
  id: 'tradovate-orders',
  label: 'Tradovate Orders report',
  parserVersion: '1',
  defaultTimezone: DEFAULT_TIMEZONE,
  detect: (text) => detectTable(text, ORDERS),
  parse: (text, options) => parseTable(text, ORDERS, (row) => readOrder(row, options)),
}

// ---------------------------------------------------------------------------------------------
// Fills

const FILL_ID: Column = ['Fill ID', '_id']
const FILL_ORDER_ID: Column = ['Order ID', '_orderId']
const UTC_TIMESTAMP: Column = ['_timestamp']
const LOCAL_TIMESTAMP: Column = ['Timestamp']
const ACTION: Column = ['_action']
const QUANTITY: Column = ['Quantity', '_qty']
const PRICE: Column = ['Price', '_price']
const ACTIVE: Column = ['_active']
const COMMISSION: Column = ['commission']

const FILLS: TableSpec = {
  name: 'Tradovate Fills',
  signatures: [['Fill ID', 'B/S', 'Contract', 'Quantity', 'Price']],
  delimiter: ',',
}

/** `B/S`, else `_action` (0 buy, 1 sell). */
function readFillSide(row: Row): Side | null {
  if (row.text(SIDE) !== '' || !row.has(ACTION)) return readSide(row, SIDE)
  const action = row.text(ACTION)
  if (action === '0') return 'buy'
  if (action === '1') return 'sell'
  return row.fail(ACTION, `_action "${action}" must be 0 (buy) or 1 (sell)`)
}

function readFill(row: Row, options: ParseOptions): ParsedFill[] {
  // [Inferred] Tradovate's API marks a busted fill inactive; it never traded.
  if (row.text(ACTIVE).toLowerCase() === 'false') return []
  const side = readFillSide(row)
  const quantity = row.number(QUANTITY, { sign: 'positive' })
  const price = row.number(PRICE, { sign: 'non-negative' })
  const fee = row.fee([COMMISSION])
  // `_timestamp` is UTC ("2026-09-14 14:30:00.700Z"); `Timestamp` is the platform's wall clock.
  const time =
    row.text(UTC_TIMESTAMP) !== ''
      ? row.time(UTC_TIMESTAMP, ['iso'], 'UTC')
      : row.time(LOCAL_TIMESTAMP, ['us-slash'], options.timezone)
  const contract = row.required(CONTRACT)
  if (row.errors.length > 0 || !side || quantity === null || price === null || !time || !contract) {
    return []
  }
  return [
    {
      line: row.line,
      raw: row.record.raw,
      account: row.text(ACCOUNT) || null,
      instrument: futureInstrument(contract, yearOf(time.executedAt), row.text(PRODUCT) || null),
      side,
      quantity,
      price,
      fee,
      currency: null,
      executedAt: time.executedAt,
      sourceTimezone: time.sourceTimezone,
      brokerExecutionId: row.text(FILL_ID) || null,
      brokerOrderId: row.text(FILL_ORDER_ID) || null,
      isDerived: false,
      note: null,
    },
  ]
}

export const tradovateFillsFormat: ImportFormat = {
  id: 'tradovate-fills',
  label: 'Tradovate Fills report',
  parserVersion: '1',
  defaultTimezone: DEFAULT_TIMEZONE,
  detect: (text) => detectTable(text, FILLS),
  parse: (text, options) => parseTable(text, FILLS, (row) => readFill(row, options)),
}

// ---------------------------------------------------------------------------------------------
// Performance

const SYMBOL: Column = ['symbol']
const BUY_FILL_ID: Column = ['buyFillId']
const SELL_FILL_ID: Column = ['sellFillId']
const PAIR_QTY: Column = ['qty']
const BUY_PRICE: Column = ['buyPrice']
const SELL_PRICE: Column = ['sellPrice']
const PNL: Column = ['pnl']
const BOUGHT_AT: Column = ['boughtTimestamp']
const SOLD_AT: Column = ['soldTimestamp']

const PERFORMANCE: TableSpec = {
  name: 'Tradovate Performance',
  signatures: [
    [
      'symbol',
      'buyFillId',
      'sellFillId',
      'qty',
      'buyPrice',
      'sellPrice',
      'boughtTimestamp',
      'soldTimestamp',
    ],
  ],
  delimiter: ',',
}

/** Fill ids are increasing numbers; the lower one filled first. */
function filledFirst(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) < BigInt(b)
  return a < b
}

/**
 * A matched pair: a long when the buy came first, a short when the sell did (`soldTimestamp`
 * before `boughtTimestamp`); equal timestamps are ordered by fill id. `pnl` is gross: the
 * report has no fees.
 */
function readPair(row: Row, options: ParseOptions): ParsedFill[] {
  const quantity = row.number(PAIR_QTY, { sign: 'positive' })
  const buyPrice = row.number(BUY_PRICE, { sign: 'non-negative' })
  const sellPrice = row.number(SELL_PRICE, { sign: 'non-negative' })
  const pnl = row.number(PNL, { required: false })
  const bought = row.time(BOUGHT_AT, ['us-slash'], options.timezone)
  const sold = row.time(SOLD_AT, ['us-slash'], options.timezone)
  const symbol = row.required(SYMBOL)
  if (
    row.errors.length > 0 ||
    quantity === null ||
    buyPrice === null ||
    sellPrice === null ||
    !bought ||
    !sold ||
    !symbol
  ) {
    return []
  }
  const buyId = row.text(BUY_FILL_ID)
  const sellId = row.text(SELL_FILL_ID)
  const short =
    sold.executedAt < bought.executedAt ||
    (sold.executedAt === bought.executedAt && filledFirst(sellId, buyId))
  const buy = { price: buyPrice, time: bought }
  const sell = { price: sellPrice, time: sold }
  return derivedFills(row, {
    account: null,
    instrument: futureInstrument(symbol, yearOf(Math.min(bought.executedAt, sold.executedAt))),
    direction: short ? 'short' : 'long',
    quantity,
    entry: short ? sell : buy,
    exit: short ? buy : sell,
    fee: 0n,
    currency: null,
    id: buyId && sellId ? `${buyId}/${sellId}` : null,
    brokerPnl: pnl === null ? null : { amount: pnl, net: false },
  })
}

export const tradovatePerformanceFormat: ImportFormat = {
  id: 'tradovate-performance',
  label: 'Tradovate Performance report (matched fill pairs)',
  parserVersion: '1',
  defaultTimezone: DEFAULT_TIMEZONE,
  detect: (text) => detectTable(text, PERFORMANCE),
  parse: (text, options) => parseTable(text, PERFORMANCE, (row) => readPair(row, options)),
}
