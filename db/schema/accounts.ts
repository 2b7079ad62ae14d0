/**
 * Broker accounts, their cash movements and their (encrypted) broker connections.
 */
import { sql } from 'drizzle-orm'
import { blob, check, index, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import {
  bool,
  boolCheck,
  col,
  currencyCheck,
  enumCheck,
  epochMs,
  fixed8,
  notBlankCheck,
  rowVersion,
  timestamps,
  uuidPk,
} from './columns'
import { users } from './users'
import { importBatches } from './trading'
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core'

export const LOT_MATCHING = ['fifo', 'lifo', 'average'] as const

export const accounts = sqliteTable(
  'accounts',
  {
    id: uuidPk(),
    /** Owner when the journal is shared through a server; NULL in a single-user journal. */
    userId: text('user_id').references(() => users.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** Broker identifier, e.g. 'ibkr', 'tradovate', 'binance'. */
    broker: text('broker').notNull(),
    /** The broker's own account number, used to route imported rows to this account. */
    brokerAccountRef: text('broker_account_ref'),
    baseCurrency: text('base_currency').notNull().default('USD'),
    /** IANA zone deciding which calendar day a fill belongs to for this account. */
    timezone: text('timezone').notNull().default('UTC'),
    startingBalance: fixed8('starting_balance')
      .notNull()
      .default(sql`0`),
    /** How partial closes of an open position realize P&L (docs/DESIGN §4). */
    lotMatching: text('lot_matching', { enum: LOT_MATCHING }).notNull().default('fifo'),
    isArchived: bool('is_archived').notNull().default(false),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    index('accounts_user_idx').on(t.userId),
    notBlankCheck('accounts_name_not_blank', t.name),
    notBlankCheck('accounts_broker_not_blank', t.broker),
    currencyCheck('accounts_base_currency_code', t.baseCurrency),
    notBlankCheck('accounts_timezone_not_blank', t.timezone),
    enumCheck('accounts_lot_matching_enum', t.lotMatching),
    boolCheck('accounts_is_archived_bool', t.isArchived),
    check('accounts_version_positive', sql`${col(t.version)} >= 1`),
  ],
)

export const CASH_TRANSACTION_KINDS = [
  'deposit',
  'withdrawal',
  'dividend',
  'interest',
  'fee',
  'adjustment',
] as const

export const cashTransactions = sqliteTable(
  'cash_transactions',
  {
    id: uuidPk(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CASH_TRANSACTION_KINDS }).notNull(),
    /** Signed effect on cash: positive adds to the account, negative takes from it. */
    amount: fixed8('amount').notNull(),
    currency: text('currency').notNull(),
    occurredAt: epochMs('occurred_at').notNull(),
    description: text('description'),
    /** The import that brought this row in (undoing the batch removes it). */
    importBatchId: text('import_batch_id').references((): AnySQLiteColumn => importBatches.id, {
      onDelete: 'cascade',
    }),
    ...timestamps(),
  },
  (t) => [
    index('cash_transactions_account_idx').on(t.accountId, t.occurredAt),
    index('cash_transactions_import_batch_idx')
      .on(t.importBatchId)
      .where(sql`${col(t.importBatchId)} IS NOT NULL`),
    enumCheck('cash_transactions_kind_enum', t.kind),
    check(
      'cash_transactions_amount_sign',
      sql`(${col(t.kind)} = 'deposit' AND ${col(t.amount)} > 0)
        OR (${col(t.kind)} = 'withdrawal' AND ${col(t.amount)} < 0)
        OR (${col(t.kind)} NOT IN ('deposit', 'withdrawal') AND ${col(t.amount)} <> 0)`,
    ),
    currencyCheck('cash_transactions_currency_code', t.currency),
  ],
)

export const exchangeConnections = sqliteTable(
  'exchange_connections',
  {
    id: uuidPk(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Connector identifier, e.g. 'ibkr-flex', 'binance'. */
    provider: text('provider').notNull(),
    label: text('label'),
    /**
     * API credentials encrypted with the OS keychain (Electron safeStorage). There is no plain
     * text credentials column, by design.
     */
    credentialsEncrypted: blob('credentials_encrypted', { mode: 'buffer' }),
    status: text('status', { enum: ['disconnected', 'connected', 'error', 'disabled'] })
      .notNull()
      .default('disconnected'),
    lastError: text('last_error'),
    lastSyncedAt: epochMs('last_synced_at'),
    ...timestamps(),
  },
  (t) => [
    index('exchange_connections_account_idx').on(t.accountId),
    notBlankCheck('exchange_connections_provider_not_blank', t.provider),
    enumCheck('exchange_connections_status_enum', t.status),
  ],
)
