/**
 * Market data's part of the contract: candles, indicators, volume profiles, order book
 * snapshots and fundamentals. Amounts cross as decimal strings and times as ISO 8601 UTC, except
 * chart series, which carry candle times as epoch seconds (what lightweight-charts takes) in
 * columns, so 10^5 candles stay a compact message; candle prices and volumes and indicator
 * values there are exact scaled integers (core/scaled.ts). docs/market-data.md defines every
 * figure.
 */
import { z } from 'zod'
import { CANDLE_TIMEFRAMES, type CandleTimeframe } from '../core/candles'
import { INDICATORS, type IndicatorName } from '../core/indicators'
import type { ScaledDecimal } from '../core/scaled'
import type { RowErrorView } from './journal'

/** Most candles (or indicator points) one call returns; `next` pages on. */
export const MAX_CHART_ROWS = 100_000

export interface SessionView {
  timezone: string
  /** Wall time the trading day starts at, 'HH:MM' ('17:00' = on the previous evening). */
  dayStart: string
  /** Whether weekends are trading days (crypto). */
  everyDay: boolean
}

/** Expected candles missing between two present ones. */
export interface GapView {
  /** Open time of the first missing candle. */
  from: string
  /** Open time of the next candle present. */
  to: string
  missing: number
}

export interface CandleImportView {
  file: string
  symbol: string
  timeframe: CandleTimeframe
  status: 'imported' | 'rejected' | 'dry-run'
  /** How the file was read (header line, time format and zone). */
  layout: string | null
  /** Candles written (0 when rejected or a dry run). */
  candles: number
  /** Candles of the file already stored for the same instrument, timeframe, time and source. */
  duplicates: number
  /** Bad rows left out with skipInvalid. */
  skipped: number
  first: string | null
  last: string | null
  session: SessionView | null
  /** Gaps in what is stored between the file's first and last candle (at most 100 listed). */
  gaps: GapView[]
  gapCount: number
  warnings: string[]
  errors: RowErrorView[]
}

export interface CandleSeriesView {
  symbol: string
  assetClass: string
  timeframe: CandleTimeframe
  /** The stored timeframe these candles were aggregated from; null when stored as they are. */
  aggregatedFrom: CandleTimeframe | null
  session: SessionView
  /** Candle open times, epoch seconds (UTC). */
  time: number[]
  /**
   * Exact decimals: a number n is n × 10^-8 (42000.25 is 4200025000000), a value past 2^53 its
   * decimal string. core/scaled.ts scaledText gives the text, scaledNumber the chart's double.
   */
  open: ScaledDecimal[]
  high: ScaledDecimal[]
  low: ScaledDecimal[]
  close: ScaledDecimal[]
  volume: ScaledDecimal[]
  /** Gaps among these candles (at most 100 listed). */
  gaps: GapView[]
  gapCount: number
  /** Pass as `from` to read on; null when this page reaches `to`. */
  next: string | null
}

export interface IndicatorComputeView {
  symbol: string
  timeframe: CandleTimeframe
  indicator: IndicatorName
  parameters: Record<string, number | string>
  aggregatedFrom: CandleTimeframe | null
  /** Candles the series was computed over. */
  candles: number
  /** Points stored (where every output is defined). */
  points: number
  first: string | null
  last: string | null
  /** The newest point: output name → decimal string. */
  latest: { time: string; values: Record<string, string> } | null
}

export interface IndicatorSeriesView {
  symbol: string
  timeframe: CandleTimeframe
  indicator: IndicatorName
  parameters: Record<string, number | string>
  /** 'value' for single-output indicators; macd/signal/histogram; middle/upper/lower. */
  outputs: string[]
  /** Point times (the candle's open), epoch seconds. */
  time: number[]
  /** Output name → one value per time, an exact decimal as in CandleSeriesView (core/scaled.ts). */
  values: Record<string, ScaledDecimal[]>
  /** Pass as `from` to read on; null when this page reaches `to`. */
  next: string | null
}

export interface LatestIndicatorView {
  timeframe: CandleTimeframe
  indicator: string
  parameters: Record<string, number | string>
  time: string
  values: Record<string, string>
  computedAt: string
}

export interface VolumeProfileView {
  symbol: string
  from: string
  to: string
  /** Timeframe of the candles the profile was built from. */
  timeframe: CandleTimeframe
  method: 'close' | 'range'
  rowSize: string
  candles: number
  total: string
  pointOfControl: string | null
  valueAreaLow: string | null
  valueAreaHigh: string | null
  /** Rows that traded, lowest price first; `price` is the row's lower bound. */
  levels: { price: string; volume: string }[]
}

export interface MarketImportView {
  file: string
  status: 'imported' | 'rejected' | 'dry-run'
  /** Rows written (0 when rejected or a dry run). */
  rows: number
  /** Bad rows left out with skipInvalid. */
  skipped: number
  warnings: string[]
  errors: RowErrorView[]
}

export interface OrderBookImportView extends MarketImportView {
  symbol: string
  /** Levels of the file already stored (same instrument, time, source, side and level). */
  duplicates: number
  /** Snapshots (distinct capture times) among the rows written. */
  snapshots: number
  first: string | null
  last: string | null
}

export interface FundamentalsImportView extends MarketImportView {
  kind: 'company' | 'statistics' | 'holders' | null
  /** Of the rows written, those that replaced stored figures (same symbol, date and source). */
  replaced: number
  symbols: string[]
}

export interface BookLevelView {
  level: number
  price: string
  size: string
  orders: number | null
}

export interface OrderBookView {
  symbol: string
  /** The snapshot shown: the last captured at or before `at`; null when there is none. */
  capturedAt: string | null
  source: string | null
  bids: BookLevelView[]
  asks: BookLevelView[]
}

export interface FundamentalsView {
  symbol: string
  company: {
    name: string
    description: string | null
    sector: string | null
    industry: string | null
    country: string | null
    currency: string | null
    website: string | null
    employees: number | null
    ipoDate: string | null
    fiscalYearEnd: string | null
    source: string
    fetchedAt: string
  } | null
  /** The newest key statistics (by as-of date). */
  statistics: { asOf: string; source: string; values: Record<string, string | null> } | null
  /** Each holder's latest report, largest holding first (at most 100). */
  holders: {
    holder: string
    shares: string
    value: string | null
    percentHeld: string | null
    changeShares: string | null
    reportedDate: string
  }[]
}

const isoInstant = z.iso.datetime({ offset: true })
/** An ISO instant, or a date: that trading day's start (`from`) or end (`to`) in the session zone. */
const instantOrDate = z.union([isoInstant, z.iso.date()])
const timeframe = z.enum(CANDLE_TIMEFRAMES)
const file = z
  .object({
    name: z.string().min(1).max(255),
    /** The file's bytes, base64. */
    content: z.base64(),
  })
  .strict()
const instrument = {
  symbol: z.string().trim().min(1).max(64),
  /** One of the instrument asset classes (stock, future, option, forex, crypto…). */
  assetClass: z.string().min(1).optional(),
}
const session = {
  /** Zone of the trading days (and of times in the file written without one). */
  timezone: z.string().min(1).optional(),
  /** 'HH:MM' the trading day starts at; with timezone, default 00:00. */
  dayStart: z
    .string()
    .regex(/^\d{1,2}:\d{2}$/, 'must be HH:MM')
    .optional(),
}
const source = z.string().trim().min(1).max(64)
const importFlags = {
  dryRun: z.boolean().default(false),
  skipInvalid: z.boolean().default(false),
}
const indicatorOptions = {
  period: z.number().int().min(1).max(100_000).optional(),
  fast: z.number().int().min(1).max(100_000).optional(),
  slow: z.number().int().min(1).max(100_000).optional(),
  signal: z.number().int().min(1).max(100_000).optional(),
  stddev: z.number().positive().max(10).optional(),
  periodsPerYear: z.number().positive().max(1e7).optional(),
}
const limit = z.number().int().min(1).max(MAX_CHART_ROWS).default(MAX_CHART_ROWS)

export const marketInputSchemas = {
  'candles.import': z
    .object({
      file,
      ...instrument,
      timeframe,
      ...session,
      source: source.default('csv'),
      ...importFlags,
    })
    .strict(),
  'candles.list': z
    .object({
      ...instrument,
      timeframe,
      from: instantOrDate.optional(),
      to: instantOrDate.optional(),
      ...session,
      source: source.optional(),
      limit,
    })
    .strict(),
  'indicators.compute': z
    .object({
      ...instrument,
      timeframe,
      indicator: z.enum(INDICATORS),
      ...indicatorOptions,
      ...session,
    })
    .strict(),
  'indicators.list': z
    .object({
      ...instrument,
      timeframe,
      indicator: z.enum(INDICATORS),
      ...indicatorOptions,
      ...session,
      from: instantOrDate.optional(),
      to: instantOrDate.optional(),
      limit,
    })
    .strict(),
  'indicators.latest': z.object({ ...instrument }).strict(),
  'volumeProfile.get': z
    .object({
      ...instrument,
      from: instantOrDate,
      to: instantOrDate,
      timeframe: timeframe.optional(),
      method: z.enum(['close', 'range']).default('range'),
      /** Price row height as a decimal string; default about 100 rows over the range. */
      rowSize: z
        .string()
        .regex(/^\d+(\.\d{1,8})?$/, 'must be a decimal number')
        .optional(),
      ...session,
      source: source.optional(),
    })
    .strict(),
  'orderBook.import': z
    .object({
      file,
      ...instrument,
      timezone: z.string().min(1).optional(),
      source: source.default('csv'),
      ...importFlags,
    })
    .strict(),
  'orderBook.get': z.object({ ...instrument, at: isoInstant, source: source.optional() }).strict(),
  'fundamentals.import': z
    .object({
      file,
      kind: z.enum(['auto', 'company', 'statistics', 'holders']).default('auto'),
      /** For files without a symbol column. */
      symbol: z.string().trim().min(1).max(64).optional(),
      assetClass: z.string().min(1).optional(),
      source: source.default('csv'),
      ...importFlags,
    })
    .strict(),
  'fundamentals.get': z.object({ ...instrument }).strict(),
}

export interface MarketMethodResults {
  'candles.import': CandleImportView
  'candles.list': CandleSeriesView
  'indicators.compute': IndicatorComputeView
  'indicators.list': IndicatorSeriesView
  'indicators.latest': LatestIndicatorView[]
  'volumeProfile.get': VolumeProfileView
  'orderBook.import': OrderBookImportView
  'orderBook.get': OrderBookView
  'fundamentals.import': FundamentalsImportView
  'fundamentals.get': FundamentalsView
}
