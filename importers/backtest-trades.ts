/**
 * A backtest's trade list, in either of two CSV shapes (docs/strategies.md):
 *
 * - a Blotter fills CSV (importers/blotter.ts reads it), made into round trips by the trade
 *   engine exactly as live fills are, per (account, instrument); nothing is written anywhere;
 * - a round-trip CSV: `symbol`, `side` (long/short, or buy/sell for the opening side),
 *   `entry_time`, `exit_time`, `quantity`, `entry_price`, `exit_price`, and optionally `fees`,
 *   `pnl` (net, as the backtester computed it) and `multiplier` (default 1); numbers and times
 *   in any form cells.ts reads (`($1,234.56)`, a decimal comma, epoch seconds, `03/02/2026 09:30`).
 */
import { formatDecimal, fromInteger, multiply, type Fixed8 } from '../core/decimal'
import { buildRoundTrips, type EngineFill } from '../core/engine'
import { blotterFormat } from './blotter'
import { detectCellFormats, RowCells, sampleRows } from './cells'
import { findColumnTable, type ColumnAliases } from './sniff'
import {
  isParseWarning,
  isRowError,
  type InstrumentSpec,
  type ParsedFill,
  type RowError,
} from './types'

export type BacktestFileKind = 'fills' | 'round-trips'

/** One closed round trip of a backtest. */
export interface BacktestTrip {
  symbol: string
  side: 'long' | 'short'
  quantity: Fixed8
  entryPrice: Fixed8
  exitPrice: Fixed8
  openedAt: number
  closedAt: number
  fees: Fixed8
  grossPnl: Fixed8
  netPnl: Fixed8
}

export interface BacktestRead {
  trips: BacktestTrip[]
  errors: RowError[]
  warnings: string[]
}

const ROUND_TRIP_COLUMNS = {
  symbol: ['symbol'],
  side: ['side'],
  entry_time: ['entrytime'],
  exit_time: ['exittime'],
  quantity: ['quantity'],
  entry_price: ['entryprice'],
  exit_price: ['exitprice'],
  fees: ['fees'],
  pnl: ['pnl'],
  multiplier: ['multiplier'],
} as const satisfies ColumnAliases<string>
type RoundTripColumn = keyof typeof ROUND_TRIP_COLUMNS

const REQUIRED = [
  'symbol',
  'side',
  'entry_time',
  'exit_time',
  'quantity',
  'entry_price',
  'exit_price',
] as const

/** Which shape the file has; null when neither. */
export function detectBacktestKind(text: string): BacktestFileKind | null {
  if (findColumnTable(text, ROUND_TRIP_COLUMNS, REQUIRED)) return 'round-trips'
  if (blotterFormat.detect(text) > 0.5) return 'fills'
  return null
}

const positive = { test: (value: Fixed8) => value > 0n, says: 'greater than 0' }
const notNegative = { test: (value: Fixed8) => value >= 0n, says: '0 or more' }

/** Round trips from a round-trip CSV, with every row error. */
export function readRoundTripCsv(text: string, options: { timezone: string }): BacktestRead {
  const read: BacktestRead = { trips: [], errors: [], warnings: [] }
  const table = findColumnTable(text, ROUND_TRIP_COLUMNS, REQUIRED)
  if (!table) {
    read.errors.push({
      line: 1,
      column: null,
      message: `No header row with the columns ${REQUIRED.join(', ')} in the first 30 lines`,
    })
    return read
  }
  const { sample, all } = sampleRows(table.rows)
  const formats = detectCellFormats<RoundTripColumn>(
    sample,
    table.columns,
    {
      numbers: ['quantity', 'entry_price', 'exit_price', 'fees', 'pnl', 'multiplier'],
      times: ['entry_time', 'exit_time'],
    },
    options.timezone,
  )
  for (const record of all) {
    const line = record.line
    if (record.error) {
      read.errors.push({ line, column: null, message: record.error })
      continue
    }
    const row = new RowCells(record, table.columns, formats)
    const symbol = row.text('symbol').toUpperCase()
    if (symbol === '') row.reject('symbol', 'symbol is empty')
    const sideText = row.text('side').toLowerCase()
    const side = sideText === 'long' || sideText === 'buy' ? 'long' : 'short'
    if (!['long', 'short', 'buy', 'sell'].includes(sideText)) {
      row.reject('side', `side "${row.text('side')}" must be long or short (or buy or sell)`)
    }
    const openedAt = row.time('entry_time')
    const closedAt = row.time('exit_time')
    const quantity = row.number('quantity', positive)
    const entryPrice = row.number('entry_price', notNegative)
    const exitPrice = row.number('exit_price', notNegative)
    const fees = row.optionalNumber('fees', notNegative) ?? 0n
    const pnl = row.optionalNumber('pnl')
    const multiplier = row.optionalNumber('multiplier', positive) ?? fromInteger(1)
    if (
      row.errors.length > 0 ||
      openedAt === null ||
      closedAt === null ||
      quantity === null ||
      entryPrice === null ||
      exitPrice === null
    ) {
      read.errors.push(...row.errors)
      continue
    }
    if (closedAt < openedAt) {
      read.errors.push({ line, column: 'exit_time', message: 'exit_time is before entry_time' })
      continue
    }
    const direction = side === 'long' ? 1n : -1n
    const computedGross =
      multiply(multiply(exitPrice - entryPrice, quantity), multiplier) * direction
    const computedNet = computedGross - fees
    if (pnl !== null && pnl !== computedNet) {
      read.warnings.push(
        `line ${line}: pnl ${formatDecimal(pnl)} differs from (exit − entry) × quantity × multiplier − fees = ${formatDecimal(computedNet)}; the file's pnl is used`,
      )
    }
    const netPnl = pnl ?? computedNet
    read.trips.push({
      symbol,
      side,
      quantity,
      entryPrice,
      exitPrice,
      openedAt,
      closedAt,
      fees,
      grossPnl: netPnl + fees,
      netPnl,
    })
  }
  read.trips.sort(byClose)
  return read
}

/** Closing order, the order statistics read trades in. */
function byClose(a: BacktestTrip, b: BacktestTrip): number {
  return a.closedAt - b.closedAt || a.openedAt - b.openedAt
}

/**
 * Round trips from a Blotter fills CSV: its fills grouped by (account, instrument), each group
 * through the trade engine (FIFO). `multiplierOf` gives an instrument's multiplier, null when
 * unknown (a future whose root no table knows): that is an error, since P&L would be wrong.
 */
export function readFillsCsv(
  text: string,
  options: { timezone: string; fileName: string },
  multiplierOf: (instrument: InstrumentSpec) => Fixed8 | null,
): BacktestRead {
  const read: BacktestRead = { trips: [], errors: [], warnings: [] }
  const groups = new Map<
    string,
    { symbol: string; multiplier: Fixed8 | null; fills: EngineFill[] }
  >()
  for (const item of blotterFormat.parse(text, options)) {
    if (isRowError(item)) {
      read.errors.push(item)
      continue
    }
    if (isParseWarning(item)) {
      read.warnings.push(item.warning)
      continue
    }
    // The symbol names the contract (OCC options, futures codes), so it is the instrument.
    const key = JSON.stringify([item.account, item.instrument.assetClass, item.instrument.symbol])
    let group = groups.get(key)
    if (!group) {
      group = {
        symbol: item.instrument.symbol,
        multiplier: multiplierOf(item.instrument),
        fills: [],
      }
      groups.set(key, group)
      if (group.multiplier === null) {
        read.errors.push({
          line: item.line,
          column: 'multiplier',
          message: `No multiplier known for ${group.symbol}: give one in the multiplier column`,
        })
      }
    }
    group.fills.push(engineFill(item))
  }
  let open = 0
  for (const group of groups.values()) {
    if (group.multiplier === null) continue
    for (const trip of buildRoundTrips(group.fills, group.multiplier)) {
      const { closedAt, exitPrice, grossPnl, netPnl } = trip
      if (closedAt === null || exitPrice === null || grossPnl === null || netPnl === null) {
        open += 1
        continue
      }
      read.trips.push({
        symbol: group.symbol,
        side: trip.side,
        quantity: trip.quantity,
        entryPrice: trip.entryPrice,
        exitPrice,
        openedAt: trip.openedAt,
        closedAt,
        fees: trip.fees,
        grossPnl,
        netPnl,
      })
    }
  }
  if (open > 0) {
    read.warnings.push(
      `${open} round trip(s) still open at the end of the file: left out of the backtest`,
    )
  }
  read.trips.sort(byClose)
  return read
}

function engineFill(fill: ParsedFill): EngineFill {
  return {
    id: String(fill.line),
    key: fill.brokerExecutionId ?? `line-${fill.line}`,
    side: fill.side,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee,
    executedAt: fill.executedAt,
    sequence: fill.line,
  }
}
