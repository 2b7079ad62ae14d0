/**
 * Unrealized P&L of open positions, end to end: fills imported with importFile, candles through
 * `candles.import`, figures read through `trades.list` and `stats.dashboard`. Every figure worked
 * out by hand below.
 */
import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import type { Method, MethodInput, MethodResult, TradeView } from '../../contract'
import { createServices } from '../../services'
import { dispatch } from '../../services/dispatch'
import { importFile } from '../../services/import'
import { useTempJournal } from '../support/journal'

/**
 * The same three AAPL fills in three accounts, one per lot matching: buy 10 @ 100, buy 10 @ 110,
 * sell 10 @ 120 (fee 2); each stays long 10. Main also holds:
 * - ESH26 (50 per point): buy 1 @ 5000, sell 3 @ 5010: the long closes and short 2 @ 5010 opens
 *   from the rest of that fill;
 * - NVDA: a round trip closed at 15:00 by one fill and a new one opened at 15:00 by the next line;
 * - MSFT: open, and no candles of it.
 */
const FILLS = `time,account,symbol,side,quantity,price,fee,asset_class,multiplier,currency,order_id,fill_id,note
2026-03-02T14:30:00Z,Main,AAPL,buy,10,100,0,stock,,USD,o1,,
2026-03-02T14:31:00Z,Main,AAPL,buy,10,110,0,stock,,USD,o2,,
2026-03-02T14:32:00Z,Main,AAPL,sell,10,120,2,stock,,USD,o3,,
2026-03-02T14:30:00Z,Lifo,AAPL,buy,10,100,0,stock,,USD,o4,,
2026-03-02T14:31:00Z,Lifo,AAPL,buy,10,110,0,stock,,USD,o5,,
2026-03-02T14:32:00Z,Lifo,AAPL,sell,10,120,2,stock,,USD,o6,,
2026-03-02T14:30:00Z,Average,AAPL,buy,10,100,0,stock,,USD,o7,,
2026-03-02T14:31:00Z,Average,AAPL,buy,10,110,0,stock,,USD,o8,,
2026-03-02T14:32:00Z,Average,AAPL,sell,10,120,2,stock,,USD,o9,,
2026-03-02T14:40:00Z,Main,ESH26,buy,1,5000,2.1,future,50,USD,o10,,
2026-03-02T14:45:00Z,Main,ESH26,sell,3,5010,6.3,future,50,USD,o11,,
2026-03-02T14:50:00Z,Main,NVDA,buy,10,50,0,stock,,USD,o12,,
2026-03-02T15:00:00Z,Main,NVDA,sell,10,55,0,stock,,USD,o13,,
2026-03-02T15:00:00Z,Main,NVDA,buy,5,54,0,stock,,USD,o14,,
2026-03-02T14:30:00Z,Main,MSFT,buy,3,400,0,stock,,USD,o15,,
`

/**
 * AAPL: the 1m candles end at 14:59 (close 115); the 5m candles go on to 15:05 (close 130) but
 * are coarser, so the 1m close marks. A second source has a 14:59 candle too (close 999): the
 * first source in name order ('csv') wins the timestamp.
 */
const AAPL_1M = `time,open,high,low,close,volume
2026-03-02T14:58:00Z,112,113,111,112,100
2026-03-02T14:59:00Z,112,116,111,115,100
`
const AAPL_1M_OTHER_SOURCE = `time,open,high,low,close,volume
2026-03-02T14:59:00Z,999,999,999,999,1
`
const AAPL_5M = `time,open,high,low,close,volume
2026-03-02T15:05:00Z,120,131,119,130,100
`
const ES_1M = `time,open,high,low,close,volume
2026-03-02T15:10:00Z,5001,5002,5000,5000.25,10
`
const NVDA_1M = `time,open,high,low,close,volume
2026-03-02T15:01:00Z,55,56.5,54,56,10
`

describe('unrealized P&L of open positions', () => {
  const temp = useTempJournal()

  async function call<M extends Method>(
    method: M,
    input: MethodInput<M>,
  ): Promise<MethodResult<M>> {
    const response = await dispatch(createServices(temp.ctx), method, input)
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`)
    return response.value as MethodResult<M>
  }

  async function candles(symbol: string, timeframe: '1m' | '5m', csv: string, source = 'csv') {
    const imported = await call('candles.import', {
      file: { name: `${symbol}.csv`, content: Buffer.from(csv).toString('base64') },
      symbol,
      timeframe,
      source,
    })
    expect(imported).toMatchObject({ status: 'imported' })
  }

  /** Accounts made first, so the import finds them with their lot matching. */
  function seedFills() {
    const account = temp.journal.sqlite.prepare(
      `INSERT INTO accounts (id, name, broker, lot_matching) VALUES (?, ?, 'manual', ?)`,
    )
    account.run(uuidv7(), 'Lifo', 'lifo')
    account.run(uuidv7(), 'Average', 'average')
    expect(importFile(temp.ctx, 'fills.csv', Buffer.from(FILLS), { format: 'auto' })).toMatchObject(
      { status: 'imported', errors: [] },
    )
  }

  async function seedCandles() {
    await candles('AAPL', '1m', AAPL_1M)
    await candles('AAPL', '1m', AAPL_1M_OTHER_SOURCE, 'other')
    await candles('AAPL', '5m', AAPL_5M)
    await candles('ESH26', '1m', ES_1M)
    await candles('NVDA', '1m', NVDA_1M)
  }

  /** Mark figures by account and symbol (rows opened at the same instant come in id order). */
  const marks = (rows: TradeView[]) =>
    rows
      .map((row) => ({
        account: row.account,
        symbol: row.symbol,
        status: row.status,
        realizedPnl: row.realizedPnl,
        markPrice: row.markPrice,
        markedAt: row.markedAt,
        unrealizedPnl: row.unrealizedPnl,
      }))
      .sort((a, b) => `${a.account} ${a.symbol}`.localeCompare(`${b.account} ${b.symbol}`))

  it('marks each open trade to its latest candle close, by its account’s lot matching', async () => {
    seedFills()
    await seedCandles()
    const page = await call('trades.list', { status: 'open' })
    const aapl = { symbol: 'AAPL', status: 'open', markPrice: '115' }
    const at1459 = '2026-03-02T14:59:00.000Z'
    expect(marks(page.rows)).toEqual([
      // Average cost 105: (115 − 105) × 10 = 100.
      { ...aapl, account: 'Average', realizedPnl: '148', markedAt: at1459, unrealizedPnl: '100' },
      // LIFO sold the 110 lot: (115 − 100) × 10 = 150.
      { ...aapl, account: 'Lifo', realizedPnl: '98', markedAt: at1459, unrealizedPnl: '150' },
      // FIFO sold the 100 lot: (115 − 110) × 10 = 50.
      { ...aapl, account: 'Main', realizedPnl: '198', markedAt: at1459, unrealizedPnl: '50' },
      // Short 2 @ 5010 (the sell's rest) at 5000.25: (5010 − 5000.25) × 2 × 50 = 975. The
      // rest's fee share, 6.3 × 2 / 3 = 4.2, is not in it (nor realized yet: none closed).
      {
        account: 'Main',
        symbol: 'ESH26',
        status: 'open',
        realizedPnl: '0',
        markPrice: '5000.25',
        markedAt: '2026-03-02T15:10:00.000Z',
        unrealizedPnl: '975',
      },
      // No MSFT candles: unknown, not 0.
      {
        account: 'Main',
        symbol: 'MSFT',
        status: 'open',
        realizedPnl: '0',
        markPrice: null,
        markedAt: null,
        unrealizedPnl: null,
      },
      // Long 5 @ 54 only (the 15:00 sell belongs to the closed round trip): (56 − 54) × 5 = 10.
      {
        account: 'Main',
        symbol: 'NVDA',
        status: 'open',
        realizedPnl: '0',
        markPrice: '56',
        markedAt: '2026-03-02T15:01:00.000Z',
        unrealizedPnl: '10',
      },
    ])
    // Closed trades carry no mark.
    const closed = await call('trades.list', { status: 'closed' })
    expect(closed.rows).toHaveLength(2)
    for (const row of closed.rows) {
      expect(row).toMatchObject({ markPrice: null, markedAt: null, unrealizedPnl: null })
    }
  })

  it('totals the marked open positions on the dashboard, per account and journal-wide', async () => {
    seedFills()
    // Before any candle: six open positions, none marked, total unknown.
    expect(await call('stats.dashboard', {})).toMatchObject({
      openPositions: 6,
      markedPositions: 0,
      unrealizedPnl: null,
    })
    await seedCandles()
    // 50 + 150 + 100 + 975 + 10 = 1285; MSFT is open but not marked.
    expect(await call('stats.dashboard', {})).toMatchObject({
      openPositions: 6,
      markedPositions: 5,
      unrealizedPnl: '1285',
    })
    // Main: AAPL 50 + ESH26 975 + NVDA 10 = 1035, and MSFT unmarked.
    expect(await call('stats.dashboard', { account: 'Main' })).toMatchObject({
      openPositions: 4,
      markedPositions: 3,
      unrealizedPnl: '1035',
    })
    expect(await call('stats.dashboard', { account: 'Lifo' })).toMatchObject({
      openPositions: 1,
      markedPositions: 1,
      unrealizedPnl: '150',
    })
  })

  it('leaves a position unmarked when its fills do not make its round trip again', async () => {
    seedFills()
    await seedCandles()
    // Rows out of step with their fills (what a read outside the writing transaction could see).
    const tamper = (account: string, change: string) =>
      temp.journal.sqlite
        .prepare(
          `UPDATE positions SET ${change} WHERE status = 'open'
             AND account_id = (SELECT id FROM accounts WHERE name = ?)`,
        )
        .run(account)
    // Lifo: the row says 11 opened; the fills opened 10 (so an entry of 109.09…, not 105).
    tamper('Lifo', 'quantity = 11 * 100000000')
    // Average: the row says 2 fills; the last two (buy 10, sell 10) make a closed round trip.
    tamper('Average', 'fill_count = 2')
    const page = await call('trades.list', { symbol: 'AAPL', status: 'open' })
    expect(marks(page.rows)).toMatchObject([
      { account: 'Average', markPrice: null, markedAt: null, unrealizedPnl: null },
      { account: 'Lifo', markPrice: null, markedAt: null, unrealizedPnl: null },
      { account: 'Main', markPrice: '115', unrealizedPnl: '50' },
    ])
  })
})
