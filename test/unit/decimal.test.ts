import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  divide,
  formatDecimal,
  fromInteger,
  MAX_DECIMAL,
  multiply,
  parseDecimal,
  sum,
} from '../../core/decimal'

describe('exact decimals', () => {
  it('parses and formats without loss', () => {
    expect(parseDecimal('1234.56')).toBe(123456000000n)
    expect(parseDecimal('-0.00000001')).toBe(-1n)
    expect(parseDecimal('+7')).toBe(700000000n)
    expect(parseDecimal('1.50000000000')).toBe(150000000n)
    expect(formatDecimal(123456000000n)).toBe('1234.56')
    expect(formatDecimal(-1n)).toBe('-0.00000001')
    expect(formatDecimal(700000000n, 2)).toBe('7.00')
    expect(parseDecimal(MAX_DECIMAL)).toBe(2n ** 63n - 1n)
  })

  it('rejects what it cannot represent exactly', () => {
    expect(() => parseDecimal('1e5')).toThrow(/not a decimal/)
    expect(() => parseDecimal('1,000')).toThrow(/not a decimal/)
    expect(() => parseDecimal('0.000000001')).toThrow(/more than 8 decimal places/)
    expect(() => parseDecimal('92233720368.54775808')).toThrow(/exceeds/)
    expect(() => parseDecimal('')).toThrow()
  })

  it('sums exactly where binary floats drift', () => {
    const tenCents = Array.from({ length: 10 }, () => parseDecimal('0.1'))
    expect(formatDecimal(sum(tenCents))).toBe('1')
    expect(formatDecimal(parseDecimal('0.1') + parseDecimal('0.2'))).toBe('0.3')
  })

  it('multiplies and divides with half-even rounding at 8 places', () => {
    expect(formatDecimal(multiply(parseDecimal('4500.25'), fromInteger(50)))).toBe('225012.5')
    expect(formatDecimal(multiply(parseDecimal('0.00000001'), parseDecimal('0.5')))).toBe('0')
    expect(formatDecimal(multiply(parseDecimal('0.00000003'), parseDecimal('0.5')))).toBe(
      '0.00000002',
    )
    expect(formatDecimal(divide(fromInteger(1), fromInteger(3)))).toBe('0.33333333')
    expect(formatDecimal(divide(fromInteger(-2), fromInteger(3)))).toBe('-0.66666667')
    expect(() => divide(fromInteger(1), 0n)).toThrow(/division by zero/)
  })

  it('round-trips every representable value through text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (value) => {
        expect(parseDecimal(formatDecimal(value))).toBe(value)
      }),
    )
  })
})
