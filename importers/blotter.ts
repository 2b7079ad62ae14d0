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
}

function* parseBlotter(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  let columns: Columns | null = null
  for (const record of csvRecords(text, { delimiter: ',' })) {
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
    const read = readRecord(record, columns, options)
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

function decimalCell(
  errors: RowError[],
  line: number,
  column: Column,
  text: string,
  rule: (value: bigint) => boolean,
  ruleText: string,
): bigint | null {
  try {
    const value = parseDecimal(text)
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

/** One fill, or every error of the row. */
function readRecord(
  record: CsvRecord,
  columns: Columns,
  options: ParseOptions,
): ParsedFill | RowError[] {
  const errors: RowError[] = []
  const line = record.line
  const cell = (name: Column) => cellOf(record, columns, name)

  const timeText = cell('time')
  let executedAt: number | null = null
  try {
    executedAt = parseTimestamp(timeText, 'iso', options.timezone)
  } catch (error) {
    if (!(error instanceof TimeParseError)) throw error
    fail(errors, line, 'time', `time: ${error.message}`)
  }
  const sideCell = cell('side')
  const sideText = sideCell.toLowerCase()
  const side: Side | null =
    sideText === 'buy' || sideText === 'sell'
      ? sideText
      : fail(errors, line, 'side', `side "${sideCell}" must be buy or sell`)
  const quantity = decimalCell(
    errors,
    line,
    'quantity',
    cell('quantity'),
    positive,
    'greater than 0',
  )
  const price = decimalCell(errors, line, 'price', cell('price'), notNegative, '0 or more')
  const feeText = cell('fee')
  const fee =
    feeText === ''
      ? 0n
      : decimalCell(errors, line, 'fee', feeText, notNegative, '0 or more (a cost)')
  const multiplierText = cell('multiplier')
  const multiplier =
    multiplierText === ''
      ? null
      : decimalCell(errors, line, 'multiplier', multiplierText, positive, 'greater than 0')
  const assetCell = cell('asset_class')
  const assetText = assetCell.toLowerCase() || 'stock'
  const assetClass = (ASSET_CLASSES as readonly string[]).includes(assetText)
    ? (assetText as AssetClass)
    : fail(
        errors,
        line,
        'asset_class',
        `asset_class "${assetCell}" must be one of ${ASSET_CLASSES.join(', ')}`,
      )
  const symbol = cell('symbol') || fail(errors, line, 'symbol', 'symbol is empty')
  const instrument =
    symbol && assetClass ? instrumentOf(symbol, assetClass, multiplier, executedAt) : null
  if (symbol && assetClass && !instrument) {
    fail(
      errors,
      line,
      'symbol',
      `symbol "${symbol}" is not a ${assetClass} symbol Blotter can read`,
    )
  }
  const currencyCell = cell('currency')
  const currency = currencyCell.toUpperCase()
  if (currency && !/^[A-Z0-9]{2,12}$/.test(currency)) {
    fail(errors, line, 'currency', `currency "${currencyCell}" is not a currency code`)
  }

  if (errors.length > 0) return errors
  return {
    line,
    raw: record.raw,
    account: cell('account') || null,
    instrument: instrument as InstrumentSpec,
    side: side as Side,
    quantity: quantity as bigint,
    price: price as bigint,
    fee: fee as bigint,
    currency: currency || null,
    executedAt: executedAt as number,
    sourceTimezone: EXPLICIT_OFFSET.test(timeText) ? 'UTC' : options.timezone,
    brokerExecutionId: cell('fill_id') || null,
    brokerOrderId: cell('order_id') || null,
    isDerived: false,
    note: cell('note') || null,
  }
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
    '',
    fill.fillId ?? '',
    fill.note ?? '',
  ])
  return `${Papa.unparse({ fields: [...BLOTTER_COLUMNS], data: rows }, { newline: '\n' })}\n`
}
