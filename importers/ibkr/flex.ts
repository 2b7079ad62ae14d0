/**
 * IBKR Flex Query CSV (brokers.md §2.1.a, §2.1.b): the Trade Confirmation flex and the Trades
 * section of an Activity flex, with or without BOF/BOA/BOS/EOS/EOA/EOF records, with or without
 * HEADER/DATA prefixes, with the MSG row, and with several accounts and sections in one file.
 * Columns are whatever the user ticked, in that order, so everything goes by header name.
 */
import type { OptionContract, OptionParts } from '../../core/instruments/options'
import { TimeParseError } from '../../core/time-parse'
import type { Side } from '../../core/engine'
import {
  buildHeaderMap,
  csvRecords,
  isBlankRecord,
  sectionEvents,
  type CsvRecord,
  type HeaderMap,
} from '../sniff'
import type { ImportFormat, InstrumentSpec, ParsedFill, ParseOptions, RowError } from '../types'
import {
  ASSET_NAMES,
  atDate,
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
  readOption,
  yearIn,
  type IbkrAsset,
  type OptionEvent,
  type ReadTime,
} from './common'

const SYMBOL = ['Symbol']
const SIDE = ['Buy/Sell']
const QUANTITY = ['Quantity']
// Activity flex names first, then the Trade Confirmation flex's.
const PRICE = ['TradePrice', 'Price']
const TIME = ['DateTime', 'Date/Time']
const DATE = ['TradeDate']
// The Trade Confirmation flex's, then the Activity flex's.
const SETTLE_DATE = ['SettleDate', 'SettleDateTarget']
const UNDERLYING = ['UnderlyingSymbol']
const ACCOUNT = ['ClientAccountID']
const CURRENCY = ['CurrencyPrimary']
const ASSET = ['AssetClass']
const MULTIPLIER = ['Multiplier']
const CODES = ['Notes/Codes', 'Code']
const OPEN_CLOSE = ['Open/CloseIndicator']
const LEVEL = ['LevelOfDetail']
const PNL = ['FifoPnlRealized']
const ORDER_ID = ['IBOrderID', 'OrderID']
// TradeID first: both flex kinds have it, so the same execution keeps its id in either file.
const EXECUTION_ID = ['TradeID', 'IBExecID']
// The totals only: the Trade Confirmation flex's BrokerExecutionCommission, …, OtherCommission
// are the parts of Commission, and adding them too would count it twice (brokers.md §3.5).
const COMMISSION = ['IBCommission', 'Commission']
const COMMISSION_CURRENCY = ['IBCommissionCurrency']
// Transaction taxes, negative like commissions (NetCash = Proceeds + Taxes + IBCommission).
const TAXES = ['Taxes']

const REQUIRED = [SYMBOL, SIDE, QUANTITY, PRICE, [...TIME, ...DATE]]
/** Names only IBKR Flex uses: one of them next to REQUIRED makes the signature unambiguous. */
const IBKR_ONLY = [
  'ClientAccountID',
  'CurrencyPrimary',
  'IBCommission',
  'IBExecID',
  'IBOrderID',
  'Open/CloseIndicator',
  'LevelOfDetail',
  'FifoPnlRealized',
  'Notes/Codes',
]

const ASSETS: Readonly<Record<string, IbkrAsset>> = {
  STK: 'stock',
  OPT: 'option',
  FUT: 'future',
  CASH: 'forex',
}

const NO_HEADER =
  'No IBKR Flex Trades header found: expected a header row with Symbol, Buy/Sell, Quantity, ' +
  'TradePrice (or Price) and DateTime (or Date/Time, TradeDate)'

export const ibkrFlexFormat: ImportFormat = {
  id: 'ibkr-flex',
  label: 'Interactive Brokers Flex Query CSV (Trade Confirmation or Activity, Trades)',
  parserVersion: '2',
  defaultTimezone: IBKR_TIMEZONE,
  detect: detectFlex,
  parse: parseFlex,
}

/**
 * Lines naming a Buy/Sell column, wherever they are (a Flex file may hold other sections first;
 * data rows say BUY/SELL), read as headers: 0.9 for the first that is a Flex Trades header.
 */
function detectFlex(text: string): number {
  let seen = 0
  for (const match of text.matchAll(/^[^\r\n]*Buy\/Sell[^\r\n]*$/gm)) {
    if (++seen > 20) break
    const [record] = csvRecords(match[0], { delimiter: ',' })
    const columns = buildHeaderMap(record?.fields ?? [])
    const flexNames = IBKR_ONLY.some((name) => columns.has(name.toLowerCase()))
    if (flexNames && missingColumns(columns, REQUIRED).length === 0) return 0.9
  }
  return 0
}

// ---------------------------------------------------------------------------------------------
// Sections

interface FlexSection {
  header: CsvRecord
  columns: HeaderMap
  /** From the enclosing BOA record; rows' ClientAccountID wins. */
  account: string | null
  /** A Trades header (it names Buy/Sell); cleared when it lacks a required column. */
  trades: boolean
}

type FlexItem =
  | { kind: 'header'; section: FlexSection; record: CsvRecord }
  | { kind: 'row'; section: FlexSection; record: CsvRecord }
  | { kind: 'message'; record: CsvRecord }

/**
 * A header row of another section that sniff took for a row: in a file without BOS records or
 * HEADER prefixes, a new section's header differs from the Trades header, so only its content
 * tells it apart. Every Flex data row has a digit (a quantity, a date); header names have none.
 */
function looksLikeHeader(record: CsvRecord): boolean {
  return !isBlankRecord(record) && record.fields.every((field) => !/\d/.test(field))
}

function* flexItems(text: string): Generator<FlexItem> {
  let current: FlexSection | undefined
  const open = (header: CsvRecord, columns: HeaderMap, account: string | undefined) => {
    const trades = columns.has('buy/sell')
    current = { header, columns, account: account ?? null, trades }
    return current
  }
  for (const event of sectionEvents(csvRecords(text, { delimiter: ',' }), 'ibkr-flex')) {
    const record = event.record
    if (event.kind === 'other') {
      if (record.fields[0]?.trim() === 'MSG') yield { kind: 'message', record }
      continue
    }
    const { section } = event
    const prefixed = section.header.fields[0]?.trim() === 'HEADER'
    if (event.kind === 'header') {
      yield { kind: 'header', section: open(record, section.columns, section.account), record }
    } else if (!prefixed && looksLikeHeader(record)) {
      const columns = buildHeaderMap(record.fields)
      yield { kind: 'header', section: open(record, columns, section.account), record }
    } else if (current) {
      yield { kind: 'row', section: current, record }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface FileFacts {
  /** The LevelOfDetail imported: EXECUTION when the file has any, else ORDER. */
  level: string | null
  /** A MSG row said realized P/L is disabled: FifoPnlRealized is not IBKR's figure then. */
  realizedDisabled: boolean
  /** The instants of the option assignments and exercises, by deliveryKey. */
  deliveries: Map<string, Set<number>>
}

/**
 * Read before the rows: which level to import, whether the P&L column means anything, and when
 * each option assignment or exercise happened (its stock row may come first).
 */
function fileFacts(text: string, zone: string): FileFacts {
  const levels = new Set<string>()
  let realizedDisabled = false
  const deliveries = new Map<string, Set<number>>()
  for (const item of flexItems(text)) {
    if (item.kind === 'message') {
      const message = item.record.fields.slice(1).join(' ')
      if (/realized p\/?l/i.test(message) && /disabled|not ready/i.test(message)) {
        realizedDisabled = true
      }
    } else if (item.kind === 'row' && item.section.trades) {
      const row = new IbkrRow(item.record, item.section.columns, item.section.header)
      if (row.has(...LEVEL)) levels.add(levelOf(row))
      noteDelivery(row, item.section, zone, deliveries)
    }
  }
  const level = levels.has('EXECUTION') ? 'EXECUTION' : levels.has('ORDER') ? 'ORDER' : null
  return { level, realizedDisabled, deliveries }
}

/** An option row's assignment or exercise: its instant, under the key of the shares it moves. */
function noteDelivery(
  row: IbkrRow,
  section: FlexSection,
  zone: string,
  deliveries: Map<string, Set<number>>,
): void {
  const event = optionEvent(codeSet(row.cell(...CODES), row.cell(...OPEN_CLOSE)))
  if ((event !== 'assigned' && event !== 'exercised') || assetOf(row) !== 'option') return
  const symbol = row.cell(...SYMBOL)
  const option = readOption(symbol, optionPartsOf(row))
  const time = readTime(row, event, zone, (column, dated) =>
    optionEventTime(row, column, dated, option, zone),
  )
  const underlying = row.cell(...UNDERLYING) || option?.underlying
  if (!time || !underlying) return
  const key = deliveryKey(row, section, event, underlying)
  deliveries.set(key, (deliveries.get(key) ?? new Set<number>()).add(time.executedAt))
}

/**
 * What ties an assignment's or exercise's share row to its option row: account, event,
 * underlying, settlement date and level of detail.
 */
function deliveryKey(
  row: IbkrRow,
  section: FlexSection,
  event: OptionEvent,
  underlying: string,
): string {
  const account = row.cell(...ACCOUNT) || section.account
  const settled = row.cell(...SETTLE_DATE)
  return JSON.stringify([levelOf(row), account, event, underlying.toUpperCase(), settled])
}

/** A row's LevelOfDetail; a blank one is a plain execution row. */
function levelOf(row: IbkrRow): string {
  return row.cell(...LEVEL).toUpperCase() || 'EXECUTION'
}

function* parseFlex(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const facts = fileFacts(text, options.timezone)
  let sawTradesHeader = false
  for (const item of flexItems(text)) {
    if (item.kind === 'header' && item.section.trades) {
      sawTradesHeader = true
      const missing = missingColumns(item.section.columns, REQUIRED)
      if (missing.length > 0) {
        item.section.trades = false
        yield {
          line: item.record.line,
          column: null,
          message: `IBKR Flex Trades header is missing column(s): ${missing.join(', ')}`,
        }
      }
    } else if (item.kind === 'row' && item.section.trades) {
      yield* readRow(item.record, item.section, facts, options)
    }
  }
  if (!sawTradesHeader) yield { line: 1, column: null, message: NO_HEADER }
}

function* readRow(
  record: CsvRecord,
  section: FlexSection,
  facts: FileFacts,
  options: ParseOptions,
): Iterable<ParsedFill | RowError> {
  if (isBlankRecord(record)) return
  if (record.error) {
    yield { line: record.line, column: null, message: record.error }
    return
  }
  const row = new IbkrRow(record, section.columns, section.header)
  // Never two levels of one trade (brokers.md §2.1.b): closed lots and summaries never.
  const level = levelOf(row)
  if (row.has(...LEVEL) && level !== facts.level) return
  const sideText = row.cell(...SIDE).toUpperCase()
  const codes = codeSet(row.cell(...CODES), row.cell(...OPEN_CLOSE))
  // A cancelled trade and its cancellation are both marked "BUY (Ca.)"/"SELL (Ca.)" (code Ca):
  // together they are nothing.
  if (sideText.includes('(CA') || codes.has('Ca')) return
  const quantity = row.number(QUANTITY, true)
  if (quantity === 0n) return

  // Sells are also negative (brokers.md §2.1.a), but Buy/Sell decides: the size is what counts.
  const sideField = row.field(...SIDE)
  const side: Side | null =
    sideText === 'BUY'
      ? 'buy'
      : sideText === 'SELL'
        ? 'sell'
        : row.fail(sideField?.column ?? null, `Buy/Sell "${sideField?.text}" must be BUY or SELL`)
  const price = row.number(PRICE, true)
  if (price !== null && price < 0n) {
    const field = row.field(...PRICE)
    row.fail(field?.column ?? null, `${field?.column} "${field?.text}" is negative`)
  }
  const fee = readFee(row, [COMMISSION, TAXES])
  const currency = readCurrency(row, CURRENCY)
  const commissionCurrency = row.field(...COMMISSION_CURRENCY)
  const foreign = commissionCurrency?.text && commissionCurrency.text.toUpperCase() !== currency
  if (commissionCurrency && foreign && currency && fee !== null && fee !== 0n) {
    row.fail(
      commissionCurrency.column,
      `${commissionCurrency.column} "${commissionCurrency.text}" differs from the trade's ${currency}; Blotter keeps a fill's fee in the fill's currency`,
    )
  }
  const multiplier = row.number(MULTIPLIER, false)
  if (multiplier !== null && multiplier <= 0n) {
    const field = row.field(...MULTIPLIER)
    row.fail(field?.column ?? null, `${field?.column} "${field?.text}" must be greater than 0`)
  }

  const asset = assetOf(row)
  const event = optionEvent(codes)
  const symbol = row.cell(...SYMBOL)
  const optionParts = optionPartsOf(row)
  const time = readTime(row, event, options.timezone, (column, dated) =>
    asset === 'option'
      ? optionEventTime(row, column, dated, readOption(symbol, optionParts), options.timezone)
      : deliveryTime(
          row,
          column,
          dated,
          symbol,
          facts.deliveries.get(deliveryKey(row, section, dated, symbol)),
          options.timezone,
        ),
  )
  let instrument: InstrumentSpec | null = null
  if (asset && time) {
    instrument = ibkrInstrument(asset, symbol, {
      multiplier,
      referenceYear: yearIn(time.executedAt, options.timezone),
      optionParts,
    })
    if (!instrument) {
      const column = row.field(...SYMBOL)?.column ?? null
      row.fail(column, `Symbol "${symbol}" is not ${ASSET_NAMES[asset]} symbol Blotter can read`)
    }
  }
  const brokerPnl = readPnl(row, codes, facts)

  if (row.errors.length > 0 || quantity === null) {
    yield* row.errors
    return
  }
  const orderId = row.cell(...ORDER_ID) || null
  // Order-level rows have no execution id; an order filled over two days has a row per day.
  const executionId =
    level === 'ORDER'
      ? orderId && `${orderId}:${tradeDateOf(row)}:fill`
      : row.cell(...EXECUTION_ID) || null
  yield {
    line: record.line,
    raw: record.raw,
    account: row.cell(...ACCOUNT) || section.account,
    instrument: instrument as InstrumentSpec,
    side: side as Side,
    quantity: quantity < 0n ? -quantity : quantity,
    price: price as bigint,
    fee: fee as bigint,
    currency,
    executedAt: (time as ReadTime).executedAt,
    legacyExecutedAt: (time as ReadTime).legacyExecutedAt,
    sourceTimezone: (time as ReadTime).sourceTimezone,
    brokerExecutionId: executionId,
    brokerOrderId: orderId,
    isDerived: false,
    note: event ? EVENT_NOTES[event] : null,
    brokerPnl,
  }
}

/**
 * STK, OPT, FUT and CASH. Without an AssetClass column (or value), a row with Put/Call or an
 * option symbol is an option and anything else a stock.
 */
function assetOf(row: IbkrRow): IbkrAsset | null {
  const field = row.field(...ASSET)
  const code = field?.text.toUpperCase() ?? ''
  if (code === '') {
    return row.cell('Put/Call') || readOption(row.cell(...SYMBOL)) ? 'option' : 'stock'
  }
  const asset = ASSETS[code]
  if (asset) return asset
  const why =
    code === 'FOP'
      ? 'futures options are not supported yet'
      : 'Blotter reads STK, OPT, FUT and CASH rows'
  return row.fail(field?.column ?? null, `${field?.column} "${field?.text}": ${why}`)
}

/** The option's own columns, for symbols not in OCC form. */
function optionPartsOf(row: IbkrRow): OptionParts {
  return {
    underlying: row.cell(...UNDERLYING),
    expiry: row.cell('Expiry'),
    strike: row.cell('Strike'),
    type: row.cell('Put/Call'),
  }
}

/**
 * DateTime (or Date/Time), else TradeDate. The Trade Confirmation flex can leave both empty on
 * an expiry, assignment or exercise (brokers.md §2.1.a "Add an Order Time to Expired
 * Contracts"): `undated` places such a row.
 */
function readTime(
  row: IbkrRow,
  event: OptionEvent | null,
  zone: string,
  undated: (column: string | null, event: OptionEvent) => ReadTime | null,
): ReadTime | null {
  const field = row.field(...TIME, ...DATE)
  const column = field?.column ?? null
  if (!field || field.text === '') {
    return event ? undated(column, event) : row.fail(column, `${column} is empty`)
  }
  try {
    return readIbkrTime(field.text, ['ibkr-flex'], zone, event)
  } catch (error) {
    if (!(error instanceof TimeParseError)) throw error
    return row.fail(
      column,
      `${column} "${field.text}" is not a Flex date and time (expected YYYYMMDD;HHMMSS: set the query's Date Format to yyyyMMdd and Time Format to HHmmss)`,
    )
  }
}

const EVENT_NAMES: Readonly<Record<OptionEvent, string>> = {
  expired: 'expiry',
  assigned: 'assignment',
  exercised: 'exercise',
}

const SETTLED = /^(\d{4})-?(\d{2})-?(\d{2})$/

/**
 * An option's expiry, assignment or exercise without a date: its expiry date at 16:20 ET, where
 * IBKR's statements put these events (brokers.md §2.1.c). An assignment or exercise that settled
 * by that date happened before it, on a day the row does not give.
 */
function optionEventTime(
  row: IbkrRow,
  column: string | null,
  event: OptionEvent,
  option: OptionContract | null,
  zone: string,
): ReadTime | null {
  if (!option) return row.fail(column, `${column} is empty`)
  const settled = SETTLED.exec(row.cell(...SETTLE_DATE))
    ?.slice(1)
    .join('-')
  if (event !== 'expired' && settled !== undefined && settled <= option.expiry) {
    return row.fail(
      column,
      `${column} is empty, and this ${EVENT_NAMES[event]} settled on ${settled}, by the option's expiry ${option.expiry}, so it happened earlier: fill in its time or tick TradeDate in the query`,
    )
  }
  return { executedAt: atDate(option.expiry, zone, event), sourceTimezone: zone }
}

/**
 * The shares an assignment or exercise moves, without a date: at the instant of the option row
 * they came from (`instants`, by deliveryKey), as IBKR's statements stamp both legs alike; the
 * option then closes no later than the fill it delivers.
 */
function deliveryTime(
  row: IbkrRow,
  column: string | null,
  event: OptionEvent,
  symbol: string,
  instants: ReadonlySet<number> | undefined,
  zone: string,
): ReadTime | null {
  const [instant, other] = instants ?? []
  if (instant !== undefined && other === undefined) {
    return { executedAt: instant, sourceTimezone: zone }
  }
  const options = `${symbol} option ${EVENT_NAMES[event]}`
  return row.fail(
    column,
    instant === undefined
      ? `${column} is empty, and the file has no ${options} settled the same day to take the date from: fill in its time`
      : `${column} is empty, and the ${options}s settled the same day are at different times: fill in its time`,
  )
}

/** The trade date of an order-level row, as yyyyMMdd digits. */
function tradeDateOf(row: IbkrRow): string {
  return (row.cell(...DATE) || row.cell(...TIME)).replace(/\D/g, '').slice(0, 8)
}

/**
 * FifoPnlRealized on closing rows: IBKR's realized P&L after commissions on both sides (its cost
 * basis includes the opening commission, the same figure as the statement's Realized P/L; see
 * statement.ts), so net.
 */
function readPnl(row: IbkrRow, codes: Set<string>, facts: FileFacts): ParsedFill['brokerPnl'] {
  if (facts.realizedDisabled || !codes.has('C')) return null
  const amount = row.number(PNL, false)
  return amount === null ? null : { amount, net: true }
}
