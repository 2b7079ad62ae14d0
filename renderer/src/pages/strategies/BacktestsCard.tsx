import type { BacktestView } from '../../../../contract'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Figure } from '../../components/figures'
import { formatCount } from '../../lib/format'
import { useStrategiesStore } from '../../stores/strategies'
import { BacktestImport } from './BacktestImport'
import { LiveComparison } from './LiveComparison'

/** The strategy's backtests, the one being compared with the live trades, and importing another. */
export function BacktestsCard() {
  const { backtests, backtestsError, comparing, compare } = useStrategiesStore()
  return (
    <section className="card" aria-labelledby="backtests-title">
      <div className="card-header">
        <h3 id="backtests-title" className="card-title">
          Backtests
        </h3>
      </div>
      {backtestsError && (
        <div className="strategy-card-body">
          <ErrorNotice title="Could not load the backtests" error={backtestsError} />
        </div>
      )}
      {backtests.length === 0 ? (
        <p className="strategy-card-body muted">
          No backtests yet — import a backtest&apos;s trade list below to compare it with the live
          trades.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table strategy-backtests">
            <thead>
              <tr>
                <th scope="col">Backtest</th>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  Trades
                </th>
                <th scope="col" className="num">
                  Net P&amp;L
                </th>
                <th scope="col" className="num">
                  Win rate
                </th>
                <th scope="col">
                  <span className="visually-hidden">Compare</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backtests.map((backtest) => (
                <BacktestRow
                  key={backtest.id}
                  backtest={backtest}
                  active={comparing === backtest.id}
                  onCompare={() => void compare(comparing === backtest.id ? null : backtest.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LiveComparison />
      <BacktestImport />
    </section>
  )
}

function BacktestRow({
  backtest,
  active,
  onCompare,
}: {
  backtest: BacktestView
  active: boolean
  onCompare: () => void
}) {
  const stats = backtest.statistics
  return (
    <tr data-testid="backtest-row">
      <th scope="row" className="strategy-cell-text" title={backtest.name}>
        {backtest.name}
        {backtest.strategyVersion !== null && (
          <span className="muted"> · v{backtest.strategyVersion}</span>
        )}
      </th>
      <td className="strategy-nowrap">
        {backtest.periodStart} – {backtest.periodEnd}
      </td>
      <td className="num">{formatCount(backtest.trades)}</td>
      <td className="num">
        <Figure kind="money" value={stats?.netPnl} tone />
      </td>
      <td className="num">
        <Figure kind="percent" value={stats?.winRate} />
      </td>
      <td className="strategy-row-action">
        <button
          type="button"
          className="button button-small"
          aria-pressed={active}
          aria-label={`Compare ${backtest.name} with the live trades`}
          onClick={onCompare}
        >
          Compare
        </button>
      </td>
    </tr>
  )
}
