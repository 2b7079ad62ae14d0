/**
 * The journal's triggers, derived from the drizzle table objects so they follow the schema:
 *
 * - `<table>_touch_updated_at` on every table with an `updated_at` column: after an UPDATE
 *   that did not set updated_at itself, set it to now. A writer (sync) that sets updated_at
 *   explicitly keeps its value. Relies on PRAGMA recursive_triggers being OFF (the default).
 * - `<table>_audit_insert|update|delete` on {@link AUDITED_TABLES}: one audit_log row per
 *   change with the whole old and/or new row as a JSON object.
 *
 * Pure: no database, no files. scripts/write-trigger-migration.ts writes the statements into a
 * drizzle-kit custom migration; test/db/triggers.test.ts checks the migrated database holds
 * exactly these triggers, so a table change without regenerating them fails the tests.
 */
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { NOW_MS_SQL } from './schema/columns'

/** Tables whose every change is recorded in audit_log. */
export const AUDITED_TABLES = [
  'accounts',
  'strategies',
  'trades',
  'positions',
  'risk_limits',
] as const

/**
 * Columns left out of the audit JSON, besides BLOB columns (never logged). trades.raw_source
 * is the whole source line of a fill: logging it would double the size of every import's
 * audit rows, and the fill's import_batch_id + source_line already say where it came from.
 */
export const AUDIT_SKIPPED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  trades: ['raw_source'],
}

/**
 * Tables whose INSERTs are not logged: rows the import writes in bulk and that record their own
 * origin. A fill keeps its import batch, source line and raw source; a round trip is derived
 * from fills by the engine. Their updates and deletes (a trader's edit, an undone import) are
 * still logged. Measured (`npm run bench -- import`, 10^5 fills): an insert audit row made fill
 * inserts 5.4× slower (4.4 s instead of 0.8 s) and added 1.4 s for 28k round trips, against a
 * goal of 1.5 s for the whole import.
 */
export const AUDIT_INSERTS_SKIPPED: readonly string[] = ['trades', 'positions']

export const AUDIT_TABLE = 'audit_log'
const UPDATED_AT = 'updated_at'

export interface TriggerDefinition {
  name: string
  table: string
  /** One CREATE TRIGGER statement, without a trailing semicolon. */
  sql: string
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`

function isJsonColumn(column: SQLiteColumn): boolean {
  return column.columnType === 'SQLiteTextJson'
}

function isBlobColumn(column: SQLiteColumn): boolean {
  return column.getSQLType() === 'blob'
}

function primaryKeyColumns(table: SQLiteTable): string[] {
  const config = getTableConfig(table)
  const single = config.columns.filter((column) => column.primary).map((column) => column.name)
  if (single.length > 0) return single
  const composite = config.primaryKeys[0]
  if (composite) return composite.columns.map((column) => column.name)
  throw new Error(`${config.name} has no primary key; triggers need one to find the row`)
}

/** `<table>_touch_updated_at`, or null when the table has no updated_at column. */
export function touchTrigger(table: SQLiteTable): TriggerDefinition | null {
  const config = getTableConfig(table)
  if (!config.columns.some((column) => column.name === UPDATED_AT)) return null
  const name = `${config.name}_touch_updated_at`
  const rowMatch = primaryKeyColumns(table)
    .map((column) => `${ident(column)} = NEW.${ident(column)}`)
    .join(' AND ')
  return {
    name,
    table: config.name,
    sql: [
      `CREATE TRIGGER ${ident(name)}`,
      `AFTER UPDATE ON ${ident(config.name)}`,
      `FOR EACH ROW WHEN NEW.${ident(UPDATED_AT)} IS OLD.${ident(UPDATED_AT)}`,
      `BEGIN`,
      `  UPDATE ${ident(config.name)} SET ${ident(UPDATED_AT)} = ${NOW_MS_SQL}`,
      `  WHERE ${rowMatch};`,
      `END`,
    ].join('\n'),
  }
}

/** The columns an audit row records, in table order. */
export function auditedColumns(table: SQLiteTable): SQLiteColumn[] {
  const config = getTableConfig(table)
  const skipped = AUDIT_SKIPPED_COLUMNS[config.name] ?? []
  return config.columns.filter((column) => !isBlobColumn(column) && !skipped.includes(column.name))
}

/**
 * `json_object('col', ROW."col", …)`. JSON columns are embedded as JSON (json()), not as
 * strings. With `touchedUpdatedAt`, updated_at is the value the touch trigger is about to
 * write (now, which SQLite keeps constant for the whole statement), so the audit row shows the
 * row as it ends up.
 */
function rowJson(columns: SQLiteColumn[], row: 'OLD' | 'NEW', touchedUpdatedAt = false): string {
  const pairs = columns.map((column) => {
    const value = `${row}.${ident(column.name)}`
    let expression = isJsonColumn(column) ? `json(${value})` : value
    if (touchedUpdatedAt && column.name === UPDATED_AT) {
      expression = `CASE WHEN NEW.${ident(UPDATED_AT)} IS OLD.${ident(UPDATED_AT)} THEN ${NOW_MS_SQL} ELSE NEW.${ident(UPDATED_AT)} END`
    }
    return `${literal(column.name)}, ${expression}`
  })
  return `json_object(\n      ${pairs.join(',\n      ')}\n    )`
}

/** `<table>_audit_insert` (unless skipped), `_audit_update` and `_audit_delete`. */
export function auditTriggers(table: SQLiteTable): TriggerDefinition[] {
  const config = getTableConfig(table)
  const keys = primaryKeyColumns(table)
  if (keys.length !== 1) throw new Error(`audited table ${config.name} needs a one-column key`)
  const key = ident(keys[0] as string)
  const columns = auditedColumns(table)
  const hasUpdatedAt = columns.some((column) => column.name === UPDATED_AT)
  const insertInto = `INSERT INTO ${ident(AUDIT_TABLE)} ("action", "table_name", "row_id", "old_data", "new_data")`

  const trigger = (
    action: 'insert' | 'update' | 'delete',
    when: string | null,
    rowId: string,
    oldData: string,
    newData: string,
  ): TriggerDefinition => {
    const name = `${config.name}_audit_${action}`
    return {
      name,
      table: config.name,
      sql: [
        `CREATE TRIGGER ${ident(name)}`,
        `AFTER ${action.toUpperCase()} ON ${ident(config.name)}`,
        when ? `FOR EACH ROW WHEN ${when}` : `FOR EACH ROW`,
        `BEGIN`,
        `  ${insertInto}`,
        `  VALUES (`,
        `    ${literal(action)},`,
        `    ${literal(config.name)},`,
        `    ${rowId},`,
        `    ${oldData},`,
        `    ${newData}`,
        `  );`,
        `END`,
      ].join('\n'),
    }
  }

  // An UPDATE is logged once: the touch trigger's own UPDATE (which changes only updated_at)
  // does not match this WHEN, so it adds no second row. An UPDATE that changes nothing but
  // updated_at (or nothing at all) is not logged.
  const changed = columns
    .filter((column) => column.name !== UPDATED_AT)
    .map((column) => `OLD.${ident(column.name)} IS NOT NEW.${ident(column.name)}`)
    .join('\n  OR ')

  const insert = AUDIT_INSERTS_SKIPPED.includes(config.name)
    ? []
    : [trigger('insert', null, `NEW.${key}`, 'NULL', rowJson(columns, 'NEW'))]
  return [
    ...insert,
    trigger(
      'update',
      changed,
      `NEW.${key}`,
      rowJson(columns, 'OLD'),
      rowJson(columns, 'NEW', hasUpdatedAt),
    ),
    trigger('delete', null, `OLD.${key}`, rowJson(columns, 'OLD'), 'NULL'),
  ]
}

/** Every trigger of the journal, in table order: touch first, then audit. */
export function journalTriggers(tables: readonly SQLiteTable[]): TriggerDefinition[] {
  const byName = new Map(tables.map((table) => [getTableConfig(table).name, table]))
  for (const name of [...AUDITED_TABLES, AUDIT_TABLE]) {
    if (!byName.has(name)) throw new Error(`triggers: table ${name} is not in the schema`)
  }
  const audited = new Set<string>(AUDITED_TABLES)
  const triggers: TriggerDefinition[] = []
  for (const [name, table] of byName) {
    const touch = touchTrigger(table)
    if (touch) triggers.push(touch)
    if (audited.has(name)) triggers.push(...auditTriggers(table))
  }
  return triggers
}

/** SQL statements (no trailing semicolons) that create `triggers`. */
export function createTriggerStatements(triggers: readonly TriggerDefinition[]): string[] {
  return triggers.map((trigger) => trigger.sql)
}

/**
 * Body of a triggers migration: DROP TRIGGER IF EXISTS for every trigger an earlier triggers
 * migration created (a table rebuild, a rename or a removed column may have changed them),
 * then CREATE TRIGGER for each current one. One statement per `--> statement-breakpoint`.
 */
export function triggerMigrationSql(
  triggers: readonly TriggerDefinition[],
  previousTriggerNames: readonly string[] = [],
): string {
  const header =
    '-- Generated by scripts/write-trigger-migration.ts from db/triggers.ts. Do not edit:\n' +
    '-- change the schema, then `drizzle-kit generate --custom --name triggers` and\n' +
    '-- `npm run db:triggers` (docs/decisions/0004-schema-conventions.md).\n'
  const drops = [...new Set(previousTriggerNames)].map(
    (name) => `DROP TRIGGER IF EXISTS ${ident(name)};`,
  )
  const creates = createTriggerStatements(triggers).map((sql) => `${sql};`)
  const statements = [...drops, ...creates]
  return header + statements.join('\n--> statement-breakpoint\n') + '\n'
}

/** Names of the triggers a migration's SQL creates. */
export function triggerNamesIn(migrationSql: string): string[] {
  return [...migrationSql.matchAll(/CREATE TRIGGER\s+(?:IF NOT EXISTS\s+)?"((?:[^"]|"")+)"/gi)].map(
    (match) => (match[1] as string).replaceAll('""', '"'),
  )
}
