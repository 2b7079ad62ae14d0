import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { blotter } from '../support/cli'

// Long 2 ESH26 @ 5000 (50 per point), one closed AAPL trade, and MSFT open without candles.
const FILLS = `time,account,symbol,side,quantity,price,fee,asset_class,multiplier,currency,order_id,fill_id,note
2026-03-02T14:30:00Z,Main,ESH26,buy,2,5000,4.2,future,50,USD,o1,,
2026-03-02T14:31:00Z,Main,AAPL,buy,10,100,0,stock,,USD,o2,,
2026-03-02T14:32:00Z,Main,AAPL,sell,10,101,0,stock,,USD,o3,,
2026-03-02T14:33:00Z,Main,MSFT,buy,1,400,0,stock,,USD,o4,,
`
const ES_CANDLES = `time,open,high,low,close,volume
2026-03-02T14:59:00Z,5003,5005,5002,5004.5,10
`

describe('blotter trades: unrealized P&L of open trades', () => {
  let dir: string
  let cleanup: () => void
  let db: string
  beforeEach(() => {
    ;({ dir, cleanup } = tempDir())
    db = join(dir, 'journal.db')
  })
  afterEach(() => cleanup())

  it('--json adds markPrice, markedAt and unrealizedPnl to the fixed fields', () => {
    const fills = join(dir, 'fills.csv')
    const candles = join(dir, 'es-1m.csv')
    writeFileSync(fills, FILLS)
    writeFileSync(candles, ES_CANDLES)
    expect(blotter(['import', fills, '--db', db]).code).toBe(0)
    const imported = blotter([
      'candles',
      'import',
      candles,
      '--symbol',
      'ESH26',
      '--timeframe',
      '1m',
      '--db',
      db,
    ])
    expect(imported.code).toBe(0)

    const trades = JSON.parse(blotter(['trades', '--json', '--db', db]).stdout)
    expect(trades).toEqual([
      expect.objectContaining({
        symbol: 'ESH26',
        status: 'open',
        quantity: '2',
        entryPrice: '5000',
        netPnl: null,
        // (5004.5 − 5000) × 2 × 50 = 450; the 4.2 of fees paid is in fees, not here.
        fees: '4.2',
        markPrice: '5004.5',
        markedAt: '2026-03-02T14:59:00.000Z',
        unrealizedPnl: '450',
      }),
      expect.objectContaining({
        symbol: 'AAPL',
        status: 'closed',
        netPnl: '10',
        markPrice: null,
        markedAt: null,
        unrealizedPnl: null,
      }),
      expect.objectContaining({
        symbol: 'MSFT',
        status: 'open',
        markPrice: null,
        markedAt: null,
        unrealizedPnl: null,
      }),
    ])

    const text = blotter(['trades', '--status', 'open', '--db', db]).stdout.trim().split('\n')
    expect(text).toHaveLength(2)
    expect(text[0]).toMatch(
      /ESH26 {2}open {2}net - {2}unrealized 450 at 5004\.5 \(2026-03-02T14:59:00\.000Z\)$/,
    )
    expect(text[1]).toMatch(/MSFT {2}open {2}net -$/)
  })
})
