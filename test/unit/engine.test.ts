import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDecimal as f, multiply, parseDecimal as d, sum } from '../../core/decimal'
import {
  buildRoundTrips,
  roundTripsInOrder,
  type EngineFill,
  type RoundTrip,
} from '../../core/engine'

let sequence = 0
function fill(
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  fee = '0',
  at = 0,
): EngineFill {
  sequence += 1
  return {
    id: `f${sequence}`,
    key: `k${sequence}`,
    side,
    quantity: d(quantity),
    price: d(price),
    fee: d(fee),
    executedAt: at || sequence * 1000,
    sequence,
  }
}

/** A round trip's figures as text, for readable expectations. */
function figures(trip: RoundTrip) {
  return {
    side: trip.side,
    status: trip.status,
    quantity: f(trip.quantity),
    entry: f(trip.entryPrice),
    exit: trip.exitPrice === null ? null : f(trip.exitPrice),
    gross: trip.grossPnl === null ? null : f(trip.grossPnl),
    fees: f(trip.fees),
    net: trip.netPnl === null ? null : f(trip.netPnl),
    realized: f(trip.realizedPnl),
  }
}

describe('trade engine, worked by hand', () => {
  it('scales in and out of one long round trip', () => {
    // Buy 100 @ 10, buy 100 @ 11 (entry 10.5), sell 150 @ 12, sell 50 @ 9.
    // gross = (150×12 + 50×9) − (100×10 + 100×11) = 2250 − 2100 = 150; fees 4 → net 146.
    const trips = buildRoundTrips(
      [
        fill('buy', '100', '10', '1'),
        fill('buy', '100', '11', '1'),
        fill('sell', '150', '12', '1'),
        fill('sell', '50', '9', '1'),
      ],
      d('1'),
    )
    expect(trips.map(figures)).toEqual([
      {
        side: 'long',
        status: 'closed',
        quantity: '200',
        entry: '10.5',
        exit: '11.25',
        gross: '150',
        fees: '4',
        net: '146',
        realized: '146',
      },
    ])
  })

  it('splits a fill that crosses zero, prorating its fee by quantity', () => {
    // Short 2 ES @ 5000, buy 5 @ 4990 (fee 5): 2 close the short, 3 open a long.
    // Short gross = (2×5000 − 2×4990) × 50 = 1000; fees 1 + 2 (2/5 of 5) = 3 → net 997.
    // Long: 3 @ 4990, sold 3 @ 4995.25 (fee 3): gross = 3×5.25×50 = 787.5; fees 3 + 3 = 6.
    const trips = buildRoundTrips(
      [
        fill('sell', '2', '5000', '1'),
        fill('buy', '5', '4990', '5'),
        fill('sell', '3', '4995.25', '3'),
      ],
      d('50'),
    )
    expect(trips.map(figures)).toEqual([
      {
        side: 'short',
        status: 'closed',
        quantity: '2',
        entry: '5000',
        exit: '4990',
        gross: '1000',
        fees: '3',
        net: '997',
        realized: '997',
      },
      {
        side: 'long',
        status: 'closed',
        quantity: '3',
        entry: '4990',
        exit: '4995.25',
        gross: '787.5',
        fees: '6',
        net: '781.5',
        realized: '781.5',
      },
    ])
    expect(trips[1]?.tradeKey).toMatch(/#open$/) // the remainder's key cannot collide
  })

  it('reports realized P&L of an open position by FIFO, LIFO or average cost', () => {
    // Buy 10 @ 100, buy 10 @ 110, sell 10 @ 120 (fee 2), still long 10.
    const fills = [
      fill('buy', '10', '100'),
      fill('buy', '10', '110'),
      fill('sell', '10', '120', '2'),
    ]
    const realized = (matching: 'fifo' | 'lifo' | 'average') =>
      f(buildRoundTrips(fills, d('1'), matching)[0]!.realizedPnl)
    expect(realized('fifo')).toBe('198') // (120 − 100) × 10 − 2
    expect(realized('lifo')).toBe('98') // (120 − 110) × 10 − 2
    expect(realized('average')).toBe('148') // (120 − 105) × 10 − 2
    const open = buildRoundTrips(fills, d('1'))[0]!
    expect(open).toMatchObject({ status: 'open', grossPnl: null, netPnl: null, closedAt: null })
  })

  it('orders by time, then source order, whatever order the fills arrive in', () => {
    const a = fill('buy', '1', '10', '0', 5000)
    const b = fill('sell', '1', '12', '0', 5000)
    const trips = buildRoundTrips([b, a], d('1'))
    expect(trips.map(figures)[0]).toMatchObject({ side: 'long', gross: '2' })
  })

  it('streams round trips from fills already in order, and refuses fills out of order', () => {
    const a = fill('buy', '1', '10', '0', 5000)
    const b = fill('sell', '1', '12', '0', 5000)
    const c = fill('buy', '2', '11', '0', 6000)
    // a then b close a long round trip (gross (12 − 10) × 1 = 2); c opens the next, still open.
    const trips = roundTripsInOrder([a, b, c], d('1'))
    expect(figures(trips.next().value as RoundTrip)).toMatchObject({ status: 'closed', gross: '2' })
    expect(figures(trips.next().value as RoundTrip)).toMatchObject({
      status: 'open',
      quantity: '2',
    })
    expect(() => [...roundTripsInOrder([b, a], d('1'))]).toThrow(/out of engine order/)
  })
})

/** Quantities and prices with at most 4 decimals, so every product is exact at 8. */
const amount = (max: number) =>
  fc.integer({ min: 1, max: max * 10_000 }).map((n) => BigInt(n) * 10_000n)
const randomFill = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  quantity: amount(50),
  price: amount(5000),
  fee: fc.integer({ min: 0, max: 500 }).map((n) => BigInt(n) * 1_000_000n),
})

describe('trade engine, properties', () => {
  it('conserves money: Σ trip net = cash flow − fees when flat, and fees are never lost', () => {
    fc.assert(
      fc.property(fc.array(randomFill, { minLength: 1, maxLength: 40 }), (raw) => {
        const fills: EngineFill[] = raw.map((r, i) => ({
          ...r,
          id: `f${i}`,
          key: `k${i}`,
          executedAt: i,
          sequence: i,
        }))
        // Close whatever is open so the journal ends flat.
        const net = sum(fills.map((x) => (x.side === 'buy' ? x.quantity : -x.quantity)))
        if (net !== 0n) {
          fills.push({
            id: 'flat',
            key: 'flat',
            side: net > 0n ? 'sell' : 'buy',
            quantity: net > 0n ? net : -net,
            price: 100n * 100_000_000n,
            fee: 0n,
            executedAt: fills.length,
            sequence: fills.length,
          })
        }
        const multiplier = 50n * 100_000_000n
        const trips = buildRoundTrips(fills, multiplier)
        const cash = sum(
          fills.map(
            (x) =>
              multiply(multiply(x.quantity, x.price), multiplier) * (x.side === 'sell' ? 1n : -1n),
          ),
        )
        const fees = sum(fills.map((x) => x.fee))
        expect(trips.every((t) => t.status === 'closed')).toBe(true)
        expect(sum(trips.map((t) => t.netPnl ?? 0n))).toBe(cash - fees)
        expect(sum(trips.map((t) => t.fees))).toBe(fees)
        for (const trip of trips) {
          const opened = sum(trip.parts.filter((p) => p.opening).map((p) => p.quantity))
          const closed = sum(trip.parts.filter((p) => !p.opening).map((p) => p.quantity))
          expect(opened).toBe(closed)
          expect(opened).toBe(trip.quantity)
        }
      }),
    )
  })
})
