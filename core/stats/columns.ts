/** Trades as columns in closing order, and partitioning their sequence into groups. */
import type { Fixed8 } from '../decimal'
import { exactNumber } from './exact'
import type { GroupMembership, StatTrade, TradeColumns, TradeSequence } from './types'

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
 * Splits the trade sequence (what the order-dependent figures read) into one per group, keeping
 * the trades' order, so each group stays in closing order. Each column is gathered once into
 * one array holding every group end to end, a group's column being a view of it: no array
 * grows, and a million trades cost a few scattered writes per column.
 */
export function partitionSequences(
  columns: TradeSequence,
  membership: GroupMembership,
): TradeSequence[] {
  const { groups, rows } = membership
  const groupCount = membership.labels.length
  const offsets = new Int32Array(groupCount + 1)
  for (let k = 0; k < groups.length; k++) (offsets[(groups[k] as number) + 1] as number) += 1
  for (let g = 0; g < groupCount; g++) {
    ;(offsets[g + 1] as number) += offsets[g] as number
  }
  const cursors = offsets.slice(0, groupCount)
  const closedAt = new Float64Array(groups.length)
  const netPnl = new Float64Array(groups.length)
  const accountId = new Array<string>(groups.length)
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k] as number
    const at = cursors[group] as number
    cursors[group] = at + 1
    const i = rows === null ? k : (rows[k] as number)
    closedAt[at] = columns.closedAt[i] as number
    netPnl[at] = columns.netPnl[i] as number
    accountId[at] = columns.accountId[i] as string
  }
  return Array.from({ length: groupCount }, (_, g) => {
    const start = offsets[g] as number
    const end = offsets[g + 1] as number
    return {
      length: end - start,
      closedAt: closedAt.subarray(start, end),
      netPnl: netPnl.subarray(start, end),
      accountId: accountId.slice(start, end),
    }
  })
}
