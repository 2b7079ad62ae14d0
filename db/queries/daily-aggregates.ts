/**
 * The daily aggregates (risk_metrics, strategy_performance, portfolio_summary and the
 * performance_metrics rows) kept in step with `positions`, so the dashboard and the risk checks
 * read one row per day instead of every round trip.
 *
 * Every figure of a day depends only on the round trips closed that day and on running values
 * carried from the day before (consecutive losses, cumulative net, equity). A change to fills at
 * time t can only change round trips still open at t (the engine matches fills in time order), so
 * their old and new `closed_at` are both ≥ t: refreshing from t's calendar day onward is enough.
 * Days are calendar days in the journal's zone (setting 'journal.timezone'); when it changes,
 * everything is recomputed (services/risk.ts `afterZoneChanged`).
 */
import type Database from 'better-sqlite3'
import { divide, fromInteger, type Fixed8 } from '../../core/decimal'
import { calendarDate, zonedToUtc } from '../../core/time-parse'
import { isTimeZone, type EpochMs } from '../../core/time'
import { newRowId } from '../ids'

/** The round trips every figure counts: live, closed, with a net P&L. */
const COUNTED = `deleted_at IS NULL AND status = 'closed' AND net_pnl IS NOT NULL`
/** Round trips in the order the statistics walk them (docs/metrics.md). */
const TRADE_ORDER = `ORDER BY closed_at, opened_at, id`

/** Per-day figures stored in performance_metrics (period 'day'): what risk_metrics lacks. */
export const DAY_METRICS = [
  'gross_profit',
  'gross_loss',
  'largest_win',
  'largest_loss',
  /** Highest the day's cumulative net reached (from 0): where a running drawdown's peak is. */
  'intraday_high',
] as const

/** The zone that decides a trade's calendar day; a stored value that is not a zone means UTC. */
export function journalZone(sqlite: Database.Database): string {
  const stored = sqlite
    .prepare(
      `SELECT value FROM system_settings WHERE key = 'journal.timezone' AND deleted_at IS NULL`,
    )
    .pluck()
    .get() as string | null | undefined
  if (stored == null) return 'UTC'
  const zone: unknown = JSON.parse(stored)
  return typeof zone === 'string' && isTimeZone(zone) ? zone : 'UTC'
}

/** The UTC instant a calendar day ('YYYY-MM-DD') starts at in `zone`. */
export function startOfDay(date: string, zone: string): EpochMs {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return zonedToUtc({ year, month, day }, zone)
}

/** The calendar day after `date`. */
export function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10)
}

/** Per account, the earliest fill of an import batch: where that batch's effect on the days starts. */
export function batchFillStarts(
  sqlite: Database.Database,
  batchId: string,
): Map<string, EpochMs | null> {
  const rows = sqlite
    .prepare(
      `SELECT account_id, min(executed_at) FROM trades WHERE import_batch_id = ? GROUP BY account_id`,
    )
    .raw()
    .all(batchId) as [string, bigint][]
  return new Map(rows.map(([accountId, start]) => [accountId, Number(start)]))
}

/** Per account, the earliest fill of these instruments: where a change of their terms starts. */
export function instrumentFillStarts(
  sqlite: Database.Database,
  instrumentIds: readonly string[],
): Map<string, EpochMs | null> {
  // One min() per (instrument, account): each is the first entry of a trades_rebuild_idx range.
  const rows = sqlite
    .prepare(
      `SELECT account_id, min(start) FROM (
         SELECT a.id AS account_id,
           (SELECT min(t.executed_at) FROM trades t
            WHERE t.account_id = a.id AND t.instrument_id = i.value) AS start
         FROM json_each(?) i CROSS JOIN accounts a)
       WHERE start IS NOT NULL GROUP BY account_id`,
    )
    .raw()
    .all(JSON.stringify(instrumentIds)) as [string, bigint][]
  return new Map(rows.map(([accountId, start]) => [accountId, Number(start)]))
}

/**
 * Refreshes what depends on the round trips after they changed: per account from the given
 * instant (null: all history), then the strategies and the journal-wide headline figures.
 */
export function refreshAggregates(
  sqlite: Database.Database,
  changes: ReadonlyMap<string, EpochMs | null>,
): void {
  if (changes.size === 0) return
  const zone = journalZone(sqlite)
  let earliest: EpochMs | null = Infinity
  for (const [accountId, since] of changes) {
    refreshAccountDays(sqlite, accountId, since, zone)
    writeHeadline(sqlite, accountId)
    earliest = since === null || earliest === null ? null : Math.min(earliest, since)
  }
  const strategyIds = sqlite.prepare(`SELECT id FROM strategies`).pluck().all() as string[]
  refreshStrategyDays(sqlite, strategyIds, earliest, zone)
  writeHeadline(sqlite, null)
}

/** Refreshes one account's aggregates from `sinceMs` (null: all history). */
export function refreshAccountAggregates(
  sqlite: Database.Database,
  accountId: string,
  sinceMs: EpochMs | null,
): void {
  refreshAggregates(sqlite, new Map([[accountId, sinceMs]]))
}

/** Recomputes those strategies' strategy_performance rows from their live closed round trips. */
export function refreshStrategyPerformance(
  sqlite: Database.Database,
  strategyIds: readonly string[],
): void {
  refreshStrategyDays(sqlite, strategyIds, null, journalZone(sqlite))
}

// ---------------------------------------------------------------------------------------------
// One day's figures

interface DayFigures {
  date: string
  trades: number
  wins: number
  losses: number
  gross: Fixed8
  fees: Fixed8
  net: Fixed8
  grossProfit: Fixed8
  grossLoss: Fixed8
  largestWin: Fixed8 | null
  largestLoss: Fixed8 | null
  /** Largest fall of the day's closed-trade equity (starting at 0) from its running peak. */
  maxDrawdown: Fixed8
  /** The day's equity curve so far, and its running peak (from 0). */
  equity: Fixed8
  peak: Fixed8
  /** Losing trades in a row at the end of the day, carried across days. */
  consecutiveLosses: number
}

function newDay(date: string, consecutiveLosses: number): DayFigures {
  return {
    date,
    trades: 0,
    wins: 0,
    losses: 0,
    gross: 0n,
    fees: 0n,
    net: 0n,
    grossProfit: 0n,
    grossLoss: 0n,
    largestWin: null,
    largestLoss: null,
    maxDrawdown: 0n,
    equity: 0n,
    peak: 0n,
    consecutiveLosses,
  }
}

function addTrade(day: DayFigures, gross: Fixed8, fees: Fixed8, net: Fixed8): void {
  day.trades += 1
  day.gross += gross
  day.fees += fees
  day.net += net
  if (net > 0n) {
    day.wins += 1
    day.grossProfit += net
    day.consecutiveLosses = 0
  } else if (net < 0n) {
    day.losses += 1
    day.grossLoss += net
    day.consecutiveLosses += 1
  } else {
    // A breakeven trade ends a losing run (docs/metrics.md).
    day.consecutiveLosses = 0
  }
  if (day.largestWin === null || net > day.largestWin) day.largestWin = net
  if (day.largestLoss === null || net < day.largestLoss) day.largestLoss = net
  day.equity += net
  if (day.equity > day.peak) day.peak = day.equity
  if (day.peak - day.equity > day.maxDrawdown) day.maxDrawdown = day.peak - day.equity
}

/** Walks round trips (rows: [closed_at, gross, fees, net], in trade order) into days. */
function daysOf(
  rows: Iterable<[bigint, bigint | null, bigint, bigint]>,
  zone: string,
  consecutiveLosses: number,
): DayFigures[] {
  const days: DayFigures[] = []
  let current: DayFigures | null = null
  for (const [closedAt, gross, fees, net] of rows) {
    const date = calendarDate(Number(closedAt), zone)
    if (current?.date !== date) {
      current = newDay(date, current?.consecutiveLosses ?? consecutiveLosses)
      days.push(current)
    }
    addTrade(current, gross ?? 0n, fees, net)
  }
  return days
}

// ---------------------------------------------------------------------------------------------
// Accounts

function refreshAccountDays(
  sqlite: Database.Database,
  accountId: string,
  sinceMs: EpochMs | null,
  zone: string,
): void {
  const fromDay = sinceMs === null ? '0000-01-01' : calendarDate(sinceMs, zone)
  const fromMs = sinceMs === null ? -1 : startOfDay(fromDay, zone)

  const before = sqlite
    .prepare(
      `SELECT (SELECT consecutive_losses FROM risk_metrics WHERE account_id = @accountId
                AND date < @fromDay ORDER BY date DESC LIMIT 1),
              (SELECT coalesce(sum(net_pnl), 0) FROM risk_metrics
                WHERE account_id = @accountId AND date < @fromDay)`,
    )
    .raw()
    .get({ accountId, fromDay }) as [bigint | null, bigint]
  const days = daysOf(
    sqlite
      .prepare(
        `SELECT closed_at, gross_pnl, fees, net_pnl FROM positions
         WHERE account_id = ? AND ${COUNTED} AND closed_at >= ? ${TRADE_ORDER}`,
      )
      .raw()
      .iterate(accountId, fromMs) as Iterable<[bigint, bigint | null, bigint, bigint]>,
    zone,
    Number(before[0] ?? 0n),
  )

  const capital = capitalCurve(sqlite, accountId)
  const open = openCurve(sqlite, accountId, fromMs)
  const dates = JSON.stringify(days.map((day) => day.date))
  sqlite
    .prepare(
      `DELETE FROM risk_metrics WHERE account_id = ? AND date >= ?
         AND date NOT IN (SELECT value FROM json_each(?))`,
    )
    .run(accountId, fromDay, dates)
  sqlite
    .prepare(
      `DELETE FROM portfolio_summary WHERE account_id = ? AND as_of >= ?
         AND as_of NOT IN (SELECT value FROM json_each(?))`,
    )
    .run(accountId, fromDay, dates)
  sqlite
    .prepare(
      `DELETE FROM performance_metrics WHERE account_id = ? AND period = 'day' AND period_start >= ?`,
    )
    .run(accountId, fromDay)

  const upsertRisk = sqlite.prepare(
    `INSERT INTO risk_metrics (id, account_id, date, trades, wins, losses, gross_pnl, fees, net_pnl,
       max_drawdown, open_risk, consecutive_losses, equity_end)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, date) DO UPDATE SET trades = excluded.trades, wins = excluded.wins,
       losses = excluded.losses, gross_pnl = excluded.gross_pnl, fees = excluded.fees,
       net_pnl = excluded.net_pnl, max_drawdown = excluded.max_drawdown,
       open_risk = excluded.open_risk, consecutive_losses = excluded.consecutive_losses,
       equity_end = excluded.equity_end, deleted_at = NULL`,
  )
  const upsertSummary = sqlite.prepare(
    `INSERT INTO portfolio_summary (id, account_id, as_of, equity, cash, open_positions,
       unrealized_pnl, realized_pnl)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?)
     ON CONFLICT (account_id, as_of) DO UPDATE SET equity = excluded.equity, cash = excluded.cash,
       open_positions = excluded.open_positions, unrealized_pnl = excluded.unrealized_pnl,
       realized_pnl = excluded.realized_pnl, deleted_at = NULL`,
  )
  const insertMetric = sqlite.prepare(
    `INSERT INTO performance_metrics (id, account_id, metric_name, value, period, period_start)
     VALUES (?, ?, ?, ?, 'day', ?)`,
  )
  let realized = before[1]
  for (const day of days) {
    const dayEnd = startOfDay(nextDay(day.date), zone)
    realized += day.net
    const funded = capital.at(dayEnd)
    const openAtEnd = open.at(dayEnd)
    // Unrealized P&L needs marks (candles) this refresh does not read: 0, so equity = cash.
    const cash = funded.amount + realized
    upsertRisk.run(
      newRowId(),
      accountId,
      day.date,
      day.trades,
      day.wins,
      day.losses,
      day.gross,
      day.fees,
      day.net,
      day.maxDrawdown,
      openAtEnd.risk,
      day.consecutiveLosses,
      funded.known ? cash : null,
    )
    upsertSummary.run(newRowId(), accountId, day.date, cash, cash, openAtEnd.count, realized)
    const metrics: [(typeof DAY_METRICS)[number], Fixed8 | null][] = [
      ['gross_profit', day.grossProfit],
      ['gross_loss', day.grossLoss],
      ['largest_win', day.largestWin],
      ['largest_loss', day.largestLoss],
      ['intraday_high', day.peak],
    ]
    for (const [name, value] of metrics) {
      if (value !== null) insertMetric.run(newRowId(), accountId, name, value, day.date)
    }
  }
}

/**
 * The account's capital (starting balance + cash movements) before an instant. "Known" once
 * there is a starting balance or a cash movement: without either, equity is undefined.
 */
export function capitalCurve(sqlite: Database.Database, accountId: string) {
  const starting = sqlite
    .prepare(`SELECT starting_balance FROM accounts WHERE id = ?`)
    .pluck()
    .get(accountId) as bigint
  const movements = sqlite
    .prepare(
      `SELECT occurred_at, amount FROM cash_transactions
       WHERE account_id = ? AND deleted_at IS NULL ORDER BY occurred_at`,
    )
    .raw()
    .all(accountId) as [bigint, bigint][]
  const times = movements.map(([at]) => Number(at))
  // totals[k]: capital after the first k movements.
  const totals = [starting]
  for (const [, amount] of movements) totals.push(totals.at(-1)! + amount)
  return {
    at(instant: EpochMs): { amount: Fixed8; known: boolean } {
      let low = 0
      let high = times.length
      while (low < high) {
        const middle = (low + high) >> 1
        if (times[middle]! < instant) low = middle + 1
        else high = middle
      }
      return { amount: totals[low]!, known: starting !== 0n || low > 0 }
    },
  }
}

/**
 * Round trips open at an instant (opened before it, closed at or after it, or still open): how
 * many, and the sum of their initial risk (those without one count 0). Considers the round trips
 * that may be open at or after `fromMs`: those closed from then on and those still open.
 */
function openCurve(sqlite: Database.Database, accountId: string, fromMs: EpochMs) {
  const params = { accountId, fromMs }
  const live = `account_id = @accountId AND deleted_at IS NULL`
  // Instants as plain numbers, sorted in a typed array: cheap even at 10^6 round trips.
  const instants = (sql: string) =>
    Float64Array.from(
      sqlite.prepare(sql).pluck().safeIntegers(false).all(params) as number[],
    ).sort()
  const opens = instants(
    `SELECT opened_at FROM positions WHERE ${live} AND status = 'closed' AND closed_at >= @fromMs
     UNION ALL SELECT opened_at FROM positions WHERE ${live} AND status = 'open'`,
  )
  const closes = instants(
    `SELECT closed_at FROM positions WHERE ${live} AND status = 'closed' AND closed_at >= @fromMs`,
  )
  // The (few) round trips with an initial risk, as steps up at the open and down at the close.
  const risky = sqlite
    .prepare(
      `SELECT opened_at, closed_at, initial_risk FROM positions
       WHERE ${live} AND initial_risk IS NOT NULL AND status = 'closed' AND closed_at >= @fromMs
       UNION ALL
       SELECT opened_at, NULL, initial_risk FROM positions
       WHERE ${live} AND initial_risk IS NOT NULL AND status = 'open'`,
    )
    .raw()
    .all(params) as [bigint, bigint | null, bigint][]
  const riskSteps = risky
    .flatMap(([openedAt, closedAt, risk]) => [
      { at: Number(openedAt), change: risk },
      ...(closedAt === null ? [] : [{ at: Number(closedAt), change: -risk }]),
    ])
    .sort((a, b) => a.at - b.at)
  let opened = 0
  let closed = 0
  let step = 0
  let risk = 0n
  return {
    /** Asked in increasing order. */
    at(instant: EpochMs): { count: number; risk: Fixed8 } {
      while (opened < opens.length && opens[opened]! < instant) opened += 1
      while (closed < closes.length && closes[closed]! < instant) closed += 1
      while (step < riskSteps.length && riskSteps[step]!.at < instant) {
        risk += riskSteps[step]!.change
        step += 1
      }
      return { count: opened - closed, risk }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Strategies

function refreshStrategyDays(
  sqlite: Database.Database,
  strategyIds: readonly string[],
  sinceMs: EpochMs | null,
  zone: string,
): void {
  const fromDay = sinceMs === null ? '0000-01-01' : calendarDate(sinceMs, zone)
  const fromMs = sinceMs === null ? -1 : startOfDay(fromDay, zone)
  // Recent days are found through the (account, closed_at) index (a strategy's own index
  // would read all its history); all of a strategy's days through its own.
  const tripRows: [string, bigint, bigint | null, bigint, bigint][] =
    sinceMs === null
      ? strategyIds.flatMap(
          (strategyId) =>
            sqlite
              .prepare(
                `SELECT strategy_id, closed_at, gross_pnl, fees, net_pnl FROM positions
                 WHERE strategy_id = ? AND ${COUNTED} ${TRADE_ORDER}`,
              )
              .raw()
              .all(strategyId) as [string, bigint, bigint | null, bigint, bigint][],
        )
      : (sqlite
          .prepare(
            `SELECT strategy_id, closed_at, gross_pnl, fees, net_pnl FROM positions
             WHERE account_id IN (SELECT id FROM accounts) AND closed_at >= ?
               AND strategy_id IN (SELECT value FROM json_each(?)) AND ${COUNTED}
             ORDER BY strategy_id, closed_at, opened_at, id`,
          )
          .raw()
          .all(fromMs, JSON.stringify(strategyIds)) as [
          string,
          bigint,
          bigint | null,
          bigint,
          bigint,
        ][])
  const byStrategy = new Map<string, [bigint, bigint | null, bigint, bigint][]>(
    strategyIds.map((id) => [id, []]),
  )
  for (const [strategyId, ...trip] of tripRows) byStrategy.get(strategyId)?.push(trip)

  const remove = sqlite.prepare(
    `DELETE FROM strategy_performance WHERE strategy_id = ? AND date >= ?
       AND date NOT IN (SELECT value FROM json_each(?))`,
  )
  const upsert = sqlite.prepare(
    `INSERT INTO strategy_performance (id, strategy_id, date, trades, wins, losses, gross_pnl,
       fees, net_pnl, gross_profit, gross_loss, max_drawdown)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (strategy_id, date) DO UPDATE SET trades = excluded.trades,
       wins = excluded.wins, losses = excluded.losses, gross_pnl = excluded.gross_pnl,
       fees = excluded.fees, net_pnl = excluded.net_pnl, gross_profit = excluded.gross_profit,
       gross_loss = excluded.gross_loss, max_drawdown = excluded.max_drawdown, deleted_at = NULL`,
  )
  for (const [strategyId, trips] of byStrategy) {
    const days = daysOf(trips, zone, 0)
    remove.run(strategyId, fromDay, JSON.stringify(days.map((day) => day.date)))
    for (const day of days) {
      upsert.run(
        newRowId(),
        strategyId,
        day.date,
        day.trades,
        day.wins,
        day.losses,
        day.gross,
        day.fees,
        day.net,
        day.grossProfit,
        day.grossLoss,
        day.maxDrawdown,
      )
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Headline figures, summed by SQLite over the daily rows (a few thousand rows per account: only
// their totals and the last days cross into JS)

/** The headline ('all' period) figures of an account or of the whole journal (null). */
export interface Headline {
  trades: number
  wins: number
  losses: number
  breakeven: number
  netPnl: Fixed8
  grossPnl: Fixed8
  fees: Fixed8
  grossProfit: Fixed8
  grossLoss: Fixed8
  /** grossProfit / |grossLoss|, null without a loss. */
  profitFactor: Fixed8 | null
  winRate: Fixed8 | null
  expectancy: Fixed8 | null
  largestWin: Fixed8 | null
  largestLoss: Fixed8 | null
  /** Largest fall of the cumulative daily net from its running peak (from 0). */
  maxDrawdown: Fixed8
  tradingDays: number
  bestDay: { date: string; net: Fixed8 } | null
  worstDay: { date: string; net: Fixed8 } | null
}

/** The per-date sums of risk_metrics, for one account (@accountId) or all (NULL). */
const DAYS = `SELECT date, sum(trades) AS trades, sum(net_pnl) AS net FROM risk_metrics
  WHERE deleted_at IS NULL AND (@accountId IS NULL OR account_id = @accountId) GROUP BY date`

export function readHeadline(sqlite: Database.Database, accountId: string | null): Headline {
  const params = { accountId }
  const [trades, wins, losses, gross, fees, net, tradingDays] = sqlite
    .prepare(
      `SELECT coalesce(sum(trades), 0), coalesce(sum(wins), 0), coalesce(sum(losses), 0),
         coalesce(sum(gross_pnl), 0), coalesce(sum(fees), 0), coalesce(sum(net_pnl), 0),
         count(DISTINCT date)
       FROM risk_metrics WHERE deleted_at IS NULL AND (@accountId IS NULL OR account_id = @accountId)`,
    )
    .raw()
    .get(params) as bigint[]
  const [grossProfit, grossLoss, largestWin, largestLoss] = sqlite
    .prepare(
      `SELECT coalesce(sum(value) FILTER (WHERE metric_name = 'gross_profit'), 0),
         coalesce(sum(value) FILTER (WHERE metric_name = 'gross_loss'), 0),
         max(value) FILTER (WHERE metric_name = 'largest_win'),
         min(value) FILTER (WHERE metric_name = 'largest_loss')
       FROM performance_metrics
       WHERE period = 'day' AND deleted_at IS NULL AND account_id IS NOT NULL
         AND (@accountId IS NULL OR account_id = @accountId)
         AND metric_name IN ('gross_profit', 'gross_loss', 'largest_win', 'largest_loss')`,
    )
    .raw()
    .get(params) as [bigint, bigint, bigint | null, bigint | null]
  const [maxDrawdown] = sqlite
    .prepare(
      `WITH days AS (${DAYS}),
       equity AS (SELECT date, sum(net) OVER (ORDER BY date) AS cumulative FROM days)
       SELECT coalesce(max(peak - cumulative), 0) FROM (
         SELECT cumulative, max(0, max(cumulative) OVER (ORDER BY date)) AS peak FROM equity)`,
    )
    .raw()
    .get(params) as [bigint]
  const dayAt = (order: string) => {
    const row = sqlite
      .prepare(`WITH days AS (${DAYS}) SELECT date, net FROM days ORDER BY ${order} LIMIT 1`)
      .raw()
      .get(params) as [string, bigint] | undefined
    return row ? { date: row[0], net: row[1] } : null
  }
  const count = Number(trades)
  return {
    trades: count,
    wins: Number(wins),
    losses: Number(losses),
    breakeven: count - Number(wins) - Number(losses),
    netPnl: net!,
    grossPnl: gross!,
    fees: fees!,
    grossProfit,
    grossLoss,
    profitFactor: grossLoss === 0n ? null : divide(grossProfit, -grossLoss),
    winRate: count === 0 ? null : divide(fromInteger(wins!), fromInteger(count)),
    expectancy: count === 0 ? null : divide(net!, fromInteger(count)),
    largestWin,
    largestLoss,
    maxDrawdown,
    tradingDays: Number(tradingDays),
    // Ties: the earlier day.
    bestDay: dayAt('net DESC, date'),
    worstDay: dayAt('net, date'),
  }
}

export interface DailyFigure {
  date: string
  trades: number
  net: Fixed8
  /** Σ net of all days up to this one. */
  cumulative: Fixed8
}

/** The last `count` trading days of an account or of the journal (null), oldest first. */
export function readLastDays(
  sqlite: Database.Database,
  accountId: string | null,
  count: number,
): DailyFigure[] {
  const rows = sqlite
    .prepare(
      `WITH days AS (${DAYS})
       SELECT * FROM (
         SELECT date, trades, net, sum(net) OVER (ORDER BY date) FROM days
         ORDER BY date DESC LIMIT @count)
       ORDER BY date`,
    )
    .raw()
    .all({ accountId, count }) as [string, bigint, bigint, bigint][]
  return rows.map(([date, trades, net, cumulative]) => ({
    date,
    trades: Number(trades),
    net,
    cumulative,
  }))
}

/** Rewrites the 'all'-period performance_metrics rows of an account (null: the journal). */
function writeHeadline(sqlite: Database.Database, accountId: string | null): void {
  const figures = readHeadline(sqlite, accountId)
  sqlite
    .prepare(`DELETE FROM performance_metrics WHERE account_id IS ? AND period = 'all'`)
    .run(accountId)
  const values: [string, Fixed8 | null][] = [
    ['trades', fromInteger(figures.trades)],
    ['wins', fromInteger(figures.wins)],
    ['losses', fromInteger(figures.losses)],
    ['net_pnl', figures.netPnl],
    ['gross_pnl', figures.grossPnl],
    ['fees', figures.fees],
    ['gross_profit', figures.grossProfit],
    ['gross_loss', figures.grossLoss],
    ['profit_factor', figures.profitFactor],
    ['win_rate', figures.winRate],
    ['expectancy', figures.expectancy],
    ['max_drawdown', figures.maxDrawdown],
  ]
  const insert = sqlite.prepare(
    `INSERT INTO performance_metrics (id, account_id, metric_name, value, period, period_start)
     VALUES (?, ?, ?, ?, 'all', NULL)`,
  )
  for (const [name, value] of values) {
    if (value !== null) insert.run(newRowId(), accountId, name, value)
  }
}
