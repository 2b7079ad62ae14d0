/**
 * The statistics' data shapes: the trades they read (one object per trade, or the same data as
 * columns in closing order) and the figures they produce. docs/metrics.md defines every figure.
 */
import type { Fixed8 } from '../decimal'

/** One closed round trip, as the statistics see it. */
export interface StatTrade {
  id: string
  accountId: string
  symbol: string
  assetClass: string
  side: 'long' | 'short'
  strategyId: string | null
  /** Tag names; a trade with several tags counts in each tag group. */
  tags: readonly string[]
  openedAt: number
  closedAt: number
  grossPnl: Fixed8
  fees: Fixed8
  netPnl: Fixed8
  /** Amount at risk at entry (> 0); null when neither a stop nor a default risk is known. */
  initialRisk: Fixed8 | null
  /** Maximum adverse excursion: the worst price move against the trade from entry (≥ 0). */
  mae?: Fixed8 | null
  /** Maximum favourable excursion: the best price move for the trade from entry (≥ 0). */
  mfe?: Fixed8 | null
  /** P&L per 1.0 of price (quantity × multiplier), to turn MAE/MFE into amounts and R. */
  pointValue?: Fixed8 | null
}

/**
 * A numeric column: epoch ms, or Fixed8 amounts held exactly in doubles (the integer
 * value × 10^8, |v| ≤ 2^52: see stats/exact.ts), NaN where an amount is unknown.
 */
export type NumberColumn = readonly number[] | Float64Array

/**
 * The same trades as columns, already in closing order (closedAt, then openedAt, then id): what
 * the service builds from one SQL result without an object per trade. Every array has `length`
 * entries. The attribute columns are optional: only the group key that reads one needs it.
 */
export interface TradeColumns {
  length: number
  closedAt: NumberColumn
  openedAt: NumberColumn
  netPnl: NumberColumn
  grossPnl: NumberColumn
  fees: NumberColumn
  /** NaN where unknown. */
  initialRisk: NumberColumn
  accountId: readonly string[]
  symbol?: readonly string[]
  assetClass?: readonly string[]
  side?: readonly ('long' | 'short')[]
  strategyId?: readonly (string | null)[]
  tags?: readonly (readonly string[])[]
  /** NaN where unknown. */
  mae?: NumberColumn
  mfe?: NumberColumn
  pointValue?: NumberColumn
}

/**
 * The additive figures of a set of trades: what SQL can sum in one pass, and what
 * `columnTotals` sums in JS from the same definitions. Hold times in ms; R = net ÷ initial risk
 * over the trades with an initial risk, as numbers.
 */
export interface TradeTotals {
  trades: number
  wins: number
  losses: number
  netPnl: Fixed8
  grossPnl: Fixed8
  fees: Fixed8
  grossProfit: Fixed8
  grossLoss: Fixed8
  largestWin: Fixed8 | null
  largestLoss: Fixed8 | null
  holdMs: number
  holdWinnersMs: number
  holdLosersMs: number
  rTrades: number
  rSum: number
  rSquares: number
  /** Σ net and Σ initial risk of the trades with an initial risk. */
  riskedNet: Fixed8
  risked: Fixed8
  excursionTrades: number
  maeRSum: number
  mfeRSum: number
}

/** What the trade-sequence figures (drawdown, runs, days, TWR) read, in closing order. */
export type TradeSequence = Pick<TradeColumns, 'length' | 'closedAt' | 'netPnl' | 'accountId'>

/** A cash movement of an account (cash_transactions). */
export interface CashFlow {
  at: number
  /** Signed: positive adds to the account. */
  amount: Fixed8
  /** Deposits and withdrawals are external flows; dividends, interest, fees, adjustments are return. */
  external: boolean
}

/** What the time-weighted return of one account starts from. */
export interface AccountCapital {
  accountId: string
  /** Account value at the start of the period. */
  startValue: Fixed8
  /** Cash movements inside the period, any order. */
  cashFlows: readonly CashFlow[]
}

export interface StatsOptions {
  /** IANA zone deciding calendar days, weekdays, hours and months. */
  timezone: string
  /** Capital drawdown % and Calmar are measured against; null or ≤ 0: those figures are null. */
  startingBalance?: Fixed8 | null
  /** Accounts whose time-weighted return is reported (those with trades in the set). */
  accounts?: readonly AccountCapital[]
}

export interface TimeWeightedReturn {
  accountId: string
  /** Chained sub-period returns in percent; null when a sub-period starts at or below zero. */
  twrPct: number | null
}

export interface Statistics {
  trades: number
  wins: number
  losses: number
  breakeven: number
  winRate: number | null
  netPnl: Fixed8
  grossPnl: Fixed8
  fees: Fixed8
  grossProfit: Fixed8
  grossLoss: Fixed8
  profitFactor: number | null
  expectancy: Fixed8 | null
  avgWin: Fixed8 | null
  avgLoss: Fixed8 | null
  largestWin: Fixed8 | null
  largestLoss: Fixed8 | null
  maxDrawdown: Fixed8
  /** Largest drawdown in percent of the capital at its peak; null without a starting balance. */
  maxDrawdownPct: number | null
  maxConsecutiveWins: number
  maxConsecutiveLosses: number
  /** Calendar days (in the zone) with at least one closed trade. */
  tradingDays: number
  sharpe: number | null
  sortino: number | null
  avgHoldMs: number | null
  avgHoldWinnersMs: number | null
  avgHoldLosersMs: number | null
  /** Trades with a known initial risk: the sample of every R figure. */
  rTrades: number
  avgR: number | null
  expectancyR: number | null
  sqn: number | null
  kelly: number | null
  /** Historical VaR/CVaR of daily P&L, as loss amounts (positive = a loss). */
  var95: Fixed8 | null
  cvar95: Fixed8 | null
  var99: Fixed8 | null
  cvar99: Fixed8 | null
  calmar: number | null
  /** Longest drawdown on the daily series, calendar days from its peak day to recovery. */
  longestDrawdownDays: number
  /** Trades with MAE, MFE, point value and initial risk: the sample of avgMaeR and avgMfeR. */
  excursionTrades: number
  avgMaeR: number | null
  avgMfeR: number | null
  timeWeightedReturns: TimeWeightedReturn[]
}

export interface DailyPoint {
  /** 'YYYY-MM-DD' in the zone. */
  date: string
  trades: number
  netPnl: Fixed8
  /** Cumulative net P&L at the end of the day. */
  equity: Fixed8
  /** max(0, highest equity so far) − equity: never negative. */
  drawdown: Fixed8
}

export const GROUP_KEYS = [
  'symbol',
  'asset-class',
  'strategy',
  'tag',
  'account',
  'side',
  'weekday',
  'hour',
  'month',
  'hold-time',
  'r-bucket',
] as const
export type GroupKey = (typeof GROUP_KEYS)[number]

/** Which groups each trade is in. */
export interface GroupMembership {
  /** Each group's key (null: none); no two groups share one. */
  labels: readonly (string | null)[]
  /** Membership k puts trade `rows[k]` (trade k itself when `rows` is null) in `groups[k]`. */
  groups: Int32Array
  rows: Int32Array | null
}

/** Groups under this many trades are flagged thin. */
export const THIN_GROUP = 30

export interface GroupStatistics extends Statistics {
  /** The group's value (symbol, strategy id, weekday, bucket label, ...); null = none. */
  key: string | null
  thin: boolean
}

export interface GroupedStatistics {
  groupBy: GroupKey
  groups: GroupStatistics[]
}

export interface Excursion {
  /** Worst price move against the trade from entry (≥ 0). */
  maePrice: Fixed8
  /** Best price move for the trade from entry (≥ 0). */
  mfePrice: Fixed8
  /** −maePrice × pointValue / initialRisk (≤ 0); null without point value or initial risk. */
  maeR: number | null
  /** mfePrice × pointValue / initialRisk (≥ 0); null without point value or initial risk. */
  mfeR: number | null
}
