/**
 * Statistics on small trade sets whose every figure is worked out by hand in the comments
 * (docs/metrics.md has the definitions).
 */
import { describe, expect, it } from 'vitest'
import { parseDecimal, type Fixed8 } from '../../core/decimal'
import {
  AmountTooLargeError,
  computeStats,
  dailySeries,
  excursion,
  excursionFromCandles,
  groupStats,
  type StatTrade,
} from '../../core/stats'

const d = (text: string): Fixed8 => parseDecimal(text)
const at = (iso: string) => Date.parse(iso)

let nextId = 0
interface TradeSpec {
  net: string
  closed: string
  opened?: string
  gross?: string
  fees?: string
  risk?: string
  id?: string
  account?: string
  symbol?: string
  side?: 'long' | 'short'
  strategyId?: string | null
  tags?: string[]
}

function trade(spec: TradeSpec): StatTrade {
  const fees = spec.fees ?? '0'
  return {
    id: spec.id ?? `t${String(++nextId).padStart(4, '0')}`,
    accountId: spec.account ?? 'A',
    symbol: spec.symbol ?? 'AAA',
    assetClass: 'stock',
    side: spec.side ?? 'long',
    strategyId: spec.strategyId ?? null,
    tags: spec.tags ?? [],
    openedAt: at(spec.opened ?? spec.closed),
    closedAt: at(spec.closed),
    grossPnl: d(spec.gross ?? spec.net),
    fees: d(fees),
    netPnl: d(spec.net),
    initialRisk: spec.risk === undefined ? null : d(spec.risk),
  }
}

const UTC = { timezone: 'UTC' }

/**
 * Eight trades over five UTC days (order W L B L W W L W):
 *
 * | # | opened → closed (UTC)  | hold | gross | fees | net  | risk | R  | equity | peak | dd  |
 * | 1 | 03-02 14:00 → 15:00    | 60m  | 102   | 2    | +100 | 50   | 2  | 100    | 100  | 0   |
 * | 2 | 03-02 16:00 → 16:30    | 30m  | -49   | 1    | -50  | 50   | -1 | 50     | 100  | 50  |
 * | 3 | 03-03 14:00 → 16:00    | 120m | 1     | 1    | 0    | 25   | 0  | 50     | 100  | 50  |
 * | 4 | 03-03 16:00 → 16:10    | 10m  | -29   | 1    | -30  | -    |    | 20     | 100  | 80  |
 * | 5 | 03-04 14:00 → 14:20    | 20m  | 81    | 1    | +80  | 40   | 2  | 100    | 100  | 0   |
 * | 6 | 03-05 14:00 → 15:00    | 60m  | 21    | 1    | +20  | -    |    | 120    | 120  | 0   |
 * | 7 | 03-05 15:00 → 15:30    | 30m  | -118  | 2    | -120 | 60   | -2 | 0      | 120  | 120 |
 * | 8 | 03-06 14:00 → 18:00    | 240m | 61    | 1    | +60  | 30   | 2  | 60     | 120  | 60  |
 *
 * They are given out of order: the statistics sort them by closing time.
 */
const mixed = [
  trade({
    opened: '2026-03-05T15:00Z',
    closed: '2026-03-05T15:30Z',
    gross: '-118',
    fees: '2',
    net: '-120',
    risk: '60',
  }),
  trade({
    opened: '2026-03-02T14:00Z',
    closed: '2026-03-02T15:00Z',
    gross: '102',
    fees: '2',
    net: '100',
    risk: '50',
  }),
  trade({
    opened: '2026-03-02T16:00Z',
    closed: '2026-03-02T16:30Z',
    gross: '-49',
    fees: '1',
    net: '-50',
    risk: '50',
  }),
  trade({
    opened: '2026-03-03T14:00Z',
    closed: '2026-03-03T16:00Z',
    gross: '1',
    fees: '1',
    net: '0',
    risk: '25',
  }),
  trade({
    opened: '2026-03-03T16:00Z',
    closed: '2026-03-03T16:10Z',
    gross: '-29',
    fees: '1',
    net: '-30',
  }),
  trade({
    opened: '2026-03-04T14:00Z',
    closed: '2026-03-04T14:20Z',
    gross: '81',
    fees: '1',
    net: '80',
    risk: '40',
  }),
  trade({
    opened: '2026-03-05T14:00Z',
    closed: '2026-03-05T15:00Z',
    gross: '21',
    fees: '1',
    net: '20',
  }),
  trade({
    opened: '2026-03-06T14:00Z',
    closed: '2026-03-06T18:00Z',
    gross: '61',
    fees: '1',
    net: '60',
    risk: '30',
  }),
]

describe('computeStats on a mixed set worked out by hand', () => {
  const stats = computeStats(mixed, {
    timezone: 'UTC',
    startingBalance: d('1000'),
    accounts: [{ accountId: 'A', startValue: d('1000'), cashFlows: [] }],
  })

  it('counts, sums and averages', () => {
    expect(stats).toMatchObject({
      trades: 8,
      wins: 4, // #1 #5 #6 #8
      losses: 3, // #2 #4 #7
      breakeven: 1, // #3
      winRate: 0.5,
      netPnl: d('60'), // 100 − 50 + 0 − 30 + 80 + 20 − 120 + 60
      grossPnl: d('70'), // 102 − 49 + 1 − 29 + 81 + 21 − 118 + 61
      fees: d('10'), // 2 + 1 + 1 + 1 + 1 + 1 + 2 + 1
      grossProfit: d('260'), // 100 + 80 + 20 + 60
      grossLoss: d('-200'), // −50 − 30 − 120
      profitFactor: 1.3, // 260 / 200
      expectancy: d('7.5'), // 60 / 8
      avgWin: d('65'), // 260 / 4
      avgLoss: d('-66.66666667'), // −200 / 3 = −66.666666666…, rounded half-even to 8 places
      largestWin: d('100'),
      largestLoss: d('-120'),
    })
  })

  it('drawdown from the trade sequence, in amount and in % of capital + peak', () => {
    // Deepest point: peak 120 after #6, equity 0 after #7.
    expect(stats.maxDrawdown).toBe(d('120'))
    // max(80 / (1000 + 100), 120 / (1000 + 120)) × 100 = 10.714285714…%
    expect(stats.maxDrawdownPct).toBeCloseTo((120 / 1120) * 100, 10)
  })

  it('runs: a breakeven trade ends a run of losses', () => {
    // W L B L W W L W: wins #5 #6 in a row; #2 and #4 are split by the breakeven #3.
    expect(stats.maxConsecutiveWins).toBe(2)
    expect(stats.maxConsecutiveLosses).toBe(1)
  })

  it('hold times in ms', () => {
    // all: (60 + 30 + 120 + 10 + 20 + 60 + 30 + 240) / 8 = 71.25 min
    expect(stats.avgHoldMs).toBe(71.25 * 60_000)
    // winners #1 #5 #6 #8: (60 + 20 + 60 + 240) / 4 = 95 min; losers #2 #4 #7: 70 / 3 min
    expect(stats.avgHoldWinnersMs).toBe(95 * 60_000)
    expect(stats.avgHoldLosersMs).toBe((70 * 60_000) / 3)
  })

  it('R multiples, SQN and Kelly', () => {
    // R of #1 #2 #3 #5 #7 #8: 2, −1, 0, 2, −2, 2 → m = 6, ΣR = 3
    expect(stats.rTrades).toBe(6)
    expect(stats.avgR).toBe(0.5)
    // Σ net (100 − 50 + 0 + 80 − 120 + 60 = 70) / Σ risk (50 + 50 + 25 + 40 + 60 + 30 = 255)
    expect(stats.expectancyR).toBeCloseTo(70 / 255, 12)
    // deviations from 0.5: 1.5, −1.5, −0.5, 1.5, −2.5, 1.5 → Σ² = 15.5, variance 15.5 / 5 = 3.1
    // SQN = √6 × 0.5 / √3.1 = 0.6956083…
    expect(stats.sqn).toBeCloseTo((Math.sqrt(6) * 0.5) / Math.sqrt(3.1), 10)
    expect(stats.sqn).toBeCloseTo(0.6956083, 6)
    // W = 0.5, avgWin / |avgLoss| = 65 / (200 / 3) = 0.975 → 0.5 − 0.5 / 0.975 = −1/78
    expect(stats.kelly).toBeCloseTo(-1 / 78, 12)
  })

  it('daily figures: Sharpe, Sortino, VaR, Calmar, longest drawdown', () => {
    // Days (UTC): 03-02 +50, 03-03 −30, 03-04 +80, 03-05 −100, 03-06 +60 → N = 5, mean 12
    expect(stats.tradingDays).toBe(5)
    // deviations 38, −42, 68, −112, 48 → Σ² = 22,680, variance / 4 = 5,670
    // Sharpe = 12 / √5670 × √252 = 12 × √(2/45) = 2.5298221…
    expect(stats.sharpe).toBeCloseTo((12 / Math.sqrt(5670)) * Math.sqrt(252), 10)
    expect(stats.sharpe).toBeCloseTo(2.5298221, 6)
    // downside: √((30² + 100²) / 5) = √2180 → Sortino = 12 / √2180 × √252 = 4.0799352…
    expect(stats.sortino).toBeCloseTo((12 / Math.sqrt(2180)) * Math.sqrt(252), 10)
    expect(stats.sortino).toBeCloseTo(4.0799352, 6)
    // k = ⌈5 × 5 / 100⌉ = ⌈5 × 1 / 100⌉ = 1: the worst day, −100, as a loss
    expect([stats.var95, stats.cvar95, stats.var99, stats.cvar99]).toEqual([
      d('100'),
      d('100'),
      d('100'),
      d('100'),
    ])
    // 5 calendar days 03-02..03-06; return 60 / 1000 → (1.06^(365/5) − 1) / 0.10714285…
    expect(stats.calmar).toBeCloseTo((1.06 ** 73 - 1) / (120 / 1120), 8)
    // Daily equity 50 (high), 20, 100 (back above: 03-04 − 03-02 = 2 days), 0, 60 (not back
    // by the last day: 03-06 − 03-04 = 2 days)
    expect(stats.longestDrawdownDays).toBe(2)
  })

  it('time-weighted return without cash flows: (1000 + 60) / 1000 − 1', () => {
    expect(stats.timeWeightedReturns).toHaveLength(1)
    expect(stats.timeWeightedReturns[0]?.accountId).toBe('A')
    expect(stats.timeWeightedReturns[0]?.twrPct).toBeCloseTo(6, 10)
  })

  it('the daily series with cumulative equity and drawdown', () => {
    expect(dailySeries(mixed, 'UTC')).toEqual([
      { date: '2026-03-02', trades: 2, netPnl: d('50'), equity: d('50'), drawdown: 0n },
      { date: '2026-03-03', trades: 2, netPnl: d('-30'), equity: d('20'), drawdown: d('30') },
      { date: '2026-03-04', trades: 1, netPnl: d('80'), equity: d('100'), drawdown: 0n },
      { date: '2026-03-05', trades: 2, netPnl: d('-100'), equity: 0n, drawdown: d('100') },
      { date: '2026-03-06', trades: 1, netPnl: d('60'), equity: d('60'), drawdown: d('40') },
    ])
  })
})

describe('drawdown, runs and order', () => {
  it('the peak starts at 0: losing from the first trade is a drawdown', () => {
    // equity −10, −30, −25; peak max(0, …) = 0 → drawdowns 10, 30, 25. (A peak taken from the
    // equity alone, −10, would give 20.)
    const stats = computeStats(
      [
        trade({ closed: '2026-03-02T15:00Z', net: '-10' }),
        trade({ closed: '2026-03-02T16:00Z', net: '-20' }),
        trade({ closed: '2026-03-02T17:00Z', net: '5' }),
      ],
      UTC,
    )
    expect(stats.maxDrawdown).toBe(d('30'))
    expect(stats.maxDrawdownPct).toBeNull() // no capital
  })

  it('a breakeven trade ends a run of wins too', () => {
    // W W B W W W L B L → longest win run 3 (the last three wins), loss runs 1 and 1
    const nets = ['5', '5', '0', '5', '5', '5', '-5', '0', '-5']
    const stats = computeStats(
      nets.map((net, i) => trade({ closed: `2026-03-02T1${i}:00Z`, net })),
      UTC,
    )
    expect(stats.maxConsecutiveWins).toBe(3)
    expect(stats.maxConsecutiveLosses).toBe(1)
  })

  it('ties on closing and opening time go by id', () => {
    // Same instants; id order a (+10), b (−10), then c (−10) later: L-run b, c = 2.
    // In input order (b before a) the run would be 1.
    const when = { opened: '2026-03-02T14:00Z', closed: '2026-03-02T15:00Z' }
    const stats = computeStats(
      [
        trade({ ...when, id: 'b', net: '-10' }),
        trade({ ...when, id: 'a', net: '10' }),
        trade({ closed: '2026-03-02T16:00Z', id: 'c', net: '-10' }),
      ],
      UTC,
    )
    expect(stats.maxConsecutiveLosses).toBe(2)
  })

  it('ties on closing time go by opening time before id', () => {
    // z opened earlier (−10) comes before a (+10): L W, then −10: runs of 1.
    const stats = computeStats(
      [
        trade({ opened: '2026-03-02T14:30Z', closed: '2026-03-02T15:00Z', id: 'a', net: '10' }),
        trade({ opened: '2026-03-02T14:00Z', closed: '2026-03-02T15:00Z', id: 'z', net: '-10' }),
        trade({ closed: '2026-03-02T16:00Z', id: 'c', net: '-10' }),
      ],
      UTC,
    )
    expect(stats.maxConsecutiveLosses).toBe(1)
    // equity −10 (peak 0), 0, −10: drawdown 10
    expect(stats.maxDrawdown).toBe(d('10'))
  })
})

describe('undefined figures are null', () => {
  it('no trades', () => {
    const stats = computeStats([], UTC)
    expect(stats).toMatchObject({
      trades: 0,
      wins: 0,
      losses: 0,
      breakeven: 0,
      winRate: null,
      netPnl: 0n,
      grossProfit: 0n,
      grossLoss: 0n,
      profitFactor: null,
      expectancy: null,
      avgWin: null,
      avgLoss: null,
      largestWin: null,
      largestLoss: null,
      maxDrawdown: 0n,
      maxConsecutiveWins: 0,
      maxConsecutiveLosses: 0,
      tradingDays: 0,
      sharpe: null,
      sortino: null,
      avgHoldMs: null,
      rTrades: 0,
      avgR: null,
      expectancyR: null,
      sqn: null,
      kelly: null,
      var95: null,
      cvar95: null,
      calmar: null,
      longestDrawdownDays: 0,
      avgMaeR: null,
      timeWeightedReturns: [],
    })
    expect(dailySeries([], 'UTC')).toEqual([])
  })

  it('no losses: profit factor, avg loss, Kelly, Sortino are null', () => {
    // Days +10, +20, +30: mean 20, stdev √((100 + 0 + 100) / 2) = 10 → Sharpe 2 × √252
    const stats = computeStats(
      [
        trade({ closed: '2026-03-02T15:00Z', net: '10' }),
        trade({ closed: '2026-03-03T15:00Z', net: '20' }),
        trade({ closed: '2026-03-04T15:00Z', net: '30' }),
      ],
      UTC,
    )
    expect(stats).toMatchObject({
      profitFactor: null,
      avgLoss: null,
      largestLoss: d('10'), // min net over all trades
      kelly: null,
      sortino: null,
      maxDrawdown: 0n,
      longestDrawdownDays: 0,
    })
    expect(stats.sharpe).toBeCloseTo(2 * Math.sqrt(252), 10)
  })

  it('one day: no Sharpe; Sortino of a losing day is defined', () => {
    // One day −50: mean −50, downside √(50² / 1) = 50 → Sortino −√252
    const stats = computeStats(
      [
        trade({ closed: '2026-03-02T15:00Z', net: '-20' }),
        trade({ closed: '2026-03-02T16:00Z', net: '-30' }),
      ],
      UTC,
    )
    expect(stats.tradingDays).toBe(1)
    expect(stats.sharpe).toBeNull()
    expect(stats.sortino).toBeCloseTo(-Math.sqrt(252), 10)
    expect(stats.winRate).toBe(0)
    expect(stats.largestWin).toBe(d('-20')) // max net over all trades
  })

  it('equal days: zero deviation, so no Sharpe (not the rounding noise of 0.1 in doubles)', () => {
    // Three days of +0.10: stdev 0 exactly → null; no losing day → no Sortino either.
    const stats = computeStats(
      ['2026-03-02', '2026-03-03', '2026-03-04'].map((day) =>
        trade({ closed: `${day}T15:00Z`, net: '0.1' }),
      ),
      UTC,
    )
    expect(stats.tradingDays).toBe(3)
    expect(stats.sharpe).toBeNull()
    expect(stats.sortino).toBeNull()
  })

  it('one R trade: no SQN; equal R: no SQN either', () => {
    const one = computeStats([trade({ closed: '2026-03-02T15:00Z', net: '10', risk: '10' })], UTC)
    expect(one).toMatchObject({ rTrades: 1, avgR: 1, sqn: null })
    // R 0.1 three times: sums of floats, but the deviation is zero, not rounding noise
    const same = computeStats(
      ['14', '15', '16'].map((hour) =>
        trade({ closed: `2026-03-02T${hour}:00Z`, net: '1', risk: '10' }),
      ),
      UTC,
    )
    expect(same.sqn).toBeNull()
    expect(same.avgR).toBeCloseTo(0.1, 12)
  })

  it('Calmar needs capital and a drawdown', () => {
    const trades = [
      trade({ closed: '2026-03-02T15:00Z', net: '10' }),
      trade({ closed: '2026-03-03T15:00Z', net: '-5' }),
    ]
    expect(computeStats(trades, UTC).calmar).toBeNull()
    expect(computeStats(trades, { timezone: 'UTC', startingBalance: 0n }).calmar).toBeNull()
    // capital 100: drawdown 5 / (100 + 10) = 4.5454…%; 2 days, return 5 / 100:
    // (1.05^(365/2) − 1) / 0.0454545…
    const withCapital = computeStats(trades, { timezone: 'UTC', startingBalance: d('100') })
    expect(withCapital.maxDrawdownPct).toBeCloseTo((5 / 110) * 100, 10)
    expect(withCapital.calmar).toBeCloseTo((1.05 ** (365 / 2) - 1) / (5 / 110), 6)
  })
})

describe('VaR and CVaR', () => {
  it('lower empirical quantile of 21 days, CVaR rounded half-even', () => {
    // 21 days: −100, −33.33333333, then 19 days of +10.
    // 95 %: k = ⌈21 × 5 / 100⌉ = ⌈1.05⌉ = 2 → VaR = 33.33333333;
    //   CVaR = (100 + 33.33333333) / 2 = 66.666666665 → half-even to 8 places: 66.66666666
    // 99 %: k = ⌈21 / 100⌉ = 1 → VaR = CVaR = 100
    const days = ['-100', '-33.33333333', ...Array.from({ length: 19 }, () => '10')]
    const stats = computeStats(
      days.map((net, i) =>
        trade({ closed: new Date(Date.UTC(2026, 0, 5 + i, 15)).toISOString(), net }),
      ),
      UTC,
    )
    expect(stats.tradingDays).toBe(21)
    expect(stats.var95).toBe(d('33.33333333'))
    expect(stats.cvar95).toBe(d('66.66666666'))
    expect(stats.var99).toBe(d('100'))
    expect(stats.cvar99).toBe(d('100'))
  })

  it('a VaR is negative when even the worst days gained', () => {
    const stats = computeStats([trade({ closed: '2026-03-02T15:00Z', net: '7' })], UTC)
    expect(stats.var95).toBe(d('-7'))
    expect(stats.cvar99).toBe(d('-7'))
  })
})

describe('longest drawdown duration', () => {
  it('counts calendar days from the last high to the recovery, or to the last day', () => {
    // Days: 03-02 +100 (high 100), 03-03 −50 (50), 03-10 +60 (110: recovered after 8 days),
    // 03-11 −20 (90, still below 110 on the last day: 1 day) → 8
    const stats = computeStats(
      [
        trade({ closed: '2026-03-02T15:00Z', net: '100' }),
        trade({ closed: '2026-03-03T15:00Z', net: '-50' }),
        trade({ closed: '2026-03-10T15:00Z', net: '60' }),
        trade({ closed: '2026-03-11T15:00Z', net: '-20' }),
      ],
      UTC,
    )
    expect(stats.longestDrawdownDays).toBe(8)
  })

  it('a series that starts below 0 counts from its first day', () => {
    // 03-02 −10 (below the 0 high), 03-05 +4 (−6), 03-20 −1 (−7): never back → 03-20 − 03-02
    const stats = computeStats(
      [
        trade({ closed: '2026-03-02T15:00Z', net: '-10' }),
        trade({ closed: '2026-03-05T15:00Z', net: '4' }),
        trade({ closed: '2026-03-20T15:00Z', net: '-1' }),
      ],
      UTC,
    )
    expect(stats.longestDrawdownDays).toBe(18)
  })
})

describe('days in the journal zone', () => {
  it('a trade closed at 2026-03-02T03:00Z is on 2026-03-01 in New York', () => {
    const trades = [
      trade({ closed: '2026-03-02T03:00Z', net: '10' }), // 22:00 EST on 03-01
      trade({ closed: '2026-03-02T06:00Z', net: '5' }), // 01:00 EST on 03-02
      trade({ closed: '2026-03-09T03:30Z', net: '-2' }), // 23:30 EDT on 03-08 (DST began 03-08)
    ]
    expect(dailySeries(trades, 'America/New_York').map((p) => [p.date, p.netPnl])).toEqual([
      ['2026-03-01', d('10')],
      ['2026-03-02', d('5')],
      ['2026-03-08', d('-2')],
    ])
    expect(dailySeries(trades, 'UTC').map((p) => [p.date, p.trades])).toEqual([
      ['2026-03-02', 2],
      ['2026-03-09', 1],
    ])
  })
})

describe('time-weighted return', () => {
  const t1 = '2026-03-02T15:00Z'
  const t2 = '2026-03-03T15:00Z'
  const t3 = '2026-03-04T15:00Z'
  const trades = [trade({ closed: t1, net: '1000' }), trade({ closed: t3, net: '-800' })]

  it('chains sub-periods split by deposits; dividends are return', () => {
    // 10,000 → 11,000 (trade) | deposit 5,000: r₁ = 11,000 / 10,000 − 1 = 10 %
    // 16,000 + dividend 100 − 800 = 15,300: r₂ = 15,300 / 16,000 − 1 = −4.375 %
    // TWR = 1.1 × 0.95625 − 1 = 5.1875 %
    const stats = computeStats(trades, {
      timezone: 'UTC',
      accounts: [
        {
          accountId: 'A',
          startValue: d('10000'),
          cashFlows: [
            { at: at(t2), amount: d('5000'), external: true },
            { at: at(t2) + 1, amount: d('100'), external: false },
          ],
        },
      ],
    })
    expect(stats.timeWeightedReturns).toEqual([{ accountId: 'A', twrPct: expect.any(Number) }])
    expect(stats.timeWeightedReturns[0]?.twrPct).toBeCloseTo(5.1875, 10)
  })

  it('a flow at the instant a trade closes comes first; a first deposit from 0 starts it', () => {
    // 0 | deposit 10,000 at t1 (the 0 → 0 sub-period is skipped) | +1000 at t1 → 11,000;
    // withdrawal 1,000 at t3 before the −800 of t3: r₁ = 11,000 / 10,000 − 1 = 10 %;
    // 10,000 − 800 = 9,200: r₂ = −8 % → 1.1 × 0.92 − 1 = 1.2 %
    const stats = computeStats(trades, {
      timezone: 'UTC',
      accounts: [
        {
          accountId: 'A',
          startValue: 0n,
          cashFlows: [
            { at: at(t3), amount: d('-1000'), external: true },
            { at: at(t1), amount: d('10000'), external: true },
          ],
        },
      ],
    })
    expect(stats.timeWeightedReturns[0]?.twrPct).toBeCloseTo(1.2, 10)
  })

  it('is null when trading starts without money; accounts without trades are left out', () => {
    const stats = computeStats(trades, {
      timezone: 'UTC',
      accounts: [
        { accountId: 'A', startValue: 0n, cashFlows: [] },
        { accountId: 'B', startValue: d('500'), cashFlows: [] },
      ],
    })
    expect(stats.timeWeightedReturns).toEqual([{ accountId: 'A', twrPct: null }])
  })
})

describe('MAE and MFE', () => {
  it('from candles, in price and in R', () => {
    // Long from 100 through bars low 97, high 106: MAE 3, MFE 6 (short: MAE 6, MFE 3)
    const bars = [
      { high: d('102'), low: d('99') },
      { high: d('106'), low: d('97') },
    ]
    expect(excursionFromCandles('long', d('100'), bars)).toEqual({ mae: d('3'), mfe: d('6') })
    expect(excursionFromCandles('short', d('100'), bars)).toEqual({ mae: d('6'), mfe: d('3') })
    expect(excursionFromCandles('long', d('100'), [])).toBeNull()
    // Point value 10 (10 shares × 1), risk 50: MAE −3 × 10 / 50 = −0.6R, MFE 6 × 10 / 50 = 1.2R
    expect(excursion(d('3'), d('6'), d('10'), d('50'))).toEqual({
      maePrice: d('3'),
      mfePrice: d('6'),
      maeR: -0.6,
      mfeR: 1.2,
    })
    expect(excursion(d('3'), d('6'), null, d('50'))).toMatchObject({ maeR: null, mfeR: null })
  })

  it('averaged over the trades that have them', () => {
    const withExcursion = (t: StatTrade, mae: string, mfe: string): StatTrade => ({
      ...t,
      mae: d(mae),
      mfe: d(mfe),
      pointValue: d('10'),
    })
    // −0.6R / 1.2R and −0.2R / 0.4R (MAE 1, MFE 2 on risk 50) → avg −0.4R and 0.8R
    const stats = computeStats(
      [
        withExcursion(trade({ closed: '2026-03-02T15:00Z', net: '10', risk: '50' }), '3', '6'),
        withExcursion(trade({ closed: '2026-03-02T16:00Z', net: '10', risk: '50' }), '1', '2'),
        trade({ closed: '2026-03-02T17:00Z', net: '10', risk: '50' }),
      ],
      UTC,
    )
    expect(stats.excursionTrades).toBe(2)
    expect(stats.avgMaeR).toBeCloseTo(-0.4, 12)
    expect(stats.avgMfeR).toBeCloseTo(0.8, 12)
  })
})

describe('groups', () => {
  it('flags groups under 30 trades as thin and counts a trade in each of its tags', () => {
    // AAA: 31 trades of +1 (one tagged a and b); BBB: 2 of −1 (untagged)
    const trades = [
      ...Array.from({ length: 31 }, (_, i) =>
        trade({
          closed: new Date(Date.UTC(2026, 2, 2, 14, i)).toISOString(),
          net: '1',
          tags: i === 0 ? ['b', 'a'] : [],
        }),
      ),
      trade({ closed: '2026-03-03T15:00Z', net: '-1', symbol: 'BBB' }),
      trade({ closed: '2026-03-03T16:00Z', net: '-1', symbol: 'BBB' }),
    ]
    const bySymbol = groupStats(trades, 'symbol', UTC)
    expect(bySymbol.groupBy).toBe('symbol')
    expect(
      bySymbol.groups.map((g) => [g.key, g.trades, g.thin, g.netPnl, g.maxConsecutiveLosses]),
    ).toEqual([
      ['AAA', 31, false, d('31'), 0],
      ['BBB', 2, true, d('-2'), 2],
    ])
    const byTag = groupStats(trades, 'tag', UTC)
    expect(byTag.groups.map((g) => [g.key, g.trades, g.thin])).toEqual([
      ['a', 1, true],
      ['b', 1, true],
      [null, 32, false],
    ])
  })

  it('counts a trade once in a tag it lists twice', () => {
    const trades = [
      trade({ closed: '2026-03-02T15:00Z', net: '1', tags: ['a', 'a', 'b'] }),
      trade({ closed: '2026-03-02T16:00Z', net: '2', tags: ['a'] }),
    ]
    expect(groupStats(trades, 'tag', UTC).groups.map((g) => [g.key, g.trades, g.netPnl])).toEqual([
      ['a', 2, d('3')],
      ['b', 1, d('1')],
    ])
  })

  it('weekday and hour of entry and month of close, in the zone', () => {
    // Opened 2026-03-02T03:00Z = Sunday 03-01 22:00 in New York (Monday 03:00 UTC);
    // closed 2026-04-01T03:00Z = 03-31 23:00 EDT (April in UTC)
    const one = [trade({ opened: '2026-03-02T03:00Z', closed: '2026-04-01T03:00Z', net: '1' })]
    const ny = { timezone: 'America/New_York' }
    expect(groupStats(one, 'weekday', ny).groups[0]?.key).toBe('Sunday')
    expect(groupStats(one, 'weekday', UTC).groups[0]?.key).toBe('Monday')
    expect(groupStats(one, 'hour', ny).groups[0]?.key).toBe('22')
    expect(groupStats(one, 'hour', UTC).groups[0]?.key).toBe('03')
    expect(groupStats(one, 'month', ny).groups[0]?.key).toBe('2026-03')
    expect(groupStats(one, 'month', UTC).groups[0]?.key).toBe('2026-04')
  })

  it('hold-time and R buckets: lower bounds included, natural order', () => {
    const open = '2026-03-02T14:00:00Z'
    const trades = [
      trade({ opened: open, closed: '2026-03-02T14:01:00Z', net: '-10', risk: '10' }), // 1m, −1R
      trade({ opened: open, closed: '2026-03-02T14:00:59Z', net: '30', risk: '10' }), // 59s, 3R
      trade({ opened: open, closed: '2026-03-09T14:00:00Z', net: '-20.00000001', risk: '10' }), // 1w, <−2R
      trade({ opened: open, closed: '2026-03-02T18:00:00Z', net: '5' }), // 4h, no risk
    ]
    expect(groupStats(trades, 'hold-time', UTC).groups.map((g) => [g.key, g.trades])).toEqual([
      ['<1m', 1],
      ['1m-5m', 1],
      ['4h-1d', 1],
      ['>=1w', 1],
    ])
    expect(groupStats(trades, 'r-bucket', UTC).groups.map((g) => g.key)).toEqual([
      '<-2R',
      '-1R to 0R',
      '>=3R',
      null,
    ])
  })

  it('by side, strategy and account', () => {
    const trades = [
      trade({
        closed: '2026-03-02T15:00Z',
        net: '1',
        side: 'short',
        strategyId: 's1',
        account: 'B',
      }),
      trade({ closed: '2026-03-02T16:00Z', net: '2', side: 'long', account: 'A' }),
    ]
    expect(groupStats(trades, 'side', UTC).groups.map((g) => g.key)).toEqual(['long', 'short'])
    expect(groupStats(trades, 'strategy', UTC).groups.map((g) => g.key)).toEqual(['s1', null])
    expect(groupStats(trades, 'account', UTC).groups.map((g) => [g.key, g.netPnl])).toEqual([
      ['A', d('2')],
      ['B', d('1')],
    ])
  })

  it('every hold-time bucket, each from its lower bound to 1 ms under the next', () => {
    // Bucket b (0-based) holds a trade at its lower bound (net b + 1) and one 1 ms under its
    // upper bound (net 10 × (b + 1)); >=1w has 1w and 30 days. Each group: 11 × (b + 1).
    //
    // | bucket  | at the lower bound    | 1 ms under the upper bound   |
    // | <1m     | 0 ms           net 1  | 59,999 ms            net 10  |
    // | 1m-5m   | 60,000 ms      net 2  | 299,999 ms           net 20  |
    // | 5m-15m  | 300,000 ms     net 3  | 899,999 ms           net 30  |
    // | 15m-1h  | 900,000 ms     net 4  | 3,599,999 ms         net 40  |
    // | 1h-4h   | 3,600,000 ms   net 5  | 14,399,999 ms        net 50  |
    // | 4h-1d   | 14,400,000 ms  net 6  | 86,399,999 ms        net 60  |
    // | 1d-1w   | 86,400,000 ms  net 7  | 604,799,999 ms       net 70  |
    // | >=1w    | 604,800,000 ms net 8  | 2,592,000,000 (30 d) net 80  |
    const open = at('2026-03-02T14:00:00Z')
    const held = (ms: number, net: string) =>
      trade({
        opened: new Date(open).toISOString(),
        closed: new Date(open + ms).toISOString(),
        net,
      })
    const MIN = 60_000
    const DAY = 1440 * MIN
    // Given longest first: the order comes from the buckets, not from the input.
    const trades = [
      held(30 * DAY, '80'),
      held(7 * DAY, '8'),
      held(7 * DAY - 1, '70'),
      held(DAY, '7'),
      held(DAY - 1, '60'),
      held(240 * MIN, '6'),
      held(240 * MIN - 1, '50'),
      held(60 * MIN, '5'),
      held(60 * MIN - 1, '40'),
      held(15 * MIN, '4'),
      held(15 * MIN - 1, '30'),
      held(5 * MIN, '3'),
      held(5 * MIN - 1, '20'),
      held(MIN, '2'),
      held(MIN - 1, '10'),
      held(0, '1'),
    ]
    expect(
      groupStats(trades, 'hold-time', UTC).groups.map((g) => [g.key, g.trades, g.netPnl]),
    ).toEqual([
      ['<1m', 2, d('11')],
      ['1m-5m', 2, d('22')],
      ['5m-15m', 2, d('33')],
      ['15m-1h', 2, d('44')],
      ['1h-4h', 2, d('55')],
      ['4h-1d', 2, d('66')],
      ['1d-1w', 2, d('77')],
      ['>=1w', 2, d('88')],
    ])
  })

  it('every R bucket, each from exactly k × risk to 10^-8 under the next, null last', () => {
    // | net          | risk | R                 | bucket     |
    // | −50          | 10   | −5                | <-2R       |
    // | −20.00000001 | 10   | 10^-9 under −2    | <-2R       |
    // | −50          | 25   | −2 exactly        | -2R to -1R |
    // | −10.00000001 | 10   | 10^-9 under −1    | -2R to -1R |
    // | −10          | 10   | −1 exactly        | -1R to 0R  |
    // | −0.00000001  | 10   | 10^-9 under 0     | -1R to 0R  |
    // | 0            | 10   | 0 exactly         | 0R to 1R   |
    // | 9.99999999   | 10   | 10^-9 under 1     | 0R to 1R   |
    // | 10           | 10   | 1 exactly         | 1R to 2R   |
    // | 19.99999999  | 10   | 10^-9 under 2     | 1R to 2R   |
    // | 20           | 10   | 2 exactly         | 2R to 3R   |
    // | 29.99999999  | 10   | 10^-9 under 3     | 2R to 3R   |
    // | 30           | 10   | 3 exactly         | >=3R       |
    // | 0.3          | 0.1  | 3 exactly (as doubles 0.3 / 0.1 = 2.9999999999999996) | >=3R |
    // | 100          | 10   | 10                | >=3R       |
    // | 5, −7        | none |                   | null       |
    let minute = 0
    const r = (net: string, risk?: string) =>
      trade({
        closed: new Date(at('2026-03-02T14:00:00Z') + ++minute * 60_000).toISOString(),
        net,
        ...(risk === undefined ? {} : { risk }),
      })
    // Given with the null group first and the buckets shuffled.
    const trades = [
      r('5'),
      r('30', '10'),
      r('-10', '10'),
      r('0.3', '0.1'),
      r('-20.00000001', '10'),
      r('9.99999999', '10'),
      r('20', '10'),
      r('-50', '25'),
      r('-0.00000001', '10'),
      r('19.99999999', '10'),
      r('-7'),
      r('0', '10'),
      r('-50', '10'),
      r('10', '10'),
      r('29.99999999', '10'),
      r('-10.00000001', '10'),
      r('100', '10'),
    ]
    expect(
      groupStats(trades, 'r-bucket', UTC).groups.map((g) => [g.key, g.trades, g.netPnl]),
    ).toEqual([
      ['<-2R', 2, d('-70.00000001')],
      ['-2R to -1R', 2, d('-60.00000001')],
      ['-1R to 0R', 2, d('-10.00000001')],
      ['0R to 1R', 2, d('9.99999999')],
      ['1R to 2R', 2, d('29.99999999')],
      ['2R to 3R', 2, d('49.99999999')],
      ['>=3R', 3, d('130.3')],
      [null, 2, d('-2')],
    ])
  })

  it('weekdays of entry and months of close in a zone ahead of UTC, in order', () => {
    // Tokyo is UTC+9 all year (no DST).
    //
    // | net | opened (UTC)                | entry in Tokyo         | closed (UTC)     | in Tokyo
    // | 1   | 2025-12-31 Wed 16:00        | 01-01 Thu 01:00        | 2025-12-31 17:00 | 2026-01-01
    // | 2   | 2025-12-28 Sun 14:00        | 12-28 Sun 23:00        | 2025-12-29 03:00 | 2025-12-29
    // | 4   | 2026-01-31 Sat 20:00        | 02-01 Sun 05:00        | 2026-01-31 22:00 | 2026-02-01
    // | 8   | 2026-03-01 Sun 15:00        | 03-02 Mon 00:00        | 2026-03-02 01:00 | 2026-03-02
    // | 16  | 2026-03-02 Mon 14:59:59.999 | 03-02 Mon 23:59:59.999 | 2026-03-03 00:00 | 2026-03-03
    // | 32  | 2026-03-06 Fri 10:00        | 03-06 Fri 19:00        | 2026-03-31 15:00 | 2026-04-01
    // | 64  | 2026-03-04 Wed 23:00        | 03-05 Thu 08:00        | 2026-03-05 01:00 | 2026-03-05
    const trades = [
      trade({ opened: '2026-03-06T10:00:00Z', closed: '2026-03-31T15:00:00Z', net: '32' }),
      trade({ opened: '2026-03-04T23:00:00Z', closed: '2026-03-05T01:00:00Z', net: '64' }),
      trade({ opened: '2026-03-02T14:59:59.999Z', closed: '2026-03-03T00:00:00Z', net: '16' }),
      trade({ opened: '2026-03-01T15:00:00Z', closed: '2026-03-02T01:00:00Z', net: '8' }),
      trade({ opened: '2026-01-31T20:00:00Z', closed: '2026-01-31T22:00:00Z', net: '4' }),
      trade({ opened: '2025-12-28T14:00:00Z', closed: '2025-12-29T03:00:00Z', net: '2' }),
      trade({ opened: '2025-12-31T16:00:00Z', closed: '2025-12-31T17:00:00Z', net: '1' }),
    ]
    const tokyo = { timezone: 'Asia/Tokyo' }
    const rows = (key: 'weekday' | 'month', options: { timezone: string }) =>
      groupStats(trades, key, options).groups.map((g) => [g.key, g.trades, g.netPnl])
    expect(rows('weekday', tokyo)).toEqual([
      ['Monday', 2, d('24')], // 8 + 16
      ['Thursday', 2, d('65')], // 1 + 64
      ['Friday', 1, d('32')],
      ['Sunday', 2, d('6')], // 2 + 4: Sunday last
    ])
    expect(rows('weekday', UTC)).toEqual([
      ['Monday', 1, d('16')],
      ['Wednesday', 2, d('65')], // 1 + 64
      ['Friday', 1, d('32')],
      ['Saturday', 1, d('4')],
      ['Sunday', 2, d('10')], // 2 + 8
    ])
    expect(rows('month', tokyo)).toEqual([
      ['2025-12', 1, d('2')],
      ['2026-01', 1, d('1')],
      ['2026-02', 1, d('4')],
      ['2026-03', 3, d('88')], // 8 + 16 + 64
      ['2026-04', 1, d('32')],
    ])
    expect(rows('month', UTC)).toEqual([
      ['2025-12', 2, d('3')], // 1 + 2
      ['2026-01', 1, d('4')],
      ['2026-03', 4, d('120')], // 8 + 16 + 32 + 64
    ])
  })
})

describe('exactness at large amounts', () => {
  it('sums and drawdown stay exact past 2^53 × 10^-8', () => {
    // equity 40M, 80M, 40M, 0.00000001 − … : Σ net = 0.00000001; drawdown 80M − (−0.00000001)…
    const stats = computeStats(
      [
        trade({ closed: '2026-03-02T15:00Z', net: '40000000' }),
        trade({ closed: '2026-03-02T16:00Z', net: '40000000' }),
        trade({ closed: '2026-03-02T17:00Z', net: '-40000000' }),
        trade({ closed: '2026-03-02T18:00Z', net: '-40000000.00000001' }),
        trade({ closed: '2026-03-02T19:00Z', net: '0.00000002' }),
      ],
      UTC,
    )
    // equity: 40M, 80M (peak), 40M, −0.00000001, 0.00000001 → max drawdown 80,000,000.00000001
    expect(stats.maxDrawdown).toBe(d('80000000.00000001'))
    expect(stats.netPnl).toBe(d('0.00000001'))
    expect(stats.grossProfit).toBe(d('80000000.00000002'))
    expect(
      dailySeries(
        [
          trade({ closed: '2026-03-02T15:00Z', net: '45000000' }),
          trade({ closed: '2026-03-02T16:00Z', net: '45000000.00000001' }),
        ],
        'UTC',
      )[0]?.netPnl,
    ).toBe(d('90000000.00000001'))
  })

  it('refuses a single trade amount it cannot hold exactly', () => {
    expect(() =>
      computeStats([trade({ closed: '2026-03-02T15:00Z', net: '45035996.27370497' })], UTC),
    ).toThrow(AmountTooLargeError)
  })
})
