import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDecimal } from '../../core/decimal'
import { scaledNumber, scaledText, toScaled } from '../../core/scaled'

const LIMIT = 2n ** 53n
/** Safe integers, with the edges and whole units always among the cases. */
const safe = fc.oneof(
  fc.bigInt({ min: -LIMIT + 1n, max: LIMIT - 1n }),
  fc.constantFrom(0n, 1n, -1n, LIMIT - 1n, -LIMIT + 1n, 100_000_000n, 4_200_012_000_000n),
  fc.bigInt({ min: -90_071_992n, max: 90_071_992n }).map((units) => units * 100_000_000n),
)
const stored = fc.oneof(
  safe,
  fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }),
  fc.constantFrom(LIMIT, -LIMIT, 2n ** 63n - 1n),
)

describe('chart values as scaled integers', () => {
  it('writes the decimal text exactly as formatDecimal', () => {
    fc.assert(
      fc.property(safe, (value) => {
        expect(scaledText(Number(value))).toBe(formatDecimal(value))
      }),
    )
  })

  it('gives the chart the same double as parsing the decimal text', () => {
    fc.assert(
      fc.property(safe, (value) => {
        expect(Object.is(scaledNumber(Number(value)), Number(formatDecimal(value)))).toBe(true)
      }),
    )
    expect(scaledNumber('123456789.12345678')).toBe(Number('123456789.12345678'))
  })

  it('round-trips every stored value through JSON: numbers below 2^53, text past it', () => {
    fc.assert(
      fc.property(stored, (value) => {
        const sent = toScaled(value)
        const magnitude = value < 0n ? -value : value
        expect(typeof sent).toBe(magnitude < LIMIT ? 'number' : 'string')
        const received = JSON.parse(JSON.stringify(sent)) as number | string
        expect(scaledText(received)).toBe(formatDecimal(value))
      }),
    )
    expect(toScaled(LIMIT - 1n)).toBe(9007199254740991)
    expect(toScaled(LIMIT)).toBe('90071992.54740992')
    expect(toScaled(-LIMIT)).toBe('-90071992.54740992')
  })
})
