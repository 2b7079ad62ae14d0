/**
 * Broker timestamps to UTC instants. Brokers write wall-clock times in a zone the file rarely
 * names (brokers.md §1, §3.1), so every parse takes the source zone explicitly; an offset or
 * zone abbreviation in the text wins over it. See docs/decisions/0008-file-sniffing-and-times.md.
 */
import { isTimeZone, type EpochMs } from './time'

export class TimeParseError extends Error {
  override name = 'TimeParseError'
}

/** A wall-clock time. Fields are 1-based like on a calendar (month 1 = January). */
export interface WallTime {
  year: number
  month: number
  day: number
  hour?: number
  minute?: number
  second?: number
  millisecond?: number
}

/**
 * The text shapes brokers write times in (brokers.md "Status at a glance"). Every shape with a
 * time of day also takes an optional trailing offset (`Z`, `±HH:MM`, `±HHMM`) or zone
 * abbreviation (`UTC`, `GMT`, `EST`, `EDT`, `CST`, `CDT`, `MST`, `MDT`, `PST`, `PDT`), which
 * then wins over the zone argument. Seconds, where optional, may carry a fraction (truncated to
 * the millisecond). Two-digit years: 69–99 → 19xx, 00–68 → 20xx (POSIX).
 *
 * - `iso`: `2026-03-02T14:31:05Z`, `2026-03-02T09:31:05-05:00`, `2026-03-02 14:31:05`,
 *   Coinbase `2026-03-02 14:31:05 UTC`, Kraken `2024-03-19 19:43:31.6798`, Tradovate `_timestamp`.
 * - `ibkr-flex`: `20260302;143105`, `20260302 143105` (also with the dashes/colons Flex settings allow).
 * - `ibkr-statement`: `2026-03-02, 14:31:05` (Activity Statement).
 * - `us-slash`: `M/D/YY H:MM:SS`, `MM/DD/YYYY HH:MM[:SS]` (thinkorswim, Tradovate, NinjaTrader
 *   grid); Webull `… EDT` and TopstepX `… -05:00` through the suffix.
 * - `us-slash-ampm`: `MM/DD/YY hh:mm:ss AM|PM` (TradeStation, NinjaTrader en-US).
 * - `eu-slash`: `D/M/YYYY H:MM:SS` or `D.M.YYYY H:MM:SS` (NinjaTrader EU, cTrader): day first.
 * - `metatrader`: `yyyy.MM.dd HH:mm[:ss]` (MT4/MT5 server time).
 * - `date-us` `MM/DD/YYYY` or `M/D/YY`, `date-iso` `YYYY-MM-DD`, `date-compact` `YYYYMMDD`
 *   (IBKR Flex dates): midnight in the zone; the caller keeps file order within a day.
 */
export type TimestampFormat =
  | 'iso'
  | 'ibkr-flex'
  | 'ibkr-statement'
  | 'us-slash'
  | 'us-slash-ampm'
  | 'eu-slash'
  | 'metatrader'
  | 'date-us'
  | 'date-iso'
  | 'date-compact'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

// ---------------------------------------------------------------------------------------------
// Zone offsets

interface ZoneCache {
  format: Intl.DateTimeFormat
  /** UTC hour bucket → offset in ms; NaN when a transition falls inside that hour. */
  offsets: Map<number, number>
  /** Local day number → 'YYYY-MM-DD'. */
  dates: Map<number, string>
}

const zoneCaches = new Map<string, ZoneCache>()

function zoneCache(zone: string): ZoneCache {
  let cache = zoneCaches.get(zone)
  if (cache === undefined) {
    if (!isTimeZone(zone)) throw new TimeParseError(`'${zone}' is not a known IANA time zone`)
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    cache = { format, offsets: new Map(), dates: new Map() }
    zoneCaches.set(zone, cache)
  }
  return cache
}

/** Offset (wall − UTC, ms) at `instant`, straight from Intl. Slow: ~1 µs. */
function intlOffset(format: Intl.DateTimeFormat, instant: number): number {
  let year = 0
  let month = 0
  let day = 0
  let hour = 0
  let minute = 0
  let second = 0
  for (const part of format.formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value)
        break
      case 'month':
        month = Number(part.value)
        break
      case 'day':
        day = Number(part.value)
        break
      case 'hour':
        hour = Number(part.value)
        break
      case 'minute':
        minute = Number(part.value)
        break
      case 'second':
        second = Number(part.value)
        break
    }
  }
  const wholeSecond = instant - (((instant % 1000) + 1000) % 1000)
  return Date.UTC(year, month - 1, day, hour, minute, second) - wholeSecond
}

/**
 * Offset at `instant`, cached per UTC hour. Transitions are not always on the UTC hour
 * (Adelaide, Lord Howe), so an hour whose two ends disagree is marked and asked exactly.
 */
function offsetAt(cache: ZoneCache, instant: number): number {
  const bucket = Math.floor(instant / HOUR_MS)
  let offset = cache.offsets.get(bucket)
  if (offset === undefined) {
    const start = bucket * HOUR_MS
    const first = intlOffset(cache.format, start)
    offset = first === intlOffset(cache.format, start + HOUR_MS - 1000) ? first : NaN
    cache.offsets.set(bucket, offset)
  }
  return Number.isNaN(offset) ? intlOffset(cache.format, instant) : offset
}

/**
 * `local` is the wall time read as if it were UTC. Assumes at most one transition within a day
 * either side (true of every zone since 1970), as Temporal's reference implementation does.
 */
function localToUtc(cache: ZoneCache, local: number): number {
  const before = offsetAt(cache, local - DAY_MS)
  const after = offsetAt(cache, local + DAY_MS)
  if (before === after) return local - before
  const early = local - before
  const late = local - after
  const earlyExists = offsetAt(cache, early) === before
  const lateExists = offsetAt(cache, late) === after
  // Fall-back overlap: both exist, take the earlier instant.
  if (earlyExists && lateExists) return Math.min(early, late)
  if (lateExists) return late
  // earlyExists, or a spring-forward gap: the offset in force before the transition, so
  // New York 02:30 on a spring-forward day becomes 03:30 EDT (Temporal's 'compatible').
  return early
}

// ---------------------------------------------------------------------------------------------
// Wall times

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max
}

/** Four-digit years only: Date.UTC reads 0–99 as 1900–1999. */
function isValidWallTime(t: Required<WallTime>): boolean {
  return (
    inRange(t.year, 1000, 9999) &&
    inRange(t.month, 1, 12) &&
    inRange(t.day, 1, daysInMonth(t.year, t.month)) &&
    inRange(t.hour, 0, 23) &&
    inRange(t.minute, 0, 59) &&
    inRange(t.second, 0, 59) &&
    inRange(t.millisecond, 0, 999)
  )
}

function complete(parts: WallTime): Required<WallTime> {
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    millisecond: parts.millisecond ?? 0,
  }
}

function wallAsUtc(t: Required<WallTime>): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond)
}

/**
 * The UTC instant of a wall-clock time in an IANA zone. A time skipped by a spring-forward
 * transition takes the offset in force before it (New York 02:30 → 03:30 EDT); a time repeated
 * by a fall-back transition is the earlier instant (New York 01:30 → 01:30 EDT, not EST).
 */
export function zonedToUtc(parts: WallTime, zone: string): EpochMs {
  const wall = complete(parts)
  if (!isValidWallTime(wall)) {
    throw new TimeParseError(`${JSON.stringify(parts)} is not a valid date and time`)
  }
  return localToUtc(zoneCache(zone), wallAsUtc(wall))
}

/**
 * A range bound given as text: a calendar date `YYYY-MM-DD` is the start of that day in `zone`
 * after adding `addDays` (1 makes an exclusive `to` that includes the whole day); anything else
 * is read as an ISO 8601 instant. The caller has checked the text is one or the other.
 */
export function rangeBound(text: string, zone: string, addDays = 0): EpochMs {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!date) return Date.parse(text)
  const [year, month, day] = date.slice(1).map(Number) as [number, number, number]
  const calendar = new Date(Date.UTC(year, month - 1, day + addDays))
  return zonedToUtc(
    {
      year: calendar.getUTCFullYear(),
      month: calendar.getUTCMonth() + 1,
      day: calendar.getUTCDate(),
    },
    zone,
  )
}

/** The calendar day ('YYYY-MM-DD') an instant falls on in `zone`. */
export function calendarDate(instant: EpochMs, zone: string): string {
  if (!Number.isFinite(instant)) throw new TimeParseError(`${instant} is not an instant`)
  const cache = zoneCache(zone)
  const day = Math.floor((instant + offsetAt(cache, instant)) / DAY_MS)
  let date = cache.dates.get(day)
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10)
    cache.dates.set(day, date)
  }
  return date
}

// ---------------------------------------------------------------------------------------------
// Text

type Group = 'y' | 'mo' | 'd' | 'h' | 'mi' | 's' | 'f' | 'ap' | 'z'

/** A piece of a pattern and the names of its capturing groups, in order. */
interface Fragment {
  source: string
  groups: readonly Group[]
}

interface FormatSpec {
  pattern: RegExp
  /** Group name → capture index. Numbered groups: named ones make V8's matcher 3× slower. */
  index: Partial<Record<Group, number>>
  /** What the user is told the text should look like. */
  expected: string
}

const cap = (group: Group, source: string): Fragment => ({ source: `(${source})`, groups: [group] })
const YEAR = cap('y', String.raw`\d{4}|\d{2}`)
const YEAR4 = cap('y', String.raw`\d{4}`)
const MONTH = cap('mo', String.raw`\d{1,2}`)
const MONTH2 = cap('mo', String.raw`\d{2}`)
const DAY = cap('d', String.raw`\d{1,2}`)
const DAY2 = cap('d', String.raw`\d{2}`)
const HOUR2 = cap('h', String.raw`\d{2}`)
const MINUTE2 = cap('mi', String.raw`\d{2}`)
const SECOND2 = cap('s', String.raw`\d{2}`)
const MERIDIEM = cap('ap', 'AM|PM')
const TIME: Fragment = {
  source: String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?`,
  groups: ['h', 'mi', 's', 'f'],
}
const ZONE: Fragment = {
  source: String.raw`(?:\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{3,4}))?`,
  groups: ['z'],
}

/** Tag: the literal text is regex source (raw), the interpolations are fragments. */
function pattern(
  literals: TemplateStringsArray,
  ...fragments: Fragment[]
): Omit<FormatSpec, 'expected'> {
  let source = literals.raw[0] ?? ''
  const index: Partial<Record<Group, number>> = {}
  let count = 0
  fragments.forEach((fragment, i) => {
    source += fragment.source + (literals.raw[i + 1] ?? '')
    for (const group of fragment.groups) index[group] = ++count
  })
  return { pattern: new RegExp(`^${source}$`, 'i'), index }
}

const FORMATS: Record<TimestampFormat, FormatSpec> = {
  iso: {
    ...pattern`${YEAR4}-${MONTH2}-${DAY2}[T ]${TIME}${ZONE}`,
    expected: 'YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM',
  },
  'ibkr-flex': {
    ...pattern`${YEAR4}-?${MONTH2}-?${DAY2}(?:;|,\s?|\s)${HOUR2}:?${MINUTE2}:?${SECOND2}${ZONE}`,
    expected: 'YYYYMMDD;HHMMSS',
  },
  'ibkr-statement': {
    ...pattern`${YEAR4}-${MONTH2}-${DAY2},\s*${TIME}${ZONE}`,
    expected: 'YYYY-MM-DD, HH:MM:SS',
  },
  'us-slash': {
    ...pattern`${MONTH}/${DAY}/${YEAR}\s+${TIME}${ZONE}`,
    expected: 'MM/DD/YYYY HH:MM:SS',
  },
  'us-slash-ampm': {
    ...pattern`${MONTH}/${DAY}/${YEAR}\s+${TIME}\s*${MERIDIEM}${ZONE}`,
    expected: 'MM/DD/YY hh:mm:ss AM|PM',
  },
  'eu-slash': {
    ...pattern`${DAY}[/.]${MONTH}[/.]${YEAR}\s+${TIME}${ZONE}`,
    expected: 'DD/MM/YYYY HH:MM:SS',
  },
  metatrader: {
    ...pattern`${YEAR4}\.${MONTH2}\.${DAY2}\s+${TIME}${ZONE}`,
    expected: 'YYYY.MM.DD HH:MM:SS',
  },
  'date-us': { ...pattern`${MONTH}/${DAY}/${YEAR}`, expected: 'MM/DD/YYYY' },
  'date-iso': { ...pattern`${YEAR4}-${MONTH2}-${DAY2}`, expected: 'YYYY-MM-DD' },
  'date-compact': { ...pattern`${YEAR4}${MONTH2}${DAY2}`, expected: 'YYYYMMDD' },
}

/** Fixed offsets (hours) of the abbreviations brokers print; US ones mean the US zones. */
const ABBREVIATIONS: Readonly<Record<string, number>> = {
  Z: 0,
  UTC: 0,
  GMT: 0,
  EST: -5,
  EDT: -4,
  CST: -6,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
}

/** Offset in ms of a zone suffix, or undefined when it is not one we know. */
function suffixOffset(suffix: string): number | undefined {
  const upper = suffix.toUpperCase()
  const hours = ABBREVIATIONS[upper]
  if (hours !== undefined) return hours * HOUR_MS
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(upper)
  if (!match) return undefined
  const h = Number(match[2])
  const m = Number(match[3] ?? '0')
  if (h > 18 || m > 59) return undefined
  return (match[1] === '-' ? -1 : 1) * (h * HOUR_MS + m * 60_000)
}

function fullYear(digits: string): number {
  const year = Number(digits)
  if (digits.length !== 2) return year
  return year < 69 ? 2000 + year : 1900 + year
}

/**
 * Parses a broker timestamp to a UTC instant. Times without an offset are read in `zone`
 * (an IANA name), with {@link zonedToUtc}'s rules for DST gaps and overlaps.
 */
export function parseTimestamp(text: string, format: TimestampFormat, zone: string): EpochMs {
  const cache = zoneCache(zone)
  const spec = FORMATS[format]
  const match = spec.pattern.exec(text.trim())
  if (!match) throw invalidTimestamp(text, spec)
  let hour = Number(capture(match, spec, 'h') ?? '0')
  const meridiem = capture(match, spec, 'ap')
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw invalidTimestamp(text, spec)
    hour = (hour % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0)
  }
  const fraction = capture(match, spec, 'f')
  const wall: Required<WallTime> = {
    year: fullYear(capture(match, spec, 'y') ?? ''),
    month: Number(capture(match, spec, 'mo')),
    day: Number(capture(match, spec, 'd')),
    hour,
    minute: Number(capture(match, spec, 'mi') ?? '0'),
    second: Number(capture(match, spec, 's') ?? '0'),
    millisecond: fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0')),
  }
  if (!isValidWallTime(wall)) throw invalidTimestamp(text, spec)
  const suffix = capture(match, spec, 'z')
  if (suffix === undefined) return localToUtc(cache, wallAsUtc(wall))
  const offset = suffixOffset(suffix)
  if (offset === undefined) throw invalidTimestamp(text, spec, `unknown zone '${suffix}'; `)
  return wallAsUtc(wall) - offset
}

function capture(match: RegExpExecArray, spec: FormatSpec, name: Group): string | undefined {
  const at = spec.index[name]
  return at === undefined ? undefined : match[at]
}

function invalidTimestamp(text: string, spec: FormatSpec, why = ''): TimeParseError {
  return new TimeParseError(`'${text}' is not a valid date (${why}expected ${spec.expected})`)
}
