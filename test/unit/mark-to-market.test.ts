import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDecimal as f, parseDecimal as d } from '../../core/decimal'
import {
  buildRoundTrips,
  type EngineFill,
  type LotMatching,
  type RoundTrip,
} from '../../core/engine'
import { unrealizedPnl } from '../../core/mark-to-market'

let sequence = 0
function fill(side: 'buy' | 'sell', quantity: string, price: string, fee = '0'): EngineFill {
  sequence += 1
  return {
    id: `f${sequence}`,
    key: `k${sequence}`,
    side,
    quantity: d(quantity),
    price: d(price),
    fee: d(fee),
    executedAt: sequence * 1000,
    sequence,
  }
}

/** The last round trip of `fills`, which must be open. */
function openTrip(fills: EngineFill[], multiplier: string, matching: LotMatching): RoundTrip {
  const trip = buildRoundTrips(fills, d(multiplier), matching).at(-1) as RoundTrip
  expect(trip.status).toBe('open')
  return trip
}

const lots = (trip: RoundTrip) => trip.openLots.map((lot) => `${f(lot.quantity)}@${f(lot.price)}`)

/** Unrealized P&L of the open round trip of `fills` at `mark`, as text. */
function marked(fills: EngineFill[], mark: string, matching: LotMatching, multiplier = '1') {
  const trip = openTrip(fills, multiplier, matching)
  return f(unrealizedPnl(trip.side, trip.openLots, d(multiplier), d(mark)))
}

describe('open lots and unrealized P&L, worked by hand', () => {
  // Buy 10 @ 100, buy 10 @ 110, sell 10 @ 120 (fee 2): long 10 still open.
  const long = () => [
    fill('buy', '10', '100'),
    fill('buy', '10', '110'),
    fill('sell', '10', '120', '2'),
  ]

  it('keeps the lots each matching leaves open', () => {
    expect(lots(openTrip(long(), '1', 'fifo'))).toEqual(['10@110']) // the first lot was sold
    expect(lots(openTrip(long(), '1', 'lifo'))).toEqual(['10@100']) // the last lot was sold
    expect(lots(openTrip(long(), '1', 'average'))).toEqual(['10@105']) // (1000 + 1100) / 20
    // A round trip that closed holds nothing.
    const closed = buildRoundTrips([fill('buy', '1', '10'), fill('sell', '1', '11')], d('1'))
    expect(closed[0]?.openLots).toEqual([])
  })

  it('marks a long: (mark − lot price) × quantity, summed over the lots', () => {
    expect(marked(long(), '115', 'fifo')).toBe('50') // (115 − 110) × 10
    expect(marked(long(), '115', 'lifo')).toBe('150') // (115 − 100) × 10
    expect(marked(long(), '115', 'average')).toBe('100') // (115 − 105) × 10
    // Below the cost it is a loss; fees already paid (the 2) are not in it.
    expect(marked(long(), '104', 'fifo')).toBe('-60') // (104 − 110) × 10
  })

  it('marks a short the other way round', () => {
    // Sell 5 @ 50, sell 5 @ 40, buy 4 @ 45: short 6 still open.
    const short = () => [fill('sell', '5', '50'), fill('sell', '5', '40'), fill('buy', '4', '45')]
    // FIFO bought back 4 of the 50 lot: 1 @ 50 and 5 @ 40 remain.
    // −((42 − 50) × 1 + (42 − 40) × 5) = −(−8 + 10) = −2
    expect(lots(openTrip(short(), '1', 'fifo'))).toEqual(['1@50', '5@40'])
    expect(marked(short(), '42', 'fifo')).toBe('-2')
    // LIFO bought back 4 of the 40 lot: 5 @ 50 and 1 @ 40. −((42 − 50) × 5 + (42 − 40) × 1) = 38
    expect(lots(openTrip(short(), '1', 'lifo'))).toEqual(['5@50', '1@40'])
    expect(marked(short(), '42', 'lifo')).toBe('38')
    // Average cost (250 + 200) / 10 = 45: 6 @ 45. −(42 − 45) × 6 = 18
    expect(marked(short(), '42', 'average')).toBe('18')
  })

  it('adds lots bought after a partial exit to what each matching left', () => {
    // Buy 10 @ 100, buy 10 @ 110, sell 10 @ 120, buy 10 @ 90: long 20, marked at 100.
    const fills = () => [...long(), fill('buy', '10', '90')]
    // FIFO 10 @ 110 + 10 @ 90: −100 + 100 = 0. LIFO 10 @ 100 + 10 @ 90: 0 + 100 = 100.
    // Average 10 @ 105 + 10 @ 90: −50 + 100 = 50 (the average is taken again at the next exit).
    expect(marked(fills(), '100', 'fifo')).toBe('0')
    expect(marked(fills(), '100', 'lifo')).toBe('100')
    expect(lots(openTrip(fills(), '1', 'average'))).toEqual(['10@105', '10@90'])
    expect(marked(fills(), '100', 'average')).toBe('50')
  })

  it('marks only the rest of a fill that crossed zero', () => {
    // Long 5 @ 10, sell 8 @ 12: the long closes, short 3 @ 12 opens. At 11: (12 − 11) × 3 = 3.
    const fills = [fill('buy', '5', '10'), fill('sell', '8', '12')]
    expect(lots(openTrip(fills, '1', 'fifo'))).toEqual(['3@12'])
    expect(marked(fills, '11', 'fifo')).toBe('3')
  })

  it('multiplies by the point value of futures and options', () => {
    // ES (50 per point): buy 2 @ 5000, buy 1 @ 5010, sell 1 @ 5020; long 2 still open.
    const es = [fill('buy', '2', '5000'), fill('buy', '1', '5010'), fill('sell', '1', '5020')]
    // FIFO: 1 @ 5000 + 1 @ 5010 at 5012.25: (12.25 + 2.25) × 50 = 725.
    expect(marked(es, '5012.25', 'fifo', '50')).toBe('725')
    // LIFO sold the 5010 lot: 2 @ 5000: 12.25 × 2 × 50 = 1225.
    expect(marked(es, '5012.25', 'lifo', '50')).toBe('1225')
    // A short of 3 puts written @ 2.15, 100 shares each, marked at 1.80: (2.15 − 1.80) × 300 = 105.
    expect(marked([fill('sell', '3', '2.15')], '1.8', 'fifo', '100')).toBe('105')
  })

  it('rounds once, half to even, not lot by lot', () => {
    // Two lots of 0.5 @ 1 marked at 1.00000001: 0.000000005 each, exactly 0.00000001 together
    // (rounding each lot first would give 0).
    const halves = [fill('buy', '0.5', '1'), fill('buy', '0.5', '1')]
    expect(marked(halves, '1.00000001', 'fifo')).toBe('0.00000001')
    // One such half alone is a tie: half to even gives 0; 1.5 of them give 0.00000002.
    expect(marked([fill('buy', '0.5', '1')], '1.00000001', 'fifo')).toBe('0')
    expect(marked([fill('buy', '1.5', '1')], '1.00000001', 'fifo')).toBe('0.00000002')
    expect(marked([fill('sell', '1.5', '1')], '1.00000001', 'fifo')).toBe('-0.00000002')
  })
})

/** Quantities and prices with at most 4 decimals, so every product is exact at 8. */
const amount = (max: number) =>
  fc.integer({ min: 1, max: max * 10_000 }).map((n) => BigInt(n) * 10_000n)

describe('unrealized P&L, property', () => {
  it('is what closing the open lots at the mark would realize (FIFO and LIFO)', () => {
    const randomFill = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      quantity: amount(50),
      price: amount(5000),
    })
    fc.assert(
      fc.property(
        fc.array(randomFill, { minLength: 1, maxLength: 30 }),
        amount(5000),
        fc.constantFrom<LotMatching>('fifo', 'lifo'),
        (drawn, mark, matching) => {
          const fills: EngineFill[] = drawn.map((each, i) => ({
            ...each,
            id: `f${i}`,
            key: `k${i}`,
            fee: 0n,
            executedAt: i,
            sequence: i,
          }))
          const multiplier = d('50')
          const open = buildRoundTrips(fills, multiplier, matching).at(-1) as RoundTrip
          if (open.status === 'closed') return
          const remaining = open.openLots.reduce((total, lot) => total + lot.quantity, 0n)
          const close: EngineFill = {
            id: 'close',
            key: 'close',
            side: open.side === 'long' ? 'sell' : 'buy',
            quantity: remaining,
            price: mark,
            fee: 0n,
            executedAt: fills.length,
            sequence: fills.length,
          }
          const closed = buildRoundTrips([...fills, close], multiplier, matching).at(-1)
          expect(closed?.status).toBe('closed')
          expect(open.realizedPnl + unrealizedPnl(open.side, open.openLots, multiplier, mark)).toBe(
            closed?.grossPnl,
          )
        },
      ),
    )
  })
})
