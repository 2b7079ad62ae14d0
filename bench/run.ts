/**
 * `npm run bench [-- NAME…] [--rows N]`: runs the named benchmarks (all by default). Each prints
 * its figure beside the raw limit measured in the same run.
 */
import { candlesBenchmark } from './candles'
import { importBenchmark } from './import'
import { journalBenchmark } from './journal'
import { statsBenchmark } from './stats'

const benchmarks: Record<string, (rows: number) => Promise<void>> = {
  journal: journalBenchmark,
  import: importBenchmark,
  candles: candlesBenchmark,
  stats: statsBenchmark,
}

function parseArgs(argv: string[]): { names: string[]; rows: number } {
  const names: string[] = []
  let rows = 1_000_000
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--rows') {
      rows = Number(argv[++i])
      if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows takes a positive integer')
    } else if (arg in benchmarks) names.push(arg)
    else throw new Error(`unknown benchmark "${arg}"; known: ${Object.keys(benchmarks).join(', ')}`)
  }
  return { names: names.length > 0 ? names : Object.keys(benchmarks), rows }
}

try {
  const { names, rows } = parseArgs(process.argv.slice(2))
  for (const name of names) {
    console.log(`\n== ${name}`)
    await (benchmarks[name] as (rows: number) => Promise<void>)(rows)
  }
} catch (error) {
  console.error(`bench: ${(error as Error).message}`)
  process.exitCode = 2
}
