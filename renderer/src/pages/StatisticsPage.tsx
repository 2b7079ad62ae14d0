import { HistogramSeries, LineSeries } from 'lightweight-charts'
import { useEffect, useId, useState, type FormEvent } from 'react'
import type { DailyPointView, StatisticsView } from '../../../contract'
import { ErrorNotice } from '../components/ErrorNotice'
import { Figure, Missing, type FigureKind } from '../components/figures'
import { token, useChart } from '../components/useChart'
import { formatCount } from '../lib/format'
import {
  noStatsFilters,
  useStatisticsStore,
  type GroupKey,
  type StatsFilters,
} from '../stores/statistics'
import './StatisticsPage.css'

interface FigureRow {
  key: keyof StatisticsView
  label: string
  kind: FigureKind | 'duration'
  toned?: boolean
}

/** The figures, in the three questions a trader asks: did I make money, at what risk, with what edge. */
const SECTIONS: { title: string; figures: FigureRow[] }[] = [
  {
    title: 'Performance',
    figures: [
      { key: 'netPnl', label: 'Net P&L', kind: 'money', toned: true },
      { key: 'grossPnl', label: 'Gross P&L', kind: 'money', toned: true },
      { key: 'fees', label: 'Fees', kind: 'money' },
      { key: 'trades', label: 'Trades', kind: 'count' },
      { key: 'winRate', label: 'Win rate', kind: 'percent' },
      { key: 'profitFactor', label: 'Profit factor', kind: 'ratio' },
      { key: 'expectancy', label: 'Expectancy', kind: 'money', toned: true },
      { key: 'avgWin', label: 'Average win', kind: 'money', toned: true },
      { key: 'avgLoss', label: 'Average loss', kind: 'money', toned: true },
      { key: 'largestWin', label: 'Largest win', kind: 'money', toned: true },
      { key: 'largestLoss', label: 'Largest loss', kind: 'money', toned: true },
      { key: 'grossProfit', label: 'Gross profit', kind: 'money' },
      { key: 'grossLoss', label: 'Gross loss', kind: 'money' },
    ],
  },
  {
    title: 'Risk',
    figures: [
      { key: 'maxDrawdown', label: 'Max drawdown', kind: 'money' },
      { key: 'maxDrawdownPct', label: 'Max drawdown %', kind: 'percent' },
      { key: 'longestDrawdownDays', label: 'Longest drawdown (days)', kind: 'count' },
      { key: 'sharpe', label: 'Sharpe', kind: 'ratio' },
      { key: 'sortino', label: 'Sortino', kind: 'ratio' },
      { key: 'calmar', label: 'Calmar', kind: 'ratio' },
      { key: 'var95', label: 'VaR 95 % (day)', kind: 'money' },
      { key: 'cvar95', label: 'CVaR 95 % (day)', kind: 'money' },
      { key: 'var99', label: 'VaR 99 % (day)', kind: 'money' },
      { key: 'cvar99', label: 'CVaR 99 % (day)', kind: 'money' },
      { key: 'maxConsecutiveWins', label: 'Longest winning run', kind: 'count' },
      { key: 'maxConsecutiveLosses', label: 'Longest losing run', kind: 'count' },
    ],
  },
  {
    title: 'Edge',
    figures: [
      { key: 'avgR', label: 'Average R', kind: 'ratio' },
      { key: 'expectancyR', label: 'Expectancy (R)', kind: 'ratio' },
      { key: 'rTrades', label: 'Trades with a known risk', kind: 'count' },
      { key: 'sqn', label: 'SQN', kind: 'ratio' },
      { key: 'kelly', label: 'Kelly fraction', kind: 'percent' },
      { key: 'avgHoldWinnersMs', label: 'Hold time, winners', kind: 'duration' },
      { key: 'avgHoldLosersMs', label: 'Hold time, losers', kind: 'duration' },
      { key: 'tradingDays', label: 'Trading days', kind: 'count' },
      { key: 'avgMaeR', label: 'Average MAE (R)', kind: 'ratio' },
      { key: 'avgMfeR', label: 'Average MFE (R)', kind: 'ratio' },
    ],
  },
]

const GROUP_LABELS: Record<GroupKey, string> = {
  symbol: 'Symbol',
  'asset-class': 'Asset class',
  strategy: 'Strategy',
  tag: 'Tag',
  account: 'Account',
  side: 'Side',
  weekday: 'Weekday of exit',
  hour: 'Hour of entry',
  month: 'Month',
  'hold-time': 'Hold time',
  'r-bucket': 'R multiple',
}

/** Every closed trade's figures for a filter: docs/metrics.md defines each one. */
export function StatisticsPage() {
  const { summary, status, error, filters, load } = useStatisticsStore()

  useEffect(() => {
    void load()
  }, [load])

  return (
    <div className="page" aria-busy={status === 'loading'}>
      <header className="page-header">
        <h1>Statistics</h1>
      </header>
      <FilterForm initial={filters} onApply={(next) => void load(next)} />
      {error && <ErrorNotice title="Could not compute the statistics" error={error} />}
      {summary && summary.trades === 0 && status !== 'loading' && (
        <p className="card stats-empty">
          No closed trades match. Import a broker file on the Import page, or widen the filter.
        </p>
      )}
      {summary && summary.trades > 0 && (
        <>
          <EquityCurve />
          <div className="stats-sections">
            {SECTIONS.map((section) => (
              <FigureSection
                key={section.title}
                title={section.title}
                summary={summary}
                rows={section.figures}
              />
            ))}
          </div>
          <GroupTable />
        </>
      )}
    </div>
  )
}

function FilterForm({
  initial,
  onApply,
}: {
  initial: StatsFilters
  onApply: (filters: StatsFilters) => void
}) {
  const [draft, setDraft] = useState(initial)
  const id = useId()
  const set = <K extends keyof StatsFilters>(key: K, value: StatsFilters[K]) =>
    setDraft((current) => ({ ...current, [key]: value }))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onApply(draft)
  }
  const text = (key: 'account' | 'symbol' | 'strategy' | 'tag', label: string) => (
    <div className="stats-field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        className="input"
        type="text"
        value={draft[key]}
        placeholder="All"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => set(key, event.target.value)}
      />
    </div>
  )
  return (
    <form className="card stats-filters" onSubmit={submit} aria-label="Filter">
      {text('account', 'Account')}
      {text('symbol', 'Symbol')}
      {text('strategy', 'Strategy')}
      {text('tag', 'Tag')}
      <div className="stats-field">
        <label htmlFor={`${id}-side`}>Side</label>
        <select
          id={`${id}-side`}
          className="input"
          value={draft.side}
          onChange={(event) => set('side', event.target.value as StatsFilters['side'])}
        >
          <option value="">Both</option>
          <option value="long">Long</option>
          <option value="short">Short</option>
        </select>
      </div>
      <div className="stats-field">
        <label htmlFor={`${id}-from`}>Closed from</label>
        <input
          id={`${id}-from`}
          className="input"
          type="date"
          value={draft.from}
          onChange={(event) => set('from', event.target.value)}
        />
      </div>
      <div className="stats-field">
        <label htmlFor={`${id}-to`}>Closed to</label>
        <input
          id={`${id}-to`}
          className="input"
          type="date"
          value={draft.to}
          onChange={(event) => set('to', event.target.value)}
        />
      </div>
      <div className="stats-filter-actions">
        <button type="submit" className="button button-primary">
          Apply
        </button>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            setDraft(noStatsFilters)
            onApply(noStatsFilters)
          }}
        >
          Clear
        </button>
      </div>
    </form>
  )
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** A hold time as "3 d 4 h", "2 h 15 min" or "45 s". */
export function formatDuration(ms: number): string {
  if (ms >= DAY_MS) return `${Math.floor(ms / DAY_MS)} d ${Math.round((ms % DAY_MS) / HOUR_MS)} h`
  if (ms >= HOUR_MS)
    return `${Math.floor(ms / HOUR_MS)} h ${Math.round((ms % HOUR_MS) / 60_000)} min`
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`
  return `${Math.round(ms / 1000)} s`
}

function FigureSection({
  title,
  summary,
  rows,
}: {
  title: string
  summary: StatisticsView
  rows: FigureRow[]
}) {
  const titleId = useId()
  return (
    <section className="card stats-section" aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId} className="card-title">
          {title}
        </h2>
      </div>
      <dl className="stats-figures">
        {rows.map((row) => {
          const value = summary[row.key]
          return (
            <div key={row.key} className="stats-figure">
              <dt>{row.label}</dt>
              <dd className="num" data-testid={`stat-${row.key}`}>
                {row.kind === 'duration' ? (
                  typeof value === 'number' ? (
                    formatDuration(value)
                  ) : (
                    <Missing />
                  )
                ) : (
                  <Figure kind={row.kind} value={value} tone={row.toned ?? false} />
                )}
              </dd>
            </div>
          )
        })}
      </dl>
    </section>
  )
}

/** Daily equity (sum of net P&L) as a line, and the drawdown from its peak as bars under it. */
function EquityCurve() {
  const daily = useStatisticsStore((state) => state.daily)
  const [ref, chart] = useChart()

  useEffect(() => {
    if (!chart || daily.length === 0) return
    const equity = chart.addSeries(LineSeries, {
      color: token('--accent'),
      lineWidth: 2,
      priceLineVisible: false,
    })
    const drawdown = chart.addSeries(
      HistogramSeries,
      { color: token('--negative'), priceLineVisible: false, lastValueVisible: false },
      1,
    )
    equity.setData(daily.map((point) => ({ time: point.date, value: Number(point.equity) })))
    drawdown.setData(
      daily.map((point: DailyPointView) => ({ time: point.date, value: -Number(point.drawdown) })),
    )
    chart.panes()[1]?.setHeight(80)
    chart.timeScale().fitContent()
    return () => {
      chart.removeSeries(equity)
      chart.removeSeries(drawdown)
    }
  }, [chart, daily])

  return (
    <section className="card stats-chart" aria-label="Equity curve and drawdown by day">
      <div className="card-header">
        <h2 className="card-title">Equity by day</h2>
        <span className="muted">
          {formatCount(daily.length)} trading {daily.length === 1 ? 'day' : 'days'}; drawdown below
        </span>
      </div>
      <div className="stats-chart-canvas" ref={ref} />
    </section>
  )
}

function GroupTable() {
  const { groups, groupBy, setGroupBy } = useStatisticsStore()
  const id = useId()
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h2 id={`${id}-title`} className="card-title">
          By {GROUP_LABELS[groupBy].toLowerCase()}
        </h2>
        <label className="stats-group-by">
          <span>Group by</span>
          <select
            className="input"
            value={groupBy}
            onChange={(event) => void setGroupBy(event.target.value as GroupKey)}
          >
            {Object.entries(GROUP_LABELS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="table-scroll">
        <table className="data-table" data-testid="group-table">
          <thead>
            <tr>
              <th scope="col">{GROUP_LABELS[groupBy]}</th>
              <th scope="col" className="num">
                Trades
              </th>
              <th scope="col" className="num">
                Win rate
              </th>
              <th scope="col" className="num">
                Net P&amp;L
              </th>
              <th scope="col" className="num">
                Profit factor
              </th>
              <th scope="col" className="num">
                Expectancy
              </th>
              <th scope="col" className="num">
                Max drawdown
              </th>
            </tr>
          </thead>
          <tbody>
            {groups?.groups.map((group) => (
              <tr key={group.key ?? '∅'} data-testid="group-row">
                <th scope="row">{group.key ?? <span className="muted">none</span>}</th>
                <td className="num">
                  {formatCount(group.trades)}
                  {group.thin && (
                    <span
                      className="badge badge-warning stats-thin"
                      title="Fewer than 30 trades: too few to tell skill from luck"
                    >
                      thin
                    </span>
                  )}
                </td>
                <td className="num">
                  <Figure kind="percent" value={group.winRate} />
                </td>
                <td className="num">
                  <Figure kind="money" value={group.netPnl} tone />
                </td>
                <td className="num">
                  <Figure kind="ratio" value={group.profitFactor} />
                </td>
                <td className="num">
                  <Figure kind="money" value={group.expectancy} tone />
                </td>
                <td className="num">
                  <Figure kind="money" value={group.maxDrawdown} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
