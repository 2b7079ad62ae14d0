import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { applyMigrations } from '../../db/open'

export const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url))

export interface MigratedDb {
  /** The raw connection: foreign keys on, every INTEGER read as a bigint. */
  db: Database.Database
  /** Path of the database file (in its own temp folder). */
  path: string
  /** Closes the connection and deletes the temp folder. */
  cleanup: () => void
}

/** A new journal file in a temp folder with every migration in db/migrations applied. */
export function createMigratedDb(): MigratedDb {
  const dir = mkdtempSync(join(tmpdir(), 'blotter-db-'))
  const path = join(dir, 'journal.db')
  const db = new Database(path)
  try {
    db.pragma('foreign_keys = ON')
    db.defaultSafeIntegers(true)
    applyMigrations(db, readMigrationFiles({ migrationsFolder }))
  } catch (error) {
    db.close()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    db,
    path,
    cleanup: () => {
      if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
