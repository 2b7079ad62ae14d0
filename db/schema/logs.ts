/**
 * Local-only, append-only logs and the audit log. Integer keys (rowid aliases), no
 * updated_at/deleted_at, never synced. audit_log is written by triggers (db/triggers.ts).
 */
import { sql } from 'drizzle-orm'
import { check, index, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { col, enumCheck, epochMs, int, intPk, jsonCheck, notBlankCheck, NOW_MS } from './columns'
import { accounts } from './accounts'

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const

export const systemLogs = sqliteTable(
  'system_logs',
  {
    id: intPk(),
    level: text('level', { enum: LOG_LEVELS }).notNull(),
    /** Component that logged, e.g. 'db', 'import', 'sync'. */
    source: text('source'),
    message: text('message').notNull(),
    context: text('context', { mode: 'json' }).$type<Record<string, unknown>>(),
    loggedAt: epochMs('logged_at').notNull().default(NOW_MS),
  },
  (t) => [
    index('system_logs_logged_idx').on(t.loggedAt),
    index('system_logs_level_logged_idx').on(t.level, t.loggedAt),
    enumCheck('system_logs_level_enum', t.level),
    jsonCheck('system_logs_context_json', t.context),
  ],
)

/** What the trading pipeline did: imports, rebuilds, risk checks. */
export const tradingLogs = sqliteTable(
  'trading_logs',
  {
    id: intPk(),
    level: text('level', { enum: LOG_LEVELS }).notNull(),
    /** e.g. 'import', 'rebuild', 'risk_check'. */
    event: text('event').notNull(),
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    message: text('message').notNull(),
    context: text('context', { mode: 'json' }).$type<Record<string, unknown>>(),
    loggedAt: epochMs('logged_at').notNull().default(NOW_MS),
  },
  (t) => [
    index('trading_logs_logged_idx').on(t.loggedAt),
    index('trading_logs_account_logged_idx')
      .on(t.accountId, t.loggedAt)
      .where(sql`${col(t.accountId)} IS NOT NULL`),
    enumCheck('trading_logs_level_enum', t.level),
    notBlankCheck('trading_logs_event_not_blank', t.event),
    jsonCheck('trading_logs_context_json', t.context),
  ],
)

/** Timings of operations, for the diagnostics page and benchmarks. */
export const performanceLogs = sqliteTable(
  'performance_logs',
  {
    id: intPk(),
    level: text('level', { enum: LOG_LEVELS }).notNull().default('info'),
    /** e.g. 'import.parse', 'engine.rebuild', 'stats.daily'. */
    operation: text('operation').notNull(),
    durationMs: int('duration_ms').notNull(),
    /** Rows processed, when that means something. */
    rows: int('rows'),
    message: text('message'),
    context: text('context', { mode: 'json' }).$type<Record<string, unknown>>(),
    loggedAt: epochMs('logged_at').notNull().default(NOW_MS),
  },
  (t) => [
    index('performance_logs_operation_logged_idx').on(t.operation, t.loggedAt),
    enumCheck('performance_logs_level_enum', t.level),
    notBlankCheck('performance_logs_operation_not_blank', t.operation),
    check('performance_logs_duration_non_negative', sql`${col(t.durationMs)} >= 0`),
    check('performance_logs_rows_non_negative', sql`${col(t.rows)} >= 0`),
    jsonCheck('performance_logs_context_json', t.context),
  ],
)

export const AUDIT_ACTIONS = ['insert', 'update', 'delete'] as const

/**
 * Row changes of the critical tables, written by the `<table>_audit_*` triggers: the whole
 * old and new row as JSON objects (integers, including fixed8 amounts, exactly).
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: intPk(),
    action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    oldData: text('old_data', { mode: 'json' }).$type<Record<string, unknown>>(),
    newData: text('new_data', { mode: 'json' }).$type<Record<string, unknown>>(),
    changedAt: epochMs('changed_at').notNull().default(NOW_MS),
  },
  (t) => [
    index('audit_log_row_idx').on(t.tableName, t.rowId, t.changedAt),
    index('audit_log_changed_idx').on(t.changedAt),
    enumCheck('audit_log_action_enum', t.action),
    jsonCheck('audit_log_old_data_json_object', t.oldData, 'object'),
    jsonCheck('audit_log_new_data_json_object', t.newData, 'object'),
    check(
      'audit_log_data_matches_action',
      sql`CASE ${col(t.action)}
        WHEN 'insert' THEN ${col(t.oldData)} IS NULL AND ${col(t.newData)} IS NOT NULL
        WHEN 'update' THEN ${col(t.oldData)} IS NOT NULL AND ${col(t.newData)} IS NOT NULL
        ELSE ${col(t.oldData)} IS NOT NULL AND ${col(t.newData)} IS NULL END`,
    ),
  ],
)
