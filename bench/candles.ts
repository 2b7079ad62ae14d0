/**
 * Candles: importing 10^5 and 10^6 one-minute candles beside plain prepared inserts of the same
 * CSV; reading 10^5 candles for a chart (`candles.list`) beside a plain SELECT of the same rows
 * and SQLite summing them; aggregating on demand; computing an indicator. Goal (issue #4 §4):
 * 10^5 candles read in ≤ 100 ms.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import Papa from 'papaparse'
import type { CandleSeriesView, IndicatorSeriesView } from '../contract'
import { scaledNumber } from '../core/scaled'
import { createServices } from '../services'
import { dispatch } from '../services/dispatch'
import { openJournal, type Journal } from '../db/open'
import { tempDir } from '../test/support/temp'
import { report, timeMedian, timeMedianAsync, timeOnce } from './report'

const SYMBOL = 'BTC-USD'
const MINUTE = 60_000
const CHART_ROWS = 100_000

export async function candlesBenchmark(maxRows: number): Promise<void> {
  const { dir, cleanup } = tempDir('blotter-bench-candles-')
  try {
    const sizes = [CHART_ROWS, 1_000_000].filter((n) => n <= Math.max(maxRows, CHART_ROWS))
    let chartJournal: string | null = null
    for (const rows of sizes) {
      const file = join(dir, `candles-${rows}.csv`)
      writeFileSync(file, syntheticCandles(rows))
      const bytes = readFileSync(file)
      const plainMs = plainInsertMs(join(dir, `plain-${rows}.db`), bytes.toString('utf8'))
      const path = join(dir, `journal-${rows}.db`)
      const journal = await openJournal(path)
      const services = createServices({ journal, host: 'cli', secrets: null })
      const input = {
        file: { name: file, content: bytes.toString('base64') },
        symbol: SYMBOL,
        assetClass: 'crypto',
        timeframe: '1m' as const,
        source: 'csv',
        dryRun: false,
        skipInvalid: false,
      }
      const imported = timeOnce(() => services['candles.import'](input))
      const result = await imported.value
      report({
        name: `import ${rows.toLocaleString('en-US')} 1m candles`,
        ms: imported.ms,
        rows,
        rawMs: plainMs,
        rawLabel: 'parse + plain inserts',
      })
      console.log(`  ${result.candles} candles written, ${result.errors.length} errors`)
      report({
        name: '  of which: the same rows inserted, pre-parsed',
        ms: tableInsertMs(journal, rows),
        rows,
        rawMs: plainMs,
        rawLabel: 'parse + plain inserts',
      })
      journal.close()
      chartJournal ??= path
    }
    if (chartJournal) await readBenchmark(chartJournal)
  } finally {
    cleanup()
  }
}

async function readBenchmark(path: string): Promise<void> {
  const journal = await openJournal(path)
  const services = createServices({ journal, host: 'cli', secrets: null })
  const instrumentId = journal.sqlite
    .prepare('SELECT id FROM instruments WHERE symbol = ?')
    .pluck()
    .get(SYMBOL) as string
  const plainSql = `SELECT timestamp, open, high, low, close, volume FROM market_data
     WHERE instrument_id = ? AND timeframe = '1m' ORDER BY timestamp LIMIT ?`
  const plain = journal.sqlite.prepare(plainSql)
  const readPlain = () => plain.raw().all(instrumentId, CHART_ROWS)
  const rawMs = timeMedian(9, readPlain)
  // The floor: SQLite visiting the same rows, no value crossing into JS.
  const summed = journal.sqlite.prepare(
    `SELECT count(*), sum(open), sum(high), sum(low), sum(close), sum(volume) FROM (${plainSql})`,
  )
  const summedMs = timeMedian(9, () => summed.raw().get(instrumentId, CHART_ROWS))
  const list = { symbol: SYMBOL, timeframe: '1m' as const, limit: CHART_ROWS }
  let candles = 0
  const readList = async () => {
    const response = await dispatch(services, 'candles.list', list)
    if (!response.ok) throw new Error(response.error.message)
    candles = (response.value as CandleSeriesView).time.length
  }
  const listMs = await timeMedianAsync(9, readList)
  report({
    name: `candles.list ${candles.toLocaleString('en-US')} stored candles`,
    ms: listMs,
    rows: candles,
    rawMs,
    rawLabel: 'plain SELECT of the rows',
    goalMs: 100,
  })
  report({
    name: '  the same, beside SQLite alone',
    ms: listMs,
    rawMs: summedMs,
    rawLabel: 'the rows summed in SQLite',
  })
  // On a busy machine wall time measures the neighbours too; CPU time of this process does not.
  const rawCpu = await cpuMedian(9, async () => void readPlain())
  const listCpu = await cpuMedian(9, readList)
  report({
    name: '  the same, CPU time of this process',
    ms: listCpu,
    rawMs: rawCpu,
    rawLabel: 'plain SELECT',
    goalMs: 100,
  })
  const response = await dispatch(services, 'candles.list', list)
  const json = JSON.stringify(response)
  report({
    name: `  JSON for the transport (${(json.length / 1e6).toFixed(1)} MB)`,
    ms: timeMedian(5, () => JSON.stringify(response)),
  })
  // What browser mode's Chart page does with it: parse, then one double per value to draw.
  const drawMs = timeMedian(5, () => {
    const view = (JSON.parse(json) as { value: CandleSeriesView }).value
    for (const column of [view.open, view.high, view.low, view.close, view.volume]) {
      column.map(scaledNumber)
    }
  })
  report({ name: '  the page: JSON.parse, chart doubles', ms: drawMs })
  for (const timeframe of ['5m', '1h', '1d'] as const) {
    let count = 0
    const ms = await timeMedianAsync(3, async () => {
      const page = await dispatch(services, 'candles.list', { ...list, timeframe })
      if (!page.ok) throw new Error(page.error.message)
      count = (page.value as CandleSeriesView).time.length
    })
    report({
      name: `candles.list ${timeframe} from 10^5 1m (${count} candles)`,
      ms,
      rows: CHART_ROWS,
      rawMs,
      rawLabel: 'plain SELECT of the 1m rows',
    })
  }
  const rsi = timeOnce(() =>
    services['indicators.compute']({
      symbol: SYMBOL,
      timeframe: '1m',
      indicator: 'rsi',
      period: 14,
    }),
  )
  report({ name: 'indicators.compute rsi(14) over 10^5 candles', ms: rsi.ms, rows: CHART_ROWS })
  const plainPoints = journal.sqlite.prepare(
    `SELECT timestamp, value, outputs FROM technical_indicators
     WHERE instrument_id = ? AND timeframe = '1m' AND indicator = 'rsi' AND parameters = ?
     ORDER BY timestamp LIMIT ?`,
  )
  const rawPointsMs = timeMedian(9, () =>
    plainPoints.raw().all(instrumentId, JSON.stringify({ period: 14 }), CHART_ROWS),
  )
  const rsiList = {
    symbol: SYMBOL,
    timeframe: '1m' as const,
    indicator: 'rsi' as const,
    period: 14,
  }
  let points = 0
  const indicatorMs = await timeMedianAsync(9, async () => {
    const page = await dispatch(services, 'indicators.list', rsiList)
    if (!page.ok) throw new Error(page.error.message)
    points = (page.value as IndicatorSeriesView).time.length
  })
  report({
    name: 'indicators.list rsi(14), 10^5 points',
    ms: indicatorMs,
    rows: points,
    rawMs: rawPointsMs,
    rawLabel: 'plain SELECT of the rows',
  })
  const pointsJson = JSON.stringify(await dispatch(services, 'indicators.list', rsiList))
  // The Chart page's overlay: parse, then one double per point to draw.
  const overlayMs = timeMedian(5, () => {
    const view = (JSON.parse(pointsJson) as { value: IndicatorSeriesView }).value
    for (const column of Object.values(view.values)) column.map(scaledNumber)
  })
  report({
    name: `  the page: JSON.parse, chart doubles (${(pointsJson.length / 1e6).toFixed(1)} MB)`,
    ms: overlayMs,
  })
  journal.close()
}

/** Median CPU time (user + system, ms) of `runs` calls after one warm-up. */
async function cpuMedian(runs: number, work: () => Promise<void>): Promise<number> {
  await work()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = process.cpuUsage()
    await work()
    const used = process.cpuUsage(started)
    samples.push((used.user + used.system) / 1000)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(runs / 2)] as number
}

/** A random walk of one-minute candles from 2024-01-01T00:00Z, every minute (crypto trades 24/7). */
function syntheticCandles(rows: number): string {
  const lines = ['time,open,high,low,close,volume']
  let seed = 7
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
  const start = Date.UTC(2024, 0, 1)
  let close = 42_000
  for (let i = 0; i < rows; i++) {
    const open = close
    // Pulled back towards 42,000 so a million steps never wander down to 0.
    close = open + (random() - 0.5) * 40 + (42_000 - open) * 0.001
    const high = Math.max(open, close) + random() * 10
    const low = Math.min(open, close) - random() * 10
    lines.push(
      `${new Date(start + i * MINUTE).toISOString()},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${(random() * 5).toFixed(4)}`,
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * What market_data itself costs (its unique index, foreign key and CHECKs): the same number of
 * candles, already exact integers, through one prepared insert under another source name.
 */
function tableInsertMs(journal: Journal, rows: number): number {
  const instrumentId = journal.sqlite
    .prepare('SELECT id FROM instruments WHERE symbol = ?')
    .pluck()
    .get(SYMBOL) as string
  const insert = journal.sqlite.prepare(
    `INSERT INTO market_data (instrument_id, timeframe, timestamp, open, high, low, close, volume,
       data_source) VALUES (?, '1m', ?, ?, ?, ?, ?, ?, 'bench')`,
  )
  const start = Date.UTC(2024, 0, 1)
  const price = 4_200_000_000_000n
  const { ms } = timeOnce(() =>
    journal.sqlite.transaction(() => {
      for (let i = 0; i < rows; i++) {
        insert.run(
          instrumentId,
          start + i * MINUTE,
          price,
          price + 100n,
          price - 100n,
          price,
          100_000_000n,
        )
      }
    })(),
  )
  journal.sqlite.prepare(`DELETE FROM market_data WHERE data_source = 'bench'`).run()
  return ms
}

/** The raw limit: parse the same CSV and insert its rows with one prepared statement. */
function plainInsertMs(path: string, text: string): number {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(
    'CREATE TABLE candles (time TEXT, open TEXT, high TEXT, low TEXT, close TEXT, volume TEXT)',
  )
  const insert = db.prepare('INSERT INTO candles VALUES (?, ?, ?, ?, ?, ?)')
  const { ms } = timeOnce(() =>
    db.transaction(() => {
      Papa.parse<string[]>(text, {
        skipEmptyLines: true,
        step: (row) => {
          if (row.data[0] !== 'time') insert.run(...row.data)
        },
      })
    })(),
  )
  db.close()
  return ms
}
