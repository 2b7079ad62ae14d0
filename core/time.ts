/**
 * Times are stored as UTC instants (epoch milliseconds) plus, where known, the IANA zone the
 * source gave them in. See docs/decisions/0003-times-as-utc-instants.md.
 */

/** Epoch milliseconds, UTC. */
export type EpochMs = number

/** True when the runtime knows `zone` as an IANA time zone name ("America/New_York", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** ISO 8601 in UTC with milliseconds: the one text form Blotter prints times in. */
export function toIsoUtc(instant: EpochMs): string {
  return new Date(instant).toISOString()
}
