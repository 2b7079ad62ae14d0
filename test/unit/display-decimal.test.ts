import { describe, expect, it } from 'vitest'
import { formatDecimal, roundDecimal } from '../../renderer/src/lib/decimal'

describe('roundDecimal (display rounding of the contract’s decimal strings)', () => {
  it('rounds half to even on the digits', () => {
    expect(roundDecimal('779.16666667', 2)).toBe('779.17')
    expect(roundDecimal('0.125', 2)).toBe('0.12') // tie, 2 is even
    expect(roundDecimal('0.135', 2)).toBe('0.14') // tie, 3 is odd
    expect(roundDecimal('0.12500001', 2)).toBe('0.13') // above the tie
    expect(roundDecimal('-188.975', 2)).toBe('-188.98') // tie, 7 is odd: away to 8
    expect(roundDecimal('9.995', 2)).toBe('10.00') // tie, 9 is odd: carries into the whole
    expect(roundDecimal('12.5', 0)).toBe('12')
  })

  it('leaves short values alone and drops the sign of a value that rounds to zero', () => {
    expect(roundDecimal('1.5', 2)).toBe('1.5')
    expect(roundDecimal('-0.004', 2)).toBe('0.00')
  })

  it('formats a rounded amount with separators and a sign', () => {
    expect(formatDecimal('1234567.891', { minFraction: 2, maxFraction: 2, signed: true })).toBe(
      '+1,234,567.89',
    )
  })
})
