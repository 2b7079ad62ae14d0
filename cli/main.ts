/**
 * The `blotter` command line: the same contract as the app, for scripts and for tests.
 * Exit codes: 0 success; 1 the operation failed (one message on stderr, journal unchanged);
 * 2 usage error. With --json, stdout carries only the JSON result.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Command, CommanderError, Option } from 'commander'
import type { MethodInput, SettingView, SystemInfo } from '../contract'
import { startServer } from '../server'
import { AppError } from '../services/errors'
import { call, journalPath, print, UsageError, withJournal } from './common'
import { addJournalCommands } from './journal'
import { addMarketCommands } from './market'
import { addRiskCommands } from './risk'
import { addStatsCommands } from './stats'
import { addStrategiesCommands } from './strategies'

/**
 * The import worker scripts/blotter.mjs bundles next to the CLI. Run from source (tests through
 * tsx) there is none, and browser mode runs import jobs in its own thread.
 */
const bundledImportWorker = new URL('./import-worker.mjs', import.meta.url)

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv, { from: 'user' })
    // A command that reported a partial failure (import: a file rejected) set the exit code.
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print and exit 0; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? 0 : 2
    }
    if (
      error instanceof UsageError ||
      (error instanceof AppError && error.code === 'invalid_input')
    ) {
      process.stderr.write(`blotter: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`blotter: ${(error as Error).message}\n`)
    return 1
  }
}

function buildProgram(): Command {
  const program = new Command('blotter')
    .description('Blotter trading journal')
    .addOption(
      new Option('--db <path>', 'journal file (default: $BLOTTER_DB, else the app’s file)'),
    )
    .option('--json', 'print machine-readable JSON on stdout')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })

  program
    .command('init')
    .description('create the journal, or migrate it to this version’s schema')
    .action(() =>
      withJournal(program, async (journal) => {
        const result = { path: journal.path, schemaVersion: journal.schemaVersion }
        print(program, result, () => {
          const backup = journal.backupPath
            ? ` (backup before migrating: ${journal.backupPath})`
            : ''
          return `Journal ready at ${journal.path}, schema version ${journal.schemaVersion}${backup}`
        })
      }),
    )

  program
    .command('info')
    .description('journal path, schema version and row count of every table')
    .action(() =>
      withJournal(program, async (journal) => {
        const info = await call(journal, 'system.info', {})
        print(program, info, () => formatInfo(info))
      }),
    )

  const settings = program.command('settings').description('read and change settings')
  settings
    .command('list', { isDefault: true })
    .description('every setting and its value')
    .action(() =>
      withJournal(program, async (journal) => {
        const views = await call(journal, 'settings.list', {})
        print(program, views, () => views.map(formatSetting).join('\n'))
      }),
    )
  settings
    .command('get <key>')
    .description('one setting')
    .action((key: string) =>
      withJournal(program, async (journal) => {
        const view = await call(journal, 'settings.get', { key } as MethodInput<'settings.get'>)
        print(program, view, () => formatSetting(view))
      }),
    )
  settings
    .command('set <key> <value>')
    .description('change a setting (the value is read as JSON when it parses, else as text)')
    .action((key: string, value: string) =>
      withJournal(program, async (journal) => {
        const input = { key, value: parseValue(value) } as MethodInput<'settings.set'>
        const view = await call(journal, 'settings.set', input)
        print(program, view, () => formatSetting(view))
      }),
    )

  program
    .command('serve')
    .description('start browser mode on 127.0.0.1 and print the address to open')
    .option('--port <n>', 'port (default: any free port)', '0')
    .action(async (options: { port: string }) => {
      const port = Number(options.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`--port must be a port number, got "${options.port}"`)
      }
      const server = await startServer({
        dbPath: journalPath(program),
        port,
        ...(existsSync(fileURLToPath(bundledImportWorker)) && {
          importWorker: bundledImportWorker,
        }),
      })
      print(program, { url: server.url }, () => `Blotter is running at ${server.url}`)
      await new Promise<void>((resolveStop) => {
        const stop = () => void server.close().then(resolveStop)
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
    })

  addJournalCommands(program)
  addMarketCommands(program)
  addRiskCommands(program)
  addStatsCommands(program)
  addStrategiesCommands(program)
  return program
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function formatInfo(info: SystemInfo): string {
  const names = Object.keys(info.tables)
  const width = Math.max(...names.map((name) => name.length))
  const rows = names.map((name) => `  ${name.padEnd(width)}  ${info.tables[name]}`)
  return [
    `Journal:        ${info.path}`,
    `Schema version: ${info.schemaVersion}`,
    `SQLite:         ${info.sqliteVersion}`,
    `Tables (${names.length}):`,
    ...rows,
  ].join('\n')
}

function formatSetting(view: SettingView): string {
  if (view.secret) return `${view.key} = ${view.isSet ? '(set, encrypted)' : '(not set)'}`
  const marker = view.isDefault ? '  (default)' : ''
  return `${view.key} = ${JSON.stringify(view.value)}${marker}`
}

process.exitCode = await run(process.argv.slice(2))
