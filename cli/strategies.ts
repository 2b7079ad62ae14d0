/**
 * `blotter strategies …`: strategies and their versions, assigning trades by hand or by rule,
 * signals, backtests and their comparison with live trades. Every command goes through the
 * contract (`call`), as the app does.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Command } from 'commander'
import type {
  ApplyRulesResult,
  BacktestComparison,
  BacktestView,
  MethodInput,
  RowErrorView,
  StrategyDetail,
  StrategyView,
} from '../contract'
import { call, fileInput, print, UsageError, withJournal } from './common'

interface DefinitionOptions {
  type?: string
  description?: string
  status?: string
  config?: string
  configFile?: string
  tags?: string
  rulesFile?: string
  note?: string
}

export function addStrategiesCommands(program: Command): void {
  const strategies = program
    .command('strategies')
    .description('strategies: versions, trade assignment, signals, backtests')

  strategies
    .command('list', { isDefault: true })
    .description('every strategy')
    .option('--status <status>', 'only draft, active, paused or archived ones')
    .action((options: { status?: string }) =>
      withJournal(program, async (journal) => {
        const input = { status: options.status } as MethodInput<'strategies.list'>
        const list = await call(journal, 'strategies.list', input)
        print(program, list, () =>
          list.length === 0
            ? 'No strategies (blotter strategies create NAME)'
            : list.map(describeStrategy).join('\n'),
        )
      }),
    )

  addDefinitionOptions(
    strategies.command('create <name>').description('create a strategy (its version 1)'),
  ).action((name: string, options: DefinitionOptions) =>
    withJournal(program, async (journal) => {
      const input = { name, ...definitionInput(options) } as MethodInput<'strategies.create'>
      const created = await call(journal, 'strategies.create', input)
      print(program, created, () => `Created ${describeStrategy(created)}`)
    }),
  )

  addDefinitionOptions(
    strategies
      .command('edit <name>')
      .description('change a strategy; a new config or rules make a new version')
      .option('--name <new>', 'rename it')
      .option(
        '--expect-version <n>',
        'refuse if the strategy is no longer at this version (default: the current one)',
      ),
  ).action((name: string, options: DefinitionOptions & { name?: string; expectVersion?: string }) =>
    withJournal(program, async (journal) => {
      const version =
        options.expectVersion === undefined
          ? (await call(journal, 'strategies.get', { strategy: name })).version
          : integerArg('--expect-version', options.expectVersion)
      const input = {
        strategy: name,
        version,
        ...(options.name === undefined ? {} : { name: options.name }),
        ...definitionInput(options),
      } as MethodInput<'strategies.update'>
      const updated = await call(journal, 'strategies.update', input)
      print(program, updated, () => `Updated ${describeStrategy(updated)}`)
    }),
  )

  strategies
    .command('show <name>')
    .description('a strategy with its config, rules and versions')
    .action((name: string) =>
      withJournal(program, async (journal) => {
        const strategy = await call(journal, 'strategies.get', { strategy: name })
        print(program, strategy, () => describeDetail(strategy))
      }),
    )

  strategies
    .command('versions <name>')
    .description('the versions of a strategy’s config and rules, oldest first')
    .action((name: string) =>
      withJournal(program, async (journal) => {
        const { versions } = await call(journal, 'strategies.get', { strategy: name })
        print(program, versions, () =>
          versions
            .map(
              (v) =>
                `v${v.version}  ${v.createdAt}  ${v.changeNote ?? ''}\n  config ${JSON.stringify(v.config)}\n  rules  ${v.rules.map((r) => r.text).join(' | ') || '(none)'}`,
            )
            .join('\n'),
        )
      }),
    )

  strategies
    .command('archive <name>')
    .description('archive a strategy (kept with its versions and trades)')
    .action((name: string) =>
      withJournal(program, async (journal) => {
        const archived = await call(journal, 'strategies.archive', { strategy: name })
        print(program, archived, () => `Archived ${describeStrategy(archived)}`)
      }),
    )

  strategies
    .command('assign <name>')
    .description('assign trades (round trip ids) to a strategy, or take them off it')
    .requiredOption('--trade <ids...>', 'trade ids (blotter trades --json lists them)')
    .option('--unassign', 'take these trades off the strategy')
    .action((name: string, options: { trade: string[]; unassign?: boolean }) =>
      withJournal(program, async (journal) => {
        const trades = options.trade.flatMap((id) => id.split(',')).filter((id) => id !== '')
        const result = await call(journal, 'strategies.assign', {
          strategy: name,
          trades,
          unassign: options.unassign ?? false,
        })
        print(
          program,
          result,
          () =>
            `${result.strategy}: ${result.changed} trade(s) ${options.unassign ? 'unassigned' : 'assigned'}, ${result.unchanged} unchanged`,
        )
      }),
    )

  strategies
    .command('apply-rules [name]')
    .description('assign unassigned trades by the strategies’ rules (config.assignment)')
    .option('--force', 'also move trades assigned to another strategy')
    .option('--dry-run', 'report what would change without writing')
    .action((name: string | undefined, options: { force?: boolean; dryRun?: boolean }) =>
      withJournal(program, async (journal) => {
        const result = await call(journal, 'strategies.applyRules', {
          ...(name === undefined ? {} : { strategy: name }),
          force: options.force ?? false,
          dryRun: options.dryRun ?? false,
        })
        print(program, result, () => describeApplyRules(result))
      }),
    )

  const signals = strategies.command('signals').description('a strategy’s signals')
  signals
    .command('import <file>')
    .description('import signals from CSV (all or nothing) and match them to trades')
    .requiredOption('--strategy <name>', 'the strategy the signals belong to')
    .option('--window <minutes>', 'a signal leads to a trade opened at most this long after', '15')
    .option('--tz <zone>', 'zone for times without an offset (default: the journal zone)')
    .action((file: string, options: { strategy: string; window: string; tz?: string }) =>
      withJournal(program, async (journal) => {
        const result = await call(journal, 'signals.import', {
          strategy: options.strategy,
          file: fileInput(file),
          windowMinutes: integerArg('--window', options.window),
          ...(options.tz === undefined ? {} : { timezone: options.tz }),
        })
        print(program, result, () =>
          result.status === 'rejected'
            ? [`${basename(file)}: rejected`, ...describeErrors(result.errors)].join('\n')
            : `${basename(file)}: ${result.signals} signals for ${result.strategy} (${result.duplicates} duplicates): ${result.matched} matched to trades, ${result.unmatched} unmatched`,
        )
        if (result.status === 'rejected') process.exitCode = 1
      }),
    )
  signals
    .command('list')
    .description('signals in time order')
    .option('--strategy <name>', 'only this strategy’s')
    .option('--matched', 'only signals matched to a trade')
    .option('--unmatched', 'only signals matched to none')
    .option('--limit <n>', 'at most this many (up to 500)', '100')
    .action(
      (options: { strategy?: string; matched?: boolean; unmatched?: boolean; limit: string }) =>
        withJournal(program, async (journal) => {
          if (options.matched && options.unmatched) {
            throw new UsageError('give --matched or --unmatched, not both')
          }
          const page = await call(journal, 'signals.list', {
            ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
            ...(options.matched || options.unmatched ? { matched: options.matched === true } : {}),
            limit: integerArg('--limit', options.limit),
          })
          print(program, page, () =>
            page.rows
              .map(
                (s) =>
                  `${s.time}  ${s.strategy}  ${s.direction.padEnd(5)} ${s.symbol}${s.price ? ` @ ${s.price}` : ''}  ${s.trade ? `→ ${s.trade}` : '(unmatched)'}`,
              )
              .join('\n'),
          )
        }),
    )

  const backtest = strategies.command('backtest').description('a strategy’s backtests')
  backtest
    .command('import <file>')
    .description('import a backtest’s trades: a Blotter fills CSV or a round-trip CSV')
    .requiredOption('--strategy <name>', 'the strategy that was backtested')
    .option('--name <name>', 'the backtest’s name (default: the file name)')
    .option('--capital <amount>', 'initial capital', '100000')
    .option('--params <json>', 'the backtest’s parameters, a JSON object')
    .option('--format <kind>', 'auto, fills or round-trips', 'auto')
    .option('--tz <zone>', 'zone for times without an offset (default: the journal zone)')
    .action(
      (
        file: string,
        options: {
          strategy: string
          name?: string
          capital: string
          params?: string
          format: string
          tz?: string
        },
      ) =>
        withJournal(program, async (journal) => {
          const input = {
            strategy: options.strategy,
            file: fileInput(file),
            initialCapital: options.capital,
            format: options.format,
            ...(options.name === undefined ? {} : { name: options.name }),
            ...(options.params === undefined
              ? {}
              : { parameters: jsonArg('--params', options.params) }),
            ...(options.tz === undefined ? {} : { timezone: options.tz }),
          } as MethodInput<'backtests.import'>
          const result = await call(journal, 'backtests.import', input)
          print(program, result, () =>
            [
              result.backtest
                ? `${basename(file)}: imported as ${result.kind}: ${describeBacktest(result.backtest)}`
                : `${basename(file)}: rejected`,
              ...result.warnings.map((warning) => `  warning: ${warning}`),
              ...describeErrors(result.errors),
            ].join('\n'),
          )
          if (result.status === 'rejected') process.exitCode = 1
        }),
    )
  backtest
    .command('list')
    .description('backtests')
    .option('--strategy <name>', 'only this strategy’s')
    .action((options: { strategy?: string }) =>
      withJournal(program, async (journal) => {
        const list = await call(journal, 'backtests.list', {
          ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
        })
        print(program, list, () => list.map(describeBacktest).join('\n'))
      }),
    )

  strategies
    .command('stats <name>')
    .description('statistics of the strategy’s live closed trades (blotter stats --strategy)')
    .option('--from <date>', 'closed from this day or ISO time (dates in the journal zone)')
    .option('--to <date>', 'up to this day, inclusive, or ISO time (exclusive)')
    .option('--tz <zone>', 'zone of days (default: the journal zone)')
    .action((name: string, options: { from?: string; to?: string; tz?: string }) =>
      withJournal(program, async (journal) => {
        const stats = await call(journal, 'stats.summary', {
          strategy: name,
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.tz === undefined ? {} : { tz: options.tz }),
        })
        print(program, stats, () =>
          Object.entries(stats)
            .filter(([, value]) => typeof value !== 'object' || value === null)
            .map(([key, value]) => `${key.padEnd(22)} ${value ?? '-'}`)
            .join('\n'),
        )
      }),
    )

  strategies
    .command('compare <name>')
    .description('a backtest’s statistics beside the strategy’s live trades over the same days')
    .requiredOption('--backtest <id>', 'the backtest (blotter strategies backtest list)')
    .option('--from <date>', 'live trades closed from this day (default: the backtest’s first)')
    .option('--to <date>', 'up to this day, inclusive (default: the backtest’s last)')
    .action((name: string, options: { backtest: string; from?: string; to?: string }) =>
      withJournal(program, async (journal) => {
        const comparison = await call(journal, 'backtests.compare', {
          strategy: name,
          backtest: options.backtest,
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(options.to === undefined ? {} : { to: options.to }),
        })
        print(program, comparison, () => describeComparison(comparison))
      }),
    )
}

function addDefinitionOptions(command: Command): Command {
  return command
    .option('--type <type>', 'discretionary, systematic or hybrid')
    .option('--description <text>', 'what the strategy is')
    .option('--status <status>', 'draft, active, paused or archived')
    .option('--config <json>', 'config, a JSON object (config.assignment: assignment rules)')
    .option('--config-file <file>', 'config from a JSON file')
    .option('--tags <list>', 'comma-separated labels')
    .option('--rules-file <file>', 'checklist: a JSON array, or one rule per line')
    .option('--note <text>', 'what changed (kept with the new version)')
}

/** The fields of a create or edit the options give (absent options change nothing). */
function definitionInput(options: DefinitionOptions): Record<string, unknown> {
  if (options.config !== undefined && options.configFile !== undefined) {
    throw new UsageError('give --config or --config-file, not both')
  }
  const input: Record<string, unknown> = {}
  if (options.type !== undefined) input.type = options.type
  if (options.description !== undefined) input.description = options.description
  if (options.status !== undefined) input.status = options.status
  if (options.config !== undefined) input.config = jsonArg('--config', options.config)
  if (options.configFile !== undefined) {
    input.config = jsonArg('--config-file', readArgFile('--config-file', options.configFile))
  }
  if (options.tags !== undefined) {
    input.tags = options.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '')
  }
  if (options.rulesFile !== undefined) input.rules = checklistFile(options.rulesFile)
  if (options.note !== undefined) input.changeNote = options.note
  return input
}

/** A JSON array as it is, else one rule per non-blank line ("- " and "* " bullets dropped). */
function checklistFile(path: string): unknown {
  const text = readArgFile('--rules-file', path)
  if (text.trimStart().startsWith('[')) return jsonArg('--rules-file', text)
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[-*]\s+/, '').trim())
    .filter((line) => line !== '')
}

function readArgFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(error as Error).message}`)
  }
}

function jsonArg(flag: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON: ${(error as Error).message}`)
  }
}

function integerArg(flag: string, text: string): number {
  const value = Number(text)
  if (!Number.isInteger(value))
    throw new UsageError(`${flag} must be a whole number, got "${text}"`)
  return value
}

function describeStrategy(s: StrategyView): string {
  const tags = s.tags.length > 0 ? `  [${s.tags.join(', ')}]` : ''
  return `${s.name}  ${s.type}, ${s.status}, config v${s.configVersion}, ${s.trades} trades${tags}`
}

function describeDetail(s: StrategyDetail): string {
  return [
    describeStrategy(s),
    ...(s.description ? [`  ${s.description}`] : []),
    `  id ${s.id}, version ${s.version}`,
    `  config ${JSON.stringify(s.config)}`,
    ...s.rules.map((rule) => `  [${rule.id}] ${rule.text}`),
    `  ${s.versions.length} version(s); blotter strategies versions ${JSON.stringify(s.name)}`,
  ].join('\n')
}

function describeApplyRules(result: ApplyRulesResult): string {
  const head = `${result.dryRun ? 'Would assign' : 'Assigned'} ${result.assigned} trade(s), moved ${result.reassigned}, kept ${result.kept} on their strategy, ${result.ambiguousCount} claimed by several strategies`
  return [
    head,
    ...result.strategies.map(
      (s) => `  ${s.strategy}: ${s.matched} matched, ${s.assigned} assigned`,
    ),
    ...result.ambiguous.map((a) => `  ambiguous ${a.trade}: ${a.strategies.join(', ')}`),
  ].join('\n')
}

function describeBacktest(b: BacktestView): string {
  const net = b.statistics ? `, net ${b.statistics.netPnl}` : ''
  return `${b.id}  ${b.strategy}  ${b.name}  ${b.periodStart}..${b.periodEnd}  ${b.trades} trades${net}`
}

function describeErrors(errors: readonly RowErrorView[]): string[] {
  return errors.map(
    (error) => `  line ${error.line}${error.column ? `, ${error.column}` : ''}: ${error.message}`,
  )
}

function describeComparison(c: BacktestComparison): string {
  const keys = Object.keys(c.differences)
  const width = Math.max(...keys.map((key) => key.length))
  const show = (value: unknown) => (value === null || value === undefined ? '-' : String(value))
  const backtest: Record<string, unknown> = { ...c.backtestStats }
  const live: Record<string, unknown> = { ...c.liveStats }
  return [
    `${c.strategy}: backtest ${c.backtest.name} (${c.backtest.periodStart}..${c.backtest.periodEnd}) against live trades closed ${c.period.from}..${c.period.to}`,
    `${''.padEnd(width)}  ${'backtest'.padStart(16)}  ${'live'.padStart(16)}  ${'live − backtest'.padStart(16)}`,
    ...keys.map(
      (key) =>
        `${key.padEnd(width)}  ${show(backtest[key]).padStart(16)}  ${show(live[key]).padStart(16)}  ${show(c.differences[key]).padStart(16)}`,
    ),
  ].join('\n')
}
