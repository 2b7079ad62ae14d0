import { describe, expect, it } from 'vitest'
import { assignmentRuleSchema, assignmentRulesOf } from '../../contract/strategies'
import {
  compileRules,
  globToRegExp,
  inWindow,
  minutesOfDay,
  wallClock,
  type AssignmentRule,
  type RuleCandidate,
} from '../../core/strategy-rules'

const NY = 'America/New_York'

function candidate(overrides: Partial<RuleCandidate> = {}): RuleCandidate {
  return {
    symbol: 'ESH6',
    underlying: 'ES',
    account: 'Main',
    side: 'long',
    // 2026-03-02 is a Monday; 14:45Z is 09:45 EST (UTC−5).
    openedAt: Date.parse('2026-03-02T14:45:00Z'),
    tags: [],
    ...overrides,
  }
}

const matches = (rules: AssignmentRule[], trip: RuleCandidate, zone = NY) =>
  compileRules(rules, zone)(trip)

describe('globs', () => {
  it('* is any run, ? one character, everything else literal, any case', () => {
    expect(globToRegExp('ES*').test('ESH6')).toBe(true)
    expect(globToRegExp('ES*').test('ES')).toBe(true)
    expect(globToRegExp('ES*').test('MESH6')).toBe(false)
    expect(globToRegExp('E?H6').test('ESH6')).toBe(true)
    expect(globToRegExp('E?H6').test('EH6')).toBe(false)
    expect(globToRegExp('brk.b').test('BRK.B')).toBe(true)
    expect(globToRegExp('BRK.B').test('BRKXB')).toBe(false)
    expect(globToRegExp('AAPL').test('AAPL2')).toBe(false)
  })
})

describe('times of day', () => {
  it('reads HH:MM as minutes after midnight', () => {
    expect(minutesOfDay('09:30')).toBe(9 * 60 + 30)
    expect(minutesOfDay('00:00')).toBe(0)
    expect(minutesOfDay('23:59')).toBe(23 * 60 + 59)
    expect(minutesOfDay('24:00')).toBeNull()
    expect(minutesOfDay('9:30')).toBeNull()
  })

  it('windows include from and exclude to, and wrap past midnight', () => {
    const morning = { from: 570, to: 660 } // 09:30–11:00
    expect([569, 570, 659, 660].map((m) => inWindow(m, morning))).toEqual([
      false,
      true,
      true,
      false,
    ])
    const night = { from: 1320, to: 120 } // 22:00–02:00
    expect([1319, 1320, 1439, 0, 119, 120, 600].map((m) => inWindow(m, night))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
      false,
    ])
  })

  it('takes weekday and time from the zone, across a DST change and a date line', () => {
    // 14:31Z on Mon 2026-03-02 is 09:31 EST: 9×60+31 = 571.
    expect(wallClock(Date.parse('2026-03-02T14:31:00Z'), NY)).toEqual({
      weekday: 'mon',
      minute: 571,
    })
    // DST began Sun 2026-03-08: 13:31Z on Mon 03-09 is 09:31 EDT (UTC−4), the same 571.
    expect(wallClock(Date.parse('2026-03-09T13:31:00Z'), NY)).toEqual({
      weekday: 'mon',
      minute: 571,
    })
    // 03:00Z Tue 03-03 is still Monday 22:00 in New York (1320) ...
    expect(wallClock(Date.parse('2026-03-03T03:00:00Z'), NY)).toEqual({
      weekday: 'mon',
      minute: 1320,
    })
    // ... and 20:00Z Mon 03-02 is Tuesday 05:00 in Tokyo (UTC+9).
    expect(wallClock(Date.parse('2026-03-02T20:00:00Z'), 'Asia/Tokyo')).toEqual({
      weekday: 'tue',
      minute: 300,
    })
  })
})

describe('assignment rules', () => {
  const openingDrive: AssignmentRule = {
    symbol: ['ES*'],
    side: 'long',
    entryTime: { from: 570, to: 660 },
  }

  it('needs every condition of a rule', () => {
    expect(matches([openingDrive], candidate())).toBe(true) // 09:45 EST, long, ESH6
    expect(matches([openingDrive], candidate({ side: 'short' }))).toBe(false)
    expect(matches([openingDrive], candidate({ symbol: 'NQH6', underlying: 'NQ' }))).toBe(false)
    // 16:00Z = 11:00 EST: the window's end is excluded.
    expect(
      matches([openingDrive], candidate({ openedAt: Date.parse('2026-03-02T16:00:00Z') })),
    ).toBe(false)
    // 14:29Z = 09:29 EST: one minute early.
    expect(
      matches([openingDrive], candidate({ openedAt: Date.parse('2026-03-02T14:29:00Z') })),
    ).toBe(false)
  })

  it('matches a symbol by its underlying too, so ES claims ESH6', () => {
    expect(matches([{ symbol: ['ES'] }], candidate())).toBe(true)
    expect(matches([{ symbol: ['ES'] }], candidate({ symbol: 'MESH6', underlying: 'MES' }))).toBe(
      false,
    )
    expect(matches([{ symbol: ['AAPL'] }], candidate({ symbol: 'AAPL', underlying: null }))).toBe(
      true,
    )
  })

  it('matches any of several values, tags and accounts in any case', () => {
    const rule: AssignmentRule = { tag: ['Breakout', 'gap'], account: ['main', 'IRA'] }
    expect(matches([rule], candidate({ tags: ['GAP', 'earnings'] }))).toBe(true)
    expect(matches([rule], candidate({ tags: ['earnings'] }))).toBe(false)
    expect(matches([rule], candidate({ tags: ['breakout'], account: 'Paper' }))).toBe(false)
  })

  it('reads weekdays in the journal zone', () => {
    // 03:00Z Tuesday is Monday evening in New York.
    const late = candidate({ openedAt: Date.parse('2026-03-03T03:00:00Z') })
    expect(matches([{ weekday: ['mon'] }], late, NY)).toBe(true)
    expect(matches([{ weekday: ['mon'] }], late, 'UTC')).toBe(false)
    expect(matches([{ weekday: ['tue'] }], late, 'UTC')).toBe(true)
  })

  it('claims a trip any rule matches; no rules claim nothing', () => {
    const rules: AssignmentRule[] = [{ symbol: ['NQ*'] }, { side: 'short' }]
    expect(matches(rules, candidate())).toBe(false) // ESH6 long
    expect(matches(rules, candidate({ side: 'short' }))).toBe(true)
    expect(matches(rules, candidate({ symbol: 'NQH6', underlying: 'NQ' }))).toBe(true)
    expect(matches([], candidate())).toBe(false)
  })
})

describe('config.assignment as the trader writes it', () => {
  it('normalises single values to lists and times to minutes', () => {
    expect(
      assignmentRulesOf({
        note: 'kept',
        assignment: [
          {
            symbol: 'ES*',
            side: 'long',
            weekday: 'fri',
            entryTime: { from: '09:30', to: '11:00' },
          },
        ],
      }),
    ).toEqual([
      { symbol: ['ES*'], side: 'long', weekday: ['fri'], entryTime: { from: 570, to: 660 } },
    ])
    expect(assignmentRulesOf({})).toEqual([])
  })

  it('refuses empty rules, bad times, unknown keys and weekdays', () => {
    const problems = (rule: unknown) =>
      assignmentRuleSchema.safeParse(rule).error?.issues.map((issue) => issue.path.join('.'))
    expect(problems({})).toEqual([''])
    expect(problems({ entryTime: { from: '9:30', to: '11:00' } })).toEqual(['entryTime.from'])
    expect(problems({ entryTime: { from: '10:00', to: '10:00' } })).toEqual(['entryTime'])
    // A misspelt key is named, not ignored.
    expect(assignmentRuleSchema.safeParse({ symbols: 'ES*' }).error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['symbols'],
    })
    expect(problems({ weekday: 'friday' })).toEqual(['weekday'])
    expect(problems({ symbol: [] })).toEqual(['symbol'])
  })
})
