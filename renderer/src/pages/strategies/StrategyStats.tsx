import type { StatisticsView } from '../../../../contract'
import { Figure, headlineFigures } from '../../components/figures'
import type { ApiError } from '../../lib/api'

/** The headline figures of the strategy's closed trades, or why there are none. */
export function StrategyStats({
  stats,
  error,
}: {
  stats: StatisticsView | null
  error: ApiError | null
}) {
  if (error) {
    return (
      <p className="strategy-stats-note muted" role="status">
        Statistics unavailable: {error.message}
      </p>
    )
  }
  if (stats && stats.trades === 0) {
    return (
      <p className="strategy-stats-note muted">
        No closed trades assigned yet — apply the assignment rules, or assign trades by hand
        (blotter strategies assign).
      </p>
    )
  }
  return (
    <dl className="strategy-stats" aria-label="Statistics of its closed trades">
      {headlineFigures.map((figure) => (
        <div key={figure.key} className="strategy-stat">
          <dt>{figure.label}</dt>
          <dd className="num">
            {stats ? (
              <Figure
                kind={figure.kind}
                value={stats[figure.key]}
                tone={figure.toned}
                testId={`stat-${figure.key}`}
              />
            ) : (
              <span className="muted">…</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  )
}
