/**
 * Display formatting of the contract's decimal strings ("1234.5", "-0.00000001"), done on the
 * text itself: converting to a JS number would lose exactness past 2^53 and invite float
 * arithmetic. Nothing here computes with amounts; it only adds separators, padding and a sign.
 */

export interface DecimalFormat {
  /** Pad the fraction to at least this many digits; longer fractions are kept whole (exact). */
  minFraction?: number
  /** Show "+" on positive values (P&L); negatives always carry "-". */
  signed?: boolean
  /** Round (half to even, on the digits: exact) to at most this many fraction digits. */
  maxFraction?: number
}

/** The canonical shape the contract sends; anything else is shown as it came. */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

const separators = (() => {
  const parts = new Intl.NumberFormat(undefined).formatToParts(12345.6)
  return {
    group: parts.find((part) => part.type === 'group')?.value ?? ',',
    decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
  }
})()

/** Groups the digits of a whole number in threes with the locale's separator. */
function groupDigits(whole: string): string {
  let out = ''
  for (let end = whole.length; end > 0; end -= 3) {
    const chunk = whole.slice(Math.max(0, end - 3), end)
    out = out ? `${chunk}${separators.group}${out}` : chunk
  }
  return out
}

/** The decimal string rounded half to even to `digits` fraction digits, with BigInt: exact. */
export function roundDecimal(value: string, digits: number): string {
  const match = DECIMAL.exec(value.trim())
  if (!match) return value
  const [, minus = '', whole = '0', fraction = ''] = match
  if (fraction.length <= digits) return value.trim()
  const scaled = BigInt(whole + fraction.slice(0, digits))
  const rest = fraction.slice(digits)
  const half = `5${'0'.repeat(rest.length - 1)}`
  const up = rest > half || (rest === half && scaled % 2n === 1n)
  const rounded = (up ? scaled + 1n : scaled).toString().padStart(digits + 1, '0')
  const text = digits > 0 ? `${rounded.slice(0, -digits)}.${rounded.slice(-digits)}` : rounded
  return /^[0.]*$/.test(text) ? text : minus + text
}

export function formatDecimal(value: string, options: DecimalFormat = {}): string {
  if (options.maxFraction !== undefined) value = roundDecimal(value, options.maxFraction)
  const match = DECIMAL.exec(value.trim())
  if (!match) return value
  const [, minus = '', rawWhole = '0', rawFraction = ''] = match
  const whole = rawWhole.replace(/^0+(?=\d)/, '')
  let fraction = rawFraction.replace(/0+$/, '')
  const minFraction = options.minFraction ?? 0
  if (fraction.length < minFraction) fraction = fraction.padEnd(minFraction, '0')
  const isZero = /^0*$/.test(whole + rawFraction)
  const sign = isZero ? '' : minus ? '-' : options.signed ? '+' : ''
  const text = groupDigits(whole) + (fraction ? separators.decimal + fraction : '')
  return sign + text
}

/** Money: two decimals, more only when the amount has them (never rounded). */
export function formatMoney(value: string, signed = false): string {
  return formatDecimal(value, { minFraction: 2, signed })
}

/** -1, 0 or 1 by the decimal string's sign, for colouring; no numeric conversion. */
export function decimalSign(value: string): -1 | 0 | 1 {
  const match = DECIMAL.exec(value.trim())
  if (!match || /^0*$/.test((match[2] ?? '') + (match[3] ?? ''))) return 0
  return match[1] ? -1 : 1
}
