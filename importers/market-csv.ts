/**
 * Order book snapshots and fundamentals (company profile, key statistics, institutional
 * holders) from CSV, header names matched loosely like candle files (docs/market-data.md §5–6).
 * Formats know nothing about the journal: they yield typed rows and row errors.
 */
import {
  DecimalError,
  fromInteger,
  MAX_DECIMAL,
  MAX_SCALED,
  multiply,
  type Fixed8,
} from '../core/decimal'
import { parseBrokerNumber } from '../core/parse/numbers'
import { TimeParseError } from '../core/time-parse'
import { columnTimeReader, sampleRows } from './cells'
import { findColumnTable, type ColumnTable, type CsvRecord } from './sniff'
import type { RowError } from './types'

const cell = (record: CsvRecord, index: number) =>
  index === -1 ? '' : (record.fields[index] ?? '').trim()

/** Header name of a column, as the file writes it. */
const nameOf = <K extends string>(file: ColumnTable<K>, index: number, fallback: string) =>
  index === -1 ? fallback : (file.header.fields[index] ?? fallback).trim()

const MAGNITUDE: Readonly<Record<string, bigint>> = {
  K: 1_000n,
  M: 1_000_000n,
  B: 1_000_000_000n,
  T: 1_000_000_000_000n,
}

/**
 * A number as data sites print it: thousands separators, currency symbols, a trailing % (kept
 * as written: 5.2% → 5.2) and K/M/B/T magnitudes (2.5B → 2500000000). Null for a blank cell,
 * 'N/A' or '-'.
 */
export function readAmount(text: string): Fixed8 | null {
  const trimmed = text.trim()
  if (['', '-', '--', 'N/A', 'NA'].includes(trimmed.toUpperCase())) return null
  const magnitude = /^(.*\d)\s*([KMBT])$/i.exec(trimmed)
  if (magnitude) {
    const base = parseBrokerNumber(magnitude[1] as string, { allowPercent: false })
    const value = multiply(
      base,
      fromInteger(MAGNITUDE[(magnitude[2] as string).toUpperCase()] as bigint),
    )
    // The same bound as a number written out in full: a row error, not a failed bind.
    if (value > MAX_SCALED || value < -MAX_SCALED) {
      throw new DecimalError(`"${trimmed}" exceeds ${MAX_DECIMAL}`)
    }
    return value
  }
  return parseBrokerNumber(trimmed, { allowPercent: true })
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** 'YYYY-MM-DD', 'MM/DD/YYYY' or 'Jun 30, 2024' → 'YYYY-MM-DD'; null when none of them or no such day. */
export function readDate(text: string): string | null {
  const trimmed = text.trim()
  let parts: [number, number, number] | null = null
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(trimmed)
  if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed)
  if (us) parts = [Number(us[3]), Number(us[1]), Number(us[2])]
  const named = /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(trimmed)
  if (named) {
    const month = MONTHS.indexOf((named[1] as string).toLowerCase()) + 1
    if (month > 0) parts = [Number(named[3]), month, Number(named[2])]
  }
  if (!parts) return null
  const [year, month, day] = parts
  const date = new Date(Date.UTC(year, month - 1, day))
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null
  }
  return date.toISOString().slice(0, 10)
}

/** Collects a row's errors while its cells are read. */
class RowReader<K extends string> {
  readonly errors: RowError[] = []
  constructor(
    private readonly file: ColumnTable<K>,
    readonly record: CsvRecord,
  ) {}

  text(column: K): string {
    return cell(this.record, this.file.columns[column])
  }

  private fail(column: K, message: string): null {
    this.errors.push({
      line: this.record.line,
      column: nameOf(this.file, this.file.columns[column], column),
      message,
    })
    return null
  }

  required(column: K): string | null {
    return this.text(column) || this.fail(column, `${column} is empty`)
  }

  amount(column: K, rule?: { test: (value: Fixed8) => boolean; says: string }): Fixed8 | null {
    const text = this.text(column)
    try {
      const value = readAmount(text)
      if (value !== null && rule && !rule.test(value)) {
        return this.fail(column, `${column} "${text}" must be ${rule.says}`)
      }
      return value
    } catch (error) {
      if (error instanceof DecimalError) return this.fail(column, error.message)
      throw error
    }
  }

  date(column: K, required: boolean): string | null {
    const text = this.text(column)
    if (text === '') return required ? this.fail(column, `${column} is empty`) : null
    return (
      readDate(text) ??
      this.fail(
        column,
        `${column} "${text}" is not a date (YYYY-MM-DD, MM/DD/YYYY or Jun 30, 2024)`,
      )
    )
  }

  integer(column: K): number | null {
    const text = this.text(column).replace(/[,\s]/g, '')
    if (text === '') return null
    return /^\d+$/.test(text) && Number.isSafeInteger(Number(text))
      ? Number(text)
      : this.fail(column, `${column} "${this.text(column)}" must be a whole number`)
  }

  reject(column: K, message: string): null {
    return this.fail(column, message)
  }
}

const notNegative = { test: (value: Fixed8) => value >= 0n, says: '0 or more' }
const positive = { test: (value: Fixed8) => value > 0n, says: 'greater than 0' }

// ---------------------------------------------------------------------------------------------
// Order book

export interface OrderBookLevel {
  line: number
  capturedAt: number
  side: 'bid' | 'ask'
  level: number
  price: Fixed8
  size: Fixed8
  orderCount: number | null
}

const BOOK_ALIASES = {
  capturedAt: ['capturedat', 'time', 'timestamp', 'datetime', 'snapshottime', 'date'],
  side: ['side', 'type', 'bookside'],
  level: ['level', 'depth', 'position', 'lvl', 'rank'],
  price: ['price', 'px'],
  size: ['size', 'quantity', 'qty', 'volume', 'amount'],
  orderCount: ['ordercount', 'orders', 'count', 'numorders'],
} as const
type BookColumn = keyof typeof BOOK_ALIASES

const SIDES: Readonly<Record<string, 'bid' | 'ask'>> = {
  bid: 'bid',
  b: 'bid',
  buy: 'bid',
  ask: 'ask',
  a: 'ask',
  offer: 'ask',
  sell: 'ask',
}

/**
 * Rows of an order book CSV: captured_at, side (bid/ask, b/a, buy/sell), level (0 = best),
 * price, size[, order_count]. A snapshot is every row with the same captured_at.
 */
export function* readOrderBookCsv(
  text: string,
  zone: string,
): Generator<OrderBookLevel | RowError> {
  const file = findColumnTable(text, BOOK_ALIASES, ['capturedAt', 'side', 'level', 'price', 'size'])
  if (!file) {
    yield {
      line: 1,
      column: null,
      message:
        'No header with captured_at, side, level, price and size columns in the first 30 lines',
    }
    return
  }
  const { sample, all } = sampleRows(file.rows)
  const reader = columnTimeReader(
    sample.map((record) => cell(record, file.columns.capturedAt)),
    zone,
  )
  for (const record of all) {
    const row = new RowReader<BookColumn>(file, record)
    let capturedAt: number | null = null
    try {
      capturedAt = reader.read(row.text('capturedAt'))
    } catch (error) {
      if (!(error instanceof TimeParseError)) throw error
      row.reject('capturedAt', error.message)
    }
    const sideText = row.text('side')
    const side =
      SIDES[sideText.toLowerCase()] ?? row.reject('side', `side "${sideText}" must be bid or ask`)
    const level = row.integer('level')
    if (row.text('level') === '') row.reject('level', 'level is empty')
    const price = row.amount('price', positive)
    if (row.text('price') === '') row.reject('price', 'price is empty')
    const size = row.amount('size', notNegative)
    if (row.text('size') === '') row.reject('size', 'size is empty')
    const orderCount = row.integer('orderCount')
    if (row.errors.length > 0) {
      yield* row.errors
      continue
    }
    yield {
      line: record.line,
      capturedAt: capturedAt as number,
      side: side as 'bid' | 'ask',
      level: level as number,
      price: price as Fixed8,
      size: size as Fixed8,
      orderCount,
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Fundamentals

export type FundamentalsKind = 'company' | 'statistics' | 'holders'

export interface CompanyRow {
  kind: 'company'
  line: number
  symbol: string | null
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
}

/** key_statistics columns, in the table's order. */
export const STATISTICS = [
  'marketCap',
  'enterpriseValue',
  'peRatio',
  'forwardPe',
  'pegRatio',
  'priceToBook',
  'priceToSales',
  'eps',
  'dividendYield',
  'beta',
  'sharesOutstanding',
  'floatShares',
  'shortInterest',
  'averageVolume',
  'fiftyTwoWeekHigh',
  'fiftyTwoWeekLow',
] as const
export type Statistic = (typeof STATISTICS)[number]

export interface StatisticsRow {
  kind: 'statistics'
  line: number
  symbol: string | null
  asOf: string
  values: Record<Statistic, Fixed8 | null>
}

export interface HolderRow {
  kind: 'holders'
  line: number
  symbol: string | null
  holder: string
  shares: Fixed8
  value: Fixed8 | null
  percentHeld: Fixed8 | null
  changeShares: Fixed8 | null
  reportedDate: string
}

export type FundamentalsRow = CompanyRow | StatisticsRow | HolderRow

const SYMBOL = ['symbol', 'ticker', 'instrument']

const COMPANY_ALIASES = {
  symbol: SYMBOL,
  name: ['name', 'companyname', 'longname', 'shortname', 'company'],
  description: ['description', 'longbusinesssummary', 'businesssummary', 'summary'],
  sector: ['sector'],
  industry: ['industry'],
  country: ['country', 'countrycode'],
  currency: ['currency'],
  website: ['website', 'url', 'web'],
  employees: ['employees', 'fulltimeemployees'],
  ipoDate: ['ipodate', 'ipo'],
  fiscalYearEnd: ['fiscalyearend'],
} as const

const STATISTICS_ALIASES: Readonly<Record<Statistic | 'symbol' | 'asOf', readonly string[]>> = {
  symbol: SYMBOL,
  asOf: ['asof', 'asofdate', 'date'],
  marketCap: ['marketcap', 'marketcapitalization'],
  enterpriseValue: ['enterprisevalue', 'ev'],
  peRatio: ['peratio', 'pe', 'trailingpe', 'pettm'],
  forwardPe: ['forwardpe'],
  pegRatio: ['pegratio', 'peg'],
  priceToBook: ['pricetobook', 'pb', 'pricebook'],
  priceToSales: ['pricetosales', 'ps', 'pricesales', 'pricetosalesttm'],
  eps: ['eps', 'epsttm', 'dilutedeps'],
  dividendYield: ['dividendyield', 'yield', 'dividendyield%'],
  beta: ['beta'],
  sharesOutstanding: ['sharesoutstanding'],
  floatShares: ['floatshares', 'float'],
  shortInterest: ['shortinterest', 'sharesshort'],
  averageVolume: ['averagevolume', 'avgvolume', 'averagevolume3month'],
  fiftyTwoWeekHigh: ['fiftytwoweekhigh', '52weekhigh', '52wkhigh', '52whigh'],
  fiftyTwoWeekLow: ['fiftytwoweeklow', '52weeklow', '52wklow', '52wlow'],
}

const HOLDER_ALIASES = {
  symbol: SYMBOL,
  holder: ['holder', 'holdername', 'institution', 'name'],
  shares: ['shares', 'sharesheld', 'position'],
  value: ['value', 'marketvalue'],
  percentHeld: ['percentheld', '%out', 'pctheld', 'percentout', '%held', 'pctout'],
  changeShares: ['changeshares', 'change', 'sharechange'],
  reportedDate: ['reporteddate', 'datereported', 'reportdate', 'date'],
} as const

const COUNT_STATISTICS = new Set<Statistic>([
  'marketCap',
  'sharesOutstanding',
  'floatShares',
  'shortInterest',
  'averageVolume',
])

/** Which fundamentals a header holds: holders, statistics or a company profile. */
export function detectFundamentalsKind(text: string): FundamentalsKind | null {
  if (findColumnTable(text, HOLDER_ALIASES, ['holder', 'shares', 'reportedDate'])) return 'holders'
  const statistics = findColumnTable(text, STATISTICS_ALIASES, ['asOf'])
  if (statistics && STATISTICS.some((name) => statistics.columns[name] !== -1)) return 'statistics'
  if (findColumnTable(text, COMPANY_ALIASES, ['name'])) return 'company'
  return null
}

const REQUIRED_COLUMNS: Readonly<Record<FundamentalsKind, string>> = {
  company: 'name (and sector, industry, country… as available)',
  statistics: 'as_of and any of market_cap, pe_ratio, eps, beta…',
  holders: 'holder, shares and reported_date',
}

/** Rows of a fundamentals CSV of `kind`. */
export function* readFundamentalsCsv(
  text: string,
  kind: FundamentalsKind,
): Generator<FundamentalsRow | RowError> {
  const missing = (): RowError => ({
    line: 1,
    column: null,
    message: `No ${kind} header in the first 30 lines: expected ${REQUIRED_COLUMNS[kind]}`,
  })
  if (kind === 'company') {
    const file = findColumnTable(text, COMPANY_ALIASES, ['name'])
    if (!file) return yield missing()
    for (const record of file.rows) {
      const row = new RowReader(file, record)
      const name = row.required('name')
      const country = row.text('country').toUpperCase() || null
      if (country !== null && !/^[A-Z]{2}$/.test(country)) {
        row.reject(
          'country',
          `country "${row.text('country')}" must be a 2-letter ISO code (US, GB, DE…)`,
        )
      }
      const currency = row.text('currency').toUpperCase() || null
      if (currency !== null && !/^[A-Z]{3}$/.test(currency)) {
        row.reject('currency', `currency "${row.text('currency')}" must be a 3-letter ISO code`)
      }
      const fiscalYearEnd = fiscalYearEndOf(row.text('fiscalYearEnd'))
      if (fiscalYearEnd === undefined) {
        row.reject(
          'fiscalYearEnd',
          `fiscal_year_end "${row.text('fiscalYearEnd')}" must be MM-DD (e.g. 09-30)`,
        )
      }
      const company: CompanyRow = {
        kind,
        line: record.line,
        symbol: row.text('symbol') || null,
        name: name ?? '',
        description: row.text('description') || null,
        sector: row.text('sector') || null,
        industry: row.text('industry') || null,
        country,
        currency,
        website: row.text('website') || null,
        employees: row.integer('employees'),
        ipoDate: row.date('ipoDate', false),
        fiscalYearEnd: fiscalYearEnd ?? null,
      }
      if (row.errors.length > 0) yield* row.errors
      else yield company
    }
    return
  }
  if (kind === 'statistics') {
    const file = findColumnTable(text, STATISTICS_ALIASES, ['asOf'])
    if (!file) return yield missing()
    for (const record of file.rows) {
      const row = new RowReader(file, record)
      const asOf = row.date('asOf', true)
      const values = Object.fromEntries(
        STATISTICS.map((name) => [
          name,
          row.amount(name, COUNT_STATISTICS.has(name) ? notNegative : undefined),
        ]),
      ) as Record<Statistic, Fixed8 | null>
      const high = values.fiftyTwoWeekHigh
      const low = values.fiftyTwoWeekLow
      if (high !== null && low !== null && high < low) {
        row.reject('fiftyTwoWeekHigh', '52-week high is below the 52-week low')
      }
      if (row.errors.length > 0) yield* row.errors
      else
        yield {
          kind,
          line: record.line,
          symbol: row.text('symbol') || null,
          asOf: asOf as string,
          values,
        }
    }
    return
  }
  const file = findColumnTable(text, HOLDER_ALIASES, ['holder', 'shares', 'reportedDate'])
  if (!file) return yield missing()
  for (const record of file.rows) {
    const row = new RowReader(file, record)
    const holder = row.required('holder')
    const shares = row.amount('shares', notNegative)
    if (row.text('shares') === '') row.reject('shares', 'shares is empty')
    const percentHeld = row.amount('percentHeld', {
      test: (value) => value >= 0n && value <= fromInteger(100),
      says: 'a percentage from 0 to 100',
    })
    const holding: HolderRow = {
      kind,
      line: record.line,
      symbol: row.text('symbol') || null,
      holder: holder ?? '',
      shares: shares ?? 0n,
      value: row.amount('value', notNegative),
      percentHeld,
      changeShares: row.amount('changeShares'),
      reportedDate: row.date('reportedDate', true) ?? '',
    }
    if (row.errors.length > 0) yield* row.errors
    else yield holding
  }
}

/** 'MM-DD', '9/30' or 'Sep 30' → 'MM-DD'; null for blank; undefined when unreadable. */
function fiscalYearEndOf(text: string): string | null | undefined {
  if (text === '') return null
  const numeric = /^(\d{1,2})[-/](\d{1,2})$/.exec(text)
  const named = /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})$/.exec(text)
  const month = numeric
    ? Number(numeric[1])
    : named
      ? MONTHS.indexOf((named[1] as string).toLowerCase()) + 1
      : 0
  const day = Number((numeric ?? named)?.[2] ?? 0)
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
