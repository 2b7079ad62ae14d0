/**
 * Coinbase transaction history (brokers.md §2.15): the v4 report (2024+) with its preamble
 * (`Transactions`, `User,…`, maybe a notice and blank or comma-padded lines) above the header,
 * and the v3/v2 headers (`Spot Price Currency`, `Spot Price at Transaction`, `Fees`).
 *
 * - Trades: Buy, Sell, Advanced Trade Buy/Sell (and the `Advance Trade` typo). Advanced Trade
 *   rows take their pair and rate from Notes ("… on BTC-USD at 35000.00 USD/BTC"), since the
 *   columns hold a spot price. Convert ("Converted 0.5 ETH to 0.02 BTC") is a sale of the first
 *   asset and a purchase of the second: the buy's price is the sale's net proceeds (the Total,
 *   inclusive of fees) over the amount received [Inferred: v4's signs and totals for Convert
 *   are not documented]. Sends, receives, deposits, staking and reward income move no money
 *   and are skipped.
 * - Instrument: ASSET-PRICECURRENCY (`BTC-EUR`); amounts carry the currency symbol (`€1.21`)
 *   and v4 writes sells negative, so quantities and fees are taken as absolute values.
 * - Time: `2024-02-08 16:31:22 UTC` (v4) or ISO `…Z`: explicit, so --tz only matters for a
 *   file without the suffix.
 */
import { divide, type Fixed8 } from '../../core/decimal'
import type { ImportFormat, ParsedFill, ParseOptions, RowError } from '../types'
import {
  cryptoPair,
  findCsvHeader,
  headerNotFound,
  recordsAfter,
  RowReader,
  sourceZone,
  type ColumnSpec,
} from './common'

type Key =
  | 'id'
  | 'time'
  | 'type'
  | 'asset'
  | 'quantity'
  | 'currency'
  | 'price'
  | 'subtotal'
  | 'total'
  | 'fees'
  | 'notes'

const SPEC: Record<Key, ColumnSpec> = {
  id: { names: ['id'] },
  time: { names: ['timestamp'] },
  type: { names: ['transaction type'] },
  asset: { names: ['asset'] },
  quantity: { names: ['quantity transacted'] },
  currency: { names: ['price currency', 'spot price currency'] },
  price: { names: ['price at transaction', 'spot price at transaction'] },
  subtotal: { names: ['subtotal'] },
  total: {
    names: ['total (inclusive of fees and/or spread)', 'total (inclusive of fees)'],
  },
  fees: { names: ['fees and/or spread', 'fees'] },
  notes: { names: ['notes'] },
}
const REQUIRED: readonly Key[] = ['time', 'type', 'asset', 'quantity', 'currency', 'price']

const TRADE = /^(?:advanced? trade )?(buy|sell)$/i
const ADVANCED_NOTE = /\bon ([A-Z0-9]+)-([A-Z0-9]+) at ([\d,]+(?:\.\d+)?) ([A-Z0-9]+)\/([A-Z0-9]+)/i
const CONVERT_NOTE = /converted ([\d,]+(?:\.\d+)?) ([A-Z0-9]+) to ([\d,]+(?:\.\d+)?) ([A-Z0-9]+)/i

const abs = (value: Fixed8) => (value < 0n ? -value : value)

function* parseCoinbase(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const header = findCsvHeader(text, SPEC, REQUIRED)
  if (!header) {
    yield headerNotFound(
      [
        'Timestamp',
        'Transaction Type',
        'Asset',
        'Quantity Transacted',
        'Price Currency',
        'Price at Transaction',
      ],
      'Coinbase transaction history',
    )
    return
  }
  for (const record of recordsAfter(text, header.line)) {
    if (record.error) {
      yield { line: record.line, column: null, message: record.error }
      continue
    }
    const reader = new RowReader(record.line, record.fields, header.columns)
    const fills = readRow(reader, record.raw, options)
    yield* reader.errors.length > 0 ? reader.errors : fills
  }
}

function readRow(reader: RowReader<Key>, raw: string, options: ParseOptions): ParsedFill[] {
  const type = reader.cell('type')
  const trade = TRADE.exec(type)
  const convert = /^convert$/i.test(type)
  if (!trade && !convert) return []

  const timeText = reader.cell('time')
  const executedAt = reader.time('time', timeText, 'iso', options.timezone)
  const asset =
    reader.cell('asset').toUpperCase() || reader.fail('asset', `${reader.name('asset')} is empty`)
  const quantity = reader.number('quantity', { round: true })
  if (quantity === 0n)
    reader.fail('quantity', `${reader.name('quantity')} "${reader.cell('quantity')}" is 0`)
  const currency =
    reader.cell('currency').toUpperCase() ||
    reader.fail('currency', `${reader.name('currency')} is empty`)
  const fee = abs(reader.numberOrZero('fees', { round: true }))
  const id = reader.cell('id') || null
  const base = {
    line: reader.line,
    raw,
    account: null,
    sourceTimezone: sourceZone(timeText, options.timezone),
    brokerOrderId: null,
    isDerived: false,
  }

  if (convert) {
    const note = CONVERT_NOTE.exec(reader.cell('notes'))
    if (!note) {
      reader.fail(
        'notes',
        `${reader.name('notes')} "${reader.cell('notes')}" does not say what was converted into`,
      )
    }
    const price = reader.positive('price', { round: true })
    const total = reader.number('total', { round: true })
    const received = note ? reader.numberFrom('notes', note[3] ?? '', { round: true }) : null
    if (reader.errors.length > 0 || !note) return []
    const target = (note[4] ?? '').toUpperCase()
    return [
      {
        ...base,
        instrument: cryptoPair(asset as string, currency as string),
        side: 'sell',
        quantity: abs(quantity as Fixed8),
        price: price as Fixed8,
        fee,
        currency,
        executedAt: executedAt as number,
        brokerExecutionId: id && `${id}:sell`,
        note: reader.cell('notes'),
      },
      {
        ...base,
        instrument: cryptoPair(target, currency as string),
        side: 'buy',
        quantity: received as Fixed8,
        price: divide(abs(total as Fixed8), received as Fixed8),
        fee: 0n,
        currency,
        executedAt: executedAt as number,
        brokerExecutionId: id && `${id}:buy`,
        note: reader.cell('notes'),
      },
    ]
  }

  // Advanced Trade: the pair and the executed rate are in Notes.
  const advanced = ADVANCED_NOTE.exec(reader.cell('notes'))
  const price = advanced
    ? reader.numberFrom('notes', advanced[3] ?? '', { round: true })
    : reader.positive('price', { round: true })
  if (reader.errors.length > 0) return []
  const quote = advanced ? (advanced[2] ?? '').toUpperCase() : (currency as string)
  return [
    {
      ...base,
      instrument: cryptoPair(
        advanced ? (advanced[1] ?? '').toUpperCase() : (asset as string),
        quote,
      ),
      side: (trade?.[1] ?? '').toLowerCase() as 'buy' | 'sell',
      quantity: abs(quantity as Fixed8),
      price: price as Fixed8,
      fee,
      currency: quote,
      executedAt: executedAt as number,
      brokerExecutionId: id,
      note: reader.cell('notes') || null,
    },
  ]
}

export const coinbaseFormat: ImportFormat = {
  id: 'coinbase',
  label: 'Coinbase transaction history (CSV)',
  parserVersion: '1',
  defaultTimezone: 'UTC',
  detect: (text) => (findCsvHeader(text, SPEC, REQUIRED) ? 0.9 : 0),
  parse: parseCoinbase,
}
