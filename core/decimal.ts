/**
 * Exact decimals for money, prices and quantities.
 *
 * Every stored amount is a fixed-point integer with 8 decimal places (a `bigint` in JS, an
 * INTEGER in SQLite), so sums, ORDER BY and indexes are exact and native in SQL. See
 * docs/decisions/0002-money-as-scaled-integers.md.
 */

/** An exact decimal: the value times 10^8. */
export type Fixed8 = bigint

export const SCALE_DIGITS = 8
export const SCALE = 10n ** BigInt(SCALE_DIGITS)

/** SQLite INTEGER range: the largest amount we can store is about 92 billion. */
export const MAX_SCALED = 2n ** 63n - 1n
export const MAX_DECIMAL = '92233720368.54775807'

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/

export class DecimalError extends Error {
  override name = 'DecimalError'
}

/**
 * Parses a plain decimal string ("-1234.5", "0.00000001", "+7") exactly.
 * Rejects exponents, separators and more than 8 decimal places (which would lose precision).
 */
export function parseDecimal(text: string): Fixed8 {
  const match = DECIMAL_RE.exec(text.trim())
  if (!match) throw new DecimalError(`"${text}" is not a decimal number`)
  const [, sign, whole = '0', fraction = ''] = match
  const trimmedFraction = fraction.replace(/0+$/, '')
  if (trimmedFraction.length > SCALE_DIGITS) {
    throw new DecimalError(`"${text}" has more than ${SCALE_DIGITS} decimal places`)
  }
  const scaled = BigInt(whole) * SCALE + BigInt(trimmedFraction.padEnd(SCALE_DIGITS, '0') || '0')
  if (scaled > MAX_SCALED) throw new DecimalError(`"${text}" exceeds ${MAX_DECIMAL}`)
  return sign === '-' ? -scaled : scaled
}

/** Returns true when `text` parses with {@link parseDecimal}. */
export function isDecimal(text: string): boolean {
  try {
    parseDecimal(text)
    return true
  } catch {
    return false
  }
}

/** Canonical text: no exponent, no trailing fractional zeros ("12.5", "-0.00000001", "3"). */
export function formatDecimal(value: Fixed8, minFractionDigits = 0): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const whole = abs / SCALE
  let fraction = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '')
  if (fraction.length < minFractionDigits) fraction = fraction.padEnd(minFractionDigits, '0')
  const text = fraction ? `${whole}.${fraction}` : `${whole}`
  return negative ? `-${text}` : text
}

/** Rounds `numerator / denominator` to the nearest integer, ties to even (banker's rounding). */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new DecimalError('division by zero')
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  let quotient = n / d
  const twiceRemainder = (n % d) * 2n
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n
  return negative ? -quotient : quotient
}

/** a × b, rounded half-even to 8 places. */
export function multiply(a: Fixed8, b: Fixed8): Fixed8 {
  return divideHalfEven(a * b, SCALE)
}

/** a ÷ b, rounded half-even to 8 places. */
export function divide(a: Fixed8, b: Fixed8): Fixed8 {
  return divideHalfEven(a * SCALE, b)
}

/** Σ values, exact. */
export function sum(values: Iterable<Fixed8>): Fixed8 {
  let total = 0n
  for (const value of values) total += value
  return total
}

/** A whole number as a Fixed8 (for counts and integer literals). */
export function fromInteger(value: number | bigint): Fixed8 {
  return BigInt(value) * SCALE
}

/** For ratios and charts only: never store the result. */
export function toNumber(value: Fixed8): number {
  return Number(value) / Number(SCALE)
}
