/**
 * How every benchmark reports: its figure beside the raw limit measured in the same run, the
 * ratio, and the goal it is held to. Numbers, not pass/fail tests: machines vary.
 */
export interface Measurement {
  name: string
  /** What Blotter's code path took. */
  ms: number
  /** The same work done the plainest way possible, in the same run. */
  rawMs?: number
  rawLabel?: string
  /** Rows handled, to print a rate. */
  rows?: number
  /** Goal in milliseconds for `ms`. */
  goalMs?: number
}

export function report(m: Measurement): void {
  const parts = [`${m.name.padEnd(44)} ${formatMs(m.ms).padStart(10)}`]
  if (m.rows) parts.push(`${formatRate(m.rows, m.ms).padStart(14)}`)
  if (m.rawMs !== undefined) {
    parts.push(`raw ${m.rawLabel ?? ''} ${formatMs(m.rawMs)}`.trim())
    parts.push(`ratio ${(m.ms / Math.max(m.rawMs, 0.001)).toFixed(2)}×`)
  }
  if (m.goalMs !== undefined) {
    parts.push(`goal ≤ ${formatMs(m.goalMs)} ${m.ms <= m.goalMs ? 'met' : 'MISSED'}`)
  }
  console.log(parts.join('  '))
}

/** Median wall time of `runs` calls (after one warm-up call). */
export function timeMedian(runs: number, work: () => void): number {
  work()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    work()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] as number
}

/** {@link timeMedian} for async work. */
export async function timeMedianAsync(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await work()
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] as number
}

export function timeOnce<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now()
  const value = work()
  return { ms: performance.now() - started, value }
}

export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`
}

function formatRate(rows: number, ms: number): string {
  return `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`
}
