/**
 * A strategy's signals: imported from CSV (importers/signals.ts), all or nothing, and each
 * matched to the round trip it led to.
 *
 * Matching (docs/strategies.md): a long or short signal leads to the first live round trip on
 * the same instrument, in any account, of the same side, opened within the window after it
 * (signal time ≤ opened_at ≤ signal time + window); an exit signal to the first one closed
 * within the window after it, of either side. Signals are matched in time order, and a round
 * trip is taken by at most one entry signal and one exit signal of a strategy.
 */
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type { ParsedInput, SignalImportResult, SignalPage, SignalView } from '../contract'
import { formatDecimal } from '../core/decimal'
import { isTimeZone, toIsoUtc } from '../core/time'
import { readSignals, isError, type ParsedSignal } from '../importers/signals'
import { decodeFile } from '../importers/sniff'
import type { RowError } from '../importers/types'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { findInstrument } from './market-data'
import { settingValue } from './settings'
import { resolveStrategy } from './strategies'

const MINUTE_MS = 60_000

export function importSignals(
  ctx: ServiceContext,
  input: ParsedInput<'signals.import'>,
): SignalImportResult {
  const sqlite = ctx.journal.sqlite
  const strategy = resolveStrategy(sqlite, input.strategy)
  const zone = input.timezone ?? settingValue(ctx, 'journal.timezone')
  if (!isTimeZone(zone)) {
    throw new AppError('invalid_input', `--tz "${zone}" is not an IANA time zone`)
  }
  const result: SignalImportResult = {
    strategy: strategy.name,
    status: 'rejected',
    signals: 0,
    duplicates: 0,
    matched: 0,
    unmatched: 0,
    errors: [],
  }
  const text = decodeFile(Buffer.from(input.file.content, 'base64')).text
  const signals: ParsedSignal[] = []
  for (const item of readSignals(text, { timezone: zone })) {
    if (isError(item)) result.errors.push(item)
    else signals.push(item)
  }
  const instrumentOf = instrumentFinder(ctx)
  const instruments = new Map<ParsedSignal, string>()
  for (const signal of signals) {
    const found = instrumentOf(signal)
    if (isError(found)) result.errors.push(found)
    else instruments.set(signal, found)
  }
  if (result.errors.length > 0) {
    result.errors.sort((a, b) => a.line - b.line)
    return result
  }

  sqlite
    .transaction(() => {
      const existing = sqlite
        .prepare(
          `SELECT 1 FROM strategy_signals WHERE strategy_id = ? AND instrument_id = ?
             AND signal_at = ? AND direction = ? AND deleted_at IS NULL`,
        )
        .pluck()
      const insert = sqlite.prepare(
        `INSERT INTO strategy_signals (id, strategy_id, instrument_id, signal_at, direction, price,
           strength, metadata, position_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      const matcher = new TripMatcher(sqlite, strategy.id)
      signals.sort((a, b) => a.signalAt - b.signalAt || a.line - b.line)
      for (const signal of signals) {
        const instrumentId = instruments.get(signal) as string
        if (existing.get(strategy.id, instrumentId, signal.signalAt, signal.direction)) {
          result.duplicates += 1
          continue
        }
        const positionId = matcher.take(
          instrumentId,
          signal.direction,
          signal.signalAt,
          signal.signalAt + input.windowMinutes * MINUTE_MS,
        )
        insert.run(
          uuidv7(),
          strategy.id,
          instrumentId,
          signal.signalAt,
          signal.direction,
          signal.price,
          signal.strength,
          signal.metadata === null ? null : JSON.stringify(signal.metadata),
          positionId,
        )
        result.signals += 1
        if (positionId) result.matched += 1
        else result.unmatched += 1
      }
    })
    .immediate()
  result.status = 'imported'
  return result
}

interface Trip {
  id: string
  side: 'long' | 'short'
  /** openedAt for entries, closedAt for exits. */
  at: number
}

/**
 * The round trips signals can lead to, per instrument in time order, read once (a query per
 * signal scanned every round trip of the instrument: there is no index on opened_at), and which
 * of them a signal of the strategy already took, as an entry or as an exit.
 */
class TripMatcher {
  private readonly entries = new Map<string, Trip[]>()
  private readonly exits = new Map<string, Trip[]>()
  private readonly takenEntries = new Set<string>()
  private readonly takenExits = new Set<string>()
  private readonly read

  constructor(sqlite: Database.Database, strategyId: string) {
    this.read = sqlite
      .prepare(
        `SELECT id, side, opened_at, closed_at FROM positions
         WHERE instrument_id = ? AND deleted_at IS NULL`,
      )
      .raw()
    const taken = sqlite
      .prepare(
        `SELECT position_id, direction FROM strategy_signals
         WHERE strategy_id = ? AND position_id IS NOT NULL AND deleted_at IS NULL`,
      )
      .raw()
      .all(strategyId) as [string, string][]
    for (const [positionId, direction] of taken) {
      ;(direction === 'exit' ? this.takenExits : this.takenEntries).add(positionId)
    }
  }

  /** The first free round trip in [from, to] for this signal, marked taken; null when none. */
  take(
    instrumentId: string,
    direction: 'long' | 'short' | 'exit',
    from: number,
    to: number,
  ): string | null {
    const exit = direction === 'exit'
    const trips = this.tripsOf(instrumentId, exit)
    const taken = exit ? this.takenExits : this.takenEntries
    for (let at = firstAtOrAfter(trips, from); at < trips.length; at++) {
      const trip = trips[at] as Trip
      if (trip.at > to) break
      if ((exit || trip.side === direction) && !taken.has(trip.id)) {
        taken.add(trip.id)
        return trip.id
      }
    }
    return null
  }

  private tripsOf(instrumentId: string, exit: boolean): Trip[] {
    const cached = (exit ? this.exits : this.entries).get(instrumentId)
    if (cached) return cached
    const rows = this.read.all(instrumentId) as [string, 'long' | 'short', bigint, bigint | null][]
    const byTime = (a: Trip, b: Trip) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    const entries = rows.map(([id, side, openedAt]) => ({ id, side, at: Number(openedAt) }))
    const exits = rows.flatMap(([id, side, , closedAt]) =>
      closedAt === null ? [] : [{ id, side, at: Number(closedAt) }],
    )
    this.entries.set(instrumentId, entries.sort(byTime))
    this.exits.set(instrumentId, exits.sort(byTime))
    return exit ? exits : entries
  }
}

/** Index of the first trip at or after `time` (binary search over trips in time order). */
function firstAtOrAfter(trips: readonly Trip[], time: number): number {
  let low = 0
  let high = trips.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((trips[middle] as Trip).at < time) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * The instrument id a signal names, found as market data finds instruments (services/
 * market-data.ts findInstrument): the symbol as written, else a futures contract in any notation
 * dated near the signal (ESH6 → ESH26) or an option in any notation (stored in OCC form). A
 * symbol that names several instruments needs the row's asset_class. Signals attach only to
 * instruments the journal knows: making one here could give it a wrong multiplier before its
 * fills are imported.
 */
function instrumentFinder(ctx: ServiceContext) {
  // Per symbol, asset class and year: a one-digit futures year depends on the signal's year.
  const cache = new Map<string, { id: string | null; refusal?: string }>()
  return (signal: ParsedSignal): string | RowError => {
    const year = new Date(signal.signalAt).getUTCFullYear()
    const key = JSON.stringify([signal.symbol, signal.assetClass, year])
    let found = cache.get(key)
    if (!found) {
      try {
        const input = {
          symbol: signal.symbol,
          assetClass: signal.assetClass ?? undefined,
          at: signal.signalAt,
        }
        found = { id: findInstrument(ctx, input)?.id ?? null }
      } catch (error) {
        // The symbol names several instruments: the message asks for the asset class.
        if (!(error instanceof AppError && error.code === 'invalid_input')) throw error
        found = { id: null, refusal: `${error.message} in an asset_class column` }
      }
      cache.set(key, found)
    }
    if (found.refusal !== undefined) {
      return { line: signal.line, column: 'symbol', message: found.refusal }
    }
    return found.id ?? unknownSymbol(signal)
  }
}

function unknownSymbol(signal: ParsedSignal): RowError {
  return {
    line: signal.line,
    column: 'symbol',
    message: `No instrument "${signal.symbol}"${signal.assetClass ? ` (${signal.assetClass})` : ''} in the journal: signals attach to instruments whose trades you imported (futures by contract, e.g. ESH6)`,
  }
}

interface SignalRow {
  id: string
  strategy: string
  symbol: string
  signalAt: bigint
  direction: SignalView['direction']
  price: bigint | null
  strength: bigint | null
  metadata: string | null
  positionId: string | null
}

/** Signals in (time, id) order, keyset-paged. */
export function listSignals(ctx: ServiceContext, input: ParsedInput<'signals.list'>): SignalPage {
  const sqlite = ctx.journal.sqlite
  const strategyId = input.strategy ? resolveStrategy(sqlite, input.strategy).id : null
  const rows = sqlite
    .prepare(
      `SELECT g.id, s.name AS strategy, i.symbol, g.signal_at AS signalAt, g.direction, g.price,
         g.strength, g.metadata, g.position_id AS positionId
       FROM strategy_signals g JOIN strategies s ON s.id = g.strategy_id
         JOIN instruments i ON i.id = g.instrument_id
       WHERE g.deleted_at IS NULL AND (@strategyId IS NULL OR g.strategy_id = @strategyId)
         AND (@matched IS NULL OR (g.position_id IS NOT NULL) = @matched)
         AND (@afterTime IS NULL OR (g.signal_at, g.id) > (@afterTime, @afterId))
       ORDER BY g.signal_at, g.id LIMIT @limit`,
    )
    .all({
      strategyId,
      matched: input.matched === undefined ? null : input.matched ? 1 : 0,
      afterTime: input.after ? Date.parse(input.after.time) : null,
      afterId: input.after?.id ?? null,
      limit: input.limit + 1,
    }) as SignalRow[]
  const more = rows.length > input.limit
  const page = (more ? rows.slice(0, input.limit) : rows).map((row): SignalView => ({
    id: row.id,
    strategy: row.strategy,
    symbol: row.symbol,
    time: toIsoUtc(Number(row.signalAt)),
    direction: row.direction,
    price: row.price === null ? null : formatDecimal(row.price),
    strength: row.strength === null ? null : formatDecimal(row.strength),
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    trade: row.positionId,
  }))
  const last = page[page.length - 1]
  return { rows: page, next: more && last ? { time: last.time, id: last.id } : null }
}
