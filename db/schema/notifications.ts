/**
 * Where and when to notify the trader, and the notifications themselves.
 */
import { sql } from 'drizzle-orm'
import { blob, index, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { bool, boolCheck, col, enumCheck, epochMs, jsonCheck, timestamps, uuidPk } from './columns'
import { accounts } from './accounts'

export const NOTIFICATION_CHANNELS = ['in_app', 'desktop', 'email', 'webhook', 'telegram'] as const
export const NOTIFICATION_EVENTS = [
  'risk_warning',
  'risk_breach',
  'import_finished',
  'import_failed',
  'position_closed',
  'daily_summary',
  'sync_failed',
  'backup_failed',
] as const
export const NOTIFICATION_LEVELS = ['info', 'success', 'warning', 'error'] as const

export const notificationConfigs = sqliteTable(
  'notification_configs',
  {
    id: uuidPk(),
    /** NULL: applies to every account. */
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
    eventType: text('event_type', { enum: NOTIFICATION_EVENTS }).notNull(),
    enabled: bool('enabled').notNull().default(true),
    /** Channel settings that are not secret (address, chat id, quiet hours…): a JSON object. */
    config: text('config', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    /** Channel secrets (webhook token, bot token), encrypted with the OS keychain. */
    secretEncrypted: blob('secret_encrypted', { mode: 'buffer' }),
    ...timestamps(),
  },
  (t) => [
    index('notification_configs_event_idx').on(t.eventType, t.enabled),
    index('notification_configs_account_idx')
      .on(t.accountId)
      .where(sql`${col(t.accountId)} IS NOT NULL`),
    enumCheck('notification_configs_channel_enum', t.channel),
    enumCheck('notification_configs_event_type_enum', t.eventType),
    boolCheck('notification_configs_enabled_bool', t.enabled),
    jsonCheck('notification_configs_config_json_object', t.config, 'object'),
  ],
)

export const notifications = sqliteTable(
  'notifications',
  {
    id: uuidPk(),
    /** The rule that produced it; NULL for built-in in-app notifications. */
    notificationConfigId: text('notification_config_id').references(() => notificationConfigs.id, {
      onDelete: 'set null',
    }),
    eventType: text('event_type', { enum: NOTIFICATION_EVENTS }),
    level: text('level', { enum: NOTIFICATION_LEVELS }).notNull().default('info'),
    title: text('title').notNull(),
    body: text('body'),
    /** Where the UI takes the user, e.g. {"route":"/positions/…"}. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    readAt: epochMs('read_at'),
    ...timestamps(),
  },
  (t) => [
    index('notifications_created_idx').on(t.createdAt),
    index('notifications_unread_idx')
      .on(t.createdAt)
      .where(sql`${col(t.readAt)} IS NULL AND ${col(t.deletedAt)} IS NULL`),
    index('notifications_config_idx')
      .on(t.notificationConfigId)
      .where(sql`${col(t.notificationConfigId)} IS NOT NULL`),
    enumCheck('notifications_event_type_enum', t.eventType),
    enumCheck('notifications_level_enum', t.level),
    jsonCheck('notifications_payload_json_object', t.payload, 'object'),
  ],
)
