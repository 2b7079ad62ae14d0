/**
 * Imports, orders, fills (`trades`) and round trips (`positions`).
 *
 * Fills are immutable facts, each with the import batch and source line it came from. Positions
 * are derived from fills by the trade engine and can be rebuilt at any time; what the trader
 * adds (tags, notes, strategy, stop) survives because a rebuild keeps each position's row (and
 * id) by its stable `trade_key` instead of deleting and re-inserting. See
 * docs/decisions/0004-schema-conventions.md.
 */
import { sql } from 'drizzle-orm'
import {
  check,
  index,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core'
import {
  bool,
  boolCheck,
  col,
  currencyCheck,
  enumCheck,
  epochMs,
  fixed8,
  int,
  jsonCheck,
  notBlankCheck,
  NOW_MS,
  rowVersion,
  sha256Check,
  timestamps,
  uuidPk,
} from './columns'
import { accounts } from './accounts'
import { instruments } from './instruments'
import { strategies } from './strategies'

export const IMPORT_STATUSES = ['pending', 'imported', 'rejected', 'undone'] as const

/** One file import. Deleting a batch (undo) deletes the fills it brought in (CASCADE). */
export const importBatches = sqliteTable(
  'import_batches',
  {
    id: uuidPk(),
    /** NULL when one file holds several accounts (each fill names its own). */
    accountId: text('account_id').references((): AnySQLiteColumn => accounts.id, {
      onDelete: 'restrict',
    }),
    fileName: text('file_name').notNull(),
    /** SHA-256 of the file's bytes, lower-case hex: re-importing the same file is detected. */
    sha256: text('sha256').notNull(),
    /** Parser that read it, e.g. 'ibkr-flex-trades-csv'. */
    format: text('format').notNull(),
    parserVersion: text('parser_version').notNull(),
    rowCount: int('row_count').notNull().default(0),
    fillCount: int('fill_count').notNull().default(0),
    duplicateCount: int('duplicate_count').notNull().default(0),
    errorCount: int('error_count').notNull().default(0),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('pending'),
    /** Rejected lines: [{ line, column, message }]. */
    errors: text('errors', { mode: 'json' }).$type<
      { line: number; column?: string; message: string }[]
    >(),
    startedAt: epochMs('started_at').notNull().default(NOW_MS),
    finishedAt: epochMs('finished_at'),
    ...timestamps(),
  },
  (t) => [
    index('import_batches_account_idx').on(t.accountId, t.startedAt),
    index('import_batches_sha256_idx').on(t.sha256),
    notBlankCheck('import_batches_file_name_not_blank', t.fileName),
    sha256Check('import_batches_sha256_hex', t.sha256),
    notBlankCheck('import_batches_format_not_blank', t.format),
    check(
      'import_batches_counts_non_negative',
      sql`${col(t.rowCount)} >= 0 AND ${col(t.fillCount)} >= 0 AND ${col(t.duplicateCount)} >= 0 AND ${col(t.errorCount)} >= 0`,
    ),
    enumCheck('import_batches_status_enum', t.status),
    jsonCheck('import_batches_errors_json_array', t.errors, 'array'),
    check(
      'import_batches_finished_after_started',
      sql`${col(t.finishedAt)} IS NULL OR ${col(t.finishedAt)} >= ${col(t.startedAt)}`,
    ),
  ],
)

export const SIDES = ['buy', 'sell'] as const
export const ORDER_TYPES = [
  'market',
  'limit',
  'stop',
  'stop_limit',
  'trailing_stop',
  'market_on_close',
  'limit_on_close',
] as const
export const TIMES_IN_FORCE = ['day', 'gtc', 'gtd', 'ioc', 'fok', 'opg', 'cls'] as const
export const ORDER_STATUSES = [
  'pending',
  'open',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
] as const

export const orders = sqliteTable(
  'orders',
  {
    id: uuidPk(),
    accountId: text('account_id')
      .notNull()
      .references((): AnySQLiteColumn => accounts.id, { onDelete: 'restrict' }),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'restrict' }),
    brokerOrderId: text('broker_order_id'),
    side: text('side', { enum: SIDES }).notNull(),
    orderType: text('order_type', { enum: ORDER_TYPES }).notNull(),
    timeInForce: text('time_in_force', { enum: TIMES_IN_FORCE }),
    quantity: fixed8('quantity').notNull(),
    filledQuantity: fixed8('filled_quantity')
      .notNull()
      .default(sql`0`),
    limitPrice: fixed8('limit_price'),
    stopPrice: fixed8('stop_price'),
    avgFillPrice: fixed8('avg_fill_price'),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('open'),
    placedAt: epochMs('placed_at').notNull(),
    closedAt: epochMs('closed_at'),
    importBatchId: text('import_batch_id').references(() => importBatches.id, {
      onDelete: 'cascade',
    }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('orders_broker_order_id_unique')
      .on(t.accountId, t.brokerOrderId)
      .where(sql`${col(t.brokerOrderId)} IS NOT NULL`),
    index('orders_account_placed_idx').on(t.accountId, t.placedAt),
    index('orders_instrument_idx').on(t.instrumentId),
    index('orders_import_batch_idx')
      .on(t.importBatchId)
      .where(sql`${col(t.importBatchId)} IS NOT NULL`),
    enumCheck('orders_side_enum', t.side),
    enumCheck('orders_order_type_enum', t.orderType),
    enumCheck('orders_time_in_force_enum', t.timeInForce),
    check('orders_quantity_positive', sql`${col(t.quantity)} > 0`),
    check(
      'orders_filled_quantity_range',
      sql`${col(t.filledQuantity)} >= 0 AND ${col(t.filledQuantity)} <= ${col(t.quantity)}`,
    ),
    check('orders_limit_price_non_negative', sql`${col(t.limitPrice)} >= 0`),
    check('orders_stop_price_non_negative', sql`${col(t.stopPrice)} >= 0`),
    check('orders_avg_fill_price_non_negative', sql`${col(t.avgFillPrice)} >= 0`),
    enumCheck('orders_status_enum', t.status),
    check(
      'orders_closed_after_placed',
      sql`${col(t.closedAt)} IS NULL OR ${col(t.closedAt)} >= ${col(t.placedAt)}`,
    ),
  ],
)

/**
 * Executions (fills): one immutable row per fill, as the broker reported it. The table keeps
 * the seed's name `trades`; the round trip a trader calls "a trade" is a `positions` row.
 */
export const trades = sqliteTable(
  'trades',
  {
    id: uuidPk(),
    accountId: text('account_id')
      .notNull()
      .references((): AnySQLiteColumn => accounts.id, { onDelete: 'restrict' }),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'restrict' }),
    orderId: text('order_id').references(() => orders.id, { onDelete: 'set null' }),
    side: text('side', { enum: SIDES }).notNull(),
    quantity: fixed8('quantity').notNull(),
    price: fixed8('price').notNull(),
    /** Commissions and fees of this fill, in `currency`, as a positive amount. */
    fee: fixed8('fee')
      .notNull()
      .default(sql`0`),
    currency: text('currency').notNull(),
    executedAt: epochMs('executed_at').notNull(),
    /** IANA zone the source stated the time in (the instant itself is UTC). */
    sourceTimezone: text('source_timezone').notNull().default('UTC'),
    /** The broker's execution id, when the export has one: the primary dedupe key. */
    brokerExecutionId: text('broker_execution_id'),
    /** The broker's id of the order this fill executed (several fills can share one). */
    brokerOrderId: text('broker_order_id'),
    /** Hash of the fill's normalised content: the dedupe key when there is no execution id. */
    contentKey: text('content_key'),
    /** True when synthesised from a trade-level export (entry/exit rows, no real fills). */
    isDerived: bool('is_derived').notNull().default(false),
    /** The import that brought the fill in; undoing the import deletes it. NULL: typed in. */
    importBatchId: text('import_batch_id').references(() => importBatches.id, {
      onDelete: 'cascade',
    }),
    /** 1-based line of the source file. */
    sourceLine: int('source_line'),
    /** The source line as read, for "show me where this came from". */
    rawSource: text('raw_source'),
    note: text('note'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('trades_broker_execution_id_unique')
      .on(t.accountId, t.brokerExecutionId)
      .where(sql`${col(t.brokerExecutionId)} IS NOT NULL`),
    uniqueIndex('trades_content_key_unique')
      .on(t.accountId, t.contentKey)
      .where(sql`${col(t.contentKey)} IS NOT NULL`),
    // Covers the trade engine's read of one (account, instrument) in engine order, so a rebuild
    // visits index pages only. Also serves every read of fills by account or by instrument
    // (docs/decisions/0009 and 0013-narrow-fills-indexes.md).
    index('trades_rebuild_idx').on(
      t.accountId,
      t.instrumentId,
      t.executedAt,
      t.sourceLine,
      t.id,
      t.deletedAt,
      t.side,
      t.quantity,
      t.price,
      t.fee,
      t.brokerExecutionId,
      t.contentKey,
    ),
    index('trades_import_batch_idx').on(t.importBatchId),
    index('trades_order_idx')
      .on(t.orderId)
      .where(sql`${col(t.orderId)} IS NOT NULL`),
    enumCheck('trades_side_enum', t.side),
    check('trades_quantity_positive', sql`${col(t.quantity)} > 0`),
    check('trades_price_non_negative', sql`${col(t.price)} >= 0`),
    check('trades_fee_non_negative', sql`${col(t.fee)} >= 0`),
    currencyCheck('trades_currency_code', t.currency),
    notBlankCheck('trades_source_timezone_not_blank', t.sourceTimezone),
    boolCheck('trades_is_derived_bool', t.isDerived),
    check('trades_source_line_positive', sql`${col(t.sourceLine)} >= 1`),
  ],
)

export const POSITION_SIDES = ['long', 'short'] as const
export const POSITION_STATUSES = ['open', 'closed'] as const

/**
 * Columns of `positions` the trader edits. A rebuild recomputes every other column from the
 * fills and must leave these alone.
 */
export const positionUserColumns = ['strategyId', 'stopLoss', 'takeProfit', 'initialRisk'] as const

/** Round trips: from the fill that leaves a flat position to the fill that returns it to flat. */
export const positions = sqliteTable(
  'positions',
  {
    id: uuidPk(),
    /**
     * Stable key of the round trip, computed by the trade engine from its opening fill (so it
     * is the same on every rebuild and every machine). Unique per account, tombstones included:
     * a rebuild updates the row with the same key and soft-deletes rows whose key disappeared.
     */
    tradeKey: text('trade_key').notNull(),
    accountId: text('account_id')
      .notNull()
      .references((): AnySQLiteColumn => accounts.id, { onDelete: 'restrict' }),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'restrict' }),
    side: text('side', { enum: POSITION_SIDES }).notNull(),
    status: text('status', { enum: POSITION_STATUSES }).notNull(),
    /** Largest absolute size the position reached. */
    quantity: fixed8('quantity').notNull(),
    /** Average entry price. */
    entryPrice: fixed8('entry_price').notNull(),
    /** Average exit price; NULL while nothing has been closed. */
    exitPrice: fixed8('exit_price'),
    fees: fixed8('fees')
      .notNull()
      .default(sql`0`),
    /** (sell notional − buy notional) × multiplier, of the closed part. NULL while open. */
    grossPnl: fixed8('gross_pnl'),
    netPnl: fixed8('net_pnl'),
    /** Net P&L as a percentage of the entry notional (×10^8 like every fixed8). */
    pnlPercentage: fixed8('pnl_percentage'),
    /** P&L realized so far (partial closes of an open position, by the account's lot matching). */
    realizedPnl: fixed8('realized_pnl')
      .notNull()
      .default(sql`0`),
    openedAt: epochMs('opened_at').notNull(),
    closedAt: epochMs('closed_at'),
    /** False when P&L cannot be trusted (unknown multiplier, missing opening fills). */
    pnlComplete: bool('pnl_complete').notNull().default(true),
    fillCount: int('fill_count').notNull().default(0),
    // Trader's annotations (see positionUserColumns): never overwritten by a rebuild.
    strategyId: text('strategy_id').references((): AnySQLiteColumn => strategies.id, {
      onDelete: 'set null',
    }),
    stopLoss: fixed8('stop_loss'),
    takeProfit: fixed8('take_profit'),
    /** Amount at risk at entry (for R multiples), in the instrument's quote currency. */
    initialRisk: fixed8('initial_risk'),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    uniqueIndex('positions_account_trade_key_unique').on(t.accountId, t.tradeKey),
    // The trade list's order and keyset (opened_at, id): a page is an index range, not a sort.
    // Not partial on deleted_at: the planner then scanned it (plus a row lookup each) for every
    // statistics read, twice as slow as the table scan.
    index('positions_list_idx').on(t.openedAt, t.id),
    index('positions_account_closed_idx').on(t.accountId, t.closedAt),
    // A pair's round trips in time order: where an incremental rebuild starts, and what it
    // may rewrite (docs/decisions/0016-incremental-rebuilds.md).
    index('positions_pair_opened_idx').on(t.accountId, t.instrumentId, t.openedAt),
    index('positions_instrument_closed_idx').on(t.instrumentId, t.closedAt),
    index('positions_strategy_idx')
      .on(t.strategyId)
      .where(sql`${col(t.strategyId)} IS NOT NULL`),
    index('positions_open_idx')
      .on(t.accountId, t.instrumentId)
      .where(sql`${col(t.status)} = 'open' AND ${col(t.deletedAt)} IS NULL`),
    notBlankCheck('positions_trade_key_not_blank', t.tradeKey),
    enumCheck('positions_side_enum', t.side),
    enumCheck('positions_status_enum', t.status),
    check('positions_quantity_positive', sql`${col(t.quantity)} > 0`),
    check('positions_entry_price_non_negative', sql`${col(t.entryPrice)} >= 0`),
    check('positions_exit_price_non_negative', sql`${col(t.exitPrice)} >= 0`),
    check(
      'positions_closed_has_exit_price',
      sql`${col(t.status)} = 'open' OR ${col(t.exitPrice)} IS NOT NULL`,
    ),
    check('positions_fees_non_negative', sql`${col(t.fees)} >= 0`),
    check(
      'positions_closed_after_opened',
      sql`${col(t.closedAt)} IS NULL OR ${col(t.closedAt)} >= ${col(t.openedAt)}`,
    ),
    check(
      'positions_closed_at_iff_closed',
      sql`(${col(t.status)} = 'closed') = (${col(t.closedAt)} IS NOT NULL)`,
    ),
    boolCheck('positions_pnl_complete_bool', t.pnlComplete),
    check('positions_fill_count_non_negative', sql`${col(t.fillCount)} >= 0`),
    check('positions_stop_loss_non_negative', sql`${col(t.stopLoss)} >= 0`),
    check('positions_take_profit_non_negative', sql`${col(t.takeProfit)} >= 0`),
    check('positions_initial_risk_positive', sql`${col(t.initialRisk)} > 0`),
    check('positions_version_positive', sql`${col(t.version)} >= 1`),
  ],
)
