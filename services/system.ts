import type { SystemInfo } from '../contract'
import type { ServiceContext } from './context'

/** Tables that belong to SQLite or to the migration runner, not to the journal. */
const INTERNAL_TABLE = /^(sqlite_|__drizzle_)/

export function journalTableNames(ctx: ServiceContext): string[] {
  const rows = ctx.journal.sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .all() as { name: string }[]
  return rows.map((row) => row.name).filter((name) => !INTERNAL_TABLE.test(name))
}

export function systemInfo(ctx: ServiceContext): SystemInfo {
  const tables: Record<string, number> = {}
  for (const name of journalTableNames(ctx)) {
    // Names come from sqlite_master, so quoting them is enough.
    const row = ctx.journal.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as {
      n: bigint
    }
    tables[name] = Number(row.n)
  }
  const version = ctx.journal.sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string }
  return {
    path: ctx.journal.path,
    schemaVersion: ctx.journal.schemaVersion,
    tables,
    sqliteVersion: version.v,
    host: ctx.host,
  }
}
