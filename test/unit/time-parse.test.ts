import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  calendarDate,
  parseTimestamp,
  TimeParseError,
  zonedToUtc,
  type TimestampFormat,
  type WallTime,
} from '../../core/time-parse'

const NY = 'America/New_York'
const HELSINKI = 'Europe/Helsinki'
const iso = (instant: number) => new Date(instant).toISOString()
const at = (wall: WallTime, zone: string) => iso(zonedToUtc(wall, zone))

describe('zonedToUtc', () => {
  it('converts ordinary wall times with the offset in force', () => {
    expect(at({ year: 2026, month: 1, day: 15, hour: 9, minute: 30 }, NY)).toBe(
      '2026-01-15T14:30:00.000Z',
    )
    expect(at({ year: 2026, month: 7, day: 15, hour: 9, minute: 30 }, NY)).toBe(
      '2026-07-15T13:30:00.000Z',
    )
    expect(at({ year: 2026, month: 7, day: 15, hour: 9, minute: 30 }, HELSINKI)).toBe(
      '2026-07-15T06:30:00.000Z',
    )
    expect(at({ year: 2026, month: 3, day: 2 }, 'UTC')).toBe('2026-03-02T00:00:00.000Z')
    expect(
      at({ year: 2026, month: 3, day: 2, hour: 1, minute: 2, second: 3, millisecond: 4 }, 'UTC'),
    ).toBe('2026-03-02T01:02:03.004Z')
  })

  // New York 2026: EST→EDT at 02:00 on 8 March (07:00Z), EDT→EST at 02:00 on 1 November (06:00Z).
  it('New York spring forward: the skipped hour takes the offset before it', () => {
    expect(at({ year: 2026, month: 3, day: 8, hour: 1, minute: 59, second: 59 }, NY)).toBe(
      '2026-03-08T06:59:59.000Z',
    )
    expect(at({ year: 2026, month: 3, day: 8, hour: 2, minute: 0 }, NY)).toBe(
      '2026-03-08T07:00:00.000Z',
    )
    // 02:30 does not exist; read with EST it is 07:30Z, which the clocks show as 03:30 EDT.
    expect(at({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, NY)).toBe(
      '2026-03-08T07:30:00.000Z',
    )
    expect(at({ year: 2026, month: 3, day: 8, hour: 3, minute: 0 }, NY)).toBe(
      '2026-03-08T07:00:00.000Z',
    )
  })

  it('New York fall back: the repeated hour is the earlier instant (EDT)', () => {
    expect(at({ year: 2026, month: 11, day: 1, hour: 0, minute: 59 }, NY)).toBe(
      '2026-11-01T04:59:00.000Z',
    )
    expect(at({ year: 2026, month: 11, day: 1, hour: 1, minute: 0 }, NY)).toBe(
      '2026-11-01T05:00:00.000Z',
    )
    expect(at({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NY)).toBe(
      '2026-11-01T05:30:00.000Z',
    )
    expect(
      at({ year: 2026, month: 11, day: 1, hour: 1, minute: 59, second: 59, millisecond: 999 }, NY),
    ).toBe('2026-11-01T05:59:59.999Z')
    expect(at({ year: 2026, month: 11, day: 1, hour: 2, minute: 0 }, NY)).toBe(
      '2026-11-01T07:00:00.000Z',
    )
  })

  // Helsinki (MT5 server time) 2026: EET (+2) → EEST (+3) at 01:00Z on 29 March (03:00 → 04:00
  // local), back at 01:00Z on 25 October (04:00 → 03:00 local).
  it('Helsinki spring forward gap', () => {
    expect(at({ year: 2026, month: 3, day: 29, hour: 2, minute: 59 }, HELSINKI)).toBe(
      '2026-03-29T00:59:00.000Z',
    )
    expect(at({ year: 2026, month: 3, day: 29, hour: 3, minute: 30 }, HELSINKI)).toBe(
      '2026-03-29T01:30:00.000Z',
    )
    expect(at({ year: 2026, month: 3, day: 29, hour: 4, minute: 0 }, HELSINKI)).toBe(
      '2026-03-29T01:00:00.000Z',
    )
  })

  it('Helsinki fall back overlap', () => {
    expect(at({ year: 2026, month: 10, day: 25, hour: 2, minute: 59 }, HELSINKI)).toBe(
      '2026-10-24T23:59:00.000Z',
    )
    // 03:30 happens at 00:30Z (EEST) and again at 01:30Z (EET): the earlier one.
    expect(at({ year: 2026, month: 10, day: 25, hour: 3, minute: 30 }, HELSINKI)).toBe(
      '2026-10-25T00:30:00.000Z',
    )
    expect(at({ year: 2026, month: 10, day: 25, hour: 4, minute: 0 }, HELSINKI)).toBe(
      '2026-10-25T02:00:00.000Z',
    )
  })

  // Adelaide: ACST (+9:30) → ACDT (+10:30) at 02:00 local on 4 October 2026 = 16:30Z on the 3rd,
  // half-way through a UTC hour, which the per-hour offset cache must not smear.
  it('handles transitions that are not on the UTC hour', () => {
    const adelaide = 'Australia/Adelaide'
    expect(at({ year: 2026, month: 10, day: 4, hour: 1, minute: 59 }, adelaide)).toBe(
      '2026-10-03T16:29:00.000Z',
    )
    expect(at({ year: 2026, month: 10, day: 4, hour: 2, minute: 30 }, adelaide)).toBe(
      '2026-10-03T17:00:00.000Z',
    )
    expect(at({ year: 2026, month: 10, day: 4, hour: 3, minute: 0 }, adelaide)).toBe(
      '2026-10-03T16:30:00.000Z',
    )
    expect(calendarDate(Date.parse('2026-10-03T16:29:59Z'), adelaide)).toBe('2026-10-04')
  })

  it('rejects impossible wall times and unknown zones', () => {
    expect(() => zonedToUtc({ year: 2026, month: 2, day: 30 }, NY)).toThrow(TimeParseError)
    expect(() => zonedToUtc({ year: 2026, month: 13, day: 1 }, NY)).toThrow(/not a valid date/)
    expect(() => zonedToUtc({ year: 2026, month: 1, day: 1, hour: 24 }, NY)).toThrow(TimeParseError)
    expect(() => zonedToUtc({ year: 2026, month: 1, day: 1, minute: 1.5 }, NY)).toThrow(
      TimeParseError,
    )
    expect(() => zonedToUtc({ year: 2026, month: 1, day: 1 }, 'Mars/Olympus_Mons')).toThrow(
      /not a known IANA time zone/,
    )
    expect(() => zonedToUtc({ year: 2026, month: 1, day: 1 }, '')).toThrow(TimeParseError)
    expect(at({ year: 2024, month: 2, day: 29 }, 'UTC')).toBe('2024-02-29T00:00:00.000Z')
  })
})

describe('parseTimestamp', () => {
  const cases: [text: string, format: TimestampFormat, zone: string, expected: string][] = [
    // ISO, including Coinbase's " UTC", Kraken's 4-digit fraction (truncated) and Tradovate's Z.
    ['2026-03-02T14:31:05Z', 'iso', NY, '2026-03-02T14:31:05.000Z'],
    ['2026-03-02T09:31:05-05:00', 'iso', HELSINKI, '2026-03-02T14:31:05.000Z'],
    ['2026-03-02T09:31:05.123-0500', 'iso', 'UTC', '2026-03-02T14:31:05.123Z'],
    ['2026-03-02 14:31:05', 'iso', NY, '2026-03-02T19:31:05.000Z'],
    ['2024-02-08 16:31:22 UTC', 'iso', NY, '2024-02-08T16:31:22.000Z'],
    ['2024-03-19 19:43:31.6798', 'iso', 'UTC', '2024-03-19T19:43:31.679Z'],
    ['2026-06-14 23:03:54.732Z', 'iso', 'America/Chicago', '2026-06-14T23:03:54.732Z'],
    // IBKR Flex (January is EST, June EDT) and the Activity Statement.
    ['20260106;093000', 'ibkr-flex', NY, '2026-01-06T14:30:00.000Z'],
    ['20260615 130207', 'ibkr-flex', NY, '2026-06-15T17:02:07.000Z'],
    ['2026-07-14;10:15:22', 'ibkr-flex', NY, '2026-07-14T14:15:22.000Z'],
    ['2021-01-28, 10:33:59', 'ibkr-statement', NY, '2021-01-28T15:33:59.000Z'],
    // thinkorswim new and old, Tradovate in Chicago time, NinjaTrader grid without seconds.
    ['3/27/26 09:30:00', 'us-slash', NY, '2026-03-27T13:30:00.000Z'],
    ['11/12/2022 11:27', 'us-slash', NY, '2022-11-12T16:27:00.000Z'],
    ['06/10/2026 16:00:05', 'us-slash', 'America/Chicago', '2026-06-10T21:00:05.000Z'],
    ['7/2/2026 9:12', 'us-slash', NY, '2026-07-02T13:12:00.000Z'],
    // Webull: the abbreviation wins over the zone argument.
    ['09/19/2025 13:31:39 EDT', 'us-slash', 'Asia/Tokyo', '2025-09-19T17:31:39.000Z'],
    ['03/02/2026 09:40:00 EST', 'us-slash', 'Asia/Tokyo', '2026-03-02T14:40:00.000Z'],
    ['01/05/2026 07:29:38 PST', 'us-slash', NY, '2026-01-05T15:29:38.000Z'],
    ['06/05/2026 08:00:00 CDT', 'us-slash', NY, '2026-06-05T13:00:00.000Z'],
    // TopstepX: the offset wins.
    ['11/18/2025 09:45:25 -05:00', 'us-slash', 'Europe/Berlin', '2025-11-18T14:45:25.000Z'],
    ['10/07/2026 16:20:37 +02:00', 'us-slash', NY, '2026-10-07T14:20:37.000Z'],
    // TradeStation, NinjaTrader en-US; 12 AM is midnight, 12 PM noon.
    ['01/15/25 09:31:05 AM', 'us-slash-ampm', NY, '2025-01-15T14:31:05.000Z'],
    ['7/28/2026 9:45:17 PM', 'us-slash-ampm', NY, '2026-07-29T01:45:17.000Z'],
    ['03/02/2026 12:05:00 AM', 'us-slash-ampm', 'UTC', '2026-03-02T00:05:00.000Z'],
    ['03/02/2026 12:05:00 pm', 'us-slash-ampm', 'UTC', '2026-03-02T12:05:00.000Z'],
    // NinjaTrader EU and fr-FR/de-DE, cTrader with milliseconds.
    ['27/04/2026 6:05:02', 'eu-slash', 'Europe/Paris', '2026-04-27T04:05:02.000Z'],
    ['16.09.2026 15:31:02', 'eu-slash', 'Europe/Berlin', '2026-09-16T13:31:02.000Z'],
    ['15/03/2026 10:00:00.000', 'eu-slash', 'UTC', '2026-03-15T10:00:00.000Z'],
    // MetaTrader server time: EEST on 28 Oct 2022, EET in January, the earlier 03:30 on 25 Oct.
    ['2022.10.28 12:48:49', 'metatrader', HELSINKI, '2022-10-28T09:48:49.000Z'],
    ['2026.01.05 09:31', 'metatrader', HELSINKI, '2026-01-05T07:31:00.000Z'],
    ['2026.10.25 03:30:00', 'metatrader', HELSINKI, '2026-10-25T00:30:00.000Z'],
    // Dates only: midnight in the zone.
    ['3/3/2026', 'date-us', NY, '2026-03-03T05:00:00.000Z'],
    ['04/05/23', 'date-us', NY, '2023-04-05T04:00:00.000Z'],
    ['2026-07-21', 'date-iso', NY, '2026-07-21T04:00:00.000Z'],
    ['20260721', 'date-compact', NY, '2026-07-21T04:00:00.000Z'],
    // Tradovate's leading spaces.
    [' 06/10/2026 16:00:05 ', 'us-slash', 'UTC', '2026-06-10T16:00:05.000Z'],
  ]

  it.each(cases)('%s (%s in %s)', (text, format, zone, expected) => {
    expect(iso(parseTimestamp(text, format, zone))).toBe(expected)
  })

  it('says what it expected', () => {
    expect(() => parseTimestamp('13/45/2026 10:00', 'us-slash', NY)).toThrow(
      new TimeParseError("'13/45/2026 10:00' is not a valid date (expected MM/DD/YYYY HH:MM:SS)"),
    )
    expect(() => parseTimestamp('03/02/2026 10:00:00 XYZ', 'us-slash', NY)).toThrow(
      "'03/02/2026 10:00:00 XYZ' is not a valid date (unknown zone 'XYZ'; expected MM/DD/YYYY HH:MM:SS)",
    )
  })

  const bad: [string, TimestampFormat][] = [
    ['02/30/2026 10:00:00', 'us-slash'], // 30 February
    ['2026-02-29', 'date-iso'], // 2026 is not a leap year
    ['03/02/2026 25:00:00', 'us-slash'], // hour 25
    ['03/02/2026 24:00:00', 'us-slash'],
    ['03/02/2026 10:60:00', 'us-slash'],
    ['2026-13-01T00:00:00Z', 'iso'], // month 13
    ['2026-03-02T10:00:00+25:00', 'iso'],
    ['03/02/2026 13:00:00 PM', 'us-slash-ampm'],
    ['03/02/2026 0:30:00 AM', 'us-slash-ampm'],
    ['03/02/2026 9:30:00 AM', 'us-slash'], // AM/PM needs its own format
    ['2026-03-02T14:31:05Z', 'us-slash'], // wrong format
    ['20260332', 'date-compact'],
    ['', 'date-iso'],
    ['1/2/2026 10:00', 'metatrader'],
  ]

  it.each(bad)('rejects %s as %s', (text, format) => {
    expect(() => parseTimestamp(text, format, NY)).toThrow(TimeParseError)
  })

  it('rejects an unknown zone even when the text has an offset', () => {
    expect(() => parseTimestamp('2026-03-02T14:31:05Z', 'iso', 'Eastern')).toThrow(
      /not a known IANA time zone/,
    )
  })
})

describe('calendarDate', () => {
  it('buckets by the day in the given zone', () => {
    const instant = Date.parse('2026-03-03T03:00:00Z')
    expect(calendarDate(instant, NY)).toBe('2026-03-02')
    expect(calendarDate(instant, 'UTC')).toBe('2026-03-03')
    // TradeTally #321: 03:16 on 18 May in UTC+8 is the 18th there, the 17th in UTC.
    const early = Date.parse('2026-05-17T19:16:00Z')
    expect(calendarDate(early, 'Asia/Shanghai')).toBe('2026-05-18')
    expect(calendarDate(early, 'UTC')).toBe('2026-05-17')
    // The last and first millisecond of a New York day across the fall-back transition.
    expect(calendarDate(Date.parse('2026-11-02T04:59:59.999Z'), NY)).toBe('2026-11-01')
    expect(calendarDate(Date.parse('2026-11-02T05:00:00Z'), NY)).toBe('2026-11-02')
    expect(calendarDate(Date.parse('1969-12-31T23:00:00Z'), 'UTC')).toBe('1969-12-31')
    expect(() => calendarDate(Number.NaN, 'UTC')).toThrow(TimeParseError)
  })
})

describe('zonedToUtc against Intl (property)', () => {
  const zones = [
    NY,
    HELSINKI,
    'Europe/London',
    'Australia/Lord_Howe', // 30-minute DST
    'Australia/Adelaide',
    'America/Sao_Paulo', // DST until 2019, changing at midnight
    'America/St_Johns',
    'Pacific/Chatham', // +12:45 / +13:45, changes at 02:45
    'Asia/Kolkata',
    'UTC',
  ]
  const HOUR = 3_600_000
  const formatters = new Map<string, Intl.DateTimeFormat>()
  /** The oracle, independent of the module: the wall clock (as UTC ms) of an instant in `zone`. */
  const wallOf = (instant: number, zone: string): number => {
    let format = formatters.get(zone)
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
      formatters.set(zone, format)
    }
    const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]))
    const [y, mo, d, h, mi, sec] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map(
      (type) => Number(parts[type]),
    ) as [number, number, number, number, number, number]
    return Date.UTC(y, mo - 1, d, h, mi, sec, ((instant % 1000) + 1000) % 1000)
  }
  const offsetOf = (instant: number, zone: string) => wallOf(instant, zone) - instant
  /** Every instant whose wall clock reads `local`, trying each offset in use within ±30 h. */
  const instantsShowing = (local: number, zone: string): number[] => {
    const offsets = new Set<number>()
    for (let h = -30; h <= 30; h += 3) offsets.add(offsetOf(local + h * HOUR, zone))
    return [...offsets].map((o) => local - o).filter((t) => wallOf(t, zone) === local)
  }
  /** Instants in `year` where the offset changes, found by week steps and bisection. */
  const transitionCache = new Map<string, number[]>()
  const transitions = (zone: string, year: number): number[] => {
    const key = `${zone} ${year}`
    let found = transitionCache.get(key)
    if (found) return found
    found = []
    const WEEK = 7 * 24 * HOUR // no zone here changes twice within a week
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += WEEK) {
      if (offsetOf(t, zone) === offsetOf(t + WEEK, zone)) continue
      let [lo, hi] = [t, t + WEEK]
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000
        if (offsetOf(mid, zone) === offsetOf(lo, zone)) lo = mid
        else hi = mid
      }
      found.push(hi)
    }
    transitionCache.set(key, found)
    return found
  }
  const partsOf = (local: number): WallTime => {
    const d = new Date(local)
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    }
  }

  const seen = { gaps: 0, overlaps: 0 }
  const check = (local: number, zone: string) => {
    const result = zonedToUtc(partsOf(local), zone)
    const matches = instantsShowing(local, zone)
    if (matches.length === 0) {
      seen.gaps++
      // In a gap the offset before the transition applies, so the clock shows a later time.
      expect(wallOf(result, zone)).toBeGreaterThan(local)
      expect(result).toBe(local - offsetOf(result - 3 * HOUR, zone))
    } else {
      if (matches.length > 1) seen.overlaps++
      expect(wallOf(result, zone)).toBe(local)
      expect(result).toBe(Math.min(...matches))
    }
  }

  it('round-trips wall times 1990–2060 in several zones', () => {
    const local = fc
      .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 11, 31) })
      .map((ms) => ms - (ms % 1000))
    fc.assert(fc.property(local, fc.constantFrom(...zones), (t, zone) => check(t, zone)))
  })

  it('round-trips wall times around DST transitions; gaps move forward, overlaps take the earlier', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 1990, max: 2060 }),
        fc.nat(),
        fc.integer({ min: -120, max: 120 }),
        (zone, year, pick, minutes) => {
          const found = transitions(zone, year)
          const transition = found[pick % Math.max(found.length, 1)] ?? Date.UTC(year, 0, 1)
          // Wall times within two hours of the transition, read on the clock before it.
          check(transition + offsetOf(transition - HOUR, zone) + minutes * 60_000, zone)
        },
      ),
      { numRuns: 1000 },
    )
    expect(seen.gaps).toBeGreaterThan(0)
    expect(seen.overlaps).toBeGreaterThan(0)
  })
})
