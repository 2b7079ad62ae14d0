/**
 * Volume profile: how much volume traded at each price row over a range of candles, with its
 * point of control and value area. Exact: volumes are Fixed8 and split in whole 10^-8 units.
 */
import type { Fixed8 } from './decimal'

/**
 * How a candle's volume is placed: `close` puts all of it on the row of its close; `range`
 * spreads it evenly over every row from its low to its high (the indivisible remainder of
 * 10^-8 units goes to the close's row).
 */
export type ProfileMethod = 'close' | 'range'

export interface ProfileCandle {
  high: Fixed8
  low: Fixed8
  close: Fixed8
  volume: Fixed8
}

export interface ProfileLevel {
  /** Lower bound of the row: the row holds prices from `price` up to `price + rowSize`. */
  price: Fixed8
  volume: Fixed8
}

export interface VolumeProfile {
  rowSize: Fixed8
  /** Rows that traded, lowest price first. */
  levels: ProfileLevel[]
  total: Fixed8
  /** Row with the most volume (the lowest one on a tie); null without volume. */
  pointOfControl: Fixed8 | null
  /** Value area: from the low of its lowest row to the top of its highest; null without volume. */
  valueAreaLow: Fixed8 | null
  valueAreaHigh: Fixed8 | null
}

const ONE_UNIT = 1n // 10^-8

/**
 * A row size that gives about `rows` rows between `low` and `high`: the smallest 1, 2 or 5 ×
 * 10^k (k ≥ −8) at least (high − low) / rows.
 */
export function autoRowSize(low: Fixed8, high: Fixed8, rows = 100): Fixed8 {
  const wanted = (high - low) / BigInt(rows)
  for (let power = ONE_UNIT; ; power *= 10n) {
    for (const step of [1n, 2n, 5n]) {
      if (step * power >= wanted) return step * power
    }
  }
}

/** Lower bound of the row holding `price` (prices are positive, so division floors). */
function rowOf(price: Fixed8, rowSize: Fixed8): Fixed8 {
  return (price / rowSize) * rowSize
}

/**
 * The profile of `candles`. The value area grows from the point of control one row at a time
 * towards the neighbouring traded row with more volume (above on a tie) until it holds at least
 * `valueAreaPercent` of the volume.
 */
export function volumeProfile(
  candles: Iterable<ProfileCandle>,
  rowSize: Fixed8,
  method: ProfileMethod,
  valueAreaPercent = 70,
): VolumeProfile {
  if (rowSize <= 0n) throw new RangeError('rowSize must be greater than 0')
  const rows = new Map<Fixed8, Fixed8>()
  const add = (price: Fixed8, volume: Fixed8) => rows.set(price, (rows.get(price) ?? 0n) + volume)
  for (const candle of candles) {
    const closeRow = rowOf(candle.close, rowSize)
    if (method === 'close') {
      add(closeRow, candle.volume)
      continue
    }
    const lowRow = rowOf(candle.low, rowSize)
    const count = (rowOf(candle.high, rowSize) - lowRow) / rowSize + 1n
    const share = candle.volume / count
    for (let i = 0n; i < count; i++) add(lowRow + i * rowSize, share)
    add(closeRow, candle.volume - share * count)
  }

  const levels = [...rows]
    .map(([price, volume]) => ({ price, volume }))
    .sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : 0))
  const total = levels.reduce((sum, level) => sum + level.volume, 0n)
  if (total === 0n) {
    return { rowSize, levels, total, pointOfControl: null, valueAreaLow: null, valueAreaHigh: null }
  }
  let control = 0
  levels.forEach((level, i) => {
    if (level.volume > (levels[control] as ProfileLevel).volume) control = i
  })
  let low = control
  let high = control
  let inside = (levels[control] as ProfileLevel).volume
  while (inside * 100n < total * BigInt(valueAreaPercent)) {
    const above = high + 1 < levels.length ? (levels[high + 1] as ProfileLevel).volume : -1n
    const below = low > 0 ? (levels[low - 1] as ProfileLevel).volume : -1n
    if (above >= below) inside += levels[++high]?.volume ?? 0n
    else inside += levels[--low]?.volume ?? 0n
  }
  return {
    rowSize,
    levels,
    total,
    pointOfControl: (levels[control] as ProfileLevel).price,
    valueAreaLow: (levels[low] as ProfileLevel).price,
    valueAreaHigh: (levels[high] as ProfileLevel).price + rowSize,
  }
}
