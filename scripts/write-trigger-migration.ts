/**
 * Fills the newest drizzle-kit custom migration named `…_triggers` with the trigger SQL of
 * db/triggers.ts. Workflow after changing a table (docs/decisions/0004-schema-conventions.md):
 *
 *   npm run db:generate
 *   npx drizzle-kit generate --custom --name triggers --config db/drizzle.config.ts
 *   npm run db:triggers
 *
 * Never rewrites a migration that already has other content (it may be applied somewhere);
 * says so and exits 1 instead. Exits 0 without writing when the file is already up to date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { journalTables } from '../db/schema'
import { journalTriggers, triggerMigrationSql, triggerNamesIn } from '../db/triggers'

const migrationsFolder = fileURLToPath(new URL('../db/migrations', import.meta.url))
const CUSTOM_PLACEHOLDER = '-- Custom SQL migration file, put your code below! --'
const NEW_TRIGGERS_MIGRATION =
  'npx drizzle-kit generate --custom --name triggers --config db/drizzle.config.ts'

interface JournalEntry {
  idx: number
  tag: string
}

function fail(message: string): never {
  console.error(`db:triggers: ${message}`)
  process.exit(1)
}

const journalFile = join(migrationsFolder, 'meta', '_journal.json')
if (!existsSync(journalFile)) fail(`no ${journalFile}; run npm run db:generate first`)
const entries = (JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: JournalEntry[] })
  .entries
const triggerEntries = entries.filter((entry) => entry.tag.endsWith('_triggers'))
const target = triggerEntries.at(-1)
if (!target) fail(`no triggers migration yet; create one with\n  ${NEW_TRIGGERS_MIGRATION}`)

const sqlFile = (entry: JournalEntry) => join(migrationsFolder, `${entry.tag}.sql`)
const previousNames = triggerEntries
  .slice(0, -1)
  .flatMap((entry) => triggerNamesIn(readFileSync(sqlFile(entry), 'utf8')))
const wanted = triggerMigrationSql(journalTriggers(journalTables), previousNames)

const targetFile = sqlFile(target)
const current = existsSync(targetFile) ? readFileSync(targetFile, 'utf8') : ''
if (current === wanted) {
  process.stdout.write(`db:triggers: ${target.tag}.sql is up to date\n`)
} else if (current.trim() === '' || current.trim() === CUSTOM_PLACEHOLDER) {
  writeFileSync(targetFile, wanted)
  process.stdout.write(
    `db:triggers: wrote ${triggerNamesIn(wanted).length} triggers to ${target.tag}.sql\n`,
  )
} else {
  fail(
    `${target.tag}.sql already holds other triggers (it may be applied in someone's journal, ` +
      `so it is not rewritten). Create a new triggers migration with\n  ${NEW_TRIGGERS_MIGRATION}\n` +
      `and run npm run db:triggers again.`,
  )
}
