/** MAE and MFE of one trade, in price and in R. */
import type { Fixed8 } from '../decimal'
import type { Excursion } from './types'

export interface PriceBar {
  high: Fixed8
  low: Fixed8
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
