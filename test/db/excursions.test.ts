/**
 * MAE and MFE from stored candles, end to end: fills imported with importFile, 1m candles through
 * `candles.import`, figures read through `trades.excursion`, `stats.summary` and `stats.groups`.
 * Every figure worked out by hand below.
 */
import { describe, expect, it } from 'vitest'
import type { Method, MethodInput, MethodResult, RpcError } from '../../contract'
import { windowExtremes } from '../../core/stats'
import { createServices } from '../../services'
import { dispatch } from '../../services/dispatch'
import { importFile } from '../../services/import'
import { useTempJournal } from '../support/journal'

/**
 * | # | symbol | side  | open → close (UTC)      | entry | qty | initial risk |
 * | 1 | AAPL   | long  | 14:30:30 → 14:33:00     | 150   | 100 | 100          |
 * | 2 | AAPL   | short | 14:35:00 → 14:37:20     | 152   | 50  | 50           |
 * | 3 | MSFT   | long  | 14:30:00 → 14:40:00     | 400   | 10  | 20 (no candles) |
 * | 4 | AAPL   | long  | 14:38:10 → 14:38:50     | 150   | 10  | none         |
 */
const FILLS = `time,account,symbol,side,quantity,price,fee,asset_class,multiplier,currency,order_id,fill_id,note
2026-03-02T14:30:30Z,Main,AAPL,buy,100,150,0,stock,,USD,o1,,
2026-03-02T14:33:00Z,Main,AAPL,sell,100,151,0,stock,,USD,o2,,
2026-03-02T14:35:00Z,Main,AAPL,sell,50,152,0,stock,,USD,o3,,
2026-03-02T14:37:20Z,Main,AAPL,buy,50,151.5,0,stock,,USD,o4,,
2026-03-02T14:30:00Z,Main,MSFT,buy,10,400,0,stock,,USD,o5,,
2026-03-02T14:40:00Z,Main,MSFT,sell,10,401,0,stock,,USD,o6,,
2026-03-02T14:38:10Z,Main,AAPL,buy,10,150,0,stock,,USD,o7,,
2026-03-02T14:38:50Z,Main,AAPL,sell,10,151,0,stock,,USD,o8,,
`

/**
 * AAPL 1m candles. The ones marked "outside" have extremes that would change a figure if they
 * were wrongly counted: 14:29 ends before trade 1 opens; 14:33 opens at trade 1's exit instant;
 * 14:34 is between trades 1 and 2; 14:38 is after trade 2 (and all of trade 4).
 */
const CANDLES = `time,open,high,low,close,volume
2026-03-02T14:29:00Z,150,150.4,149,150,100
2026-03-02T14:30:00Z,150,150.5,149.8,150.2,100
2026-03-02T14:31:00Z,150.2,151.2,149.5,151,100
2026-03-02T14:32:00Z,151,151.6,150.8,151,100
2026-03-02T14:33:00Z,151,153,148,152,100
2026-03-02T14:34:00Z,152,154,151,152,100
2026-03-02T14:35:00Z,152,152.3,151.7,152,100
2026-03-02T14:36:00Z,152,152.8,151.2,151.5,100
2026-03-02T14:37:00Z,151.5,151.9,150.9,151.5,100
2026-03-02T14:38:00Z,151.5,155,145,151,100
`

describe('MAE and MFE from candles', () => {
  const temp = useTempJournal()

  async function call<M extends Method>(
    method: M,
    input: MethodInput<M>,
  ): Promise<MethodResult<M>> {
    const response = await dispatch(createServices(temp.ctx), method, input)
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`)
    return response.value as MethodResult<M>
  }
  async function refused<M extends Method>(method: M, input: MethodInput<M>): Promise<RpcError> {
    const response = await dispatch(createServices(temp.ctx), method, input)
    if (response.ok) throw new Error(`${method} succeeded`)
    return response.error
  }

  /** Imports the fills (and the candles unless told not to); returns trade ids #1 … #4. */
  async function seed(withCandles = true): Promise<[string, string, string, string]> {
    expect(importFile(temp.ctx, 'fills.csv', Buffer.from(FILLS), { format: 'auto' })).toMatchObject(
      { status: 'imported', errors: [] },
    )
    const sqlite = temp.journal.sqlite
    const id = (symbol: string, openedAt: string) =>
      sqlite
        .prepare(
          `SELECT p.id FROM positions p JOIN instruments i ON i.id = p.instrument_id
           WHERE i.symbol = ? AND p.opened_at = ?`,
        )
        .pluck()
        .get(symbol, Date.parse(openedAt)) as string
    const ids: [string, string, string, string] = [
      id('AAPL', '2026-03-02T14:30:30Z'),
      id('AAPL', '2026-03-02T14:35:00Z'),
      id('MSFT', '2026-03-02T14:30:00Z'),
      id('AAPL', '2026-03-02T14:38:10Z'),
    ]
    // Initial risk: #1 stop 149 → 1 × 100 shares; #2 stop 153 → 1 × 50; #3 stop 398 → 2 × 10.
    const risk = sqlite.prepare(`UPDATE positions SET initial_risk = ? WHERE id = ?`)
    risk.run(100_00000000n, ids[0])
    risk.run(50_00000000n, ids[1])
    risk.run(20_00000000n, ids[2])
    if (withCandles) {
      const imported = await call('candles.import', {
        file: { name: 'aapl-1m.csv', content: Buffer.from(CANDLES).toString('base64') },
        symbol: 'AAPL',
        timeframe: '1m',
      })
      expect(imported).toMatchObject({ status: 'imported', candles: 10 })
    }
    return ids
  }

  it('gives each trade its MAE and MFE in price and in R', async () => {
    const [long, short, noCandles, noRisk] = await seed()
    // #1 long from 150 over 14:30, 14:31, 14:32: lowest low 149.5, highest high 151.6.
    // MAE 150 − 149.5 = 0.5, MFE 151.6 − 150 = 1.6; point value 100 × 1 = 100, risk 100:
    // maeR = −0.5 × 100 / 100 = −0.5, mfeR = 1.6 × 100 / 100 = 1.6.
    expect(await call('trades.excursion', { id: long })).toEqual({
      id: long,
      timeframe: '1m',
      candles: 3,
      maePrice: '0.5',
      mfePrice: '1.6',
      maeR: -0.5,
      mfeR: 1.6,
    })
    // #2 short from 152 over 14:35, 14:36, 14:37: highest high 152.8, lowest low 150.9.
    // MAE 152.8 − 152 = 0.8, MFE 152 − 150.9 = 1.1; point value 50, risk 50: −0.8 R, 1.1 R.
    expect(await call('trades.excursion', { id: short })).toEqual({
      id: short,
      timeframe: '1m',
      candles: 3,
      maePrice: '0.8',
      mfePrice: '1.1',
      maeR: -0.8,
      mfeR: 1.1,
    })
    // #4 long from 150 inside the 14:38 candle only: MAE 150 − 145 = 5, MFE 155 − 150 = 5; no risk.
    expect(await call('trades.excursion', { id: noRisk })).toEqual({
      id: noRisk,
      timeframe: '1m',
      candles: 1,
      maePrice: '5',
      mfePrice: '5',
      maeR: null,
      mfeR: null,
    })
    expect(await call('trades.excursion', { id: noCandles })).toEqual({
      id: noCandles,
      timeframe: null,
      candles: 0,
      maePrice: null,
      mfePrice: null,
      maeR: null,
      mfeR: null,
    })
    expect(await refused('trades.excursion', { id: 'nope' })).toMatchObject({
      code: 'not_found',
      message: 'No closed trade with id "nope"',
    })
  })

  it('averages MAE and MFE in R over the trades with candles and a risk', async () => {
    await seed()
    // #1 and #2 only (#3 has no candles, #4 no risk):
    // avgMaeR = (−0.5 − 0.8) / 2 = −0.65, avgMfeR = (1.6 + 1.1) / 2 = 1.35.
    const summary = await call('stats.summary', {})
    expect(summary.trades).toBe(4)
    expect(summary.rTrades).toBe(3)
    expect(summary.excursionTrades).toBe(2)
    expect(summary.avgMaeR).toBeCloseTo(-0.65, 12)
    expect(summary.avgMfeR).toBeCloseTo(1.35, 12)
    // By side, each group reads its own trades' excursions.
    const bySide = await call('stats.groups', { groupBy: 'side' })
    const pick = (key: string) => {
      const group = bySide.groups.find((g) => g.key === key)
      return [group?.excursionTrades, group?.avgMaeR, group?.avgMfeR]
    }
    expect(pick('long')).toEqual([1, -0.5, 1.6])
    expect(pick('short')).toEqual([1, -0.8, 1.1])
    // A filter to the trade without candles leaves no excursion.
    const msft = await call('stats.summary', { symbol: 'MSFT' })
    expect([msft.trades, msft.excursionTrades, msft.avgMaeR, msft.avgMfeR]).toEqual([
      1,
      0,
      null,
      null,
    ])
  })

  it('reports no excursion when no candles are stored', async () => {
    await seed(false)
    const summary = await call('stats.summary', {})
    expect([summary.excursionTrades, summary.avgMaeR, summary.avgMfeR]).toEqual([0, null, null])
    const groups = await call('stats.groups', { groupBy: 'symbol' })
    expect(groups.groups.map((g) => g.excursionTrades)).toEqual([0, 0])
  })
})

describe('windowExtremes', () => {
  const bar = (time: number, high: number, low: number) => ({
    time,
    high: BigInt(high),
    low: BigInt(low),
  })

  it('sweeps overlapping windows in one pass and leaves a window without bars null', () => {
    const bars = [bar(0, 10, 5), bar(1, 12, 7), bar(2, 9, 3), bar(3, 11, 8), bar(5, 20, 1)]
    // [0, 2]: highs 10, 12, 9 → 12; lows 5, 7, 3 → 3. [1, 3]: 12 and 3, three bars.
    // [4, 4]: no bar opens at 4. [3, 5]: bars 3 and 5 → 20 and 1.
    expect(
      windowExtremes(
        [
          { first: 0, last: 2 },
          { first: 1, last: 3 },
          { first: 3, last: 5 },
          { first: 4, last: 4 },
        ],
        bars,
      ),
    ).toEqual([
      { high: 12n, low: 3n, candles: 3 },
      { high: 12n, low: 3n, candles: 3 },
      { high: 20n, low: 1n, candles: 2 },
      null,
    ])
  })
})
