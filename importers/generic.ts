/**
 * `generic`: any other broker's CSV, read through a column mapping the trader writes once as a
 * JSON file (docs/importers.md "generic"). Never auto-detected: the CLI builds the format from
 * `--mapping FILE.json` or a saved `--template NAME`.
 */
import { z } from 'zod'
import { DecimalError, parseDecimal } from '../core/decimal'
import type { Side } from '../core/engine'
import { parseFuturesSymbol } from '../core/instruments/futures'
import { formatOcc, parseOptionSymbol } from '../core/instruments/options'
import { parseBrokerNumber, type DecimalSeparator } from '../core/parse/numbers'
import { isTimeZone } from '../core/time'
import { parseTimestamp, TimeParseError, type TimestampFormat } from '../core/time-parse'
import { ASSET_CLASSES, type AssetClass } from '../db/schema'
import {
  buildHeaderMap,
  csvRecords,
  findHeaderRow,
  headerIndex,
  isBlankRecord,
  type CsvRecord,
  type HeaderMap,
} from './sniff'
import type { ImportFormat, InstrumentSpec, ParsedFill, ParseOptions, RowError } from './types'

const TIMESTAMP_FORMATS = [
  'iso',
  'ibkr-flex',
  'ibkr-statement',
  'us-slash',
  'us-slash-ampm',
  'eu-slash',
  'metatrader',
  'date-us',
  'date-iso',
  'date-compact',
] as const satisfies readonly TimestampFormat[]

const headerName = z.string().trim().min(1, 'must name a column')

const decimalText = z
  .string()
  .trim()
  .refine((text) => {
    try {
      return parseDecimal(text) > 0n
    } catch {
      return false
    }
  }, 'must be a decimal number greater than 0, as a string (e.g. "50")')

export const GenericMapping = z
  .strictObject({
    name: z.string().trim().min(1).optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    decimal: z.enum(['.', ',']).optional(),
    headerRow: z.number().int().positive().optional(),
    timeFormat: z.enum(TIMESTAMP_FORMATS),
    timezone: z
      .string()
      .refine((zone) => isTimeZone(zone), 'must be an IANA time zone (e.g. America/New_York)')
      .optional(),
    columns: z.strictObject({
      time: z.union([headerName, z.strictObject({ date: headerName, time: headerName })], {
        error: 'must be a header name or { "date": header, "time": header }',
      }),
      symbol: headerName,
      side: headerName.optional(),
      quantity: headerName,
      price: headerName,
      fee: z
        .union([headerName, z.array(headerName).min(1)], {
          error: 'must be a header name or a list of header names',
        })
        .optional(),
      account: headerName.optional(),
      fillId: headerName.optional(),
      orderId: headerName.optional(),
      assetClass: headerName.optional(),
      currency: headerName.optional(),
      note: headerName.optional(),
    }),
    sideValues: z
      .strictObject({
        buy: z.array(z.string().trim().min(1)).min(1),
        sell: z.array(z.string().trim().min(1)).min(1),
      })
      .optional(),
    signedQuantity: z.boolean().optional(),
    assetClass: z.enum(ASSET_CLASSES).optional(),
    multiplier: decimalText.optional(),
  })
  .superRefine((mapping, ctx) => {
    if (mapping.columns.side === undefined && !mapping.signedQuantity) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns', 'side'],
        message: 'is required unless signedQuantity is true (negative quantity = sell)',
      })
    }
    if (mapping.columns.assetClass !== undefined && mapping.assetClass !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['assetClass'],
        message: 'give either a fixed assetClass or columns.assetClass, not both',
      })
    }
    if (mapping.sideValues) {
      const buy = new Set(mapping.sideValues.buy.map((value) => value.toLowerCase()))
      const both = mapping.sideValues.sell.filter((value) => buy.has(value.toLowerCase()))
      if (both.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['sideValues'],
          message: `${both.map((value) => `"${value}"`).join(', ')} cannot be both buy and sell`,
        })
      }
    }
  })
export type GenericMapping = z.infer<typeof GenericMapping>

export class MappingError extends Error {
  override name = 'MappingError'
}

/** Validates a parsed JSON value; throws MappingError with one message naming every bad field. */
export function parseMapping(value: unknown): GenericMapping {
  const result = GenericMapping.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  throw new MappingError(`Invalid mapping: ${problems.join('; ')}`)
}

/** Reads a mapping from JSON text; bad JSON and bad fields both throw MappingError. */
export function parseMappingJson(text: string): GenericMapping {
  let value: unknown
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new MappingError(`Invalid mapping: not JSON (${(error as Error).message})`)
  }
  return parseMapping(value)
}

const DEFAULT_BUY = ['buy', 'b', 'bot', 'bought']
const DEFAULT_SELL = ['sell', 's', 'sld', 'sold']
const EXPLICIT_OFFSET = /(Z|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT|[ECMP][SD]T))$/i

/** The `generic` format for one mapping (validated again here, so any value is safe). */
export function genericFormat(input: GenericMapping): ImportFormat {
  const mapping = parseMapping(input)
  return {
    id: 'generic',
    label: mapping.name ? `Generic CSV (${mapping.name})` : 'Generic CSV',
    parserVersion: '1',
    defaultTimezone: mapping.timezone ?? 'UTC',
    detect: () => 0,
    parse: (text, options) => parseGeneric(text, options, mapping),
  }
}

/** Mapping field → the header names it reads. */
function mappedNames(mapping: GenericMapping): string[] {
  const c = mapping.columns
  const names = [
    ...(typeof c.time === 'string' ? [c.time] : [c.time.date, c.time.time]),
    c.symbol,
    c.side,
    c.quantity,
    c.price,
    ...(c.fee === undefined ? [] : typeof c.fee === 'string' ? [c.fee] : c.fee),
    c.account,
    c.fillId,
    c.orderId,
    c.assetClass,
    c.currency,
    c.note,
  ]
  return [...new Set(names.filter((name): name is string => name !== undefined))]
}

function* parseGeneric(
  text: string,
  options: ParseOptions,
  mapping: GenericMapping,
): Iterable<ParsedFill | RowError> {
  const csv = mapping.delimiter ? { delimiter: mapping.delimiter } : {}
  const wanted = mappedNames(mapping)
  let header: CsvRecord | undefined
  let columns: HeaderMap | undefined
  if (mapping.headerRow !== undefined) {
    for (const record of csvRecords(text, csv)) {
      if (record.line < mapping.headerRow) continue
      header = record
      break
    }
    if (!header) {
      yield {
        line: mapping.headerRow,
        column: null,
        message: `headerRow ${mapping.headerRow} is past the end of the file`,
      }
      return
    }
    columns = buildHeaderMap(header.fields)
    const missing = wanted.filter((name) => headerIndex(columns as HeaderMap, name) === undefined)
    if (missing.length > 0) {
      yield {
        line: header.line,
        column: null,
        message: `Header row ${header.line} lacks mapped column(s): ${missing.join(', ')}`,
      }
      return
    }
  } else {
    const match = findHeaderRow(csvRecords(text, csv), [wanted])
    if (!match) {
      yield {
        line: 1,
        column: null,
        message: `No header row with all mapped columns (${wanted.join(', ')}) in the first 30 records`,
      }
      return
    }
    header = match.record
    columns = match.columns
  }

  const reader = new RowReader(mapping, header, columns, options)
  for (const record of csvRecords(text, csv)) {
    if (record.line <= header.line) continue
    if (isBlankRecord(record)) continue
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const read = reader.read(record)
    if (Array.isArray(read)) yield* read
    else yield read
  }
}

interface Column {
  index: number
  /** The header as the file writes it. */
  label: string
}

class RowReader {
  private readonly buy: Set<string>
  private readonly sell: Set<string>
  private readonly decimal: DecimalSeparator
  private readonly multiplier: bigint | null
  private readonly col: (name: string | undefined) => Column | undefined

  constructor(
    private readonly mapping: GenericMapping,
    header: CsvRecord,
    columns: HeaderMap,
    private readonly options: ParseOptions,
  ) {
    this.buy = new Set((mapping.sideValues?.buy ?? DEFAULT_BUY).map((v) => v.toLowerCase()))
    this.sell = new Set((mapping.sideValues?.sell ?? DEFAULT_SELL).map((v) => v.toLowerCase()))
    this.decimal = mapping.decimal ?? '.'
    this.multiplier = mapping.multiplier === undefined ? null : parseDecimal(mapping.multiplier)
    this.col = (name) => {
      if (name === undefined) return undefined
      const index = headerIndex(columns, name)
      if (index === undefined) return undefined
      return { index, label: (header.fields[index] ?? name).trim() }
    }
  }

  read(record: CsvRecord): ParsedFill | RowError[] {
    const errors: RowError[] = []
    const line = record.line
    const c = this.mapping.columns
    const cell = (column: Column | undefined) =>
      column ? (record.fields[column.index] ?? '').trim() : ''
    const fail = (column: Column | undefined, message: string): null => {
      errors.push({ line, column: column?.label ?? null, message })
      return null
    }
    const number = (column: Column | undefined, text: string): bigint | null => {
      try {
        return parseBrokerNumber(text, { decimal: this.decimal })
      } catch (error) {
        if (error instanceof DecimalError) {
          return fail(column, `${column?.label ?? 'value'}: ${error.message}`)
        }
        throw error
      }
    }

    // Time: one column, or a date and a time column joined with a space.
    const timeColumn = typeof c.time === 'string' ? this.col(c.time) : this.col(c.time.date)
    const timeText =
      typeof c.time === 'string'
        ? cell(timeColumn)
        : `${cell(this.col(c.time.date))} ${cell(this.col(c.time.time))}`.trim()
    let executedAt: number | null = null
    try {
      executedAt = parseTimestamp(timeText, this.mapping.timeFormat, this.options.timezone)
    } catch (error) {
      if (!(error instanceof TimeParseError)) throw error
      fail(timeColumn, `${timeColumn?.label}: ${error.message}`)
    }

    // Quantity and side.
    const quantityColumn = this.col(c.quantity)
    const quantityText = cell(quantityColumn)
    const signed = number(quantityColumn, quantityText)
    let quantity: bigint | null = null
    if (signed !== null) {
      quantity =
        signed === 0n
          ? fail(quantityColumn, `${quantityColumn?.label} "${quantityText}" must not be 0`)
          : signed < 0n
            ? -signed
            : signed
    }
    let side: Side | null = null
    if (c.side !== undefined) {
      const sideColumn = this.col(c.side)
      const sideCell = cell(sideColumn)
      const sideText = sideCell.toLowerCase()
      side = this.buy.has(sideText)
        ? 'buy'
        : this.sell.has(sideText)
          ? 'sell'
          : fail(
              sideColumn,
              `${sideColumn?.label} "${sideCell}" is neither a buy (${[...this.buy].join(', ')}) nor a sell (${[...this.sell].join(', ')})`,
            )
    } else if (signed !== null && signed !== 0n) {
      side = signed < 0n ? 'sell' : 'buy'
    }

    const priceColumn = this.col(c.price)
    const priceText = cell(priceColumn)
    let price = number(priceColumn, priceText)
    if (price !== null && price < 0n) {
      price = fail(priceColumn, `${priceColumn?.label} "${priceText}" must be 0 or more`)
    }

    // Fees: every fee column, summed as costs (brokers sign them either way).
    let fee: bigint | null = 0n
    const feeNames = c.fee === undefined ? [] : typeof c.fee === 'string' ? [c.fee] : c.fee
    for (const name of feeNames) {
      const feeColumn = this.col(name)
      const feeText = cell(feeColumn)
      if (feeText === '' || feeText === '-' || feeText === '--') continue
      const value = number(feeColumn, feeText)
      if (value === null) fee = null
      else if (fee !== null) fee += value < 0n ? -value : value
    }

    // Asset class: the column, the fixed class, else option when the symbol reads as one.
    const symbolColumn = this.col(c.symbol)
    const symbol = cell(symbolColumn) || fail(symbolColumn, `${symbolColumn?.label} is empty`)
    let assetClass: AssetClass | null
    if (c.assetClass !== undefined) {
      const assetColumn = this.col(c.assetClass)
      const assetCell = cell(assetColumn)
      const assetText = assetCell.toLowerCase() || 'stock'
      assetClass = (ASSET_CLASSES as readonly string[]).includes(assetText)
        ? (assetText as AssetClass)
        : fail(
            assetColumn,
            `${assetColumn?.label} "${assetCell}" must be one of ${ASSET_CLASSES.join(', ')}`,
          )
    } else {
      assetClass =
        this.mapping.assetClass ?? (symbol && parseOptionSymbol(symbol) ? 'option' : 'stock')
    }
    const instrument =
      symbol && assetClass ? instrumentOf(symbol, assetClass, this.multiplier, executedAt) : null
    if (symbol && assetClass && !instrument) {
      fail(
        symbolColumn,
        `${symbolColumn?.label} "${symbol}" is not a ${assetClass} symbol Blotter can read`,
      )
    }

    const currencyColumn = this.col(c.currency)
    const currencyCell = cell(currencyColumn)
    const currency = currencyCell.toUpperCase()
    if (currency && !/^[A-Z0-9]{2,12}$/.test(currency)) {
      fail(currencyColumn, `${currencyColumn?.label} "${currencyCell}" is not a currency code`)
    }

    if (errors.length > 0) return errors
    return {
      line,
      raw: record.raw,
      account: cell(this.col(c.account)) || null,
      instrument: instrument as InstrumentSpec,
      side: side as Side,
      quantity: quantity as bigint,
      price: price as bigint,
      fee: fee as bigint,
      currency: currency || null,
      executedAt: executedAt as number,
      sourceTimezone: EXPLICIT_OFFSET.test(timeText) ? 'UTC' : this.options.timezone,
      brokerExecutionId: cell(this.col(c.fillId)) || null,
      brokerOrderId: cell(this.col(c.orderId)) || null,
      isDerived: false,
      note: cell(this.col(c.note)) || null,
    }
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
