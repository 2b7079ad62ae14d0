/**
 * IBKR Activity Statement CSV (brokers.md §2.1.c): every line is `Section,RowType,…`; the Trades
 * section's Header row repeats whenever the asset category (and so the column set) changes, and
 * SubTotal/Total rows sit between the data. One order is an `Order` row and, with execution
 * detail on, its `Trade` rows too: only the `Order` rows are imported.
 */
import type { Side } from '../../core/engine'
import { TimeParseError } from '../../core/time-parse'
import {
  csvRecords,
  headerIndex,
  sectionEvents,
  type CsvRecord,
  type HeaderMap,
  type SectionInfo,
} from '../sniff'
import type { ImportFormat, InstrumentSpec, ParsedFill, ParseOptions, RowError } from '../types'
import {
  ASSET_NAMES,
  codeSet,
  EVENT_NOTES,
  IBKR_TIMEZONE,
  ibkrInstrument,
  IbkrRow,
  missingColumns,
  optionEvent,
  readCurrency,
  readFee,
  readIbkrTime,
  yearIn,
  type IbkrAsset,
  type ReadTime,
} from './common'

const DISCRIMINATOR = 'DataDiscriminator'
const ASSET = 'Asset Category'
const SYMBOL = 'Symbol'
const TIME = 'Date/Time'
const QUANTITY = 'Quantity'
const PRICE = 'T. Price'
const REALIZED = 'Realized P/L'
const REQUIRED = [[ASSET], [SYMBOL], [TIME], [QUANTITY], [PRICE]]
/** Forex blocks write their commission in the base currency: "Comm in USD" (brokers.md §2.1.c). */
const COMMISSION_IN = /^comm in ([a-z]{3})$/i

const ASSETS: Readonly<Record<string, IbkrAsset>> = {
  Stocks: 'stock',
  'Equity and Index Options': 'option',
  Futures: 'future',
  Forex: 'forex',
}

const NO_HEADER =
  'No Trades section found: expected a "Trades,Header,…" row with Asset Category, Symbol, ' +
  'Date/Time, Quantity and T. Price'

export const ibkrStatementFormat: ImportFormat = {
  id: 'ibkr-statement',
  label: 'Interactive Brokers Activity Statement CSV (Trades)',
  parserVersion: '2',
  defaultTimezone: IBKR_TIMEZONE,
  detect: detectStatement,
  parse: parseStatement,
}

/**
 * 0.9 for a Trades header with the columns above, wherever it is (the Trades section comes after
 * many others); 0.6 for a statement without one, so the import says what is missing instead of
 * "format not recognised".
 */
function detectStatement(text: string): number {
  const line = /^"?Trades"?,"?Header"?,[^\r\n]*$/m.exec(text)?.[0]
  if (line) {
    const [record] = csvRecords(line, { delimiter: ',' })
    if (record && missingColumns(columnsOf(record), REQUIRED).length === 0) return 0.9
  }
  return /^"?Statement"?,"?Header"?,"?Field Name"?,"?Field Value"?\s*$/m.test(text) ? 0.6 : 0
}

function columnsOf(record: CsvRecord): HeaderMap {
  const [section] = sectionEvents([record], 'ibkr-statement')
  return section?.kind === 'header' ? section.section.columns : new Map()
}

/** Order rows when the file has any (they are what TradeTally keeps); else Trade rows. */
function importedDiscriminator(text: string): string {
  for (const event of sectionEvents(csvRecords(text, { delimiter: ',' }), 'ibkr-statement')) {
    if (event.kind !== 'row' || event.section.name !== 'Trades') continue
    const index = headerIndex(event.section.columns, DISCRIMINATOR)
    if (index !== undefined && event.record.fields[index]?.trim() === 'Order') return 'Order'
  }
  return 'Trade'
}

/**
 * "Account Information,Data,Account,U1234567": the account of a single-account statement, whose
 * Trades rows have no Account column. Not in brokers.md; every statement other projects test
 * with has it ([Inferred]). Anything but one account id is ignored.
 */
function statementAccount(record: CsvRecord): string | null {
  if (record.fields[1]?.trim() !== 'Data' || record.fields[2]?.trim() !== 'Account') return null
  const value = record.fields[3]?.trim() ?? ''
  return /^[A-Z]{1,3}\d+$/.test(value) ? value : null
}

function* parseStatement(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const discriminator = importedDiscriminator(text)
  let account: string | null = null
  let sawTrades = false
  const usable = new Set<SectionInfo>()
  for (const event of sectionEvents(csvRecords(text, { delimiter: ',' }), 'ibkr-statement')) {
    if (event.kind === 'other') continue
    const { section, record } = event
    if (section.name === 'Account Information' && event.kind === 'row') {
      account = statementAccount(record) ?? account
      continue
    }
    if (section.name !== 'Trades') continue
    if (event.kind === 'header') {
      sawTrades = true
      const missing = missingColumns(section.columns, REQUIRED)
      if (missing.length === 0) {
        usable.add(section)
        continue
      }
      yield {
        line: record.line,
        column: null,
        message: `Trades header is missing column(s): ${missing.join(', ')}`,
      }
      continue
    }
    // SubTotal, Total and Notes rows carry no trade.
    if (record.fields[1]?.trim() !== 'Data' || !usable.has(section)) continue
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    yield* readRow(new IbkrRow(record, section.columns, section.header), {
      discriminator,
      account,
      zone: options.timezone,
    })
  }
  if (!sawTrades) yield { line: 1, column: null, message: NO_HEADER }
}

interface RowContext {
  discriminator: string
  /** From Account Information, for rows without an Account column. */
  account: string | null
  zone: string
}

function* readRow(row: IbkrRow, context: RowContext): Iterable<ParsedFill | RowError> {
  // Trade rows are the Order's executions and ClosedLot rows its FIFO lots: never both.
  if (row.has(DISCRIMINATOR) && row.cell(DISCRIMINATOR) !== context.discriminator) return
  const quantity = row.number([QUANTITY], true)
  if (quantity === 0n) return
  // Quantities preceded by "-" are sells (brokers.md §2.1.c).
  const side: Side | null = quantity === null ? null : quantity < 0n ? 'sell' : 'buy'
  const price = row.number([PRICE], true)
  if (price !== null && price < 0n) row.fail(PRICE, `${PRICE} "${row.cell(PRICE)}" is negative`)
  const currency = readCurrency(row, ['Currency'])
  const commission = commissionColumn(row)
  const fee = commission ? readFee(row, [[commission.column]]) : 0n
  if (commission?.currency && currency && commission.currency !== currency) {
    row.fail(
      commission.column,
      `${commission.column} is in ${commission.currency}, the trade in ${currency}; Blotter keeps a fill's fee in the fill's currency`,
    )
  }

  const codes = codeSet(row.cell('Code'))
  const event = optionEvent(codes)
  const assetField = row.field(ASSET)
  const asset = ASSETS[assetField?.text ?? ''] ?? null
  if (!asset) {
    const why =
      assetField?.text === 'Options On Futures'
        ? 'futures options are not supported yet'
        : 'Blotter reads Stocks, Equity and Index Options, Futures and Forex'
    row.fail(ASSET, `${ASSET} "${assetField?.text}": ${why}`)
  }
  const time = readTime(row, event, context.zone)
  const symbol = row.cell(SYMBOL)
  let instrument: InstrumentSpec | null = null
  if (asset && time) {
    // The statement states no multiplier: options take 100 and futures the table's.
    instrument = ibkrInstrument(asset, symbol, {
      multiplier: null,
      referenceYear: yearIn(time.executedAt, context.zone),
    })
    if (!instrument)
      row.fail(SYMBOL, `Symbol "${symbol}" is not ${ASSET_NAMES[asset]} symbol Blotter can read`)
  }
  // Realized P/L is Proceeds + Comm/Fee + Basis, and Basis includes the opening commission
  // (oittaa's real UPST row: 9982 − 1.0568582 − 3043 = 6937.943142), so it is net.
  const pnl = codes.has('C') ? row.number([REALIZED], false) : null

  if (row.errors.length > 0 || quantity === null) {
    yield* row.errors
    return
  }
  const { record } = row
  yield {
    line: record.line,
    raw: record.raw,
    account: row.cell('Account') || context.account,
    instrument: instrument as InstrumentSpec,
    side: side as Side,
    quantity: quantity < 0n ? -quantity : quantity,
    price: price as bigint,
    fee: fee as bigint,
    currency,
    executedAt: (time as ReadTime).executedAt,
    legacyExecutedAt: (time as ReadTime).legacyExecutedAt,
    sourceTimezone: (time as ReadTime).sourceTimezone,
    // The statement has no ids: the import's content keys tell its fills apart.
    brokerExecutionId: null,
    brokerOrderId: null,
    isDerived: false,
    note: event ? EVENT_NOTES[event] : null,
    brokerPnl: pnl === null ? null : { amount: pnl, net: true },
  }
}

/** Comm/Fee, or the Forex block's "Comm in USD" with its currency. */
function commissionColumn(row: IbkrRow): { column: string; currency: string | null } | null {
  if (row.has('Comm/Fee')) return { column: 'Comm/Fee', currency: null }
  for (const name of row.headerNames()) {
    const match = COMMISSION_IN.exec(name)
    if (match) return { column: name, currency: (match[1] ?? '').toUpperCase() }
  }
  return null
}

/** "2025-09-19, 16:20:00"; the Flex shapes are accepted too ("2023-11-01;10:00:00"). */
function readTime(row: IbkrRow, event: ReturnType<typeof optionEvent>, zone: string) {
  const text = row.cell(TIME)
  if (text === '') return row.fail(TIME, `${TIME} is empty`)
  try {
    return readIbkrTime(text, ['ibkr-statement', 'ibkr-flex'], zone, event)
  } catch (error) {
    if (!(error instanceof TimeParseError)) throw error
    return row.fail(TIME, `${TIME} ${error.message}`)
  }
}
