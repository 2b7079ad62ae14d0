/**
 * Opening a journal: the only way any host gets a database connection.
 *
 * Order matters: inspect read-only first (is it SQLite? does it pass quick_check? is its schema
 * one this code knows?) so that a file we refuse is never touched; then open read-write, set
 * the pragmas, take an online backup if migrations are pending, and migrate.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator'
import * as schema from './schema'

export type Orm = BetterSQLite3Database<typeof schema>

/** A transaction handle: the only thing write callbacks receive. */
export type WriteTx = Orm

export interface Journal {
  readonly path: string
  /** Number of applied migrations; mirrored in PRAGMA user_version. */
  readonly schemaVersion: number
  /** Backup taken before this open applied migrations, if any. */
  readonly backupPath: string | null
  /** Typed queries (reads). Writes go through {@link Journal.write}. */
  readonly orm: Orm
  /** The raw connection, for prepared statements on hot paths and PRAGMAs. */
  readonly sqlite: Database.Database
  /** Runs `work` in one IMMEDIATE transaction: all of it commits or none of it does. */
  write<T>(work: (tx: WriteTx) => T): T
  close(): void
}

export interface OpenOptions {
  /** Folder of drizzle-kit migrations; defaults to db/migrations next to this file. */
  migrationsFolder?: string
  /** Where the pre-migration backup goes; defaults to `<journal folder>/backups`. */
  backupDir?: string
  /** Path of a better-sqlite3 .node build for this runtime (Electron's ABI; see docs). */
  nativeBinding?: string
}

/** Raised when a file is refused; the message says why and what to do, and the file is untouched. */
export class JournalRefusedError extends Error {
  override name = 'JournalRefusedError'
}

/** db/migrations, found from this module whether it runs from source (db/) or a bundle (out/x/). */
export const defaultMigrationsFolder =
  [new URL('./migrations', import.meta.url), new URL('../../db/migrations', import.meta.url)]
    .map((url) => fileURLToPath(url))
    .find((folder) => existsSync(join(folder, 'meta', '_journal.json'))) ??
  fileURLToPath(new URL('./migrations', import.meta.url))

const MIGRATIONS_TABLE = '__drizzle_migrations'
const BUSY_TIMEOUT_MS = 5000

export async function openJournal(path: string, options: OpenOptions = {}): Promise<Journal> {
  const journalPath = resolve(path)
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder
  const known = readMigrationFiles({ migrationsFolder })
  const nativeBinding = options.nativeBinding

  const appliedCount = fileHasContent(journalPath)
    ? inspectExisting(journalPath, known, nativeBinding)
    : 0
  if (!existsSync(dirname(journalPath))) mkdirSync(dirname(journalPath), { recursive: true })

  const sqlite = new Database(journalPath, nativeBinding ? { nativeBinding } : {})
  try {
    sqlite.pragma('journal_mode = WAL')
    // FULL: a committed trade survives a power cut, not only a crash. Imports commit in big
    // transactions, so the cost is small (docs/decisions/0001-sqlite-durability.md).
    sqlite.pragma('synchronous = FULL')
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // 64 MiB page cache (default 2 MiB) for reads over big journals (statistics, rebuilds).
    // Imports lower it while they run (services/import.ts): appending needs only index tails.
    sqlite.pragma('cache_size = -65536')
    // Every INTEGER reads as a bigint: amounts are scaled integers that can exceed 2^53.
    sqlite.defaultSafeIntegers(true)
    sqlite.pragma('foreign_keys = ON')

    let backupPath: string | null = null
    if (appliedCount > 0 && appliedCount < known.length) {
      backupPath = await backupBeforeMigration(sqlite, journalPath, known.length, options.backupDir)
    }
    if (appliedCount < known.length) applyMigrations(sqlite, known.slice(appliedCount))
    const orm = drizzle(sqlite, { schema })

    return {
      path: journalPath,
      schemaVersion: known.length,
      backupPath,
      orm,
      sqlite,
      write: (work) => sqlite.transaction(() => work(orm)).immediate(),
      close: () => sqlite.close(),
    }
  } catch (error) {
    sqlite.close()
    throw error
  }
}

function fileHasContent(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0
}

/**
 * Read-only checks of an existing file. Returns how many migrations it has applied, or throws
 * JournalRefusedError without having written anything.
 */
function inspectExisting(path: string, known: MigrationMeta[], nativeBinding?: string): number {
  let reader: Database.Database
  try {
    reader = new Database(path, { readonly: true, fileMustExist: true, nativeBinding })
  } catch (error) {
    throw new JournalRefusedError(`Cannot open ${path}: ${(error as Error).message}`)
  }
  try {
    let problems: string[]
    try {
      problems = (reader.pragma('quick_check') as { quick_check: string }[]).map(
        (row) => row.quick_check,
      )
    } catch (error) {
      throw new JournalRefusedError(
        `${path} is not a Blotter journal (${(error as Error).message}). It was left untouched.`,
      )
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new JournalRefusedError(
        `${path} failed SQLite's quick_check (${problems.slice(0, 3).join('; ')}). ` +
          `It was left untouched; restore it from a backup (the backups folder next to it).`,
      )
    }
    const hasHistory = reader
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(MIGRATIONS_TABLE)
    if (!hasHistory) {
      const tableCount = reader
        .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`)
        .get() as { n: number }
      if (tableCount.n > 0) {
        throw new JournalRefusedError(
          `${path} is an SQLite database but not a Blotter journal (it has no migration history). ` +
            `It was left untouched.`,
        )
      }
      return 0
    }
    const applied = reader
      .prepare(`SELECT hash FROM ${MIGRATIONS_TABLE} ORDER BY created_at, id`)
      .all() as { hash: string }[]
    const prefixMatches = applied.every((row, i) => known[i]?.hash === row.hash)
    if (applied.length > known.length || !prefixMatches) {
      throw new JournalRefusedError(
        `${path} has schema version ${applied.length}, newer than this Blotter knows ` +
          `(${known.length}) or from a different build. Update Blotter to open it; ` +
          `the file was left untouched.`,
      )
    }
    return applied.length
  } finally {
    reader.close()
  }
}

/** Online backup through SQLite's backup API (never a file copy of a live WAL database). */
async function backupBeforeMigration(
  sqlite: Database.Database,
  journalPath: string,
  targetVersion: number,
  backupDir = join(dirname(journalPath), 'backups'),
): Promise<string> {
  mkdirSync(backupDir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const name = `${basename(journalPath, '.db')}-before-v${targetVersion}-${stamp}.db`
  const destination = join(backupDir, name)
  await sqlite.backup(destination)
  return destination
}

/**
 * Applies migrations in one transaction, in drizzle's history table format.
 *
 * Foreign keys are off meanwhile, as SQLite's table-rebuild procedure requires: with them on,
 * the DROP TABLE of a rebuilt parent would cascade-delete its children's rows (and the
 * `PRAGMA foreign_keys=OFF` drizzle-kit writes is a no-op inside a transaction). Before the
 * commit, `foreign_key_check` must come back empty, or everything rolls back.
 */
export function applyMigrations(sqlite: Database.Database, pending: MigrationMeta[]): void {
  sqlite.pragma('foreign_keys = OFF')
  try {
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC)`,
    )
    const record = sqlite.prepare(
      `INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES (?, ?)`,
    )
    sqlite
      .transaction(() => {
        for (const migration of pending) {
          for (const statement of migration.sql) {
            if (statement.trim()) sqlite.exec(statement)
          }
          record.run(migration.hash, migration.folderMillis)
        }
        const violations = sqlite.pragma('foreign_key_check') as unknown[]
        if (violations.length > 0) {
          throw new Error(
            `Migration would break ${violations.length} foreign key(s); nothing was changed.`,
          )
        }
        const applied = sqlite.prepare(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`).get() as {
          n: bigint
        }
        sqlite.pragma(`user_version = ${applied.n}`)
      })
      .immediate()
  } finally {
    sqlite.pragma('foreign_keys = ON')
  }
}
