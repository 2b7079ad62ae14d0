/**
 * Exact decimals as JSON numbers, for chart columns of 10^5 values: a safe integer n stands for
 * the fixed8 value n × 10^-8 (42000.25 crosses as 4200025000000), and a value past 2^53 (about
 * 90 million units, e.g. a big daily volume with fractional digits) crosses as its decimal
 * string. A number costs nothing to produce from SQLite's integers, where a decimal string per
 * cell costs about as much as the read itself, and it stays exact: every integer below 2^53 is a
 * double.
 */
import { formatDecimal, type Fixed8 } from './decimal'

export type ScaledDecimal = number | string

const UNIT = 100_000_000
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** A stored fixed8 value as a chart value. */
export function toScaled(value: Fixed8): ScaledDecimal {
  return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : formatDecimal(value)
}

/**
 * The decimal text of a chart value, exactly as formatDecimal writes it ("12.5", "-0.00000001",
 * "3"). Plain arithmetic on safe integers: the CLI formats 5 × 10^5 of them for a page.
 */
export function scaledText(value: ScaledDecimal): string {
  if (typeof value === 'string') return value
  const negative = value < 0
  const magnitude = negative ? -value : value
  const whole = Math.floor(magnitude / UNIT)
  const fraction = magnitude - whole * UNIT
  const sign = negative ? '-' : ''
  if (fraction === 0) return sign + whole
  // '1' and the 8 fraction digits; drop the trailing zeros.
  const digits = String(fraction + UNIT)
  let end = 9
  while (digits.charCodeAt(end - 1) === 48) end--
  return `${sign}${whole}.${digits.slice(1, end)}`
}

/**
 * A chart value as a double (what lightweight-charts draws): the same double as
 * Number(scaledText(value)), because n and 10^8 are exact doubles and IEEE division rounds the
 * exact quotient once, to the nearest double, as parsing the decimal text does.
 */
export function scaledNumber(value: ScaledDecimal): number {
  return typeof value === 'number' ? value / UNIT : Number(value)
}
