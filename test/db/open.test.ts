import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultMigrationsFolder, JournalRefusedError, openJournal } from '../../db/open'
import { rebuildPositions } from '../../db/queries/positions'
import { instrumentIdentityKey } from '../../db/schema'
import { tempDir } from '../support/temp'

const knownMigrations = readMigrationFiles({ migrationsFolder: defaultMigrationsFolder })

/** A copy of the migrations folder holding only the first `count` migrations: an older build. */
function olderMigrations(dir: string, count: number): string {
  const folder = join(dir, `migrations-v${count}`)
  cpSync(defaultMigrationsFolder, folder, { recursive: true })
  const journalFile = join(folder, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] }
  journal.entries = journal.entries.slice(0, count)
  writeFileSync(journalFile, JSON.stringify(journal))
  return folder
}

/** A copy of the migrations folder plus one more migration: a newer build. */
function newerMigrations(dir: string, tag: string, statements: string[]): string {
  const folder = join(dir, `migrations-${tag}`)
  cpSync(defaultMigrationsFolder, folder, { recursive: true })
  writeFileSync(join(folder, `${tag}.sql`), statements.join('\n--> statement-breakpoint\n'))
  const journalFile = join(folder, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
    entries: { idx: number; when: number; tag: string }[]
  }
  const last = journal.entries[journal.entries.length - 1]
  journal.entries.push({
    ...(last as { idx: number; when: number; tag: string }),
    idx: journal.entries.length,
    when: (last?.when ?? 0) + 1000,
    tag,
  })
  writeFileSync(journalFile, JSON.stringify(journal))
  return folder
}

function fileBytes(path: string): Buffer {
  return readFileSync(path)
}

describe('openJournal', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({ dir, cleanup } = tempDir()))
  afterEach(() => cleanup())

  it('creates a new journal with the pragmas and the whole schema', async () => {
    const journal = await openJournal(join(dir, 'nested', 'journal.db'))
    try {
      expect(journal.schemaVersion).toBe(knownMigrations.length)
      expect(journal.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(journal.sqlite.pragma('foreign_keys', { simple: true })).toBe(1n)
      expect(journal.sqlite.pragma('synchronous', { simple: true })).toBe(2n) // FULL
      expect(journal.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000n)
      expect(journal.sqlite.pragma('user_version', { simple: true })).toBe(
        BigInt(knownMigrations.length),
      )
      expect(journal.backupPath).toBeNull()
    } finally {
      journal.close()
    }
  })

  it('reopens an up-to-date journal without migrating or backing up', async () => {
    const path = join(dir, 'journal.db')
    ;(await openJournal(path)).close()
    const journal = await openJournal(path)
    journal.close()
    expect(journal.backupPath).toBeNull()
    expect(existsSync(join(dir, 'backups'))).toBe(false)
  })

  it.each(Array.from({ length: knownMigrations.length }, (_, i) => i + 1).slice(0, -1))(
    'migrates from schema version %i, after an online backup, keeping the data',
    async (version) => {
      const path = join(dir, 'journal.db')
      const old = await openJournal(path, { migrationsFolder: olderMigrations(dir, version) })
      expect(old.schemaVersion).toBe(version)
      old.sqlite
        .prepare(`INSERT INTO system_settings (key, value) VALUES ('ui.theme', '"dark"')`)
        .run()
      old.close()

      const journal = await openJournal(path)
      try {
        expect(journal.schemaVersion).toBe(knownMigrations.length)
        expect(journal.backupPath).not.toBeNull()
        const backup = new Database(journal.backupPath as string, { readonly: true })
        const applied = backup.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()
        expect(applied).toEqual({ n: version })
        backup.close()
        const kept = journal.sqlite.prepare(`SELECT value FROM system_settings`).get()
        expect(kept).toEqual({ value: '"dark"' })
      } finally {
        journal.close()
      }
    },
  )

  it('keeps the fills of a journal from before the narrow fills indexes, and rebuilds from them', async () => {
    const path = join(dir, 'journal.db')
    // Schema version 4: 0000–0003, the fills table with its first set of indexes.
    const old = await openJournal(path, { migrationsFolder: olderMigrations(dir, 4) })
    const aapl = instrumentIdentityKey({
      symbol: 'AAPL',
      exchange: null,
      assetClass: 'stock',
      expiry: null,
      strike: null,
      putCall: null,
    })
    old.sqlite.exec(`
      INSERT INTO accounts (id, name, broker, base_currency, timezone)
        VALUES ('a1', 'Main', 'blotter', 'USD', 'UTC');
      INSERT INTO instruments (id, symbol, asset_class, identity_key, quote_currency)
        VALUES ('i1', 'AAPL', 'stock', '${aapl}', 'USD');
      INSERT INTO import_batches (id, file_name, sha256, format, parser_version)
        VALUES ('b1', 'a.csv', '${'0'.repeat(64)}', 'blotter', '1');
      INSERT INTO trades (id, account_id, instrument_id, side, quantity, price, fee, currency,
          executed_at, content_key, import_batch_id, source_line)
        VALUES ('f1', 'a1', 'i1', 'buy', 1000000000, 15000000000, 100000000, 'USD', 1000, 'k1', 'b1', 2),
               ('f2', 'a1', 'i1', 'sell', 1000000000, 15100000000, 100000000, 'USD', 2000, 'k2', 'b1', 3);`)
    old.close()

    const journal = await openJournal(path)
    try {
      const indexes = journal.sqlite
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trades'`)
        .pluck()
        .all()
      expect(indexes).toContain('trades_rebuild_idx')
      expect(indexes).not.toContain('trades_account_executed_idx')
      expect(rebuildPositions(journal.sqlite, 'a1', 'i1')).toBe(1)
      const trade = journal.sqlite
        .prepare(`SELECT trade_key AS key, net_pnl AS net FROM positions`)
        .get()
      // (151 − 150) × 10 − 2 × 1 fee; the round trip is named by its opening fill's key.
      expect(trade).toEqual({ key: 'k1', net: 800_000_000n })
    } finally {
      journal.close()
    }
  })

  it('rebuilds a parent table in a migration without cascading into its children', async () => {
    const path = join(dir, 'journal.db')
    const journal = await openJournal(path)
    journal.sqlite.exec(`
      INSERT INTO accounts (id, name, broker, base_currency, timezone)
        VALUES ('a1', 'Main', 'ibkr', 'USD', 'America/New_York');
      INSERT INTO cash_transactions (id, account_id, kind, amount, currency, occurred_at)
        VALUES ('c1', 'a1', 'deposit', 1000000000000, 'USD', 0);`)
    const ddl = journal.sqlite
      .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'accounts'`)
      .get() as { sql: string }
    journal.close()
    // What drizzle-kit writes to change a column of a parent table: copy, drop, rename.
    const rebuild = newerMigrations(dir, '0099_rebuild_accounts', [
      'PRAGMA foreign_keys=OFF;',
      ddl.sql.replace(/^CREATE TABLE [`"]?accounts[`"]?/, 'CREATE TABLE `__new_accounts`') + ';',
      'INSERT INTO `__new_accounts` SELECT * FROM `accounts`;',
      'DROP TABLE `accounts`;',
      'ALTER TABLE `__new_accounts` RENAME TO `accounts`;',
      'PRAGMA foreign_keys=ON;',
    ])
    const migrated = await openJournal(path, { migrationsFolder: rebuild })
    try {
      expect(migrated.backupPath).not.toBeNull()
      expect(migrated.sqlite.prepare('SELECT id FROM cash_transactions').all()).toEqual([
        { id: 'c1' },
      ])
    } finally {
      migrated.close()
    }
  })

  it('rolls back a migration that would break a foreign key', async () => {
    const path = join(dir, 'journal.db')
    const journal = await openJournal(path)
    const version = journal.schemaVersion
    journal.sqlite.exec(`
      INSERT INTO accounts (id, name, broker, base_currency, timezone)
        VALUES ('a1', 'Main', 'ibkr', 'USD', 'UTC');
      INSERT INTO cash_transactions (id, account_id, kind, amount, currency, occurred_at)
        VALUES ('c1', 'a1', 'deposit', 100000000, 'USD', 0);`)
    journal.close()
    const orphaning = newerMigrations(dir, '0099_orphan', ["DELETE FROM accounts WHERE id = 'a1';"])
    await expect(openJournal(path, { migrationsFolder: orphaning })).rejects.toThrow(/foreign key/)
    const reopened = await openJournal(path)
    try {
      expect(reopened.sqlite.pragma('user_version', { simple: true })).toBe(BigInt(version))
      expect(reopened.sqlite.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 1n })
    } finally {
      reopened.close()
    }
  })

  it('refuses a journal whose schema is newer than the code, without touching it', async () => {
    const path = join(dir, 'journal.db')
    ;(await openJournal(path)).close()
    const db = new Database(path)
    db.prepare(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ?)`).run(
      Date.now() + 1e9,
    )
    db.close()
    const before = fileBytes(path)
    await expect(openJournal(path)).rejects.toThrow(/schema version \d+, newer than this Blotter/)
    expect(fileBytes(path).equals(before)).toBe(true)
    // A read-only look at a WAL journal may leave SQLite's empty side files, never data.
    expect(readdirSync(dir).filter((name) => !name.startsWith('journal.db'))).toEqual([])
    if (existsSync(`${path}-wal`)) expect(fileBytes(`${path}-wal`).length).toBe(0)
  })

  it('refuses a file that is not a database, without touching it', async () => {
    const path = join(dir, 'notes.db')
    writeFileSync(path, 'date,symbol\n2026-01-02,AAPL\n'.repeat(200))
    const before = fileBytes(path)
    const error = await openJournal(path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JournalRefusedError)
    expect((error as Error).message).toMatch(/not a Blotter journal/)
    expect(fileBytes(path).equals(before)).toBe(true)
  })

  it('refuses an SQLite database that is not a Blotter journal', async () => {
    const path = join(dir, 'other.db')
    const db = new Database(path)
    db.exec('CREATE TABLE t (x)')
    db.close()
    const before = fileBytes(path)
    await expect(openJournal(path)).rejects.toThrow(/no migration history/)
    expect(fileBytes(path).equals(before)).toBe(true)
  })

  it('refuses a corrupt journal that fails quick_check, without touching it', async () => {
    const path = join(dir, 'journal.db')
    const journal = await openJournal(path)
    const insert = journal.sqlite.prepare(
      `INSERT INTO system_logs (level, message, logged_at) VALUES ('info', ?, 0)`,
    )
    journal.write(() => {
      for (let i = 0; i < 3000; i++) insert.run(`message ${i} `.repeat(10))
    })
    journal.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    journal.sqlite.pragma('journal_mode = DELETE')
    journal.close()
    // Scribble over the middle of the file: pages of a b-tree, not the header.
    const bytes = fileBytes(path)
    bytes.fill(0xa5, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192)
    writeFileSync(path, bytes)
    await expect(openJournal(path)).rejects.toThrow(/quick_check|not a Blotter journal/)
    expect(fileBytes(path).equals(bytes)).toBe(true)
  })

  it('commits a write completely or not at all', async () => {
    const journal = await openJournal(join(dir, 'journal.db'))
    try {
      const insert = journal.sqlite.prepare(
        `INSERT INTO system_settings (key, value) VALUES (?, '1')`,
      )
      expect(() =>
        journal.write(() => {
          insert.run('a')
          insert.run('a') // duplicate key: the whole transaction rolls back
        }),
      ).toThrow(/UNIQUE|PRIMARY KEY/)
      expect(journal.sqlite.prepare('SELECT count(*) AS n FROM system_settings').get()).toEqual({
        n: 0n,
      })
    } finally {
      journal.close()
    }
  })
})
