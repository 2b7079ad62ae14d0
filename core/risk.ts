/**
 * Risk limits evaluated over a trading history (pure). What each limit observes:
 *
 * - daily_loss: the day's running loss (−Σ net of its closed trades so far), so a day that
 *   recovers still broke the limit if it went past it; max_trades_per_day: trades closed that day;
 * - max_loss_per_trade: −net of a losing round trip; max_position_size: a round trip's largest
 *   size × average entry × multiplier; max_open_risk: Σ initial_risk of the round trips open at
 *   the end of a day (those without an initial risk count 0);
 * - max_drawdown: running peak (from 0) − cumulative net, trade by trade; max_consecutive_losses:
 *   losing trades in a row (a breakeven or winning trade ends the run).
 *
 * And for all of them:
 *
 * - a limit is broken when the observed value EXCEEDS it (losing exactly the daily limit, or
 *   making exactly the allowed number of trades, is still within it); a warning fires when the
 *   observed value reaches `warnAtPercent` % of the limit;
 * - a limit in 'percent_of_equity' is that percentage of the account's equity at the start of
 *   the day concerned (max_drawdown: of its peak equity); without a known equity it is not checked;
 * - every finding carries a `breachKey` that names its occurrence ('2026-03-02:breach' for a day,
 *   '<trade key>:warning' for a trade), so evaluating the same history again finds the same keys
 *   and the caller stores each once.
 */
import { divide, formatDecimal, fromInteger, multiply, type Fixed8 } from './decimal'

export const RISK_LIMIT_TYPES = [
  'daily_loss',
  'max_loss_per_trade',
  'max_drawdown',
  'max_position_size',
  'max_open_risk',
  'max_trades_per_day',
  'max_consecutive_losses',
] as const
export type RiskLimitType = (typeof RISK_LIMIT_TYPES)[number]

export const RISK_UNITS = ['absolute', 'percent_of_equity', 'count'] as const
export type RiskUnit = (typeof RISK_UNITS)[number]

/** Limit types that count things: they, and only they, use the 'count' unit. */
export const COUNT_LIMIT_TYPES: readonly RiskLimitType[] = [
  'max_trades_per_day',
  'max_consecutive_losses',
]

export interface RiskLimitRule {
  id: string
  type: RiskLimitType
  /** Amount, percentage (2.5 = 2.5 %) or count, by `unit`. */
  value: Fixed8
  unit: RiskUnit
  /** 1–99, or null: no warning. */
  warnAtPercent: number | null
}

export type RiskLevel = 'ok' | 'warning' | 'breach'
const RANK: Record<RiskLevel, number> = { ok: 0, warning: 1, breach: 2 }

/** A closed round trip, in trade order (closed_at, opened_at, id). */
export interface ClosedTrip {
  positionId: string
  tradeKey: string
  /** Calendar day it closed on. */
  date: string
  net: Fixed8
}

/** A round trip by its largest size (for max_position_size). */
export interface SizedPosition {
  positionId: string
  tradeKey: string
  /** Calendar day it opened on. */
  date: string
  /** Largest size × average entry price × multiplier. */
  notional: Fixed8
}

/** Running values at the start of the evaluated range (all zero for the whole history). */
export interface RunningStart {
  cumulativeNet: Fixed8
  /** Highest cumulative net reached so far (at least 0). */
  peak: Fixed8
  consecutiveLosses: number
}

export interface RiskHistory {
  start: RunningStart
  trips: readonly ClosedTrip[]
  positions: readonly SizedPosition[]
  /** Σ initial risk of the round trips open at the end of each day. */
  openRiskByDay: readonly { date: string; openRisk: Fixed8 }[]
  /** Equity at the start of a day; null when the account's capital is not known. */
  equityAt(date: string): Fixed8 | null
  /** Starting balance + cash movements before a day; null when not known. */
  capitalAt(date: string): Fixed8 | null
}

export interface RiskFinding {
  limitId: string
  severity: Exclude<RiskLevel, 'ok'>
  breachKey: string
  day: string
  positionId: string | null
  observed: Fixed8
  threshold: Fixed8
  message: string
}

const HUNDRED = fromInteger(100)

/** The limit in the observed value's terms: the amount (or count) that may not be exceeded. */
export function thresholdOf(limit: RiskLimitRule, equity: Fixed8 | null): Fixed8 | null {
  if (limit.unit !== 'percent_of_equity') return limit.value
  if (equity === null || equity <= 0n) return null
  return divide(multiply(equity, limit.value), HUNDRED)
}

export function levelOf(
  observed: Fixed8,
  threshold: Fixed8,
  warnAtPercent: number | null,
): RiskLevel {
  if (observed > threshold) return 'breach'
  if (warnAtPercent !== null && observed * 100n >= threshold * BigInt(warnAtPercent)) {
    return 'warning'
  }
  return 'ok'
}

/** Observed ÷ limit as a ratio (1 = at the limit), for display only. */
export function utilizationOf(observed: Fixed8, threshold: Fixed8): number {
  return Math.round((Number(observed) / Number(threshold)) * 10_000) / 10_000
}

const LABELS: Record<RiskLimitType, string> = {
  daily_loss: 'Daily loss',
  max_loss_per_trade: 'Loss on one trade',
  max_drawdown: 'Drawdown',
  max_position_size: 'Position size',
  max_open_risk: 'Open risk',
  max_trades_per_day: 'Trades in a day',
  max_consecutive_losses: 'Losing trades in a row',
}

/** Every warning and breach of these limits in the history. */
export function evaluateLimits(
  limits: readonly RiskLimitRule[],
  history: RiskHistory,
): RiskFinding[] {
  const findings: RiskFinding[] = []
  for (const limit of limits) {
    const found = (
      level: RiskLevel,
      key: string,
      day: string,
      positionId: string | null,
      observed: Fixed8,
      threshold: Fixed8,
    ) => {
      if (level === 'ok') return
      findings.push({
        limitId: limit.id,
        severity: level,
        breachKey: `${key}:${level}`,
        day,
        positionId,
        observed,
        threshold,
        message: messageOf(limit, level, observed, threshold, day),
      })
    }
    switch (limit.type) {
      case 'max_loss_per_trade':
        for (const trip of history.trips) {
          const threshold = thresholdOf(limit, history.equityAt(trip.date))
          if (threshold === null || trip.net >= 0n) continue
          const level = levelOf(-trip.net, threshold, limit.warnAtPercent)
          found(level, trip.tradeKey, trip.date, trip.positionId, -trip.net, threshold)
        }
        break
      case 'max_position_size':
        for (const position of history.positions) {
          const threshold = thresholdOf(limit, history.equityAt(position.date))
          if (threshold === null) continue
          const level = levelOf(position.notional, threshold, limit.warnAtPercent)
          found(
            level,
            position.tradeKey,
            position.date,
            position.positionId,
            position.notional,
            threshold,
          )
        }
        break
      case 'max_open_risk':
        for (const day of history.openRiskByDay) {
          const threshold = thresholdOf(limit, history.equityAt(day.date))
          if (threshold === null) continue
          const level = levelOf(day.openRisk, threshold, limit.warnAtPercent)
          found(level, day.date, day.date, null, day.openRisk, threshold)
        }
        break
      default:
        evaluateRunning(limit, history, found)
    }
  }
  return findings
}

type Found = (
  level: RiskLevel,
  key: string,
  day: string,
  positionId: string | null,
  observed: Fixed8,
  threshold: Fixed8,
) => void

/**
 * The limits on values that build up trade by trade. Each fires when its value crosses into a
 * higher level (ok → warning → breach); a day starts the daily values over, a new peak or a
 * trade that is not a loss the running ones.
 */
function evaluateRunning(limit: RiskLimitRule, history: RiskHistory, found: Found): void {
  let cumulative = history.start.cumulativeNet
  let peak = history.start.peak
  let run = history.start.consecutiveLosses
  let day = ''
  let dayNet = 0n
  let dayTrades = 0
  let level: RiskLevel = 'ok'
  const dailyLimit = limit.type === 'daily_loss' || limit.type === 'max_trades_per_day'

  // Where the running values stand before the first trade of the range.
  if (!dailyLimit && history.trips.length > 0) {
    const first = history.trips[0]!
    const observed = limit.type === 'max_drawdown' ? peak - cumulative : fromInteger(run)
    const threshold = runningThreshold(limit, history, first.date, peak)
    if (threshold !== null) level = levelOf(observed, threshold, limit.warnAtPercent)
  }

  for (const trip of history.trips) {
    if (trip.date !== day) {
      day = trip.date
      dayNet = 0n
      dayTrades = 0
      if (dailyLimit) level = 'ok'
    }
    dayNet += trip.net
    dayTrades += 1
    cumulative += trip.net
    if (cumulative > peak) peak = cumulative
    run = trip.net < 0n ? run + 1 : 0

    let observed: Fixed8
    let key: string
    switch (limit.type) {
      case 'daily_loss':
        observed = dayNet < 0n ? -dayNet : 0n
        key = day
        break
      case 'max_trades_per_day':
        observed = fromInteger(dayTrades)
        key = day
        break
      case 'max_drawdown':
        observed = peak - cumulative
        key = trip.tradeKey
        break
      default:
        observed = fromInteger(run)
        key = trip.tradeKey
    }
    const threshold = dailyLimit
      ? thresholdOf(limit, history.equityAt(day))
      : runningThreshold(limit, history, day, peak)
    if (threshold === null) continue
    const now = levelOf(observed, threshold, limit.warnAtPercent)
    if (RANK[now] > RANK[level]) found(now, key, day, trip.positionId, observed, threshold)
    // Daily values only grow within a day; running ones fall back when the run or drawdown ends.
    level = dailyLimit && RANK[level] > RANK[now] ? level : now
  }
}

/** A drawdown's percentage is of peak equity (capital + the peak); other limits as usual. */
function runningThreshold(
  limit: RiskLimitRule,
  history: RiskHistory,
  day: string,
  peak: Fixed8,
): Fixed8 | null {
  if (limit.type !== 'max_drawdown' || limit.unit !== 'percent_of_equity') {
    return thresholdOf(limit, history.equityAt(day))
  }
  const capital = history.capitalAt(day)
  return thresholdOf(limit, capital === null ? null : capital + peak)
}

function messageOf(
  limit: RiskLimitRule,
  level: Exclude<RiskLevel, 'ok'>,
  observed: Fixed8,
  threshold: Fixed8,
  day: string,
): string {
  const show = (value: Fixed8) => formatDecimal(value)
  const limitText =
    limit.unit === 'percent_of_equity'
      ? `${show(threshold)} (${show(limit.value)} % of equity)`
      : show(threshold)
  return level === 'breach'
    ? `${LABELS[limit.type]} ${show(observed)} on ${day} exceeds the limit ${limitText}`
    : `${LABELS[limit.type]} ${show(observed)} on ${day} reached ${limit.warnAtPercent ?? 0} % of the limit ${limitText}`
}
