/**
 * The statistics' part of the contract (issue #4 §1; docs/metrics.md defines every figure).
 * Amounts cross as decimal strings, ratios as numbers, undefined figures as null.
 */
import { z } from 'zod'
import { GROUP_KEYS, type GroupKey } from '../core/stats/types'
import { isTimeZone } from '../core/time'

export interface TimeWeightedReturnView {
  account: string
  twrPct: number | null
}

/** Field order is the order `blotter stats --json` prints. */
export interface StatisticsView {
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
  avgWin: string | null
  avgLoss: string | null
  largestWin: string | null
  largestLoss: string | null
  maxDrawdown: string
  maxConsecutiveWins: number
  maxConsecutiveLosses: number
  sharpe: number | null
  sortino: number | null
  maxDrawdownPct: number | null
  tradingDays: number
  avgHoldMs: number | null
  avgHoldWinnersMs: number | null
  avgHoldLosersMs: number | null
  rTrades: number
  avgR: number | null
  expectancyR: number | null
  sqn: number | null
  kelly: number | null
  var95: string | null
  cvar95: string | null
  var99: string | null
  cvar99: string | null
  calmar: number | null
  longestDrawdownDays: number
  excursionTrades: number
  avgMaeR: number | null
  avgMfeR: number | null
  timeWeightedReturns: TimeWeightedReturnView[]
}

export type GroupStatisticsView = { key: string | null } & StatisticsView & { thin: boolean }

export interface StatsGroupsView {
  groupBy: GroupKey
  groups: GroupStatisticsView[]
}

export interface DailyPointView {
  date: string
  trades: number
  netPnl: string
  equity: string
  drawdown: string
}

/** `trades.excursion`: a closed trade's MAE and MFE from stored candles (docs/metrics.md). */
export interface TradeExcursionView {
  id: string
  /** The finest stored timeframe of the instrument; null when it has no candles. */
  timeframe: string | null
  /** Candles the trade was held through (0: none stored for its holding span). */
  candles: number
  /** Worst price move against the trade from its entry price (≥ 0); null without candles. */
  maePrice: string | null
  /** Best price move for the trade from its entry price (≥ 0); null without candles. */
  mfePrice: string | null
  /** −maePrice × quantity × multiplier / initial risk (≤ 0); null without candles or risk. */
  maeR: number | null
  /** mfePrice × quantity × multiplier / initial risk (≥ 0); null without candles or risk. */
  mfeR: number | null
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

function isCalendarDate(text: string): boolean {
  const match = DATE_RE.exec(text)
  if (!match) return false
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

const isoInstant = z.iso.datetime({ offset: true })

/** A calendar date (YYYY-MM-DD) or an ISO 8601 time with its offset. */
export function isDateOrInstant(text: string): boolean {
  return isCalendarDate(text) || isoInstant.safeParse(text).success
}

/**
 * A calendar date in the zone (`to` includes that whole day) or an ISO instant with offset. One
 * refinement, not a union: a union's error says only "Invalid input".
 */
export const dateOrInstant = z
  .string()
  .refine(isDateOrInstant, 'must be a calendar date YYYY-MM-DD or an ISO 8601 time with offset')

const filterFields = {
  /** Account name. */
  account: z.string().min(1).optional(),
  /** Symbol, or the underlying of options and futures. */
  symbol: z.string().min(1).optional(),
  assetClass: z.string().min(1).optional(),
  /** Strategy name or id. */
  strategy: z.string().min(1).optional(),
  /** Tag name (case-insensitive). */
  tag: z.string().min(1).optional(),
  side: z.enum(['long', 'short']).optional(),
  /** Closed on or after (dates in the zone). */
  from: dateOrInstant.optional(),
  /** Closed before this instant, or on or before this date. */
  to: dateOrInstant.optional(),
  /** Zone of dates, days, weekdays and hours; default the setting journal.timezone. */
  tz: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. America/New_York').optional(),
}

export const statsFilterSchema = z.object(filterFields).strict()
export type StatsFilter = z.output<typeof statsFilterSchema>

export const statsInputSchemas = {
  'stats.summary': statsFilterSchema,
  'stats.groups': z.object({ ...filterFields, groupBy: z.enum(GROUP_KEYS) }).strict(),
  'stats.daily': statsFilterSchema,
  'trades.excursion': z.object({ id: z.string().min(1) }).strict(),
}

export interface StatsMethodResults {
  'stats.summary': StatisticsView
  'stats.groups': StatsGroupsView
  /** One point per trading day, so bounded by the calendar (≈ 252 a year): not paged. */
  'stats.daily': DailyPointView[]
  'trades.excursion': TradeExcursionView
}
