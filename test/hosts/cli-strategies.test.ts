import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { blotter } from '../support/cli'
import { tempDir } from '../support/temp'

const FIXTURES = 'test/fixtures/strategies'

describe('blotter strategies', () => {
  let dir: string
  let cleanup: () => void
  let db: string
  beforeEach(() => {
    ;({ dir, cleanup } = tempDir())
    db = join(dir, 'journal.db')
  })
  afterEach(() => cleanup())

  /** Runs the real CLI in a child process on this test's journal. */
  const cli = (...args: string[]) => blotter(['--db', db, ...args])

  function json(...args: string[]) {
    const result = cli(...args, '--json')
    expect(result, result.stderr).toMatchObject({ code: 0 })
    return JSON.parse(result.stdout)
  }

  it('creates, edits and versions a strategy; a stale edit exits 1 and changes nothing', () => {
    const rules = join(dir, 'rules.md')
    writeFileSync(rules, '- Wait for the first 5-minute bar\n- Stop under its low\n\n')
    expect(
      json(
        'strategies',
        'create',
        'Opening Drive',
        '--type',
        'systematic',
        '--tags',
        'es, morning',
        '--rules-file',
        rules,
      ),
    ).toMatchObject({
      name: 'Opening Drive',
      type: 'systematic',
      tags: ['es', 'morning'],
      rules: [
        { id: 'r1', text: 'Wait for the first 5-minute bar' },
        { id: 'r2', text: 'Stop under its low' },
      ],
      configVersion: 1,
    })
    json('strategies', 'edit', 'opening drive', '--config', '{"stopTicks": 8}', '--note', 'stop')
    json('strategies', 'edit', 'Opening Drive', '--description', 'ES only') // label: no version
    const versions = json('strategies', 'versions', 'Opening Drive')
    expect(
      versions.map((v: { version: number; changeNote: string | null }) => [
        v.version,
        v.changeNote,
      ]),
    ).toEqual([
      [1, null],
      [2, 'stop'],
    ])

    const stale = cli(
      'strategies',
      'edit',
      'Opening Drive',
      '--expect-version',
      '1',
      '--config',
      '{}',
    )
    expect(stale.code).toBe(1)
    expect(stale.stdout).toBe('')
    expect(stale.stderr).toMatch(
      /changed since you read it \(your edit is based on version 1, it is now at version 3\)/,
    )
    // --json before the command works as well as after it.
    expect(json('--json', 'strategies')).toMatchObject([
      { name: 'Opening Drive', configVersion: 2, version: 3 },
    ])

    expect(cli('strategies', 'create', 'X', '--config', '{not json').code).toBe(2)
    expect(cli('strategies', 'create', 'X', '--type', 'gambling').code).toBe(2)
    expect(cli('strategies', 'assign', 'Opening Drive').code).toBe(2) // --trade is required
  })

  it('assigns trades by hand and by rule, imports signals and a backtest, and compares', () => {
    json('settings', 'set', 'journal.timezone', 'America/New_York')
    expect(cli('import', join(FIXTURES, 'live-fills.csv')).code).toBe(0)
    const trades: { id: string; symbol: string; openedAt: string }[] = json('trades')
    const id = (symbol: string, openedAt: string) =>
      trades.find((t) => t.symbol === symbol && t.openedAt === openedAt)?.id as string
    const t1 = id('ESH26', '2026-03-02T14:45:00.000Z')
    const t2 = id('ESH26', '2026-03-03T15:10:00.000Z')

    json('strategies', 'create', 'Opening Drive')
    expect(json('strategies', 'assign', 'Opening Drive', '--trade', t1, t2)).toEqual({
      strategy: 'Opening Drive',
      changed: 2,
      unchanged: 0,
    })
    // AAPL by rule: T4 (net 198) and T5 (net 49).
    json('strategies', 'create', 'Apple', '--config', '{"assignment": [{"symbol": "AAPL"}]}')
    expect(json('strategies', 'apply-rules', 'Apple')).toMatchObject({ assigned: 2 })
    // T1 (5010 − 5000) × 50 − 4.20 = 495.80; T2 (5020 − 5025) × 50 − 4.20 = −254.20.
    expect(json('strategies', 'stats', 'Opening Drive')).toMatchObject({
      trades: 2,
      wins: 1,
      losses: 1,
      netPnl: '241.6',
      grossProfit: '495.8',
      grossLoss: '-254.2',
    })
    expect(json('strategies', 'stats', 'Apple')).toMatchObject({ trades: 2, netPnl: '247' })

    const signals = json(
      'strategies',
      'signals',
      'import',
      join(FIXTURES, 'signals.csv'),
      '--strategy',
      'Opening Drive',
    )
    expect(signals).toMatchObject({ signals: 6, matched: 4, unmatched: 2 })
    const bad = cli(
      'strategies',
      'signals',
      'import',
      join(FIXTURES, 'signals-bad.csv'),
      '--strategy',
      'Opening Drive',
    )
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/line 3, direction: direction "buy" must be long, short or exit/)

    const imported = json(
      'strategies',
      'backtest',
      'import',
      join(FIXTURES, 'backtest-round-trips.csv'),
      '--strategy',
      'Opening Drive',
      '--capital',
      '25000',
      '--params',
      '{"bar": 5}',
    )
    expect(imported.backtest).toMatchObject({ trades: 4, parameters: { bar: 5 } })
    const comparison = json(
      'strategies',
      'compare',
      'Opening Drive',
      '--backtest',
      imported.backtest.id,
    )
    // Live 241.60 against the backtest's 595.80 + 495.80 − 102 + 12 = 1001.60.
    expect(comparison).toMatchObject({
      period: { from: '2026-03-02', to: '2026-03-06' },
      liveStats: { trades: 2, netPnl: '241.6' },
      backtestStats: { trades: 4, netPnl: '1001.6' },
      differences: { trades: -2, netPnl: '-760' },
    })
    const human = cli('strategies', 'compare', 'Opening Drive', '--backtest', imported.backtest.id)
    expect(human.stdout).toMatch(/netPnl\s+1001\.6\s+241\.6\s+-760/)
  })
})
