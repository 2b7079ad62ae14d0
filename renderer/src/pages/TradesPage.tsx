import { useWindowVirtualizer } from '@tanstack/react-virtual'
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react'
import { Link } from 'react-router'
import type { TradeView } from '../../../contract'
import { ErrorNotice } from '../components/ErrorNotice'
import { decimalSign, formatDecimal, formatMoney } from '../lib/decimal'
import { formatCount, formatCountOf, formatStamp } from '../lib/format'
import { noFilters, useTradesStore, type TradeFilters } from '../stores/trades'
import './TradesPage.css'

/** Typing in a filter box waits this long for the next key before asking the host. */
const FILTER_DELAY_MS = 300

/** Height of a row (28 px cell + 1 px border): what the virtual list reserves before measuring. */
const ROW_HEIGHT = 29
/** Rows drawn beyond each edge of the window, so a fast scroll does not show blank rows. */
const OVERSCAN = 12
/** The next page is asked for when the window comes this many rows from the last one loaded. */
const PREFETCH_ROWS = 40

/**
 * Round trips in the contract's keyset order (opened, newest first unless the trader turns it),
 * a page at a time as the window scrolls towards the last one loaded. Only the rows in view are
 * in the document, so a long scroll costs no more per frame than the first screen.
 */
export function TradesPage() {
  const {
    filters,
    newestFirst,
    rows,
    next,
    status,
    loadingMore,
    error,
    timeZone,
    reload,
    loadMore,
  } = useTradesStore()
  const loading = status === 'loading'
  // After a failed page the error notice offers the retry; scrolling does not hammer the host.
  const loadNext = useCallback(() => {
    if (next && !loadingMore && !loading && !error) void loadMore()
  }, [next, loadingMore, loading, error, loadMore])
  const filtered =
    filters.account.trim() !== '' ||
    filters.symbol.trim() !== '' ||
    filters.from !== '' ||
    filters.to !== ''
  const anyFilter = filtered || filters.status !== 'all'

  // Every import changes the trades, so each visit starts again from the first page.
  useEffect(() => {
    void reload()
  }, [reload])
  // New filters or a new order start a new list: from its top, not where the old one was left
  // (at its end, the new list would load page after page at once).
  useEffect(() => {
    window.scrollTo(0, 0)
  }, [filters, newestFirst])

  return (
    <div className="page page-wide" aria-busy={loading}>
      <header className="page-header">
        <h1>Trades</h1>
        <div className="page-actions">
          <span className="muted" aria-live="polite">
            {status === 'ready' &&
              rows.length > 0 &&
              `${formatCountOf(rows.length, 'trade')}${next ? ' loaded, more as you scroll' : ''}`}
          </span>
        </div>
      </header>
      <FilterBar />
      {error && (
        <ErrorNotice
          title={rows.length > 0 ? 'Could not load more trades' : 'Could not load trades'}
          error={error}
          onRetry={() => void (rows.length > 0 ? loadMore() : reload())}
        />
      )}
      {rows.length === 0 && loading && <p className="muted">Loading trades…</p>}
      {rows.length === 0 && status === 'ready' && <EmptyState filtered={anyFilter} />}
      {rows.length > 0 && (
        <section className="card trades" aria-labelledby="trades-title" aria-busy={loadingMore}>
          <div className="card-header">
            <h2 id="trades-title" className="card-title">
              Round trips
            </h2>
            <span className="muted trades-zone">
              {newestFirst ? 'Newest first' : 'Oldest first'} · times in{' '}
              <span className="mono">{timeZone}</span>
            </span>
          </div>
          <div className="table-scroll">
            <TradesTable
              rows={rows}
              timeZone={timeZone}
              newestFirst={newestFirst}
              onNearEnd={loadNext}
            />
          </div>
          {next && (
            <p className="trades-more muted" role="status">
              {loadingMore ? 'Loading more trades…' : 'Scroll for more trades'}
            </p>
          )}
        </section>
      )}
    </div>
  )
}

function EmptyState({ filtered }: { filtered: boolean }) {
  const setFilters = useTradesStore((state) => state.setFilters)
  if (filtered) {
    return (
      <div className="card empty-state">
        <p>No trades match these filters.</p>
        <p className="muted">
          Account and symbol must match exactly, e.g. <span className="mono">ES</span> or{' '}
          <span className="mono">ESH26</span>.{' '}
          <button type="button" className="link-button" onClick={() => void setFilters(noFilters)}>
            Clear filters
          </button>
        </p>
      </div>
    )
  }
  return (
    <div className="card empty-state">
      <p>
        No trades yet — <Link to="/import">import a file</Link>
      </p>
      <p className="muted">Round trips appear here once a broker file is imported.</p>
    </div>
  )
}

/** Account and symbol apply as the user pauses typing (or presses Enter); status at once. */
function FilterBar() {
  const filters = useTradesStore((state) => state.filters)
  const setFilters = useTradesStore((state) => state.setFilters)
  const newestFirst = useTradesStore((state) => state.newestFirst)
  const setNewestFirst = useTradesStore((state) => state.setNewestFirst)
  const [account, setAccount] = useState(filters.account)
  const [symbol, setSymbol] = useState(filters.symbol)
  const accountId = useId()
  const symbolId = useId()
  const statusId = useId()
  const orderId = useId()
  const fromId = useId()
  const toId = useId()
  const draft: TradeFilters = { ...filters, account, symbol }
  const pending = account !== filters.account || symbol !== filters.symbol

  useEffect(() => {
    if (account === filters.account && symbol === filters.symbol) return
    const timer = setTimeout(
      () => void setFilters({ ...filters, account, symbol }),
      FILTER_DELAY_MS,
    )
    return () => clearTimeout(timer)
  }, [account, symbol, filters, setFilters])

  // Enter applies the text filters without waiting for the pause.
  function applyNow(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return
    event.preventDefault()
    if (pending) void setFilters(draft)
  }

  function clear() {
    setAccount('')
    setSymbol('')
    void setFilters(noFilters)
  }

  const anyFilter =
    account !== '' ||
    symbol !== '' ||
    filters.status !== 'all' ||
    filters.from !== '' ||
    filters.to !== ''
  return (
    <form
      className="trade-filters"
      role="search"
      aria-label="Filter trades"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="trade-filter">
        <label htmlFor={accountId}>Account</label>
        <input
          id={accountId}
          className="input"
          type="search"
          value={account}
          placeholder="Exact name"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setAccount(event.target.value)}
          onKeyDown={applyNow}
        />
      </div>
      <div className="trade-filter">
        <label htmlFor={symbolId}>Symbol</label>
        <input
          id={symbolId}
          className="input"
          type="search"
          value={symbol}
          placeholder="e.g. AAPL or ES"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setSymbol(event.target.value)}
          onKeyDown={applyNow}
        />
      </div>
      <div className="trade-filter">
        <label htmlFor={statusId}>Status</label>
        <select
          id={statusId}
          className="input"
          value={filters.status}
          onChange={(event) =>
            void setFilters({ ...draft, status: event.target.value as TradeFilters['status'] })
          }
        >
          <option value="all">All</option>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
        </select>
      </div>
      <div className="trade-filter">
        <label htmlFor={fromId}>Opened from</label>
        <input
          id={fromId}
          className="input trade-date"
          type="date"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(event) => void setFilters({ ...draft, from: event.target.value })}
        />
      </div>
      <div className="trade-filter">
        <label htmlFor={toId}>Opened to</label>
        <input
          id={toId}
          className="input trade-date"
          type="date"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(event) => void setFilters({ ...draft, to: event.target.value })}
        />
      </div>
      <div className="trade-filter">
        <label htmlFor={orderId}>Order</label>
        <select
          id={orderId}
          className="input trade-order"
          value={newestFirst ? 'newest' : 'oldest'}
          onChange={(event) => void setNewestFirst(event.target.value === 'newest')}
        >
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
        </select>
      </div>
      {anyFilter && (
        <button type="button" className="button button-quiet" onClick={clear}>
          Clear filters
        </button>
      )}
    </form>
  )
}

function TradesTable({
  rows,
  timeZone,
  newestFirst,
  onNearEnd,
}: {
  rows: TradeView[]
  timeZone: string
  newestFirst: boolean
  onNearEnd: () => void
}) {
  const bodyRef = useRef<HTMLTableSectionElement>(null)
  // Where the rows start in the page: the window scrolls, and the filters above may wrap.
  const [scrollMargin, setScrollMargin] = useState(0)
  useLayoutEffect(() => {
    const body = bodyRef.current
    if (!body) return
    const measure = () => setScrollMargin(body.getBoundingClientRect().top + window.scrollY)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(document.body)
    return () => observer.disconnect()
  }, [])
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    scrollMargin,
    getItemKey: (index) => rows[index]?.id ?? index,
  })
  const items = virtualizer.getVirtualItems()
  const lastInView = items.at(-1)?.index ?? -1
  useEffect(() => {
    if (lastInView >= rows.length - PREFETCH_ROWS) onNearEnd()
  }, [lastInView, rows.length, onNearEnd])
  const first = items[0]
  const last = items.at(-1)
  const above = first ? first.start - scrollMargin : 0
  const below = last ? virtualizer.getTotalSize() - (last.end - scrollMargin) : 0

  return (
    <table className="data-table trades-table" aria-rowcount={rows.length + 1}>
      <caption className="visually-hidden">
        Round trips, {newestFirst ? 'newest' : 'oldest'} first, times in {timeZone}
      </caption>
      <thead>
        <tr aria-rowindex={1}>
          <th scope="col">Opened</th>
          <th scope="col">Closed</th>
          <th scope="col">Account</th>
          <th scope="col">Symbol</th>
          <th scope="col">Side</th>
          <th scope="col" className="num">
            Qty
          </th>
          <th scope="col" className="num">
            Entry
          </th>
          <th scope="col" className="num">
            Exit
          </th>
          <th scope="col" className="num">
            Gross
          </th>
          <th scope="col" className="num">
            Fees
          </th>
          <th
            scope="col"
            className="num"
            title="Open trades: unrealized P&L at the latest candle close, in italics"
          >
            Net
          </th>
          <th scope="col" className="num">
            Fills
          </th>
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {above > 0 && <SpacerRow height={above} />}
        {items.map((item) => (
          <TradeRow
            key={item.key}
            trade={rows[item.index] as TradeView}
            index={item.index}
            measure={virtualizer.measureElement}
            timeZone={timeZone}
          />
        ))}
        {below > 0 && <SpacerRow height={below} />}
      </tbody>
    </table>
  )
}

/** Stands for the rows out of view, so the page keeps the list's full height. */
function SpacerRow({ height }: { height: number }) {
  return (
    <tr aria-hidden="true" className="trades-spacer">
      <td colSpan={12} style={{ height }} />
    </tr>
  )
}

function TradeRow({
  trade,
  index,
  measure,
  timeZone,
}: {
  trade: TradeView
  index: number
  measure: (row: HTMLTableRowElement | null) => void
  timeZone: string
}) {
  return (
    <tr data-testid="trade-row" data-index={index} aria-rowindex={index + 2} ref={measure}>
      <td className="stamp">
        <time dateTime={trade.openedAt}>{formatStamp(trade.openedAt, timeZone)}</time>
      </td>
      <td className="stamp">
        {trade.status === 'open' || !trade.closedAt ? (
          <span className="badge badge-accent">open</span>
        ) : (
          <ClosedStamp opened={trade.openedAt} closed={trade.closedAt} timeZone={timeZone} />
        )}
      </td>
      <td className="cell-text" title={trade.account}>
        {trade.account}
      </td>
      <td className="cell-text symbol" title={`${trade.symbol} (${trade.assetClass})`}>
        {trade.symbol}
      </td>
      <td className={`side side-${trade.side}`}>{trade.side === 'long' ? 'Long' : 'Short'}</td>
      <td className="num">{formatDecimal(trade.quantity)}</td>
      <td className="num">{formatDecimal(trade.entryPrice, { minFraction: 2 })}</td>
      <td className="num">
        {trade.exitPrice === null ? (
          <Missing />
        ) : (
          formatDecimal(trade.exitPrice, { minFraction: 2 })
        )}
      </td>
      <PnlCell value={trade.grossPnl} trade={trade} />
      <td className="num muted">{formatMoney(trade.fees)}</td>
      {trade.unrealizedPnl !== null && trade.markPrice !== null && trade.markedAt !== null ? (
        <UnrealizedCell
          trade={trade}
          mark={{ unrealized: trade.unrealizedPnl, price: trade.markPrice, at: trade.markedAt }}
          timeZone={timeZone}
        />
      ) : (
        <PnlCell value={trade.netPnl} trade={trade} testId="net" />
      )}
      <td className="num">{formatCount(trade.fills)}</td>
    </tr>
  )
}

/** The close of a trade opened the same day shows its time only; the full stamp is its title. */
function ClosedStamp({
  opened,
  closed,
  timeZone,
}: {
  opened: string
  closed: string
  timeZone: string
}) {
  const stamp = formatStamp(closed, timeZone)
  const sameDay = formatStamp(opened, timeZone).slice(0, 10) === stamp.slice(0, 10)
  return (
    <time dateTime={closed} title={stamp}>
      {sameDay ? stamp.slice(11) : stamp}
    </time>
  )
}

function PnlCell({
  value,
  trade,
  testId,
}: {
  value: string | null
  trade: TradeView
  testId?: string
}) {
  if (value === null) {
    return (
      <td className="num">
        <span data-testid={testId}>
          <Missing />
        </span>
      </td>
    )
  }
  const sign = decimalSign(value)
  const tone = sign > 0 ? 'pnl-positive' : sign < 0 ? 'pnl-negative' : ''
  return (
    <td className={`num pnl ${tone}`}>
      {!trade.pnlComplete && <IncompleteMarker trade={trade} />}
      <span data-testid={testId}>{formatMoney(value, true)}</span>
    </td>
  )
}

/**
 * An open trade's unrealized P&L in the Net column, set apart in italics; the title says what it
 * was marked at and when, and what its partial exits realized.
 */
function UnrealizedCell({
  trade,
  mark,
  timeZone,
}: {
  trade: TradeView
  mark: { unrealized: string; price: string; at: string }
  timeZone: string
}) {
  const sign = decimalSign(mark.unrealized)
  const tone = sign > 0 ? 'pnl-positive' : sign < 0 ? 'pnl-negative' : ''
  const title =
    `Unrealized at ${formatDecimal(mark.price, { minFraction: 2 })}: the close of the latest ` +
    `candle, opened ${formatStamp(mark.at, timeZone)}. Realized by partial exits: ` +
    `${formatMoney(trade.realizedPnl, true)}. Fees paid are not in it.`
  return (
    <td className={`num pnl pnl-unrealized ${tone}`} title={title}>
      {!trade.pnlComplete && <IncompleteMarker trade={trade} />}
      <span data-testid="unrealized">{formatMoney(mark.unrealized, true)}</span>
      <span className="visually-hidden"> unrealized</span>
    </td>
  )
}

function IncompleteMarker({ trade }: { trade: TradeView }) {
  const text =
    `No multiplier is known for ${trade.symbol}: this P&L uses ${formatDecimal(trade.multiplier)} ` +
    'and is incomplete until you set one (blotter instruments set ROOT --multiplier N).'
  return (
    <span className="pnl-warning" role="img" aria-label={text} title={text}>
      !
    </span>
  )
}

function Missing() {
  return (
    <>
      <span className="muted" aria-hidden="true">
        —
      </span>
      <span className="visually-hidden">none</span>
    </>
  )
}
