/**
 * Reading the journal's fills, round trips and import batches as JSON-safe views (amounts as
 * decimal strings, times as ISO 8601 UTC), and undoing an import.
 */
import type { AccountView, BatchView, ParsedInput, TradePage, TradeView } from '../contract'
import { formatDecimal } from '../core/decimal'
import { toIsoUtc } from '../core/time'
import { rangeBound } from '../core/time-parse'
import {
  readBatches,
  readFills,
  readTrades,
  type ReadFilter,
  type TradeFilter,
  type TradeRow,
} from '../db/queries/journal-reads'
import { batchFillStarts } from '../db/queries/daily-aggregates'
import { rebuildPositions } from '../db/queries/positions'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { markPositions, type PositionMark } from './mark-to-market'
import { afterPositionsChanged } from './risk'
import { settingValue } from './settings'

const decimalOrNull = (value: bigint | null) => (value === null ? null : formatDecimal(value))
const isoOrNull = (value: bigint | null) => (value === null ? null : toIsoUtc(Number(value)))

export function listFills(ctx: ServiceContext, filter: ReadFilter) {
  return readFills(ctx.journal.sqlite, filter).map((row) => ({
    id: row.id,
    account: row.account,
    symbol: row.symbol,
    assetClass: row.assetClass,
    side: row.side,
    quantity: formatDecimal(row.quantity),
    price: formatDecimal(row.price),
    fee: formatDecimal(row.fee),
    currency: row.currency,
    multiplier: formatDecimal(row.multiplier),
    multiplierKnown: row.multiplierKnown === 1n,
    time: toIsoUtc(Number(row.executedAt)),
    sourceTimezone: row.sourceTimezone,
    fillId: row.brokerExecutionId,
    orderId: row.brokerOrderId,
    derived: row.isDerived === 1n,
    batchId: row.importBatchId,
    line: row.sourceLine === null ? null : Number(row.sourceLine),
    note: row.note,
  }))
}

/**
 * Round trips as views; open ones marked to their instrument's latest candle close. One read
 * transaction, so each open position's fills agree with its row while an import writes.
 */
export function listTrades(ctx: ServiceContext, filter: TradeFilter): TradeView[] {
  const sqlite = ctx.journal.sqlite
  return sqlite
    .transaction(() => {
      const rows = readTrades(sqlite, filter)
      const marks = markPositions(
        sqlite,
        rows.filter((row) => row.status === 'open'),
      )
      return rows.map((row) => tradeView(row, marks.get(row.id)))
    })
    .deferred()
}

function tradeView(row: TradeRow, mark: PositionMark | undefined): TradeView {
  return {
    id: row.id,
    account: row.account,
    symbol: row.symbol,
    assetClass: row.assetClass,
    side: row.side,
    status: row.status,
    openedAt: toIsoUtc(Number(row.openedAt)),
    closedAt: isoOrNull(row.closedAt),
    quantity: formatDecimal(row.quantity),
    entryPrice: formatDecimal(row.entryPrice),
    exitPrice: decimalOrNull(row.exitPrice),
    multiplier: formatDecimal(row.multiplier),
    grossPnl: decimalOrNull(row.grossPnl),
    fees: formatDecimal(row.fees),
    netPnl: decimalOrNull(row.netPnl),
    realizedPnl: formatDecimal(row.realizedPnl),
    pnlComplete: row.pnlComplete === 1n,
    fills: Number(row.fills),
    markPrice: mark === undefined ? null : formatDecimal(mark.price),
    markedAt: mark === undefined ? null : toIsoUtc(mark.at),
    unrealizedPnl: mark === undefined ? null : formatDecimal(mark.unrealizedPnl),
  }
}

/** One page of round trips for the UI: keyset-paged, never the whole journal. */
export function tradesPage(ctx: ServiceContext, input: ParsedInput<'trades.list'>): TradePage {
  const zone = settingValue(ctx, 'journal.timezone')
  const rows = listTrades(ctx, {
    account: input.account,
    symbol: input.symbol,
    status: input.status,
    from: input.from === undefined ? undefined : rangeBound(input.from, zone),
    to: input.to === undefined ? undefined : rangeBound(input.to, zone, 1),
    newestFirst: input.newestFirst,
    after: input.after && { openedAt: Date.parse(input.after.openedAt), id: input.after.id },
    limit: input.limit + 1,
  })
  const more = rows.length > input.limit
  const page = more ? rows.slice(0, input.limit) : rows
  const last = page[page.length - 1]
  return { rows: page, next: more && last ? { openedAt: last.openedAt, id: last.id } : null }
}

export function listBatches(ctx: ServiceContext): BatchView[] {
  return readBatches(ctx.journal.sqlite).map((row) => ({
    id: row.id,
    file: row.fileName,
    sha256: row.sha256,
    format: row.format,
    parserVersion: row.parserVersion,
    status: row.status,
    rows: Number(row.rowCount),
    fills: Number(row.fillCount),
    duplicates: Number(row.duplicateCount),
    errors: Number(row.errorCount),
    importedAt: toIsoUtc(Number(row.startedAt)),
  }))
}

/** Removes a batch's fills and rebuilds the round trips they were part of, in one transaction. */
export function undoImport(ctx: ServiceContext, batchId: string) {
  const sqlite = ctx.journal.sqlite
  return sqlite
    .transaction(() => {
      const batch = sqlite
        .prepare(`SELECT status FROM import_batches WHERE id = ? AND deleted_at IS NULL`)
        .get(batchId) as { status: string } | undefined
      if (!batch) throw new AppError('not_found', `No import batch ${batchId} (blotter imports)`)
      if (batch.status !== 'imported') {
        throw new AppError('conflict', `Import batch ${batchId} is ${batch.status}, not imported`)
      }
      // Each pair's earliest removed fill: where its rebuild starts.
      const pairs = sqlite
        .prepare(
          `SELECT account_id AS accountId, instrument_id AS instrumentId, min(executed_at) AS since
           FROM trades WHERE import_batch_id = ? GROUP BY account_id, instrument_id`,
        )
        .all(batchId) as { accountId: string; instrumentId: string; since: bigint }[]
      // Fills are facts, not user data: an undone import removes them (the audit log keeps them),
      // so importing the file again brings them back instead of meeting their tombstones.
      const changedFrom = batchFillStarts(sqlite, batchId)
      const removed = sqlite.prepare(`DELETE FROM trades WHERE import_batch_id = ?`).run(batchId)
      sqlite.prepare(`UPDATE import_batches SET status = 'undone' WHERE id = ?`).run(batchId)
      let trades = 0
      for (const pair of pairs) {
        trades += rebuildPositions(sqlite, pair.accountId, pair.instrumentId, Number(pair.since))
      }
      afterPositionsChanged(sqlite, changedFrom)
      return { batchId, fills: removed.changes, trades }
    })
    .immediate()
}

/** Every account, archived ones last; few rows (one per broker account), so not paged. */
export function listAccounts(ctx: ServiceContext): AccountView[] {
  const rows = ctx.journal.sqlite
    .prepare(
      `SELECT id, name, broker, base_currency AS baseCurrency, timezone,
         starting_balance AS startingBalance, lot_matching AS lotMatching, is_archived AS archived
       FROM accounts WHERE deleted_at IS NULL ORDER BY is_archived, name COLLATE NOCASE`,
    )
    .all() as (Omit<AccountView, 'startingBalance' | 'archived'> & {
    startingBalance: bigint
    archived: bigint
  })[]
  return rows.map((row) => ({
    ...row,
    startingBalance: formatDecimal(row.startingBalance),
    archived: row.archived === 1n,
  }))
}
