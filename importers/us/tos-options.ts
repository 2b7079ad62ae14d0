/**
 * thinkorswim option expirations, assignments and exercises (brokers.md §2.2, §3.7). The
 * Account Trade History lists none of them; Cash Balance reports each as a RAD row
 * "REMOVAL OF OPTION DUE TO EXPIRATION -1 SPY 100 (Weeklys) 10 APR 26 560 CALL", and the shares
 * an assignment or exercise moves as "BOT +100 ABC UPON OPTION ASSIGNMENT" with the cash in
 * AMOUNT. A removal closes the contract at price 0; its quantity's sign is not relied on (public
 * parsers read it both ways), so the side comes from the position the statement built up.
 */
import { divide, formatDecimal, type Fixed8 } from '../../core/decimal'
import type { Side } from '../../core/engine'
import { optionFromParts } from '../../core/instruments/options'
import type { InstrumentSpec, ParsedFill, RowError } from '../types'
import {
  fillOf,
  magnitude,
  numberIn,
  optionInstrument,
  stockInstrument,
  type Column,
  type Row,
} from './common'

export type OptionEvent = 'expiration' | 'assignment' | 'exercise'

const REMOVAL_NOTES: Readonly<Record<OptionEvent, string>> = {
  expiration: 'thinkorswim: option expired',
  assignment: 'thinkorswim: option assigned',
  exercise: 'thinkorswim: option exercised',
}

const DELIVERY_NOTES: Readonly<Record<Exclude<OptionEvent, 'expiration'>, string>> = {
  assignment: 'thinkorswim: shares from an option assignment',
  exercise: 'thinkorswim: shares from an option exercise',
}

/**
 * The side a removal takes when the statement holds no position in its contract: only a short
 * is assigned and only a long is exercised; an expiry could be either.
 */
const UNHELD_SIDE: Readonly<Record<OptionEvent, Side | null>> = {
  expiration: null,
  assignment: 'buy',
  exercise: 'sell',
}

/** A fill a Cash Balance row makes: an option removal, or the shares of an assignment. */
export interface CashFill {
  row: Row
  time: number
  instrument: InstrumentSpec
  /** null for a removal: it closes whatever the statement holds. */
  side: Side | null
  event: OptionEvent
  quantity: Fixed8
  price: Fixed8
  fee: Fixed8
  note: string
  description: Column | undefined
}

export interface CashColumns {
  description: Column | undefined
  amount: Column | undefined
}

const REMOVAL = /^REMOVAL OF OPTION DUE TO (EXPIRATION|ASSIGNMENT|EXERCISE)\b\s*(.*)$/i
/** After the quantity and symbol: multiplier, tags like "(Weeklys)", expiry, "[AM]", strike, type. */
const REMOVED_CONTRACT =
  /^\d+\s+(?:\([^)]*\)\s+)*(\d{1,2}\s+[A-Z]{3}\s+\d{2,4})(?:\s+\[[A-Z]+\])?\s+([\d,]*\.?\d+)\s+(CALL|PUT)$/i
const DELIVERY = /^(BOT|SOLD)\s+([+-]?[\d,]*\.?\d+)\s+(\S+)\s+UPON OPTION (ASSIGNMENT|EXERCISE)$/i

export function isRemoval(description: string): boolean {
  return REMOVAL.test(description)
}

export function isDelivery(description: string): boolean {
  return DELIVERY.test(description)
}

/** A removal row as a fill to make; null (the row failed) when it does not read. */
export function readRemoval(
  row: Row,
  columns: CashColumns,
  time: number,
  fee: Fixed8,
): CashFill | null {
  const where = columns.description ?? 'DESCRIPTION'
  const description = row.text(columns.description)
  const [, eventText = '', rest = ''] = REMOVAL.exec(description) ?? []
  const event = eventText.toLowerCase() as OptionEvent
  const [, quantityText = '', symbolText = '', contractText = ''] =
    /^(\S+)\s+(\S+)\s*(.*)$/.exec(rest) ?? []
  const symbol = symbolText.replace(/:.*$/, '').toUpperCase()
  if (symbol.startsWith('/')) {
    return row.fail(
      where,
      `"${description}" removes a futures option, which Blotter does not import yet`,
    )
  }
  const quantity = numberIn(quantityText)
  const contract = REMOVED_CONTRACT.exec(contractText)
  const option = contract
    ? optionFromParts({
        underlying: symbol,
        expiry: contract[1] ?? '',
        strike: contract[2] ?? '',
        type: contract[3] ?? '',
      })
    : null
  if (quantity === null || quantity === 0n || !option) {
    return row.fail(
      where,
      `"${description}" does not read as REMOVAL OF OPTION DUE TO EXPIRATION, ASSIGNMENT or EXERCISE <quantity> <symbol> 100 <day MON yy> <strike> CALL or PUT`,
    )
  }
  // Closing at 0 is right only when no cash changed hands: a cash-settled index option does.
  const amount = row.optionalNumber(columns.amount) ?? 0n
  if (amount !== 0n) {
    return row.fail(
      columns.amount ?? 'AMOUNT',
      `"${description}" moves $${formatDecimal(amount, 2)}: a cash-settled exercise or assignment, whose closing price Blotter cannot tell`,
    )
  }
  return {
    row,
    time,
    instrument: optionInstrument(option),
    side: null,
    event,
    quantity: magnitude(quantity),
    price: 0n,
    fee,
    note: REMOVAL_NOTES[event],
    description: columns.description,
  }
}

/** The shares an assignment or exercise moved, at AMOUNT ÷ quantity (the strike). */
export function readDelivery(
  row: Row,
  columns: CashColumns,
  time: number,
  fee: Fixed8,
): CashFill | null {
  const description = row.text(columns.description)
  const [, verb = '', quantityText = '', symbol = '', eventText = ''] =
    DELIVERY.exec(description) ?? []
  const quantity = numberIn(quantityText)
  const instrument = stockInstrument(symbol)
  if (quantity === null || quantity === 0n || !instrument) {
    return row.fail(
      columns.description ?? 'DESCRIPTION',
      `"${description}" does not read as BOT or SOLD <quantity> <ticker> UPON OPTION ASSIGNMENT or EXERCISE`,
    )
  }
  const amount = row.number(columns.amount, 'AMOUNT')
  if (amount === null) return null
  const event = eventText.toLowerCase() as Exclude<OptionEvent, 'expiration'>
  return {
    row,
    time,
    instrument,
    side: verb.toUpperCase() === 'BOT' ? 'buy' : 'sell',
    event,
    quantity: magnitude(quantity),
    price: divide(magnitude(amount), magnitude(quantity)),
    fee,
    note: DELIVERY_NOTES[event],
    description: columns.description,
  }
}

/**
 * The fill of a cash row, sided by `positions` (instrument symbol → signed quantity the
 * statement holds so far), which it updates; an expiry of a contract the statement holds no
 * position in is an error on its line.
 */
export function cashFillOf(
  fill: CashFill,
  positions: Map<string, Fixed8>,
  zone: string,
): ParsedFill | RowError {
  const symbol = fill.instrument.symbol
  const held = positions.get(symbol) ?? 0n
  const side = fill.side ?? (held > 0n ? 'sell' : held < 0n ? 'buy' : UNHELD_SIDE[fill.event])
  if (side === null) {
    return {
      line: fill.row.line,
      column: fill.description?.name ?? 'DESCRIPTION',
      message: `"${fill.row.text(fill.description)}" closes ${symbol.replace(/\s+/g, ' ')}, but this statement holds no position in it to tell whether it was long or short: export a date range that also covers the opening trade`,
    }
  }
  positions.set(symbol, held + (side === 'buy' ? fill.quantity : -fill.quantity))
  return fillOf(fill.row.record, {
    account: null,
    instrument: fill.instrument,
    side,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee,
    currency: null,
    executedAt: fill.time,
    sourceTimezone: zone,
    brokerExecutionId: null,
    note: fill.note,
  })
}
