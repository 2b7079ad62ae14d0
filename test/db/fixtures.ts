/**
 * Small builders of valid rows for the schema tests. Each inserts one row through drizzle
 * (so the column helpers' JS↔SQL mapping is exercised) and returns it as inserted.
 */
import type Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { expect } from 'vitest'
import * as schema from '../../db/schema'
import { instrumentIdentityKey, type InstrumentIdentity } from '../../db/schema'

export type Orm = BetterSQLite3Database<typeof schema>

export const orm = (db: Database.Database): Orm => drizzle(db, { schema })

/** 1 in fixed8. */
export const ONE = 100_000_000n
export const SHA = 'a'.repeat(64)

let counter = 0
const next = () => ++counter

export function insertAccount(o: Orm, values: Partial<typeof schema.accounts.$inferInsert> = {}) {
  return o
    .insert(schema.accounts)
    .values({ name: `Account ${next()}`, broker: 'ibkr', ...values })
    .returning()
    .get()
}

export function insertInstrument(
  o: Orm,
  identity: Partial<InstrumentIdentity> = {},
  values: Partial<typeof schema.instruments.$inferInsert> = {},
) {
  const full: InstrumentIdentity = {
    symbol: `SYM${next()}`,
    exchange: 'XNAS',
    assetClass: 'stock',
    expiry: null,
    strike: null,
    putCall: null,
    ...identity,
  }
  return o
    .insert(schema.instruments)
    .values({ ...full, identityKey: instrumentIdentityKey(full), ...values })
    .returning()
    .get()
}

export function insertImportBatch(
  o: Orm,
  accountId: string,
  values: Partial<typeof schema.importBatches.$inferInsert> = {},
) {
  return o
    .insert(schema.importBatches)
    .values({
      accountId,
      fileName: 'trades.csv',
      sha256: SHA,
      format: 'test-csv',
      parserVersion: '1',
      ...values,
    })
    .returning()
    .get()
}

export function insertTrade(
  o: Orm,
  refs: { accountId: string; instrumentId: string },
  values: Partial<typeof schema.trades.$inferInsert> = {},
) {
  return o
    .insert(schema.trades)
    .values({
      ...refs,
      side: 'buy',
      quantity: 10n * ONE,
      price: 150n * ONE,
      fee: ONE,
      currency: 'USD',
      executedAt: 1_700_000_000_000 + next(),
      ...values,
    })
    .returning()
    .get()
}

export function insertPosition(
  o: Orm,
  refs: { accountId: string; instrumentId: string },
  values: Partial<typeof schema.positions.$inferInsert> = {},
) {
  return o
    .insert(schema.positions)
    .values({
      ...refs,
      tradeKey: `key-${next()}`,
      side: 'long',
      status: 'open',
      quantity: 10n * ONE,
      entryPrice: 150n * ONE,
      openedAt: 1_700_000_000_000,
      ...values,
    })
    .returning()
    .get()
}

export function insertStrategy(
  o: Orm,
  values: Partial<typeof schema.strategies.$inferInsert> = {},
) {
  return o
    .insert(schema.strategies)
    .values({ name: `Strategy ${next()}`, ...values })
    .returning()
    .get()
}

export function insertRiskLimit(
  o: Orm,
  accountId: string,
  values: Partial<typeof schema.riskLimits.$inferInsert> = {},
) {
  const profile = o
    .insert(schema.riskProfiles)
    .values({ accountId, name: `Profile ${next()}` })
    .returning()
    .get()
  return o
    .insert(schema.riskLimits)
    .values({
      riskProfileId: profile.id,
      limitType: 'daily_loss',
      value: 500n * ONE,
      unit: 'absolute',
      ...values,
    })
    .returning()
    .get()
}

/** Runs `write` and expects SQLite to refuse it with `code` and a message matching `message`. */
export function expectRejected(write: () => unknown, code: string, message: string | RegExp) {
  let error: unknown
  try {
    write()
  } catch (caught) {
    error = caught
  }
  expect(error, 'the write should have been rejected').toBeInstanceOf(Error)
  // drizzle wraps the driver's error in a DrizzleQueryError ("Failed query: …"); SQLite's
  // SqliteError, with the code and the constraint's name, is its cause.
  const wrapped = error as { cause?: unknown }
  const sqliteError = (wrapped.cause instanceof Error ? wrapped.cause : error) as {
    code?: string
    message: string
  }
  const { code: actual, message: text } = sqliteError
  expect(actual).toBe(code)
  if (typeof message === 'string') expect(text).toContain(message)
  else expect(text).toMatch(message)
}

/** Expects a CHECK violation naming `constraint` (or matching a pattern, when SQLite may name either of two). */
export const expectCheck = (write: () => unknown, constraint: string | RegExp) =>
  expectRejected(
    write,
    'SQLITE_CONSTRAINT_CHECK',
    typeof constraint === 'string' ? `CHECK constraint failed: ${constraint}` : constraint,
  )

/** Expects a UNIQUE violation naming the columns (`table.col, table.col`) or the index. */
export const expectUnique = (write: () => unknown, target: string) =>
  expectRejected(write, 'SQLITE_CONSTRAINT_UNIQUE', `UNIQUE constraint failed: ${target}`)

/** SQLite's FK errors name no constraint; the code and text are all there is. */
export const expectForeignKey = (write: () => unknown) =>
  expectRejected(write, 'SQLITE_CONSTRAINT_FOREIGNKEY', 'FOREIGN KEY constraint failed')

/** A parent DELETE blocked by ON DELETE RESTRICT (SQLite implements it as a trigger). */
export const expectRestrict = (write: () => unknown) =>
  expectRejected(write, 'SQLITE_CONSTRAINT_TRIGGER', 'FOREIGN KEY constraint failed')
