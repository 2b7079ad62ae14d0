/**
 * Risk commands: `blotter risk` (limits with today's utilization and recent events),
 * `risk set`, `risk remove`, `risk events`, `risk ack`.
 */
import type { Command } from 'commander'
import type { MethodInput, RiskEventView, RiskLimitView } from '../contract'
import { call, print, UsageError, withJournal } from './common'

/** `--unit percent` is short for percent_of_equity. */
const UNITS: Record<string, string> = {
  absolute: 'absolute',
  percent: 'percent_of_equity',
  percent_of_equity: 'percent_of_equity',
  count: 'count',
}

function unitOf(text: string | undefined): MethodInput<'risk.setLimit'>['unit'] {
  if (text === undefined) return undefined
  const unit = UNITS[text]
  if (!unit) throw new UsageError(`--unit must be absolute, percent or count, got "${text}"`)
  return unit as MethodInput<'risk.setLimit'>['unit']
}

function wholeNumber(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) throw new UsageError(`${option} must be a whole number, got "${text}"`)
  return Number(text)
}

export function addRiskCommands(program: Command): void {
  const risk = program.command('risk').description('risk limits, their use today, and breaches')
  risk
    .command('list', { isDefault: true })
    .description('every limit with its utilization today, and the latest events')
    .option('--account <name>', 'only this account (name or id)')
    .option('--events <n>', 'how many of the latest events to show (0–100)', '20')
    .action((options: { account?: string; events: string }) =>
      withJournal(program, async (journal) => {
        const overview = await call(journal, 'risk.list', {
          ...(options.account !== undefined && { account: options.account }),
          events: wholeNumber('--events', options.events),
        })
        print(program, overview, () =>
          [
            `Today (${overview.today}):`,
            ...(overview.limits.length === 0
              ? ['  no limits (blotter risk set --account A --type daily_loss --value 500)']
              : overview.limits.map(formatLimit)),
            ...(overview.events.length === 0 ? [] : ['Latest events:']),
            ...overview.events.map(formatEvent),
          ].join('\n'),
        )
      }),
    )
  risk
    .command('set')
    .description('add a limit to an account, or change it')
    .requiredOption('--account <name>', 'account (name or id)')
    .requiredOption(
      '--type <type>',
      'daily_loss, max_loss_per_trade, max_drawdown, max_position_size, max_open_risk, max_trades_per_day or max_consecutive_losses',
    )
    .requiredOption('--value <n>', 'amount, percentage or count')
    .option('--unit <unit>', 'absolute, percent (of equity) or count (default: by type)')
    .option('--warn-at <percent>', 'warn at this % of the limit (1–99)')
    .option('--inactive', 'keep the limit but do not check it')
    .action(
      (options: {
        account: string
        type: string
        value: string
        unit?: string
        warnAt?: string
        inactive?: boolean
      }) =>
        withJournal(program, async (journal) => {
          const input = {
            account: options.account,
            type: options.type,
            value: options.value,
            unit: unitOf(options.unit),
            warnAtPercent: wholeNumber('--warn-at', options.warnAt),
            active: !options.inactive,
          } as MethodInput<'risk.setLimit'>
          const result = await call(journal, 'risk.setLimit', input)
          print(program, result, () =>
            [
              `${result.created ? 'Added' : 'Changed'} ${formatLimit(result.limit).trim()}`,
              `${result.newEvents} new event(s) over the history`,
            ].join('\n'),
          )
        }),
    )
  risk
    .command('remove [id]')
    .description('remove a limit, by id or by account and type')
    .option('--account <name>', 'account (name or id)')
    .option('--type <type>', 'limit type')
    .option('--unit <unit>', 'absolute, percent or count, when the account has both')
    .action((id: string | undefined, options: { account?: string; type?: string; unit?: string }) =>
      withJournal(program, async (journal) => {
        const input = {
          ...(id !== undefined && { id }),
          ...(options.account !== undefined && { account: options.account }),
          ...(options.type !== undefined && { type: options.type }),
          ...(options.unit !== undefined && { unit: unitOf(options.unit) }),
        } as MethodInput<'risk.removeLimit'>
        const result = await call(journal, 'risk.removeLimit', input)
        print(program, result, () => `Removed limit ${result.id}`)
      }),
    )
  risk
    .command('events')
    .description('warnings and breaches, newest first')
    .option('--account <name>', 'only this account (name or id)')
    .option('--severity <level>', 'warning or breach')
    .option('--unacknowledged', 'only events not yet acknowledged')
    .option('--limit <n>', 'at most this many (default: all)')
    .action(
      (options: {
        account?: string
        severity?: string
        unacknowledged?: boolean
        limit?: string
      }) =>
        withJournal(program, async (journal) => {
          const wanted = wholeNumber('--limit', options.limit) ?? Infinity
          const events: RiskEventView[] = []
          let after: { occurredAt: string; id: string } | undefined
          do {
            const page = await call(journal, 'risk.events', {
              ...(options.account !== undefined && { account: options.account }),
              ...(options.severity !== undefined && {
                severity: options.severity as 'warning' | 'breach',
              }),
              unacknowledged: options.unacknowledged ?? false,
              limit: Math.min(500, wanted - events.length),
              ...(after && { after }),
            })
            events.push(...page.rows)
            after = page.next ?? undefined
          } while (after && events.length < wanted)
          print(program, events, () =>
            events.length === 0 ? 'No risk events' : events.map(formatEvent).join('\n'),
          )
        }),
    )
  risk
    .command('ack <ids...>')
    .description('acknowledge events')
    .action((ids: string[]) =>
      withJournal(program, async (journal) => {
        const result = await call(journal, 'risk.acknowledge', { ids })
        print(program, result, () => `Acknowledged ${result.acknowledged} event(s)`)
      }),
    )
}

function formatLimit(limit: RiskLimitView): string {
  const unit = limit.unit === 'percent_of_equity' ? ' % of equity' : ''
  const today = limit.today
  const standing =
    today.threshold === null
      ? `today ${today.observed} (no equity known for a % limit)`
      : `today ${today.observed} of ${today.threshold} (${Math.round((today.utilization ?? 0) * 100)} %) ${today.level}`
  const warn = limit.warnAtPercent === null ? '' : `, warn at ${limit.warnAtPercent} %`
  const inactive = limit.active ? '' : ' [inactive]'
  return `  ${limit.account}  ${limit.type} ${limit.value}${unit}${warn}${inactive}: ${standing}`
}

function formatEvent(event: RiskEventView): string {
  const ack = event.acknowledgedAt === null ? '' : ' (acknowledged)'
  return `  ${event.day}  ${event.severity.padEnd(7)}  ${event.account}  ${event.message}${ack}  [${event.id}]`
}
