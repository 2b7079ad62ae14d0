import { HistogramSeries, type UTCTimestamp } from 'lightweight-charts'
import { useEffect, type ReactNode } from 'react'
import { Link } from 'react-router'
import type { DashboardView } from '../../../../contract'
import { Figure } from '../../components/figures'
import { token, useChart } from '../../components/useChart'
import { decimalSign } from '../../lib/decimal'

/** The journal at a glance: every closed trade's headline figures and the last days' P&L. */
export function Dashboard({ view }: { view: DashboardView }) {
  const unrealized = view.openPositions > 0 && (
    <DashboardFigure
      label={unrealizedLabel(view)}
      testId="dashboard-unrealized"
      title={unrealizedTitle(view)}
    >
      <Figure kind="money" value={view.unrealizedPnl} tone />
    </DashboardFigure>
  )
  if (view.trades === 0) {
    return (
      <section className="card dashboard-empty" aria-label="Dashboard">
        <p>
          No closed trades yet. <Link to="/import">Import a broker file</Link> to see your figures
          here.
        </p>
        {/* Positions still open have figures already: what they are worth at the last close. */}
        {unrealized && <dl className="dashboard-figures">{unrealized}</dl>}
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
        {unrealized}
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

/** "Unrealized, 3 open", or "Unrealized, 2 of 3 open" when some have no candles to mark them. */
function unrealizedLabel(view: DashboardView): string {
  const open = view.openPositions
  const marked = view.markedPositions
  return marked === open ? `Unrealized, ${open} open` : `Unrealized, ${marked} of ${open} open`
}

function unrealizedTitle(view: DashboardView): string {
  const unmarked = view.openPositions - view.markedPositions
  return (
    'The open positions marked to the latest candle close of their instrument; fees paid are ' +
    `not in it.${unmarked > 0 ? ` ${unmarked} of them have no candles and are left out.` : ''}`
  )
}

function DashboardFigure({
  label,
  testId,
  title,
  children,
}: {
  label: string
  testId?: string
  title?: string
  children: ReactNode
}) {
  return (
    <div className="dashboard-figure" title={title}>
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
