import type Database from 'better-sqlite3'

/**
 * Every row of every journal table, as text: two snapshots are equal exactly when the journal's
 * content is. (Byte equality of the file is too strict: SQLite may touch pages it didn't change.)
 */
export function journalContent(sqlite: Database.Database, exclude: string[] = []): string {
  const tables = sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[]
  const content: Record<string, unknown[]> = {}
  for (const table of tables) {
    if (exclude.includes(table)) continue
    content[table] = sqlite.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).raw().all()
  }
  return JSON.stringify(content, (_key, value) =>
    typeof value === 'bigint'
      ? `${value}n`
      : Buffer.isBuffer(value)
        ? value.toString('hex')
        : value,
  )
}
