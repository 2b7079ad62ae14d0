/**
 * Reading fills, round trips and import batches for the CLI and the contract: live rows only,
 * filtered in SQL, amounts as exact bigints.
 */
import type Database from 'better-sqlite3'
import type { LotMatching } from '../../core/engine'

export interface ReadFilter {
  account?: string
  symbol?: string
  /** Inclusive lower bound, epoch ms. */
  from?: number
  /** Exclusive upper bound, epoch ms. */
  to?: number
}

export interface FillRow {
  id: string
  account: string
  symbol: string
  assetClass: string
  multiplier: bigint
  multiplierKnown: bigint
  side: 'buy' | 'sell'
  quantity: bigint
  price: bigint
  fee: bigint
  currency: string
  executedAt: bigint
  sourceTimezone: string
  brokerExecutionId: string | null
  brokerOrderId: string | null
  isDerived: bigint
  importBatchId: string | null
  sourceLine: bigint | null
  note: string | null
}

export interface TradeRow {
  id: string
  accountId: string
  instrumentId: string
  account: string
  symbol: string
  assetClass: string
  side: 'long' | 'short'
  status: 'open' | 'closed'
  openedAt: bigint
  closedAt: bigint | null
  quantity: bigint
  entryPrice: bigint
  exitPrice: bigint | null
  multiplier: bigint
  grossPnl: bigint | null
  fees: bigint
  netPnl: bigint | null
  realizedPnl: bigint
  pnlComplete: bigint
  fills: bigint
  lotMatching: LotMatching
}

export interface BatchRow {
  id: string
  fileName: string
  sha256: string
  format: string
  parserVersion: string
  status: string
  rowCount: bigint
  fillCount: bigint
  duplicateCount: bigint
  errorCount: bigint
  startedAt: bigint
  finishedAt: bigint | null
}

function where(filter: ReadFilter, timeColumn: string): { sql: string; params: unknown[] } {
  const clauses: string[] = []
  const params: unknown[] = []
  if (filter.account) {
    clauses.push('a.name = ?')
    params.push(filter.account)
  }
  if (filter.symbol) {
    clauses.push('(i.symbol = ? OR i.underlying_symbol = ?)')
    params.push(filter.symbol, filter.symbol)
  }
  if (filter.from !== undefined) {
    clauses.push(`${timeColumn} >= ?`)
    params.push(filter.from)
  }
  if (filter.to !== undefined) {
    clauses.push(`${timeColumn} < ?`)
    params.push(filter.to)
  }
  return { sql: clauses.map((clause) => ` AND ${clause}`).join(''), params }
}

export function readFills(sqlite: Database.Database, filter: ReadFilter): FillRow[] {
  const condition = where(filter, 't.executed_at')
  return sqlite
    .prepare(
      `SELECT t.id, a.name AS account, i.symbol, i.asset_class AS assetClass, i.multiplier,
         i.multiplier_known AS multiplierKnown, t.side, t.quantity, t.price, t.fee, t.currency, t.executed_at AS executedAt,
         t.source_timezone AS sourceTimezone, t.broker_execution_id AS brokerExecutionId,
         t.broker_order_id AS brokerOrderId, t.is_derived AS isDerived, t.import_batch_id AS importBatchId,
         t.source_line AS sourceLine, t.note
       FROM trades t JOIN accounts a ON a.id = t.account_id JOIN instruments i ON i.id = t.instrument_id
       WHERE t.deleted_at IS NULL${condition.sql}
       ORDER BY t.executed_at, t.source_line, t.id`,
    )
    .all(...condition.params) as FillRow[]
}

export interface TradeFilter extends ReadFilter {
  status?: 'open' | 'closed'
  /** List order: (openedAt, id) ascending, or descending when newest first. */
  newestFirst?: boolean
  /** Keyset: only round trips after this (openedAt, id) in list order. */
  after?: { openedAt: number; id: string }
  limit?: number
}

export function readTrades(sqlite: Database.Database, filter: TradeFilter): TradeRow[] {
  const condition = where(filter, 'p.opened_at')
  const params = [...condition.params]
  let extra = ''
  if (filter.status) {
    extra += ' AND p.status = ?'
    params.push(filter.status)
  }
  if (filter.after) {
    extra += ` AND (p.opened_at, p.id) ${filter.newestFirst ? '<' : '>'} (?, ?)`
    params.push(filter.after.openedAt, filter.after.id)
  }
  const direction = filter.newestFirst ? 'DESC' : 'ASC'
  if (filter.limit !== undefined) params.push(filter.limit)
  return sqlite
    .prepare(
      `SELECT p.id, p.account_id AS accountId, p.instrument_id AS instrumentId, a.name AS account,
         i.symbol, i.asset_class AS assetClass, p.side, p.status,
         p.opened_at AS openedAt, p.closed_at AS closedAt, p.quantity,
         p.entry_price AS entryPrice, p.exit_price AS exitPrice, i.multiplier,
         p.gross_pnl AS grossPnl, p.fees, p.net_pnl AS netPnl, p.realized_pnl AS realizedPnl,
         p.pnl_complete AS pnlComplete, p.fill_count AS fills, a.lot_matching AS lotMatching
       FROM positions p JOIN accounts a ON a.id = p.account_id JOIN instruments i ON i.id = p.instrument_id
       WHERE p.deleted_at IS NULL${condition.sql}${extra}
       ORDER BY p.opened_at ${direction}, p.id ${direction}${filter.limit !== undefined ? ' LIMIT ?' : ''}`,
    )
    .all(...params) as TradeRow[]
}

export function readBatches(sqlite: Database.Database): BatchRow[] {
  return sqlite
    .prepare(
      `SELECT id, file_name AS fileName, sha256, format, parser_version AS parserVersion, status,
         row_count AS rowCount, fill_count AS fillCount, duplicate_count AS duplicateCount,
         error_count AS errorCount, started_at AS startedAt, finished_at AS finishedAt
       FROM import_batches WHERE deleted_at IS NULL ORDER BY started_at, id`,
    )
    .all() as BatchRow[]
}
