/**
 * Key/value settings of the journal (contract/settings.ts lists the keys). A secret's value is
 * never stored in plain text: only `encrypted_value` (OS keychain) is, and `value` stays NULL.
 */
import { sql } from 'drizzle-orm'
import { blob, check, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { bool, boolCheck, col, jsonCheck, rowVersion, timestamps } from './columns'

export const systemSettings = sqliteTable(
  'system_settings',
  {
    /** Dotted key, e.g. 'ui.theme', 'journal.timezone'. */
    key: text('key').primaryKey(),
    /** The value as JSON text; NULL for secrets. */
    value: text('value', { mode: 'json' }).$type<unknown>(),
    isSecret: bool('is_secret').notNull().default(false),
    /** A secret's value, encrypted (Electron safeStorage). NULL: not set or wiped. */
    encryptedValue: blob('encrypted_value', { mode: 'buffer' }),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    check(
      'system_settings_key_shape',
      sql`${col(t.key)} GLOB '[a-z]*' AND ${col(t.key)} NOT GLOB '*[^A-Za-z0-9._-]*' AND length(${col(t.key)}) <= 128`,
    ),
    jsonCheck('system_settings_value_json', t.value),
    boolCheck('system_settings_is_secret_bool', t.isSecret),
    check(
      'system_settings_secret_not_plain',
      sql`CASE WHEN ${col(t.isSecret)} = 1 THEN ${col(t.value)} IS NULL
        ELSE ${col(t.encryptedValue)} IS NULL END`,
    ),
    check('system_settings_version_positive', sql`${col(t.version)} >= 1`),
  ],
)
