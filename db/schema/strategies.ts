/**
 * Trading strategies, their config history, signals, daily performance and backtests.
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
  dailyTradeFigures,
  dateCheck,
  enumCheck,
  epochMs,
  fixed8,
  int,
  jsonCheck,
  notBlankCheck,
  rowVersion,
  timestamps,
  uuidPk,
} from './columns'
import { instruments } from './instruments'
import { positions } from './trading'

export const STRATEGY_STATUSES = ['draft', 'active', 'paused', 'archived'] as const
export const STRATEGY_TYPES = ['discretionary', 'systematic', 'hybrid'] as const

export const strategies = sqliteTable(
  'strategies',
  {
    id: uuidPk(),
    name: text('name').notNull(),
    description: text('description'),
    /**
     * Number of the current config in strategy_versions. Not to be confused with `version`,
     * the optimistic-locking counter every row write bumps.
     */
    configVersion: int('config_version').notNull().default(1),
    /** The strategy this one was forked from. */
    parentStrategyId: text('parent_strategy_id').references((): AnySQLiteColumn => strategies.id, {
      onDelete: 'set null',
    }),
    type: text('type', { enum: STRATEGY_TYPES }).notNull().default('discretionary'),
    status: text('status', { enum: STRATEGY_STATUSES }).notNull().default('active'),
    /** Free-form parameters (JSON object). */
    config: text('config', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    /** Labels (JSON array of strings). */
    tags: text('tags', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /** Entry/exit/management rules the trader checks trades against (JSON array). */
    rules: text('rules', { mode: 'json' })
      .$type<unknown[]>()
      .notNull()
      .default(sql`'[]'`),
    isPublic: bool('is_public').notNull().default(false),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    index('strategies_parent_idx')
      .on(t.parentStrategyId)
      .where(sql`${col(t.parentStrategyId)} IS NOT NULL`),
    index('strategies_status_idx').on(t.status),
    notBlankCheck('strategies_name_not_blank', t.name),
    check('strategies_config_version_positive', sql`${col(t.configVersion)} >= 1`),
    check('strategies_not_own_parent', sql`${col(t.parentStrategyId)} IS NOT ${col(t.id)}`),
    enumCheck('strategies_type_enum', t.type),
    enumCheck('strategies_status_enum', t.status),
    jsonCheck('strategies_config_json_object', t.config, 'object'),
    jsonCheck('strategies_tags_json_array', t.tags, 'array'),
    jsonCheck('strategies_rules_json_array', t.rules, 'array'),
    boolCheck('strategies_is_public_bool', t.isPublic),
    check('strategies_version_positive', sql`${col(t.version)} >= 1`),
  ],
)

/** Immutable history of a strategy's config: one row per config version. */
export const strategyVersions = sqliteTable(
  'strategy_versions',
  {
    id: uuidPk(),
    strategyId: text('strategy_id')
      .notNull()
      .references(() => strategies.id, { onDelete: 'cascade' }),
    version: int('version').notNull(),
    config: text('config', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    rules: text('rules', { mode: 'json' })
      .$type<unknown[]>()
      .notNull()
      .default(sql`'[]'`),
    changeNote: text('change_note'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('strategy_versions_strategy_version_unique').on(t.strategyId, t.version),
    check('strategy_versions_version_positive', sql`${col(t.version)} >= 1`),
    jsonCheck('strategy_versions_config_json_object', t.config, 'object'),
    jsonCheck('strategy_versions_rules_json_array', t.rules, 'array'),
  ],
)

export const SIGNAL_DIRECTIONS = ['long', 'short', 'exit'] as const

export const strategySignals = sqliteTable(
  'strategy_signals',
  {
    id: uuidPk(),
    strategyId: text('strategy_id')
      .notNull()
      .references(() => strategies.id, { onDelete: 'cascade' }),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'restrict' }),
    signalAt: epochMs('signal_at').notNull(),
    direction: text('direction', { enum: SIGNAL_DIRECTIONS }).notNull(),
    price: fixed8('price'),
    /** Signal strength or confidence as the strategy defines it. */
    strength: fixed8('strength'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** The position the trader took on this signal, if any. */
    positionId: text('position_id').references((): AnySQLiteColumn => positions.id, {
      onDelete: 'set null',
    }),
    ...timestamps(),
  },
  (t) => [
    index('strategy_signals_strategy_idx').on(t.strategyId, t.signalAt),
    index('strategy_signals_instrument_idx').on(t.instrumentId, t.signalAt),
    index('strategy_signals_position_idx')
      .on(t.positionId)
      .where(sql`${col(t.positionId)} IS NOT NULL`),
    enumCheck('strategy_signals_direction_enum', t.direction),
    check('strategy_signals_price_non_negative', sql`${col(t.price)} >= 0`),
    jsonCheck('strategy_signals_metadata_json_object', t.metadata, 'object'),
  ],
)

/** Per-day statistics of a strategy's closed positions (a derived cache, recomputed). */
export const strategyPerformance = sqliteTable(
  'strategy_performance',
  {
    id: uuidPk(),
    strategyId: text('strategy_id')
      .notNull()
      .references(() => strategies.id, { onDelete: 'cascade' }),
    ...dailyTradeFigures(),
    grossProfit: fixed8('gross_profit')
      .notNull()
      .default(sql`0`),
    grossLoss: fixed8('gross_loss')
      .notNull()
      .default(sql`0`),
    maxDrawdown: fixed8('max_drawdown')
      .notNull()
      .default(sql`0`),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('strategy_performance_strategy_date_unique').on(t.strategyId, t.date),
    dateCheck('strategy_performance_date_date', t.date),
    check(
      'strategy_performance_counts',
      sql`${col(t.wins)} >= 0 AND ${col(t.losses)} >= 0 AND ${col(t.wins)} + ${col(t.losses)} <= ${col(t.trades)}`,
    ),
    check('strategy_performance_fees_non_negative', sql`${col(t.fees)} >= 0`),
    check('strategy_performance_max_drawdown_non_negative', sql`${col(t.maxDrawdown)} >= 0`),
  ],
)

export const BACKTEST_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const

export const backtests = sqliteTable(
  'backtests',
  {
    id: uuidPk(),
    strategyId: text('strategy_id')
      .notNull()
      .references(() => strategies.id, { onDelete: 'cascade' }),
    /** strategy_versions.version the backtest ran with. */
    strategyVersion: int('strategy_version'),
    name: text('name').notNull(),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    initialCapital: fixed8('initial_capital').notNull(),
    currency: text('currency').notNull().default('USD'),
    parameters: text('parameters', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    results: text('results', { mode: 'json' }).$type<Record<string, unknown>>(),
    status: text('status', { enum: BACKTEST_STATUSES }).notNull().default('queued'),
    error: text('error'),
    startedAt: epochMs('started_at'),
    finishedAt: epochMs('finished_at'),
    ...timestamps(),
  },
  (t) => [
    index('backtests_strategy_idx').on(t.strategyId),
    notBlankCheck('backtests_name_not_blank', t.name),
    dateCheck('backtests_period_start_date', t.periodStart),
    dateCheck('backtests_period_end_date', t.periodEnd),
    check('backtests_period_ordered', sql`${col(t.periodEnd)} >= ${col(t.periodStart)}`),
    check('backtests_initial_capital_positive', sql`${col(t.initialCapital)} > 0`),
    currencyCheck('backtests_currency_code', t.currency),
    jsonCheck('backtests_parameters_json_object', t.parameters, 'object'),
    jsonCheck('backtests_results_json_object', t.results, 'object'),
    enumCheck('backtests_status_enum', t.status),
    check(
      'backtests_finished_after_started',
      sql`${col(t.finishedAt)} IS NULL OR ${col(t.finishedAt)} >= ${col(t.startedAt)}`,
    ),
  ],
)
