/**
 * Risk rules (profiles and their limits), the events raised when a limit is approached or
 * broken, and per-day risk metrics.
 */
import { sql } from 'drizzle-orm'
import { check, index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import {
  bool,
  boolCheck,
  col,
  dailyTradeFigures,
  dateCheck,
  enumCheck,
  epochMs,
  fixed8,
  int,
  notBlankCheck,
  NOW_MS,
  rowVersion,
  timestamps,
  uuidPk,
} from './columns'
import { accounts } from './accounts'
import { positions } from './trading'

export const RISK_UNITS = ['absolute', 'percent_of_equity', 'count'] as const

export const riskProfiles = sqliteTable(
  'risk_profiles',
  {
    id: uuidPk(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    isActive: bool('is_active').notNull().default(true),
    /** Planned risk per trade, used to suggest stops and size; in `default_risk_unit`. */
    defaultRiskPerTrade: fixed8('default_risk_per_trade'),
    defaultRiskUnit: text('default_risk_unit', { enum: ['absolute', 'percent_of_equity'] })
      .notNull()
      .default('percent_of_equity'),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    index('risk_profiles_account_idx').on(t.accountId),
    notBlankCheck('risk_profiles_name_not_blank', t.name),
    boolCheck('risk_profiles_is_active_bool', t.isActive),
    check('risk_profiles_default_risk_positive', sql`${col(t.defaultRiskPerTrade)} > 0`),
    enumCheck('risk_profiles_default_risk_unit_enum', t.defaultRiskUnit),
    check('risk_profiles_version_positive', sql`${col(t.version)} >= 1`),
  ],
)

export const RISK_LIMIT_TYPES = [
  'daily_loss',
  'max_loss_per_trade',
  'max_drawdown',
  'max_position_size',
  'max_open_risk',
  'max_trades_per_day',
  'max_consecutive_losses',
] as const
/** Limit types that count things; only these use the 'count' unit. */
export const COUNT_LIMIT_TYPES = ['max_trades_per_day', 'max_consecutive_losses'] as const

export const riskLimits = sqliteTable(
  'risk_limits',
  {
    id: uuidPk(),
    riskProfileId: text('risk_profile_id')
      .notNull()
      .references(() => riskProfiles.id, { onDelete: 'cascade' }),
    limitType: text('limit_type', { enum: RISK_LIMIT_TYPES }).notNull(),
    /** The threshold, in `unit` (a count is a whole number ×10^8 like every fixed8). */
    value: fixed8('value').notNull(),
    unit: text('unit', { enum: RISK_UNITS }).notNull(),
    /** Percentage of the limit at which a warning fires (e.g. 80), NULL: no warning. */
    warnAtPercent: int('warn_at_percent'),
    isActive: bool('is_active').notNull().default(true),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    uniqueIndex('risk_limits_profile_type_unit_unique')
      .on(t.riskProfileId, t.limitType, t.unit)
      .where(sql`${col(t.deletedAt)} IS NULL`),
    enumCheck('risk_limits_limit_type_enum', t.limitType),
    check('risk_limits_value_positive', sql`${col(t.value)} > 0`),
    enumCheck('risk_limits_unit_enum', t.unit),
    check(
      'risk_limits_count_unit_matches_type',
      sql`(${col(t.limitType)} IN ('max_trades_per_day', 'max_consecutive_losses')) = (${col(t.unit)} = 'count')`,
    ),
    check(
      'risk_limits_count_is_whole',
      sql`${col(t.unit)} <> 'count' OR ${col(t.value)} % 100000000 = 0`,
    ),
    check('risk_limits_warn_at_percent_range', sql`${col(t.warnAtPercent)} BETWEEN 1 AND 99`),
    boolCheck('risk_limits_is_active_bool', t.isActive),
    check('risk_limits_version_positive', sql`${col(t.version)} >= 1`),
  ],
)

export const RISK_SEVERITIES = ['info', 'warning', 'breach'] as const

export const riskEvents = sqliteTable(
  'risk_events',
  {
    id: uuidPk(),
    riskLimitId: text('risk_limit_id')
      .notNull()
      .references(() => riskLimits.id, { onDelete: 'cascade' }),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    positionId: text('position_id').references(() => positions.id, { onDelete: 'set null' }),
    /** Trading day the event belongs to, in the account's zone. */
    day: text('day').notNull(),
    severity: text('severity', { enum: RISK_SEVERITIES }).notNull(),
    /**
     * Identifies one occurrence so the risk check can run any number of times and fire it
     * once: e.g. '2024-03-01:breach' for a daily limit, '<trade_key>:warning' per trade.
     */
    breachKey: text('breach_key').notNull(),
    observedValue: fixed8('observed_value').notNull(),
    limitValue: fixed8('limit_value').notNull(),
    message: text('message').notNull(),
    occurredAt: epochMs('occurred_at').notNull().default(NOW_MS),
    acknowledgedAt: epochMs('acknowledged_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('risk_events_limit_breach_key_unique').on(t.riskLimitId, t.breachKey),
    index('risk_events_account_day_idx').on(t.accountId, t.day),
    index('risk_events_position_idx')
      .on(t.positionId)
      .where(sql`${col(t.positionId)} IS NOT NULL`),
    index('risk_events_unacknowledged_idx')
      .on(t.accountId, t.occurredAt)
      .where(sql`${col(t.acknowledgedAt)} IS NULL AND ${col(t.deletedAt)} IS NULL`),
    dateCheck('risk_events_day_date', t.day),
    enumCheck('risk_events_severity_enum', t.severity),
    notBlankCheck('risk_events_breach_key_not_blank', t.breachKey),
  ],
)

/** Per-account, per-day figures the risk checks and the dashboard read (a derived cache). */
export const riskMetrics = sqliteTable(
  'risk_metrics',
  {
    id: uuidPk(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    ...dailyTradeFigures(),
    /** Largest peak-to-trough fall of equity during the day, as a positive amount. */
    maxDrawdown: fixed8('max_drawdown')
      .notNull()
      .default(sql`0`),
    /** Sum of open positions' initial risk at the end of the day. */
    openRisk: fixed8('open_risk')
      .notNull()
      .default(sql`0`),
    consecutiveLosses: int('consecutive_losses').notNull().default(0),
    equityEnd: fixed8('equity_end'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('risk_metrics_account_date_unique').on(t.accountId, t.date),
    dateCheck('risk_metrics_date_date', t.date),
    check(
      'risk_metrics_counts',
      sql`${col(t.wins)} >= 0 AND ${col(t.losses)} >= 0 AND ${col(t.wins)} + ${col(t.losses)} <= ${col(t.trades)}
        AND ${col(t.consecutiveLosses)} >= 0`,
    ),
    check('risk_metrics_fees_non_negative', sql`${col(t.fees)} >= 0`),
    check('risk_metrics_max_drawdown_non_negative', sql`${col(t.maxDrawdown)} >= 0`),
    check('risk_metrics_open_risk_non_negative', sql`${col(t.openRisk)} >= 0`),
  ],
)
