/**
 * The dashboard's headline figures, read only from the daily aggregates (one row per day and
 * account, kept by db/queries/daily-aggregates.ts), so they cost the same with 10^6 trades as
 * with 10; and the unrealized P&L of the open positions, marked to their latest candle close.
 */
import type { DashboardView, ParsedInput } from '../contract'
import { formatDecimal, type Fixed8 } from '../core/decimal'
import { readHeadline, readLastDays } from '../db/queries/daily-aggregates'
import type { ServiceContext } from './context'
import { unrealizedTotal } from './mark-to-market'
import { resolveAccount } from './risk'

const decimalOrNull = (value: Fixed8 | null) => (value === null ? null : formatDecimal(value))

export function dashboard(
  ctx: ServiceContext,
  input: ParsedInput<'stats.dashboard'>,
): DashboardView {
  const sqlite = ctx.journal.sqlite
  // One snapshot: an import committing between the reads would mix two states of the journal.
  return sqlite.transaction(() => dashboardOf(sqlite, input)).deferred()
}

function dashboardOf(
  sqlite: ServiceContext['journal']['sqlite'],
  input: ParsedInput<'stats.dashboard'>,
): DashboardView {
  const account = input.account ? resolveAccount(sqlite, input.account) : null
  const figures = readHeadline(sqlite, account?.id ?? null)
  const open = unrealizedTotal(sqlite, account?.id ?? null)
  return {
    account: account?.name ?? null,
    trades: figures.trades,
    wins: figures.wins,
    losses: figures.losses,
    breakeven: figures.breakeven,
    // Ratios as stats.summary computes them (full doubles), not the 8-place Fixed8 the
    // aggregates store: the same scope gives the same figure on both.
    winRate: figures.trades === 0 ? null : figures.wins / figures.trades,
    netPnl: formatDecimal(figures.netPnl),
    grossPnl: formatDecimal(figures.grossPnl),
    fees: formatDecimal(figures.fees),
    grossProfit: formatDecimal(figures.grossProfit),
    grossLoss: formatDecimal(figures.grossLoss),
    profitFactor:
      figures.grossLoss === 0n ? null : Number(figures.grossProfit) / Number(-figures.grossLoss),
    expectancy: decimalOrNull(figures.expectancy),
    largestWin: decimalOrNull(figures.largestWin),
    largestLoss: decimalOrNull(figures.largestLoss),
    maxDrawdown: formatDecimal(figures.maxDrawdown),
    tradingDays: figures.tradingDays,
    bestDay: figures.bestDay && {
      date: figures.bestDay.date,
      netPnl: formatDecimal(figures.bestDay.net),
    },
    worstDay: figures.worstDay && {
      date: figures.worstDay.date,
      netPnl: formatDecimal(figures.worstDay.net),
    },
    daily: readLastDays(sqlite, account?.id ?? null, input.days).map((day) => ({
      date: day.date,
      trades: day.trades,
      netPnl: formatDecimal(day.net),
      cumulative: formatDecimal(day.cumulative),
    })),
    openPositions: open.openPositions,
    markedPositions: open.markedPositions,
    unrealizedPnl: decimalOrNull(open.unrealizedPnl),
  }
}
