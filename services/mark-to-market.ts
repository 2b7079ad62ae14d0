/**
 * Unrealized P&L of open round trips, marked to the latest stored candle close of their
 * instrument (docs/metrics.md, "Unrealized P&L"; docs/decisions/0014). Read side only: the lots
 * still open are recomputed from each position's own fills, nothing is stored.
 */
import type Database from 'better-sqlite3'
import { CANDLE_TIMEFRAMES } from '../core/candles'
import type { Fixed8 } from '../core/decimal'
import { unrealizedPnl } from '../core/mark-to-market'
import { latestCloseReader, type LatestClose } from '../db/queries/market-data'
import { openLotsReader, readOpenPositions, type OpenPosition } from '../db/queries/open-lots'

export interface PositionMark {
  price: Fixed8
  /** Open time (epoch ms) of the candle whose close is the mark. */
  at: number
  unrealizedPnl: Fixed8
}

/**
 * The marks of those `positions` (open ones) whose instrument has candles, by position id. Call
 * it inside a read transaction that also read the positions, so their fills agree with them.
 */
export function markPositions(
  sqlite: Database.Database,
  positions: readonly OpenPosition[],
): Map<string, PositionMark> {
  const marks = new Map<string, PositionMark>()
  if (positions.length === 0) return marks
  const latestClose = latestCloseReader(sqlite, CANDLE_TIMEFRAMES)
  const openLots = openLotsReader(sqlite)
  const closes = new Map<string, LatestClose | undefined>()
  for (const position of positions) {
    if (!closes.has(position.instrumentId)) {
      closes.set(position.instrumentId, latestClose(position.instrumentId))
    }
    const close = closes.get(position.instrumentId)
    if (close === undefined) continue
    const lots = openLots(position)
    if (lots === null) continue
    marks.set(position.id, {
      price: close.close,
      at: close.time,
      unrealizedPnl: unrealizedPnl(position.side, lots, position.multiplier, close.close),
    })
  }
  return marks
}

export interface UnrealizedTotal {
  openPositions: number
  /** Open positions whose instrument has a candle. */
  markedPositions: number
  /** Σ unrealized P&L of the marked ones; null when none is marked. */
  unrealizedPnl: Fixed8 | null
}

/** Unrealized P&L of every open position of one account, or of the journal (null). */
export function unrealizedTotal(
  sqlite: Database.Database,
  accountId: string | null,
): UnrealizedTotal {
  return sqlite
    .transaction(() => {
      const positions = readOpenPositions(sqlite, accountId)
      const marks = markPositions(sqlite, positions)
      let total = 0n
      for (const mark of marks.values()) total += mark.unrealizedPnl
      return {
        openPositions: positions.length,
        markedPositions: marks.size,
        unrealizedPnl: marks.size > 0 ? total : null,
      }
    })
    .deferred()
}
