/**
 * Backtests: a backtest's trade list imported into a `backtests` row (its round trips, compact,
 * and their statistics in `results`), and compared with the live trades of the same strategy.
 * Nothing of a backtest touches the live journal: its fills never become `trades` rows.
 */
import { basename } from 'node:path'
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type {
  BacktestComparison,
  BacktestImportResult,
  BacktestView,
  ParsedInput,
  StatisticsView,
} from '../contract'
import { formatDecimal, fromInteger, parseDecimal, type Fixed8 } from '../core/decimal'
import { futuresSpec } from '../core/instruments/futures'
import { computeStats, type StatTrade } from '../core/stats'
import { isTimeZone, toIsoUtc } from '../core/time'
import { calendarDate } from '../core/time-parse'
import {
  detectBacktestKind,
  readFillsCsv,
  readRoundTripCsv,
  type BacktestTrip,
} from '../importers/backtest-trades'
import { decodeFile } from '../importers/sniff'
import type { InstrumentSpec } from '../importers/types'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { userFuturesTable } from './instruments'
import { settingValue } from './settings'
import { statisticsView, statsSummary } from './stats'
import { resolveStrategy } from './strategies'

/** Column order of `results.roundTrips.rows`. */
const TRIP_COLUMNS = [
  'symbol',
  'side',
  'quantity',
  'entryPrice',
  'exitPrice',
  'openedAt',
  'closedAt',
  'fees',
  'grossPnl',
  'netPnl',
] as const

type TripRow = [
  string,
  'long' | 'short',
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
]

interface BacktestResults {
  kind: 'fills' | 'round-trips'
  file: string
  roundTrips: { columns: typeof TRIP_COLUMNS; rows: TripRow[] }
  statistics: StatisticsView
  warnings: string[]
}

function tripRow(trip: BacktestTrip): TripRow {
  return [
    trip.symbol,
    trip.side,
    formatDecimal(trip.quantity),
    formatDecimal(trip.entryPrice),
    formatDecimal(trip.exitPrice),
    toIsoUtc(trip.openedAt),
    toIsoUtc(trip.closedAt),
    formatDecimal(trip.fees),
    formatDecimal(trip.grossPnl),
    formatDecimal(trip.netPnl),
  ]
}

/** A backtest round trip as the statistics see it (no account, tags or risk). */
function statTrade(row: TripRow, index: number, strategyId: string): StatTrade {
  const [symbol, side, , , , openedAt, closedAt, fees, grossPnl, netPnl] = row
  return {
    id: `backtest-${index + 1}`,
    accountId: 'backtest',
    symbol,
    assetClass: 'unknown',
    side,
    strategyId,
    tags: [],
    openedAt: Date.parse(openedAt),
    closedAt: Date.parse(closedAt),
    grossPnl: parseDecimal(grossPnl),
    fees: parseDecimal(fees),
    netPnl: parseDecimal(netPnl),
    initialRisk: null,
  }
}

/** An instrument's multiplier as the live import would take it; null for an unknown future. */
function multiplierFinder(ctx: ServiceContext) {
  const userFutures = userFuturesTable(ctx)
  return (instrument: InstrumentSpec): Fixed8 | null => {
    if (instrument.multiplier !== null) return instrument.multiplier
    switch (instrument.assetClass) {
      case 'option':
        return fromInteger(100)
      case 'future':
        return (
          futuresSpec(instrument.underlying ?? instrument.symbol, userFutures)?.multiplier ?? null
        )
      case 'cfd':
        return userFutures[instrument.symbol]?.multiplier ?? null
      default:
        return fromInteger(1)
    }
  }
}

export function importBacktest(
  ctx: ServiceContext,
  input: ParsedInput<'backtests.import'>,
): BacktestImportResult {
  const sqlite = ctx.journal.sqlite
  const strategy = resolveStrategy(sqlite, input.strategy)
  const journalZone = settingValue(ctx, 'journal.timezone')
  const zone = input.timezone ?? journalZone
  if (!isTimeZone(zone)) {
    throw new AppError('invalid_input', `--tz "${zone}" is not an IANA time zone`)
  }
  const capital = parseDecimal(input.initialCapital)
  if (capital <= 0n) {
    throw new AppError('invalid_input', `initial capital must be greater than 0`)
  }
  const file = basename(input.file.name)
  const result: BacktestImportResult = {
    status: 'rejected',
    backtest: null,
    kind: null,
    warnings: [],
    errors: [],
  }
  const text = decodeFile(Buffer.from(input.file.content, 'base64')).text
  const kind = input.format === 'auto' ? detectBacktestKind(text) : input.format
  if (kind === null) {
    result.errors.push({
      line: 1,
      column: null,
      message:
        'Neither a Blotter fills CSV (time, symbol, side, quantity, price) nor a round-trip CSV ' +
        '(symbol, side, entry_time, exit_time, quantity, entry_price, exit_price)',
    })
    return result
  }
  result.kind = kind
  const read =
    kind === 'fills'
      ? readFillsCsv(text, { timezone: zone, fileName: file }, multiplierFinder(ctx))
      : readRoundTripCsv(text, { timezone: zone })
  result.warnings = read.warnings
  result.errors = read.errors
  if (read.errors.length > 0) return result
  if (read.trips.length === 0) {
    result.errors.push({ line: 1, column: null, message: 'The file holds no closed round trip' })
    return result
  }

  const rows = read.trips.map(tripRow)
  const statistics = computeStats(
    rows.map((row, index) => statTrade(row, index, strategy.id)),
    { timezone: journalZone, startingBalance: capital },
  )
  const results: BacktestResults = {
    kind,
    file,
    roundTrips: { columns: TRIP_COLUMNS, rows },
    statistics: statisticsView(statistics),
    warnings: read.warnings,
  }
  // reduce, not Math.min(...): spreading 10^5+ trips overflows the call stack.
  const first = read.trips.reduce((min, trip) => Math.min(min, trip.openedAt), Infinity)
  const last = read.trips.reduce((max, trip) => Math.max(max, trip.closedAt), -Infinity)
  const id = uuidv7()
  sqlite
    .prepare(
      `INSERT INTO backtests (id, strategy_id, strategy_version, name, period_start, period_end,
         initial_capital, currency, parameters, results, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'completed')`,
    )
    .run(
      id,
      strategy.id,
      strategy.configVersion,
      input.name ?? file,
      calendarDate(first, journalZone),
      calendarDate(last, journalZone),
      capital,
      settingValue(ctx, 'journal.baseCurrency'),
      JSON.stringify(input.parameters),
      JSON.stringify(results),
    )
  result.status = 'imported'
  result.backtest = readBacktests(sqlite, { id })[0] ?? null
  return result
}

interface BacktestRow {
  id: string
  strategyId: string
  strategy: string
  strategyVersion: bigint | null
  name: string
  periodStart: string
  periodEnd: string
  initialCapital: bigint
  currency: string
  parameters: string
  results: string | null
  status: string
  createdAt: bigint
}

function readRows(
  sqlite: Database.Database,
  filter: { id?: string; strategyId?: string },
): BacktestRow[] {
  return sqlite
    .prepare(
      `SELECT b.id, b.strategy_id AS strategyId, s.name AS strategy,
         b.strategy_version AS strategyVersion, b.name, b.period_start AS periodStart,
         b.period_end AS periodEnd, b.initial_capital AS initialCapital, b.currency,
         b.parameters, b.results, b.status, b.created_at AS createdAt
       FROM backtests b JOIN strategies s ON s.id = b.strategy_id
       WHERE b.deleted_at IS NULL AND (@id IS NULL OR b.id = @id)
         AND (@strategyId IS NULL OR b.strategy_id = @strategyId)
       ORDER BY b.created_at, b.id`,
    )
    .all({ id: filter.id ?? null, strategyId: filter.strategyId ?? null }) as BacktestRow[]
}

function resultsOf(row: BacktestRow): BacktestResults | null {
  return row.results === null ? null : (JSON.parse(row.results) as BacktestResults)
}

function toView(row: BacktestRow): BacktestView {
  const results = resultsOf(row)
  return {
    id: row.id,
    strategy: row.strategy,
    name: row.name,
    strategyVersion: row.strategyVersion === null ? null : Number(row.strategyVersion),
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    initialCapital: formatDecimal(row.initialCapital),
    currency: row.currency,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    status: row.status,
    trades: results?.roundTrips.rows.length ?? 0,
    statistics: results?.statistics ?? null,
    createdAt: toIsoUtc(Number(row.createdAt)),
  }
}

function readBacktests(
  sqlite: Database.Database,
  filter: { id?: string; strategyId?: string },
): BacktestView[] {
  return readRows(sqlite, filter).map(toView)
}

export function listBacktests(
  ctx: ServiceContext,
  input: ParsedInput<'backtests.list'>,
): BacktestView[] {
  const sqlite = ctx.journal.sqlite
  const strategyId = input.strategy ? resolveStrategy(sqlite, input.strategy).id : undefined
  return readBacktests(sqlite, strategyId ? { strategyId } : {})
}

/**
 * The backtest's statistics beside those of the strategy's live trades closed in the same
 * calendar days (journal zone), or in from–to when given, and live − backtest for each figure.
 */
export function compareBacktest(
  ctx: ServiceContext,
  input: ParsedInput<'backtests.compare'>,
): BacktestComparison {
  const sqlite = ctx.journal.sqlite
  const strategy = resolveStrategy(sqlite, input.strategy)
  const row = readRows(sqlite, { id: input.backtest, strategyId: strategy.id })[0]
  if (!row) {
    throw new AppError(
      'not_found',
      `No backtest ${input.backtest} of strategy "${strategy.name}" (blotter strategies backtest list)`,
    )
  }
  const results = resultsOf(row)
  if (!results) {
    throw new AppError('conflict', `Backtest ${row.id} has no results (status ${row.status})`)
  }
  const from = input.from ?? row.periodStart
  const to = input.to ?? row.periodEnd
  if (to < from) throw new AppError('invalid_input', `from ${from} is after to ${to}`)
  const zone = settingValue(ctx, 'journal.timezone')
  const backtestStats = statisticsView(
    computeStats(
      results.roundTrips.rows.map((trip, index) => statTrade(trip, index, strategy.id)),
      { timezone: zone, startingBalance: row.initialCapital },
    ),
  )
  const liveStats = statsSummary(ctx, { strategy: strategy.id, from, to, tz: zone })
  return {
    strategy: strategy.name,
    backtest: {
      id: row.id,
      name: row.name,
      periodStart: row.periodStart,
      periodEnd: row.periodEnd,
    },
    period: { from, to },
    backtestStats,
    liveStats,
    differences: differences(liveStats, backtestStats),
  }
}

const DECIMAL = /^-?\d+(\.\d+)?$/

/**
 * live − backtest for every figure both sides state as an amount (decimal strings: exact) or a
 * number (counts and ratios, rounded to 12 places to drop binary noise); null where either is
 * null. Lists and objects (per-account returns) are left out.
 */
export function differences(
  live: StatisticsView,
  backtest: StatisticsView,
): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {}
  const backtestFigures: Record<string, unknown> = { ...backtest }
  for (const [key, liveValue] of Object.entries(live)) {
    const backtestValue = backtestFigures[key]
    if (liveValue === null || backtestValue === null) {
      out[key] = null
    } else if (typeof liveValue === 'number' && typeof backtestValue === 'number') {
      out[key] = Number((liveValue - backtestValue).toFixed(12))
    } else if (
      typeof liveValue === 'string' &&
      typeof backtestValue === 'string' &&
      DECIMAL.test(liveValue) &&
      DECIMAL.test(backtestValue)
    ) {
      out[key] = formatDecimal(parseDecimal(liveValue) - parseDecimal(backtestValue))
    }
  }
  return out
}
