/**
 * Column types every table is built from. The database runs with safe integers on (every
 * INTEGER reads as a bigint), so integer columns are only declared through these helpers, which
 * say how each one maps to JS. Never use drizzle's `integer()` directly in the schema.
 */
import { sql } from 'drizzle-orm'
import { check, customType, text, type SQLiteColumn } from 'drizzle-orm/sqlite-core'
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

/** The day and trade figures every per-day aggregate (risk_metrics, strategy_performance) starts with. */
export const dailyTradeFigures = () => ({
  /** Calendar day 'YYYY-MM-DD' in the journal's zone. */
  date: text('date').notNull(),
  trades: int('trades').notNull().default(0),
  wins: int('wins').notNull().default(0),
  losses: int('losses').notNull().default(0),
  grossPnl: fixed8('gross_pnl')
    .notNull()
    .default(sql`0`),
  fees: fixed8('fees')
    .notNull()
    .default(sql`0`),
  netPnl: fixed8('net_pnl')
    .notNull()
    .default(sql`0`),
})

/** Optimistic-locking counter: writers update `WHERE version = ?` and bump it. */
export const rowVersion = () => int('version').notNull().default(1)

/**
 * Integer primary key of a local, append-heavy table (candles, logs): an alias of SQLite's
 * rowid. Leave it out of inserts and SQLite assigns the next one (drizzle sends NULL).
 */
export const intPk = () =>
  int('id')
    .primaryKey()
    .$defaultFn(() => sql`NULL`)

/**
 * Text compared case-insensitively (ASCII only): equality, ORDER BY and indexes on the column
 * use SQLite's NOCASE collation, so a plain UNIQUE index on it is a case-insensitive one.
 * (Expression indexes such as `lower(name)` are avoided: drizzle-kit 0.31 mangles them when it
 * rebuilds a table. See docs/decisions/0004-schema-conventions.md.)
 */
export const textNoCase = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE NOCASE',
})

// ---------------------------------------------------------------------------------------------
// CHECK constraint builders. Each takes the constraint's name (`<table>_<what>`), which SQLite
// puts in the error message: "CHECK constraint failed: trades_quantity_positive".

/**
 * A column as it must appear inside CHECK constraints: unqualified. drizzle renders `${col(column)}`
 * as "table"."column", which breaks when drizzle-kit rebuilds a table under a temporary name
 * (`__new_<table>`): the copied CHECKs would name a table that is not there.
 */
export const col = (column: SQLiteColumn) => sql.identifier(column.name)

const quoteSql = (value: string) => `'${value.replaceAll("'", "''")}'`

/** CHECK (col IN ('a', 'b', …)) from the column's `enum` values; NULL passes (use notNull()). */
export function enumCheck(name: string, column: SQLiteColumn, values?: readonly string[]) {
  const allowed = values ?? column.enumValues ?? []
  if (allowed.length === 0) throw new Error(`enumCheck ${name}: ${column.name} has no enum values`)
  return check(name, sql`${col(column)} IN (${sql.raw(allowed.map(quoteSql).join(', '))})`)
}

/** CHECK (col IN (0, 1)) for a bool() column. */
export const boolCheck = (name: string, column: SQLiteColumn) =>
  check(name, sql`${col(column)} IN (0, 1)`)

/** CHECK that a JSON text column holds valid JSON (optionally of one type); NULL passes. */
export function jsonCheck(name: string, column: SQLiteColumn, type?: 'object' | 'array') {
  return type
    ? check(
        name,
        sql`json_valid(${col(column)}) AND json_type(${col(column)}) = ${sql.raw(quoteSql(type))}`,
      )
    : check(name, sql`json_valid(${col(column)})`)
}

/** CHECK that a text column is a real calendar date 'YYYY-MM-DD' (date() round-trips it). */
export const dateCheck = (name: string, column: SQLiteColumn) =>
  check(name, sql`date(${col(column)}) IS ${col(column)}`)

/** CHECK for a currency code: 2–12 upper-case letters/digits ('USD', 'USDT', 'EUR'). */
export const currencyCheck = (name: string, column: SQLiteColumn) =>
  check(
    name,
    sql`length(${col(column)}) BETWEEN 2 AND 12 AND ${col(column)} NOT GLOB '*[^A-Z0-9]*'`,
  )

/** CHECK for a lower-case hex SHA-256 digest (64 characters). */
export const sha256Check = (name: string, column: SQLiteColumn) =>
  check(name, sql`length(${col(column)}) = 64 AND ${col(column)} NOT GLOB '*[^0-9a-f]*'`)

/** CHECK that a text column is not empty or blank. */
export const notBlankCheck = (name: string, column: SQLiteColumn) =>
  check(name, sql`length(trim(${col(column)})) > 0`)
