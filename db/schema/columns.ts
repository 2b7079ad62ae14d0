/**
 * Column types every table is built from. The database runs with safe integers on (every
 * INTEGER reads as a bigint), so integer columns are only declared through these helpers, which
 * say how each one maps to JS. Never use drizzle's `integer()` directly in the schema.
 */
import { sql } from 'drizzle-orm'
import { customType, text } from 'drizzle-orm/sqlite-core'
import { uuidv7 } from 'uuidv7'
import type { Fixed8 } from '../../core/decimal'

/** SQL expression for "now" in epoch milliseconds, used by defaults and triggers. */
export const NOW_MS = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`
export const NOW_MS_SQL = "CAST(unixepoch('subsec') * 1000 AS INTEGER)"

/** Exact decimal: the value × 10^8 as an INTEGER (see core/decimal.ts). */
export const fixed8 = customType<{ data: Fixed8; driverData: bigint }>({
  dataType: () => 'integer',
  fromDriver: (value) => BigInt(value),
  toDriver: (value) => value,
})

/** UTC instant in epoch milliseconds, INTEGER. */
export const epochMs = customType<{ data: number; driverData: bigint | number }>({
  dataType: () => 'integer',
  fromDriver: (value) => Number(value),
  toDriver: (value) => value,
})

/** A plain integer (counts, sizes, versions, local integer keys), INTEGER. */
export const int = customType<{ data: number; driverData: bigint | number }>({
  dataType: () => 'integer',
  fromDriver: (value) => Number(value),
  toDriver: (value) => value,
})

/** Boolean stored as INTEGER 0/1 (add a CHECK (col IN (0, 1)) in the table). */
export const bool = customType<{ data: boolean; driverData: bigint | number }>({
  dataType: () => 'integer',
  fromDriver: (value) => Number(value) === 1,
  toDriver: (value) => (value ? 1 : 0),
})

/** Client-generated UUIDv7 text primary key: time-ordered, and unique across machines for sync. */
export const uuidPk = () =>
  text('id')
    .primaryKey()
    .$defaultFn(() => uuidv7())

/** created_at / updated_at (maintained by triggers) and deleted_at (soft delete tombstone). */
export const timestamps = () => ({
  createdAt: epochMs('created_at').notNull().default(NOW_MS),
  updatedAt: epochMs('updated_at').notNull().default(NOW_MS),
  deletedAt: epochMs('deleted_at'),
})

/** Optimistic-locking counter: writers update `WHERE version = ?` and bump it. */
export const rowVersion = () => int('version').notNull().default(1)
