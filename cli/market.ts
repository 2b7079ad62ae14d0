/**
 * Market data commands: `candles` (list, import), `indicators` (list, compute, latest) and
 * `market` (volume-profile, order-book, fundamentals). Every command goes through the contract,
 * as the app does; docs/market-data.md describes the formats and figures.
 */
import type { Command } from 'commander'
import type {
  CandleImportView,
  CandleSeriesView,
  GapView,
  MarketImportView,
  MethodInput,
} from '../contract'
import { scaledText, type ScaledDecimal } from '../core/scaled'
import type { Journal } from '../db/open'
import { call, fileInput, print, UsageError, withJournal } from './common'

interface InstrumentOptions {
  symbol: string
  assetClass?: string
}

interface SessionOptions {
  tz?: string
  dayStart?: string
}

interface IndicatorFlags extends InstrumentOptions, SessionOptions {
  timeframe: string
  indicator: string
  period?: string
  fast?: string
  slow?: string
  signal?: string
  stddev?: string
  periodsPerYear?: string
  from?: string
  to?: string
}

interface ImportFlags extends InstrumentOptions {
  source?: string
  skipInvalid?: boolean
  dryRun?: boolean
}

export function addMarketCommands(program: Command): void {
  addCandleCommands(program)
  addIndicatorCommands(program)
  addMarketDataCommands(program)
}

function instrumentOptions(command: Command): Command {
  return command
    .requiredOption('--symbol <symbol>', 'instrument symbol')
    .option(
      '--asset-class <class>',
      'stock, future, option, forex, crypto… (when a symbol is ambiguous)',
    )
}

function sessionOptions(command: Command): Command {
  return command
    .option('--tz <zone>', 'zone of the trading days (default: the instrument’s exchange zone)')
    .option('--day-start <HH:MM>', 'wall time the trading day starts at (CME: 17:00)')
}

function importOptions(command: Command): Command {
  return command
    .option('--source <name>', 'data source the rows are stored under', 'csv')
    .option('--skip-invalid', 'import the valid rows of a file that has bad ones')
    .option('--dry-run', 'report what would be imported without writing')
}

function numberOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`${flag} must be a number, got "${text}"`)
  }
  return value
}

function instrumentInput(options: InstrumentOptions) {
  return {
    symbol: options.symbol,
    ...(options.assetClass === undefined ? {} : { assetClass: options.assetClass }),
  }
}

function sessionInput(options: SessionOptions) {
  return {
    ...(options.tz === undefined ? {} : { timezone: options.tz }),
    ...(options.dayStart === undefined ? {} : { dayStart: options.dayStart }),
  }
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>
}

function describeGaps(gaps: readonly GapView[], count: number): string[] {
  if (count === 0) return []
  return [
    `  ${count} gap${count === 1 ? '' : 's'}:`,
    ...gaps.map((gap) => `    ${gap.from} → ${gap.to}: ${gap.missing} missing`),
    ...(count > gaps.length ? [`    … ${count - gaps.length} more`] : []),
  ]
}

function describeErrors(result: MarketImportView | CandleImportView): string[] {
  return [
    ...result.warnings.map((warning) => `  warning: ${warning}`),
    ...result.errors.map(
      (error) => `  line ${error.line}${error.column ? `, ${error.column}` : ''}: ${error.message}`,
    ),
  ]
}

// ---------------------------------------------------------------------------------------------
// candles

function addCandleCommands(program: Command): void {
  const candles = program.command('candles').description('OHLCV candles: import and read')
  sessionOptions(
    instrumentOptions(candles.command('list', { isDefault: true }).description('print candles')),
  )
    .requiredOption(
      '--timeframe <tf>',
      '1m, 5m, 15m, 30m, 1h, 4h, 1d or 1w (higher ones aggregated)',
    )
    .option('--from <time>', 'from this date (session zone) or ISO time')
    .option('--to <time>', 'up to this date, inclusive, or ISO time (exclusive)')
    .option('--source <name>', 'only candles of this data source')
    .action(
      (
        options: InstrumentOptions &
          SessionOptions & { timeframe: string; from?: string; to?: string; source?: string },
      ) =>
        withJournal(program, async (journal) => {
          const input = {
            ...instrumentInput(options),
            ...sessionInput(options),
            ...defined({ from: options.from, to: options.to, source: options.source }),
            timeframe: options.timeframe,
          } as MethodInput<'candles.list'>
          const pages = await allPages(journal, input)
          const first = pages[0] as CandleSeriesView
          const rows = pages.flatMap((page) =>
            page.time.map((seconds, i) => ({
              time: new Date(seconds * 1000).toISOString(),
              open: scaledText(page.open[i] as ScaledDecimal),
              high: scaledText(page.high[i] as ScaledDecimal),
              low: scaledText(page.low[i] as ScaledDecimal),
              close: scaledText(page.close[i] as ScaledDecimal),
              volume: scaledText(page.volume[i] as ScaledDecimal),
            })),
          )
          const gaps = pages.flatMap((page) => page.gaps)
          const gapCount = pages.reduce((sum, page) => sum + page.gapCount, 0)
          const result = {
            symbol: first.symbol,
            assetClass: first.assetClass,
            timeframe: first.timeframe,
            aggregatedFrom: first.aggregatedFrom,
            session: first.session,
            candles: rows,
            gaps,
            gapCount,
          }
          print(program, result, () =>
            [
              `${first.symbol} ${first.timeframe}${first.aggregatedFrom ? ` (from ${first.aggregatedFrom})` : ''}: ${rows.length} candles, days in ${first.session.timezone} from ${first.session.dayStart}`,
              ...rows.map(
                (row) =>
                  `${row.time}  O ${row.open}  H ${row.high}  L ${row.low}  C ${row.close}  V ${row.volume}`,
              ),
              ...describeGaps(gaps, gapCount),
            ].join('\n'),
          )
        }),
    )

  importOptions(
    sessionOptions(
      instrumentOptions(
        candles
          .command('import <file>')
          .description('import an OHLCV CSV (all or nothing; duplicates skipped)'),
      ),
    ),
  )
    .requiredOption('--timeframe <tf>', 'timeframe of the file’s candles')
    .action((file: string, options: ImportFlags & SessionOptions & { timeframe: string }) =>
      withJournal(program, async (journal) => {
        const result = await call(journal, 'candles.import', {
          file: fileInput(file),
          ...instrumentInput(options),
          ...sessionInput(options),
          timeframe: options.timeframe,
          ...defined({ source: options.source }),
          dryRun: options.dryRun === true,
          skipInvalid: options.skipInvalid === true,
        } as MethodInput<'candles.import'>)
        print(program, result, () =>
          [
            `${result.file}: ${result.status}${result.status === 'rejected' ? '' : `, ${result.candles} new ${result.symbol} ${result.timeframe} candles, ${result.duplicates} duplicates${result.skipped ? `, ${result.skipped} bad rows skipped` : ''}`}`,
            ...(result.layout ? [`  read as: ${result.layout}`] : []),
            ...(result.first ? [`  ${result.first} → ${result.last}`] : []),
            ...describeGaps(result.gaps, result.gapCount),
            ...describeErrors(result),
          ].join('\n'),
        )
        if (result.status === 'rejected') process.exitCode = 1
      }),
    )
}

/** Every page of a candle read (the contract caps one call at 10^5 candles). */
async function allPages(journal: Journal, input: MethodInput<'candles.list'>) {
  const pages: CandleSeriesView[] = []
  let from = input.from
  for (;;) {
    const page = await call(journal, 'candles.list', { ...input, ...(from ? { from } : {}) })
    pages.push(page)
    if (page.next === null) return pages
    from = page.next
  }
}

// ---------------------------------------------------------------------------------------------
// indicators

function indicatorCommand(command: Command): Command {
  return sessionOptions(instrumentOptions(command))
    .requiredOption('--timeframe <tf>', 'timeframe of the candles')
    .requiredOption('--indicator <name>', 'sma, ema, rsi, macd, bbands, atr, vwap or volatility')
    .option('--period <n>', 'periods (sma/ema/bbands/volatility 20, rsi/atr 14)')
    .option('--fast <n>', 'MACD fast EMA (12)')
    .option('--slow <n>', 'MACD slow EMA (26)')
    .option('--signal <n>', 'MACD signal EMA (9)')
    .option('--stddev <k>', 'Bollinger band width in standard deviations (2)')
    .option('--periods-per-year <n>', 'volatility: periods a year (default by timeframe)')
}

function indicatorInput(options: IndicatorFlags) {
  return {
    ...instrumentInput(options),
    ...sessionInput(options),
    timeframe: options.timeframe,
    indicator: options.indicator,
    ...defined({
      period: numberOption('--period', options.period),
      fast: numberOption('--fast', options.fast),
      slow: numberOption('--slow', options.slow),
      signal: numberOption('--signal', options.signal),
      stddev: numberOption('--stddev', options.stddev),
      periodsPerYear: numberOption('--periods-per-year', options.periodsPerYear),
    }),
  }
}

function addIndicatorCommands(program: Command): void {
  const indicators = program.command('indicators').description('technical indicators from candles')
  indicatorCommand(
    indicators.command('list', { isDefault: true }).description('print a stored indicator series'),
  )
    .option('--from <time>', 'from this date (session zone) or ISO time')
    .option('--to <time>', 'up to this date, inclusive, or ISO time (exclusive)')
    .action((options: IndicatorFlags) =>
      withJournal(program, async (journal) => {
        const series = await call(journal, 'indicators.list', {
          ...indicatorInput(options),
          ...defined({ from: options.from, to: options.to }),
        } as MethodInput<'indicators.list'>)
        const columns = series.outputs.map((name) => [name, series.values[name] ?? []] as const)
        const points = series.time.map((seconds, i) => ({
          time: new Date(seconds * 1000).toISOString(),
          ...Object.fromEntries(
            columns.map(([name, column]) => [name, scaledText(column[i] as ScaledDecimal)]),
          ),
        }))
        const result = {
          symbol: series.symbol,
          timeframe: series.timeframe,
          indicator: series.indicator,
          parameters: series.parameters,
          outputs: series.outputs,
          points,
          next: series.next,
        }
        print(program, result, () =>
          [
            `${series.symbol} ${series.timeframe} ${series.indicator} ${JSON.stringify(series.parameters)}: ${points.length} points`,
            ...points.map((point) => Object.values(point).join('  ')),
          ].join('\n'),
        )
      }),
    )
  indicatorCommand(
    indicators.command('compute').description('compute an indicator and store it'),
  ).action((options: IndicatorFlags) =>
    withJournal(program, async (journal) => {
      const result = await call(
        journal,
        'indicators.compute',
        indicatorInput(options) as MethodInput<'indicators.compute'>,
      )
      print(program, result, () => {
        const latest = result.latest
          ? `; latest ${result.latest.time}: ${Object.entries(result.latest.values)
              .map(([name, value]) => `${name} ${value}`)
              .join(', ')}`
          : ''
        return `${result.symbol} ${result.timeframe} ${result.indicator} ${JSON.stringify(result.parameters)}: ${result.points} points from ${result.candles} candles${latest}`
      })
    }),
  )
  instrumentOptions(
    indicators.command('latest').description('the latest value of every stored series'),
  ).action((options: InstrumentOptions) =>
    withJournal(program, async (journal) => {
      const list = await call(journal, 'indicators.latest', instrumentInput(options))
      print(program, list, () =>
        list
          .map(
            (row) =>
              `${row.timeframe.padEnd(4)} ${row.indicator.padEnd(10)} ${JSON.stringify(row.parameters)}  ${row.time}  ${Object.entries(
                row.values,
              )
                .map(([name, value]) => `${name} ${value}`)
                .join(', ')}`,
          )
          .join('\n'),
      )
    }),
  )
}

// ---------------------------------------------------------------------------------------------
// market: volume profile, order book, fundamentals

function addMarketDataCommands(program: Command): void {
  const market = program.command('market').description('volume profiles, order books, fundamentals')

  sessionOptions(
    instrumentOptions(market.command('volume-profile').description('volume by price over a range')),
  )
    .requiredOption('--from <time>', 'from this date (session zone) or ISO time')
    .requiredOption('--to <time>', 'up to this date, inclusive, or ISO time (exclusive)')
    .option('--timeframe <tf>', 'candles to build it from (default: the finest stored)')
    .option('--method <method>', 'range (spread over high–low) or close', 'range')
    .option('--row-size <price>', 'price row height (default: about 100 rows)')
    .option('--source <name>', 'only candles of this data source')
    .action(
      (
        options: InstrumentOptions &
          SessionOptions & {
            from: string
            to: string
            timeframe?: string
            method: string
            rowSize?: string
            source?: string
          },
      ) =>
        withJournal(program, async (journal) => {
          const profile = await call(journal, 'volumeProfile.get', {
            ...instrumentInput(options),
            ...sessionInput(options),
            from: options.from,
            to: options.to,
            method: options.method,
            ...defined({
              timeframe: options.timeframe,
              rowSize: options.rowSize,
              source: options.source,
            }),
          } as MethodInput<'volumeProfile.get'>)
          print(program, profile, () =>
            [
              `${profile.symbol} ${profile.from} → ${profile.to}: ${profile.candles} ${profile.timeframe} candles, volume ${profile.total}, rows of ${profile.rowSize} (${profile.method})`,
              `  point of control ${profile.pointOfControl ?? '-'}, value area ${profile.valueAreaLow ?? '-'} – ${profile.valueAreaHigh ?? '-'}`,
              ...[...profile.levels]
                .reverse()
                .map((level) => `  ${level.price.padStart(14)}  ${level.volume}`),
            ].join('\n'),
          )
        }),
    )

  const book = market.command('order-book').description('order book snapshots')
  instrumentOptions(
    book.command('show', { isDefault: true }).description('the snapshot in force at a time'),
  )
    .requiredOption('--at <time>', 'ISO time (with Z or an offset)')
    .option('--source <name>', 'only snapshots of this data source')
    .action((options: InstrumentOptions & { at: string; source?: string }) =>
      withJournal(program, async (journal) => {
        const view = await call(journal, 'orderBook.get', {
          ...instrumentInput(options),
          at: options.at,
          ...defined({ source: options.source }),
        } as MethodInput<'orderBook.get'>)
        print(program, view, () => {
          if (view.capturedAt === null)
            return `No ${view.symbol} order book captured at or before ${options.at}`
          const depth = Math.max(view.bids.length, view.asks.length)
          const lines = [
            `${view.symbol} order book at ${view.capturedAt} (${view.source})`,
            '  bids                          asks',
          ]
          for (let i = 0; i < depth; i++) {
            const bid = view.bids[i]
            const ask = view.asks[i]
            lines.push(
              `  ${(bid ? `${bid.size} @ ${bid.price}` : '').padEnd(30)}${ask ? `${ask.size} @ ${ask.price}` : ''}`,
            )
          }
          return lines.join('\n')
        })
      }),
    )
  importOptions(
    instrumentOptions(
      book
        .command('import <file>')
        .description('import order book levels (captured_at, side, level, price, size)'),
    ),
  )
    .option('--tz <zone>', 'zone for times written without one (default: the instrument’s)')
    .action((file: string, options: ImportFlags & { tz?: string }) =>
      withJournal(program, async (journal) => {
        const result = await call(journal, 'orderBook.import', {
          file: fileInput(file),
          ...instrumentInput(options),
          ...defined({ timezone: options.tz, source: options.source }),
          dryRun: options.dryRun === true,
          skipInvalid: options.skipInvalid === true,
        } as MethodInput<'orderBook.import'>)
        print(program, result, () =>
          [
            `${result.file}: ${result.status}${result.status === 'rejected' ? '' : `, ${result.rows} new ${result.symbol} levels in ${result.snapshots} snapshots, ${result.duplicates} duplicates`}`,
            ...describeErrors(result),
          ].join('\n'),
        )
        if (result.status === 'rejected') process.exitCode = 1
      }),
    )

  const fundamentals = market
    .command('fundamentals')
    .description('company profile, key statistics, holders')
  instrumentOptions(
    fundamentals
      .command('show', { isDefault: true })
      .description('what the journal knows about a symbol’s company'),
  ).action((options: InstrumentOptions) =>
    withJournal(program, async (journal) => {
      const view = await call(journal, 'fundamentals.get', instrumentInput(options))
      print(program, view, () => {
        const lines = [
          view.company
            ? `${view.symbol}: ${view.company.name} (${[view.company.sector, view.company.industry, view.company.country].filter(Boolean).join(', ')})`
            : `${view.symbol}: no company profile`,
        ]
        if (view.statistics) {
          lines.push(`  key statistics as of ${view.statistics.asOf}:`)
          for (const [name, value] of Object.entries(view.statistics.values)) {
            if (value !== null) lines.push(`    ${name.padEnd(20)} ${value}`)
          }
        }
        if (view.holders.length > 0) lines.push('  institutional holders:')
        for (const holder of view.holders) {
          lines.push(
            `    ${holder.holder.padEnd(40)} ${holder.shares.padStart(16)}  ${holder.reportedDate}`,
          )
        }
        return lines.join('\n')
      })
    }),
  )
  importOptions(
    fundamentals
      .command('import <file>')
      .description('import company profiles, key statistics or institutional holders'),
  )
    .option('--kind <kind>', 'auto, company, statistics or holders', 'auto')
    .option('--symbol <symbol>', 'symbol of every row, for files without a symbol column')
    .option('--asset-class <class>', 'asset class of new instruments (default stock)')
    .action(
      (file: string, options: Omit<ImportFlags, 'symbol'> & { kind: string; symbol?: string }) =>
        withJournal(program, async (journal) => {
          const result = await call(journal, 'fundamentals.import', {
            file: fileInput(file),
            kind: options.kind,
            ...defined({
              symbol: options.symbol,
              assetClass: options.assetClass,
              source: options.source,
            }),
            dryRun: options.dryRun === true,
            skipInvalid: options.skipInvalid === true,
          } as MethodInput<'fundamentals.import'>)
          print(program, result, () =>
            [
              `${result.file}: ${result.status}${result.kind ? ` (${result.kind})` : ''}${result.status === 'rejected' ? '' : `, ${result.rows} rows (${result.replaced} replaced) for ${result.symbols.join(', ')}`}`,
              ...describeErrors(result),
            ].join('\n'),
          )
          if (result.status === 'rejected') process.exitCode = 1
        }),
    )
}
