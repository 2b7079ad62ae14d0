/**
 * Soft deletes: user data is never DELETEd (sync must carry the tombstone); reads see only live
 * rows. Every read query in db/queries filters with `live(table)`.
 */
import { and, isNull, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { WriteTx } from './open'

export function live(table: { deletedAt: SQLiteColumn }, ...conditions: (SQL | undefined)[]) {
  return and(isNull(table.deletedAt), ...conditions)
}

/** Marks a live row deleted; returns whether one was found. */
export function softDelete(
  tx: WriteTx,
  table: SQLiteTable & { id: SQLiteColumn; deletedAt: SQLiteColumn },
  id: string,
): boolean {
  const result = tx.run(
    sql`UPDATE ${table} SET ${sql.identifier(table.deletedAt.name)} = ${Date.now()}
        WHERE ${table.id} = ${id} AND ${table.deletedAt} IS NULL`,
  )
  return result.changes > 0
}
