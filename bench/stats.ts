/**
 * Statistics at scale (issue #4 §1): a journal of N closed round trips (default 10^6), then
 * - the unfiltered dashboard figures (`stats.dashboard`, read from the daily aggregates),
 * - full computations with filters (`stats.summary`, `stats.groups`, `stats.daily`),
 * - a 100-row page of the trade list (`trades.list`),
 * each beside a plain SQL aggregate or read over the same rows in the same run.
 * Goals: dashboard ≤ 100 ms, any filtered full computation ≤ 1.5 s, a page ≤ 5 ms.
 *
 * BLOTTER_BENCH_STATS=groups,summary (any of dashboard, summary, groups, daily, page) measures
 * only those; the daily aggregates are built only for the dashboard. Unset: everything.
 */
import { join } from 'node:path'
import type { Method, MethodInput, MethodResult } from '../contract'
import { refreshAggregates } from '../db/queries/daily-aggregates'
import { openJournal } from '../db/open'
import { createServices } from '../services'
import { dispatch } from '../services/dispatch'
import { tempDir } from '../test/support/temp'
import { seedClosedPositions } from './fixtures-stats'
import { report, timeMedian, timeMedianAsync, timeOnce } from './report'

const FIGURES = ['dashboard', 'summary', 'groups', 'daily', 'page'] as const
type Figure = (typeof FIGURES)[number]

function selectedFigures(): ReadonlySet<Figure> {
  const names = process.env.BLOTTER_BENCH_STATS?.split(',').filter((name) => name !== '')
  if (names === undefined || names.length === 0) return new Set(FIGURES)
  for (const name of names) {
    if (!(FIGURES as readonly string[]).includes(name)) {
      throw new Error(`BLOTTER_BENCH_STATS: unknown figure "${name}"; known: ${FIGURES.join(', ')}`)
    }
  }
  return new Set(names as Figure[])
}

export async function statsBenchmark(maxRows: number): Promise<void> {
  const figures = selectedFigures()
  const rows = Math.min(maxRows, 1_000_000)
  const { dir, cleanup } = tempDir('blotter-bench-stats-')
  const journal = await openJournal(join(dir, 'journal.db'))
  try {
    const seeded = timeOnce(() => seedClosedPositions(journal.sqlite, rows))
    console.log(
      `  seeded ${rows.toLocaleString('en-US')} closed round trips in ${(seeded.ms / 1000).toFixed(1)} s`,
    )
    if (figures.has('dashboard')) {
      const aggregated = timeOnce(() =>
        journal.sqlite.transaction(() => {
          const accounts = journal.sqlite
            .prepare('SELECT id FROM accounts')
            .pluck()
            .all() as string[]
          refreshAggregates(journal.sqlite, new Map(accounts.map((id) => [id, null])))
        })(),
      )
      console.log(`  daily aggregates built from scratch in ${(aggregated.ms / 1000).toFixed(1)} s`)
    }

    const services = createServices({ journal, host: 'cli', secrets: null })
    const call = async <M extends Method>(
      method: M,
      input: MethodInput<M>,
    ): Promise<MethodResult<M>> => {
      const response = await dispatch(services, method, input)
      if (!response.ok) throw new Error(`${method}: ${response.error.message}`)
      return response.value as MethodResult<M>
    }
    const sqlite = journal.sqlite

    if (figures.has('dashboard')) {
      const plainSum = sqlite.prepare(
        `SELECT count(*), sum(net_pnl), sum(CASE WHEN net_pnl > 0 THEN 1 ELSE 0 END)
         FROM positions WHERE status = 'closed' AND deleted_at IS NULL`,
      )
      const plainSumRaw = timeMedian(3, () => plainSum.get())
      report({
        name: 'dashboard figures (stats.dashboard)',
        ms: await timeMedianAsync(5, () => call('stats.dashboard', {})),
        rawMs: plainSumRaw,
        rawLabel: 'SQL count + sum over positions',
        goalMs: 100,
      })
    }

    if (figures.has('summary') || figures.has('groups') || figures.has('daily')) {
      const plainRead = sqlite
        .prepare(
          `SELECT net_pnl, gross_pnl, fees, opened_at, closed_at FROM positions
           WHERE status = 'closed' AND deleted_at IS NULL ORDER BY closed_at`,
        )
        .raw()
      const plainReadMs = timeMedian(1, () => plainRead.all())
      const fullComputation = async (name: string, work: () => Promise<unknown>) =>
        report({
          name,
          // An odd count: the median of 3 is a middle run, the "median" of 2 was the slower.
          ms: await timeMedianAsync(3, work),
          rawMs: plainReadMs,
          rawLabel: 'SQL read of every closed row',
          goalMs: 1500,
        })
      if (figures.has('summary')) {
        const filters: [string, MethodInput<'stats.summary'>][] = [
          ['all trades', {}],
          [`account ${seeded.value.accounts[0]}`, { account: seeded.value.accounts[0] }],
          [`strategy ${seeded.value.strategies[0]}`, { strategy: seeded.value.strategies[0] }],
          [`tag ${seeded.value.tags[0]}`, { tag: seeded.value.tags[0] }],
          ['side short, one year', { side: 'short', from: '2025-01-01', to: '2025-12-31' }],
        ]
        for (const [label, filter] of filters) {
          await fullComputation(`stats.summary, ${label}`, () => call('stats.summary', filter))
        }
      }
      if (figures.has('groups')) {
        // Symbol reads a key column; tag, the slowest key, reads the tag links apart.
        for (const groupBy of ['symbol', 'tag'] as const) {
          await fullComputation(`stats.groups by ${groupBy}, all trades`, () =>
            call('stats.groups', { groupBy }),
          )
        }
      }
      if (figures.has('daily')) {
        await fullComputation('stats.daily, all trades', () => call('stats.daily', {}))
      }
    }

    if (figures.has('page')) {
      const plainPage = sqlite.prepare(
        `SELECT * FROM positions WHERE deleted_at IS NULL ORDER BY opened_at, id LIMIT 100`,
      )
      const first = await call('trades.list', { limit: 100 })
      const after = first.next ?? undefined
      report({
        name: 'trades.list, a 100-row page deep in the list',
        ms: await timeMedianAsync(20, () =>
          call('trades.list', { limit: 100, ...(after && { after }) }),
        ),
        rawMs: timeMedian(20, () => plainPage.all()),
        rawLabel: 'SQL first 100 rows',
        goalMs: 5,
      })
      // The page the Trades page opens with: the same index walked from its end.
      const plainNewest = sqlite.prepare(
        `SELECT * FROM positions WHERE deleted_at IS NULL ORDER BY opened_at DESC, id DESC LIMIT 100`,
      )
      report({
        name: 'trades.list, the newest 100 rows',
        ms: await timeMedianAsync(20, () => call('trades.list', { limit: 100, newestFirst: true })),
        rawMs: timeMedian(20, () => plainNewest.all()),
        rawLabel: 'SQL newest 100 rows',
        goalMs: 5,
      })
    }
  } finally {
    journal.close()
    cleanup()
  }
}
