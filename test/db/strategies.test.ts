import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Method, MethodInput, MethodResult } from '../../contract'
import { createServices } from '../../services'
import { dispatch } from '../../services/dispatch'
import { importFile } from '../../services/import'
import { undoImport } from '../../services/journal'
import { useTempJournal, type TempJournal } from '../support/journal'

const FIXTURES = 'test/fixtures/strategies'
const fixture = (name: string) => readFileSync(join(FIXTURES, name))
const asFile = (name: string) => ({ name, content: fixture(name).toString('base64') })

/** Calls a method through the contract (zod defaults and all), failing with its error code. */
async function call<M extends Method>(
  t: TempJournal,
  method: M,
  input: MethodInput<M>,
): Promise<MethodResult<M>> {
  const response = await dispatch(createServices(t.ctx), method, input)
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`)
  return response.value as MethodResult<M>
}

async function setUpLiveTrades(t: TempJournal) {
  await call(t, 'settings.set', { key: 'journal.timezone', value: 'America/New_York' })
  const imported = importFile(t.ctx, 'live-fills.csv', fixture('live-fills.csv'), {
    format: 'auto',
  })
  expect(imported.status).toBe('imported')
  return { batchId: imported.batchId as string, trips: liveTrips(t) }
}

/**
 * The six round trips of live-fills.csv by a short name (times New York, EST = UTC−5):
 * T1 ESH6 long Mon 03-02 09:45–10:30, T2 ESH6 short Tue 03-03 10:10, T3 ESH6 long Wed 14:00,
 * T4 AAPL long Mon 10:00, T5 AAPL short Thu 09:35, T6 NQH6 long Fri 09:40 in account IRA.
 */
function liveTrips(t: TempJournal): Record<'T1' | 'T2' | 'T3' | 'T4' | 'T5' | 'T6', string> {
  const rows = t.journal.sqlite
    .prepare(
      `SELECT p.id, i.symbol, p.opened_at FROM positions p JOIN instruments i ON i.id = p.instrument_id
       WHERE p.deleted_at IS NULL ORDER BY p.opened_at`,
    )
    .raw()
    .all() as [string, string, bigint][]
  const at = (symbol: string, iso: string) => {
    const row = rows.find(([, s, openedAt]) => s === symbol && Number(openedAt) === Date.parse(iso))
    if (!row) throw new Error(`no ${symbol} round trip opened at ${iso}`)
    return row[0]
  }
  return {
    T1: at('ESH26', '2026-03-02T14:45:00Z'),
    T2: at('ESH26', '2026-03-03T15:10:00Z'),
    T3: at('ESH26', '2026-03-04T19:00:00Z'),
    T4: at('AAPL', '2026-03-02T15:00:00Z'),
    T5: at('AAPL', '2026-03-05T14:35:00Z'),
    T6: at('NQH26', '2026-03-06T14:40:00Z'),
  }
}

function strategyOf(t: TempJournal, positionId: string): string | null {
  return t.journal.sqlite
    .prepare(
      `SELECT s.name FROM positions p LEFT JOIN strategies s ON s.id = p.strategy_id WHERE p.id = ?`,
    )
    .pluck()
    .get(positionId) as string | null
}

function performance(t: TempJournal, strategy: string) {
  return (
    t.journal.sqlite
      .prepare(
        `SELECT sp.date, sp.trades, sp.net_pnl FROM strategy_performance sp
         JOIN strategies s ON s.id = sp.strategy_id
         WHERE s.name = ? AND sp.deleted_at IS NULL AND sp.trades > 0 ORDER BY sp.date`,
      )
      .raw()
      .all(strategy) as [string, bigint, bigint][]
  ).map(([date, trades, net]) => ({ date, trades: Number(trades), net: Number(net) / 1e8 }))
}

describe('strategies and their versions', () => {
  const t = useTempJournal()

  it('writes version 1 at creation and a new version on every config or rules change only', async () => {
    const created = await call(t, 'strategies.create', {
      name: 'Opening Drive',
      type: 'systematic',
      config: { stopTicks: 8, target: { r: 2 } },
      tags: ['futures', ' morning ', 'futures'],
      rules: ['Wait for the first 5-minute bar', 'Stop under its low'],
      changeNote: 'first draft',
    })
    expect(created).toMatchObject({
      configVersion: 1,
      version: 1,
      status: 'active',
      tags: ['futures', 'morning'],
      rules: [
        { id: 'r1', text: 'Wait for the first 5-minute bar' },
        { id: 'r2', text: 'Stop under its low' },
      ],
    })
    expect(created.versions).toMatchObject([{ version: 1, changeNote: 'first draft' }])

    // Config change: version 2, with the note.
    const v2 = await call(t, 'strategies.update', {
      strategy: 'opening drive',
      version: 1,
      config: { stopTicks: 10, target: { r: 2 } },
      changeNote: 'wider stop',
    })
    expect(v2).toMatchObject({ configVersion: 2, version: 2 })

    // Name, tags and status only: labels, no new version.
    const renamed = await call(t, 'strategies.update', {
      strategy: v2.id,
      version: 2,
      name: 'Opening Drive ES',
      tags: ['es'],
      status: 'paused',
    })
    expect(renamed).toMatchObject({ name: 'Opening Drive ES', configVersion: 2, version: 3 })

    // The same config with its keys in another order is no change either.
    const same = await call(t, 'strategies.update', {
      strategy: v2.id,
      version: 3,
      config: { target: { r: 2 }, stopTicks: 10 },
    })
    expect(same.configVersion).toBe(2)

    // Rules change: version 3. Re-sent texts keep their ids; a new line gets the next one.
    const v3 = await call(t, 'strategies.update', {
      strategy: v2.id,
      version: same.version,
      rules: ['Stop under its low', 'No trade after 11:00'],
    })
    expect(v3.configVersion).toBe(3)
    expect(v3.rules).toEqual([
      { id: 'r2', text: 'Stop under its low' },
      { id: 'r3', text: 'No trade after 11:00' },
    ])
    expect(v3.versions.map((v) => [v.version, v.config.stopTicks, v.rules.length])).toEqual([
      [1, 8, 2],
      [2, 10, 2],
      [3, 10, 2],
    ])
    expect(v3.versions.map((v) => v.changeNote)).toEqual(['first draft', 'wider stop', null])
    // strategies is audited: creation and the four writes that changed the row.
    const audited = t.journal.sqlite
      .prepare(`SELECT count(*) FROM audit_log WHERE table_name = 'strategies' AND row_id = ?`)
      .pluck()
      .get(v2.id)
    expect(audited).toBe(5n)
  })

  it('rejects a stale edit and leaves the strategy as the first edit made it', async () => {
    const created = await call(t, 'strategies.create', { name: 'Fade' })
    await call(t, 'strategies.update', { strategy: 'Fade', version: 1, description: 'first' })
    await expect(
      call(t, 'strategies.update', { strategy: 'Fade', version: 1, config: { x: 1 } }),
    ).rejects.toThrow(
      /conflict: Strategy "Fade" changed since you read it \(your edit is based on version 1, it is now at version 2\)/,
    )
    const now = await call(t, 'strategies.get', { strategy: created.id })
    expect(now).toMatchObject({ description: 'first', config: {}, configVersion: 1, version: 2 })
    expect(now.versions).toHaveLength(1)
  })

  it('keeps names unique among live strategies whatever their case', async () => {
    await call(t, 'strategies.create', { name: 'ORB' })
    const other = await call(t, 'strategies.create', { name: 'Gap fill' })
    await expect(call(t, 'strategies.create', { name: 'orb' })).rejects.toThrow(
      'conflict: A strategy named "ORB" already exists',
    )
    await expect(
      call(t, 'strategies.update', { strategy: other.id, version: 1, name: 'Orb' }),
    ).rejects.toThrow(/conflict/)
  })

  it('validates config.assignment with the path of each problem', async () => {
    await expect(
      call(t, 'strategies.create', {
        name: 'Bad rules',
        config: { assignment: [{ symbol: 'ES*' }, { entryTime: { from: '9:30', to: '11:00' } }] },
      }),
    ).rejects.toThrow(/invalid_input: .*config\.assignment\.1\.entryTime\.from: must be a 24-hour/)
  })

  it('archives without deleting: trades stay assigned, new assignments are refused', async () => {
    const { trips } = await setUpLiveTrades(t)
    await call(t, 'strategies.create', { name: 'Old idea' })
    await call(t, 'strategies.assign', { strategy: 'Old idea', trades: [trips.T1] })
    const archived = await call(t, 'strategies.archive', { strategy: 'Old idea' })
    expect(archived).toMatchObject({ status: 'archived', trades: 1 })
    expect(strategyOf(t, trips.T1)).toBe('Old idea')
    await expect(
      call(t, 'strategies.assign', { strategy: 'Old idea', trades: [trips.T2] }),
    ).rejects.toThrow(/conflict: Strategy "Old idea" is archived/)
    expect((await call(t, 'strategies.list', { status: 'archived' })).map((s) => s.name)).toEqual([
      'Old idea',
    ])
  })
})

describe('assigning trades', () => {
  const t = useTempJournal()

  it('assigns by hand, refreshes the performance of the old and the new strategy', async () => {
    const { trips } = await setUpLiveTrades(t)
    await call(t, 'strategies.create', { name: 'A' })
    await call(t, 'strategies.create', { name: 'B' })
    const assigned = await call(t, 'strategies.assign', {
      strategy: 'A',
      trades: [trips.T1, trips.T4, trips.T1],
    })
    expect(assigned).toEqual({ strategy: 'A', changed: 2, unchanged: 0 })
    // Mon 03-02 (New York): T1 ESH6 (5010 − 5000) × 50 − 4.20 = 495.80; T4 AAPL
    // (152 − 150) × 100 − 2 = 198. Together 693.80 in 2 trades.
    expect(performance(t, 'A')).toEqual([{ date: '2026-03-02', trades: 2, net: 693.8 }])

    await call(t, 'strategies.assign', { strategy: 'B', trades: [trips.T4] })
    expect(performance(t, 'A')).toEqual([{ date: '2026-03-02', trades: 1, net: 495.8 }])
    expect(performance(t, 'B')).toEqual([{ date: '2026-03-02', trades: 1, net: 198 }])

    // Unassigning from A leaves B's trade alone.
    const off = await call(t, 'strategies.assign', {
      strategy: 'A',
      trades: [trips.T1, trips.T4],
      unassign: true,
    })
    expect(off).toEqual({ strategy: 'A', changed: 1, unchanged: 1 })
    expect([strategyOf(t, trips.T1), strategyOf(t, trips.T4)]).toEqual([null, 'B'])
    expect(performance(t, 'A')).toEqual([])

    await expect(
      call(t, 'strategies.assign', { strategy: 'A', trades: ['no-such-trade'] }),
    ).rejects.toThrow(/not_found: No trade no-such-trade/)
  })

  it('keeps a manual assignment through undoing and re-importing the fills', async () => {
    const { batchId, trips } = await setUpLiveTrades(t)
    await call(t, 'strategies.create', { name: 'Keeper' })
    await call(t, 'strategies.assign', { strategy: 'Keeper', trades: [trips.T2, trips.T6] })

    undoImport(t.ctx, batchId)
    const live = t.journal.sqlite
      .prepare(`SELECT count(*) FROM positions WHERE deleted_at IS NULL`)
      .pluck()
    expect(live.get()).toBe(0n)

    const again = importFile(t.ctx, 'live-fills.csv', fixture('live-fills.csv'), {
      format: 'auto',
    })
    expect(again.status).toBe('imported')
    // Same round trips, same ids (kept by trade key), still on the strategy.
    expect(liveTrips(t)).toEqual(trips)
    expect([strategyOf(t, trips.T2), strategyOf(t, trips.T6), strategyOf(t, trips.T1)]).toEqual([
      'Keeper',
      'Keeper',
      null,
    ])
  })

  it('applies rules to unassigned trades, keeps manual ones unless forced, reports ambiguity', async () => {
    const { trips } = await setUpLiveTrades(t)
    // ES futures entered 09:30–11:00 New York: T1 (09:45) and T2 (10:10), not T3 (14:00).
    await call(t, 'strategies.create', {
      name: 'Opening Drive',
      config: { assignment: [{ symbol: 'ES*', entryTime: { from: '09:30', to: '11:00' } }] },
    })
    // Every short: T2 and T5.
    await call(t, 'strategies.create', {
      name: 'Shorts',
      config: { assignment: [{ side: 'short' }] },
    })
    // Paused, so only when named: index futures in IRA, T6.
    await call(t, 'strategies.create', {
      name: 'IRA futures',
      status: 'paused',
      config: { assignment: [{ symbol: ['ES*', 'NQ*'], account: 'ira' }] },
    })
    await call(t, 'strategies.create', { name: 'Manual' })
    await call(t, 'strategies.assign', { strategy: 'Manual', trades: [trips.T5] })

    const dry = await call(t, 'strategies.applyRules', { dryRun: true })
    expect(strategyOf(t, trips.T1)).toBeNull()
    const applied = await call(t, 'strategies.applyRules', {})
    for (const result of [dry, applied]) {
      expect(result).toMatchObject({
        assigned: 1, // T1
        reassigned: 0,
        kept: 1, // T5 stays on Manual
        ambiguousCount: 1,
        ambiguous: [{ trade: trips.T2, strategies: ['Opening Drive', 'Shorts'] }],
        strategies: [
          { strategy: 'Opening Drive', matched: 2, assigned: 1 },
          { strategy: 'Shorts', matched: 2, assigned: 0 },
        ],
      })
    }
    expect(applied.dryRun).toBe(false)
    expect(
      [trips.T1, trips.T2, trips.T3, trips.T4, trips.T5, trips.T6].map((id) => strategyOf(t, id)),
    ).toEqual(['Opening Drive', null, null, null, 'Manual', null])

    const forced = await call(t, 'strategies.applyRules', { force: true })
    expect(forced).toMatchObject({ assigned: 0, reassigned: 1, kept: 0, ambiguousCount: 1 })
    expect(strategyOf(t, trips.T5)).toBe('Shorts')
    // Thu 03-05: T5 AAPL short (155 − 154) × 50 − 1 = 49, now Shorts', no longer Manual's.
    expect(performance(t, 'Shorts')).toEqual([{ date: '2026-03-05', trades: 1, net: 49 }])
    expect(performance(t, 'Manual')).toEqual([])

    const named = await call(t, 'strategies.applyRules', { strategy: 'IRA futures' })
    expect(named).toMatchObject({ assigned: 1, ambiguousCount: 0 })
    expect(strategyOf(t, trips.T6)).toBe('IRA futures')
    await expect(call(t, 'strategies.applyRules', { strategy: 'Manual' })).rejects.toThrow(
      /invalid_input: Strategy "Manual" has no assignment rules/,
    )
  })
})

describe('signals', () => {
  const t = useTempJournal()

  it('imports signals and matches each to the round trip it led to', async () => {
    const { trips } = await setUpLiveTrades(t)
    await call(t, 'strategies.create', { name: 'Signals' })
    const result = await call(t, 'signals.import', {
      strategy: 'Signals',
      file: asFile('signals.csv'),
    })
    // 14:40Z long ESH6 → T1 opened 14:45Z (5 min); 09:55 New York = 14:55Z long AAPL → T4 at
    // 15:00Z; 14:50Z short ESH6 → T2 opens 15:10Z, 20 min: outside 15; 15:25Z exit ESH6 → T1
    // closed 15:30Z; 14:42Z long ESH6 → T1 is taken by the 14:40 signal; 14:30Z long NQH6 → T6
    // at 14:40Z in another account. Matched 4, unmatched 2.
    expect(result).toEqual({
      strategy: 'Signals',
      status: 'imported',
      signals: 6,
      duplicates: 0,
      matched: 4,
      unmatched: 2,
      errors: [],
    })
    const page = await call(t, 'signals.list', { strategy: 'Signals' })
    expect(page.rows.map((s) => [s.time, s.symbol, s.direction, s.trade])).toEqual([
      ['2026-03-02T14:40:00.000Z', 'ESH26', 'long', trips.T1],
      ['2026-03-02T14:42:00.000Z', 'ESH26', 'long', null],
      ['2026-03-02T14:55:00.000Z', 'AAPL', 'long', trips.T4],
      ['2026-03-02T15:25:00.000Z', 'ESH26', 'exit', trips.T1],
      ['2026-03-03T14:50:00.000Z', 'ESH26', 'short', null],
      ['2026-03-06T14:30:00.000Z', 'NQH26', 'long', trips.T6],
    ])
    expect(page.rows[0]).toMatchObject({
      price: '4999.75',
      strength: '0.8',
      metadata: { Setup: 'ORB' },
    })
    expect(page.rows[2]?.metadata).toEqual({ Note: 'naive time: New York' })

    // The same file again: every row is a duplicate.
    const again = await call(t, 'signals.import', {
      strategy: 'Signals',
      file: asFile('signals.csv'),
    })
    expect(again).toMatchObject({ signals: 0, duplicates: 6, matched: 0 })

    // A 30-minute window reaches T2 (20 min after the short signal).
    await call(t, 'strategies.create', { name: 'Wide' })
    const wide = await call(t, 'signals.import', {
      strategy: 'Wide',
      file: asFile('signals.csv'),
      windowMinutes: 30,
    })
    expect(wide).toMatchObject({ matched: 5, unmatched: 1 })
    const unmatched = await call(t, 'signals.list', { strategy: 'Wide', matched: false })
    expect(unmatched.rows.map((s) => s.time)).toEqual(['2026-03-02T14:42:00.000Z'])
  })

  it('rejects a file with bad rows whole, naming line and column', async () => {
    await setUpLiveTrades(t)
    await call(t, 'strategies.create', { name: 'Signals' })
    const result = await call(t, 'signals.import', {
      strategy: 'Signals',
      file: asFile('signals-bad.csv'),
    })
    expect(result.status).toBe('rejected')
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'direction'],
      [4, 'time'],
      [4, 'price'],
      [5, 'symbol'],
    ])
    expect(result.errors[3]?.message).toMatch(/No instrument "ZZZZ" in the journal/)
    const stored = t.journal.sqlite.prepare(`SELECT count(*) FROM strategy_signals`).pluck().get()
    expect(stored).toBe(0n)
  })

  it('finds instruments as market data does: any option notation, futures dated by the signal, asset_class for a shared symbol', async () => {
    const fills = [
      'time,account,symbol,side,quantity,price,fee,asset_class,multiplier',
      '2026-03-02T15:00:00Z,Main,AAPL 260320C00150000,buy,1,5.00,0.65,option,',
      '2026-03-02T16:00:00Z,Main,AAPL 260320C00150000,sell,1,6.00,0.65,option,',
      '2019-12-02T15:00:00Z,Main,ESZ9,buy,1,3100,2.10,future,50',
      '2019-12-02T16:00:00Z,Main,ESZ9,sell,1,3110,2.10,future,50',
      '2026-03-03T15:00:00Z,Main,XYZ,buy,10,20,0,stock,',
      '2026-03-03T16:00:00Z,Main,XYZ,sell,10,21,0,stock,',
      '2026-03-03T15:05:00Z,Main,XYZ,buy,1,100,0,crypto,',
      '2026-03-03T16:05:00Z,Main,XYZ,sell,1,101,0,crypto,',
    ].join('\n')
    const imported = importFile(t.ctx, 'mixed.csv', Buffer.from(fills), { format: 'auto' })
    expect(imported.status).toBe('imported')
    await call(t, 'strategies.create', { name: 'Mixed' })
    const signalsFile = (rows: string[]) => ({
      name: 'signals.csv',
      content: Buffer.from(rows.join('\n')).toString('base64'),
    })
    const rows = [
      // Schwab's notation of the OCC option above; ESZ9 in 2019 is ESZ19, not ESZ29.
      '2026-03-02T14:55:00Z,AAPL 03/20/2026 150.00 C,long',
      '2019-12-02T14:58:00Z,ESZ9,long',
      '2026-03-03T15:01:00Z,XYZ,long',
    ]
    const ambiguous = await call(t, 'signals.import', {
      strategy: 'Mixed',
      file: signalsFile(['time,symbol,direction', ...rows]),
    })
    expect(ambiguous).toMatchObject({ status: 'rejected', signals: 0 })
    expect(ambiguous.errors).toEqual([
      {
        line: 4,
        column: 'symbol',
        message:
          '"XYZ" names 2 instruments (crypto, stock): give the asset class in an asset_class column',
      },
    ])

    const result = await call(t, 'signals.import', {
      strategy: 'Mixed',
      file: signalsFile([
        'time,symbol,direction,asset_class',
        ...rows.slice(0, 2).map((row) => `${row},`),
        `${rows[2]},crypto`,
      ]),
    })
    expect(result).toMatchObject({ status: 'imported', signals: 3, matched: 3, errors: [] })
    const page = await call(t, 'signals.list', { strategy: 'Mixed' })
    const tradeOf = (symbol: string, assetClass: string) =>
      t.journal.sqlite
        .prepare(
          `SELECT p.id FROM positions p JOIN instruments i ON i.id = p.instrument_id
           WHERE i.symbol = ? AND i.asset_class = ?`,
        )
        .pluck()
        .get(symbol, assetClass)
    expect(page.rows.map((s) => [s.symbol, s.trade])).toEqual([
      ['ESZ19', tradeOf('ESZ19', 'future')],
      ['AAPL  260320C00150000', tradeOf('AAPL  260320C00150000', 'option')],
      ['XYZ', tradeOf('XYZ', 'crypto')],
    ])
  })
})

describe('backtests', () => {
  const t = useTempJournal()
  const fillCount = () =>
    t.journal.sqlite.prepare(`SELECT count(*) FROM trades`).pluck().get() as bigint

  it('makes round trips of a Blotter fills CSV without touching the live journal', async () => {
    await call(t, 'settings.set', { key: 'journal.timezone', value: 'America/New_York' })
    await call(t, 'strategies.create', { name: 'ORB', config: { length: 5 } })
    await call(t, 'strategies.update', { strategy: 'ORB', version: 1, config: { length: 15 } })
    const result = await call(t, 'backtests.import', {
      strategy: 'orb',
      file: asFile('backtest-fills.csv'),
      parameters: { length: 15 },
    })
    expect(result).toMatchObject({
      status: 'imported',
      kind: 'fills',
      errors: [],
      warnings: ['1 round trip(s) still open at the end of the file: left out of the backtest'],
    })
    // RT1 ESH26 long 2 @ 4900, out 1 @ 4915 and 1 @ 4895: (4915 + 4895 − 2 × 4900) × 50 = 500,
    //     fees 4.20 + 2.10 + 2.10 = 8.40, net 491.60 (Mon 02-02).
    // RT2 ESH26 short 1 @ 4950, out @ 4960: (4950 − 4960) × 50 = −500, fees 4.20, net −504.20.
    // RT3 AAPL long 100 @ 180, out @ 183: 300, fees 2, net 298 (Wed 02-04).
    // The last AAPL buy stays open. Net 491.60 − 504.20 + 298 = 285.40; equity 491.60, −12.60,
    // 285.40: the drawdown from 491.60 to −12.60 is 504.20.
    expect(result.backtest).toMatchObject({
      strategy: 'ORB',
      name: 'backtest-fills.csv',
      strategyVersion: 2,
      periodStart: '2026-02-02',
      periodEnd: '2026-02-04',
      initialCapital: '100000',
      currency: 'USD',
      parameters: { length: 15 },
      status: 'completed',
      trades: 3,
      statistics: {
        trades: 3,
        wins: 2,
        losses: 1,
        netPnl: '285.4',
        grossPnl: '300',
        fees: '14.6',
        grossProfit: '789.6',
        grossLoss: '-504.2',
        maxDrawdown: '504.2',
      },
    })
    const stored = t.journal.sqlite
      .prepare(`SELECT results FROM backtests WHERE id = ?`)
      .pluck()
      .get(result.backtest?.id) as string
    expect(JSON.parse(stored).roundTrips.rows).toEqual([
      [
        'ESH26',
        'long',
        '2',
        '4900',
        '4905',
        '2026-02-02T14:35:00.000Z',
        '2026-02-02T15:30:00.000Z',
        '8.4',
        '500',
        '491.6',
      ],
      [
        'ESH26',
        'short',
        '1',
        '4950',
        '4960',
        '2026-02-03T15:00:00.000Z',
        '2026-02-03T15:20:00.000Z',
        '4.2',
        '-500',
        '-504.2',
      ],
      [
        'AAPL',
        'long',
        '100',
        '180',
        '183',
        '2026-02-04T15:00:00.000Z',
        '2026-02-04T16:00:00.000Z',
        '2',
        '300',
        '298',
      ],
    ])
    expect(fillCount()).toBe(0n)
    expect((await call(t, 'backtests.list', { strategy: 'ORB' })).map((b) => b.id)).toEqual([
      result.backtest?.id,
    ])
  })

  it('reads a round-trip CSV, compares it with the live trades of the same days', async () => {
    const { trips } = await setUpLiveTrades(t)
    await call(t, 'strategies.create', { name: 'Opening Drive' })
    await call(t, 'strategies.assign', { strategy: 'Opening Drive', trades: [trips.T1, trips.T2] })
    const before = fillCount()
    const result = await call(t, 'backtests.import', {
      strategy: 'Opening Drive',
      file: asFile('backtest-round-trips.csv'),
      name: 'ES + AAPL, March',
      initialCapital: '25000',
    })
    // R1 ES long 5000 → 5012 × 50 = 600 − 4.20 = 595.80; R2 ES short 5030 → 5020:
    // (5020 − 5030) × 50 × −1 = 500 − 4.20 = 495.80; R3 AAPL long (buy) 100 × (154 − 155) = −100
    // − 2 = −102, the file's pnl agrees; R4 AAPL long 10 × (151 − 150) × 1 = 10, the file says
    // 12: its pnl wins (gross 12), with a warning. Net 595.80 + 495.80 − 102 + 12 = 1001.60.
    expect(result).toMatchObject({
      status: 'imported',
      kind: 'round-trips',
      warnings: [
        "line 5: pnl 12 differs from (exit − entry) × quantity × multiplier − fees = 10; the file's pnl is used",
      ],
      backtest: {
        name: 'ES + AAPL, March',
        periodStart: '2026-03-02',
        periodEnd: '2026-03-06',
        initialCapital: '25000',
        trades: 4,
        statistics: {
          trades: 4,
          wins: 3,
          losses: 1,
          netPnl: '1001.6',
          grossPnl: '1012',
          fees: '10.4',
        },
      },
    })
    expect(fillCount()).toBe(before)

    const id = result.backtest?.id as string
    const comparison = await call(t, 'backtests.compare', {
      strategy: 'Opening Drive',
      backtest: id,
    })
    // Live, closed 03-02..03-06: T1 495.80 and T2 (5020 − 5025) × 50 − 4.20 = −254.20: 2 trades,
    // 1 win, net 241.60, fees 8.40, win rate 0.5. Backtest: 4 trades, 3 wins, 1001.60, 10.40, 0.75.
    expect(comparison.period).toEqual({ from: '2026-03-02', to: '2026-03-06' })
    expect(comparison.liveStats).toMatchObject({
      trades: 2,
      wins: 1,
      netPnl: '241.6',
      winRate: 0.5,
    })
    expect(comparison.backtestStats).toMatchObject({
      trades: 4,
      wins: 3,
      netPnl: '1001.6',
      winRate: 0.75,
    })
    expect(comparison.differences).toMatchObject({
      trades: -2,
      wins: -2,
      losses: 0,
      netPnl: '-760',
      fees: '-2',
      winRate: -0.25,
      grossPnl: '-762', // live 500 − 250 = 250; backtest 600 + 500 − 100 + 12 = 1012
    })

    // From Tue 03-03 only T2 counts.
    const later = await call(t, 'backtests.compare', {
      strategy: 'Opening Drive',
      backtest: id,
      from: '2026-03-03',
    })
    expect(later.liveStats).toMatchObject({ trades: 1, netPnl: '-254.2' })
    await expect(
      call(t, 'backtests.compare', { strategy: 'Opening Drive', backtest: 'nope' }),
    ).rejects.toThrow(/not_found: No backtest nope of strategy "Opening Drive"/)
  })

  it('rejects a file of neither kind, and a round-trip file with bad rows, writing nothing', async () => {
    await call(t, 'strategies.create', { name: 'S' })
    const neither = await call(t, 'backtests.import', {
      strategy: 'S',
      file: { name: 'x.csv', content: Buffer.from('a,b\n1,2\n').toString('base64') },
    })
    expect(neither).toMatchObject({ status: 'rejected', kind: null, backtest: null })
    const bad = [
      'symbol,side,entry_time,exit_time,quantity,entry_price,exit_price',
      'ES,long,2026-03-02T14:40:00Z,2026-03-02T14:30:00Z,1,5000,5012',
      'ES,flat,2026-03-02T14:40:00Z,2026-03-02T15:30:00Z,0,5000,abc',
    ].join('\n')
    const rejected = await call(t, 'backtests.import', {
      strategy: 'S',
      file: { name: 'bad.csv', content: Buffer.from(bad).toString('base64') },
    })
    expect(rejected.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'exit_time'],
      [3, 'side'],
      [3, 'quantity'],
      [3, 'exit_price'],
    ])
    const rows = t.journal.sqlite.prepare(`SELECT count(*) FROM backtests`).pluck().get()
    expect(rows).toBe(0n)
  })
})
