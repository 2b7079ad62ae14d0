/**
 * TradeZero "Trades" report (brokers.md §2.18): one row per execution.
 *
 * - Time: `T/D` (trade date, `MM/DD/YYYY` or `M/D/YY`) plus `Exec Time` (`HH:MM:SS` or
 *   `H:MM:SS`, pre-market `4:12:51`), US/Eastern [Inferred in brokers.md], so the default zone is
 *   America/New_York.
 * - Side: B and BC buy, S and SS sell.
 * - Fees: Comm, SEC, TAF, NSCC, Nasdaq, ECN Remove and ECN Add are positive costs; an ECN Add
 *   liquidity rebate is negative (`(0.20)`, `-0.25`). The fee is their sum, so a rebate nets
 *   against the row's other fees (Comm is counted once: TradeTally #305). A row whose rebate
 *   exceeds its fees has fee 0 and a note with the credit left out.
 * - `Type` is the account/position type code (2, 3), not the instrument; symbols are stocks, or
 *   options when written in a notation Blotter reads.
 */
import type { Fixed8 } from '../../core/decimal'
import type { ImportFormat, ParsedFill, ParseOptions, RowError } from '../types'
import {
  findCsvHeader,
  headerNotFound,
  joinNotes,
  netFee,
  recordsAfter,
  RowReader,
  stockOrOption,
  type ColumnSpec,
} from './common'

const FEE_KEYS = ['comm', 'sec', 'taf', 'nscc', 'nasdaq', 'ecnRemove', 'ecnAdd'] as const
type Key =
  | 'account'
  | 'tradeDate'
  | 'currency'
  | 'side'
  | 'symbol'
  | 'quantity'
  | 'price'
  | 'time'
  | 'note'
  | (typeof FEE_KEYS)[number]

const SPEC: Record<Key, ColumnSpec> = {
  account: { names: ['account'] },
  tradeDate: { names: ['t/d'] },
  currency: { names: ['currency'] },
  side: { names: ['side'] },
  symbol: { names: ['symbol'] },
  quantity: { names: ['qty'] },
  price: { names: ['price'] },
  time: { names: ['exec time'] },
  note: { names: ['note'] },
  comm: { names: ['comm'] },
  sec: { names: ['sec'] },
  taf: { names: ['taf'] },
  nscc: { names: ['nscc'] },
  nasdaq: { names: ['nasdaq'] },
  ecnRemove: { names: ['ecn remove'] },
  ecnAdd: { names: ['ecn add'] },
}
const REQUIRED: readonly Key[] = ['tradeDate', 'time', 'side', 'symbol', 'quantity', 'price']

const SIDES: Readonly<Record<string, 'buy' | 'sell'>> = {
  B: 'buy',
  BC: 'buy',
  S: 'sell',
  SS: 'sell',
}

function* parseTradeZero(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const header = findCsvHeader(text, SPEC, REQUIRED)
  if (!header) {
    yield headerNotFound(
      ['T/D', 'Exec Time', 'Side', 'Symbol', 'Qty', 'Price'],
      'TradeZero Trades report',
    )
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
  const sideText = reader.cell('side').toUpperCase()
  const side =
    SIDES[sideText] ??
    reader.fail('side', `${reader.name('side')} "${reader.cell('side')}" must be B, S, SS or BC`)
  const symbol = reader.cell('symbol') || reader.fail('symbol', `${reader.name('symbol')} is empty`)
  const quantity = reader.positive('quantity')
  const price = reader.positive('price')
  // The date alone first, so a bad one is reported on T/D rather than on Exec Time.
  const date = reader.cell('tradeDate')
  const time = reader.cell('time') || reader.fail('time', `${reader.name('time')} is empty`)
  const dateOk = reader.time('tradeDate', date, 'date-us', options.timezone) !== null
  const executedAt =
    dateOk && time ? reader.time('time', `${date} ${time}`, 'us-slash', options.timezone) : null
  let charges = 0n
  for (const key of FEE_KEYS) charges += reader.numberOrZero(key)
  if (reader.errors.length > 0) return null

  const { fee, note } = netFee(charges, 'Fees (ECN Add rebate included)')
  return {
    line: reader.line,
    raw,
    account: reader.cell('account') || null,
    instrument: stockOrOption(symbol as string),
    side: side as 'buy' | 'sell',
    quantity: quantity as Fixed8,
    price: price as Fixed8,
    fee,
    currency: reader.cell('currency').toUpperCase() || null,
    executedAt: executedAt as number,
    sourceTimezone: options.timezone,
    brokerExecutionId: null,
    brokerOrderId: null,
    isDerived: false,
    note: joinNotes(reader.cell('note'), note),
  }
}

export const tradezeroFormat: ImportFormat = {
  id: 'tradezero',
  label: 'TradeZero Trades report (CSV)',
  parserVersion: '1',
  defaultTimezone: 'America/New_York',
  detect: (text) => (findCsvHeader(text, SPEC, REQUIRED) ? 0.9 : 0),
  parse: parseTradeZero,
}
