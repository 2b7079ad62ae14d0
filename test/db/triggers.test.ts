import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { eq } from 'drizzle-orm'
import { getTableConfig } from 'drizzle-orm/sqlite-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as s from '../../db/schema'
import { journalTables } from '../../db/schema'
import {
  AUDIT_INSERTS_SKIPPED,
  AUDITED_TABLES,
  journalTriggers,
  triggerMigrationSql,
  triggerNamesIn,
} from '../../db/triggers'
import { createMigratedDb, migrationsFolder, type MigratedDb } from '../support/migrated-db'
import {
  insertAccount,
  insertImportBatch,
  insertInstrument,
  insertPosition,
  insertRiskLimit,
  insertStrategy,
  insertTrade,
  ONE,
  orm,
  type Orm,
} from './fixtures'

let m: MigratedDb
let db: Database.Database
let o: Orm
beforeEach(() => {
  m = createMigratedDb()
  db = m.db
  o = orm(db)
})
afterEach(() => m.cleanup())

const LONG_AGO = 1_000

describe('the triggers in the database', () => {
  it('are exactly what db/triggers.ts generates from the current schema', () => {
    const inDb = db
      .prepare(`SELECT name, tbl_name AS "table", sql FROM sqlite_master WHERE type = 'trigger'`)
      .all() as { name: string; table: string; sql: string }[]
    const generated = journalTriggers(journalTables)
    const byName = (list: { name: string }[]) =>
      [...list].sort((a, b) => a.name.localeCompare(b.name))
    // If this fails after a schema change: create a triggers migration and fill it
    // (docs/decisions/0004-schema-conventions.md).
    expect(byName(inDb)).toEqual(
      byName(generated.map(({ name, table, sql }) => ({ name, table, sql }))),
    )
  })

  it('include a touch trigger on every table with updated_at and audit on the critical ones', () => {
    const tables = db
      .prepare(
        `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
         WHERE m.type = 'table' AND c.name = 'updated_at' ORDER BY m.name`,
      )
      .pluck()
      .all() as string[]
    const triggers = new Set(
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).pluck().all() as string[],
    )
    expect(tables.length).toBeGreaterThan(25)
    for (const table of tables) expect(triggers).toContain(`${table}_touch_updated_at`)
    for (const table of AUDITED_TABLES) {
      for (const action of ['insert', 'update', 'delete']) {
        const skipped = action === 'insert' && AUDIT_INSERTS_SKIPPED.includes(table)
        expect(triggers.has(`${table}_audit_${action}`), `${table}_audit_${action}`).toBe(!skipped)
      }
    }
  })

  it('come from a migration that npm run db:triggers would not change', () => {
    const journal = JSON.parse(
      readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
    ) as { entries: { tag: string }[] }
    const triggerTags = journal.entries.map((e) => e.tag).filter((t) => t.endsWith('_triggers'))
    const file = (tag: string) => readFileSync(join(migrationsFolder, `${tag}.sql`), 'utf8')
    const previous = triggerTags.slice(0, -1).flatMap((tag) => triggerNamesIn(file(tag)))
    expect(file(triggerTags.at(-1) as string)).toBe(
      triggerMigrationSql(journalTriggers(journalTables), previous),
    )
  })
})

describe('updated_at touch', () => {
  it('sets updated_at to now on an update that did not set it', () => {
    const account = insertAccount(o, { createdAt: LONG_AGO, updatedAt: LONG_AGO })
    const before = Date.now()
    o.update(s.accounts).set({ name: 'Renamed' }).where(eq(s.accounts.id, account.id)).run()
    const after = Date.now()
    const row = o.select().from(s.accounts).where(eq(s.accounts.id, account.id)).get()
    expect(row?.createdAt).toBe(LONG_AGO)
    expect(row?.updatedAt).toBeGreaterThanOrEqual(before)
    expect(row?.updatedAt).toBeLessThanOrEqual(after)
  })

  it('keeps an updated_at the writer sets explicitly (sync)', () => {
    const account = insertAccount(o)
    o.update(s.accounts)
      .set({ name: 'From server', updatedAt: 5_000 })
      .where(eq(s.accounts.id, account.id))
      .run()
    const row = o.select().from(s.accounts).where(eq(s.accounts.id, account.id)).get()
    expect(row?.updatedAt).toBe(5_000)
    expect(row?.name).toBe('From server')
  })

  it('touches only the updated row of a table with a composite key', () => {
    const refs = { accountId: insertAccount(o).id, instrumentId: insertInstrument(o).id }
    const position = insertPosition(o, refs)
    const [a, b] = ['a', 'b'].map((name) => o.insert(s.tags).values({ name }).returning().get())
    for (const tag of [a, b]) {
      o.insert(s.positionTags)
        .values({ positionId: position.id, tagId: tag!.id, updatedAt: LONG_AGO })
        .run()
    }
    o.update(s.positionTags).set({ deletedAt: 7 }).where(eq(s.positionTags.tagId, a!.id)).run()
    const rows = o.select().from(s.positionTags).all()
    const touched = rows.find((row) => row.tagId === a!.id)
    const untouched = rows.find((row) => row.tagId === b!.id)
    expect(touched?.updatedAt).toBeGreaterThan(LONG_AGO)
    expect(untouched?.updatedAt).toBe(LONG_AGO)
  })

  it('touches a table keyed by text (system_settings)', () => {
    o.insert(s.systemSettings)
      .values({ key: 'ui.theme', value: 'light', updatedAt: LONG_AGO })
      .run()
    o.update(s.systemSettings)
      .set({ value: 'dark' })
      .where(eq(s.systemSettings.key, 'ui.theme'))
      .run()
    const row = o.select().from(s.systemSettings).get()
    expect(row?.updatedAt).toBeGreaterThan(LONG_AGO)
    expect(row?.value).toBe('dark')
  })
})

describe('audit_log', () => {
  interface AuditRow {
    id: bigint
    action: string
    old_data: string | null
    new_data: string | null
    changed_at: bigint
  }
  const auditOf = (table: string, rowId: string) =>
    db
      .prepare(`SELECT * FROM audit_log WHERE table_name = ? AND row_id = ? ORDER BY id`)
      .all(table, rowId) as AuditRow[]

  /** The row as the audit JSON should show it: every column, JSON columns as JSON. */
  function currentRow(table: (typeof journalTables)[number], id: string) {
    const config = getTableConfig(table)
    const row = db.prepare(`SELECT * FROM "${config.name}" WHERE id = ?`).get(id) as Record<
      string,
      unknown
    >
    const expected: Record<string, unknown> = {}
    for (const column of config.columns) {
      if (config.name === 'trades' && column.name === 'raw_source') continue
      const value = row[column.name]
      expected[column.name] =
        typeof value === 'bigint'
          ? Number(value)
          : column.columnType === 'SQLiteTextJson' && typeof value === 'string'
            ? JSON.parse(value)
            : value
    }
    return expected
  }

  const parse = (text: string | null) => (text === null ? null : JSON.parse(text))

  const cases: {
    table: (typeof journalTables)[number]
    create: () => string
    update: (id: string) => void
  }[] = [
    {
      table: s.accounts,
      create: () => insertAccount(o, { startingBalance: 25_000n * ONE }).id,
      update: (id) =>
        o
          .update(s.accounts)
          .set({ name: 'Swing', isArchived: true })
          .where(eq(s.accounts.id, id))
          .run(),
    },
    {
      table: s.strategies,
      create: () => insertStrategy(o, { config: { atr: 14 }, tags: ['trend'] }).id,
      update: (id) =>
        o
          .update(s.strategies)
          .set({ config: { atr: 20 }, status: 'paused' })
          .where(eq(s.strategies.id, id))
          .run(),
    },
    {
      table: s.trades,
      create: () => {
        const refs = { accountId: insertAccount(o).id, instrumentId: insertInstrument(o).id }
        return insertTrade(o, refs, { rawSource: 'U123,AAPL,BUY,10,150.00', sourceLine: 2 }).id
      },
      update: (id) =>
        o.update(s.trades).set({ note: 'fat finger' }).where(eq(s.trades.id, id)).run(),
    },
    {
      table: s.positions,
      create: () => {
        const refs = { accountId: insertAccount(o).id, instrumentId: insertInstrument(o).id }
        return insertPosition(o, refs).id
      },
      update: (id) =>
        o
          .update(s.positions)
          .set({ stopLoss: 145n * ONE, initialRisk: 50n * ONE })
          .where(eq(s.positions.id, id))
          .run(),
    },
    {
      table: s.riskLimits,
      create: () => insertRiskLimit(o, insertAccount(o).id).id,
      update: (id) =>
        o
          .update(s.riskLimits)
          .set({ value: 400n * ONE })
          .where(eq(s.riskLimits.id, id))
          .run(),
    },
  ]

  it('covers exactly the critical tables', () => {
    expect(cases.map((c) => getTableConfig(c.table).name).sort()).toEqual(
      [...AUDITED_TABLES].sort(),
    )
  })

  it.each(cases.map((c) => [getTableConfig(c.table).name, c] as const))(
    '%s: one row per logged insert, update and delete with the old and new row',
    (name, { table, create, update }) => {
      // Fills log no insert (AUDIT_INSERTS_SKIPPED): their import batch records where they came from.
      const logsInsert = !AUDIT_INSERTS_SKIPPED.includes(name)
      const expected = (...actions: string[]) => (logsInsert ? ['insert', ...actions] : actions)
      const entry = (action: string) => auditOf(name, id).find((row) => row.action === action)

      const id = create()
      const inserted = currentRow(table, id)
      expect(auditOf(name, id).map((row) => row.action)).toEqual(expected())
      if (logsInsert) {
        expect(entry('insert')?.old_data).toBeNull()
        expect(parse(entry('insert')!.new_data)).toEqual(inserted)
      }

      // A write of updated_at alone (sync, or the touch trigger's own UPDATE) is not logged.
      db.prepare(`UPDATE "${name}" SET updated_at = ? WHERE id = ?`).run(LONG_AGO, id)
      expect(auditOf(name, id).map((row) => row.action)).toEqual(expected())

      const before = currentRow(table, id)
      update(id)
      const after = currentRow(table, id)
      expect(after.updated_at).toBeGreaterThan(LONG_AGO) // touched
      expect(auditOf(name, id).map((row) => row.action)).toEqual(expected('update')) // once
      expect(parse(entry('update')!.old_data)).toEqual(before)
      expect(parse(entry('update')!.new_data)).toEqual(after) // including the touched updated_at

      db.prepare(`DELETE FROM "${name}" WHERE id = ?`).run(id)
      expect(auditOf(name, id).map((row) => row.action)).toEqual(expected('update', 'delete'))
      expect(parse(entry('delete')!.old_data)).toEqual(after)
      expect(entry('delete')?.new_data).toBeNull()
      expect(Number(entry('delete')!.changed_at)).toBeGreaterThan(Date.now() - 60_000)
    },
  )

  it('embeds JSON columns as JSON and keeps fixed8 amounts above 2^53 exact', () => {
    const MAX = 9223372036854775807n
    const account = insertAccount(o, { startingBalance: MAX })
    const strategy = insertStrategy(o, { config: { atr: 14 } })
    const balance = db
      .prepare(
        `SELECT json_extract(new_data, '$.starting_balance') FROM audit_log
         WHERE table_name = 'accounts' AND row_id = ?`,
      )
      .pluck()
      .get(account.id)
    expect(balance).toBe(MAX)
    const config = db
      .prepare(
        `SELECT json_type(new_data, '$.config') FROM audit_log
         WHERE table_name = 'strategies' AND row_id = ?`,
      )
      .pluck()
      .get(strategy.id)
    expect(config).toBe('object')
  })

  it('leaves trades.raw_source out and logs fills deleted by undoing their import', () => {
    const refs = { accountId: insertAccount(o).id, instrumentId: insertInstrument(o).id }
    const batch = insertImportBatch(o, refs.accountId)
    const fill = insertTrade(o, refs, { importBatchId: batch.id, rawSource: 'a,b,c' })
    o.delete(s.importBatches).where(eq(s.importBatches.id, batch.id)).run()
    const log = auditOf('trades', fill.id)
    expect(log.map((row) => row.action)).toEqual(['delete'])
    expect(parse(log[0]!.old_data)).not.toHaveProperty('raw_source')
  })

  it('does not log an update that changes nothing', () => {
    const account = insertAccount(o)
    db.prepare(`UPDATE accounts SET name = name WHERE id = ?`).run(account.id)
    expect(auditOf('accounts', account.id).map((row) => row.action)).toEqual(['insert'])
  })

  it('is not written for tables outside the critical list', () => {
    o.insert(s.tags).values({ name: 'x' }).run()
    expect(
      db.prepare(`SELECT count(*) FROM audit_log WHERE table_name = 'tags'`).pluck().get(),
    ).toBe(0n)
  })
})
