import type { StrategyDetail } from '../../../../contract'
import { useStrategiesStore } from '../../stores/strategies'
import { ArchiveControl } from './ArchiveControl'
import { statusBadges, statusLabels, typeLabels } from './labels'
import { StrategyStats } from './StrategyStats'

/** The strategy's name, type, status, description and tags, over its headline figures. */
export function StrategyOverview({ detail }: { detail: StrategyDetail }) {
  const { stats, statsError } = useStrategiesStore()
  return (
    <div className="card">
      <div className="card-header strategy-overview-header">
        <div className="strategy-heading">
          <h2 id="strategy-title" className="strategy-name">
            {detail.name}
          </h2>
          <span className="badge">{typeLabels[detail.type]}</span>
          <span className={statusBadges[detail.status]} data-testid="strategy-status">
            {statusLabels[detail.status]}
          </span>
        </div>
        <ArchiveControl detail={detail} />
      </div>
      <div className="strategy-about">
        {detail.description ? (
          <p className="strategy-description">{detail.description}</p>
        ) : (
          <p className="muted">No description.</p>
        )}
        {detail.tags.length > 0 && (
          <ul className="strategy-tags" aria-label="Tags">
            {detail.tags.map((tag) => (
              <li key={tag} className="badge badge-accent">
                {tag}
              </li>
            ))}
          </ul>
        )}
      </div>
      <StrategyStats stats={stats} error={statsError} />
    </div>
  )
}
