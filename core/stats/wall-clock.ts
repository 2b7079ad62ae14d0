/**
 * Calendar days, weekdays and hours of instants in a zone, fast enough for a million trades:
 * the zone's offset is asked from Intl twice per UTC day and cached (asking once per trade, or
 * per hour, costs seconds). A day whose two ends disagree holds a transition: its instants are
 * asked one by one.
 */
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
const OFFSET_RE = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/

interface ZoneOffsets {
  format: Intl.DateTimeFormat
  /** UTC day number → offset in ms; NaN when the offset changes during that day. */
  byDay: Map<number, number>
}

const zones = new Map<string, ZoneOffsets>()
const dates = new Map<number, string>()

function intlOffset(format: Intl.DateTimeFormat, instant: number): number {
  const name = format.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value
  const match = OFFSET_RE.exec(name ?? '')
  if (!match) throw new Error(`unexpected zone offset "${name}"`)
  const [, sign, hours = '0', minutes = '0'] = match
  const offset = (Number(hours) * 60 + Number(minutes)) * 60_000
  return sign === '-' ? -offset : offset
}

/** The last day asked: instants in closing order come many to a day, so most ask it again. */
const last = { zone: '', day: NaN, offset: NaN }

/** Wall time − UTC at `instant`, in ms. `zone` must be a valid IANA zone. */
export function zoneOffset(instant: number, zone: string): number {
  const day = Math.floor(instant / DAY_MS)
  if (day === last.day && zone === last.zone && !Number.isNaN(last.offset)) return last.offset
  let offsets = zones.get(zone)
  if (offsets === undefined) {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    offsets = { format, byDay: new Map() }
    zones.set(zone, offsets)
  }
  let offset = offsets.byDay.get(day)
  if (offset === undefined) {
    const start = intlOffset(offsets.format, day * DAY_MS)
    offset = start === intlOffset(offsets.format, day * DAY_MS + DAY_MS - 1) ? start : NaN
    offsets.byDay.set(day, offset)
  }
  last.zone = zone
  last.day = day
  last.offset = offset
  return Number.isNaN(offset) ? intlOffset(offsets.format, instant) : offset
}

/** Days since 1970-01-01 of the calendar date `instant` falls on in `zone`. */
export function localDayNumber(instant: number, zone: string): number {
  return Math.floor((instant + zoneOffset(instant, zone)) / DAY_MS)
}

/** 'YYYY-MM-DD' of a day number. */
export function dayDate(dayNumber: number): string {
  let date = dates.get(dayNumber)
  if (date === undefined) {
    date = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
    dates.set(dayNumber, date)
  }
  return date
}

/** 0 = Monday … 6 = Sunday, in `zone`. */
export function isoWeekdayIndex(instant: number, zone: string): number {
  // Day 0 (1970-01-01) was a Thursday, index 3.
  return (((localDayNumber(instant, zone) + 3) % 7) + 7) % 7
}

/** Hour of the day 0–23 in `zone`. */
export function hourOfDay(instant: number, zone: string): number {
  const local = instant + zoneOffset(instant, zone)
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS)
}
