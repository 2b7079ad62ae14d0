/**
 * Statistics per group: symbol, asset class, strategy, tag, account, side, weekday and hour of
 * entry, month of close, hold-time bucket, R bucket (docs/metrics.md lists the buckets).
 */
import { dayDate, hourOfDay, isoWeekdayIndex, localDayNumber } from './wall-clock'
import { partitionRows } from './columns'
import { columnStats } from './summary'
import {
  THIN_GROUP,
  type GroupedStatistics,
  type GroupKey,
  type StatsOptions,
  type TradeColumns,
} from './types'

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'))

const MINUTE = 60_000
/** Hold-time buckets: [lower bound in ms, label]; a bucket runs up to the next one's bound. */
const HOLD_BUCKETS: readonly [number, string][] = [
  [0, '<1m'],
  [MINUTE, '1m-5m'],
  [5 * MINUTE, '5m-15m'],
  [15 * MINUTE, '15m-1h'],
  [60 * MINUTE, '1h-4h'],
  [240 * MINUTE, '4h-1d'],
  [1440 * MINUTE, '1d-1w'],
  [7 * 1440 * MINUTE, '>=1w'],
]
/** R buckets: [lower bound in R (inclusive), label]; the first has no lower bound. */
const R_BUCKETS: readonly [number, string][] = [
  [-Infinity, '<-2R'],
  [-2, '-2R to -1R'],
  [-1, '-1R to 0R'],
  [0, '0R to 1R'],
  [1, '1R to 2R'],
  [2, '2R to 3R'],
  [3, '>=3R'],
]

/** The natural order of an ordinal key's labels; nominal keys sort by label. */
export function groupOrder(key: GroupKey): readonly string[] | null {
  switch (key) {
    case 'weekday':
      return WEEKDAYS
    case 'hour':
      return HOURS
    case 'hold-time':
      return HOLD_BUCKETS.map(([, label]) => label)
    case 'r-bucket':
      return R_BUCKETS.map(([, label]) => label)
    default:
      return null
  }
}

function holdBucket(holdMs: number): string {
  let label = HOLD_BUCKETS[0]?.[1] as string
  for (const [bound, name] of HOLD_BUCKETS) if (holdMs >= bound) label = name
  return label
}

/**
 * Exact: net ≥ k × risk is compared on integers, so a trade at exactly −1R is in "-1R to 0R".
 * k × risk is an exact double while risk ≤ 2^51; larger risks compare as bigints.
 */
function rBucket(net: number, risk: number): string | null {
  if (!(risk > 0)) return null
  const wide = risk > 2 ** 51
  const atLeast = (bound: number) =>
    wide ? BigInt(net) >= BigInt(bound) * BigInt(risk) : net >= bound * risk
  let label = R_BUCKETS[0]?.[1] as string
  for (const [bound, name] of R_BUCKETS) if (bound !== -Infinity && atLeast(bound)) label = name
  return label
}

function required<T>(column: T | undefined, key: GroupKey): T {
  if (column === undefined) throw new Error(`grouping by ${key} needs its column`)
  return column
}

/** The group label of trade i; the tag key has several (or [null] when a trade has none). */
type Labeller =
  { single: (i: number) => string | null } | { several: (i: number) => readonly (string | null)[] }

const NO_TAG: readonly (string | null)[] = [null]

function labellerFor(columns: TradeColumns, key: GroupKey, timezone: string): Labeller {
  switch (key) {
    case 'symbol': {
      const symbol = required(columns.symbol, key)
      return { single: (i) => symbol[i] as string }
    }
    case 'asset-class': {
      const assetClass = required(columns.assetClass, key)
      return { single: (i) => assetClass[i] as string }
    }
    case 'strategy': {
      const strategy = required(columns.strategyId, key)
      return { single: (i) => strategy[i] ?? null }
    }
    case 'tag': {
      const tags = required(columns.tags, key)
      return {
        several: (i) => {
          const own = tags[i] ?? []
          return own.length === 0 ? NO_TAG : own
        },
      }
    }
    case 'account':
      return { single: (i) => columns.accountId[i] as string }
    case 'side': {
      const side = required(columns.side, key)
      return { single: (i) => side[i] as string }
    }
    case 'weekday':
      return {
        single: (i) => WEEKDAYS[isoWeekdayIndex(columns.openedAt[i] as number, timezone)] as string,
      }
    case 'hour':
      return { single: (i) => HOURS[hourOfDay(columns.openedAt[i] as number, timezone)] as string }
    case 'month':
      return {
        single: (i) => dayDate(localDayNumber(columns.closedAt[i] as number, timezone)).slice(0, 7),
      }
    case 'hold-time':
      return {
        single: (i) =>
          holdBucket((columns.closedAt[i] as number) - (columns.openedAt[i] as number)),
      }
    case 'r-bucket':
      return {
        single: (i) => rBucket(columns.netPnl[i] as number, columns.initialRisk[i] as number),
      }
  }
}

export function columnGroups(
  columns: TradeColumns,
  key: GroupKey,
  options: StatsOptions,
): GroupedStatistics {
  const labeller = labellerFor(columns, key, options.timezone)
  const ids = new Map<string | null, number>()
  const idOf = (label: string | null) => {
    let id = ids.get(label)
    if (id === undefined) {
      id = ids.size
      ids.set(label, id)
    }
    return id
  }
  let rows: ArrayLike<number>
  let groups: ArrayLike<number>
  if ('single' in labeller) {
    const single = new Int32Array(columns.length)
    for (let i = 0; i < columns.length; i++) single[i] = idOf(labeller.single(i))
    rows = Int32Array.from({ length: columns.length }, (_, i) => i)
    groups = single
  } else {
    const memberRows: number[] = []
    const memberGroups: number[] = []
    for (let i = 0; i < columns.length; i++) {
      for (const label of labeller.several(i)) {
        memberRows.push(i)
        memberGroups.push(idOf(label))
      }
    }
    rows = memberRows
    groups = memberGroups
  }
  const parts = partitionRows(columns, rows, groups, ids.size)
  const order = groupOrder(key)
  const rank = (label: string | null) => (label === null ? Infinity : (order?.indexOf(label) ?? 0))
  const labels = [...ids.keys()].sort((a, b) => {
    if (order !== null || a === null || b === null) return rank(a) - rank(b)
    return a < b ? -1 : a > b ? 1 : 0
  })
  return {
    groupBy: key,
    groups: labels.map((label) => {
      const part = parts[ids.get(label) as number] as TradeColumns
      return { key: label, thin: part.length < THIN_GROUP, ...columnStats(part, options) }
    }),
  }
}
