import { describe, expect, it } from 'vitest'
import { inputSchemas } from '../../contract'
import { importFile } from '../../services/import'
import { undoImport } from '../../services/journal'
import { setSetting } from '../../services/settings'
import {
  acknowledgeRiskEvents,
  evaluateAccountRisk,
  removeRiskLimit,
  riskEvents,
  riskOverview,
  setRiskLimit,
} from '../../services/risk'
import { useTempJournal } from '../support/journal'

const HEADER = 'time,account,symbol,side,quantity,price,fee,asset_class\n'
const csv = (rows: string[]) => Buffer.from(HEADER + rows.join('\n') + '\n')

// Round trips, fee 1 per fill (UTC days):
//   March 2: T1 +50 − 2 = 48, T2 −100 − 2 = −102, T3 +30 − 2 = 28 → day −26
//   March 3: T4 −50 − 2 = −52
//   March 4: T5 −50 − 2 = −52 (closes 03:30Z)
const firstDay = csv([
  '2026-03-02T14:00:00Z,Main,AAPL,buy,10,100,1,stock',
  '2026-03-02T14:30:00Z,Main,AAPL,sell,10,105,1,stock',
  '2026-03-02T15:00:00Z,Main,MSFT,buy,10,200,1,stock',
  '2026-03-02T15:30:00Z,Main,MSFT,sell,10,190,1,stock',
  '2026-03-02T16:00:00Z,Main,AAPL,buy,10,100,1,stock',
  '2026-03-02T16:30:00Z,Main,AAPL,sell,10,103,1,stock',
])
const laterDays = csv([
  '2026-03-03T14:00:00Z,Main,MSFT,buy,10,190,1,stock',
  '2026-03-03T14:30:00Z,Main,MSFT,sell,10,185,1,stock',
  '2026-03-03T15:00:00Z,Main,MSFT,buy,10,185,1,stock',
  '2026-03-04T03:30:00Z,Main,MSFT,sell,10,180,1,stock',
])

const MARCH_4_NOON = () => Date.parse('2026-03-04T12:00:00Z')

describe('risk limits over the journal', () => {
  const temp = useTempJournal()
  const sqlite = () => temp.journal.sqlite
  const importFiles = () => ({
    first: importFile(temp.ctx, 'first.csv', firstDay, { format: 'auto' }).batchId!,
    later: importFile(temp.ctx, 'later.csv', laterDays, { format: 'auto' }).batchId!,
  })
  const setLimit = (input: Record<string, unknown>) =>
    setRiskLimit(temp.ctx, inputSchemas['risk.setLimit'].parse(input), MARCH_4_NOON)
  const events = () =>
    sqlite()
      .prepare(
        `SELECT l.limit_type AS type, e.breach_key AS key, e.severity, e.day,
           e.observed_value AS observed
         FROM risk_events e JOIN risk_limits l ON l.id = e.risk_limit_id
         ORDER BY l.limit_type, e.day, e.severity`,
      )
      .all()
  const tradeKeyClosedAt = (iso: string) =>
    sqlite()
      .prepare(`SELECT trade_key FROM positions WHERE closed_at = ?`)
      .pluck()
      .get(Date.parse(iso)) as string
  const money = (whole: number) => BigInt(whole) * 100_000_000n

  // Daily loss 53, warning at 90 % (47.7): March 2 runs 0, 54 (T2 breaks it), 26;
  // March 3 and 4 lose 52 each (warnings). Losing runs: 0, 1, 0, 1, 2: T5 breaks 1.
  const expectedEvents = () => [
    {
      type: 'daily_loss',
      key: '2026-03-02:breach',
      severity: 'breach',
      day: '2026-03-02',
      observed: money(54),
    },
    {
      type: 'daily_loss',
      key: '2026-03-03:warning',
      severity: 'warning',
      day: '2026-03-03',
      observed: money(52),
    },
    {
      type: 'daily_loss',
      key: '2026-03-04:warning',
      severity: 'warning',
      day: '2026-03-04',
      observed: money(52),
    },
    {
      type: 'max_consecutive_losses',
      key: `${tradeKeyClosedAt('2026-03-04T03:30:00Z')}:breach`,
      severity: 'breach',
      day: '2026-03-04',
      observed: money(2),
    },
  ]

  it('a new limit is checked over the history at once, each breach stored once', () => {
    importFiles()
    const daily = setLimit({ account: 'Main', type: 'daily_loss', value: '53', warnAtPercent: 90 })
    expect(daily).toMatchObject({ created: true, newEvents: 3 })
    expect(setLimit({ account: 'Main', type: 'max_consecutive_losses', value: '1' })).toMatchObject(
      { created: true, newEvents: 1, limit: { unit: 'count' } },
    )
    expect(events()).toEqual(expectedEvents())

    // Again, and again after re-evaluating everything: nothing new.
    expect(
      setLimit({ account: 'Main', type: 'daily_loss', value: '53', warnAtPercent: 90 }),
    ).toMatchObject({ created: false, newEvents: 0 })
    const accountId = daily.limit.accountId
    expect(evaluateAccountRisk(sqlite(), accountId, null)).toBe(0)
    expect(events()).toHaveLength(4)
  })

  it('limits set first fire during the import; undo and re-import fire nothing again', () => {
    importFile(temp.ctx, 'first.csv', firstDay, { format: 'auto' })
    setLimit({ account: 'Main', type: 'daily_loss', value: '53', warnAtPercent: 90 })
    setLimit({ account: 'Main', type: 'max_consecutive_losses', value: '1' })
    expect(events()).toHaveLength(1) // March 2's breach
    const later = importFile(temp.ctx, 'later.csv', laterDays, { format: 'auto' })
    expect(events()).toEqual(expectedEvents())

    undoImport(temp.ctx, later.batchId!)
    importFile(temp.ctx, 'later.csv', laterDays, { format: 'auto' })
    expect(events()).toEqual(expectedEvents())
  })

  it('a lower limit turns a warning day into a breach', () => {
    importFiles()
    setLimit({ account: 'Main', type: 'daily_loss', value: '53', warnAtPercent: 90 })
    // 50: March 3 and 4 (52 each) now break it: two new breach events beside the warnings.
    expect(setLimit({ account: 'Main', type: 'daily_loss', value: '50' })).toMatchObject({
      created: false,
      newEvents: 2,
    })
    expect(events()).toHaveLength(5)
  })

  it('a higher limit adds no warning for a day already recorded as a breach', () => {
    importFiles()
    setLimit({ account: 'Main', type: 'daily_loss', value: '53', warnAtPercent: 90 })
    // 58 with a warning at 90 % (52.2): March 2's 54 is now a warning, but that day is already
    // a breach of this limit; March 3 and 4 (52) stay under the new warning level.
    expect(
      setLimit({ account: 'Main', type: 'daily_loss', value: '58', warnAtPercent: 90 }),
    ).toMatchObject({ created: false, newEvents: 0 })
    expect(events()).toEqual(expectedEvents().filter((event) => event.type === 'daily_loss'))
  })

  it('shows each limit used today, in the journal zone, with the latest events', () => {
    importFiles()
    setLimit({ account: 'Main', type: 'daily_loss', value: '53', warnAtPercent: 90 })
    setLimit({ account: 'Main', type: 'max_consecutive_losses', value: '1' })
    setLimit({ account: 'Main', type: 'max_drawdown', value: '200' })
    setLimit({
      account: 'Main',
      type: 'max_loss_per_trade',
      value: '1',
      unit: 'percent_of_equity',
    })
    const overview = riskOverview(temp.ctx, { events: 2 }, MARCH_4_NOON)
    expect(overview.today).toBe('2026-03-04')
    expect(overview.limits.map((limit) => [limit.type, limit.today])).toEqual([
      // Today March 4 lost 52 of 53: 0.9811, past the 90 % warning.
      [
        'daily_loss',
        {
          date: '2026-03-04',
          observed: '52',
          threshold: '53',
          utilization: 0.9811,
          level: 'warning',
        },
      ],
      // Two losses in a row against 1.
      [
        'max_consecutive_losses',
        { date: '2026-03-04', observed: '2', threshold: '1', utilization: 2, level: 'breach' },
      ],
      // Cumulative 48 (peak, T1), then −130 at the end: drawdown 178 of 200.
      [
        'max_drawdown',
        { date: '2026-03-04', observed: '178', threshold: '200', utilization: 0.89, level: 'ok' },
      ],
      // No starting balance, no cash: a % limit has no threshold.
      [
        'max_loss_per_trade',
        { date: '2026-03-04', observed: '52', threshold: null, utilization: null, level: null },
      ],
    ])
    expect(overview.events).toHaveLength(2)

    // 04:00 UTC on March 4 is 23:00 on March 3 in New York (UTC−5), where March 3 holds T4
    // and T5 (closed 22:30): a loss of 104 against 53, 1.9623 of it.
    setSetting(temp.ctx, { key: 'journal.timezone', value: 'America/New_York' })
    const lateMarch3InNewYork = () => Date.parse('2026-03-04T04:00:00Z')
    expect(riskOverview(temp.ctx, { events: 0 }, lateMarch3InNewYork).limits[0]!.today).toEqual({
      date: '2026-03-03',
      observed: '104',
      threshold: '53',
      utilization: 1.9623,
      level: 'breach',
    })
  })

  it('pages events newest first, acknowledges and removes', () => {
    importFiles()
    setLimit({ account: 'Main', type: 'daily_loss', value: '53', warnAtPercent: 90 })
    const first = riskEvents(temp.ctx, { limit: 2 })
    expect(first.rows).toHaveLength(2)
    const second = riskEvents(temp.ctx, { limit: 2, after: first.next! })
    expect(second.rows).toHaveLength(1)
    expect(second.next).toBeNull()
    const ids = [...first.rows, ...second.rows].map((row) => row.id)
    expect(new Set(ids).size).toBe(3)

    expect(acknowledgeRiskEvents(temp.ctx, { ids: [ids[0]!] })).toEqual({ acknowledged: 1 })
    expect(riskEvents(temp.ctx, { limit: 10, unacknowledged: true }).rows).toHaveLength(2)
    expect(() => acknowledgeRiskEvents(temp.ctx, { ids: ['nope'] })).toThrow(/do not exist/)

    expect(removeRiskLimit(temp.ctx, { account: 'Main', type: 'daily_loss' })).toMatchObject({
      removed: true,
    })
    expect(riskOverview(temp.ctx, { events: 0 }, MARCH_4_NOON).limits).toEqual([])
    expect(() => removeRiskLimit(temp.ctx, { account: 'Main', type: 'daily_loss' })).toThrow(
      /no daily_loss limit/,
    )
  })

  it('validates limits with clear messages', () => {
    const problems = (input: Record<string, unknown>) => {
      const parsed = inputSchemas['risk.setLimit'].safeParse(input)
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)
    }
    expect(problems({ account: 'Main', type: 'daily_loss', value: '-5' })).toEqual([
      'must be greater than 0',
    ])
    expect(problems({ account: 'Main', type: 'max_trades_per_day', value: '2.5' })).toEqual([
      'must be a whole number',
    ])
    expect(problems({ account: 'Main', type: 'daily_loss', value: '5', unit: 'count' })).toEqual([
      "daily_loss is an amount: its unit is 'absolute' or 'percent_of_equity'",
    ])
    expect(
      problems({ account: 'Main', type: 'daily_loss', value: '5', warnAtPercent: 100 }),
    ).toHaveLength(1)
    expect(() => setLimit({ account: 'Nobody', type: 'daily_loss', value: '5' })).toThrow(
      /No account Nobody/,
    )
  })
})
