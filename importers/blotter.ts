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
  let columns: Map<Column, number> | null = null
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
      columns = new Map(
        BLOTTER_COLUMNS.filter((name) => names.includes(name)).map((name) => [
          name,
          names.indexOf(name),
        ]),
      )
      continue
    }
    if (isBlankRecord(record)) continue
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    yield* readRecord(record, columns, options)
  }
}

function* readRecord(
  record: CsvRecord,
  columns: Map<Column, number>,
  options: ParseOptions,
): Iterable<ParsedFill | RowError> {
  const errors: RowError[] = []
  const cell = (name: Column): string => {
    const index = columns.get(name)
    return index === undefined ? '' : (record.fields[index] ?? '').trim()
  }
  const fail = (column: Column, message: string) => {
    errors.push({ line: record.line, column, message })
    return null
  }
  const decimal = (column: Column, rule: (value: bigint) => boolean, ruleText: string) => {
    const text = cell(column)
    try {
      const value = parseDecimal(text)
      return rule(value) ? value : fail(column, `${column} "${text}" must be ${ruleText}`)
    } catch (error) {
      if (error instanceof DecimalError) return fail(column, error.message)
      throw error
    }
  }

  const timeText = cell('time')
  let executedAt: number | null = null
  try {
    executedAt = parseTimestamp(timeText, 'iso', options.timezone)
  } catch (error) {
    if (!(error instanceof TimeParseError)) throw error
    fail('time', `time: ${error.message}`)
  }
  const sideText = cell('side').toLowerCase()
  const side: Side | null =
    sideText === 'buy' || sideText === 'sell'
      ? sideText
      : fail('side', `side "${cell('side')}" must be buy or sell`)
  const quantity = decimal('quantity', (v) => v > 0n, 'greater than 0')
  const price = decimal('price', (v) => v >= 0n, '0 or more')
  const fee = cell('fee') === '' ? 0n : decimal('fee', (v) => v >= 0n, '0 or more (a cost)')
  const multiplier =
    cell('multiplier') === '' ? null : decimal('multiplier', (v) => v > 0n, 'greater than 0')
  const assetText = cell('asset_class').toLowerCase() || 'stock'
  const assetClass = (ASSET_CLASSES as readonly string[]).includes(assetText)
    ? (assetText as AssetClass)
    : fail(
        'asset_class',
        `asset_class "${cell('asset_class')}" must be one of ${ASSET_CLASSES.join(', ')}`,
      )
  const symbol = cell('symbol') || fail('symbol', 'symbol is empty')
  const instrument =
    symbol && assetClass ? instrumentOf(symbol, assetClass, multiplier, executedAt) : null
  if (symbol && assetClass && !instrument) {
    fail('symbol', `symbol "${symbol}" is not a ${assetClass} symbol Blotter can read`)
  }
  const currency = cell('currency').toUpperCase()
  if (currency && !/^[A-Z0-9]{2,12}$/.test(currency)) {
    fail('currency', `currency "${cell('currency')}" is not a currency code`)
  }

  if (errors.length > 0) {
    yield* errors
    return
  }
  yield {
    line: record.line,
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
