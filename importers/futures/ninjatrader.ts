/**
 * NinjaTrader 8 grid exports (brokers.md §2.10): Executions (one row per fill) and Trades (one
 * row per round trip), from Trade Performance or the Control Center.
 *
 * The grids follow the Windows culture: comma or semicolon delimited, decimal point or comma
 * (`7200,75`, `0,62 $`), month-first with AM/PM (`7/28/2026 9:45:17 AM`) or day-first 24-hour
 * (`27/04/2026 6:05:02`), English or French headers. Each file is sniffed for its delimiter,
 * decimal separator and date order before its rows are read; a date order the file does not
 * settle is assumed with a warning, and --date-order overrides it.
 *
 * Times are naive, in NinjaTrader's configured zone (by default the PC's). America/New_York is
 * the default here, a guess no file can confirm: traders elsewhere pass --tz.
 */
import type { Side } from '../../core/engine'
import { detectDecimalSeparator, type DecimalSeparator } from '../../core/parse/numbers'
import type { TimestampFormat } from '../../core/time-parse'
import type { DateOrder, ImportFormat, ParsedFill, ParseOptions, ParseWarning } from '../types'
import {
  derivedFills,
  detectTable,
  futureInstrument,
  openTable,
  parseTable,
  yearOf,
  type Column,
  type ReadTime,
  type Row,
  type TableSpec,
} from './table'

const DEFAULT_TIMEZONE = 'America/New_York'
const SAMPLE_ROWS = 200

const INSTRUMENT: Column = ['Instrument']
const ACCOUNT: Column = ['Account', 'Account display name', 'Compte']
const COMMISSION: Column = ['Commission']

/** How a file writes numbers and dates, read off its rows. */
interface Culture {
  decimal: DecimalSeparator
  dayFirst: boolean
  /** Says which date order was assumed, when the file does not settle it. */
  warning: ParseWarning | null
}

/** What the time cells say about the date order. */
class DateClues {
  /** Settled by a date part above 12 (a day), or by dots (de-DE and others: day-first). */
  order: DateOrder | null = null
  ampm = false
  /** The first date that reads differently either way round (05/04/2026), for the warning. */
  ambiguous: RegExpExecArray | null = null

  add(sample: string): void {
    if (/\s[AP]M$/i.test(sample)) this.ampm = true
    const parts = /^(\d{1,2})([/.])(\d{1,2})[/.](\d+)/.exec(sample)
    if (!parts) return
    const [first, second] = [Number(parts[1]), Number(parts[3])]
    if (first > 12 || parts[2] === '.') this.order = 'dmy'
    else if (second > 12) this.order = 'mdy'
    else if (first !== second) this.ambiguous ??= parts
  }
}

/**
 * Decimal separator: '.' in comma-delimited files (a decimal comma would need quoting, which
 * NinjaTrader does not do); otherwise voted by the number cells of the first rows, ',' when none
 * has a '.'.
 *
 * Date order (brokers.md §2.10: the Windows culture's): --date-order when given; else a date part
 * above 12 anywhere in the file, or dots, settles it; failing that, AM/PM means month-first
 * (en-US), and a semicolon delimiter or decimal comma day-first (the cultures that write those
 * write day-first dates). A file with none of these (en-US with a 24-hour clock, or en-GB)
 * keeps the default of the documented comma-delimited grids, month-first (day-first for any other
 * delimiter), and the import says so when a date of the file would read differently.
 */
function sniffCulture(
  text: string,
  spec: TableSpec,
  numbers: Column,
  times: Column,
  options: ParseOptions,
): Culture {
  const table = openTable(text, spec)
  if (!table) return { decimal: '.', dayFirst: options.dateOrder === 'dmy', warning: null }
  const numberSamples: string[] = []
  const dates = new DateClues()
  let sampled = 0
  for (const record of table.rows) {
    const sampling = ++sampled <= SAMPLE_ROWS
    const readingDates = options.dateOrder === undefined && dates.order === null
    if (!sampling && !readingDates) break
    const cells = (column: Column) =>
      table.columns
        .indices(column)
        .map((index) => (record.fields[index] ?? '').trim())
        .filter(Boolean)
    if (sampling) numberSamples.push(...cells(numbers))
    if (readingDates) for (const cell of cells(times)) dates.add(cell)
  }
  const decimal: DecimalSeparator =
    table.delimiter === ','
      ? '.'
      : numberSamples.some((sample) => sample.includes('.'))
        ? detectDecimalSeparator(numberSamples)
        : ','
  const settled =
    options.dateOrder ??
    dates.order ??
    (dates.ampm ? 'mdy' : table.delimiter === ';' || decimal === ',' ? 'dmy' : null)
  if (settled) return { decimal, dayFirst: settled === 'dmy', warning: null }
  const dayFirst = table.delimiter !== ','
  const warning = dates.ambiguous && ambiguityWarning(dates.ambiguous, dayFirst)
  return { decimal, dayFirst, warning }
}

function ambiguityWarning(date: RegExpExecArray, dayFirst: boolean): ParseWarning {
  const [text = '', first = '', , second = '', year = ''] = date
  const [month, day] = dayFirst ? [second, first] : [first, second]
  const read = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  const [assumed, other] = dayFirst ? ['day-first', 'month-first'] : ['month-first', 'day-first']
  return {
    warning:
      `NinjaTrader dates such as "${text}" read either way round (month-first in en-US, day-first in en-GB and most of Europe), and nothing in this file tells which: ` +
      `they were read ${assumed} (${read}). If Windows shows your dates ${other}, undo this import and import the file again with the date order set to ${other} (--date-order ${dayFirst ? 'mdy' : 'dmy'})`,
  }
}

function readTime(row: Row, column: Column, culture: Culture, zone: string): ReadTime | null {
  const value = row.text(column)
  const ampm = /\s[AP]M$/i.test(value)
  if (ampm && culture.dayFirst) {
    return row.fail(
      column,
      `${row.label(column)} "${value}": day-first times with AM/PM are not supported`,
    )
  }
  const format: TimestampFormat = ampm
    ? 'us-slash-ampm'
    : culture.dayFirst
      ? 'eu-slash'
      : 'us-slash'
  return row.time(column, [format], zone)
}

// ---------------------------------------------------------------------------------------------
// Executions

const ACTION: Column = ['Action']
const QUANTITY: Column = ['Quantity']
const PRICE: Column = ['Price']
const TIME: Column = ['Time']
const EXECUTION_ID: Column = ['ID']
const ORDER_ID: Column = ['Order ID']

const EXECUTIONS: TableSpec = {
  name: 'NinjaTrader Executions',
  signatures: [['Instrument', 'Action', 'Quantity', 'Price', 'Time']],
}

/** `Buy`/`Sell`, and NinjaScript's `BuyToCover`/`SellShort` (spaced or not). */
function readAction(row: Row): Side | null {
  const text = row.text(ACTION).toLowerCase().replace(/\s+/g, '')
  if (text === 'buy' || text === 'buytocover') return 'buy'
  if (text === 'sell' || text === 'sellshort') return 'sell'
  return row.fail(ACTION, `Action "${row.text(ACTION)}" must be Buy, Sell, BuyToCover or SellShort`)
}

function readExecution(row: Row, culture: Culture, options: ParseOptions): ParsedFill[] {
  const side = readAction(row)
  const quantity = row.number(QUANTITY, { sign: 'positive', decimal: culture.decimal })
  const price = row.number(PRICE, { sign: 'non-negative', decimal: culture.decimal })
  const fee = row.fee([COMMISSION], { decimal: culture.decimal })
  const time = readTime(row, TIME, culture, options.timezone)
  const instrument = row.required(INSTRUMENT)
  if (
    row.errors.length > 0 ||
    !side ||
    quantity === null ||
    price === null ||
    !time ||
    !instrument
  ) {
    return []
  }
  return [
    {
      line: row.line,
      raw: row.record.raw,
      account: row.text(ACCOUNT) || null,
      instrument: futureInstrument(instrument, yearOf(time.executedAt)),
      side,
      quantity,
      price,
      fee,
      currency: null,
      executedAt: time.executedAt,
      sourceTimezone: time.sourceTimezone,
      brokerExecutionId: row.text(EXECUTION_ID) || null,
      brokerOrderId: row.text(ORDER_ID) || null,
      isDerived: false,
      note: null,
    },
  ]
}

export const ninjatraderExecutionsFormat: ImportFormat = {
  id: 'ninjatrader-executions',
  label: 'NinjaTrader 8 Executions grid',
  parserVersion: '1',
  defaultTimezone: DEFAULT_TIMEZONE,
  detect: (text) => detectTable(text, EXECUTIONS),
  *parse(text, options) {
    const culture = sniffCulture(text, EXECUTIONS, [...PRICE, ...COMMISSION], TIME, options)
    if (culture.warning) yield culture.warning
    yield* parseTable(text, EXECUTIONS, (row) => readExecution(row, culture, options))
  },
}

// ---------------------------------------------------------------------------------------------
// Trades (English and French headers)

const MARKET_POSITION: Column = ['Market pos.', 'Pos. marché.']
const QTY: Column = ['Qty', 'Qté']
const ENTRY_PRICE: Column = ['Entry price', "Prix d'entrée"]
const EXIT_PRICE: Column = ['Exit price', 'Prix de sortie']
const ENTRY_TIME: Column = ['Entry time', "Heure d'entrée"]
const EXIT_TIME: Column = ['Exit time', 'Heure de sortie']
const PROFIT: Column = ['Profit']
// NinjaTrader 8.1 shows exchange, clearing and NFA fees apart from Commission (NinjaScript's
// Trade has Commission and Fee as separate amounts), so the costs add up [Inferred].
const FEE_COLUMNS: readonly Column[] = [
  COMMISSION,
  ['Clearing Fee'],
  ['Exchange Fee'],
  ['IP Fee'],
  ['NFA Fee'],
]

const TRADES: TableSpec = {
  name: 'NinjaTrader Trades',
  signatures: [
    ['Instrument', 'Market pos.', 'Qty', 'Entry price', 'Exit price', 'Entry time', 'Exit time'],
    [
      'Instrument',
      'Pos. marché.',
      'Qté',
      "Prix d'entrée",
      'Prix de sortie',
      "Heure d'entrée",
      'Heure de sortie',
    ],
  ],
}

/**
 * One round trip. `Profit` is already net of the costs (Deltalytix and FreeTradeJournal both
 * learnt this the hard way), so it is the broker's net P&L and is never reduced by the
 * commission again. `Trade number` restarts with every report, so it is no id: these fills are
 * told apart by content.
 */
function readRoundTrip(row: Row, culture: Culture, options: ParseOptions): ParsedFill[] {
  // [Inferred] the French grid keeps Long/Short as the values of "Pos. marché.".
  const position = row.text(MARKET_POSITION).toLowerCase()
  const direction =
    position === 'long' || position === 'short'
      ? position
      : row.fail(
          MARKET_POSITION,
          `${row.label(MARKET_POSITION)} "${row.text(MARKET_POSITION)}" must be Long or Short`,
        )
  const decimal = culture.decimal
  const quantity = row.number(QTY, { sign: 'positive', decimal })
  const entryPrice = row.number(ENTRY_PRICE, { sign: 'non-negative', decimal })
  const exitPrice = row.number(EXIT_PRICE, { sign: 'non-negative', decimal })
  const profit = row.number(PROFIT, { required: false, decimal })
  const fee = row.fee(FEE_COLUMNS, { decimal })
  const entered = readTime(row, ENTRY_TIME, culture, options.timezone)
  const exited = readTime(row, EXIT_TIME, culture, options.timezone)
  const instrument = row.required(INSTRUMENT)
  if (
    row.errors.length > 0 ||
    !direction ||
    quantity === null ||
    entryPrice === null ||
    exitPrice === null ||
    !entered ||
    !exited ||
    !instrument
  ) {
    return []
  }
  return derivedFills(row, {
    account: row.text(ACCOUNT) || null,
    instrument: futureInstrument(instrument, yearOf(entered.executedAt)),
    direction,
    quantity,
    entry: { price: entryPrice, time: entered },
    exit: { price: exitPrice, time: exited },
    fee,
    currency: null,
    id: null,
    brokerPnl: profit === null ? null : { amount: profit, net: true },
  })
}

export const ninjatraderTradesFormat: ImportFormat = {
  id: 'ninjatrader-trades',
  label: 'NinjaTrader 8 Trades grid',
  parserVersion: '1',
  defaultTimezone: DEFAULT_TIMEZONE,
  detect: (text) => detectTable(text, TRADES),
  *parse(text, options) {
    const numbers = [...ENTRY_PRICE, ...EXIT_PRICE, ...PROFIT, ...FEE_COLUMNS.flat()]
    const culture = sniffCulture(text, TRADES, numbers, [...ENTRY_TIME, ...EXIT_TIME], options)
    if (culture.warning) yield culture.warning
    yield* parseTable(text, TRADES, (row) => readRoundTrip(row, culture, options))
  },
}
