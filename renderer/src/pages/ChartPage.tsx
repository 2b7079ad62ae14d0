import {
  CandlestickSeries,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  type SeriesMarkerBar,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import { useEffect, useId, useState, type FormEvent } from 'react'
import type {
  CandleImportView,
  CandleSeriesView,
  FundamentalsView,
  IndicatorSeriesView,
  TradeView,
} from '../../../contract'
import { scaledNumber, scaledText, type ScaledDecimal } from '../../../core/scaled'
import { ErrorNotice } from '../components/ErrorNotice'
import { token, useChart } from '../components/useChart'
import { invoke, toApiError, type ApiError } from '../lib/api'
import { formatDecimal } from '../lib/decimal'
import { fileToBase64 } from '../lib/files'
import { formatCount, formatCountOf } from '../lib/format'
import './ChartPage.css'

const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'] as const
type Timeframe = (typeof TIMEFRAMES)[number]

/** Overlays drawn on the price pane: the indicator and its parameters as the contract takes them. */
const OVERLAYS = {
  none: null,
  'sma-20': { indicator: 'sma', period: 20, label: 'SMA 20' },
  'ema-20': { indicator: 'ema', period: 20, label: 'EMA 20' },
  'bbands-20': { indicator: 'bbands', period: 20, label: 'Bollinger 20, 2σ' },
  vwap: { indicator: 'vwap', period: undefined, label: 'VWAP (session)' },
} as const
type OverlayKey = keyof typeof OVERLAYS

interface ChartData {
  candles: CandleSeriesView
  overlay: IndicatorSeriesView | null
  trades: TradeView[]
  fundamentals: FundamentalsView | null
}

interface Query {
  symbol: string
  timeframe: Timeframe
  overlay: OverlayKey
}

/** Candles of a symbol with an indicator overlay, volume, the trader's entries and exits. */
export function ChartPage() {
  const [query, setQuery] = useState<Query | null>(null)
  const [data, setData] = useState<ChartData | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(false)

  async function show(next: Query) {
    setQuery(next)
    setLoading(true)
    setError(null)
    try {
      setData(await loadChart(next))
    } catch (failure) {
      setData(null)
      setError(toApiError(failure))
    } finally {
      setLoading(false)
    }
  }

  return (
    <div className="page" aria-busy={loading}>
      <header className="page-header">
        <h1>Chart</h1>
      </header>
      <ChartForm busy={loading} onShow={(next) => void show(next)} />
      {error && <ErrorNotice title="Could not show the chart" error={error} />}
      {!query && !error && (
        <p className="card chart-empty">
          Type a symbol and press Show. Candles come from OHLCV CSV files: import them below or with{' '}
          <code>blotter candles import FILE --symbol S --timeframe 1m</code>.
        </p>
      )}
      {data && query && <PriceChart data={data} overlay={query.overlay} />}
      {data?.fundamentals && <Fundamentals view={data.fundamentals} />}
      <CandleImport onImported={(symbol) => query?.symbol === symbol && void show(query)} />
    </div>
  )
}

async function loadChart(query: Query): Promise<ChartData> {
  const instrument = { symbol: query.symbol }
  const candles = await invoke('candles.list', { ...instrument, timeframe: query.timeframe })
  const [overlaySeries, trades, fundamentals] = await Promise.all([
    overlayFor(query, candles),
    invoke('trades.list', { symbol: query.symbol, limit: 500 }).then((page) => page.rows),
    // A symbol without fundamentals is normal; any other failure still shows.
    invoke('fundamentals.get', instrument).catch((error: unknown) => {
      if (toApiError(error).code === 'not_found') return null
      throw error
    }),
  ])
  return { candles, overlay: overlaySeries, trades, fundamentals }
}

/**
 * The overlay's stored series; computed (and stored) first only when it does not reach the last
 * candle: computing is a pass over every candle, reading the stored points is not.
 */
async function overlayFor(
  query: Query,
  candles: CandleSeriesView,
): Promise<IndicatorSeriesView | null> {
  const overlay = OVERLAYS[query.overlay]
  if (!overlay || candles.time.length === 0) return null
  const input = {
    symbol: query.symbol,
    timeframe: query.timeframe,
    indicator: overlay.indicator,
    ...(overlay.period && { period: overlay.period }),
  }
  const stored = await invoke('indicators.list', input)
  if (stored.time.at(-1) === candles.time.at(-1)) return stored
  await invoke('indicators.compute', input)
  return invoke('indicators.list', input)
}

function ChartForm({ busy, onShow }: { busy: boolean; onShow: (query: Query) => void }) {
  const [symbol, setSymbol] = useState('')
  const [timeframe, setTimeframe] = useState<Timeframe>('1d')
  const [overlay, setOverlay] = useState<OverlayKey>('sma-20')
  const id = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (symbol.trim()) onShow({ symbol: symbol.trim().toUpperCase(), timeframe, overlay })
  }
  return (
    <form className="card chart-form" onSubmit={submit} aria-label="Chart">
      <SymbolField
        id={`${id}-symbol`}
        value={symbol}
        onChange={setSymbol}
        placeholder="e.g. AAPL"
      />
      <TimeframeField id={`${id}-timeframe`} value={timeframe} onChange={setTimeframe} />
      <div className="chart-field">
        <label htmlFor={`${id}-overlay`}>Overlay</label>
        <select
          id={`${id}-overlay`}
          className="input"
          value={overlay}
          onChange={(event) => setOverlay(event.target.value as OverlayKey)}
        >
          {Object.entries(OVERLAYS).map(([key, value]) => (
            <option key={key} value={key}>
              {value?.label ?? 'None'}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-primary" disabled={busy || !symbol.trim()}>
        Show
      </button>
    </form>
  )
}

/** The candle open at or before `time` (seconds), so a marker sits on a bar of the series. */
/** The symbol input both forms of the page share. */
function SymbolField(props: {
  id: string
  value: string
  onChange: (symbol: string) => void
  placeholder?: string
}) {
  return (
    <div className="chart-field">
      <label htmlFor={props.id}>Symbol</label>
      <input
        id={props.id}
        className="input"
        value={props.value}
        placeholder={props.placeholder}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  )
}

/** The timeframe choice both forms of the page share. */
function TimeframeField(props: {
  id: string
  value: Timeframe
  onChange: (timeframe: Timeframe) => void
}) {
  return (
    <div className="chart-field">
      <label htmlFor={props.id}>Timeframe</label>
      <select
        id={props.id}
        className="input"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value as Timeframe)}
      >
        {TIMEFRAMES.map((tf) => (
          <option key={tf} value={tf}>
            {tf}
          </option>
        ))}
      </select>
    </div>
  )
}

function barAt(times: readonly number[], time: number): number | null {
  let low = 0
  let high = times.length - 1
  let found: number | null = null
  while (low <= high) {
    const middle = (low + high) >> 1
    const candidate = times[middle]!
    if (candidate <= time) {
      found = candidate
      low = middle + 1
    } else high = middle - 1
  }
  return found
}

function tradeMarkers(trades: TradeView[], times: readonly number[]): SeriesMarkerBar<Time>[] {
  const markers: SeriesMarkerBar<Time>[] = []
  const add = (iso: string, marker: Omit<SeriesMarkerBar<Time>, 'time'>) => {
    const bar = barAt(times, Date.parse(iso) / 1000)
    if (bar !== null) markers.push({ ...marker, time: bar as UTCTimestamp })
  }
  for (const trade of trades) {
    const long = trade.side === 'long'
    add(trade.openedAt, {
      position: long ? 'belowBar' : 'aboveBar',
      shape: long ? 'arrowUp' : 'arrowDown',
      color: token('--accent'),
      text: `${long ? 'Buy' : 'Sell'} ${formatDecimal(trade.quantity)}`,
    })
    if (trade.closedAt) {
      const won = trade.netPnl !== null && !trade.netPnl.startsWith('-')
      add(trade.closedAt, {
        position: long ? 'aboveBar' : 'belowBar',
        shape: long ? 'arrowDown' : 'arrowUp',
        color: token(won ? '--positive' : '--negative'),
        text: `Exit ${trade.netPnl ?? ''}`,
      })
    }
  }
  return markers.sort((a, b) => Number(a.time) - Number(b.time))
}

function PriceChart({ data, overlay }: { data: ChartData; overlay: OverlayKey }) {
  const [ref, chart] = useChart()
  const { candles } = data

  useEffect(() => {
    if (!chart) return
    const times = candles.time
    const price = chart.addSeries(CandlestickSeries, {
      upColor: token('--positive'),
      downColor: token('--negative'),
      borderVisible: false,
      wickUpColor: token('--positive'),
      wickDownColor: token('--negative'),
    })
    price.setData(
      times.map((time, i) => ({
        time: time as UTCTimestamp,
        open: scaledNumber(candles.open[i] as ScaledDecimal),
        high: scaledNumber(candles.high[i] as ScaledDecimal),
        low: scaledNumber(candles.low[i] as ScaledDecimal),
        close: scaledNumber(candles.close[i] as ScaledDecimal),
      })),
    )
    const volume = chart.addSeries(
      HistogramSeries,
      { color: token('--border-strong'), priceFormat: { type: 'volume' }, lastValueVisible: false },
      1,
    )
    volume.setData(
      times.map((time, i) => ({
        time: time as UTCTimestamp,
        value: scaledNumber(candles.volume[i] as ScaledDecimal),
      })),
    )
    chart.panes()[1]?.setHeight(70)
    const lines = Object.entries(data.overlay?.values ?? {}).map(([output, values]) => {
      const line = chart.addSeries(LineSeries, {
        color: token(output === 'value' || output === 'middle' ? '--accent' : '--warning'),
        lineWidth: output === 'value' || output === 'middle' ? 2 : 1,
        priceLineVisible: false,
        lastValueVisible: false,
        crosshairMarkerVisible: false,
      })
      line.setData(
        (data.overlay?.time ?? []).map((time, i) => ({
          time: time as UTCTimestamp,
          value: scaledNumber(values[i] as ScaledDecimal),
        })),
      )
      return line
    })
    const markers = createSeriesMarkers(price, tradeMarkers(data.trades, times))
    chart.timeScale().fitContent()
    return () => {
      markers.detach()
      for (const series of [price, volume, ...lines]) chart.removeSeries(series)
    }
  }, [chart, candles, data])

  const last = candles.time.length - 1
  return (
    <section className="card" aria-label={`${candles.symbol} ${candles.timeframe} candles`}>
      <div className="card-header">
        <h2 className="card-title">
          {candles.symbol} · {candles.timeframe}
          {candles.aggregatedFrom && ` (from ${candles.aggregatedFrom})`}
          {overlay !== 'none' && ` · ${OVERLAYS[overlay]?.label}`}
        </h2>
        <span className="muted num" data-testid="chart-summary">
          {formatCount(candles.time.length)} candles
          {last >= 0 && `, last close ${formatDecimal(scaledText(candles.close[last]!))}`}
          {data.trades.length > 0 && `, ${formatCountOf(data.trades.length, 'trade')} marked`}
        </span>
      </div>
      {candles.time.length === 0 ? (
        <p className="chart-empty">No candles of this symbol and timeframe yet.</p>
      ) : (
        <div className="chart-canvas" ref={ref} />
      )}
    </section>
  )
}

function Fundamentals({ view }: { view: FundamentalsView }) {
  if (!view.company && !view.statistics && view.holders.length === 0) return null
  const statistics = Object.entries(view.statistics?.values ?? {}).filter(
    ([, value]) => value !== null,
  )
  return (
    <section className="card" aria-label={`${view.symbol} fundamentals`}>
      <div className="card-header">
        <h2 className="card-title">{view.company?.name ?? view.symbol}</h2>
        {view.company && (
          <span className="muted">
            {[view.company.sector, view.company.industry, view.company.country]
              .filter(Boolean)
              .join(' · ')}
          </span>
        )}
      </div>
      <dl className="chart-facts">
        {statistics.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd className="num">{value}</dd>
          </div>
        ))}
        {view.holders.slice(0, 5).map((holder) => (
          <div key={holder.holder}>
            <dt>{holder.holder}</dt>
            <dd className="num">{formatDecimal(holder.shares)} shares</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

function CandleImport({ onImported }: { onImported: (symbol: string) => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [symbol, setSymbol] = useState('')
  const [timeframe, setTimeframe] = useState<Timeframe>('1d')
  const [result, setResult] = useState<CandleImportView | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!file || !symbol.trim()) return
    setBusy(true)
    setError(null)
    setResult(null)
    try {
      const imported = await invoke('candles.import', {
        file: { name: file.name, content: await fileToBase64(file) },
        symbol: symbol.trim().toUpperCase(),
        timeframe,
      })
      setResult(imported)
      if (imported.status === 'imported') onImported(imported.symbol)
    } catch (failure) {
      setError(toApiError(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="card chart-form"
      onSubmit={(event) => void submit(event)}
      aria-label="Import candles"
    >
      <div className="chart-field chart-field-file">
        <label htmlFor={`${id}-file`}>Candles file (OHLCV CSV)</label>
        <input
          id={`${id}-file`}
          className="input"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </div>
      <SymbolField id={`${id}-symbol`} value={symbol} onChange={setSymbol} />
      <TimeframeField id={`${id}-timeframe`} value={timeframe} onChange={setTimeframe} />
      <button type="submit" className="button" disabled={busy || !file || !symbol.trim()}>
        Import candles
      </button>
      {error && <ErrorNotice title="The candles were not imported" error={error} />}
      {result && (
        <p className="chart-import-result" role="status" data-testid="candle-import-result">
          {result.status === 'imported'
            ? `${formatCount(result.candles)} candles imported, ${formatCount(result.duplicates)} already stored`
            : `Rejected: ${result.errors
                .slice(0, 3)
                .map((e) => `line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.message}`)
                .join('; ')}`}
        </p>
      )}
    </form>
  )
}
