/** MAE and MFE of one trade, in price and in R. */
import type { Fixed8 } from '../decimal'
import type { Excursion } from './types'

export interface PriceBar {
  high: Fixed8
  low: Fixed8
}

/** A candle's open time (epoch ms) with its high and low. */
export interface TimedBar extends PriceBar {
  time: number
}

/** The open times of the first and the last candle a trade was held through (inclusive). */
export interface HoldingWindow {
  first: number
  last: number
}

/** Highest high and lowest low of the candles in a window, and how many there were. */
export interface WindowExtremes extends PriceBar {
  candles: number
}

/**
 * Highest high and lowest low of each window, in one pass over `bars` in time order: windows
 * (sorted by `first`) join the active set as the bars reach them and leave it once past their
 * `last`, so each bar updates only the trades held through it. Null for a window without bars.
 * Stops reading `bars` as soon as every window is done.
 */
export function windowExtremes(
  windows: readonly HoldingWindow[],
  bars: Iterable<TimedBar>,
): (WindowExtremes | null)[] {
  const extremes: (WindowExtremes | null)[] = windows.map(() => null)
  const active: number[] = []
  let next = 0
  for (const bar of bars) {
    while (next < windows.length && (windows[next] as HoldingWindow).first <= bar.time) {
      active.push(next++)
    }
    // Compacted in place: a bar per minute of history must not allocate an array each.
    let kept = 0
    for (const i of active) {
      if ((windows[i] as HoldingWindow).last < bar.time) continue
      active[kept++] = i
      const seen = extremes[i]
      if (seen === null || seen === undefined) {
        extremes[i] = { high: bar.high, low: bar.low, candles: 1 }
        continue
      }
      if (bar.high > seen.high) seen.high = bar.high
      if (bar.low < seen.low) seen.low = bar.low
      seen.candles++
    }
    active.length = kept
    if (next === windows.length && kept === 0) break
  }
  return extremes
}

/**
 * MAE/MFE price distances of a trade from the bars (candles) it was open through: a long's
 * adverse move is entry − lowest low, its favourable move highest high − entry; a short's the
 * other way round. Neither is below 0. Null without bars.
 */
export function excursionFromCandles(
  side: 'long' | 'short',
  entryPrice: Fixed8,
  bars: readonly PriceBar[],
): { mae: Fixed8; mfe: Fixed8 } | null {
  const first = bars[0]
  if (first === undefined) return null
  let high = first.high
  let low = first.low
  for (const bar of bars) {
    if (bar.high > high) high = bar.high
    if (bar.low < low) low = bar.low
  }
  const nonNegative = (value: Fixed8) => (value > 0n ? value : 0n)
  return side === 'long'
    ? { mae: nonNegative(entryPrice - low), mfe: nonNegative(high - entryPrice) }
    : { mae: nonNegative(high - entryPrice), mfe: nonNegative(entryPrice - low) }
}

/** MAE/MFE in price and in R (excursion amount over the initial risk). */
export function excursion(
  mae: Fixed8,
  mfe: Fixed8,
  pointValue: Fixed8 | null,
  initialRisk: Fixed8 | null,
): Excursion {
  const inR = (price: Fixed8) =>
    pointValue === null || initialRisk === null || initialRisk <= 0n
      ? null
      : (Number(price) * Number(pointValue)) / 1e8 / Number(initialRisk)
  const maeR = inR(mae)
  // 0 − x, not −x: an excursion of 0 is +0 R, not −0.
  return { maePrice: mae, mfePrice: mfe, maeR: maeR === null ? null : 0 - maeR, mfeR: inR(mfe) }
}
