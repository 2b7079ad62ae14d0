import { ErrorNotice } from '../../components/ErrorNotice'
import { useStrategiesStore } from '../../stores/strategies'
import { AssignmentCard } from './AssignmentCard'
import { BacktestsCard } from './BacktestsCard'
import { ChecklistCard } from './ChecklistCard'
import { ConfigEditor } from './ConfigEditor'
import { StrategyOverview } from './StrategyOverview'
import { VersionHistory } from './VersionHistory'

/** The chosen strategy: overview, checklist, assignment rules, config, versions and backtests. */
export function StrategyDetailView() {
  const { detail, detailStatus, detailError, selectedId, select } = useStrategiesStore()
  if (detailError) {
    return (
      <ErrorNotice
        title="Could not load the strategy"
        error={detailError}
        onRetry={() => void select(selectedId)}
      />
    )
  }
  if (!detail) {
    return detailStatus === 'loading' ? (
      <p className="muted" aria-busy="true">
        Loading the strategy…
      </p>
    ) : (
      <div className="card empty-state">
        <p>Choose a strategy on the left to see its rules, versions and results.</p>
      </div>
    )
  }
  return (
    <section
      className="strategy-detail"
      aria-labelledby="strategy-title"
      aria-busy={detailStatus === 'loading'}
      key={detail.id}
    >
      <StrategyOverview detail={detail} />
      <div className="strategy-columns">
        <ChecklistCard detail={detail} />
        <AssignmentCard detail={detail} />
      </div>
      <ConfigEditor detail={detail} />
      <VersionHistory detail={detail} />
      <BacktestsCard />
    </section>
  )
}
