const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })

export function formatCount(value: number): string {
  return integer.format(value)
}

export function formatTime(value: Date): string {
  return time.format(value)
}
