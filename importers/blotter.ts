/**
 * Blotter's own fills CSV (issue #3 §2): what `blotter export` writes, so an export always
 * imports back to the same journal. UTF-8, comma-separated, a header row, columns in any order,
 * header names case-insensitive.
 */
import Papa from 'papaparse'
import { DecimalError, parseDecimal } from '../core/decimal'
import type { Side } from '../core/engine'
import { parseFuturesSymbol } from '../core/instruments/futures'
import { parseOptionSymbol, formatOcc } from '../core/instruments/options'
import { parseTimestamp, TimeParseError } from '../core/time-parse'
import { ASSET_CLASSES, type AssetClass } from '../db/schema'
import { csvRecords, isBlankRecord, type CsvRecord } from './sniff'
import type { ImportFormat, InstrumentSpec, ParsedFill, ParseOptions, RowError } from './types'

export const BLOTTER_COLUMNS = [
  'time',
  'account',
  'symbol',
  'side',
  'quantity',
  'price',
  'fee',
  'asset_class',
  'multiplier',
  'currency',
  'order_id',
  'fill_id',
  'note',
] as const
type Column = (typeof BLOTTER_COLUMNS)[number]
const REQUIRED: readonly Column[] = ['time', 'symbol', 'side', 'quantity', 'price']
const EXPLICIT_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i

export const blotterFormat: ImportFormat = {
  id: 'blotter',
  label: 'Blotter fills CSV',
  parserVersion: '1',
  defaultTimezone: 'UTC',
  detect(text) {
    const header = headerNames(firstLine(text))
    return REQUIRED.every((name) => header.includes(name)) ? 0.9 : 0
  },
  parse: parseBlotter,
  parseChunks: parseBlotter,
}

function* parseBlotter(
  source: string | Iterable<string>,
  options: ParseOptions,
): Iterable<ParsedFill | RowError> {
  let columns: Columns | null = null
  const memo: FileMemo = { instruments: new Map(), decimals: new Map(), days: new Map() }
  for (const record of csvRecords(source, { delimiter: ',' })) {
    if (columns === null) {
      const names = record.fields.map((field) => field.trim().toLowerCase())
      const missing = REQUIRED.filter((name) => !names.includes(name))
      if (missing.length > 0) {
        yield {
          line: record.line,
          column: null,
          message: `Missing column(s): ${missing.join(', ')}`,
        }
        return
      }
      columns = Object.fromEntries(
        BLOTTER_COLUMNS.map((name) => [name, names.includes(name) ? names.indexOf(name) : -1]),
      ) as Columns
      continue
    }
    if (isBlankRecord(record)) continue
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const read = readRecord(record, columns, options, memo)
    if (Array.isArray(read)) yield* read
    else yield read
  }
}

/** Column name → index in the record, -1 when the file has no such column. */
type Columns = Record<Column, number>

// Plain functions rather than closures per record: the file's rows go through them 10^6 times.
function cellOf(record: CsvRecord, columns: Columns, name: Column): string {
  const index = columns[name]
  return index === -1 ? '' : (record.fields[index] ?? '').trim()
}

function fail(errors: RowError[], line: number, column: Column, message: string): null {
  errors.push({ line, column, message })
  return null
}

/**
 * What the rows of one file have in common, read once: instrument specs, decimals (quantities
 * and fees repeat) and the start of each day.
 */
interface FileMemo {
  instruments: InstrumentMemo
  decimals: Map<string, bigint>
  /** 'YYYY-MM-DD' → the instant its UTC midnight, for times in the UTC_TIME shape. */
  days: Map<string, number>
}

/** Decimal texts remembered per file, at most: a file of unique prices cannot grow the memo. */
const DECIMALS_REMEMBERED = 65_536

function decimalCell(
  errors: RowError[],
  line: number,
  column: Column,
  text: string,
  rule: (value: bigint) => boolean,
  ruleText: string,
  decimals: Map<string, bigint>,
): bigint | null {
  try {
    let value = decimals.get(text)
    if (value === undefined) {
      value = parseDecimal(text)
      if (decimals.size < DECIMALS_REMEMBERED) decimals.set(text, value)
    }
    return rule(value)
      ? value
      : fail(errors, line, column, `${column} "${text}" must be ${ruleText}`)
  } catch (error) {
    if (error instanceof DecimalError) return fail(errors, line, column, error.message)
    throw error
  }
}

const positive = (value: bigint) => value > 0n
const notNegative = (value: bigint) => value >= 0n

/** `YYYY-MM-DDTHH:MM:SS[.mmm]Z`, what `blotter export` writes: the day, then the time of day. */
const UTC_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{3}))?Z$/

/**
 * parseTimestamp(text, 'iso', zone), with UTC times read by day: the first time of each day
 * goes through parseTimestamp (which checks the date), later ones add their time of day to the
 * midnight that gave.
 */
function readTime(text: string, zone: string, days: Map<string, number>): number {
  const match = UTC_TIME.exec(text)
  if (!match) return parseTimestamp(text, 'iso', zone)
  const [, day = '', hours, minutes, seconds, millis] = match
  const sinceMidnight =
    ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(millis ?? 0)
  const midnight = days.get(day)
  if (midnight !== undefined) return midnight + sinceMidnight
  const instant = parseTimestamp(text, 'iso', zone)
  days.set(day, instant - sinceMidnight)
  return instant
}

/** One fill, or every error of the row. */
function readRecord(
  record: CsvRecord,
  columns: Columns,
  options: ParseOptions,
  memo: FileMemo,
): ParsedFill | RowError[] {
  const errors: RowError[] = []
  const line = record.line

  const account = cellOf(record, columns, 'account') || null
  const zone = options.accountZone?.(account) ?? options.timezone
  const timeText = cellOf(record, columns, 'time')
  let executedAt: number | null = null
  try {
    executedAt = readTime(timeText, zone, memo.days)
  } catch (error) {
    if (!(error instanceof TimeParseError)) throw error
    fail(errors, line, 'time', `time: ${error.message}`)
  }
  const sideCell = cellOf(record, columns, 'side')
  const sideText = sideCell.toLowerCase()
  const side: Side | null =
    sideText === 'buy' || sideText === 'sell'
      ? sideText
      : fail(errors, line, 'side', `side "${sideCell}" must be buy or sell`)
  const quantity = decimalCell(
    errors,
    line,
    'quantity',
    cellOf(record, columns, 'quantity'),
    positive,
    'greater than 0',
    memo.decimals,
  )
  const price = decimalCell(
    errors,
    line,
    'price',
    cellOf(record, columns, 'price'),
    notNegative,
    '0 or more',
    memo.decimals,
  )
  const feeText = cellOf(record, columns, 'fee')
  const fee =
    feeText === ''
      ? 0n
      : decimalCell(errors, line, 'fee', feeText, notNegative, '0 or more (a cost)', memo.decimals)
  const multiplierText = cellOf(record, columns, 'multiplier')
  const multiplier =
    multiplierText === ''
      ? null
      : decimalCell(
          errors,
          line,
          'multiplier',
          multiplierText,
          positive,
          'greater than 0',
          memo.decimals,
        )
  const assetCell = cellOf(record, columns, 'asset_class')
  const assetText = assetCell.toLowerCase() || 'stock'
  const assetClass = (ASSET_CLASSES as readonly string[]).includes(assetText)
    ? (assetText as AssetClass)
    : fail(
        errors,
        line,
        'asset_class',
        `asset_class "${assetCell}" must be one of ${ASSET_CLASSES.join(', ')}`,
      )
  const symbol =
    cellOf(record, columns, 'symbol') || fail(errors, line, 'symbol', 'symbol is empty')
  const instrument =
    symbol && assetClass
      ? memoInstrumentOf(memo.instruments, symbol, assetClass, multiplier, executedAt)
      : null
  if (symbol && assetClass && !instrument) {
    fail(
      errors,
      line,
      'symbol',
      `symbol "${symbol}" is not a ${assetClass} symbol Blotter can read`,
    )
  }
  const currencyCell = cellOf(record, columns, 'currency')
  const currency = currencyCell.toUpperCase()
  if (currency && !/^[A-Z0-9]{2,12}$/.test(currency)) {
    fail(errors, line, 'currency', `currency "${currencyCell}" is not a currency code`)
  }

  if (errors.length > 0) return errors
  return {
    line,
    raw: record.raw,
    account,
    instrument: instrument as InstrumentSpec,
    side: side as Side,
    quantity: quantity as bigint,
    price: price as bigint,
    fee: fee as bigint,
    currency: currency || null,
    executedAt: executedAt as number,
    sourceTimezone: EXPLICIT_OFFSET.test(timeText) ? 'UTC' : zone,
    brokerExecutionId: cellOf(record, columns, 'fill_id') || null,
    brokerOrderId: cellOf(record, columns, 'order_id') || null,
    isDerived: false,
    note: cellOf(record, columns, 'note') || null,
  }
}

/**
 * Instrument specs already read in this file, by symbol, class, multiplier and (futures) year:
 * every fill of one instrument shares one spec object, which the import service caches its
 * instrument row by.
 */
type InstrumentMemo = Map<string, InstrumentSpec | null>

function memoInstrumentOf(
  memo: InstrumentMemo,
  symbol: string,
  assetClass: AssetClass,
  multiplier: bigint | null,
  executedAt: number | null,
): InstrumentSpec | null {
  // A futures code without a year digit reads against the fill's year.
  const year = assetClass === 'future' ? new Date(executedAt ?? 0).getUTCFullYear() : ''
  const key = `${symbol}\u0000${assetClass}\u0000${multiplier ?? ''}\u0000${year}`
  let spec = memo.get(key)
  if (spec === undefined) {
    spec = instrumentOf(symbol, assetClass, multiplier, executedAt)
    memo.set(key, spec)
  }
  return spec
}

/** Options are read in any notation and stored as OCC; futures by their contract code. */
function instrumentOf(
  symbol: string,
  assetClass: AssetClass,
  multiplier: bigint | null,
  executedAt: number | null,
): InstrumentSpec | null {
  const base = {
    symbol: symbol.toUpperCase(),
    assetClass,
    exchange: null,
    multiplier,
    expiry: null,
    strike: null,
    putCall: null,
    underlying: null,
  }
  if (assetClass === 'option') {
    const option = parseOptionSymbol(symbol)
    if (!option) return null
    return { ...base, ...option, symbol: formatOcc(option), underlying: option.underlying }
  }
  if (assetClass === 'future') {
    const referenceYear = new Date(executedAt ?? 0).getUTCFullYear()
    const future = parseFuturesSymbol(symbol, { referenceYear })
    return future ? { ...base, symbol: future.code, underlying: future.root } : base
  }
  return base
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/)
  return end === -1 ? text : text.slice(0, end)
}

function headerNames(line: string): string[] {
  const parsed = Papa.parse<string[]>(line, { delimiter: ',' })
  return (parsed.data[0] ?? []).map((name) => name.trim().toLowerCase())
}

/** A fill as `blotter fills` lists it, the shape the exporter writes. */
export interface ExportableFill {
  time: string
  account: string
  symbol: string
  side: string
  quantity: string
  price: string
  fee: string
  assetClass: string
  multiplier: string
  multiplierKnown: boolean
  currency: string
  orderId: string | null
  fillId: string | null
  note: string | null
}

/** Writes fills as a Blotter fills CSV, exactly (decimals as text, times in UTC). */
export function exportFillsCsv(fills: readonly ExportableFill[]): string {
  const rows = fills.map((fill) => [
    fill.time,
    fill.account,
    fill.symbol,
    fill.side,
    fill.quantity,
    fill.price,
    fill.fee,
    fill.assetClass,
    // An unknown multiplier stays unknown in the copy, not a made-up 1.
    fill.multiplierKnown ? fill.multiplier : '',
    fill.currency,
    fill.orderId ?? '',
    fill.fillId ?? '',
    fill.note ?? '',
  ])
  return `${Papa.unparse({ fields: [...BLOTTER_COLUMNS], data: rows }, { newline: '\n' })}\n`
}
