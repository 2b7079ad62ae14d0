/**
 * Binance spot Trade History (brokers.md §2.14): one row per fill, no fill id.
 *
 * - Headers: current `Date(UTC),Pair,Side,Price,Executed,Amount,Fee` (Executed, Amount and Fee
 *   carry their asset: `0.1800000000SOL`, `1,234.5USDT`) and the older XLSX-era
 *   `Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin`.
 * - Time: the date header names the offset the times are in, `Date(UTC)` or `Date(UTC+8)`
 *   (the user's display setting), and that offset wins over --tz like an offset in the text
 *   would. A bare `Date` header leaves the times to --tz (default UTC).
 * - Instrument: the pair as BASE-QUOTE (`SOL-USDT`), its prices in the quote asset. Base and
 *   quote come from the assets glued to Executed and Amount, else from a list of quote assets.
 * - Fee: Blotter's fee is in the quote asset. A fee in the quote asset is taken as is; a fee in
 *   the base asset is converted at the fill's own price (exact, rounded half-even to 8 places);
 *   a fee in a third asset (BNB) has no price in the file, so the fee is 0 and the note records
 *   the amount paid.
 */
import { formatDecimal, multiply, type Fixed8 } from '../../core/decimal'
import type { ImportFormat, ParsedFill, ParseOptions, RowError } from '../types'
import {
  cryptoPair,
  findCsvHeader,
  headerNotFound,
  recordsAfter,
  RowReader,
  type ColumnSpec,
} from './common'

type Key = 'date' | 'pair' | 'side' | 'price' | 'quantity' | 'total' | 'fee' | 'feeAsset'

const DATE = /^date(?:\s*\(utc\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\))?$/

const CURRENT: Record<Key, ColumnSpec> = {
  date: { names: [], pattern: DATE },
  pair: { names: ['pair'] },
  side: { names: ['side'] },
  price: { names: ['price'] },
  quantity: { names: ['executed'] },
  total: { names: ['amount'] },
  fee: { names: ['fee'] },
  feeAsset: { names: [] },
}
const OLDER: Record<Key, ColumnSpec> = {
  date: { names: [], pattern: DATE },
  pair: { names: ['market'] },
  side: { names: ['type'] },
  price: { names: ['price'] },
  quantity: { names: ['amount'] },
  total: { names: ['total'] },
  fee: { names: ['fee'] },
  feeAsset: { names: ['fee coin'] },
}
const REQUIRED: readonly Key[] = ['date', 'pair', 'side', 'price', 'quantity', 'total', 'fee']
const REQUIRED_OLDER: readonly Key[] = [...REQUIRED, 'feeAsset']

/** Quote assets, longest first, to split a pair with nothing glued to its amounts. */
const QUOTES = [
  'FDUSD',
  'USDT',
  'BUSD',
  'USDC',
  'TUSD',
  'BIDR',
  'IDRT',
  'DOGE',
  'DAI',
  'BTC',
  'ETH',
  'BNB',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'AUD',
  'RUB',
  'UAH',
  'JPY',
  'USD',
  'ZAR',
  'PLN',
  'RON',
  'ARS',
  'NGN',
  'XRP',
  'TRX',
  'DOT',
]

function findHeader(text: string) {
  const current = findCsvHeader(text, CURRENT, REQUIRED)
  if (current) return current
  return findCsvHeader(text, OLDER, REQUIRED_OLDER)
}

/** The header's offset as text to append to each time: `Date(UTC+8)` → '+08:00'. */
function dateOffset(header: string): string | null {
  const match = /\(\s*UTC\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)/i.exec(header)
  if (!match) return null
  const [, sign = '+', hours = '0', minutes = '00'] = match
  return `${sign}${hours.padStart(2, '0')}:${minutes}`
}

/**
 * An amount and the asset glued to it. `known` assets are tried first, longest first, so
 * `0.51INCH` of pair 1INCHUSDT reads as 0.5 1INCH; otherwise the asset is the trailing run
 * that starts with a letter.
 */
function splitAsset(
  text: string,
  known: readonly string[],
): { amount: string; asset: string | null } {
  const trimmed = text.trim()
  const upper = trimmed.toUpperCase()
  for (const asset of [...known].sort((a, b) => b.length - a.length)) {
    const amount = trimmed.slice(0, trimmed.length - asset.length)
    if (asset && upper.endsWith(asset) && /\d\s*$/.test(amount)) {
      return { amount: amount.trim(), asset }
    }
  }
  const match = /^(.*\d)\s*([A-Z][A-Z0-9]*)$/i.exec(trimmed)
  return match
    ? { amount: match[1] ?? '', asset: (match[2] ?? '').toUpperCase() }
    : { amount: trimmed, asset: null }
}

function splitPair(
  pair: string,
  quantityText: string,
  totalText: string,
): { base: string; quote: string } | null {
  const base = splitAsset(quantityText, []).asset
  const quote = splitAsset(totalText, []).asset
  if (base && quote && base + quote === pair) return { base, quote }
  const listed = QUOTES.find(
    (candidate) => pair.endsWith(candidate) && pair.length > candidate.length,
  )
  return listed ? { base: pair.slice(0, -listed.length), quote: listed } : null
}

function* parseBinance(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const header = findHeader(text)
  if (!header) {
    yield headerNotFound(
      ['Date(UTC)', 'Pair', 'Side', 'Price', 'Executed', 'Amount', 'Fee'],
      'Binance spot Trade History export',
    )
    return
  }
  const offset = dateOffset(header.columns.get('date')?.name ?? '')
  for (const record of recordsAfter(text, header.line)) {
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const reader = new RowReader(record.line, record.fields, header.columns)
    const fill = readRow(reader, record.raw, offset, options)
    if (fill) yield fill
    else yield* reader.errors
  }
}

function readRow(
  reader: RowReader<Key>,
  raw: string,
  offset: string | null,
  options: ParseOptions,
): ParsedFill | null {
  const timeText = reader.cell('date')
  const executedAt = reader.time(
    'date',
    offset && timeText ? `${timeText} ${offset}` : timeText,
    'iso',
    options.timezone,
  )
  const sideText = reader.cell('side').toLowerCase()
  const side =
    sideText === 'buy' || sideText === 'sell'
      ? sideText
      : reader.fail('side', `${reader.name('side')} "${reader.cell('side')}" must be BUY or SELL`)
  const pairText = reader.cell('pair').toUpperCase().replace(/[-/_]/g, '')
  const pair = pairText
    ? splitPair(pairText, reader.cell('quantity'), reader.cell('total'))
    : reader.fail('pair', `${reader.name('pair')} is empty`)
  if (pairText && !pair) {
    reader.fail(
      'pair',
      `${reader.name('pair')} "${reader.cell('pair')}": cannot tell its base and quote assets`,
    )
  }
  const price = reader.positive('price', { round: true })
  const quantity = pair ? amountOf(reader, 'quantity', pair.base) : null
  if (quantity !== null && quantity <= 0n) {
    reader.fail(
      'quantity',
      `${reader.name('quantity')} "${reader.cell('quantity')}" must be greater than 0`,
    )
  }
  const feeCell = reader.has('feeAsset')
    ? { amount: reader.cell('fee'), asset: reader.cell('feeAsset').toUpperCase() || null }
    : splitAsset(reader.cell('fee'), pair ? [pair.base, pair.quote] : [])
  const feePaid =
    feeCell.amount === '' ? 0n : reader.numberFrom('fee', feeCell.amount, { round: true })
  if (reader.errors.length > 0 || !pair) return null

  const paid = feePaid as Fixed8
  const asset = feeCell.asset ?? pair.quote
  let fee = 0n
  let note: string | null = null
  if (paid === 0n || asset === pair.quote) {
    fee = paid < 0n ? -paid : paid
  } else if (asset === pair.base) {
    fee = multiply(paid < 0n ? -paid : paid, price as Fixed8)
    note = `fee ${formatDecimal(paid)} ${asset}, counted as ${formatDecimal(fee)} ${pair.quote} at the fill price`
  } else {
    note = `fee ${formatDecimal(paid)} ${asset} not counted: the file has no ${asset}/${pair.quote} price`
  }
  return {
    line: reader.line,
    raw,
    account: null,
    instrument: cryptoPair(pair.base, pair.quote),
    side: side as 'buy' | 'sell',
    quantity: quantity as Fixed8,
    price: price as Fixed8,
    fee,
    currency: pair.quote,
    executedAt: executedAt as number,
    sourceTimezone: offset ? 'UTC' : options.timezone,
    brokerExecutionId: null,
    brokerOrderId: null,
    isDerived: false,
    note,
  }
}

/** A base-asset amount, its glued asset (if any) checked against the pair's. */
function amountOf(reader: RowReader<Key>, key: Key, base: string): Fixed8 | null {
  const { amount, asset } = splitAsset(reader.cell(key), [base])
  if (asset !== null && asset !== base) {
    return reader.fail(key, `${reader.name(key)} "${reader.cell(key)}" is in ${asset}, not ${base}`)
  }
  return reader.numberFrom(key, amount, { round: true })
}

export const binanceFormat: ImportFormat = {
  id: 'binance',
  label: 'Binance spot Trade History (CSV)',
  parserVersion: '1',
  defaultTimezone: 'UTC',
  detect: (text) => (findHeader(text) ? 0.9 : 0),
  parse: parseBinance,
}
