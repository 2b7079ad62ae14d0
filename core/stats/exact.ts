/**
 * Exact Fixed8 arithmetic on doubles, for speed over a million trades: a BigInt per amount
 * costs an allocation per value and per sum (seconds of GC at that size), a double none.
 *
 * Every per-trade amount is the Fixed8 integer (value × 10^8) held in a double, which is exact
 * while |v| ≤ 2^53. The statistics take amounts up to 2^52 (about 45 million per trade) so that
 * the sum of two of them is still exact; sums carry into a bigint before they could round.
 */
import type { Fixed8 } from '../decimal'

/** 2^52: the largest |amount × 10^8| of one trade the statistics take (≈ 45,035,996.27). */
export const MAX_EXACT = 2 ** 52

export class AmountTooLargeError extends Error {
  override name = 'AmountTooLargeError'
}

/** A Fixed8 as an exact double; throws past {@link MAX_EXACT}. */
export function exactNumber(value: Fixed8): number {
  if (value > BigInt(MAX_EXACT) || value < -BigInt(MAX_EXACT)) {
    throw new AmountTooLargeError(
      `an amount of ${value / 100_000_000n} is beyond what the statistics sum exactly (±45,035,996)`,
    )
  }
  return Number(value)
}

/**
 * Σ of exact doubles (each |v| ≤ 2^52), exact: the running double stays within ±2^52, so each
 * addition is exact, and whatever would leave that range moves into a bigint first.
 */
export class ExactSum {
  private carry = 0n
  private running = 0

  add(value: number): void {
    const next = this.running + value
    if (next > MAX_EXACT || next < -MAX_EXACT) {
      this.carry += BigInt(this.running)
      this.running = value
    } else this.running = next
  }

  /** Adds an exact bigint amount (a cash flow, any size). */
  addFixed8(value: Fixed8): void {
    this.carry += value
  }

  get total(): Fixed8 {
    return this.carry + BigInt(this.running)
  }
}
