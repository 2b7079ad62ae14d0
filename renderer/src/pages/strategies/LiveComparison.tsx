import { ErrorNotice } from '../../components/ErrorNotice'
import { comparedFigures, differenceText, figureText, Missing } from '../../components/figures'
import { useStrategiesStore } from '../../stores/strategies'

/** The chosen backtest's figures beside the live trades' over the same days, and the difference. */
export function LiveComparison() {
  const { comparing, comparison, comparisonError, compare } = useStrategiesStore()
  if (!comparing) return null
  if (comparisonError) {
    return (
      <div className="strategy-card-body">
        <ErrorNotice
          title="Could not compare"
          error={comparisonError}
          onRetry={() => void compare(comparing)}
        />
      </div>
    )
  }
  if (!comparison) {
    return (
      <p className="strategy-card-body muted" aria-busy="true">
        Comparing…
      </p>
    )
  }
  return (
    <div className="strategy-comparison">
      <h4 className="strategy-comparison-title">
        {comparison.backtest.name} against the live trades closed {comparison.period.from} –{' '}
        {comparison.period.to}
      </h4>
      <div className="table-scroll">
        <table className="data-table strategy-comparison-table" data-testid="comparison">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col" className="num">
                Backtest
              </th>
              <th scope="col" className="num">
                Live
              </th>
              <th scope="col" className="num">
                Live − backtest
              </th>
            </tr>
          </thead>
          <tbody>
            {comparedFigures.map((figure) => {
              const difference = differenceText(figure.kind, comparison.differences[figure.key])
              return (
                <tr key={figure.key}>
                  <th scope="row">{figure.label}</th>
                  <td className="num">
                    {figureText(figure.kind, comparison.backtestStats[figure.key]) ?? <Missing />}
                  </td>
                  <td className="num">
                    {figureText(figure.kind, comparison.liveStats[figure.key]) ?? <Missing />}
                  </td>
                  <td className="num strategy-difference">{difference ?? <Missing />}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </div>
  )
}
