/**
 * Computed performance figures: named metrics over periods, and daily portfolio snapshots.
 * Both are derived caches a recompute rewrites.
 */
import { sql } from 'drizzle-orm'
import { check, index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import {
  col,
  dateCheck,
  enumCheck,
  epochMs,
  fixed8,
  int,
  notBlankCheck,
  NOW_MS,
  timestamps,
  uuidPk,
} from './columns'
import { accounts } from './accounts'

export const METRIC_PERIODS = ['day', 'week', 'month', 'quarter', 'year', 'all'] as const

export const performanceMetrics = sqliteTable(
  'performance_metrics',
  {
    id: uuidPk(),
    /** NULL: the whole journal, all accounts. */
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    /** e.g. 'win_rate', 'profit_factor', 'expectancy', 'sharpe'. */
    metricName: text('metric_name').notNull(),
    value: fixed8('value').notNull(),
    period: text('period', { enum: METRIC_PERIODS }).notNull(),
    /** First day of the period ('YYYY-MM-DD'); NULL for 'all'. */
    periodStart: text('period_start'),
    measuredAt: epochMs('measured_at').notNull().default(NOW_MS),
    ...timestamps(),
  },
  (t) => [
    index('performance_metrics_name_measured_idx').on(t.metricName, t.measuredAt),
    index('performance_metrics_account_idx')
      .on(t.accountId)
      .where(sql`${col(t.accountId)} IS NOT NULL`),
    notBlankCheck('performance_metrics_metric_name_not_blank', t.metricName),
    enumCheck('performance_metrics_period_enum', t.period),
    dateCheck('performance_metrics_period_start_date', t.periodStart),
    check(
      'performance_metrics_period_start_given',
      sql`(${col(t.period)} = 'all') = (${col(t.periodStart)} IS NULL)`,
    ),
  ],
)

/** Account snapshot at the end of a day. */
export const portfolioSummary = sqliteTable(
  'portfolio_summary',
  {
    id: uuidPk(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    asOf: text('as_of').notNull(),
    equity: fixed8('equity').notNull(),
    cash: fixed8('cash').notNull(),
    openPositions: int('open_positions').notNull().default(0),
    unrealizedPnl: fixed8('unrealized_pnl')
      .notNull()
      .default(sql`0`),
    realizedPnl: fixed8('realized_pnl')
      .notNull()
      .default(sql`0`),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('portfolio_summary_account_as_of_unique').on(t.accountId, t.asOf),
    dateCheck('portfolio_summary_as_of_date', t.asOf),
    check('portfolio_summary_open_positions_non_negative', sql`${col(t.openPositions)} >= 0`),
  ],
)
