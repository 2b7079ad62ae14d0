/**
 * Statistics over the journal's live closed round trips (docs/metrics.md): resolve the filter,
 * read the matching trades in closing order with one SQL statement, compute with core/stats.
 *
 * Speed: db/queries/stats-reads.ts reads a million trades without a row per trade. Filters on
 * instruments, tags and strategies become `IN (…)` subqueries, so no join runs per row.
 */
import type Database from 'better-sqlite3'
import type {
  DailyPointView,
  ParsedInput,
  StatisticsView,
  StatsFilter,
  StatsGroupsView,
} from '../contract'
import { formatDecimal, type Fixed8 } from '../core/decimal'
import {
  AmountTooLargeError,
  assembleStatistics,
  codedMembership,
  columnDaily,
  exactNumber,
  groupMembership,
  membershipGroups,
  type AccountCapital,
  type CashFlow,
  type DailyPoint,
  type GroupKey,
  type Statistics,
  type StatsOptions,
  type TradeColumns,
} from '../core/stats'
import { rangeBound } from '../core/time-parse'
import {
  readDailySequence,
  readTotalsAndSequence,
  readTradeColumns,
  type KeyRead,
  type TradeScope,
} from '../db/queries/stats-reads'
import { ASSET_CLASSES } from '../db/schema/instruments'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { excursionTotals, scopeExcursions, type TradeExcursion } from './excursions'
import { settingValue } from './settings'

interface AccountRow {
  id: string
  name: string
  startingBalance: bigint
}

/** A filter resolved to SQL over `positions p`, with the zone and accounts it covers. */
interface Scope {
  zone: string
  accounts: AccountRow[]
  from: number | null
  to: number | null
  conditions: string[]
  params: unknown[]
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ')
}

function resolveScope(ctx: ServiceContext, filter: StatsFilter): Scope {
  const sqlite = ctx.journal.sqlite
  const zone = filter.tz ?? settingValue(ctx, 'journal.timezone')
  const accounts = (
    filter.account === undefined
      ? sqlite.prepare(
          `SELECT id, name, starting_balance AS startingBalance FROM accounts
           WHERE deleted_at IS NULL ORDER BY name, id`,
        )
      : sqlite.prepare(
          `SELECT id, name, starting_balance AS startingBalance FROM accounts
           WHERE deleted_at IS NULL AND name = ? ORDER BY id`,
        )
  ).all(...(filter.account === undefined ? [] : [filter.account])) as AccountRow[]
  if (filter.account !== undefined && accounts.length === 0) {
    throw new AppError('not_found', `No account named "${filter.account}"`)
  }
  const from = filter.from === undefined ? null : rangeBound(filter.from, zone)
  const to = filter.to === undefined ? null : rangeBound(filter.to, zone, 1)
  const scope: Scope = { zone, accounts, from, to, conditions: [], params: [] }
  const where = (condition: string, ...params: unknown[]) => {
    scope.conditions.push(condition)
    scope.params.push(...params)
  }
  // Positions of deleted accounts are not live; with every account in scope and none deleted,
  // the condition would cost a string comparison per row for nothing.
  const deletedAccounts = sqlite
    .prepare(`SELECT count(*) FROM accounts WHERE deleted_at IS NOT NULL`)
    .pluck()
    .get() as bigint
  if (filter.account !== undefined || deletedAccounts > 0n) {
    where(
      `p.account_id IN (${placeholders(accounts.length)})`,
      ...accounts.map((account) => account.id),
    )
  }
  if (filter.symbol !== undefined) {
    where(
      `p.instrument_id IN (SELECT id FROM instruments WHERE symbol = ? OR underlying_symbol = ?)`,
      filter.symbol,
      filter.symbol,
    )
  }
  if (filter.assetClass !== undefined) {
    if (!(ASSET_CLASSES as readonly string[]).includes(filter.assetClass)) {
      throw new AppError(
        'invalid_input',
        `Unknown asset class "${filter.assetClass}" (one of ${ASSET_CLASSES.join(', ')})`,
      )
    }
    where(
      `p.instrument_id IN (SELECT id FROM instruments WHERE asset_class = ?)`,
      filter.assetClass,
    )
  }
  if (filter.strategy !== undefined) {
    const ids = sqlite
      .prepare(`SELECT id FROM strategies WHERE deleted_at IS NULL AND (id = ? OR name = ?)`)
      .pluck()
      .all(filter.strategy, filter.strategy) as string[]
    if (ids.length === 0) throw new AppError('not_found', `No strategy "${filter.strategy}"`)
    where(`p.strategy_id IN (${placeholders(ids.length)})`, ...ids)
  }
  if (filter.tag !== undefined) {
    const ids = sqlite
      .prepare(`SELECT id FROM tags WHERE deleted_at IS NULL AND name = ?`)
      .pluck()
      .all(filter.tag) as string[]
    if (ids.length === 0) throw new AppError('not_found', `No tag "${filter.tag}"`)
    where(
      `p.id IN (SELECT position_id FROM position_tags
        WHERE deleted_at IS NULL AND tag_id IN (${placeholders(ids.length)}))`,
      ...ids,
    )
  }
  if (filter.side !== undefined) where(`p.side = ?`, filter.side)
  if (from !== null) where(`p.closed_at >= ?`, from)
  if (to !== null) where(`p.closed_at < ?`, to)
  return scope
}

// ---------------------------------------------------------------------------------------------
// What a group key reads beyond the base columns

/** What a key groups by beyond the base columns; null: they give it (account, times). */
function keyRead(key: GroupKey): KeyRead | null {
  switch (key) {
    case 'symbol':
    case 'asset-class':
      return { sql: `p.instrument_id` }
    case 'strategy':
      return { sql: `p.strategy_id` }
    case 'tag':
      return 'tags'
    case 'side':
      return { sql: `p.side` }
    default:
      return null
  }
}

function tradeScope(scope: Scope): TradeScope {
  return {
    conditions: scope.conditions,
    params: scope.params,
    accountIds: scope.accounts.map((account) => account.id),
  }
}

// ---------------------------------------------------------------------------------------------
// Capital: the starting balance of drawdown % and Calmar, and the time-weighted returns

/**
 * Each account's value at the start of the period (starting balance, plus, when `from` is set,
 * every cash transaction and every closed trade's net before it) and its cash flows inside it.
 */
function accountCapital(sqlite: Database.Database, scope: Scope): AccountCapital[] {
  const ids = scope.accounts.map((account) => account.id)
  if (ids.length === 0) return []
  const cash = sqlite
    .prepare(
      `SELECT account_id AS accountId, kind, amount, occurred_at AS occurredAt
       FROM cash_transactions
       WHERE deleted_at IS NULL AND account_id IN (${placeholders(ids.length)})`,
    )
    .all(...ids) as { accountId: string; kind: string; amount: bigint; occurredAt: bigint }[]
  const before = new Map<string, bigint>()
  if (scope.from !== null) {
    const rows = sqlite
      .prepare(
        `SELECT account_id AS accountId, sum(net_pnl) AS net FROM positions
         WHERE deleted_at IS NULL AND status = 'closed' AND closed_at < ?
           AND account_id IN (${placeholders(ids.length)})
         GROUP BY account_id`,
      )
      .all(scope.from, ...ids) as { accountId: string; net: bigint | null }[]
    for (const row of rows) before.set(row.accountId, row.net ?? 0n)
  }
  return scope.accounts.map((account) => {
    let startValue = account.startingBalance + (before.get(account.id) ?? 0n)
    const cashFlows: CashFlow[] = []
    for (const row of cash) {
      if (row.accountId !== account.id) continue
      const at = Number(row.occurredAt)
      if (scope.from !== null && at < scope.from) startValue += row.amount
      else if (scope.to === null || at < scope.to) {
        cashFlows.push({
          at,
          amount: row.amount,
          external: row.kind === 'deposit' || row.kind === 'withdrawal',
        })
      }
    }
    return { accountId: account.id, startValue, cashFlows }
  })
}

function statsOptions(sqlite: Database.Database, scope: Scope): StatsOptions {
  const accounts = accountCapital(sqlite, scope)
  const startingBalance = accounts.reduce((total, account) => total + account.startValue, 0n)
  return { timezone: scope.zone, startingBalance, accounts }
}

// ---------------------------------------------------------------------------------------------
// Views

const amount = (value: Fixed8) => formatDecimal(value)
const amountOrNull = (value: Fixed8 | null) => (value === null ? null : formatDecimal(value))

/** Statistics as JSON (amounts as decimal strings), in the order `blotter stats --json` prints. */
export function statisticsView(
  stats: Statistics,
  accountName: (accountId: string) => string = (id) => id,
): StatisticsView {
  return {
    trades: stats.trades,
    wins: stats.wins,
    losses: stats.losses,
    breakeven: stats.breakeven,
    winRate: stats.winRate,
    netPnl: amount(stats.netPnl),
    grossPnl: amount(stats.grossPnl),
    fees: amount(stats.fees),
    grossProfit: amount(stats.grossProfit),
    grossLoss: amount(stats.grossLoss),
    profitFactor: stats.profitFactor,
    expectancy: amountOrNull(stats.expectancy),
    avgWin: amountOrNull(stats.avgWin),
    avgLoss: amountOrNull(stats.avgLoss),
    largestWin: amountOrNull(stats.largestWin),
    largestLoss: amountOrNull(stats.largestLoss),
    maxDrawdown: amount(stats.maxDrawdown),
    maxConsecutiveWins: stats.maxConsecutiveWins,
    maxConsecutiveLosses: stats.maxConsecutiveLosses,
    sharpe: stats.sharpe,
    sortino: stats.sortino,
    maxDrawdownPct: stats.maxDrawdownPct,
    tradingDays: stats.tradingDays,
    avgHoldMs: stats.avgHoldMs,
    avgHoldWinnersMs: stats.avgHoldWinnersMs,
    avgHoldLosersMs: stats.avgHoldLosersMs,
    rTrades: stats.rTrades,
    avgR: stats.avgR,
    expectancyR: stats.expectancyR,
    sqn: stats.sqn,
    kelly: stats.kelly,
    var95: amountOrNull(stats.var95),
    cvar95: amountOrNull(stats.cvar95),
    var99: amountOrNull(stats.var99),
    cvar99: amountOrNull(stats.cvar99),
    calmar: stats.calmar,
    longestDrawdownDays: stats.longestDrawdownDays,
    excursionTrades: stats.excursionTrades,
    avgMaeR: stats.avgMaeR,
    avgMfeR: stats.avgMfeR,
    timeWeightedReturns: stats.timeWeightedReturns.map((twr) => ({
      account: accountName(twr.accountId),
      twrPct: twr.twrPct,
    })),
  }
}

export function dailyView(points: readonly DailyPoint[]): DailyPointView[] {
  return points.map((point) => ({
    date: point.date,
    trades: point.trades,
    netPnl: amount(point.netPnl),
    equity: amount(point.equity),
    drawdown: amount(point.drawdown),
  }))
}

function accountNames(scope: Scope): (id: string) => string {
  const names = new Map(scope.accounts.map((account) => [account.id, account.name]))
  return (id) => names.get(id) ?? id
}

// ---------------------------------------------------------------------------------------------
// The contract's methods

/** Every read of one call sees the same snapshot of the journal. */
function reading<T>(ctx: ServiceContext, work: (sqlite: Database.Database) => T): T {
  const sqlite = ctx.journal.sqlite
  try {
    return sqlite.transaction(() => work(sqlite)).deferred()
  } catch (error) {
    // A limit of the fast path, not a fault: say which amount, as the caller's own error.
    if (error instanceof AmountTooLargeError) throw new AppError('unavailable', error.message)
    throw error
  }
}

/**
 * The core figures of the matching trades: MAE/MFE sums are order-free, so they come from the
 * excursions by id rather than from a column in closing order.
 */
function summaryStatistics(
  ctx: ServiceContext,
  sqlite: Database.Database,
  scope: Scope,
): Statistics {
  const trades = tradeScope(scope)
  const { totals, sequence } = readTotalsAndSequence(sqlite, trades)
  const excursions = excursionTotals(scopeExcursions(ctx, trades).values())
  return assembleStatistics({ ...totals, ...excursions }, sequence, statsOptions(sqlite, scope))
}

/** Statistics of the closed trades matching `filter` (the core figures, amounts exact). */
export function filteredStatistics(ctx: ServiceContext, filter: StatsFilter): Statistics {
  return reading(ctx, (sqlite) => summaryStatistics(ctx, sqlite, resolveScope(ctx, filter)))
}

export function statsSummary(
  ctx: ServiceContext,
  input: ParsedInput<'stats.summary'>,
): StatisticsView {
  return reading(ctx, (sqlite) => {
    const scope = resolveScope(ctx, input)
    return statisticsView(summaryStatistics(ctx, sqlite, scope), accountNames(scope))
  })
}

export function statsDaily(
  ctx: ServiceContext,
  input: ParsedInput<'stats.daily'>,
): DailyPointView[] {
  return reading(ctx, (sqlite) => {
    const scope = resolveScope(ctx, input)
    return dailyView(columnDaily(readDailySequence(sqlite, tradeScope(scope)), scope.zone))
  })
}

export function statsGroups(
  ctx: ServiceContext,
  input: ParsedInput<'stats.groups'>,
): StatsGroupsView {
  return reading(ctx, (sqlite) => {
    const { groupBy, ...filter } = input
    const scope = resolveScope(ctx, filter)
    const trades = tradeScope(scope)
    const excursions = scopeExcursions(ctx, trades)
    const read = readTradeColumns(sqlite, trades, keyRead(groupBy), excursions.size > 0)
    const columns = withExcursions(read.columns, read.ids, excursions)
    const membership =
      read.key === null
        ? groupMembership(columns, groupBy, scope.zone)
        : codedMembership(read.key.codes, keyLabels(sqlite, groupBy, read.key.values))
    const grouped = membershipGroups(columns, groupBy, membership, statsOptions(sqlite, scope))
    const label = groupLabeller(sqlite, groupBy, scope)
    const names = accountNames(scope)
    const groups = grouped.groups.map(({ key, thin, ...stats }) => ({
      key: key === null ? null : label(key),
      ...statisticsView(stats, names),
      thin,
    }))
    // Accounts and strategies group by id; list them by the name shown (none last).
    if (groupBy === 'account' || groupBy === 'strategy') {
      groups.sort((a, b) =>
        a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
      )
    }
    return { groupBy, groups }
  })
}

/** Adds the MAE, MFE and point value columns (NaN: no candles) when any trade has them. */
function withExcursions(
  columns: TradeColumns,
  ids: readonly string[] | null,
  excursions: ReadonlyMap<string, TradeExcursion>,
): TradeColumns {
  if (ids === null) return columns
  const mae = new Float64Array(columns.length).fill(NaN)
  const mfe = new Float64Array(columns.length).fill(NaN)
  const pointValue = new Float64Array(columns.length).fill(NaN)
  ids.forEach((id, i) => {
    const found = excursions.get(id)
    if (found === undefined) return
    mae[i] = exactNumber(found.maePrice)
    mfe[i] = exactNumber(found.mfePrice)
    // Only a factor of the R ratios, never summed: no exactness bound applies.
    pointValue[i] = Number(found.pointValue)
  })
  return { ...columns, mae, mfe, pointValue }
}

/**
 * The group labels of each distinct raw key value (`keyRead`): a symbol or asset class per
 * instrument id, a strategy id (null: none), a side, the names of live tags (null: none).
 */
function keyLabels(
  sqlite: Database.Database,
  key: GroupKey,
  values: readonly string[],
): (string | null)[][] {
  switch (key) {
    case 'symbol':
    case 'asset-class': {
      const instruments = new Map(
        (
          sqlite.prepare(`SELECT id, symbol, asset_class AS assetClass FROM instruments`).all() as {
            id: string
            symbol: string
            assetClass: string
          }[]
        ).map((row) => [row.id, row]),
      )
      return values.map((id) => {
        const instrument = instruments.get(id)
        return [key === 'symbol' ? (instrument?.symbol ?? id) : (instrument?.assetClass ?? '')]
      })
    }
    case 'strategy':
      return values.map((id) => [id === '' ? null : id])
    case 'tag': {
      const names = new Map(
        (
          sqlite.prepare(`SELECT id, name FROM tags WHERE deleted_at IS NULL`).all() as {
            id: string
            name: string
          }[]
        ).map((row) => [row.id, row.name]),
      )
      return values.map((ids) => {
        const live = ids
          .split(' ')
          .map((id) => names.get(id))
          .filter((name): name is string => name !== undefined)
        return live.length === 0 ? [null] : live
      })
    }
    default:
      return values.map((value) => [value])
  }
}

/** Group keys that are ids (accounts, strategies) shown by name. */
function groupLabeller(
  sqlite: Database.Database,
  key: GroupKey,
  scope: Scope,
): (key: string) => string {
  if (key === 'account') return accountNames(scope)
  if (key === 'strategy') {
    const names = new Map(
      (
        sqlite.prepare(`SELECT id, name FROM strategies`).all() as { id: string; name: string }[]
      ).map((row) => [row.id, row.name]),
    )
    return (id) => names.get(id) ?? id
  }
  return (label) => label
}
