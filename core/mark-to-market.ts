/**
 * Unrealized P&L of an open position, marked to a price (docs/metrics.md, "Unrealized P&L").
 * Pure and exact: the lots come from the trade engine (core/engine.ts `openLots`), so FIFO, LIFO
 * and average cost differ here exactly as they differ in the realized P&L of partial exits.
 */
import { divide, SCALE, type Fixed8 } from './decimal'
import type { Lot } from './engine'

/**
 * Σ over the open lots of (mark − lot price) × lot quantity × multiplier, the opposite for a
 * short, rounded once, half to even, to 8 places. Fees are not in it: those already paid are in
 * the realized P&L and the position's fees, and closing fees are not known yet.
 */
export function unrealizedPnl(
  side: 'long' | 'short',
  lots: readonly Lot[],
  multiplier: Fixed8,
  mark: Fixed8,
): Fixed8 {
  // Each product of three Fixed8 values is an exact integer of 10^-24 units.
  let exact = 0n
  for (const lot of lots) exact += (mark - lot.price) * lot.quantity * multiplier
  // divide(a, b) rounds a × 10^8 / b: with b = 10^24 that is a / 10^16, back to 10^-8 units.
  const rounded = divide(exact, SCALE * SCALE * SCALE)
  return side === 'long' ? rounded : -rounded
}
