/**
 * TopstepX / ProjectX (brokers.md §2.13): the Trades export (one row per round trip, or per
 * partial exit) and the Orders export (one row per order, cancelled ones too).
 *
 * Every time carries its offset (`11/18/2025 09:45:25 -05:00`, the trader's browser zone then),
 * so the default zone only matters for a time written without one; America/Chicago, the zone of
 * the exchange and of `TradeDay`, is used for those.
 */
import type { Side } from '../../core/engine'
import type { TimestampFormat } from '../../core/time-parse'
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
// `MM/DD/YYYY HH:MM:SS ±HH:MM`; one fixture has ISO with an offset instead [Inferred].
const TIME_FORMATS: readonly TimestampFormat[] = ['us-slash', 'iso']

const ID: Column = ['Id']
const CONTRACT: Column = ['ContractName']

// ---------------------------------------------------------------------------------------------
// Trades

const ENTERED_AT: Column = ['EnteredAt']
const EXITED_AT: Column = ['ExitedAt']
const ENTRY_PRICE: Column = ['EntryPrice']
const EXIT_PRICE: Column = ['ExitPrice']
const FEES: Column = ['Fees']
const COMMISSIONS: Column = ['Commissions']
const PNL: Column = ['PnL']
const SIZE: Column = ['Size']
const TYPE: Column = ['Type']

const TRADES: TableSpec = {
  name: 'TopstepX Trades',
  signatures: [
    ['Id', 'ContractName', 'EnteredAt', 'ExitedAt', 'EntryPrice', 'ExitPrice', 'Size', 'Type'],
  ],
  delimiter: ',',
}

/**
 * Prices and amounts have 9 decimal places (`46356.000000000`), rounded half-even to Blotter's 8.
 * `Fees` (round-turn exchange and NFA fees) and `Commissions` (often empty) are separate costs.
 * `PnL` is gross.
 */
function readTrade(row: Row, options: ParseOptions): ParsedFill[] {
  const typeText = row.text(TYPE).toLowerCase()
  const direction =
    typeText === 'long' || typeText === 'short'
      ? typeText
      : row.fail(TYPE, `Type "${row.text(TYPE)}" must be Long or Short`)
  const quantity = row.number(SIZE, { sign: 'positive', round: true })
  const entryPrice = row.number(ENTRY_PRICE, { sign: 'non-negative', round: true })
  const exitPrice = row.number(EXIT_PRICE, { sign: 'non-negative', round: true })
  const fee = row.fee([FEES, COMMISSIONS], { round: true })
  const pnl = row.number(PNL, { required: false, round: true })
  const entered = row.time(ENTERED_AT, TIME_FORMATS, options.timezone)
  const exited = row.time(EXITED_AT, TIME_FORMATS, options.timezone)
  const contract = row.required(CONTRACT)
  if (
    row.errors.length > 0 ||
    !direction ||
    quantity === null ||
    entryPrice === null ||
    exitPrice === null ||
    !entered ||
    !exited ||
    !contract
  ) {
    return []
  }
  return derivedFills(row, {
    account: null,
    instrument: futureInstrument(contract, yearOf(entered.executedAt)),
    direction,
    quantity,
    entry: { price: entryPrice, time: entered },
    exit: { price: exitPrice, time: exited },
    fee,
    currency: null,
    id: row.text(ID) || null,
    brokerPnl: pnl === null ? null : { amount: pnl, net: false },
  })
}

export const topstepxTradesFormat: ImportFormat = {
  id: 'topstepx-trades',
  label: 'TopstepX / ProjectX Trades export',
  parserVersion: '1',
  defaultTimezone: DEFAULT_TIMEZONE,
  detect: (text) => detectTable(text, TRADES),
  parse: (text, options) => parseTable(text, TRADES, (row) => readTrade(row, options)),
}

// ---------------------------------------------------------------------------------------------
// Orders

const ACCOUNT: Column = ['AccountName']
const STATUS: Column = ['Status']
const SIDE: Column = ['Side']
const FILLED_AT: Column = ['FilledAt']
const EXECUTE_PRICE: Column = ['ExecutePrice']

const ORDERS: TableSpec = {
  name: 'TopstepX Orders',
  signatures: [['Id', 'ContractName', 'Status', 'Size', 'Side', 'FilledAt', 'ExecutePrice']],
  delimiter: ',',
}

/** Statuses of orders that traded nothing ("Canceled" and "Expired" spelled defensively). */
const NOT_FILLED = new Set(['cancelled', 'canceled', 'rejected', 'open', 'expired'])

/** `Bid` buys and `Ask` sells. */
function readSide(row: Row): Side | null {
  const text = row.text(SIDE).toLowerCase()
  if (text === 'bid' || text === 'buy') return 'buy'
  if (text === 'ask' || text === 'sell') return 'sell'
  return row.fail(SIDE, `Side "${row.text(SIDE)}" must be Bid (buy) or Ask (sell)`)
}

/**
 * A filled order: its size at `ExecutePrice`, at `FilledAt`. The export has no filled quantity,
 * so only `Filled` orders count; an unknown status is an error rather than a guess.
 */
function readOrder(row: Row, options: ParseOptions): ParsedFill[] {
  const status = row.text(STATUS)
  if (NOT_FILLED.has(status.toLowerCase())) return []
  if (status.toLowerCase() !== 'filled') {
    row.fail(
      STATUS,
      `Status "${status}" is not one Blotter knows (Filled, Cancelled, Rejected, Open)`,
    )
    return []
  }
  const side = readSide(row)
  const quantity = row.number(SIZE, { sign: 'positive', round: true })
  const price = row.number(EXECUTE_PRICE, { sign: 'non-negative', round: true })
  const time = row.time(FILLED_AT, TIME_FORMATS, options.timezone)
  const contract = row.required(CONTRACT)
  if (row.errors.length > 0 || !side || quantity === null || price === null || !time || !contract) {
    return []
  }
  const orderId = row.text(ID) || null
  return [
    {
      line: row.line,
      raw: row.record.raw,
      account: row.text(ACCOUNT) || null,
      instrument: futureInstrument(contract, yearOf(time.executedAt)),
      side,
      quantity,
      price,
      fee: 0n,
      currency: null,
      executedAt: time.executedAt,
      sourceTimezone: time.sourceTimezone,
      brokerExecutionId: orderId === null ? null : `${orderId}:fill`,
      brokerOrderId: orderId,
      isDerived: false,
      note: null,
    },
  ]
}

export const topstepxOrdersFormat: ImportFormat = {
  id: 'topstepx-orders',
  label: 'TopstepX / ProjectX Orders export',
  parserVersion: '1',
  defaultTimezone: DEFAULT_TIMEZONE,
  detect: (text) => detectTable(text, ORDERS),
  parse: (text, options) => parseTable(text, ORDERS, (row) => readOrder(row, options)),
}
