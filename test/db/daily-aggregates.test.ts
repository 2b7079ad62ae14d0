import { describe, expect, it } from 'vitest'
import { fromInteger } from '../../core/decimal'
import {
  refreshAccountAggregates,
  refreshStrategyPerformance,
} from '../../db/queries/daily-aggregates'
import { dashboard } from '../../services/dashboard'
import { importFile } from '../../services/import'
import { undoImport } from '../../services/journal'
import { setSetting } from '../../services/settings'
import { statsSummary } from '../../services/stats'
import { useTempJournal } from '../support/journal'

const HEADER = 'time,account,symbol,side,quantity,price,fee,asset_class\n'
const csv = (rows: string[]) => Buffer.from(HEADER + rows.join('\n') + '\n')

// Five closed round trips and one open one, fee 1 per fill (so 2 per round trip):
//   T1 AAPL 10 × (105 − 100) = +50, net 48     closes 2026-03-02 14:30Z
//   T2 MSFT 10 × (190 − 200) = −100, net −102  closes 2026-03-02 15:30Z
//   T3 AAPL 10 × (103 − 100) = +30, net 28     closes 2026-03-02 16:30Z
//   T4 MSFT 10 × (185 − 190) = −50, net −52    closes 2026-03-03 14:30Z
//   T5 MSFT 10 × (180 − 185) = −50, net −52    opens 2026-03-03 15:00Z, closes 2026-03-04 03:30Z
//      (March 3, 22:30 in New York, UTC−5 before the DST change of March 8)
//   T6 AAPL buy 5 @ 110 on 2026-03-03 20:00Z, still open
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
  '2026-03-03T20:00:00Z,Main,AAPL,buy,5,110,1,stock',
])

const money = (value: number) => fromInteger(value)

describe('daily aggregates', () => {
  const temp = useTempJournal()
  const sqlite = () => temp.journal.sqlite

  const importBoth = () => {
    const first = importFile(temp.ctx, 'first.csv', firstDay, { format: 'auto' })
    const later = importFile(temp.ctx, 'later.csv', laterDays, { format: 'auto' })
    expect([first.status, later.status]).toEqual(['imported', 'imported'])
    return { first: first.batchId!, later: later.batchId! }
  }
  const accountId = () =>
    sqlite().prepare(`SELECT id FROM accounts WHERE name = 'Main'`).pluck().get() as string

  const riskRows = () =>
    sqlite()
      .prepare(
        `SELECT date, trades, wins, losses, gross_pnl AS gross, fees, net_pnl AS net,
           max_drawdown AS dd, open_risk AS openRisk, consecutive_losses AS run,
           equity_end AS equity
         FROM risk_metrics ORDER BY date`,
      )
      .all()
  const summaries = () =>
    sqlite()
      .prepare(
        `SELECT as_of AS date, equity, cash, open_positions AS open, realized_pnl AS realized,
           unrealized_pnl AS unrealized
         FROM portfolio_summary ORDER BY as_of`,
      )
      .all()
  const headline = (account: string | null) =>
    Object.fromEntries(
      sqlite()
        .prepare(
          `SELECT metric_name, value FROM performance_metrics
           WHERE period = 'all' AND account_id IS ?`,
        )
        .raw()
        .all(account) as [string, bigint][],
    )

  it('keeps one row per day of closed trades, worked out by hand', () => {
    importBoth()
    expect(riskRows()).toEqual([
      // 48 − 102 + 28 = −26; gross 50 − 100 + 30 = −20; fees 6. Equity 48, −54, −26: the fall
      // from the peak 48 to −54 is 102. The day ends on a win: no losing run.
      {
        date: '2026-03-02',
        trades: 3n,
        wins: 2n,
        losses: 1n,
        gross: money(-20),
        fees: money(6),
        net: money(-26),
        dd: money(102),
        openRisk: 0n,
        run: 0n,
        equity: null,
      },
      // T4 alone; T5 and T6 are open at the end of the day (no initial risk: 0).
      {
        date: '2026-03-03',
        trades: 1n,
        wins: 0n,
        losses: 1n,
        gross: money(-50),
        fees: money(2),
        net: money(-52),
        dd: money(52),
        openRisk: 0n,
        run: 1n,
        equity: null,
      },
      // T5: the losing run reaches 2.
      {
        date: '2026-03-04',
        trades: 1n,
        wins: 0n,
        losses: 1n,
        gross: money(-50),
        fees: money(2),
        net: money(-52),
        dd: money(52),
        openRisk: 0n,
        run: 2n,
        equity: null,
      },
    ])
    // Cash = realized so far (no starting balance); T6's entry fee is not realized yet.
    expect(summaries()).toEqual([
      {
        date: '2026-03-02',
        equity: money(-26),
        cash: money(-26),
        open: 0n,
        realized: money(-26),
        unrealized: 0n,
      },
      {
        date: '2026-03-03',
        equity: money(-78),
        cash: money(-78),
        open: 2n,
        realized: money(-78),
        unrealized: 0n,
      },
      {
        date: '2026-03-04',
        equity: money(-130),
        cash: money(-130),
        open: 1n,
        realized: money(-130),
        unrealized: 0n,
      },
    ])
    // All of it: 5 trades, 2 wins, net −130, gross profit 48 + 28 = 76, gross loss −206,
    // profit factor 76 / 206 = 0.36893204 (half-even), win rate 2/5, expectancy −26.
    // Daily equity −26, −78, −130: from the peak 0 the drawdown is 130.
    const expected = {
      trades: money(5),
      wins: money(2),
      losses: money(3),
      net_pnl: money(-130),
      gross_pnl: money(-120),
      fees: money(10),
      gross_profit: money(76),
      gross_loss: money(-206),
      profit_factor: 36_893_204n,
      win_rate: 40_000_000n,
      expectancy: money(-26),
      max_drawdown: money(130),
    }
    expect(headline(accountId())).toEqual(expected)
    expect(headline(null)).toEqual(expected)
  })

  it('drops the days of an undone import and brings them back on re-import', () => {
    const batches = importBoth()
    undoImport(temp.ctx, batches.later)
    expect(riskRows().map((row) => (row as { date: string }).date)).toEqual(['2026-03-02'])
    expect(summaries()).toHaveLength(1)
    expect(headline(accountId())).toMatchObject({ trades: money(3), net_pnl: money(-26) })

    const again = importFile(temp.ctx, 'later.csv', laterDays, { format: 'auto' })
    expect(again.status).toBe('imported')
    expect(riskRows()).toHaveLength(3)
    expect(headline(accountId())).toMatchObject({ trades: money(5), net_pnl: money(-130) })
  })

  it('undoing the first day carries the new running values into the later days', () => {
    const batches = importBoth()
    undoImport(temp.ctx, batches.first)
    // Without March 2 the later days start from 0: equity −52, −104; the run is 1, then 2.
    expect(
      riskRows().map((row) => {
        const { date, net, run } = row as { date: string; net: bigint; run: bigint }
        return [date, net, run]
      }),
    ).toEqual([
      ['2026-03-03', money(-52), 1n],
      ['2026-03-04', money(-52), 2n],
    ])
    expect(summaries().map((row) => (row as { realized: bigint }).realized)).toEqual([
      money(-52),
      money(-104),
    ])
  })

  it('counts the starting balance, cash movements and open risk', () => {
    importBoth()
    const account = accountId()
    sqlite()
      .prepare(`UPDATE accounts SET starting_balance = ? WHERE id = ?`)
      .run(money(10_000), account)
    sqlite()
      .prepare(
        `INSERT INTO cash_transactions (id, account_id, kind, amount, currency, occurred_at)
         VALUES ('cash-1', ?, 'deposit', ?, 'USD', ?)`,
      )
      .run(account, money(500), Date.parse('2026-03-03T12:00:00Z'))
    sqlite().prepare(`UPDATE positions SET initial_risk = ? WHERE status = 'open'`).run(money(20))
    refreshAccountAggregates(sqlite(), account, null)
    // Equity: 10000 − 26 = 9974; + 500 deposited − 52 = 10422; − 52 = 10370.
    // T6 (initial risk 20) is open at the end of March 3 and 4.
    expect(
      riskRows().map((row) => {
        const { equity, openRisk } = row as { equity: bigint; openRisk: bigint }
        return [equity, openRisk]
      }),
    ).toEqual([
      [money(9974), 0n],
      [money(10_422), money(20)],
      [money(10_370), money(20)],
    ])
  })

  it('moves the days with the journal zone', () => {
    importBoth()
    setSetting(temp.ctx, { key: 'journal.timezone', value: 'America/New_York' })
    // T5 closed at 22:30 on March 3 in New York: March 3 has T4 and T5, −104, a run of 2,
    // a drawdown of 104; March 4 is gone.
    expect(
      riskRows().map((row) => {
        const { date, trades, net, dd, run } = row as Record<string, unknown>
        return [date, trades, net, dd, run]
      }),
    ).toEqual([
      ['2026-03-02', 3n, money(-26), money(102), 0n],
      ['2026-03-03', 2n, money(-104), money(104), 2n],
    ])
    setSetting(temp.ctx, { key: 'journal.timezone', value: 'UTC' })
    expect(riskRows()).toHaveLength(3)
  })

  it('keeps strategy_performance per strategy and day', () => {
    importBoth()
    sqlite().prepare(`INSERT INTO strategies (id, name) VALUES ('s-1', 'Fade')`).run()
    // T2 and T4: the MSFT round trips that closed on March 2 and 3.
    sqlite()
      .prepare(
        `UPDATE positions SET strategy_id = 's-1'
         WHERE side = 'long' AND closed_at IN (?, ?)`,
      )
      .run(Date.parse('2026-03-02T15:30:00Z'), Date.parse('2026-03-03T14:30:00Z'))
    refreshStrategyPerformance(sqlite(), ['s-1'])
    expect(
      sqlite()
        .prepare(
          `SELECT date, trades, losses, net_pnl AS net, gross_profit AS profit,
             gross_loss AS loss, max_drawdown AS dd
           FROM strategy_performance WHERE strategy_id = 's-1' ORDER BY date`,
        )
        .all(),
    ).toEqual([
      {
        date: '2026-03-02',
        trades: 1n,
        losses: 1n,
        net: money(-102),
        profit: 0n,
        loss: money(-102),
        dd: money(102),
      },
      {
        date: '2026-03-03',
        trades: 1n,
        losses: 1n,
        net: money(-52),
        profit: 0n,
        loss: money(-52),
        dd: money(52),
      },
    ])
    // Unassigning T4 and refreshing drops its day.
    sqlite()
      .prepare(`UPDATE positions SET strategy_id = NULL WHERE closed_at = ?`)
      .run(Date.parse('2026-03-03T14:30:00Z'))
    refreshStrategyPerformance(sqlite(), ['s-1'])
    expect(sqlite().prepare(`SELECT count(*) FROM strategy_performance`).pluck().get()).toBe(1n)
  })

  it('gives the dashboard figures from the aggregates', () => {
    importBoth()
    expect(dashboard(temp.ctx, { days: 2 })).toEqual({
      account: null,
      trades: 5,
      wins: 2,
      losses: 3,
      breakeven: 0,
      winRate: 0.4,
      netPnl: '-130',
      grossPnl: '-120',
      fees: '10',
      grossProfit: '76',
      grossLoss: '-206',
      profitFactor: 76 / 206,
      expectancy: '-26',
      largestWin: '48',
      largestLoss: '-102',
      maxDrawdown: '130',
      tradingDays: 3,
      // One position is still open, and no candles are stored to mark it.
      openPositions: 1,
      markedPositions: 0,
      unrealizedPnl: null,
      bestDay: { date: '2026-03-02', netPnl: '-26' },
      // Two days lost 52: the first of them is the worst.
      worstDay: { date: '2026-03-03', netPnl: '-52' },
      daily: [
        { date: '2026-03-03', trades: 1, netPnl: '-52', cumulative: '-78' },
        { date: '2026-03-04', trades: 1, netPnl: '-52', cumulative: '-130' },
      ],
    })
    expect(dashboard(temp.ctx, { account: 'Main', days: 0 })).toMatchObject({
      account: 'Main',
      trades: 5,
      daily: [],
    })
    expect(() => dashboard(temp.ctx, { account: 'Nope', days: 0 })).toThrow(/No account Nope/)
  })

  it('agrees with stats.summary on every shared figure; its drawdown is of day-end equity', () => {
    // One day: +100, then −150, then +60 (net of fees). Per trade the equity falls 150 from its
    // peak of 100; at the day's end it stands at +10 and never fell below a previous day's peak.
    const day = csv([
      '2026-03-02T14:00:00Z,Main,AAA,buy,1,100,0,stock',
      '2026-03-02T14:10:00Z,Main,AAA,sell,1,200,0,stock',
      '2026-03-02T14:20:00Z,Main,BBB,buy,1,300,0,stock',
      '2026-03-02T14:30:00Z,Main,BBB,sell,1,150,0,stock',
      '2026-03-02T14:40:00Z,Main,CCC,buy,3,50,0,stock',
      '2026-03-02T14:50:00Z,Main,CCC,sell,3,70,0,stock',
    ])
    expect(importFile(temp.ctx, 'day.csv', day, { format: 'auto' }).status).toBe('imported')
    const board = dashboard(temp.ctx, { days: 0 })
    const stats = statsSummary(temp.ctx, {})
    for (const field of [
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
      'largestWin',
      'largestLoss',
    ] as const) {
      expect(board[field], field).toEqual(stats[field])
    }
    expect(board.winRate).toBe(2 / 3)
    expect(board.profitFactor).toBe(160 / 150)
    expect([board.maxDrawdown, stats.maxDrawdown]).toEqual(['0', '150'])
  })
})
