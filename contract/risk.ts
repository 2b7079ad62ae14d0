/**
 * Risk limits and their events, and the dashboard figures read from the daily aggregates.
 * Amounts cross as decimal strings, ratios as numbers, times as ISO 8601 UTC.
 */
import { z } from 'zod'
import { isDecimal } from '../core/decimal'
import { COUNT_LIMIT_TYPES, RISK_LIMIT_TYPES, RISK_UNITS } from '../core/risk'

export type RiskLevelView = 'ok' | 'warning' | 'breach'

/** Where a limit stands today (the journal's zone). */
export interface RiskUtilizationView {
  date: string
  /** Today's value of what the limit bounds (today's loss, trades, current drawdown, …). */
  observed: string
  /** The limit as an amount or count today; null when a % limit has no known equity. */
  threshold: string | null
  /** observed ÷ threshold (1 = at the limit); null without a threshold. */
  utilization: number | null
  level: RiskLevelView | null
}

export interface RiskLimitView {
  id: string
  accountId: string
  account: string
  type: (typeof RISK_LIMIT_TYPES)[number]
  /** Amount, percentage or count, by `unit`. */
  value: string
  unit: (typeof RISK_UNITS)[number]
  warnAtPercent: number | null
  active: boolean
  today: RiskUtilizationView
}

export interface RiskEventView {
  id: string
  accountId: string
  account: string
  limitId: string
  limitType: (typeof RISK_LIMIT_TYPES)[number]
  severity: 'info' | 'warning' | 'breach'
  day: string
  positionId: string | null
  observed: string
  limit: string
  message: string
  occurredAt: string
  acknowledgedAt: string | null
}

/** Where the next page of events starts: the last row of this one, newest first. */
export interface RiskEventCursor {
  occurredAt: string
  id: string
}

export interface RiskEventPage {
  rows: RiskEventView[]
  next: RiskEventCursor | null
}

export interface RiskOverview {
  /** Today in the journal's zone, which the utilization is of. */
  today: string
  limits: RiskLimitView[]
  /** The newest events, at most `events` of them. */
  events: RiskEventView[]
}

export interface DashboardDay {
  date: string
  trades: number
  netPnl: string
  /** Σ netPnl of every day up to this one (all history, not only the days shown). */
  cumulative: string
}

export interface DashboardView {
  /** The account's name, null: the whole journal. */
  account: string | null
  trades: number
  wins: number
  losses: number
  breakeven: number
  winRate: number | null
  netPnl: string
  grossPnl: string
  fees: string
  grossProfit: string
  grossLoss: string
  profitFactor: number | null
  expectancy: string | null
  largestWin: string | null
  largestLoss: string | null
  /** Largest fall of the cumulative daily net from its peak (from 0), non-negative. */
  maxDrawdown: string
  tradingDays: number
  bestDay: { date: string; netPnl: string } | null
  worstDay: { date: string; netPnl: string } | null
  /** The last `days` trading days, oldest first. */
  daily: DashboardDay[]
  /** Live open round trips, and how many of them have a mark (their instrument has candles). */
  openPositions: number
  markedPositions: number
  /** Σ unrealized P&L of the marked open positions (docs/metrics.md); null when none is marked. */
  unrealizedPnl: string | null
}

const decimal = z
  .string()
  .refine(isDecimal, { message: 'must be a decimal number, e.g. 500 or 2.5' })
const account = z.string().min(1)
const isoInstant = z.iso.datetime({ offset: true })

const setLimit = z
  .object({
    account,
    type: z.enum(RISK_LIMIT_TYPES),
    value: decimal.refine((text) => !text.trim().startsWith('-') && Number(text) > 0, {
      message: 'must be greater than 0',
    }),
    /** Default: 'count' for the counting types, else 'absolute'. */
    unit: z.enum(RISK_UNITS).optional(),
    warnAtPercent: z.number().int().min(1).max(99).nullable().optional(),
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((input, issues) => {
    const counts = COUNT_LIMIT_TYPES.includes(input.type)
    if (input.unit !== undefined && (input.unit === 'count') !== counts) {
      issues.addIssue({
        code: 'custom',
        path: ['unit'],
        message: counts
          ? `${input.type} counts trades: its unit is 'count'`
          : `${input.type} is an amount: its unit is 'absolute' or 'percent_of_equity'`,
      })
    }
    if (counts && !/^\d+$/.test(input.value.trim())) {
      issues.addIssue({ code: 'custom', path: ['value'], message: 'must be a whole number' })
    }
  })

export const riskInputSchemas = {
  'risk.list': z
    .object({
      account: account.optional(),
      events: z.number().int().min(0).max(100).default(20),
    })
    .strict(),
  'risk.setLimit': setLimit,
  'risk.removeLimit': z
    .object({
      id: z.string().min(1).optional(),
      account: account.optional(),
      type: z.enum(RISK_LIMIT_TYPES).optional(),
      unit: z.enum(RISK_UNITS).optional(),
    })
    .strict()
    .refine(
      (input) =>
        (input.id !== undefined) !== (input.account !== undefined && input.type !== undefined),
      { message: 'give either the limit id or its account and type' },
    ),
  'risk.events': z
    .object({
      account: account.optional(),
      severity: z.enum(['warning', 'breach']).optional(),
      unacknowledged: z.boolean().default(false),
      after: z
        .object({ occurredAt: isoInstant, id: z.string().min(1) })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'risk.acknowledge': z.object({ ids: z.array(z.string().min(1)).min(1).max(500) }).strict(),
  'stats.dashboard': z
    .object({
      account: account.optional(),
      /** How many of the last trading days the daily series holds. */
      days: z.number().int().min(0).max(366).default(30),
    })
    .strict(),
}

export interface RiskMethodResults {
  'risk.list': RiskOverview
  'risk.setLimit': { limit: RiskLimitView; created: boolean; newEvents: number }
  'risk.removeLimit': { id: string; removed: true }
  'risk.events': RiskEventPage
  'risk.acknowledge': { acknowledged: number }
  'stats.dashboard': DashboardView
}
