/**
 * Statistics per group: symbol, asset class, strategy, tag, account, side, weekday and hour of
 * entry, month of close, hold-time bucket, R bucket (docs/metrics.md lists the buckets).
 */
import { dayDate, hourOfDay, isoWeekdayIndex, localDayNumber } from './wall-clock'
import { partitionSequences } from './columns'
import { assembleStatistics, groupTotals } from './summary'
import {
  THIN_GROUP,
  type GroupedStatistics,
  type GroupMembership,
  type GroupKey,
  type StatsOptions,
  type TradeColumns,
  type TradeSequence,
  type TradeTotals,
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

/** Index in HOLD_BUCKETS: the last whose lower bound the hold time reaches. */
function holdBucket(holdMs: number): number {
  let index = 0
  for (let b = 1; b < HOLD_BUCKETS.length; b++) {
    if (holdMs >= (HOLD_BUCKETS[b] as [number, string])[0]) index = b
  }
  return index
}

/**
 * Index in R_BUCKETS, or R_BUCKETS.length (the null group) without an initial risk. Exact: net ≥
 * k × risk is compared on integers, so a trade at exactly −1R is in "-1R to 0R". k × risk is an
 * exact double while risk ≤ 2^51; larger risks compare as bigints.
 */
function rBucket(net: number, risk: number): number {
  if (!(risk > 0)) return R_BUCKETS.length
  const wide = risk > 2 ** 51
  let index = 0
  for (let b = 1; b < R_BUCKETS.length; b++) {
    const bound = (R_BUCKETS[b] as [number, string])[0]
    if (wide ? BigInt(net) >= BigInt(bound) * BigInt(risk) : net >= bound * risk) index = b
  }
  return index
}

function required<T>(column: T | undefined, key: GroupKey): T {
  if (column === undefined) throw new Error(`grouping by ${key} needs its column`)
  return column
}

/**
 * The membership of trades given as a code per trade, each code standing for the labels in
 * `labelsOfCode` (one for most keys; a trade's tags for the tag key). Codes that share a label
 * share its group; a label repeated within one code counts once.
 */
export function codedMembership(
  codes: ArrayLike<number>,
  labelsOfCode: readonly (readonly (string | null)[])[],
): GroupMembership {
  const groupOf = new Map<string | null, number>()
  const groupsOfCode = labelsOfCode.map((labels) => {
    const own = new Set<number>()
    for (const label of labels) {
      let group = groupOf.get(label)
      if (group === undefined) {
        group = groupOf.size
        groupOf.set(label, group)
      }
      own.add(group)
    }
    return [...own]
  })
  const labels = [...groupOf.keys()]
  if (groupsOfCode.every((own) => own.length === 1)) {
    const single = Int32Array.from(groupsOfCode, (own) => own[0] as number)
    const groups = new Int32Array(codes.length)
    for (let i = 0; i < codes.length; i++) groups[i] = single[codes[i] as number] as number
    return { labels, groups, rows: null }
  }
  let members = 0
  for (let i = 0; i < codes.length; i++) {
    members += (groupsOfCode[codes[i] as number] as number[]).length
  }
  const rows = new Int32Array(members)
  const groups = new Int32Array(members)
  let k = 0
  for (let i = 0; i < codes.length; i++) {
    for (const group of groupsOfCode[codes[i] as number] as number[]) {
      rows[k] = i
      groups[k++] = group
    }
  }
  return { labels, groups, rows }
}

/** One group per distinct value. */
function valueMembership(values: readonly (string | null)[]): GroupMembership {
  const codeOf = new Map<string | null, number>()
  const codes = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? null
    let code = codeOf.get(value)
    if (code === undefined) {
      code = codeOf.size
      codeOf.set(value, code)
    }
    codes[i] = code
  }
  return codedMembership(
    codes,
    [...codeOf.keys()].map((value) => [value]),
  )
}

/** A group per tag a trade carries; a trade without tags is in the null group. */
function tagMembership(tags: readonly (readonly string[])[]): GroupMembership {
  const codeOf = new Map<string, number>()
  const labelsOfCode: (readonly (string | null)[])[] = []
  const codes = new Int32Array(tags.length)
  for (let i = 0; i < tags.length; i++) {
    const own = tags[i] ?? []
    const set = JSON.stringify(own)
    let code = codeOf.get(set)
    if (code === undefined) {
      code = codeOf.size
      codeOf.set(set, code)
      labelsOfCode.push(own.length === 0 ? [null] : own)
    }
    codes[i] = code
  }
  return codedMembership(codes, labelsOfCode)
}

/** Groups named by `labels`, trade i in `labels[bucket(i)]`. */
function bucketMembership(
  length: number,
  labels: readonly (string | null)[],
  bucket: (i: number) => number,
): GroupMembership {
  const codes = new Int32Array(length)
  for (let i = 0; i < length; i++) codes[i] = bucket(i)
  return codedMembership(
    codes,
    labels.map((label) => [label]),
  )
}

/** Month of close: trades come in closing order, so the label changes only with the day. */
function monthMembership(closedAt: TradeColumns['closedAt'], timezone: string): GroupMembership {
  const months: string[] = []
  const codes = new Int32Array(closedAt.length)
  let lastDay = NaN
  let lastMonth = -1
  for (let i = 0; i < closedAt.length; i++) {
    const day = localDayNumber(closedAt[i] as number, timezone)
    if (day !== lastDay) {
      lastDay = day
      const month = dayDate(day).slice(0, 7)
      lastMonth = months.indexOf(month)
      if (lastMonth === -1) lastMonth = months.push(month) - 1
    }
    codes[i] = lastMonth
  }
  return codedMembership(
    codes,
    months.map((month) => [month]),
  )
}

/** Which group(s) each trade is in, from the column the key reads. */
export function groupMembership(
  columns: TradeColumns,
  key: GroupKey,
  timezone: string,
): GroupMembership {
  const { closedAt, openedAt } = columns
  switch (key) {
    case 'symbol':
      return valueMembership(required(columns.symbol, key))
    case 'asset-class':
      return valueMembership(required(columns.assetClass, key))
    case 'strategy':
      return valueMembership(required(columns.strategyId, key))
    case 'tag':
      return tagMembership(required(columns.tags, key))
    case 'account':
      return valueMembership(columns.accountId)
    case 'side':
      return valueMembership(required(columns.side, key))
    case 'weekday':
      return bucketMembership(columns.length, WEEKDAYS, (i) =>
        isoWeekdayIndex(openedAt[i] as number, timezone),
      )
    case 'hour':
      return bucketMembership(columns.length, HOURS, (i) =>
        hourOfDay(openedAt[i] as number, timezone),
      )
    case 'month':
      return monthMembership(closedAt, timezone)
    case 'hold-time':
      return bucketMembership(
        columns.length,
        HOLD_BUCKETS.map(([, label]) => label),
        (i) => holdBucket((closedAt[i] as number) - (openedAt[i] as number)),
      )
    case 'r-bucket':
      return bucketMembership(columns.length, [...R_BUCKETS.map(([, label]) => label), null], (i) =>
        rBucket(columns.netPnl[i] as number, columns.initialRisk[i] as number),
      )
  }
}

/**
 * Statistics of each group with a trade, in the key's order (docs/metrics.md, "Groups"): the
 * additive figures of every group in one pass, then each group's sequence figures.
 */
export function membershipGroups(
  columns: TradeColumns,
  key: GroupKey,
  membership: GroupMembership,
  options: StatsOptions,
): GroupedStatistics {
  const totals = groupTotals(columns, membership)
  const sequences = partitionSequences(columns, membership)
  const order = groupOrder(key)
  const rank = (label: string | null) => (label === null ? Infinity : (order?.indexOf(label) ?? 0))
  const present = membership.labels
    .map((label, g) => ({
      label,
      totals: totals[g] as TradeTotals,
      sequence: sequences[g] as TradeSequence,
    }))
    .filter(({ sequence }) => sequence.length > 0)
    .sort(({ label: a }, { label: b }) => {
      if (order !== null || a === null || b === null) return rank(a) - rank(b)
      return a < b ? -1 : a > b ? 1 : 0
    })
  return {
    groupBy: key,
    groups: present.map(({ label, totals, sequence }) => ({
      key: label,
      thin: sequence.length < THIN_GROUP,
      ...assembleStatistics(totals, sequence, options),
    })),
  }
}

export function columnGroups(
  columns: TradeColumns,
  key: GroupKey,
  options: StatsOptions,
): GroupedStatistics {
  return membershipGroups(columns, key, groupMembership(columns, key, options.timezone), options)
}
