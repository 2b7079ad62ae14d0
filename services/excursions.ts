/**
 * MAE and MFE of closed trades from stored candles (docs/metrics.md, "MAE / MFE"): per
 * instrument, the finest stored timeframe's candles are read once, in time order, and swept
 * with the instrument's trades sorted by opening time (core/stats windowExtremes).
 */
import type { ParsedInput, TradeExcursionView } from '../contract'
import {
  CANDLE_TIMEFRAMES,
  defaultSession,
  TradingCalendar,
  type CandleTimeframe,
} from '../core/candles'
import { formatDecimal, multiply, type Fixed8 } from '../core/decimal'
import {
  excursion,
  excursionFromCandles,
  windowExtremes,
  type Excursion,
  type HoldingWindow,
} from '../core/stats'
import { iterateCandles, storedTimeframes } from '../db/queries/market-data'
import {
  instrumentsWithCandles,
  readExcursionTrade,
  readExcursionTrades,
  type ExcursionTradeRow,
  type TradeScope,
} from '../db/queries/stats-reads'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { settingValue } from './settings'

export interface TradeExcursion extends Excursion {
  /** P&L per 1.0 of price: quantity × multiplier. */
  pointValue: Fixed8
  initialRisk: Fixed8 | null
  timeframe: CandleTimeframe
  candles: number
}

/**
 * The candles a trade covers: those whose span [t, t + length) shares an instant with the
 * holding span [opened_at, closed_at), a trade opened and closed at once counting as held for
 * 1 ms. So: open times from the candle containing opened_at to the one containing
 * closed_at − 1 ms; a candle opening exactly at closed_at is after the exit.
 */
function holdingWindow(
  calendar: TradingCalendar,
  timeframe: CandleTimeframe,
  trade: ExcursionTradeRow,
): HoldingWindow {
  const openedAt = Number(trade.openedAt)
  const lastHeld = Math.max(openedAt, Number(trade.closedAt) - 1)
  return {
    first: calendar.bucketStart(openedAt, timeframe),
    last: calendar.bucketStart(lastHeld, timeframe),
  }
}

/** MAE/MFE of `trades` (all of one instrument, sorted by opening time); absent: no candles. */
function instrumentExcursions(
  ctx: ServiceContext,
  instrument: { id: string; assetClass: string; exchange: string | null },
  trades: readonly ExcursionTradeRow[],
  into: Map<string, TradeExcursion>,
): void {
  const sqlite = ctx.journal.sqlite
  const timeframe = storedTimeframes(sqlite, instrument.id, CANDLE_TIMEFRAMES)[0]
  if (timeframe === undefined || trades.length === 0) return
  // Daily and weekly candles are stamped by the instrument's trading calendar, as on import.
  const calendar = new TradingCalendar(
    defaultSession(instrument, settingValue(ctx, 'journal.timezone')),
  )
  const windows = trades.map((trade) => holdingWindow(calendar, timeframe, trade))
  const lastOpen = windows.reduce((latest, window) => Math.max(latest, window.last), -Infinity)
  const bars = iterateCandles(sqlite, {
    instrumentId: instrument.id,
    timeframe,
    from: (windows[0] as HoldingWindow).first,
    to: lastOpen + 1,
    source: null,
  })
  const extremes = windowExtremes(windows, bars)
  trades.forEach((trade, i) => {
    const range = extremes[i]
    if (range === null || range === undefined) return
    const prices = excursionFromCandles(trade.side, trade.entryPrice, [range]) as {
      mae: Fixed8
      mfe: Fixed8
    }
    const pointValue = multiply(trade.quantity, trade.multiplier)
    into.set(trade.id, {
      ...excursion(prices.mae, prices.mfe, pointValue, trade.initialRisk),
      pointValue,
      initialRisk: trade.initialRisk,
      timeframe,
      candles: range.candles,
    })
  })
}

function instrumentOf(ctx: ServiceContext, id: string) {
  return ctx.journal.sqlite
    .prepare(`SELECT id, asset_class AS assetClass, exchange FROM instruments WHERE id = ?`)
    .get(id) as { id: string; assetClass: string; exchange: string | null }
}

/**
 * MAE/MFE of every matching trade whose instrument has candles, by position id. A journal
 * without candles costs one index probe.
 */
export function scopeExcursions(
  ctx: ServiceContext,
  scope: TradeScope,
): Map<string, TradeExcursion> {
  const sqlite = ctx.journal.sqlite
  const excursions = new Map<string, TradeExcursion>()
  const instruments = instrumentsWithCandles(sqlite, scope)
  if (instruments.length === 0) return excursions
  const trades = readExcursionTrades(sqlite, scope, instruments)
  let start = 0
  while (start < trades.length) {
    const instrumentId = (trades[start] as ExcursionTradeRow).instrumentId
    let end = start
    while (
      end < trades.length &&
      (trades[end] as ExcursionTradeRow).instrumentId === instrumentId
    ) {
      end++
    }
    instrumentExcursions(ctx, instrumentOf(ctx, instrumentId), trades.slice(start, end), excursions)
    start = end
  }
  return excursions
}

/** The excursion totals of docs/metrics.md: trades with MAE, MFE and R, and their R sums. */
export function excursionTotals(excursions: Iterable<TradeExcursion>): {
  excursionTrades: number
  maeRSum: number
  mfeRSum: number
} {
  let excursionTrades = 0
  let maeRSum = 0
  let mfeRSum = 0
  for (const trade of excursions) {
    if (trade.maeR === null || trade.mfeR === null) continue
    excursionTrades++
    maeRSum += trade.maeR
    mfeRSum += trade.mfeR
  }
  return { excursionTrades, maeRSum, mfeRSum }
}

/** `trades.excursion`: one closed trade's MAE and MFE; nulls when its instrument has no candles. */
export function tradeExcursion(
  ctx: ServiceContext,
  input: ParsedInput<'trades.excursion'>,
): TradeExcursionView {
  const sqlite = ctx.journal.sqlite
  return sqlite
    .transaction(() => {
      const trade = readExcursionTrade(sqlite, input.id)
      if (trade === undefined) {
        throw new AppError('not_found', `No closed trade with id "${input.id}"`)
      }
      const found = new Map<string, TradeExcursion>()
      instrumentExcursions(ctx, instrumentOf(ctx, trade.instrumentId), [trade], found)
      const result = found.get(trade.id)
      return {
        id: trade.id,
        timeframe: result?.timeframe ?? null,
        candles: result?.candles ?? 0,
        maePrice: result === undefined ? null : formatDecimal(result.maePrice),
        mfePrice: result === undefined ? null : formatDecimal(result.mfePrice),
        maeR: result?.maeR ?? null,
        mfeR: result?.mfeR ?? null,
      }
    })
    .deferred()
}
