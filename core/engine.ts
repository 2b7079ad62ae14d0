/**
 * The trade engine: fills of one (account, instrument) in, round trips out. Pure and exact.
 *
 * Rules (issue #3 §3):
 * - a round trip opens when the position leaves zero and closes when it returns to zero; scale-ins
 *   and partial exits stay in it;
 * - a fill that crosses zero is split: the part that flattens closes the round trip, the rest
 *   opens a new one the other way; its fee is split in proportion to quantity;
 * - side is long when the opening fill buys; quantity is the total opened in that direction;
 *   entry and exit prices are volume-weighted averages of opening- and closing-direction fills;
 * - gross P&L = (Σ sell qty × price − Σ buy qty × price) × multiplier, for a closed round trip;
 *   fees = Σ fees of its fills (prorated parts included); net = gross − fees;
 * - an open round trip reports the realized P&L of its partial exits by FIFO, LIFO or average
 *   cost lots, and the lots still open (what unrealized P&L is marked on).
 */
import { divide, multiply, type Fixed8 } from './decimal'

export type Side = 'buy' | 'sell'
export type LotMatching = 'fifo' | 'lifo' | 'average'

export interface EngineFill {
  id: string
  /** Stable across re-imports (broker execution id or content key); names the round trip. */
  key: string
  side: Side
  quantity: Fixed8
  price: Fixed8
  fee: Fixed8
  executedAt: number
  /** Order within the source (file line), the tie-break after time. */
  sequence: number
}

/** The part of a fill that belongs to one round trip. */
export interface FillPart {
  fillId: string
  side: Side
  quantity: Fixed8
  price: Fixed8
  fee: Fixed8
  /** True when this part opens or adds to the position, false when it reduces it. */
  opening: boolean
}

export interface RoundTrip {
  /** Key of the opening fill; a split remainder adds '#open' so it cannot collide. */
  tradeKey: string
  side: 'long' | 'short'
  status: 'open' | 'closed'
  quantity: Fixed8
  entryPrice: Fixed8
  /** VWAP of the closing-direction parts; null while nothing was closed. */
  exitPrice: Fixed8 | null
  fees: Fixed8
  /** Closed round trips only. */
  grossPnl: Fixed8 | null
  netPnl: Fixed8 | null
  /** Realized gross P&L of the closed parts by the chosen lot matching, minus their fees. */
  realizedPnl: Fixed8
  openedAt: number
  closedAt: number | null
  parts: FillPart[]
  /** What is still open, in opening order, after the lot matching's exits; empty once closed. */
  openLots: readonly Lot[]
}

/** Fills in engine order: time, then source order, then id. */
export function compareFills(a: EngineFill, b: EngineFill): number {
  return (
    a.executedAt - b.executedAt ||
    a.sequence - b.sequence ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

/** Quantity still open at one cost: an opening fill's rest, or the average-cost remainder. */
export interface Lot {
  quantity: Fixed8
  price: Fixed8
}

const NO_LOTS: readonly Lot[] = Object.freeze([])

/** Builds every round trip of one (account, instrument) from its fills, in any order. */
export function buildRoundTrips(
  fills: readonly EngineFill[],
  multiplier: Fixed8,
  lotMatching: LotMatching = 'fifo',
): RoundTrip[] {
  return [...roundTripsInOrder([...fills].sort(compareFills), multiplier, lotMatching)]
}

/**
 * The round trips of fills that arrive already in engine order ({@link compareFills}), each as
 * soon as it closes and the open one last: a pair's fills can stream from the database instead
 * of being held all at once. Throws if a fill arrives out of order.
 */
export function* roundTripsInOrder(
  fills: Iterable<EngineFill>,
  multiplier: Fixed8,
  lotMatching: LotMatching = 'fifo',
): Generator<RoundTrip, void> {
  let current: TripBuilder | null = null
  let position = 0n // signed: > 0 long, < 0 short
  let previous: EngineFill | null = null

  for (const fill of fills) {
    if (previous !== null && compareFills(previous, fill) > 0) {
      throw new Error(`fill ${fill.id} arrived before ${previous.id}, out of engine order`)
    }
    previous = fill
    const signed = fill.side === 'buy' ? fill.quantity : -fill.quantity
    if (current === null) {
      current = new TripBuilder(fill.key, fill, multiplier, lotMatching)
      current.add(fill, fill.quantity, fill.fee, true)
      position = signed
      continue
    }
    const reduces = position > 0n !== signed > 0n
    if (!reduces) {
      current.add(fill, fill.quantity, fill.fee, true)
      position += signed
      continue
    }
    const open = position < 0n ? -position : position
    if (fill.quantity <= open) {
      current.add(fill, fill.quantity, fill.fee, false)
      position += signed
      if (position === 0n) {
        yield current.finish(fill.executedAt)
        current = null
      }
      continue
    }
    // Crosses zero: the flattening part closes this round trip, the rest opens the next one.
    const closingFee = divideFee(fill.fee, open, fill.quantity)
    current.add(fill, open, closingFee, false)
    yield current.finish(fill.executedAt)
    const rest = fill.quantity - open
    current = new TripBuilder(`${fill.key}#open`, fill, multiplier, lotMatching)
    current.add(fill, rest, fill.fee - closingFee, true)
    position = fill.side === 'buy' ? rest : -rest
  }
  if (current) yield current.finish(null)
}

/** fee × part / whole, rounded half-even; the caller gives the remainder to the other part. */
function divideFee(fee: Fixed8, part: Fixed8, whole: Fixed8): Fixed8 {
  return divide(multiply(fee, part), whole)
}

class TripBuilder {
  private readonly parts: FillPart[] = []
  private readonly lots: Lot[] = []
  private openedQuantity = 0n
  private openedNotional = 0n
  private closedQuantity = 0n
  private closedNotional = 0n
  private buyNotional = 0n
  private sellNotional = 0n
  private fees = 0n
  private closingFees = 0n
  private realizedGross = 0n
  readonly side: 'long' | 'short'

  constructor(
    private readonly tradeKey: string,
    private readonly opening: EngineFill,
    private readonly multiplier: Fixed8,
    private readonly lotMatching: LotMatching,
  ) {
    this.side = opening.side === 'buy' ? 'long' : 'short'
  }

  add(fill: EngineFill, quantity: Fixed8, fee: Fixed8, opening: boolean): void {
    this.parts.push({ fillId: fill.id, side: fill.side, quantity, price: fill.price, fee, opening })
    const notional = multiply(quantity, fill.price)
    if (fill.side === 'buy') this.buyNotional += notional
    else this.sellNotional += notional
    this.fees += fee
    if (opening) {
      this.openedQuantity += quantity
      this.openedNotional += notional
      this.lots.push({ quantity, price: fill.price })
    } else {
      this.closedQuantity += quantity
      this.closedNotional += notional
      this.closingFees += fee
      this.realizedGross += this.matchLots(quantity, fill.price)
    }
  }

  /** Gross P&L of closing `quantity` at `price` against the open lots, consuming them. */
  private matchLots(quantity: Fixed8, price: Fixed8): Fixed8 {
    const direction = this.side === 'long' ? 1n : -1n
    if (this.lotMatching === 'average') {
      const openQty = this.lots.reduce((total, lot) => total + lot.quantity, 0n)
      const cost = this.lots.reduce((total, lot) => total + multiply(lot.quantity, lot.price), 0n)
      const average = divide(cost, openQty)
      const remaining = openQty - quantity
      this.lots.splice(
        0,
        this.lots.length,
        ...(remaining > 0n ? [{ quantity: remaining, price: average }] : []),
      )
      return multiply(multiply(price - average, quantity), this.multiplier) * direction
    }
    let left = quantity
    let gross = 0n
    while (left > 0n) {
      const lot = (
        this.lotMatching === 'fifo' ? this.lots[0] : this.lots[this.lots.length - 1]
      ) as Lot
      const used = lot.quantity < left ? lot.quantity : left
      gross += multiply(multiply(price - lot.price, used), this.multiplier) * direction
      lot.quantity -= used
      left -= used
      if (lot.quantity === 0n) {
        if (this.lotMatching === 'fifo') this.lots.shift()
        else this.lots.pop()
      }
    }
    return gross
  }

  finish(closedAt: number | null): RoundTrip {
    const closed = closedAt !== null
    const gross = multiply(this.sellNotional - this.buyNotional, this.multiplier)
    return {
      tradeKey: this.tradeKey,
      side: this.side,
      status: closed ? 'closed' : 'open',
      quantity: this.openedQuantity,
      entryPrice: divide(this.openedNotional, this.openedQuantity),
      exitPrice: this.closedQuantity > 0n ? divide(this.closedNotional, this.closedQuantity) : null,
      fees: this.fees,
      grossPnl: closed ? gross : null,
      netPnl: closed ? gross - this.fees : null,
      realizedPnl: closed ? gross - this.fees : this.realizedGross - this.closingFees,
      openedAt: this.opening.executedAt,
      closedAt,
      parts: this.parts,
      openLots: closed ? NO_LOTS : this.lots.map((lot) => ({ ...lot })),
    }
  }
}
