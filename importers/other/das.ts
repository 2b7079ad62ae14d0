/**
 * DAS Trader Pro Trades window export (brokers.md §2.20): one execution per row, a time of day
 * and no date. The date comes from the file name, as FreeTradeJournal reads it: `2026-07-20.csv`,
 * `20260720.csv`, `07-20-2026.csv` (month first), or `July20.csv` / `Jul 20 2026.csv`. A month
 * name without a year means the most recent such day, today included, in the import's zone. A
 * name with no date makes every row an error that says so.
 *
 * - Zone: US/Eastern [Inferred in brokers.md], America/New_York.
 * - Side: B and BC buy, S and SS (short sale) sell.
 * - No fees in this window (DAS: "check your back office"); no execution id. Cloid is the order.
 */
import type { Fixed8 } from '../../core/decimal'
import { calendarDate } from '../../core/time-parse'
import type { ImportFormat, ParsedFill, ParseOptions, RowError } from '../types'
import {
  findCsvHeader,
  headerNotFound,
  recordsAfter,
  RowReader,
  stockOrOption,
  type ColumnSpec,
} from './common'

type Key = 'time' | 'symbol' | 'side' | 'price' | 'quantity' | 'account' | 'cloid' | 'route'

const SPEC: Record<Key, ColumnSpec> = {
  time: { names: ['time'] },
  symbol: { names: ['symbol'] },
  side: { names: ['side'] },
  price: { names: ['price'] },
  quantity: { names: ['qty'] },
  account: { names: ['account'] },
  cloid: { names: ['cloid'] },
  route: { names: ['route'] },
}
const REQUIRED: readonly Key[] = ['time', 'symbol', 'side', 'price', 'quantity']

const SIDES: Readonly<Record<string, 'buy' | 'sell'>> = {
  B: 'buy',
  BC: 'buy',
  S: 'sell',
  SS: 'sell',
}

const TIME_OF_DAY = /^([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?$/

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** `July20`, `Jul 20`, `July_20th_2026`: a whole month name or its abbreviation, then the day. */
const MONTH_DAY = new RegExp(
  '(?<![a-z])(' +
    'january|february|march|april|may|june|july|august|september|sept|october|november|december|' +
    MONTHS.join('|') +
    String.raw`)[\s_.-]*(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:[\s_.,-]*(\d{4})(?!\d))?`,
  'i',
)

const pad = (value: number) => String(value).padStart(2, '0')

function validDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day))
  const ok =
    year >= 1990 && year <= 2099 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return ok ? `${year}-${pad(month)}-${pad(day)}` : null
}

/**
 * The trading day a DAS file name carries, as 'YYYY-MM-DD', or null. `today` ('YYYY-MM-DD')
 * supplies the year when the name has only a month name and a day.
 */
export function dateFromFileName(fileName: string, today: string): string | null {
  const name = fileName.replace(/\.[^.]*$/, '')
  const yearFirst = /(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)/.exec(name)
  if (yearFirst) {
    const date = validDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]))
    if (date) return date
  }
  const monthFirst = /(?<!\d)(\d{1,2})[-_.](\d{1,2})[-_.](\d{4})(?!\d)/.exec(name)
  if (monthFirst) {
    const date = validDate(Number(monthFirst[3]), Number(monthFirst[1]), Number(monthFirst[2]))
    if (date) return date
  }
  const named = MONTH_DAY.exec(name)
  if (!named) return null
  const month = MONTHS.indexOf((named[1] ?? '').slice(0, 3).toLowerCase()) + 1
  const day = Number(named[2])
  if (named[3]) return validDate(Number(named[3]), month, day)
  const thisYear = Number(today.slice(0, 4))
  const candidate = validDate(thisYear, month, day)
  return candidate !== null && candidate <= today ? candidate : validDate(thisYear - 1, month, day)
}

function* parseDas(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const header = findCsvHeader(text, SPEC, REQUIRED)
  if (!header) {
    yield headerNotFound(['Time', 'Symbol', 'Side', 'Price', 'Qty'], 'DAS Trader Trades export')
    return
  }
  const date = dateFromFileName(options.fileName, calendarDate(Date.now(), options.timezone))
  for (const record of recordsAfter(text, header.line)) {
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const reader = new RowReader(record.line, record.fields, header.columns)
    if (date === null) {
      reader.fail(
        'time',
        `The file name "${options.fileName}" has no date, and DAS writes only the time of day: ` +
          'name the file after its trading day, e.g. 2026-07-20.csv or July20.csv',
      )
    }
    const fill = readRow(reader, record.raw, date, options)
    if (fill) yield fill
    else yield* reader.errors
  }
}

function readRow(
  reader: RowReader<Key>,
  raw: string,
  date: string | null,
  options: ParseOptions,
): ParsedFill | null {
  const sideText = reader.cell('side').toUpperCase()
  const side =
    SIDES[sideText] ??
    reader.fail('side', `${reader.name('side')} "${reader.cell('side')}" must be B, S, SS or BC`)
  const symbol = reader.cell('symbol') || reader.fail('symbol', `${reader.name('symbol')} is empty`)
  const quantity = reader.positive('quantity')
  const price = reader.positive('price')
  const time = reader.cell('time')
  const executedAt =
    date === null
      ? null
      : TIME_OF_DAY.test(time)
        ? reader.time('time', `${date} ${time}`, 'iso', options.timezone)
        : reader.fail('time', `${reader.name('time')} "${time}" is not a time of day (HH:MM:SS)`)
  if (reader.errors.length > 0) return null
  return {
    line: reader.line,
    raw,
    account: reader.cell('account') || null,
    instrument: stockOrOption(symbol as string),
    side: side as 'buy' | 'sell',
    quantity: quantity as Fixed8,
    price: price as Fixed8,
    fee: 0n,
    currency: null,
    executedAt: executedAt as number,
    sourceTimezone: options.timezone,
    brokerExecutionId: null,
    brokerOrderId: reader.cell('cloid') || null,
    isDerived: false,
    note: null,
  }
}

export const dasFormat: ImportFormat = {
  id: 'das',
  label: 'DAS Trader Pro Trades window (CSV)',
  parserVersion: '1',
  defaultTimezone: 'America/New_York',
  detect(text) {
    const header = findCsvHeader(text, SPEC, REQUIRED)
    // Time/Symbol/Side/Price/Qty alone is generic; DAS adds its routing columns.
    return header && (header.columns.has('route') || header.columns.has('cloid')) ? 0.9 : 0
  },
  parse: parseDas,
}
