/**
 * Trading statistics over closed round trips, exactly as docs/metrics.md defines them.
 * Pure: the service reads the rows, this computes. Amounts are exact Fixed8; ratios are numbers;
 * null wherever a figure is undefined (no trades, no losses, one day, ...).
 *
 * Two entry forms, same figures: one object per trade (`computeStats`, `dailySeries`,
 * `groupStats`; any order, sorted here), or columns already in closing order (`columnStats`,
 * `columnDaily`, `columnGroups`), which the service builds without an object per trade, its
 * groups given as codes per trade (`codedMembership`, `membershipGroups`).
 */
import { columnsOf } from './stats/columns'
import { columnGroups } from './stats/groups'
import { columnDaily, columnStats } from './stats/summary'
import type {
  DailyPoint,
  GroupedStatistics,
  GroupKey,
  StatTrade,
  Statistics,
  StatsOptions,
} from './stats/types'

export * from './stats/types'
export { columnsOf, compareTrades } from './stats/columns'
export { AmountTooLargeError, exactNumber, MAX_EXACT } from './stats/exact'
export {
  excursion,
  excursionFromCandles,
  windowExtremes,
  type HoldingWindow,
  type PriceBar,
  type TimedBar,
  type WindowExtremes,
} from './stats/excursion'
export {
  codedMembership,
  columnGroups,
  groupMembership,
  groupOrder,
  membershipGroups,
} from './stats/groups'
export {
  assembleStatistics,
  columnDaily,
  columnStats,
  columnTotals,
  netTotals,
  type NetTotals,
} from './stats/summary'

export function computeStats(trades: readonly StatTrade[], options: StatsOptions): Statistics {
  return columnStats(columnsOf(trades), options)
}

/** Σ net of the trades closed on each calendar date in `timezone`, with equity and drawdown. */
export function dailySeries(trades: readonly StatTrade[], timezone: string): DailyPoint[] {
  return columnDaily(columnsOf(trades), timezone)
}

export function groupStats(
  trades: readonly StatTrade[],
  key: GroupKey,
  options: StatsOptions,
): GroupedStatistics {
  return columnGroups(columnsOf(trades), key, options)
}
