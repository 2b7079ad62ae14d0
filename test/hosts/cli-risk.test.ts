import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { blotter } from '../support/cli'

// March 2 (UTC): +48, −102, +28 (fee 1 per fill): the day loses 26 after having lost 54.
const FILLS = `time,account,symbol,side,quantity,price,fee,asset_class
2026-03-02T14:00:00Z,Main,AAPL,buy,10,100,1,stock
2026-03-02T14:30:00Z,Main,AAPL,sell,10,105,1,stock
2026-03-02T15:00:00Z,Main,MSFT,buy,10,200,1,stock
2026-03-02T15:30:00Z,Main,MSFT,sell,10,190,1,stock
2026-03-02T16:00:00Z,Main,AAPL,buy,10,100,1,stock
2026-03-02T16:30:00Z,Main,AAPL,sell,10,103,1,stock
`

describe('blotter risk', () => {
  let dir: string
  let cleanup: () => void
  let db: string
  beforeEach(() => {
    ;({ dir, cleanup } = tempDir())
    db = join(dir, 'journal.db')
    writeFileSync(join(dir, 'fills.csv'), FILLS)
    expect(blotter(['import', join(dir, 'fills.csv'), '--db', db]).code).toBe(0)
  })
  afterEach(() => cleanup())

  it('sets a limit, reports its breach once, lists it as JSON, removes it', () => {
    const set = blotter([
      'risk',
      'set',
      '--account',
      'Main',
      '--type',
      'daily_loss',
      '--value',
      '50',
      '--warn-at',
      '80',
      '--json',
      '--db',
      db,
    ])
    expect(set.code).toBe(0)
    // The running loss reached 54 > 50 on March 2.
    expect(JSON.parse(set.stdout)).toMatchObject({
      created: true,
      newEvents: 1,
      limit: {
        account: 'Main',
        type: 'daily_loss',
        value: '50',
        unit: 'absolute',
        warnAtPercent: 80,
      },
    })

    const listed = blotter(['--json', 'risk', '--account', 'Main', '--db', db])
    expect(listed.code).toBe(0)
    const overview = JSON.parse(listed.stdout)
    expect(overview.limits).toHaveLength(1)
    expect(overview.limits[0].today).toMatchObject({ threshold: '50' })
    expect(overview.events).toMatchObject([
      { severity: 'breach', day: '2026-03-02', observed: '54', limit: '50' },
    ])

    const events = blotter(['risk', 'events', '--json', '--db', db])
    expect(JSON.parse(events.stdout)).toHaveLength(1)

    expect(
      blotter(['risk', 'remove', '--account', 'Main', '--type', 'daily_loss', '--db', db]).code,
    ).toBe(0)
    expect(JSON.parse(blotter(['risk', '--json', '--db', db]).stdout).limits).toEqual([])
  })

  it('takes percent limits and refuses bad ones with exit 2', () => {
    const percent = blotter([
      'risk',
      'set',
      '--account',
      'Main',
      '--type',
      'max_drawdown',
      '--value',
      '5',
      '--unit',
      'percent',
      '--json',
      '--db',
      db,
    ])
    expect(JSON.parse(percent.stdout).limit.unit).toBe('percent_of_equity')

    const badUnit = blotter([
      'risk',
      'set',
      '--account',
      'Main',
      '--type',
      'daily_loss',
      '--value',
      '5',
      '--unit',
      'lots',
      '--db',
      db,
    ])
    expect(badUnit.code).toBe(2)
    expect(badUnit.stderr).toMatch(/--unit must be absolute, percent or count/)
    const badCount = blotter([
      'risk',
      'set',
      '--account',
      'Main',
      '--type',
      'max_trades_per_day',
      '--value',
      '2.5',
      '--db',
      db,
    ])
    expect(badCount.code).toBe(2)
    expect(badCount.stderr).toMatch(/whole number/)
    const noAccount = blotter([
      'risk',
      'set',
      '--account',
      'Nobody',
      '--type',
      'daily_loss',
      '--value',
      '5',
      '--db',
      db,
    ])
    expect(noAccount.code).toBe(1)
    expect(noAccount.stderr).toMatch(/No account Nobody/)
  })
})
