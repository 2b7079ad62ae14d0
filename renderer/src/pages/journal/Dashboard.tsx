import { HistogramSeries, type UTCTimestamp } from 'lightweight-charts'
import { useEffect, type ReactNode } from 'react'
import { Link } from 'react-router'
import type { DashboardView } from '../../../../contract'
import { Figure } from '../../components/figures'
import { token, useChart } from '../../components/useChart'
import { decimalSign } from '../../lib/decimal'

/** The journal at a glance: every closed trade's headline figures and the last days' P&L. */
export function Dashboard({ view }: { view: DashboardView }) {
  if (view.trades === 0) {
    return (
      <section className="card dashboard-empty" aria-label="Dashboard">
        <p>
          No closed trades yet. <Link to="/import">Import a broker file</Link> to see your figures
          here.
        </p>
      </section>
    )
  }
  return (
    <section className="card" aria-labelledby="dashboard-title">
      <div className="card-header">
        <h2 id="dashboard-title" className="card-title">
          All closed trades
        </h2>
        <Link to="/statistics">Every statistic</Link>
      </div>
      <dl className="dashboard-figures">
        <DashboardFigure label="Net P&L" testId="dashboard-net">
          <Figure kind="money" value={view.netPnl} tone />
        </DashboardFigure>
        <DashboardFigure label="Trades">
          <Figure kind="count" value={view.trades} />
        </DashboardFigure>
        <DashboardFigure label="Win rate">
          <Figure kind="percent" value={view.winRate} />
        </DashboardFigure>
        <DashboardFigure label="Profit factor">
          <Figure kind="ratio" value={view.profitFactor} />
        </DashboardFigure>
        <DashboardFigure label="Expectancy">
          <Figure kind="money" value={view.expectancy} tone />
        </DashboardFigure>
        <DashboardFigure label="Max drawdown (daily)">
          <Figure kind="money" value={view.maxDrawdown} />
        </DashboardFigure>
        <DashboardFigure label={`Best day${view.bestDay ? `, ${view.bestDay.date}` : ''}`}>
          <Figure kind="money" value={view.bestDay?.netPnl ?? null} tone />
        </DashboardFigure>
        <DashboardFigure label={`Worst day${view.worstDay ? `, ${view.worstDay.date}` : ''}`}>
          <Figure kind="money" value={view.worstDay?.netPnl ?? null} tone />
        </DashboardFigure>
      </dl>
      <DailyBars view={view} />
    </section>
  )
}

function DashboardFigure({
  label,
  testId,
  children,
}: {
  label: string
  testId?: string
  children: ReactNode
}) {
  return (
    <div className="dashboard-figure">
      <dt>{label}</dt>
      <dd className="num" data-testid={testId}>
        {children}
      </dd>
    </div>
  )
}

/** Net P&L of each of the last trading days, green up, red down. */
function DailyBars({ view }: { view: DashboardView }) {
  const [ref, chart] = useChart()
  useEffect(() => {
    if (!chart) return
    const bars = chart.addSeries(HistogramSeries, { priceLineVisible: false })
    bars.setData(
      view.daily.map((day) => ({
        time: (Date.parse(`${day.date}T00:00:00Z`) / 1000) as UTCTimestamp,
        value: Number(day.netPnl),
        color: token(decimalSign(day.netPnl) < 0 ? '--negative' : '--positive'),
      })),
    )
    chart.timeScale().fitContent()
    return () => chart.removeSeries(bars)
  }, [chart, view])
  return (
    <div
      className="dashboard-chart"
      ref={ref}
      role="img"
      aria-label={`Net P&L of the last ${view.daily.length} trading days`}
    />
  )
}
