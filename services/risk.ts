/**
 * Risk limits per account: managing them, evaluating them over the history after every change
 * of the round trips (core/risk.ts decides; risk_events keeps each finding once, by its breach
 * key), and where each stands today.
 */
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type {
  ParsedInput,
  RiskEventPage,
  RiskEventView,
  RiskLimitView,
  RiskOverview,
  RiskUtilizationView,
} from '../contract'
import { formatDecimal, fromInteger, multiply, parseDecimal, type Fixed8 } from '../core/decimal'
import {
  COUNT_LIMIT_TYPES,
  evaluateLimits,
  levelOf,
  thresholdOf,
  utilizationOf,
  type ClosedTrip,
  type RiskHistory,
  type RiskLimitRule,
  type RiskLimitType,
  type RiskUnit,
  type SizedPosition,
} from '../core/risk'
import { calendarDate } from '../core/time-parse'
import { toIsoUtc, type EpochMs } from '../core/time'
import {
  capitalCurve,
  journalZone,
  refreshAggregates,
  startOfDay,
} from '../db/queries/daily-aggregates'
import type { ServiceContext } from './context'
import { AppError } from './errors'

/** The limits evaluated trade by trade, over the closed round trips. */
const TRIP_LIMITS: readonly RiskLimitType[] = [
  'daily_loss',
  'max_loss_per_trade',
  'max_drawdown',
  'max_trades_per_day',
  'max_consecutive_losses',
]

/** Now, as epoch ms: injectable so tests can fix "today". */
export type Clock = () => EpochMs

/**
 * After round trips changed (import, undo, instrument edit): refreshes the daily aggregates of
 * each account from the instant its change starts (null: all history), then evaluates its risk
 * limits over the same range. Runs inside the caller's transaction.
 */
export function afterPositionsChanged(
  sqlite: Database.Database,
  changes: ReadonlyMap<string, EpochMs | null>,
): void {
  refreshAggregates(sqlite, changes)
  for (const [accountId, since] of changes) evaluateAccountRisk(sqlite, accountId, since)
}

/** Recomputes every aggregate and re-evaluates every limit: the journal's zone moved the days. */
export function afterZoneChanged(sqlite: Database.Database): void {
  const accountIds = sqlite.prepare(`SELECT id FROM accounts`).pluck().all() as string[]
  afterPositionsChanged(sqlite, new Map(accountIds.map((id) => [id, null])))
}

interface LimitRow {
  id: string
  accountId: string
  account: string
  type: RiskLimitType
  value: bigint
  unit: RiskUnit
  warnAtPercent: bigint | null
  active: bigint
}

const LIMIT_COLUMNS = `l.id, p.account_id AS accountId, a.name AS account, l.limit_type AS type,
  l.value, l.unit, l.warn_at_percent AS warnAtPercent, l.is_active AS active`
const LIMIT_FROM = `risk_limits l JOIN risk_profiles p ON p.id = l.risk_profile_id
  JOIN accounts a ON a.id = p.account_id
  WHERE l.deleted_at IS NULL AND p.deleted_at IS NULL`

const ruleOf = (row: LimitRow): RiskLimitRule => ({
  id: row.id,
  type: row.type,
  value: row.value,
  unit: row.unit,
  warnAtPercent: row.warnAtPercent === null ? null : Number(row.warnAtPercent),
})

/** The limits that are checked: active ones of active profiles. */
function activeLimits(sqlite: Database.Database, accountId: string): RiskLimitRule[] {
  return (
    sqlite
      .prepare(
        `SELECT ${LIMIT_COLUMNS} FROM ${LIMIT_FROM}
         AND p.account_id = ? AND l.is_active = 1 AND p.is_active = 1 ORDER BY l.id`,
      )
      .all(accountId) as LimitRow[]
  ).map(ruleOf)
}

/**
 * Evaluates the account's limits (or only `onlyLimitId`) over its round trips from `sinceMs`'s
 * day onward (null: all history) and stores new findings; returns how many were new.
 */
export function evaluateAccountRisk(
  sqlite: Database.Database,
  accountId: string,
  sinceMs: EpochMs | null,
  onlyLimitId?: string,
): number {
  const limits = activeLimits(sqlite, accountId).filter(
    (limit) => onlyLimitId === undefined || limit.id === onlyLimitId,
  )
  if (limits.length === 0) return 0
  const zone = journalZone(sqlite)
  const days = accountDays(sqlite, accountId, zone)
  const fromDay = sinceMs === null ? '0000-01-01' : calendarDate(sinceMs, zone)
  const fromMs = sinceMs === null ? -1 : startOfDay(fromDay, zone)

  // Only what the limits at hand look at is read.
  const needs = (types: readonly RiskLimitType[]) =>
    limits.some((limit) => types.includes(limit.type))
  const trips = needs(TRIP_LIMITS) ? closedTrips(sqlite, accountId, fromMs, zone) : []
  const positions = needs(['max_position_size'])
    ? sizedPositions(sqlite, accountId, fromMs, zone)
    : []
  const history: RiskHistory = {
    start: days.runningBefore(fromDay),
    trips,
    positions,
    openRiskByDay: days.rows
      .filter((day) => day.date >= fromDay)
      .map((day) => ({ date: day.date, openRisk: day.openRisk })),
    equityAt: days.equityAt,
    capitalAt: days.capitalAt,
  }
  // A warning for an occurrence the limit already recorded as a breach (a limit raised after the
  // fact) says nothing new: it is not stored. A warning before the breach (earlier the same day)
  // was stored first and stays.
  const insert = sqlite.prepare(
    `INSERT INTO risk_events (id, risk_limit_id, account_id, position_id, day, severity,
       breach_key, observed_value, limit_value, message)
     SELECT @id, @limitId, @accountId, @positionId, @day, @severity, @breachKey, @observed,
       @threshold, @message
     WHERE @breachTwin IS NULL OR NOT EXISTS (SELECT 1 FROM risk_events
       WHERE risk_limit_id = @limitId AND breach_key = @breachTwin)
     ON CONFLICT (risk_limit_id, breach_key) DO NOTHING`,
  )
  let added = 0
  for (const finding of evaluateLimits(limits, history)) {
    added += insert.run({
      id: uuidv7(),
      limitId: finding.limitId,
      accountId,
      positionId: finding.positionId,
      day: finding.day,
      severity: finding.severity,
      breachKey: finding.breachKey,
      observed: finding.observed,
      threshold: finding.threshold,
      message: finding.message,
      breachTwin:
        finding.severity === 'warning' ? finding.breachKey.replace(/:warning$/, ':breach') : null,
    }).changes
  }
  return added
}

/** The account's closed round trips from `fromMs` on, in trade order. */
function closedTrips(
  sqlite: Database.Database,
  accountId: string,
  fromMs: EpochMs,
  zone: string,
): ClosedTrip[] {
  const rows = sqlite
    .prepare(
      `SELECT id, trade_key, closed_at, net_pnl FROM positions
       WHERE account_id = ? AND deleted_at IS NULL AND status = 'closed'
         AND net_pnl IS NOT NULL AND closed_at >= ?
       ORDER BY closed_at, opened_at, id`,
    )
    .raw()
    .all(accountId, fromMs) as [string, string, bigint, bigint][]
  return rows.map(([positionId, tradeKey, closedAt, net]) => ({
    positionId,
    tradeKey,
    date: calendarDate(Number(closedAt), zone),
    net,
  }))
}

/** The account's round trips that may have changed from `fromMs` on, with their notional. */
function sizedPositions(
  sqlite: Database.Database,
  accountId: string,
  fromMs: EpochMs,
  zone: string,
): SizedPosition[] {
  const rows = sqlite
    .prepare(
      `SELECT p.id, p.trade_key, p.opened_at, p.quantity, p.entry_price, i.multiplier
       FROM positions p JOIN instruments i ON i.id = p.instrument_id
       WHERE p.account_id = @accountId AND p.deleted_at IS NULL AND p.closed_at >= @fromMs
       UNION ALL
       SELECT p.id, p.trade_key, p.opened_at, p.quantity, p.entry_price, i.multiplier
       FROM positions p JOIN instruments i ON i.id = p.instrument_id
       WHERE p.account_id = @accountId AND p.deleted_at IS NULL AND p.status = 'open'`,
    )
    .raw()
    .all({ accountId, fromMs }) as [string, string, bigint, bigint, bigint, bigint][]
  return rows.map(([positionId, tradeKey, openedAt, quantity, price, multiplier]) => ({
    positionId,
    tradeKey,
    date: calendarDate(Number(openedAt), zone),
    notional: multiply(multiply(quantity, price), multiplier),
  }))
}

interface DayRow {
  date: string
  trades: number
  net: Fixed8
  openRisk: Fixed8
  consecutiveLosses: number
  intradayHigh: Fixed8
  largestLoss: Fixed8 | null
  /** Σ net of the days before this one. */
  netBefore: Fixed8
}

/** An account's daily aggregates, with the running values the limits need at any day. */
function accountDays(sqlite: Database.Database, accountId: string, zone: string) {
  const extra = new Map<string, { high: Fixed8; largestLoss: Fixed8 | null }>()
  const metrics = sqlite
    .prepare(
      `SELECT period_start, metric_name, value FROM performance_metrics
       WHERE account_id = ? AND period = 'day' AND deleted_at IS NULL
         AND metric_name IN ('intraday_high', 'largest_loss')`,
    )
    .raw()
    .all(accountId) as [string, string, bigint][]
  for (const [date, name, value] of metrics) {
    const entry = extra.get(date) ?? { high: 0n, largestLoss: null }
    if (name === 'intraday_high') entry.high = value
    else entry.largestLoss = value
    extra.set(date, entry)
  }
  let netBefore = 0n
  const rows: DayRow[] = (
    sqlite
      .prepare(
        `SELECT date, trades, net_pnl, open_risk, consecutive_losses FROM risk_metrics
         WHERE account_id = ? AND deleted_at IS NULL ORDER BY date`,
      )
      .raw()
      .all(accountId) as [string, bigint, bigint, bigint, bigint][]
  ).map(([date, trades, net, openRisk, consecutiveLosses]) => {
    const row: DayRow = {
      date,
      trades: Number(trades),
      net,
      openRisk,
      consecutiveLosses: Number(consecutiveLosses),
      intradayHigh: extra.get(date)?.high ?? 0n,
      largestLoss: extra.get(date)?.largestLoss ?? null,
      netBefore,
    }
    netBefore += net
    return row
  })
  const total = netBefore

  /** Index of the first row on or after `date`. */
  const firstFrom = (date: string) => {
    let low = 0
    let high = rows.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (rows[middle]!.date < date) low = middle + 1
      else high = middle
    }
    return low
  }
  const netBeforeDay = (date: string) => {
    const at = firstFrom(date)
    return at < rows.length ? rows[at]!.netBefore : total
  }
  // Asked once per trade and limit: each day's answer is kept.
  const capital = capitalCurve(sqlite, accountId)
  const capitalByDay = new Map<string, Fixed8 | null>()
  const capitalAt = (date: string): Fixed8 | null => {
    let answer = capitalByDay.get(date)
    if (answer === undefined) {
      const before = capital.at(startOfDay(date, zone))
      answer = before.known ? before.amount : null
      capitalByDay.set(date, answer)
    }
    return answer
  }
  return {
    rows,
    total,
    firstFrom,
    capitalAt,
    equityAt(date: string): Fixed8 | null {
      const capital = capitalAt(date)
      return capital === null ? null : capital + netBeforeDay(date)
    },
    /** Running values at the start of a day: cumulative net, its peak, the losing run. */
    runningBefore(date: string) {
      let peak = 0n
      const end = firstFrom(date)
      for (let at = 0; at < end; at += 1) {
        const row = rows[at]!
        if (row.netBefore + row.intradayHigh > peak) peak = row.netBefore + row.intradayHigh
      }
      return {
        cumulativeNet: netBeforeDay(date),
        peak,
        consecutiveLosses: end > 0 ? rows[end - 1]!.consecutiveLosses : 0,
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The contract's methods

interface AccountRow {
  id: string
  name: string
}

/** An account by id or name; a name shared by several accounts must be given as an id. */
export function resolveAccount(sqlite: Database.Database, account: string): AccountRow {
  const rows = sqlite
    .prepare(
      `SELECT id, name FROM accounts WHERE deleted_at IS NULL AND (id = @account OR name = @account)
       ORDER BY id = @account DESC`,
    )
    .all({ account }) as AccountRow[]
  if (rows.length === 0) throw new AppError('not_found', `No account ${account}`)
  if (rows.length > 1 && rows[0]!.id !== account) {
    throw new AppError(
      'conflict',
      `${rows.length} accounts are named ${account}: give its id (${rows.map((row) => row.id).join(', ')})`,
    )
  }
  return rows[0]!
}

/** The account's default risk profile, created the first time a limit is set. */
function defaultProfile(sqlite: Database.Database, accountId: string): string {
  const existing = sqlite
    .prepare(
      `SELECT id FROM risk_profiles WHERE account_id = ? AND deleted_at IS NULL
       ORDER BY created_at, id LIMIT 1`,
    )
    .pluck()
    .get(accountId) as string | undefined
  if (existing) return existing
  const id = uuidv7()
  sqlite
    .prepare(`INSERT INTO risk_profiles (id, account_id, name) VALUES (?, ?, 'Default')`)
    .run(id, accountId)
  return id
}

export function setRiskLimit(
  ctx: ServiceContext,
  input: ParsedInput<'risk.setLimit'>,
  clock: Clock = Date.now,
) {
  const sqlite = ctx.journal.sqlite
  const unit: RiskUnit =
    input.unit ?? (COUNT_LIMIT_TYPES.includes(input.type) ? 'count' : 'absolute')
  const { id, created, newEvents } = sqlite
    .transaction(() => {
      const account = resolveAccount(sqlite, input.account)
      const profileId = defaultProfile(sqlite, account.id)
      const existing = sqlite
        .prepare(
          `SELECT id FROM risk_limits WHERE risk_profile_id = ? AND limit_type = ? AND unit = ?
             AND deleted_at IS NULL`,
        )
        .pluck()
        .get(profileId, input.type, unit) as string | undefined
      const values = [
        parseDecimal(input.value),
        input.warnAtPercent ?? null,
        input.active ? 1 : 0,
      ] as const
      const limitId = existing ?? uuidv7()
      if (existing) {
        sqlite
          .prepare(
            `UPDATE risk_limits SET value = ?, warn_at_percent = ?, is_active = ?,
               version = version + 1 WHERE id = ?`,
          )
          .run(...values, limitId)
      } else {
        sqlite
          .prepare(
            `INSERT INTO risk_limits (id, risk_profile_id, limit_type, value, unit,
               warn_at_percent, is_active) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(limitId, profileId, input.type, values[0], unit, values[1], values[2])
      }
      // A new or changed limit is checked against the whole history at once.
      const added = evaluateAccountRisk(sqlite, account.id, null, limitId)
      return { id: limitId, created: existing === undefined, newEvents: added }
    })
    .immediate()
  const limit = limitViews(sqlite, clock, { limitId: id })[0]!
  return { limit, created, newEvents }
}

export function removeRiskLimit(ctx: ServiceContext, input: ParsedInput<'risk.removeLimit'>) {
  const sqlite = ctx.journal.sqlite
  return sqlite
    .transaction(() => {
      let id = input.id
      if (id === undefined) {
        const account = resolveAccount(sqlite, input.account!)
        const ids = sqlite
          .prepare(
            `SELECT l.id FROM ${LIMIT_FROM} AND p.account_id = ? AND l.limit_type = ?
               AND (@unit IS NULL OR l.unit = @unit)`,
          )
          .pluck()
          .all({ unit: input.unit ?? null }, account.id, input.type!) as string[]
        if (ids.length > 1) {
          throw new AppError(
            'conflict',
            `${account.name} has ${ids.length} ${input.type} limits: give the unit or the id`,
          )
        }
        id = ids[0]
        if (id === undefined) {
          throw new AppError('not_found', `${account.name} has no ${input.type} limit`)
        }
      }
      const removed = sqlite
        .prepare(`UPDATE risk_limits SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`)
        .run(Date.now(), id)
      if (removed.changes === 0) throw new AppError('not_found', `No risk limit ${id}`)
      return { id, removed: true as const }
    })
    .immediate()
}

export function riskOverview(
  ctx: ServiceContext,
  input: ParsedInput<'risk.list'>,
  clock: Clock = Date.now,
): RiskOverview {
  const sqlite = ctx.journal.sqlite
  // One snapshot: an import committing between the reads would pair new limits with old events.
  return sqlite
    .transaction((): RiskOverview => {
      const accountId = input.account ? resolveAccount(sqlite, input.account).id : undefined
      return {
        today: calendarDate(clock(), journalZone(sqlite)),
        limits: limitViews(sqlite, clock, { accountId }),
        events: input.events === 0 ? [] : riskEvents(ctx, { accountId, limit: input.events }).rows,
      }
    })
    .deferred()
}

function limitViews(
  sqlite: Database.Database,
  clock: Clock,
  filter: { accountId?: string; limitId?: string },
): RiskLimitView[] {
  const rows = sqlite
    .prepare(
      `SELECT ${LIMIT_COLUMNS} FROM ${LIMIT_FROM}
       AND (@accountId IS NULL OR p.account_id = @accountId)
       AND (@limitId IS NULL OR l.id = @limitId)
       ORDER BY a.name, l.limit_type, l.unit`,
    )
    .all({ accountId: filter.accountId ?? null, limitId: filter.limitId ?? null }) as LimitRow[]
  const zone = journalZone(sqlite)
  const today = calendarDate(clock(), zone)
  const standings = new Map<string, ReturnType<typeof todayOf>>()
  return rows.map((row) => {
    let standing = standings.get(row.accountId)
    if (!standing) {
      standing = todayOf(sqlite, row.accountId, zone, today)
      standings.set(row.accountId, standing)
    }
    return {
      id: row.id,
      accountId: row.accountId,
      account: row.account,
      type: row.type,
      value: formatDecimal(row.value),
      unit: row.unit,
      warnAtPercent: row.warnAtPercent === null ? null : Number(row.warnAtPercent),
      active: row.active === 1n,
      today: standing.of(ruleOf(row)),
    }
  })
}

/** What each kind of limit bounds, as it stands today. */
function todayOf(sqlite: Database.Database, accountId: string, zone: string, today: string) {
  const days = accountDays(sqlite, accountId, zone)
  const at = days.firstFrom(today)
  const todayRow = days.rows[at]?.date === today ? days.rows[at] : undefined
  const latest = days.rows.findLast((row) => row.date <= today)
  const running = days.runningBefore(today)
  // The running peak through today: today's own high counts too.
  const cumulative = running.cumulativeNet + (todayRow?.net ?? 0n)
  const peak = todayRow
    ? [running.peak, running.cumulativeNet + todayRow.intradayHigh].reduce((a, b) =>
        a > b ? a : b,
      )
    : running.peak
  let openRisk = 0n
  let largestPosition = 0n
  const open = sqlite
    .prepare(
      `SELECT coalesce(p.initial_risk, 0), p.quantity, p.entry_price, i.multiplier
       FROM positions p JOIN instruments i ON i.id = p.instrument_id
       WHERE p.account_id = ? AND p.status = 'open' AND p.deleted_at IS NULL`,
    )
    .raw()
    .all(accountId) as [bigint, bigint, bigint, bigint][]
  for (const [risk, quantity, price, multiplier] of open) {
    openRisk += risk
    const notional = multiply(multiply(quantity, price), multiplier)
    if (notional > largestPosition) largestPosition = notional
  }
  const observed: Record<RiskLimitType, Fixed8> = {
    daily_loss: todayRow && todayRow.net < 0n ? -todayRow.net : 0n,
    max_loss_per_trade:
      todayRow?.largestLoss != null && todayRow.largestLoss < 0n ? -todayRow.largestLoss : 0n,
    max_drawdown: peak - cumulative,
    max_position_size: largestPosition,
    max_open_risk: openRisk,
    max_trades_per_day: fromInteger(todayRow?.trades ?? 0),
    max_consecutive_losses: fromInteger(latest?.consecutiveLosses ?? 0),
  }
  return {
    of(limit: RiskLimitRule): RiskUtilizationView {
      const value = observed[limit.type]
      const capital = days.capitalAt(today)
      const threshold =
        limit.type === 'max_drawdown' && limit.unit === 'percent_of_equity'
          ? thresholdOf(limit, capital === null ? null : capital + peak)
          : thresholdOf(limit, days.equityAt(today))
      return {
        date: today,
        observed: formatDecimal(value),
        threshold: threshold === null ? null : formatDecimal(threshold),
        utilization: threshold === null ? null : utilizationOf(value, threshold),
        level: threshold === null ? null : levelOf(value, threshold, limit.warnAtPercent),
      }
    },
  }
}

interface EventRow {
  id: string
  accountId: string
  account: string
  limitId: string
  limitType: RiskLimitType
  severity: RiskEventView['severity']
  day: string
  positionId: string | null
  observed: bigint
  limit: bigint
  message: string
  occurredAt: bigint
  acknowledgedAt: bigint | null
}

export function riskEvents(
  ctx: ServiceContext,
  input: {
    accountId?: string
    account?: string
    severity?: 'warning' | 'breach'
    unacknowledged?: boolean
    after?: { occurredAt: string; id: string }
    limit: number
  },
): RiskEventPage {
  const sqlite = ctx.journal.sqlite
  const accountId =
    input.accountId ?? (input.account ? resolveAccount(sqlite, input.account).id : null)
  const rows = sqlite
    .prepare(
      `SELECT e.id, e.account_id AS accountId, a.name AS account, e.risk_limit_id AS limitId,
         l.limit_type AS limitType, e.severity, e.day, e.position_id AS positionId,
         e.observed_value AS observed, e.limit_value AS "limit", e.message,
         e.occurred_at AS occurredAt, e.acknowledged_at AS acknowledgedAt
       FROM risk_events e JOIN risk_limits l ON l.id = e.risk_limit_id
         JOIN accounts a ON a.id = e.account_id
       WHERE e.deleted_at IS NULL AND (@accountId IS NULL OR e.account_id = @accountId)
         AND (@severity IS NULL OR e.severity = @severity)
         AND (@unacknowledged = 0 OR e.acknowledged_at IS NULL)
         AND (@afterAt IS NULL OR (e.occurred_at, e.id) < (@afterAt, @afterId))
       ORDER BY e.occurred_at DESC, e.id DESC LIMIT @limit`,
    )
    .all({
      accountId,
      severity: input.severity ?? null,
      unacknowledged: input.unacknowledged ? 1 : 0,
      afterAt: input.after ? Date.parse(input.after.occurredAt) : null,
      afterId: input.after?.id ?? null,
      limit: input.limit + 1,
    }) as EventRow[]
  const page = rows.slice(0, input.limit).map((row): RiskEventView => ({
    id: row.id,
    accountId: row.accountId,
    account: row.account,
    limitId: row.limitId,
    limitType: row.limitType,
    severity: row.severity,
    day: row.day,
    positionId: row.positionId,
    observed: formatDecimal(row.observed),
    limit: formatDecimal(row.limit),
    message: row.message,
    occurredAt: toIsoUtc(Number(row.occurredAt)),
    acknowledgedAt: row.acknowledgedAt === null ? null : toIsoUtc(Number(row.acknowledgedAt)),
  }))
  const last = page.at(-1)
  return {
    rows: page,
    next: rows.length > input.limit && last ? { occurredAt: last.occurredAt, id: last.id } : null,
  }
}

export function acknowledgeRiskEvents(
  ctx: ServiceContext,
  input: ParsedInput<'risk.acknowledge'>,
  clock: Clock = Date.now,
) {
  const sqlite = ctx.journal.sqlite
  const acknowledged = sqlite
    .transaction(() => {
      const known = sqlite
        .prepare(
          `SELECT count(*) FROM risk_events WHERE deleted_at IS NULL
             AND id IN (SELECT value FROM json_each(?))`,
        )
        .pluck()
        .get(JSON.stringify(input.ids)) as bigint
      if (Number(known) !== new Set(input.ids).size) {
        throw new AppError(
          'not_found',
          'Some of these risk events do not exist (blotter risk events)',
        )
      }
      return sqlite
        .prepare(
          `UPDATE risk_events SET acknowledged_at = ? WHERE acknowledged_at IS NULL
             AND id IN (SELECT value FROM json_each(?))`,
        )
        .run(clock(), JSON.stringify(input.ids)).changes
    })
    .immediate()
  return { acknowledged }
}
