/**
 * Trade-level rows whose round trips Blotter cannot rebuild as the file cuts them. Every such row
 * becomes an opening and a closing fill (brokers.md §1, §4.5), and one netting engine builds every
 * trade from the fills of an (account, instrument) in time order, fills of one instant in line
 * order (db/queries/positions.ts). It therefore pairs two kinds of rows differently from the file:
 *
 * - positions of one instrument open at once in opposite directions (a hedging account: MT4, MT5
 *   Hedge, cTrader): the later one's opening fill closes the earlier one;
 * - a row that opens at the instant another closes but stands above it in the file (a file
 *   listed newest first): its opening fill comes before the other's closing fill.
 *
 * The totals are exact either way; only the split of the P&L between those trades differs. The
 * engine stays netting, so the import says which rows these are, in one warning per file.
 */
import type { ParseWarning } from './types'

export interface OverlapTrade {
  line: number
  long: boolean
  openedAt: number
  closedAt: number
}

/** Lines listed in the warning before it says "…". */
const SHOWN_LINES = 10

export class TradeOverlaps {
  private readonly trades = new Map<string, OverlapTrade[]>()

  /** `key`: the account and instrument, as the import groups the fills. */
  add(key: string, trade: OverlapTrade): void {
    const trades = this.trades.get(key)
    if (trades) trades.push(trade)
    else this.trades.set(key, [trade])
  }

  /** The file's warning, or null when every row's round trip comes out as the file has it. */
  warning(): ParseWarning | null {
    const lines = new Set<number>()
    let hedged = false
    let early = false
    for (const trades of this.trades.values()) {
      for (const line of opposite(trades)) {
        lines.add(line)
        hedged = true
      }
      for (const line of openedBeforeClose(trades)) {
        lines.add(line)
        early = true
      }
    }
    if (lines.size === 0) return null
    const sorted = [...lines].sort((a, b) => a - b)
    const shown = sorted.slice(0, SHOWN_LINES).join(', ') + (sorted.length > SHOWN_LINES ? '…' : '')
    const why = [
      hedged && 'positions of one instrument are open at the same time in opposite directions',
      early &&
        'a trade opens at the instant another of the same instrument closes, above it in the file',
    ]
      .filter(Boolean)
      .join('; ')
    return {
      warning: `${sorted.length} trades (lines ${shown}) overlap: ${why}. Blotter nets each instrument's fills into one position in time order (fills of one instant in file order), so the totals are exact but the P&L is split between these trades differently from the file's rows`,
    }
  }
}

/** Lines of the trades open at once with one in the other direction (open intervals meet). */
function opposite(trades: readonly OverlapTrade[]): number[] {
  const byOpen = (a: OverlapTrade, b: OverlapTrade) => a.openedAt - b.openedAt
  const longs = trades.filter((trade) => trade.long).sort(byOpen)
  const shorts = trades.filter((trade) => !trade.long).sort(byOpen)
  if (longs.length === 0 || shorts.length === 0) return []
  const found: number[] = []
  for (const [mine, theirs] of [
    [longs, shorts],
    [shorts, longs],
  ] as const) {
    // latest[i]: the latest close among theirs[0..i], which are sorted by opening.
    const latest: number[] = []
    for (const trade of theirs) latest.push(Math.max(latest.at(-1) ?? -Infinity, trade.closedAt))
    for (const trade of mine) {
      const before = countOpenedBefore(theirs, trade.closedAt)
      if (before > 0 && (latest[before - 1] ?? -Infinity) > trade.openedAt) found.push(trade.line)
    }
  }
  return found
}

/** How many of `sorted` (by opening) opened before `instant`. */
function countOpenedBefore(sorted: readonly OverlapTrade[], instant: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((sorted[middle]?.openedAt ?? Infinity) < instant) low = middle + 1
    else high = middle
  }
  return low
}

/** Lines of the trades that open at the instant one further down the file closes, and of those. */
function openedBeforeClose(trades: readonly OverlapTrade[]): number[] {
  const closing = new Map<number, number[]>()
  for (const trade of trades) {
    const lines = closing.get(trade.closedAt)
    if (lines) lines.push(trade.line)
    else closing.set(trade.closedAt, [trade.line])
  }
  const found: number[] = []
  for (const trade of trades) {
    const later = (closing.get(trade.openedAt) ?? []).filter((line) => line > trade.line)
    if (later.length > 0) found.push(trade.line, ...later)
  }
  return found
}
