import { useEffect, useId, useState } from 'react'
import { ErrorNotice } from '../components/ErrorNotice'
import { formatCount } from '../lib/format'
import { useStrategiesStore } from '../stores/strategies'
import { CreateStrategyForm } from './strategies/CreateStrategyForm'
import { StrategyDetailView } from './strategies/StrategyDetailView'
import { StrategyList } from './strategies/StrategyList'
import './StrategiesPage.css'

/** Strategies on the left, the chosen one's definition, versions, figures and backtests beside. */
export function StrategiesPage() {
  const { strategies, status, error, selectedId, load, select } = useStrategiesStore()
  const [showArchived, setShowArchived] = useState(false)
  const [creating, setCreating] = useState(false)
  const archivedId = useId()

  useEffect(() => {
    void load()
  }, [load])

  const shown = strategies.filter(
    (s) => showArchived || s.status !== 'archived' || s.id === selectedId,
  )
  const first = shown[0]
  // Something to look at from the start: the first strategy, unless the user chose otherwise.
  useEffect(() => {
    if (status === 'ready' && selectedId === null && !creating && first) void select(first.id)
  }, [status, selectedId, creating, first, select])

  const archivedCount = strategies.filter((s) => s.status === 'archived').length
  const empty = status === 'ready' && strategies.length === 0
  return (
    <div className="page page-wide" aria-busy={status === 'loading' && strategies.length === 0}>
      <header className="page-header">
        <h1>Strategies</h1>
        <div className="page-actions">
          {archivedCount > 0 && (
            <label className="strategy-toggle" htmlFor={archivedId}>
              <input
                id={archivedId}
                type="checkbox"
                checked={showArchived}
                onChange={(event) => setShowArchived(event.target.checked)}
              />
              Show archived ({formatCount(archivedCount)})
            </label>
          )}
          {!empty && (
            <button
              type="button"
              className="button button-primary"
              aria-expanded={creating}
              onClick={() => setCreating(!creating)}
            >
              New strategy
            </button>
          )}
        </div>
      </header>
      {error && <ErrorNotice title="Could not load the strategies" error={error} onRetry={load} />}
      {status === 'loading' && strategies.length === 0 && (
        <p className="muted">Loading strategies…</p>
      )}
      {empty && (
        <div className="strategy-empty">
          <div className="card empty-state">
            <p>No strategies yet — create one below.</p>
            <p className="muted">
              Name the setup you trade, list the rules you check before entering, and give it
              assignment rules to collect its trades.
            </p>
          </div>
          <CreateStrategyForm onClose={null} />
        </div>
      )}
      {strategies.length > 0 && (
        <div className="strategy-layout">
          <StrategyList strategies={shown} onSelect={() => setCreating(false)} />
          <div className="strategy-main">
            {creating ? (
              <CreateStrategyForm onClose={() => setCreating(false)} />
            ) : (
              <StrategyDetailView />
            )}
          </div>
        </div>
      )}
    </div>
  )
}
