import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { blotter } from '../support/cli'

/**
 * Three round trips: AAPL +198 (03-02, closed 15:00Z), AAPL −101 (short, 03-02 16:30Z),
 * MSFT −102 (closed 2026-03-03T03:00Z: 03-02 22:00 in New York).
 */
const CSV = `time,account,symbol,side,quantity,price,fee,asset_class,multiplier,currency,order_id,fill_id,note
2026-03-02T14:30:00Z,Main,AAPL,buy,100,150,1,stock,,USD,o1,,
2026-03-02T15:00:00Z,Main,AAPL,sell,100,152,1,stock,,USD,o2,,
2026-03-02T16:00:00Z,Main,AAPL,sell,50,155,0.5,stock,,USD,o3,,
2026-03-02T16:30:00Z,Main,AAPL,buy,50,157,0.5,stock,,USD,o4,,
2026-03-02T20:00:00Z,Main,MSFT,buy,10,400,1,stock,,USD,o5,,
2026-03-03T03:00:00Z,Main,MSFT,sell,10,390,1,stock,,USD,o6,,
`

const ISSUE_FIELDS = [
  'trades',
  'wins',
  'losses',
  'breakeven',
  'winRate',
  'netPnl',
  'grossPnl',
  'fees',
  'grossProfit',
  'grossLoss',
  'profitFactor',
  'expectancy',
  'avgWin',
  'avgLoss',
  'largestWin',
  'largestLoss',
  'maxDrawdown',
  'maxConsecutiveWins',
  'maxConsecutiveLosses',
  'sharpe',
  'sortino',
]

describe('blotter stats', () => {
  let dir: string
  let db: string
  let cleanup: () => void
  beforeEach(() => {
    ;({ dir, cleanup } = tempDir())
    db = join(dir, 'journal.db')
    const file = join(dir, 'fills.csv')
    writeFileSync(file, CSV)
    expect(blotter(['import', file, '--db', db]).code).toBe(0)
  })
  afterEach(() => cleanup())

  it('--json prints the issue’s fields first, amounts as strings, undefined as null', () => {
    const { code, stdout, stderr } = blotter(['stats', '--json', '--db', db])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const stats = JSON.parse(stdout)
    expect(Object.keys(stats).slice(0, ISSUE_FIELDS.length)).toEqual(ISSUE_FIELDS)
    expect(stats).toMatchObject({
      trades: 3,
      wins: 1,
      losses: 2,
      breakeven: 0,
      netPnl: '-5', // 198 − 101 − 102
      grossProfit: '198',
      grossLoss: '-203',
      maxDrawdown: '203', // 198 → −5
      maxConsecutiveLosses: 2,
      avgR: null, // no initial risk anywhere
      sqn: null,
    })
    // UTC days 03-02 +97, 03-03 −102: mean −2.5, deviations ±99.5 → stdev √(2 × 99.5²)
    expect(stats.sharpe).toBeCloseTo((-2.5 / Math.sqrt(2 * 99.5 ** 2)) * Math.sqrt(252), 10)
    expect(stats.winRate).toBeCloseTo(1 / 3, 12)
    expect(stats.profitFactor).toBeCloseTo(198 / 203, 12)
  })

  it('the global --json before the command works too, and filters narrow the trades', () => {
    const { code, stdout } = blotter(['--json', '--db', db, 'stats', '--symbol', 'AAPL'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ trades: 2, netPnl: '97' })
    const short = JSON.parse(blotter(['stats', '--json', '--side', 'short', '--db', db]).stdout)
    expect(short).toMatchObject({ trades: 1, netPnl: '-101' })
  })

  it('--group-by prints {groupBy, groups: [{key, …same fields, thin}]}', () => {
    const { code, stdout } = blotter(['stats', '--group-by', 'symbol', '--json', '--db', db])
    expect(code).toBe(0)
    const grouped = JSON.parse(stdout)
    expect(grouped.groupBy).toBe('symbol')
    expect(grouped.groups.map((g: { key: string }) => g.key)).toEqual(['AAPL', 'MSFT'])
    const [aapl] = grouped.groups
    expect(Object.keys(aapl)[0]).toBe('key')
    expect(Object.keys(aapl).slice(1, 1 + ISSUE_FIELDS.length)).toEqual(ISSUE_FIELDS)
    expect(aapl).toMatchObject({ key: 'AAPL', trades: 2, netPnl: '97', thin: true })
  })

  it('--daily prints the series in the zone with equity and drawdown', () => {
    const ny = blotter(['stats', '--daily', '--json', '--tz', 'America/New_York', '--db', db])
    expect(ny.code).toBe(0)
    // The MSFT loss closed 03:00Z on 03-03 is 22:00 on 03-02 in New York: one day.
    expect(JSON.parse(ny.stdout)).toEqual([
      { date: '2026-03-02', trades: 3, netPnl: '-5', equity: '-5', drawdown: '5' },
    ])
    const utc = JSON.parse(blotter(['stats', '--daily', '--json', '--db', db]).stdout)
    expect(utc).toEqual([
      { date: '2026-03-02', trades: 2, netPnl: '97', equity: '97', drawdown: '0' },
      { date: '2026-03-03', trades: 1, netPnl: '-102', equity: '-5', drawdown: '102' },
    ])
  })

  it('prints readable tables without --json', () => {
    const summary = blotter(['stats', '--db', db])
    expect(summary.code).toBe(0)
    expect(summary.stdout).toMatch(/^Trades\s+3 \(1 won, 2 lost, 0 breakeven; win rate 33\.3%\)$/m)
    // 03-02 (+97, the high) to 03-03 (−5), not recovered by the last day: 1 day
    expect(summary.stdout).toMatch(/^Max drawdown\s+203, longest 1 day$/m)
    const grouped = blotter(['stats', '--group-by', 'side', '--db', db])
    expect(grouped.stdout.split('\n')[0]).toMatch(/^side\s+trades\s+win%\s+net/)
    expect(grouped.stdout).toMatch(/^short\s+1\s+0\.0%\s+-101\b.*thin$/m)
    const daily = blotter(['stats', '--daily', '--db', db])
    expect(daily.stdout).toMatch(/^2026-03-03\s+1\s+-102\s+-5\s+102$/m)
  })

  it('bad option values are usage errors (exit 2); an unknown account fails (exit 1)', () => {
    const cases: [string[], RegExp][] = [
      [['--group-by', 'colour'], /--group-by must be one of symbol, asset-class, .*"colour"/],
      [['--from', '2026-02-30'], /--from must be a date YYYY-MM-DD/],
      [['--to', 'yesterday'], /--to must be a date YYYY-MM-DD/],
      [['--to', '2026-03-02T10:00'], /--to must be a date YYYY-MM-DD or an ISO time with offset/],
      [['--tz', 'Mars/Olympus'], /--tz: "Mars\/Olympus" is not an IANA time zone/],
      [['--side', 'up'], /--side must be long or short/],
      [['--daily', '--group-by', 'symbol'], /either --group-by or --daily/],
      [['--asset-class', 'stocks'], /Unknown asset class "stocks"/],
    ]
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = blotter(['stats', ...args, '--json', '--db', db])
      expect(code, args.join(' ')).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(message)
    }
    const unknown = blotter(['stats', '--account', 'Nope', '--db', db])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe('blotter: No account named "Nope"\n')
  })
})
