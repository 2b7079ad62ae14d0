/**
 * People and their credentials. The desktop journal may have no user row at all; users matter
 * when a journal syncs to a server shared by several traders (a coach, a prop desk).
 * No secret is stored in plain text: passwords, session tokens and API keys only as hashes.
 */
import { sql } from 'drizzle-orm'
import { check, index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import {
  bool,
  boolCheck,
  col,
  enumCheck,
  epochMs,
  jsonCheck,
  notBlankCheck,
  textNoCase,
  timestamps,
  uuidPk,
} from './columns'

export const users = sqliteTable(
  'users',
  {
    id: uuidPk(),
    /** Login e-mail, unique case-insensitively among live users. */
    email: textNoCase('email').notNull(),
    displayName: text('display_name').notNull(),
    /** A slow password hash (scrypt/argon2 string), never the password. NULL: no password login. */
    passwordHash: text('password_hash'),
    role: text('role', { enum: ['owner', 'trader', 'coach', 'admin'] })
      .notNull()
      .default('owner'),
    /** IANA zone the user's days roll over in. */
    timezone: text('timezone').notNull().default('UTC'),
    isActive: bool('is_active').notNull().default(true),
    lastLoginAt: epochMs('last_login_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('users_email_unique')
      .on(t.email)
      .where(sql`${col(t.deletedAt)} IS NULL`),
    check('users_email_shape', sql`${col(t.email)} LIKE '_%@_%'`),
    notBlankCheck('users_display_name_not_blank', t.displayName),
    enumCheck('users_role_enum', t.role),
    notBlankCheck('users_timezone_not_blank', t.timezone),
    boolCheck('users_is_active_bool', t.isActive),
  ],
)

export const userSessions = sqliteTable(
  'user_sessions',
  {
    id: uuidPk(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the session token; the token itself is only ever in the client's hands. */
    tokenHash: text('token_hash').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    lastSeenAt: epochMs('last_seen_at'),
    revokedAt: epochMs('revoked_at'),
    userAgent: text('user_agent'),
    ipAddress: text('ip_address'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('user_sessions_token_hash_unique').on(t.tokenHash),
    index('user_sessions_user_idx').on(t.userId, t.expiresAt),
    check('user_sessions_expires_after_created', sql`${col(t.expiresAt)} > ${col(t.createdAt)}`),
  ],
)

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: uuidPk(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** First characters of the key, shown so the user can tell keys apart. */
    keyPrefix: text('key_prefix').notNull(),
    /** SHA-256 of the key; the key is shown once at creation and never stored. */
    keyHash: text('key_hash').notNull(),
    /** Granted scopes, e.g. ["read", "import"]. */
    scopes: text('scopes', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    lastUsedAt: epochMs('last_used_at'),
    expiresAt: epochMs('expires_at'),
    revokedAt: epochMs('revoked_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_unique').on(t.keyHash),
    index('api_keys_user_idx').on(t.userId),
    notBlankCheck('api_keys_name_not_blank', t.name),
    jsonCheck('api_keys_scopes_json_array', t.scopes, 'array'),
  ],
)
