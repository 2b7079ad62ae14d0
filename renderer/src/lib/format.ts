const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatCount(value: number): string {
  return integer.format(value)
}

/** "1 trade", "1,200 trades": the count with its noun in the right number. */
export function formatCountOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${integer.format(value)} ${value === 1 ? singular : plural}`
}

export function formatTime(value: Date): string {
  return time.format(value)
}

/** An instant in the reader's own zone and words, e.g. "Mar 2, 2026, 2:31 PM". */
export function formatDateTime(value: Date): string {
  return dateTime.format(value)
}

const stampFormats = new Map<string, Intl.DateTimeFormat>()

/**
 * An ISO instant as "2026-03-02 14:31:05" in the given IANA zone: fixed width, so a column of them
 * lines up and sorts by eye. Unknown zones fall back to UTC rather than throwing mid-render.
 */
export function formatStamp(iso: string, timeZone: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  let format = stampFormats.get(timeZone)
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })
    } catch {
      return formatStamp(iso, 'UTC')
    }
    stampFormats.set(timeZone, format)
  }
  const part = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`
}
