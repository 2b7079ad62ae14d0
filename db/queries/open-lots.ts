/**
 * What an open round trip still holds, recomputed on read from its own fills
 * (docs/decisions/0014-unrealized-pnl-recomputed-on-read.md): nothing about lots is stored.
 */
import type Database from 'better-sqlite3'
import {
  roundTripsInOrder,
  type EngineFill,
  type Lot,
  type LotMatching,
  type Side,
} from '../../core/engine'

/** An open round trip as `positions` holds it, with its account's lot matching. */
export interface OpenPosition {
  id: string
  accountId: string
  instrumentId: string
  side: 'long' | 'short'
  /** Total opened in its direction (positions.quantity), not what is still open. */
  quantity: bigint
  /** Average price of what it opened (positions.entry_price). */
  entryPrice: bigint
  openedAt: bigint
  /** Fills with a part in it (positions.fill_count). */
  fills: bigint
  multiplier: bigint
  lotMatching: LotMatching
}

/** Live open round trips of one account, or of the journal (null), from positions_open_idx. */
export function readOpenPositions(
  sqlite: Database.Database,
  accountId: string | null,
): OpenPosition[] {
  return sqlite
    .prepare(
      `SELECT p.id, p.account_id AS accountId, p.instrument_id AS instrumentId, p.side,
         p.quantity, p.entry_price AS entryPrice, p.opened_at AS openedAt, p.fill_count AS fills, i.multiplier,
         a.lot_matching AS lotMatching
       FROM positions p JOIN accounts a ON a.id = p.account_id
         JOIN instruments i ON i.id = p.instrument_id
       WHERE p.status = 'open' AND p.deleted_at IS NULL AND (@accountId IS NULL OR p.account_id = @accountId)`,
    )
    .all({ accountId }) as OpenPosition[]
}

type FillRow = [Side, bigint, bigint, bigint, bigint, bigint | null, string]

/**
 * A reader of the lots an open position still holds, by its account's lot matching; null when
 * its fills do not make that round trip again (same quantity and entry price): a row out of step
 * with its fills gets no mark rather than a wrong one. Prepared once, for many positions.
 *
 * The open round trip is a pair's last, so its fills are the pair's last `fills` fills in engine
 * order. The first may be a fill that crossed zero: only its rest opened this round trip, and
 * that rest is what the round trip opened minus what its later fills opened.
 */
export function openLotsReader(
  sqlite: Database.Database,
): (position: OpenPosition) => readonly Lot[] | null {
  // Newest first from trades_rebuild_idx, which holds every column read here.
  const lastFills = sqlite
    .prepare(
      `SELECT side, quantity, price, fee, executed_at, source_line, id FROM trades
       WHERE account_id = ? AND instrument_id = ? AND deleted_at IS NULL AND executed_at >= ?
       ORDER BY executed_at DESC, source_line DESC, id DESC LIMIT ?`,
    )
    .raw()
  return (position) => {
    const { accountId, instrumentId, openedAt, fills } = position
    const rows = lastFills.all(accountId, instrumentId, openedAt, fills) as FillRow[]
    return replayOpenLots(position, rows)
  }
}

/** The open round trip's lots from its fills, newest first; see {@link openLotsReader}. */
function replayOpenLots(position: OpenPosition, rows: FillRow[]): readonly Lot[] | null {
  if (rows.length !== Number(position.fills)) return null
  rows.reverse()
  const opening: Side = position.side === 'long' ? 'buy' : 'sell'
  const [first] = rows
  if (first === undefined || first[0] !== opening) return null
  let openedLater = 0n
  for (const [side, quantity] of rows.slice(1)) if (side === opening) openedLater += quantity
  const firstOpened = position.quantity - openedLater
  if (firstOpened <= 0n || firstOpened > first[1]) return null

  // Fees never move lots; the crossing fill's fee is left whole.
  const fills: EngineFill[] = rows.map(([side, quantity, price, fee, executedAt, line, id], i) => ({
    id,
    key: id,
    side,
    quantity: i === 0 ? firstOpened : quantity,
    price,
    fee,
    executedAt: Number(executedAt),
    sequence: Number(line ?? 0n),
  }))
  const trips = [...roundTripsInOrder(fills, position.multiplier, position.lotMatching)]
  const [trip] = trips
  if (trips.length !== 1 || trip === undefined || trip.status !== 'open') return null
  // The row must be this round trip: as much opened, at the same average price.
  if (trip.quantity !== position.quantity || trip.entryPrice !== position.entryPrice) return null
  return trip.openLots
}
