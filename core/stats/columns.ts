/** Trades as columns in closing order, and partitioning them into groups row by row. */
import type { Fixed8 } from '../decimal'
import { exactNumber } from './exact'
import type { StatTrade, TradeColumns } from './types'

/** Closing order: closedAt, then openedAt, then id (code-unit order, as SQLite's BINARY). */
export function compareTrades(a: StatTrade, b: StatTrade): number {
  return (
    a.closedAt - b.closedAt || a.openedAt - b.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

const orNaN = (value: Fixed8 | null | undefined) =>
  value === null || value === undefined ? NaN : exactNumber(value)

/**
 * The trades, sorted into closing order, as columns (every attribute column filled). Throws
 * AmountTooLargeError for a trade amount beyond ±2^52 × 10^-8 (see stats/exact.ts).
 */
export function columnsOf(trades: readonly StatTrade[]): TradeColumns {
  const sorted = [...trades].sort(compareTrades)
  return {
    length: sorted.length,
    closedAt: sorted.map((t) => t.closedAt),
    openedAt: sorted.map((t) => t.openedAt),
    netPnl: sorted.map((t) => exactNumber(t.netPnl)),
    grossPnl: sorted.map((t) => exactNumber(t.grossPnl)),
    fees: sorted.map((t) => exactNumber(t.fees)),
    initialRisk: sorted.map((t) => orNaN(t.initialRisk)),
    accountId: sorted.map((t) => t.accountId),
    symbol: sorted.map((t) => t.symbol),
    assetClass: sorted.map((t) => t.assetClass),
    side: sorted.map((t) => t.side),
    strategyId: sorted.map((t) => t.strategyId),
    tags: sorted.map((t) => t.tags),
    mae: sorted.map((t) => orNaN(t.mae)),
    mfe: sorted.map((t) => orNaN(t.mfe)),
    pointValue: sorted.map((t) => orNaN(t.pointValue)),
  }
}

/**
 * Splits the rows into groups: membership k puts row `rows[k]` into group `groups[k]` (a row
 * can be in several groups: tags). Two passes into arrays of the exact size: appending to
 * growing arrays, or gathering rows by index, costs seconds of GC and cache misses at a million
 * rows. Rows stay in their order, so each group keeps closing order.
 */
export function partitionRows(
  columns: TradeColumns,
  rows: ArrayLike<number>,
  groups: ArrayLike<number>,
  groupCount: number,
): TradeColumns[] {
  const sizes = new Int32Array(groupCount)
  for (let k = 0; k < groups.length; k++) (sizes[groups[k] as number] as number) += 1
  const numbers = (column: TradeColumns['netPnl'] | undefined) =>
    column === undefined ? null : Array.from(sizes, (size) => new Float64Array(size))
  const values = <T>(column: readonly T[] | undefined) =>
    column === undefined ? null : Array.from(sizes, (size) => new Array<T>(size))
  const target = {
    closedAt: numbers(columns.closedAt) as Float64Array[],
    openedAt: numbers(columns.openedAt) as Float64Array[],
    netPnl: numbers(columns.netPnl) as Float64Array[],
    grossPnl: numbers(columns.grossPnl) as Float64Array[],
    fees: numbers(columns.fees) as Float64Array[],
    initialRisk: numbers(columns.initialRisk) as Float64Array[],
    accountId: values(columns.accountId) as string[][],
    symbol: values(columns.symbol),
    assetClass: values(columns.assetClass),
    side: values(columns.side),
    strategyId: values(columns.strategyId),
    tags: values(columns.tags),
    mae: numbers(columns.mae),
    mfe: numbers(columns.mfe),
    pointValue: numbers(columns.pointValue),
  }
  const cursors = new Int32Array(groupCount)
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k] as number
    const i = rows[k] as number
    const at = cursors[group] as number
    cursors[group] = at + 1
    ;(target.closedAt[group] as Float64Array)[at] = columns.closedAt[i] as number
    ;(target.openedAt[group] as Float64Array)[at] = columns.openedAt[i] as number
    ;(target.netPnl[group] as Float64Array)[at] = columns.netPnl[i] as number
    ;(target.grossPnl[group] as Float64Array)[at] = columns.grossPnl[i] as number
    ;(target.fees[group] as Float64Array)[at] = columns.fees[i] as number
    ;(target.initialRisk[group] as Float64Array)[at] = columns.initialRisk[i] as number
    ;(target.accountId[group] as string[])[at] = columns.accountId[i] as string
    if (target.symbol) (target.symbol[group] as string[])[at] = columns.symbol?.[i] as string
    if (target.assetClass) {
      ;(target.assetClass[group] as string[])[at] = columns.assetClass?.[i] as string
    }
    if (target.side) (target.side[group] as string[])[at] = columns.side?.[i] as string
    if (target.strategyId) {
      ;(target.strategyId[group] as (string | null)[])[at] = columns.strategyId?.[i] ?? null
    }
    if (target.tags) (target.tags[group] as (readonly string[])[])[at] = columns.tags?.[i] ?? []
    if (target.mae) (target.mae[group] as Float64Array)[at] = columns.mae?.[i] as number
    if (target.mfe) (target.mfe[group] as Float64Array)[at] = columns.mfe?.[i] as number
    if (target.pointValue) {
      ;(target.pointValue[group] as Float64Array)[at] = columns.pointValue?.[i] as number
    }
  }
  return Array.from(sizes, (size, g) => ({
    length: size,
    closedAt: target.closedAt[g] as Float64Array,
    openedAt: target.openedAt[g] as Float64Array,
    netPnl: target.netPnl[g] as Float64Array,
    grossPnl: target.grossPnl[g] as Float64Array,
    fees: target.fees[g] as Float64Array,
    initialRisk: target.initialRisk[g] as Float64Array,
    accountId: target.accountId[g] as string[],
    symbol: target.symbol?.[g] as string[] | undefined,
    assetClass: target.assetClass?.[g] as string[] | undefined,
    side: target.side?.[g] as ('long' | 'short')[] | undefined,
    strategyId: target.strategyId?.[g] as (string | null)[] | undefined,
    tags: target.tags?.[g] as (readonly string[])[] | undefined,
    mae: target.mae?.[g],
    mfe: target.mfe?.[g],
    pointValue: target.pointValue?.[g],
  }))
}
