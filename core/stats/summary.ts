/**
 * Every figure of docs/metrics.md over trades in closing order. Per-trade amounts are exact
 * doubles and every sum is exact (stats/exact.ts); results are Fixed8 bigints, averages divided
 * half-even through core/decimal; ratios are numbers.
 */
import { divide, fromInteger, toNumber, type Fixed8 } from '../decimal'
import { excursion } from './excursion'
import { ExactSum, MAX_EXACT } from './exact'
import type {
  AccountCapital,
  CashFlow,
  DailyPoint,
  GroupMembership,
  Statistics,
  StatsOptions,
  TimeWeightedReturn,
  TradeColumns,
  TradeSequence,
  TradeTotals,
} from './types'
import { dayDate, localDayNumber } from './wall-clock'

const TRADING_DAYS_PER_YEAR = 252
const DAYS_PER_YEAR = 365
const DAY_MS = 86_400_000

/** Σ net per calendar date of `timezone`, dates with trades only, with equity and drawdown. */
export function columnDaily(
  sequence: Pick<TradeSequence, 'length' | 'closedAt' | 'netPnl'>,
  timezone: string,
): DailyPoint[] {
  const byDay = new Map<number, { trades: number; netPnl: ExactSum }>()
  let currentDay = NaN
  let current = { trades: 0, netPnl: new ExactSum() }
  for (let i = 0; i < sequence.length; i++) {
    const day = localDayNumber(sequence.closedAt[i] as number, timezone)
    if (day !== currentDay) {
      currentDay = day
      const known = byDay.get(day)
      current = known ?? { trades: 0, netPnl: new ExactSum() }
      if (known === undefined) byDay.set(day, current)
    }
    current.trades++
    current.netPnl.add(sequence.netPnl[i] as number)
  }
  const days = [...byDay.keys()].sort((a, b) => a - b)
  let equity = 0n
  let peak = 0n
  return days.map((day) => {
    const { trades, netPnl: sum } = byDay.get(day) as { trades: number; netPnl: ExactSum }
    const netPnl = sum.total
    equity += netPnl
    if (equity > peak) peak = equity
    return { date: dayDate(day), trades, netPnl, equity, drawdown: peak - equity }
  })
}

/** Statistics of trades held as columns in closing order. */
export function columnStats(columns: TradeColumns, options: StatsOptions): Statistics {
  return assembleStatistics(columnTotals(columns), columns, options)
}

/** The additive figures that come from net P&L and hold times alone. */
export type NetTotals = Pick<
  TradeTotals,
  | 'trades'
  | 'wins'
  | 'losses'
  | 'netPnl'
  | 'grossProfit'
  | 'grossLoss'
  | 'largestWin'
  | 'largestLoss'
  | 'holdMs'
  | 'holdWinnersMs'
  | 'holdLosersMs'
>

/** The additive figures of one set of trades, fed one trade at a time in closing order. */
class RunningTotals {
  private trades = 0
  private wins = 0
  private losses = 0
  private readonly net = new ExactSum()
  private readonly grossProfit = new ExactSum()
  private readonly grossLoss = new ExactSum()
  private largestWin = -Infinity
  private largestLoss = Infinity
  private holdMs = 0
  private holdWinnersMs = 0
  private holdLosersMs = 0
  private readonly gross = new ExactSum()
  private readonly fees = new ExactSum()
  private readonly riskedNet = new ExactSum()
  private readonly risked = new ExactSum()
  private rTrades = 0
  private rSum = 0
  private rSquares = 0
  private excursionTrades = 0
  private maeRSum = 0
  private mfeRSum = 0

  addNet(net: number, hold: number): void {
    this.trades++
    this.net.add(net)
    this.holdMs += hold
    if (net > this.largestWin) this.largestWin = net
    if (net < this.largestLoss) this.largestLoss = net
    if (net > 0) {
      this.wins++
      this.grossProfit.add(net)
      this.holdWinnersMs += hold
    } else if (net < 0) {
      this.losses++
      this.grossLoss.add(net)
      this.holdLosersMs += hold
    }
  }

  /** Gross and fees; R and excursions when the trade has an initial risk (NaN: unknown). */
  addRest(columns: TradeColumns, i: number, net: number): void {
    this.gross.add(columns.grossPnl[i] as number)
    this.fees.add(columns.fees[i] as number)
    const risk = columns.initialRisk[i] as number
    if (!(risk > 0)) return
    const r = net / risk
    this.rTrades++
    this.rSum += r
    this.rSquares += r * r
    this.riskedNet.add(net)
    this.risked.add(risk)
    const mae = columns.mae?.[i] ?? NaN
    const mfe = columns.mfe?.[i] ?? NaN
    const pointValue = columns.pointValue?.[i] ?? NaN
    if (!Number.isNaN(mae) && !Number.isNaN(mfe) && !Number.isNaN(pointValue)) {
      const inR = excursion(BigInt(mae), BigInt(mfe), BigInt(pointValue), BigInt(risk))
      this.excursionTrades++
      this.maeRSum += inR.maeR as number
      this.mfeRSum += inR.mfeR as number
    }
  }

  netTotals(): NetTotals {
    const none = this.trades === 0
    return {
      trades: this.trades,
      wins: this.wins,
      losses: this.losses,
      netPnl: this.net.total,
      grossProfit: this.grossProfit.total,
      grossLoss: this.grossLoss.total,
      largestWin: none ? null : BigInt(this.largestWin),
      largestLoss: none ? null : BigInt(this.largestLoss),
      holdMs: this.holdMs,
      holdWinnersMs: this.holdWinnersMs,
      holdLosersMs: this.holdLosersMs,
    }
  }

  totals(): TradeTotals {
    return {
      ...this.netTotals(),
      grossPnl: this.gross.total,
      fees: this.fees.total,
      rTrades: this.rTrades,
      rSum: this.rSum,
      rSquares: this.rSquares,
      riskedNet: this.riskedNet.total,
      risked: this.risked.total,
      excursionTrades: this.excursionTrades,
      maeRSum: this.maeRSum,
      mfeRSum: this.mfeRSum,
    }
  }
}

export function netTotals(
  columns: Pick<TradeColumns, 'length' | 'netPnl' | 'closedAt' | 'openedAt'>,
): NetTotals {
  const { netPnl, closedAt, openedAt } = columns
  const running = new RunningTotals()
  for (let i = 0; i < columns.length; i++) {
    running.addNet(netPnl[i] as number, (closedAt[i] as number) - (openedAt[i] as number))
  }
  return running.netTotals()
}

/** The additive figures, summed in JS (the service has SQL sum gross, fees and R). */
export function columnTotals(columns: TradeColumns): TradeTotals {
  const all: GroupMembership = {
    labels: [null],
    groups: new Int32Array(columns.length),
    rows: null,
  }
  return groupTotals(columns, all)[0] as TradeTotals
}

/**
 * The additive figures of every group in one pass over the trades: for each group, what
 * `columnTotals` gives over its trades alone, summed in the same (closing) order.
 */
export function groupTotals(columns: TradeColumns, membership: GroupMembership): TradeTotals[] {
  const { netPnl, closedAt, openedAt } = columns
  const { groups, rows } = membership
  const running = membership.labels.map(() => new RunningTotals())
  for (let k = 0; k < groups.length; k++) {
    const group = running[groups[k] as number] as RunningTotals
    const i = rows === null ? k : (rows[k] as number)
    const net = netPnl[i] as number
    group.addNet(net, (closedAt[i] as number) - (openedAt[i] as number))
    group.addRest(columns, i, net)
  }
  return running.map((group) => group.totals())
}

/** Every figure, from the additive totals and the trade sequence in closing order. */
export function assembleStatistics(
  totals: TradeTotals,
  sequence: TradeSequence,
  options: StatsOptions,
): Statistics {
  const { trades, wins, losses, grossProfit, grossLoss, rTrades } = totals
  const capital = positiveOrNull(options.startingBalance)
  const runs = sequenceFigures(sequence, capital)
  const daily = columnDaily(sequence, options.timezone)
  const dailyNet = daily.map((point) => point.netPnl)
  const ascending = [...dailyNet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const [var95, cvar95] = valueAtRisk(ascending, 95)
  const [var99, cvar99] = valueAtRisk(ascending, 99)
  const winRate = trades === 0 ? null : wins / trades
  const rDeviation = sampleDeviation(rTrades, totals.rSum, totals.rSquares)
  return {
    trades,
    wins,
    losses,
    breakeven: trades - wins - losses,
    winRate,
    netPnl: totals.netPnl,
    grossPnl: totals.grossPnl,
    fees: totals.fees,
    grossProfit,
    grossLoss,
    profitFactor: grossLoss === 0n ? null : Number(grossProfit) / Number(-grossLoss),
    expectancy: trades === 0 ? null : divide(totals.netPnl, fromInteger(trades)),
    avgWin: wins === 0 ? null : divide(grossProfit, fromInteger(wins)),
    avgLoss: losses === 0 ? null : divide(grossLoss, fromInteger(losses)),
    largestWin: totals.largestWin,
    largestLoss: totals.largestLoss,
    ...runs,
    tradingDays: daily.length,
    ...sharpeSortino(dailyNet),
    avgHoldMs: trades === 0 ? null : totals.holdMs / trades,
    avgHoldWinnersMs: wins === 0 ? null : totals.holdWinnersMs / wins,
    avgHoldLosersMs: losses === 0 ? null : totals.holdLosersMs / losses,
    rTrades,
    avgR: rTrades === 0 ? null : totals.rSum / rTrades,
    expectancyR: totals.risked === 0n ? null : Number(totals.riskedNet) / Number(totals.risked),
    sqn:
      rDeviation === null || rDeviation === 0
        ? null
        : (Math.sqrt(rTrades) * (totals.rSum / rTrades)) / rDeviation,
    kelly:
      winRate === null || wins === 0 || losses === 0
        ? null
        : winRate - (1 - winRate) / (Number(grossProfit) / wins / (Number(-grossLoss) / losses)),
    var95,
    cvar95,
    var99,
    cvar99,
    calmar: calmar(daily, totals.netPnl, runs.maxDrawdownPct, capital),
    longestDrawdownDays: longestDrawdownDays(daily),
    excursionTrades: totals.excursionTrades,
    avgMaeR: totals.excursionTrades === 0 ? null : totals.maeRSum / totals.excursionTrades,
    avgMfeR: totals.excursionTrades === 0 ? null : totals.mfeRSum / totals.excursionTrades,
    timeWeightedReturns: timeWeightedReturns(sequence, options.accounts ?? []),
  }
}

/**
 * Standard deviation with n − 1 from Σx and Σx²; null under two values. A variance within
 * rounding noise of zero (all values equal, summed as floats) is zero.
 */
function sampleDeviation(count: number, sum: number, squares: number): number | null {
  if (count < 2) return null
  const variance = (squares - (sum * sum) / count) / (count - 1)
  return variance <= (squares / count) * 1e-12 ? 0 : Math.sqrt(variance)
}

/** Drawdown and runs: the figures that depend on the order of the trades. */
function sequenceFigures(sequence: TradeSequence, capital: Fixed8 | null) {
  const { length, netPnl } = sequence
  let winRun = 0
  let lossRun = 0
  let maxConsecutiveWins = 0
  let maxConsecutiveLosses = 0
  for (let i = 0; i < length; i++) {
    const net = netPnl[i] as number
    if (net > 0) {
      lossRun = 0
      if (++winRun > maxConsecutiveWins) maxConsecutiveWins = winRun
    } else if (net < 0) {
      winRun = 0
      if (++lossRun > maxConsecutiveLosses) maxConsecutiveLosses = lossRun
    } else {
      winRun = 0
      lossRun = 0
    }
  }
  return {
    ...(drawdownInDoubles(netPnl, length, capital) ?? drawdownInBigints(netPnl, length, capital)),
    maxConsecutiveWins,
    maxConsecutiveLosses,
  }
}

interface Drawdown {
  maxDrawdown: Fixed8
  maxDrawdownPct: number | null
}

/**
 * maxDrawdown = max over k of (peak_k − equity_k), peak_k = max(0, equity_1 … equity_k); the %
 * is of capital + peak_k. Exact while equity and its peak stay within ±2^52 (every step then
 * adds two exact doubles): null when they do not, and the bigint version runs instead.
 */
function drawdownInDoubles(
  netPnl: TradeSequence['netPnl'],
  length: number,
  capital: Fixed8 | null,
): Drawdown | null {
  const base = capital === null ? 0 : Number(capital)
  let equity = 0
  let peak = 0
  let maxDrawdown = 0
  let maxDrawdownPct = 0
  for (let i = 0; i < length; i++) {
    equity += netPnl[i] as number
    if (equity > MAX_EXACT || equity < -MAX_EXACT) return null
    if (equity > peak) peak = equity
    const drawdown = peak - equity
    if (drawdown > maxDrawdown) maxDrawdown = drawdown
    if (capital !== null && drawdown > 0) {
      const pct = (drawdown / (base + peak)) * 100
      if (pct > maxDrawdownPct) maxDrawdownPct = pct
    }
  }
  return {
    maxDrawdown: BigInt(maxDrawdown),
    maxDrawdownPct: capital === null ? null : maxDrawdownPct,
  }
}

function drawdownInBigints(
  netPnl: TradeSequence['netPnl'],
  length: number,
  capital: Fixed8 | null,
): Drawdown {
  let equity = 0n
  let peak = 0n
  let maxDrawdown = 0n
  let maxDrawdownPct = 0
  for (let i = 0; i < length; i++) {
    equity += BigInt(netPnl[i] as number)
    if (equity > peak) peak = equity
    const drawdown = peak - equity
    if (drawdown > maxDrawdown) maxDrawdown = drawdown
    if (capital !== null && drawdown > 0n) {
      const pct = (Number(drawdown) / Number(capital + peak)) * 100
      if (pct > maxDrawdownPct) maxDrawdownPct = pct
    }
  }
  return { maxDrawdown, maxDrawdownPct: capital === null ? null : maxDrawdownPct }
}

function positiveOrNull(value: Fixed8 | null | undefined): Fixed8 | null {
  return value === null || value === undefined || value <= 0n ? null : value
}

/** Annualised with √252; null when undefined (see docs/metrics.md). */
function sharpeSortino(daily: readonly Fixed8[]): {
  sharpe: number | null
  sortino: number | null
} {
  const n = daily.length
  if (n === 0) return { sharpe: null, sortino: null }
  const values = daily.map(toNumber)
  const mean = values.reduce((total, value) => total + value, 0) / n
  let squares = 0
  let downsideSquares = 0
  for (const value of values) {
    squares += (value - mean) ** 2
    if (value < 0) downsideSquares += value * value
  }
  // Equal days have zero deviation exactly; the doubles' rounding would leave a tiny one.
  const constant = daily.every((day) => day === daily[0])
  const deviation = n < 2 || constant ? null : Math.sqrt(squares / (n - 1))
  const annualise = Math.sqrt(TRADING_DAYS_PER_YEAR)
  return {
    sharpe: deviation === null || deviation === 0 ? null : (mean / deviation) * annualise,
    sortino: downsideSquares === 0 ? null : (mean / Math.sqrt(downsideSquares / n)) * annualise,
  }
}

/**
 * Historical VaR and CVaR at `level` % of the daily P&L, as loss amounts: with the n daily
 * values ascending d₁ ≤ … ≤ dₙ and k = ⌈n × (100 − level) / 100⌉, VaR = −dₖ and
 * CVaR = −(d₁ + … + dₖ) / k. Null without days.
 */
function valueAtRisk(ascending: readonly Fixed8[], level: 95 | 99): [Fixed8 | null, Fixed8 | null] {
  const n = ascending.length
  if (n === 0) return [null, null]
  const k = Math.ceil((n * (100 - level)) / 100)
  let tail = 0n
  for (let i = 0; i < k; i++) tail += ascending[i] as Fixed8
  return [-(ascending[k - 1] as Fixed8), -divide(tail, fromInteger(k))]
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS
}

/**
 * Annualised return ÷ max drawdown %. Return = netPnl / capital over the calendar days
 * from the first to the last trading day inclusive, compounded to 365 days.
 */
function calmar(
  daily: readonly DailyPoint[],
  netPnl: Fixed8,
  maxDrawdownPct: number | null,
  capital: Fixed8 | null,
): number | null {
  const first = daily[0]
  const last = daily[daily.length - 1]
  if (capital === null || !first || !last || maxDrawdownPct === null || maxDrawdownPct === 0) {
    return null
  }
  const growth = 1 + Number(netPnl) / Number(capital)
  if (growth <= 0) return null
  const days = daysBetween(first.date, last.date) + 1
  const annualReturn = growth ** (DAYS_PER_YEAR / days) - 1
  return annualReturn / (maxDrawdownPct / 100)
}

/**
 * Longest stretch below a previous high of the daily equity (the high starts at 0): calendar
 * days from the last day at the high (or the first day, if the series starts below it) to the
 * first day back at or above it, or to the last day when it has not recovered.
 */
function longestDrawdownDays(daily: readonly DailyPoint[]): number {
  let longest = 0
  let peak = 0n
  let peakDate: string | null = null
  let start: string | null = null
  for (const point of daily) {
    if (point.equity >= peak) {
      if (start !== null) longest = Math.max(longest, daysBetween(start, point.date))
      start = null
      peak = point.equity
      peakDate = point.date
    } else if (start === null) {
      start = peakDate ?? point.date
    }
  }
  const last = daily[daily.length - 1]
  if (start !== null && last) longest = Math.max(longest, daysBetween(start, last.date))
  return longest
}

/**
 * Time-weighted return of each account with trades in the set: the account's value moves with
 * the net of its closed trades and with every cash flow; each deposit or withdrawal ends a
 * sub-period (value just before it ÷ value at the sub-period's start) and starts the next one
 * after it. Flows count before trades closed at the same instant. The chained product − 1, in %.
 */
function timeWeightedReturns(
  sequence: TradeSequence,
  accounts: readonly AccountCapital[],
): TimeWeightedReturn[] {
  if (accounts.length === 0) return []
  const values = new Map(accounts.map((account) => [account.accountId, new AccountValue(account)]))
  let lastId: string | undefined
  let last: AccountValue | undefined
  for (let i = 0; i < sequence.length; i++) {
    const id = sequence.accountId[i] as string
    if (id !== lastId) {
      lastId = id
      last = values.get(id)
    }
    last?.trade(sequence.closedAt[i] as number, sequence.netPnl[i] as number)
  }
  return [...values.values()]
    .filter((account) => account.traded)
    .map((account) => ({ accountId: account.accountId, twrPct: account.finish() }))
}

/** One account's value through the period, for its time-weighted return. */
class AccountValue {
  readonly accountId: string
  traded = false
  private readonly flows: CashFlow[]
  private next = 0
  /** The value at the start of the current sub-period, and Σ of every change since. */
  private periodStart: Fixed8
  private change = new ExactSum()
  private growth = 1
  private defined = true

  constructor(capital: AccountCapital) {
    this.accountId = capital.accountId
    this.flows = [...capital.cashFlows].sort((a, b) => a.at - b.at)
    this.periodStart = capital.startValue
  }

  trade(closedAt: number, net: number): void {
    if (this.next < this.flows.length) this.applyFlowsUntil(closedAt)
    this.change.add(net)
    this.traded = true
  }

  /** The chained return in %, or null when a sub-period started at or below zero. */
  finish(): number | null {
    this.applyFlowsUntil(Infinity)
    this.closePeriod()
    return this.defined ? (this.growth - 1) * 100 : null
  }

  private applyFlowsUntil(instant: number): void {
    for (
      let flow = this.flows[this.next];
      flow && flow.at <= instant;
      flow = this.flows[++this.next]
    ) {
      if (flow.external) {
        const end = this.closePeriod()
        this.periodStart = end + flow.amount
        this.change = new ExactSum()
      } else this.change.addFixed8(flow.amount)
    }
  }

  /**
   * Chains the sub-period's return and gives its end value. A sub-period that starts and ends
   * at 0 (no money yet) changes nothing.
   */
  private closePeriod(): Fixed8 {
    const end = this.periodStart + this.change.total
    if (this.periodStart === 0n && end === 0n) return end
    if (this.periodStart <= 0n) this.defined = false
    else this.growth *= Number(end) / Number(this.periodStart)
    return end
  }
}
