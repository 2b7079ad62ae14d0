/**
 * Times are stored as UTC instants (epoch milliseconds) plus, where known, the IANA zone the
 * source gave them in. See docs/decisions/0003-times-as-utc-instants.md.
 */

/** Epoch milliseconds, UTC. */
export type EpochMs = number

// Answers by zone name: building an Intl.DateTimeFormat costs ~3 µs, and the daily aggregates ask
// once per day of history.
const knownZones = new Map<string, boolean>()

/** True when the runtime knows `zone` as an IANA time zone name ("America/New_York", "UTC"). */
export function isTimeZone(zone: string): boolean {
  const known = knownZones.get(zone)
  if (known !== undefined) return known
  let valid = zone.trim() !== ''
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone })
    } catch {
      valid = false
    }
  }
  if (knownZones.size < 1_000) knownZones.set(zone, valid)
  return valid
}

/** ISO 8601 in UTC with milliseconds: the one text form Blotter prints times in. */
export function toIsoUtc(instant: EpochMs): string {
  return new Date(instant).toISOString()
}
