import type { StrategyView } from '../../../../contract'
import { formatPercent, SignedMoney } from '../../components/figures'
import { formatCount } from '../../lib/format'
import { useStrategiesStore } from '../../stores/strategies'
import { statusBadges, statusLabels, typeLabels } from './labels'

/** The strategies to choose from, each with its status, trade count and headline figures. */
export function StrategyList({
  strategies,
  onSelect,
}: {
  strategies: StrategyView[]
  onSelect: () => void
}) {
  const { selectedId, figures, figuresError, select } = useStrategiesStore()
  return (
    <nav className="card strategy-list" aria-labelledby="strategy-list-title">
      <div className="card-header">
        <h2 id="strategy-list-title" className="card-title">
          Strategies
        </h2>
      </div>
      <ul>
        {strategies.map((strategy) => {
          const figure = figures[strategy.id] ?? figures[strategy.name]
          return (
            <li key={strategy.id}>
              <button
                type="button"
                className="strategy-item"
                aria-current={strategy.id === selectedId ? 'true' : undefined}
                data-testid="strategy-item"
                onClick={() => {
                  onSelect()
                  void select(strategy.id)
                }}
              >
                <span className="strategy-item-line">
                  <span className="strategy-item-name">{strategy.name}</span>
                  <span className={statusBadges[strategy.status]}>
                    {statusLabels[strategy.status]}
                  </span>
                </span>
                <span className="strategy-item-line muted">
                  <span>
                    {typeLabels[strategy.type]} · {formatCount(strategy.trades)}{' '}
                    {strategy.trades === 1 ? 'trade' : 'trades'}
                  </span>
                  {figure && figure.trades > 0 && (
                    <span className="strategy-item-figures">
                      <SignedMoney value={figure.netPnl} />
                      {figure.winRate !== null && (
                        <span title="Win rate">{formatPercent(figure.winRate)}</span>
                      )}
                    </span>
                  )}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
      {figuresError && (
        <p className="muted strategy-list-note" role="status">
          Figures unavailable: {figuresError.message}
        </p>
      )}
    </nav>
  )
}
