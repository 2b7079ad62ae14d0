let zoneList: string[] | undefined

/** IANA zones the runtime knows, UTC first, for the suggestions of time zone boxes. */
export function timeZones(): string[] {
  zoneList ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')]
  return zoneList
}
