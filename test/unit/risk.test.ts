import { describe, expect, it } from 'vitest'
import { fromInteger, parseDecimal, type Fixed8 } from '../../core/decimal'
import {
  evaluateLimits,
  levelOf,
  thresholdOf,
  type ClosedTrip,
  type RiskHistory,
  type RiskLimitRule,
} from '../../core/risk'

const money = (text: string) => parseDecimal(text)
const D1 = '2026-03-02'
const D2 = '2026-03-03'

// Two days of round trips: D1 −100, −150, +80 (day −170); D2 −300, −50 (day −350).
const trips: ClosedTrip[] = [
  { positionId: 'pa', tradeKey: 'a', date: D1, net: money('-100') },
  { positionId: 'pb', tradeKey: 'b', date: D1, net: money('-150') },
  { positionId: 'pc', tradeKey: 'c', date: D1, net: money('80') },
  { positionId: 'pd', tradeKey: 'd', date: D2, net: money('-300') },
  { positionId: 'pe', tradeKey: 'e', date: D2, net: money('-50') },
]

// Capital 10000: equity at the start of D1 10000, of D2 10000 − 170 = 9830.
const history = (changes: Partial<RiskHistory> = {}): RiskHistory => ({
  start: { cumulativeNet: 0n, peak: 0n, consecutiveLosses: 0 },
  trips,
  positions: [],
  openRiskByDay: [],
  equityAt: (date) => (date === D1 ? money('10000') : money('9830')),
  capitalAt: () => money('10000'),
  ...changes,
})

const limit = (rule: Partial<RiskLimitRule> & Pick<RiskLimitRule, 'type' | 'value'>) =>
  ({ id: 'L', unit: 'absolute', warnAtPercent: null, ...rule }) satisfies RiskLimitRule

const found = (limits: RiskLimitRule[], changes?: Partial<RiskHistory>) =>
  evaluateLimits(limits, history(changes)).map((f) => ({
    key: f.breachKey,
    position: f.positionId,
    observed: f.observed,
    threshold: f.threshold,
  }))

describe('risk limits', () => {
  it('a limit is broken only when exceeded; warnings at the given share of it', () => {
    const limitValue = money('200')
    expect(levelOf(money('200'), limitValue, null)).toBe('ok')
    expect(levelOf(money('200.00000001'), limitValue, null)).toBe('breach')
    // 80 % of 200 = 160
    expect(levelOf(money('159.99999999'), limitValue, 80)).toBe('ok')
    expect(levelOf(money('160'), limitValue, 80)).toBe('warning')
    // 2.5 % of 9830 = 245.75; no equity, no threshold
    const percent = limit({ type: 'daily_loss', value: money('2.5'), unit: 'percent_of_equity' })
    expect(thresholdOf(percent, money('9830'))).toBe(money('245.75'))
    expect(thresholdOf(percent, null)).toBeNull()
  })

  it('daily loss: the day running loss, a warning and a breach once per day', () => {
    // Limit 300, warning at 50 % = 150. D1 losses so far: 100, 250 (warning at b), 170.
    // D2: 300 (warning at d: not more than 300), 350 (breach at e).
    expect(found([limit({ type: 'daily_loss', value: money('300'), warnAtPercent: 50 })])).toEqual([
      { key: `${D1}:warning`, position: 'pb', observed: money('250'), threshold: money('300') },
      { key: `${D2}:warning`, position: 'pd', observed: money('300'), threshold: money('300') },
      { key: `${D2}:breach`, position: 'pe', observed: money('350'), threshold: money('300') },
    ])
  })

  it('loss per trade as a percentage of the equity at the start of its day', () => {
    // 2 % of 10000 = 200 on D1 (warning at 75 % = 150: b's 150); 2 % of 9830 = 196.6 on D2
    // (d's 300 breaks it; e's 50 is under 75 % of 196.6 = 147.45).
    expect(
      found([
        limit({
          type: 'max_loss_per_trade',
          value: money('2'),
          unit: 'percent_of_equity',
          warnAtPercent: 75,
        }),
      ]),
    ).toEqual([
      { key: 'b:warning', position: 'pb', observed: money('150'), threshold: money('200') },
      { key: 'd:breach', position: 'pd', observed: money('300'), threshold: money('196.6') },
    ])
  })

  it('drawdown from the running peak fires when it crosses into a higher level', () => {
    // Equity −100, −250, −170, −470, −520 from a peak of 0. Limit 400, warning at 200:
    // b (250) warns, c brings it back under (170), d (470) breaks it, e stays broken.
    expect(
      found([limit({ type: 'max_drawdown', value: money('400'), warnAtPercent: 50 })]),
    ).toEqual([
      { key: 'b:warning', position: 'pb', observed: money('250'), threshold: money('400') },
      { key: 'd:breach', position: 'pd', observed: money('470'), threshold: money('400') },
    ])
  })

  it('a drawdown already broken before the range does not fire again', () => {
    // Peak 200, equity −100 at the start: drawdown 300 > 250 already; it only grows.
    expect(
      found([limit({ type: 'max_drawdown', value: money('250') })], {
        start: { cumulativeNet: money('-100'), peak: money('200'), consecutiveLosses: 0 },
      }),
    ).toEqual([])
  })

  it('drawdown in % of equity is of the peak equity (capital + peak)', () => {
    // 4 % of (10000 + 0) = 400: the same findings as the absolute 400.
    expect(
      found([limit({ type: 'max_drawdown', value: money('4'), unit: 'percent_of_equity' })]).map(
        (f) => f.key,
      ),
    ).toEqual(['d:breach'])
  })

  it('losing runs and trades per day are counts', () => {
    // Runs 1, 2 (b breaks 1), 0, 1, 2 (e breaks it again).
    expect(
      found([limit({ type: 'max_consecutive_losses', value: fromInteger(1), unit: 'count' })]),
    ).toEqual([
      { key: 'b:breach', position: 'pb', observed: fromInteger(2), threshold: fromInteger(1) },
      { key: 'e:breach', position: 'pe', observed: fromInteger(2), threshold: fromInteger(1) },
    ])
    // A run carried from before the range: 1 loss already, a makes 2.
    expect(
      found([limit({ type: 'max_consecutive_losses', value: fromInteger(1), unit: 'count' })], {
        start: { cumulativeNet: 0n, peak: 0n, consecutiveLosses: 1 },
      }).map((f) => f.key),
    ).toEqual(['a:breach', 'e:breach'])
    // Three trades on D1 break a limit of 2 at c; D2's two do not.
    expect(
      found([limit({ type: 'max_trades_per_day', value: fromInteger(2), unit: 'count' })]),
    ).toEqual([
      { key: `${D1}:breach`, position: 'pc', observed: fromInteger(3), threshold: fromInteger(2) },
    ])
  })

  it('position size and open risk', () => {
    const positions = [
      { positionId: 'p1', tradeKey: 'k1', date: D1, notional: money('12000') },
      { positionId: 'p2', tradeKey: 'k2', date: D2, notional: money('5000') },
    ]
    expect(
      found([limit({ type: 'max_position_size', value: money('10000') })], { positions }),
    ).toEqual([
      { key: 'k1:breach', position: 'p1', observed: money('12000'), threshold: money('10000') },
    ])
    const openRiskByDay: { date: string; openRisk: Fixed8 }[] = [
      { date: D1, openRisk: 0n },
      { date: D2, openRisk: money('250') },
    ]
    expect(
      found([limit({ type: 'max_open_risk', value: money('200') })], { openRiskByDay }),
    ).toEqual([
      { key: `${D2}:breach`, position: null, observed: money('250'), threshold: money('200') },
    ])
  })

  it('does not check a % limit without a known equity', () => {
    expect(
      found([limit({ type: 'daily_loss', value: money('1'), unit: 'percent_of_equity' })], {
        equityAt: () => null,
      }),
    ).toEqual([])
  })

  it('evaluating the same history twice finds the same keys', () => {
    const limits = [
      limit({ id: 'x', type: 'daily_loss', value: money('300'), warnAtPercent: 50 }),
      limit({ id: 'y', type: 'max_drawdown', value: money('400') }),
    ]
    const keys = () => evaluateLimits(limits, history()).map((f) => `${f.limitId}/${f.breachKey}`)
    expect(keys()).toEqual(keys())
    expect(new Set(keys()).size).toBe(keys().length)
  })
})
