/**
 * Journal commands: import, import-templates, imports, undo-import, fills, trades, export, instruments, formats. JSON shapes are
 * fixed by issue #3 §5 (amounts as decimal strings, times as ISO 8601 UTC).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Option, type Command } from 'commander'
import { parseDecimal } from '../core/decimal'
import { isDateOrInstant } from '../contract/stats'
import { rangeBound } from '../core/time-parse'
import { formats } from '../importers'
import { exportFillsCsv } from '../importers/blotter'
import {
  genericFormat,
  MappingError,
  parseMappingJson,
  type GenericMapping,
} from '../importers/generic'
import type { DateOrder, ImportFormat } from '../importers/types'
import { importFile, type FileImportResult } from '../services/import'
import {
  listImportTemplates,
  readImportTemplate,
  saveImportTemplate,
} from '../services/import-templates'
import { listInstruments, setFuturesRoot } from '../services/instruments'
import { listBatches, listFills, listTrades, undoImport } from '../services/journal'
import { settingValue } from '../services/settings'
import { cliContext, print, UsageError, withJournal } from './common'

interface FilterOptions {
  account?: string
  symbol?: string
  from?: string
  to?: string
  tz?: string
}

export function addJournalCommands(program: Command): void {
  program
    .command('import <files...>')
    .description('import broker files (each all or nothing; duplicates skipped)')
    .option('--format <id>', 'format id, or auto to detect it', 'auto')
    .option('--mapping <file>', 'JSON column mapping for any other CSV (implies --format generic)')
    .option('--template <name>', 'a saved mapping (implies --format generic)')
    .option('--save-template <name>', 'with --mapping: save the mapping under this name')
    .option('--account <name>', 'account for files that do not name one')
    .option('--tz <zone>', 'IANA zone for times without an offset')
    .addOption(
      new Option(
        '--date-order <order>',
        'day and month order of dates a file could read either way round (NinjaTrader)',
      ).choices(['dmy', 'mdy']),
    )
    .option('--dry-run', 'report what would be imported without writing')
    .option('--skip-invalid', 'import the valid rows of a file that has bad ones')
    .action(
      (
        files: string[],
        options: {
          format: string
          mapping?: string
          template?: string
          saveTemplate?: string
          account?: string
          tz?: string
          dateOrder?: DateOrder
          dryRun?: boolean
          skipInvalid?: boolean
        },
      ) => {
        // A bad mapping is a usage error before the journal is opened.
        const mapping = options.mapping === undefined ? null : readMappingFile(options.mapping)
        if (options.mapping !== undefined && options.template !== undefined) {
          throw new UsageError('give either --mapping or --template, not both')
        }
        if (options.saveTemplate !== undefined && options.mapping === undefined) {
          throw new UsageError('--save-template needs --mapping FILE.json')
        }
        const generic = options.mapping !== undefined || options.template !== undefined
        if (generic && !['auto', 'generic'].includes(options.format)) {
          throw new UsageError(
            `--mapping and --template imply --format generic, not "${options.format}"`,
          )
        }
        if (!generic && options.format === 'generic') {
          throw new UsageError('--format generic needs --mapping FILE.json or --template NAME')
        }
        return withJournal(program, async (journal) => {
          const ctx = cliContext(journal)
          let format: string | ImportFormat = options.format
          if (mapping) {
            if (options.saveTemplate !== undefined) {
              saveImportTemplate(ctx, options.saveTemplate, mapping)
            }
            format = genericFormat(mapping)
          } else if (options.template !== undefined) {
            format = genericFormat(readImportTemplate(ctx, options.template))
          }
          const results = files.map((path) =>
            importFile(ctx, path, readFileSync(path), {
              format,
              account: options.account,
              timezone: options.tz,
              dateOrder: options.dateOrder,
              dryRun: options.dryRun,
              skipInvalid: options.skipInvalid,
            }),
          )
          print(program, { files: results }, () => results.map(describeImport).join('\n'))
          if (results.some((result) => result.status === 'rejected')) process.exitCode = 1
        })
      },
    )

  program
    .command('import-templates')
    .description('saved column mappings for --template (import --mapping --save-template)')
    .action(() =>
      withJournal(program, async (journal) => {
        const templates = listImportTemplates(cliContext(journal))
        print(program, templates, () =>
          templates.length === 0
            ? 'No import templates (save one with import --mapping FILE --save-template NAME)'
            : templates
                .map((t) => `${t.name.padEnd(24)} ${t.mapping.name ?? ''}`.trimEnd())
                .join('\n'),
        )
      }),
    )

  program
    .command('imports')
    .description('list import batches')
    .action(() =>
      withJournal(program, async (journal) => {
        const batches = listBatches(cliContext(journal))
        print(program, batches, () =>
          batches
            .map((b) => `${b.id}  ${b.status.padEnd(8)} ${b.fills} fills  ${b.format}  ${b.file}`)
            .join('\n'),
        )
      }),
    )

  program
    .command('undo-import <batch>')
    .description('remove the fills of an import batch and rebuild the trades they were in')
    .action((batch: string) =>
      withJournal(program, async (journal) => {
        const result = undoImport(cliContext(journal), batch)
        print(program, result, () => `Undid ${batch}: ${result.fills} fills removed`)
      }),
    )

  addFilterOptions(program.command('fills').description('list fills')).action(
    (options: FilterOptions) =>
      withJournal(program, async (journal) => {
        const ctx = cliContext(journal)
        const fills = listFills(ctx, readFilter(options, settingValue(ctx, 'journal.timezone')))
        print(program, fills, () =>
          fills
            .map((f) => `${f.time}  ${f.account}  ${f.side} ${f.quantity} ${f.symbol} @ ${f.price}`)
            .join('\n'),
        )
      }),
  )

  addFilterOptions(program.command('trades').description('list round trips'))
    .option('--status <status>', 'open or closed')
    .action((options: FilterOptions & { status?: string }) =>
      withJournal(program, async (journal) => {
        if (options.status !== undefined && !['open', 'closed'].includes(options.status)) {
          throw new UsageError(`--status must be open or closed, got "${options.status}"`)
        }
        const ctx = cliContext(journal)
        const trades = listTrades(ctx, {
          ...readFilter(options, settingValue(ctx, 'journal.timezone')),
          status: options.status as 'open' | 'closed' | undefined,
        })
        print(program, trades, () =>
          trades
            .map(
              (t) =>
                `${t.openedAt}  ${t.account}  ${t.side} ${t.quantity} ${t.symbol}  ${t.status}  net ${t.netPnl ?? '-'}` +
                (t.unrealizedPnl === null
                  ? ''
                  : `  unrealized ${t.unrealizedPnl} at ${t.markPrice} (${t.markedAt})`),
            )
            .join('\n'),
        )
      }),
    )

  program
    .command('export')
    .description('write every fill as a Blotter fills CSV (it imports back to the same journal)')
    .option('--format <format>', 'only csv', 'csv')
    .requiredOption('--out <file>', 'file to write')
    .action((options: { format: string; out: string }) =>
      withJournal(program, async (journal) => {
        if (options.format !== 'csv') throw new UsageError('--format must be csv')
        const fills = listFills(cliContext(journal), {})
        writeFileSync(options.out, exportFillsCsv(fills))
        print(program, { file: options.out, fills: fills.length }, () => {
          return `Wrote ${fills.length} fills to ${options.out}`
        })
      }),
    )

  const instruments = program
    .command('instruments')
    .description('instruments and futures point values')
  instruments
    .command('list', { isDefault: true })
    .description('every instrument in the journal')
    .action(() =>
      withJournal(program, async (journal) => {
        const list = listInstruments(cliContext(journal))
        print(program, list, () =>
          list
            .map(
              (i) =>
                `${i.symbol.padEnd(24)} ${i.assetClass.padEnd(7)} × ${i.multiplier}${i.multiplierKnown ? '' : '  (multiplier unknown)'}`,
            )
            .join('\n'),
        )
      }),
    )
  instruments
    .command('set <root>')
    .description('set a futures root’s point value or a CFD’s contract size; recomputes its trades')
    .requiredOption('--multiplier <n>', 'point value: currency per 1.0 of price per contract')
    .option('--tick-size <t>', 'minimum price increment')
    .action((root: string, options: { multiplier: string; tickSize?: string }) =>
      withJournal(program, async (journal) => {
        const result = setFuturesRoot(
          cliContext(journal),
          root,
          decimalArg('--multiplier', options.multiplier),
          options.tickSize === undefined ? null : decimalArg('--tick-size', options.tickSize),
        )
        print(
          program,
          result,
          () =>
            `${result.root}: multiplier ${result.multiplier}; ${result.contracts} contracts and ${result.trades} trades updated`,
        )
      }),
    )

  program
    .command('formats')
    .description('the file formats blotter import reads')
    .action(() => {
      const list = [
        ...formats.map((f) => ({
          id: f.id,
          label: f.label,
          parserVersion: f.parserVersion,
          defaultTimezone: f.defaultTimezone,
        })),
        // Never detected: it needs the trader's column mapping (--mapping or --template).
        {
          id: 'generic',
          label: 'Any CSV through a column mapping (--mapping FILE.json or --template NAME)',
          parserVersion: '1',
          defaultTimezone: 'UTC',
        },
      ]
      print(program, list, () => list.map((f) => `${f.id.padEnd(24)} ${f.label}`).join('\n'))
    })
}

function addFilterOptions(command: Command): Command {
  return command
    .option('--account <name>', 'only this account')
    .option('--symbol <symbol>', 'only this symbol (or underlying)')
    .option('--from <date>', 'from this date or ISO time (dates in the journal zone)')
    .option('--to <date>', 'up to this date, inclusive, or ISO time (exclusive)')
    .option('--tz <zone>', 'zone for --from/--to dates (default: the journal zone)')
}

function readMappingFile(path: string): GenericMapping {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`--mapping: cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    return parseMappingJson(text)
  } catch (error) {
    if (error instanceof MappingError) throw new UsageError(`--mapping ${path}: ${error.message}`)
    throw error
  }
}

function decimalArg(flag: string, text: string): bigint {
  try {
    return parseDecimal(text)
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`)
  }
}

function readFilter(options: FilterOptions, journalZone: string) {
  const zone = options.tz ?? journalZone
  return {
    account: options.account,
    symbol: options.symbol,
    from: options.from === undefined ? undefined : instantArg('--from', options.from, zone, 0),
    // A date `--to` includes that whole day.
    to: options.to === undefined ? undefined : instantArg('--to', options.to, zone, 1),
  }
}

/** The same bounds the contract takes (the stats command's too): a date in the zone, or an instant. */
function instantArg(flag: string, text: string, zone: string, addDays: number): number {
  if (!isDateOrInstant(text)) {
    throw new UsageError(
      `${flag} must be a calendar date YYYY-MM-DD or an ISO 8601 time with offset, got "${text}"`,
    )
  }
  return rangeBound(text, zone, addDays)
}

function describeImport(result: FileImportResult): string {
  const head = `${result.file}: ${result.status}${result.format ? ` as ${result.format}` : ''}`
  const counts = `${result.fills} new fills, ${result.duplicates} duplicates, ${result.trades} trades`
  const lines = [
    result.status === 'rejected' ? head : `${head}, ${counts}`,
    ...result.warnings.map((warning) => `  warning: ${warning}`),
    ...result.errors.map(
      (error) => `  line ${error.line}${error.column ? `, ${error.column}` : ''}: ${error.message}`,
    ),
  ]
  return lines.join('\n')
}
