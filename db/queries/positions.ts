/**
 * Rebuilding round trips (`positions`) from fills, one (account, instrument) at a time.
 *
 * A rebuild never deletes and re-inserts: each round trip keeps its row, and so its tags, notes,
 * strategy and stop, by its stable trade key (the key of its opening fill). Only computed columns
 * are written, and only where they changed; round trips whose key disappeared (their fills were
 * undone) are soft-deleted and come back if the fills do.
 */
import type Database from 'better-sqlite3'
import { divide, fromInteger, multiply } from '../../core/decimal'
import type { EpochMs } from '../../core/time'
import {
  roundTripsInOrder,
  type EngineFill,
  type LotMatching,
  type RoundTrip,
  type Side,
} from '../../core/engine'
import { newRowId } from '../ids'

interface StoredTrip {
  id: string
  tradeKey: string
  deletedAt: bigint | null
  signature: string
}

const COMPUTED = `side, status, quantity, entry_price, exit_price, fees, gross_pnl, net_pnl,
  pnl_percentage, realized_pnl, opened_at, closed_at, pnl_complete, fill_count`

/** Round trips written per upsert statement, and parameters per round trip. */
const UPSERT_ROWS = 50
const UPSERT_PARAMS = 18

const upsertSql = (rows: number) =>
  `INSERT INTO positions (id, trade_key, account_id, instrument_id, ${COMPUTED})
   VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
   ON CONFLICT (account_id, trade_key) DO UPDATE SET
     instrument_id = excluded.instrument_id, side = excluded.side, status = excluded.status,
     quantity = excluded.quantity, entry_price = excluded.entry_price,
     exit_price = excluded.exit_price, fees = excluded.fees, gross_pnl = excluded.gross_pnl,
     net_pnl = excluded.net_pnl, pnl_percentage = excluded.pnl_percentage,
     realized_pnl = excluded.realized_pnl, opened_at = excluded.opened_at,
     closed_at = excluded.closed_at, pnl_complete = excluded.pnl_complete,
     fill_count = excluded.fill_count, deleted_at = NULL`

function prepareStatements(sqlite: Database.Database) {
  return {
    context: sqlite.prepare(
      `SELECT a.lot_matching AS lotMatching, i.multiplier, i.multiplier_known AS multiplierKnown
       FROM accounts a, instruments i WHERE a.id = ? AND i.id = ?`,
    ),
    // In engine order (time, source line, id), straight from trades_rebuild_idx, which holds
    // every column read here: no table row is visited. Rows as arrays: one object per fill (the
    // engine's) instead of two.
    fills: sqlite
      .prepare(
        `SELECT id, coalesce(broker_execution_id, content_key, id), side, quantity, price, fee,
           executed_at, coalesce(source_line, 0)
         FROM trades
         WHERE account_id = ? AND instrument_id = ? AND executed_at >= ? AND deleted_at IS NULL
         ORDER BY executed_at, source_line, id`,
      )
      .raw(),
    stored: sqlite.prepare(
      `SELECT id, trade_key AS tradeKey, deleted_at AS deletedAt,
         json_array(${COMPUTED}) AS signature
       FROM positions WHERE account_id = ? AND instrument_id = ? AND opened_at >= ?`,
    ),
    // A pair's round trips opened before an instant, newest first (positions_pair_opened_idx).
    earlierTrips: sqlite
      .prepare(
        `SELECT opened_at, closed_at FROM positions
         WHERE account_id = ? AND instrument_id = ? AND opened_at < ? AND deleted_at IS NULL
         ORDER BY opened_at DESC, closed_at DESC`,
      )
      .raw(),
    upsertOne: sqlite.prepare(upsertSql(1)),
    upsertMany: sqlite.prepare(upsertSql(UPSERT_ROWS)),
    retire: sqlite.prepare(`UPDATE positions SET deleted_at = ? WHERE id = ?`),
  }
}

// Prepared once per connection: an import rebuilds many pairs.
const statementCache = new WeakMap<Database.Database, ReturnType<typeof prepareStatements>>()

function statementsFor(sqlite: Database.Database) {
  let statements = statementCache.get(sqlite)
  if (!statements) {
    statements = prepareStatements(sqlite)
    statementCache.set(sqlite, statements)
  }
  return statements
}

type FillRow = [string, string, Side, bigint, bigint, bigint, bigint, bigint]

function* engineFills(rows: Iterable<FillRow>): Generator<EngineFill, void> {
  for (const [id, key, side, quantity, price, fee, executedAt, sequence] of rows) {
    yield {
      id,
      key,
      side,
      quantity,
      price,
      fee,
      executedAt: Number(executedAt),
      sequence: Number(sequence),
    }
  }
}

/**
 * The opening time of the latest round trip that opened from a flat position, given a pair's
 * earlier round trips newest first: the one before it closed earlier (a flip's second half
 * opens where the first closes, so the position was not flat there). The pair's first fill
 * (MIN_SAFE_INTEGER) when there is none.
 */
function flatStartBefore(trips: Iterable<[bigint, bigint | null]>): number {
  let candidate: bigint | null = null
  for (const [openedAt, closedAt] of trips) {
    if (candidate !== null && closedAt !== null && closedAt < candidate) return Number(candidate)
    candidate = openedAt
  }
  return Number.MIN_SAFE_INTEGER
}

/**
 * Rebuilds one pair; returns how many round trips were created, changed or removed. The pair's
 * fills stream through the engine and changed round trips are written as they come, so a pair
 * of 10^6 fills is never held at once.
 *
 * `changedFrom`: the earliest time a fill of the pair was added or removed. Round trips closed
 * before the last flat point before it cannot change, so the engine starts there, flat, instead
 * of at the pair's first fill: a day's import into years of history reads that day's fills.
 * Without it (an instrument's terms changed), the whole pair is rebuilt.
 */
export function rebuildPositions(
  sqlite: Database.Database,
  accountId: string,
  instrumentId: string,
  changedFrom?: EpochMs,
): number {
  const statements = statementsFor(sqlite)
  const from =
    changedFrom === undefined
      ? Number.MIN_SAFE_INTEGER
      : flatStartBefore(
          statements.earlierTrips.iterate(accountId, instrumentId, changedFrom) as Iterable<
            [bigint, bigint | null]
          >,
        )
  const context = statements.context.get(accountId, instrumentId) as {
    lotMatching: LotMatching
    multiplier: bigint
    multiplierKnown: bigint
  }
  const pnlComplete = context.multiplierKnown === 1n
  const stored = new Map(
    (statements.stored.all(accountId, instrumentId, from) as StoredTrip[]).map((row) => [
      row.tradeKey,
      row,
    ]),
  )

  let touched = 0
  let pending: unknown[] = []
  const live = new Set<string>()
  // Writing positions while reading trades: better-sqlite3 refuses any write while a statement
  // iterates unless unsafe mode is on; SQLite itself allows it, as long as the rows written are
  // not in the table read, which holds here.
  sqlite.unsafeMode(true)
  try {
    const rows = statements.fills.iterate(
      accountId,
      instrumentId,
      from,
    ) as IterableIterator<FillRow>
    for (const trip of roundTripsInOrder(
      engineFills(rows),
      context.multiplier,
      context.lotMatching,
    )) {
      if (stored.size > 0) live.add(trip.tradeKey)
      const values = computedValues(trip, context.multiplier, pnlComplete)
      const previous = stored.get(trip.tradeKey)
      if (previous && previous.deletedAt === null && previous.signature === signatureOf(values)) {
        continue
      }
      pending.push(previous?.id ?? newRowId(), trip.tradeKey, accountId, instrumentId, ...values)
      touched += 1
      // Written UPSERT_ROWS at a time: one statement per row cost more than the rows themselves.
      if (pending.length === UPSERT_ROWS * UPSERT_PARAMS) {
        statements.upsertMany.run(pending)
        pending = []
      }
    }
  } finally {
    sqlite.unsafeMode(false)
  }
  for (let at = 0; at < pending.length; at += UPSERT_PARAMS) {
    statements.upsertOne.run(pending.slice(at, at + UPSERT_PARAMS))
  }
  const now = Date.now()
  for (const previous of stored.values()) {
    if (previous.deletedAt === null && !live.has(previous.tradeKey)) {
      statements.retire.run(now, previous.id)
      touched += 1
    }
  }
  return touched
}

type ComputedValues = [
  string,
  string,
  bigint,
  bigint,
  bigint | null,
  bigint,
  bigint | null,
  bigint | null,
  bigint | null,
  bigint,
  number,
  number | null,
  number,
  number,
]

function computedValues(trip: RoundTrip, multiplier: bigint, pnlComplete: boolean): ComputedValues {
  const cost = multiply(multiply(trip.quantity, trip.entryPrice), multiplier)
  const percentage =
    trip.netPnl !== null && cost !== 0n
      ? divide(multiply(trip.netPnl, fromInteger(100)), cost)
      : null
  return [
    trip.side,
    trip.status,
    trip.quantity,
    trip.entryPrice,
    trip.exitPrice,
    trip.fees,
    trip.grossPnl,
    trip.netPnl,
    percentage,
    trip.realizedPnl,
    trip.openedAt,
    trip.closedAt,
    pnlComplete ? 1 : 0,
    // A fill has at most one part in a round trip (a crossing fill's other part is in the next).
    trip.parts.length,
  ]
}

/** The same text SQLite's json_array() makes of the stored row, to skip unchanged writes. */
function signatureOf(values: ComputedValues): string {
  return JSON.stringify(values.map((v) => (typeof v === 'bigint' ? `§${v}§` : v))).replace(
    /"§(-?\d+)§"/g,
    '$1',
  )
}
