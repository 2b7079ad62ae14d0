/**
 * Kraken Trades export (brokers.md §2.16): one row per fill, `txid` its id, `ordertxid` its
 * order. Times are `YYYY-MM-DD HH:MM:SS.ffff` in UTC without a suffix, so the default zone is
 * UTC (fractions beyond the millisecond are dropped). `vol` is the base amount, `price` and `fee`
 * are in the quote currency and positive.
 *
 * Pairs come as legacy `XXBTZEUR` / `XETHXXBT` (X/Z prefixes), newer `BTC/EUR`, or bare
 * `SOLEUR`; all become BASE-QUOTE (`BTC-EUR`) with XBT read as BTC and XDG as DOGE, so the same
 * market keeps one instrument whichever spelling a file uses.
 */
import type { Fixed8 } from '../../core/decimal'
import type { ImportFormat, ParsedFill, ParseOptions, RowError } from '../types'
import {
  cryptoPair,
  findCsvHeader,
  headerNotFound,
  recordsAfter,
  RowReader,
  type ColumnSpec,
} from './common'

type Key = 'txid' | 'ordertxid' | 'pair' | 'time' | 'type' | 'price' | 'cost' | 'fee' | 'vol'

const SPEC: Record<Key, ColumnSpec> = {
  txid: { names: ['txid'] },
  ordertxid: { names: ['ordertxid'] },
  pair: { names: ['pair'] },
  time: { names: ['time'] },
  type: { names: ['type'] },
  price: { names: ['price'] },
  cost: { names: ['cost'] },
  fee: { names: ['fee'] },
  vol: { names: ['vol'] },
}
const REQUIRED: readonly Key[] = [
  'txid',
  'ordertxid',
  'pair',
  'time',
  'type',
  'price',
  'cost',
  'fee',
  'vol',
]

const ALIASES: Readonly<Record<string, string>> = { XBT: 'BTC', XDG: 'DOGE' }
const QUOTES = [
  'USDT',
  'USDC',
  'EUR',
  'USD',
  'GBP',
  'CAD',
  'JPY',
  'CHF',
  'AUD',
  'DAI',
  'XBT',
  'BTC',
  'ETH',
  'DOT',
]

const asset = (code: string) => ALIASES[code] ?? code

/** BASE and QUOTE of a Kraken pair in any of its spellings, or null. */
export function krakenPair(text: string): { base: string; quote: string } | null {
  const pair = text.trim().toUpperCase()
  const slash = /^([A-Z0-9.]+)\/([A-Z0-9.]+)$/.exec(pair)
  if (slash) return { base: asset(slash[1] ?? ''), quote: asset(slash[2] ?? '') }
  const legacy = /^[XZ]([A-Z]{3})[XZ]([A-Z]{3})$/.exec(pair)
  if (legacy) return { base: asset(legacy[1] ?? ''), quote: asset(legacy[2] ?? '') }
  const quote = QUOTES.find((code) => pair.endsWith(code) && pair.length > code.length)
  return quote ? { base: asset(pair.slice(0, -quote.length)), quote: asset(quote) } : null
}

function* parseKraken(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const header = findCsvHeader(text, SPEC, REQUIRED)
  if (!header) {
    // Kraken's headers are the lower-case keys themselves.
    yield headerNotFound(REQUIRED, 'Kraken Trades export')
    return
  }
  for (const record of recordsAfter(text, header.line)) {
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const reader = new RowReader(record.line, record.fields, header.columns)
    const fill = readRow(reader, record.raw, options)
    if (fill) yield fill
    else yield* reader.errors
  }
}

function readRow(reader: RowReader<Key>, raw: string, options: ParseOptions): ParsedFill | null {
  const txid = reader.cell('txid') || reader.fail('txid', `${reader.name('txid')} is empty`)
  const pair =
    krakenPair(reader.cell('pair')) ??
    reader.fail(
      'pair',
      `${reader.name('pair')} "${reader.cell('pair')}" is not a pair Blotter can read`,
    )
  const executedAt = reader.time('time', reader.cell('time'), 'iso', options.timezone)
  const typeText = reader.cell('type').toLowerCase()
  const side =
    typeText === 'buy' || typeText === 'sell'
      ? typeText
      : reader.fail('type', `${reader.name('type')} "${reader.cell('type')}" must be buy or sell`)
  const price = reader.positive('price', { round: true })
  const quantity = reader.positive('vol', { round: true })
  const fee = reader.numberOrZero('fee', { round: true })
  if (fee < 0n)
    reader.fail('fee', `${reader.name('fee')} "${reader.cell('fee')}" must be 0 or more`)
  if (reader.errors.length > 0 || !pair) return null
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
    sourceTimezone: options.timezone,
    brokerExecutionId: txid,
    brokerOrderId: reader.cell('ordertxid') || null,
    isDerived: false,
    note: null,
  }
}

export const krakenFormat: ImportFormat = {
  id: 'kraken',
  label: 'Kraken Trades (CSV)',
  parserVersion: '1',
  defaultTimezone: 'UTC',
  detect: (text) => (findCsvHeader(text, SPEC, REQUIRED) ? 0.9 : 0),
  parse: parseKraken,
}
