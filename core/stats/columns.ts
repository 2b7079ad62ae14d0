/** Trades as columns in closing order, and picking a subset of them (a group). */
import type { Fixed8 } from '../decimal'
import type { StatTrade, TradeColumns } from './types'

/** Closing order: closedAt, then openedAt, then id (code-unit order, as SQLite's BINARY). */
export function compareTrades(a: StatTrade, b: StatTrade): number {
  return (
    a.closedAt - b.closedAt || a.openedAt - b.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

/** The trades, sorted into closing order, as columns (every attribute column filled). */
export function columnsOf(trades: readonly StatTrade[]): TradeColumns {
  const sorted = [...trades].sort(compareTrades)
  return {
    length: sorted.length,
    closedAt: sorted.map((t) => t.closedAt),
    openedAt: sorted.map((t) => t.openedAt),
    netPnl: sorted.map((t) => t.netPnl),
    grossPnl: sorted.map((t) => t.grossPnl),
    fees: sorted.map((t) => t.fees),
    initialRisk: sorted.map((t) => t.initialRisk),
    accountId: sorted.map((t) => t.accountId),
    symbol: sorted.map((t) => t.symbol),
    assetClass: sorted.map((t) => t.assetClass),
    side: sorted.map((t) => t.side),
    strategyId: sorted.map((t) => t.strategyId),
    tags: sorted.map((t) => t.tags),
    mae: sorted.map((t) => t.mae ?? null),
    mfe: sorted.map((t) => t.mfe ?? null),
    pointValue: sorted.map((t) => t.pointValue ?? null),
  }
}

/** Columns being filled one row at a time (a group while partitioning). */
export interface ColumnBuilder {
  length: number
  closedAt: number[]
  openedAt: number[]
  netPnl: Fixed8[]
  grossPnl: Fixed8[]
  fees: Fixed8[]
  initialRisk: (Fixed8 | null)[]
  accountId: string[]
  symbol?: string[]
  assetClass?: string[]
  side?: ('long' | 'short')[]
  strategyId?: (string | null)[]
  tags?: (readonly string[])[]
  mae?: (Fixed8 | null)[]
  mfe?: (Fixed8 | null)[]
  pointValue?: (Fixed8 | null)[]
}

/** No rows yet, with the attribute columns `like` has. */
export function emptyColumns(like: TradeColumns): ColumnBuilder {
  const optional = (column: readonly unknown[] | undefined) =>
    column === undefined ? undefined : []
  return {
    length: 0,
    closedAt: [],
    openedAt: [],
    netPnl: [],
    grossPnl: [],
    fees: [],
    initialRisk: [],
    accountId: [],
    symbol: optional(like.symbol) as string[] | undefined,
    assetClass: optional(like.assetClass) as string[] | undefined,
    side: optional(like.side) as ('long' | 'short')[] | undefined,
    strategyId: optional(like.strategyId) as (string | null)[] | undefined,
    tags: optional(like.tags) as (readonly string[])[] | undefined,
    mae: optional(like.mae) as (Fixed8 | null)[] | undefined,
    mfe: optional(like.mfe) as (Fixed8 | null)[] | undefined,
    pointValue: optional(like.pointValue) as (Fixed8 | null)[] | undefined,
  }
}

/**
 * Appends row `i` of `source`. Appending rows in order keeps closing order, and reads `source`
 * sequentially: gathering rows by index instead is cache-miss bound at a million rows.
 */
export function appendRow(target: ColumnBuilder, source: TradeColumns, i: number): void {
  target.length++
  target.closedAt.push(source.closedAt[i] as number)
  target.openedAt.push(source.openedAt[i] as number)
  target.netPnl.push(source.netPnl[i] as Fixed8)
  target.grossPnl.push(source.grossPnl[i] as Fixed8)
  target.fees.push(source.fees[i] as Fixed8)
  target.initialRisk.push(source.initialRisk[i] ?? null)
  target.accountId.push(source.accountId[i] as string)
  target.symbol?.push(source.symbol?.[i] as string)
  target.assetClass?.push(source.assetClass?.[i] as string)
  target.side?.push(source.side?.[i] as 'long' | 'short')
  target.strategyId?.push(source.strategyId?.[i] ?? null)
  target.tags?.push(source.tags?.[i] ?? [])
  target.mae?.push(source.mae?.[i] ?? null)
  target.mfe?.push(source.mfe?.[i] ?? null)
  target.pointValue?.push(source.pointValue?.[i] ?? null)
}
