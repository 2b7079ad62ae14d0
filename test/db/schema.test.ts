import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { eq } from 'drizzle-orm'
import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as schema from '../../db/schema'
import { accounts, instrumentIdentityKey, journalTables, trades } from '../../db/schema'
import { createMigratedDb, migrationsFolder, type MigratedDb } from '../support/migrated-db'
import { EXPECTED_TABLES } from '../support/tables'
import { insertAccount, insertInstrument, insertTrade, ONE, orm, type Orm } from './fixtures'

/** Local-only, append-heavy tables: integer keys, no updated_at/deleted_at. */
const LOCAL_TABLES = new Set([
  'market_data',
  'volume_profile',
  'order_book',
  'technical_indicators',
  'technical_indicators_latest',
  'system_logs',
  'trading_logs',
  'performance_logs',
  'audit_log',
])

const tableName = (table: (typeof journalTables)[number]) => getTableConfig(table).name

interface ColumnInfo {
  name: string
  type: string
  notnull: bigint
  pk: bigint
}

let m: MigratedDb
let db: Database.Database
let o: Orm
beforeAll(() => {
  m = createMigratedDb()
  db = m.db
  o = orm(db)
})
afterAll(() => m.cleanup())

const tableSql = (name: string) =>
  (
    db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) as {
      sql: string
    }
  ).sql

describe('migrations', () => {
  it('create every table of the data model from an empty file, and nothing else', () => {
    const names = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
        name: string
      }[]
    )
      .map((row) => row.name)
      .filter((name) => !/^(sqlite_|__drizzle_)/.test(name))
    expect(names).toEqual(EXPECTED_TABLES)
    expect(journalTables.map(tableName).sort()).toEqual(EXPECTED_TABLES)
  })

  it('leave a consistent database', () => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])
  })

  it('are up to date with db/schema (npm run db:generate would generate nothing)', async () => {
    const snapshots = readdirSync(join(migrationsFolder, 'meta'))
      .filter((file) => file.endsWith('_snapshot.json'))
      .sort()
    const last = JSON.parse(
      readFileSync(join(migrationsFolder, 'meta', snapshots.at(-1) as string), 'utf8'),
    )
    const current = await generateSQLiteDrizzleJson(schema as Record<string, unknown>)
    expect(await generateSQLiteMigration(last, current)).toEqual([])

    // The comparison is not vacuous: a snapshot missing a table yields statements.
    const fewerTables = { ...last.tables }
    delete fewerTables.notes
    expect(await generateSQLiteMigration({ ...last, tables: fewerTables }, current)).not.toEqual([])
  })
})

describe('conventions', () => {
  const columnsOf = (name: string) =>
    db.prepare(`SELECT * FROM pragma_table_info(?)`).all(name) as ColumnInfo[]

  it.each(EXPECTED_TABLES)('%s has the key and timestamps its kind needs', (name) => {
    const columns = columnsOf(name)
    const byName = new Map(columns.map((column) => [column.name, column]))
    const pk = columns
      .filter((column) => column.pk > 0n)
      .map((column) => ({ ...column, type: column.type.toLowerCase() }))
    if (LOCAL_TABLES.has(name)) {
      expect(pk.map((c) => [c.name, c.type])).toEqual([['id', 'integer']])
      expect(byName.has('updated_at')).toBe(false)
      expect(byName.has('deleted_at')).toBe(false)
    } else {
      if (name === 'system_settings') expect(pk.map((c) => c.name)).toEqual(['key'])
      else if (name === 'position_tags') {
        expect(pk.map((c) => c.name)).toEqual(['position_id', 'tag_id'])
      } else expect(pk.map((c) => [c.name, c.type])).toEqual([['id', 'text']])
      for (const column of ['created_at', 'updated_at']) {
        expect(byName.get(column)?.type, `${name}.${column}`).toBe('INTEGER')
        expect(byName.get(column)?.notnull, `${name}.${column}`).toBe(1n)
      }
      expect(byName.get('deleted_at'), `${name}.deleted_at`).toMatchObject({ notnull: 0n })
    }
  })

  it('stores no amount, time or flag as REAL', () => {
    for (const name of EXPECTED_TABLES) {
      for (const column of columnsOf(name)) {
        expect(column.type.toLowerCase(), `${name}.${column.name}`).not.toMatch(/real|float|doub/)
      }
    }
  })

  it('names columns unqualified in CHECKs, so drizzle-kit can rebuild a table under a new name', () => {
    for (const name of EXPECTED_TABLES) {
      const { sql } = db
        .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(name) as { sql: string }
      expect(sql, name).not.toMatch(/"\w+"\."\w+"/)
    }
  })

  it('gives every foreign key an explicit ON DELETE action', () => {
    for (const name of EXPECTED_TABLES) {
      const fks = db.prepare(`SELECT * FROM pragma_foreign_key_list(?)`).all(name) as {
        from: string
        on_delete: string
      }[]
      for (const fk of fks) {
        expect(fk.on_delete, `${name}.${fk.from}`).toMatch(/^(CASCADE|SET NULL|RESTRICT)$/)
      }
    }
  })

  // Every enum, bool and JSON column must be enforced by a CHECK in the database itself.
  const columnsOfKind = (match: (column: SQLiteColumn) => boolean) =>
    journalTables.flatMap((table) =>
      getTableConfig(table)
        .columns.filter(match)
        .map((column) => [tableName(table), column.name] as const),
    )
  const isBool = (column: SQLiteColumn) =>
    column.mapToDriverValue(true) === 1 && column.mapFromDriverValue(1n) === true
  const isJson = (column: SQLiteColumn) => column.columnType === 'SQLiteTextJson'
  const isEnum = (column: SQLiteColumn) => (column.enumValues?.length ?? 0) > 0
  // CHECKs name columns unqualified (see `col` in db/schema/columns.ts).
  const q = (_table: string, column: string) => `"${column}"`

  it('checks every bool column is 0 or 1', () => {
    const bools = columnsOfKind(isBool)
    expect(bools.length).toBeGreaterThanOrEqual(10)
    for (const [table, column] of bools) {
      expect(tableSql(table), `${table}.${column}`).toContain(`${q(table, column)} IN (0, 1)`)
    }
  })

  it('checks every JSON column with json_valid', () => {
    const jsons = columnsOfKind(isJson)
    expect(jsons.length).toBeGreaterThan(20)
    for (const [table, column] of jsons) {
      expect(tableSql(table), `${table}.${column}`).toContain(`json_valid(${q(table, column)})`)
    }
  })

  it('checks every enum column against its values', () => {
    const enums = journalTables.flatMap((table) =>
      getTableConfig(table)
        .columns.filter(isEnum)
        .map((column) => [tableName(table), column] as const),
    )
    expect(enums.length).toBeGreaterThan(30)
    for (const [table, column] of enums) {
      const list = (column.enumValues as string[]).map((value) => `'${value}'`).join(', ')
      expect(tableSql(table), `${table}.${column.name}`).toContain(
        `${q(table, column.name)} IN (${list})`,
      )
    }
  })
})

describe('fixed8 columns', () => {
  const MAX = 9223372036854775807n // 92233720368.54775807, above 2^53

  it('round-trip a value above 2^53 exactly through drizzle', () => {
    expect(MAX).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER))
    const account = insertAccount(o, { startingBalance: MAX })
    const instrument = insertInstrument(o)
    const fill = insertTrade(
      o,
      { accountId: account.id, instrumentId: instrument.id },
      { quantity: MAX, price: MAX - 1n, fee: 1n },
    )
    const readAccount = o.select().from(accounts).where(eq(accounts.id, account.id)).get()
    expect(readAccount?.startingBalance).toBe(MAX)
    const readFill = o.select().from(trades).where(eq(trades.id, fill.id)).get()
    expect(readFill?.quantity).toBe(MAX)
    expect(readFill?.price).toBe(MAX - 1n)
    expect(readFill?.fee).toBe(1n)
  })

  it('are INTEGERs in SQL, so sums and comparisons are exact', () => {
    const account = insertAccount(o)
    const instrument = insertInstrument(o)
    const refs = { accountId: account.id, instrumentId: instrument.id }
    insertTrade(o, refs, { fee: 10_000_000n }) // 0.1
    insertTrade(o, refs, { fee: 20_000_000n }) // 0.2
    const row = db
      .prepare(
        `SELECT sum(fee) AS total, typeof(sum(fee)) AS type FROM trades WHERE account_id = ?`,
      )
      .get(account.id) as { total: bigint; type: string }
    expect(row).toEqual({ total: 30_000_000n, type: 'integer' })
    expect(
      db
        .prepare(`SELECT starting_balance FROM accounts WHERE id = ?`)
        .pluck()
        .get(insertAccount(o, { startingBalance: 12n * ONE + 1n }).id),
    ).toBe(1_200_000_001n)
  })
})

describe('instrumentIdentityKey', () => {
  it('matches what SQLite json_array() renders, NULLs and big strikes included', () => {
    const cases = [
      {
        symbol: 'AAPL',
        exchange: null,
        assetClass: 'stock',
        expiry: null,
        strike: null,
        putCall: null,
      },
      {
        symbol: 'AAPL  240621C00190000',
        exchange: 'OPRA',
        assetClass: 'option',
        expiry: '2024-06-21',
        strike: 190n * ONE,
        putCall: 'call',
      },
      {
        symbol: 'ES"Z4\\',
        exchange: 'CME',
        assetClass: 'future',
        expiry: '2024-12-20',
        strike: null,
        putCall: null,
      },
      {
        symbol: 'BTC/USDT',
        exchange: 'Börse',
        assetClass: 'crypto',
        expiry: null,
        strike: 9223372036854775807n,
        putCall: 'put',
      },
    ] as const
    for (const identity of cases) {
      const fromSql = db
        .prepare(`SELECT json_array(?, ?, ?, ?, ?, ?)`)
        .pluck()
        .get(
          identity.symbol,
          identity.exchange,
          identity.assetClass,
          identity.expiry,
          identity.strike,
          identity.putCall,
        )
      expect(instrumentIdentityKey(identity)).toBe(fromSql)
    }
  })
})
