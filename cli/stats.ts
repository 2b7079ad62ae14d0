/**
 * `blotter stats`: the statistics of issue #4 §1 over the closed trades matching a filter, as a
 * summary, per group (--group-by KEY) or per day (--daily). docs/metrics.md defines each figure.
 */
import type { Command } from 'commander'
import type {
  DailyPointView,
  MethodInput,
  StatisticsView,
  StatsFilter,
  StatsGroupsView,
  TradeExcursionView,
} from '../contract'
import { isDateOrInstant } from '../contract/stats'
import { GROUP_KEYS, type GroupKey } from '../core/stats'
import { isTimeZone } from '../core/time'
import { call, print, UsageError, withJournal } from './common'

interface StatsOptions {
  account?: string
  symbol?: string
  assetClass?: string
  strategy?: string
  tag?: string
  side?: string
  from?: string
  to?: string
  tz?: string
  groupBy?: string
  daily?: boolean
}

export function addStatsCommands(program: Command): void {
  program
    .command('stats')
    .description('statistics of the closed trades matching the filter (docs/metrics.md)')
    .option('--account <name>', 'only this account')
    .option('--symbol <symbol>', 'only this symbol (or underlying)')
    .option('--asset-class <class>', 'only this asset class (stock, option, future, …)')
    .option('--strategy <name>', 'only this strategy (name or id)')
    .option('--tag <name>', 'only trades with this tag')
    .option('--side <side>', 'long or short')
    .option('--from <date>', 'closed on or after this date (in the zone) or ISO time')
    .option('--to <date>', 'closed on or before this date (in the zone), or before an ISO time')
    .option('--tz <zone>', 'zone of days, weekdays and hours (default: the journal zone)')
    .option('--group-by <key>', `one figure set per group: ${GROUP_KEYS.join(', ')}`)
    .option('--daily', 'the daily series: net, cumulative equity and drawdown per day')
    .action((options: StatsOptions) => {
      const filter = statsFilter(options)
      const groupBy = groupKey(options.groupBy)
      if (groupBy !== null && options.daily) {
        throw new UsageError('give either --group-by or --daily, not both')
      }
      return withJournal(program, async (journal) => {
        if (options.daily) {
          const days = await call(journal, 'stats.daily', filter)
          print(program, days, () => formatDaily(days))
        } else if (groupBy !== null) {
          const input = { ...filter, groupBy } as MethodInput<'stats.groups'>
          const grouped = await call(journal, 'stats.groups', input)
          print(program, grouped, () => formatGroups(grouped))
        } else {
          const stats = await call(journal, 'stats.summary', filter)
          print(program, stats, () => formatSummary(stats))
        }
      })
    })

  program
    .command('excursion <trade>')
    .description('MAE and MFE of a closed trade (its id) from the stored candles')
    .action((id: string) =>
      withJournal(program, async (journal) => {
        const excursion = await call(journal, 'trades.excursion', { id })
        print(program, excursion, () => formatExcursion(excursion))
      }),
    )
}

// Checked here as well as by the contract so that a bad flag is named as a flag, before the
// journal is opened.
function dateArg(flag: string, text: string | undefined): string | undefined {
  if (text === undefined || isDateOrInstant(text)) return text
  throw new UsageError(
    `${flag} must be a date YYYY-MM-DD or an ISO time with offset, got "${text}"`,
  )
}

function statsFilter(options: StatsOptions): StatsFilter {
  if (options.tz !== undefined && !isTimeZone(options.tz)) {
    throw new UsageError(`--tz: "${options.tz}" is not an IANA time zone (e.g. America/New_York)`)
  }
  if (options.side !== undefined && options.side !== 'long' && options.side !== 'short') {
    throw new UsageError(`--side must be long or short, got "${options.side}"`)
  }
  const filter: StatsFilter = {
    account: options.account,
    symbol: options.symbol,
    assetClass: options.assetClass,
    strategy: options.strategy,
    tag: options.tag,
    side: options.side,
    from: dateArg('--from', options.from),
    to: dateArg('--to', options.to),
    tz: options.tz,
  }
  // The contract rejects keys present with an undefined value no more than absent ones, but
  // leaving them out keeps the input what a script would send.
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined),
  ) as StatsFilter
}

function groupKey(text: string | undefined): GroupKey | null {
  if (text === undefined) return null
  if (!(GROUP_KEYS as readonly string[]).includes(text)) {
    throw new UsageError(`--group-by must be one of ${GROUP_KEYS.join(', ')}; got "${text}"`)
  }
  return text as GroupKey
}

// ---------------------------------------------------------------------------------------------
// Human output

const dash = '-'
const ratio = (value: number | null, digits = 2) => (value === null ? dash : value.toFixed(digits))
const percent = (value: number | null) => (value === null ? dash : `${(value * 100).toFixed(1)}%`)
const pct = (value: number | null) => (value === null ? dash : `${value.toFixed(2)}%`)
const amount = (value: string | null) => value ?? dash

function duration(ms: number | null): string {
  if (ms === null) return dash
  const minutes = Math.round(ms / 60_000)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours}h ${minutes % 60}m`
  return `${Math.floor(hours / 24)}d ${hours % 24}h`
}

function formatSummary(s: StatisticsView): string {
  const lines: [string, string][] = [
    [
      'Trades',
      `${s.trades} (${s.wins} won, ${s.losses} lost, ${s.breakeven} breakeven; win rate ${percent(s.winRate)})`,
    ],
    ['Net P&L', `${s.netPnl} (gross ${s.grossPnl}, fees ${s.fees})`],
    [
      'Gross profit/loss',
      `${s.grossProfit} / ${s.grossLoss}, profit factor ${ratio(s.profitFactor)}`,
    ],
    [
      'Expectancy',
      `${amount(s.expectancy)} (avg win ${amount(s.avgWin)}, avg loss ${amount(s.avgLoss)})`,
    ],
    ['Largest win/loss', `${amount(s.largestWin)} / ${amount(s.largestLoss)}`],
    [
      'Max drawdown',
      `${s.maxDrawdown}${s.maxDrawdownPct === null ? '' : ` (${pct(s.maxDrawdownPct)} of capital)`}, ` +
        `longest ${s.longestDrawdownDays} ${s.longestDrawdownDays === 1 ? 'day' : 'days'}`,
    ],
    ['Runs', `${s.maxConsecutiveWins} wins, ${s.maxConsecutiveLosses} losses in a row`],
    [
      'Daily',
      `${s.tradingDays} days; Sharpe ${ratio(s.sharpe)}, Sortino ${ratio(s.sortino)}, Calmar ${ratio(s.calmar)}`,
    ],
    [
      'VaR / CVaR 95%',
      `${amount(s.var95)} / ${amount(s.cvar95)}; 99%: ${amount(s.var99)} / ${amount(s.cvar99)}`,
    ],
    [
      'R',
      s.rTrades === 0
        ? 'no trade with an initial risk'
        : `${s.rTrades} trades with a risk: avg ${ratio(s.avgR)}R, ` +
          `expectancy ${ratio(s.expectancyR)}R, SQN ${ratio(s.sqn)}`,
    ],
    ['Kelly', ratio(s.kelly, 3)],
    [
      'Hold time',
      `${duration(s.avgHoldMs)} (winners ${duration(s.avgHoldWinnersMs)}, losers ${duration(s.avgHoldLosersMs)})`,
    ],
  ]
  if (s.excursionTrades > 0) {
    lines.push(['MAE / MFE', `${ratio(s.avgMaeR)}R / ${ratio(s.avgMfeR)}R`])
  }
  for (const twr of s.timeWeightedReturns) lines.push([`TWR ${twr.account}`, pct(twr.twrPct)])
  const width = Math.max(...lines.map(([label]) => label.length))
  return lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, c) =>
    Math.max(title.length, ...rows.map((row) => (row[c] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

function formatGroups(grouped: StatsGroupsView): string {
  if (grouped.groups.length === 0) return `No closed trades to group by ${grouped.groupBy}.`
  return table(
    [grouped.groupBy, 'trades', 'win%', 'net', 'PF', 'expect.', 'max DD', 'Sharpe', ''],
    grouped.groups.map((g) => [
      g.key ?? '(none)',
      String(g.trades),
      percent(g.winRate),
      g.netPnl,
      ratio(g.profitFactor),
      amount(g.expectancy),
      g.maxDrawdown,
      ratio(g.sharpe),
      g.thin ? 'thin' : '',
    ]),
  )
}

function formatExcursion(e: TradeExcursionView): string {
  if (e.timeframe === null) return 'No candles are stored for this instrument.'
  const r = (value: number | null) => (value === null ? '' : ` (${value.toFixed(2)} R)`)
  return [
    `Candles  ${e.candles} of ${e.timeframe}`,
    `MAE      ${amount(e.maePrice)}${r(e.maeR)}`,
    `MFE      ${amount(e.mfePrice)}${r(e.mfeR)}`,
  ].join('\n')
}

function formatDaily(days: DailyPointView[]): string {
  if (days.length === 0) return 'No closed trades.'
  return table(
    ['date', 'trades', 'net', 'equity', 'drawdown'],
    days.map((d) => [d.date, String(d.trades), d.netPnl, d.equity, d.drawdown]),
  )
}
