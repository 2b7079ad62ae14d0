/**
 * cTrader History export (brokers.md §2.19): one row per closing deal, so a round trip, read as
 * two derived fills. The columns are the trader's choice in set and order, so every one is
 * found by name; `(Currency)` in `Gross (USD)` / `Net (USD)` is the deposit currency.
 *
 * - Times: the vendor does not document the export's format. Day-first
 *   `15/03/2026 10:00:00.000` is what the one fixture shows, ISO `2026-03-15 10:00:00` is read
 *   too [Inferred]. A header naming its offset (`Opening Time (UTC+2)`) wins; otherwise times are
 *   in --tz, by default UTC, cTrader's default platform time zone [Inferred].
 * - Quantities: `0.20 Lots` / `1 Lot` are lots; a bare number is units [Inferred]. FX pairs are
 *   kept in lots with multiplier 100,000 (units ÷ 100,000), like MetaTrader; other symbols are
 *   CFDs in the quantity as written, their contract size unknown.
 * - Commissions and Swap are signed (negative = cost); their negated sum is the fee, a net
 *   credit gives fee 0 and a note. Gross (else Net) is the broker's P&L for the round trip.
 *   They are in the deposit currency that `Gross (USD)` / `Net (USD)` name; bookDepositRow puts
 *   them into each pair's quote currency.
 * - A hedging account may hold positions of one symbol in both directions at once; the engine
 *   nets them, so overlapping rows get a warning (trade-overlaps.ts).
 */
import { multiply, type Fixed8 } from '../../core/decimal'
import { detectDecimalSeparator, type DecimalSeparator } from '../../core/parse/numbers'
import type { TimestampFormat } from '../../core/time-parse'
import { TradeOverlaps } from '../trade-overlaps'
import type { ImportFormat, ParseItem, ParseOptions } from '../types'
import {
  bookDepositRow,
  DepositNotes,
  findCsvHeader,
  headerNotFound,
  joinNotes,
  leveragedInstrument,
  recordsAfter,
  roundTripFills,
  RowReader,
  type ColumnSpec,
} from './common'

type Key =
  | 'id'
  | 'symbol'
  | 'openSide'
  | 'openTime'
  | 'closeTime'
  | 'openPrice'
  | 'closePrice'
  | 'quantity'
  | 'swap'
  | 'commission'
  | 'gross'
  | 'net'
  | 'label'
  | 'comment'

const SPEC: Record<Key, ColumnSpec> = {
  id: { names: ['deal id'] },
  symbol: { names: ['symbol'] },
  openSide: { names: ['opening direction'] },
  openTime: { names: ['opening time'], pattern: /^opening time \(utc.*\)$/ },
  closeTime: { names: ['closing time'], pattern: /^closing time \(utc.*\)$/ },
  openPrice: { names: ['entry price'] },
  closePrice: { names: ['closing price'] },
  quantity: { names: ['closing quantity', 'quantity'] },
  swap: { names: ['swap'] },
  commission: { names: ['commissions', 'commission'] },
  gross: { names: ['gross'], pattern: /^gross \([a-z]{3}\)$/ },
  net: { names: ['net'], pattern: /^net \([a-z]{3}\)$/ },
  label: { names: ['label'] },
  comment: { names: ['comment'] },
}
const REQUIRED: readonly Key[] = [
  'symbol',
  'openSide',
  'openTime',
  'closeTime',
  'openPrice',
  'closePrice',
  'quantity',
]

/** `Closing Time (UTC+2)` → '+02:00'; null when the header names no offset. */
export function headerOffset(header: string): string | null {
  const match = /\(UTC\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\)/i.exec(header)
  if (!match) return null
  const [, sign = '+', hours = '0', minutes = '00'] = match
  return `${sign}${hours.padStart(2, '0')}:${minutes}`
}

const LOTS = /^(.*?)\s*lots?$/i
const UNITS = /^(.*?)\s*units?$/i

interface Context {
  decimal: DecimalSeparator
  options: ParseOptions
  /** The deposit currency, named by the `Gross (USD)` or `Net (USD)` header. */
  deposit: string | null
  deposits: DepositNotes
  overlaps: TradeOverlaps
}

function* parseCtrader(text: string, options: ParseOptions): Iterable<ParseItem> {
  const header = findCsvHeader(text, SPEC, REQUIRED)
  if (!header) {
    yield headerNotFound(
      [
        'Symbol',
        'Opening Direction',
        'Opening Time',
        'Closing Time',
        'Entry Price',
        'Closing Price',
        'Closing Quantity',
      ],
      'cTrader History export',
    )
    return
  }
  const samples: string[] = []
  const priceColumns = [header.columns.get('openPrice'), header.columns.get('closePrice')]
  for (const record of recordsAfter(text, header.line)) {
    for (const column of priceColumns) samples.push(record.fields[column?.index ?? 0] ?? '')
    if (samples.length >= 200) break
  }
  const named = [header.columns.get('gross'), header.columns.get('net')]
    .map((column) => /\(([a-z]{3})\)$/i.exec(column?.name ?? '')?.[1]?.toUpperCase())
    .find((currency) => currency !== undefined)
  const deposit = named ?? null
  const context: Context = {
    decimal: detectDecimalSeparator(samples),
    options,
    deposit,
    deposits: new DepositNotes(deposit),
    overlaps: new TradeOverlaps(),
  }
  for (const record of recordsAfter(text, header.line)) {
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    yield* readRow(new RowReader(record.line, record.fields, header.columns), record.raw, context)
  }
  yield* context.deposits.warnings()
  const overlaps = context.overlaps.warning()
  if (overlaps) yield overlaps
}

function* readRow(reader: RowReader<Key>, raw: string, context: Context): Iterable<ParseItem> {
  const { decimal, options } = context
  const sideText = reader.cell('openSide').toLowerCase()
  const openSide =
    sideText === 'buy' || sideText === 'sell'
      ? sideText
      : reader.fail(
          'openSide',
          `${reader.name('openSide')} "${reader.cell('openSide')}" must be Buy or Sell`,
        )
  const symbol = reader.cell('symbol') || reader.fail('symbol', `${reader.name('symbol')} is empty`)
  const openedAt = readTime(reader, 'openTime', options.timezone)
  const closedAt = readTime(reader, 'closeTime', options.timezone)
  const openPrice = reader.positive('openPrice', { decimal })
  const closePrice = reader.positive('closePrice', { decimal })

  const quantityText = reader.cell('quantity')
  const lots = LOTS.exec(quantityText)
  const amount = reader.numberFrom(
    'quantity',
    (lots ?? UNITS.exec(quantityText))?.[1] ?? quantityText,
    {
      decimal,
    },
  )
  if (amount !== null && amount <= 0n) {
    reader.fail('quantity', `${reader.name('quantity')} "${quantityText}" must be greater than 0`)
  }
  const charges =
    reader.numberOrZero('commission', { decimal }) + reader.numberOrZero('swap', { decimal })
  const gross = reader.cell('gross') === '' ? null : reader.number('gross', { decimal })
  const net = reader.cell('net') === '' ? null : reader.number('net', { decimal })
  if (reader.errors.length > 0) {
    yield* reader.errors
    return
  }

  const { instrument, pair, unitsPerLot } = leveragedInstrument(symbol as string)
  // FX quantities are units (see leveragedInstrument); a lots column converts.
  const quantity = lots ? multiply(amount as Fixed8, unitsPerLot) : (amount as Fixed8)
  const move = (closePrice as Fixed8) - (openPrice as Fixed8)
  const booked = bookDepositRow({
    pair,
    deposit: context.deposit,
    charges,
    what: 'Commissions + Swap',
    price: closePrice as Fixed8,
    pnl:
      gross !== null
        ? { amount: gross, net: false }
        : net !== null
          ? { amount: net, net: true }
          : null,
    gross: multiply(openSide === 'buy' ? move : -move, quantity),
  })
  context.deposits.add(reader.line, booked, pair)
  context.overlaps.add(instrument.symbol, {
    line: reader.line,
    long: openSide === 'buy',
    openedAt: openedAt as number,
    closedAt: closedAt as number,
  })
  yield* roundTripFills(
    {
      line: reader.line,
      raw,
      account: null,
      instrument,
      quantity,
      currency: booked.currency,
      sourceTimezone: zoneOf(reader, 'openTime', options.timezone),
    },
    {
      id: reader.cell('id') || null,
      openSide: openSide as 'buy' | 'sell',
      openedAt: openedAt as number,
      openPrice: openPrice as Fixed8,
      closedAt: closedAt as number,
      closePrice: closePrice as Fixed8,
      fee: booked.fee,
      brokerPnl: booked.brokerPnl,
      note: joinNotes(reader.cell('label'), reader.cell('comment'), booked.note),
    },
  )
}

function readTime(reader: RowReader<Key>, key: 'openTime' | 'closeTime', zone: string) {
  const text = reader.cell(key)
  const offset = headerOffset(reader.name(key))
  const format: TimestampFormat = /^\d{4}-/.test(text) ? 'iso' : 'eu-slash'
  return reader.time(key, offset && text ? `${text} ${offset}` : text, format, zone)
}

function zoneOf(reader: RowReader<Key>, key: 'openTime', zone: string): string {
  return headerOffset(reader.name(key)) === null ? zone : 'UTC'
}

export const ctraderFormat: ImportFormat = {
  id: 'ctrader',
  label: 'cTrader History (CSV)',
  parserVersion: '1',
  defaultTimezone: 'UTC',
  detect: (text) => (findCsvHeader(text, SPEC, REQUIRED) ? 0.9 : 0),
  parse: parseCtrader,
}
