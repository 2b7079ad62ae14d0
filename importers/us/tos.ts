/**
 * thinkorswim Account Statement (brokers.md §2.2): one CSV of titled sections. Fills come from
 * "Account Trade History" (a spread's legs on continuation rows without a time), which has no
 * fees; the fees are on the matching TRD rows of "Cash Balance" (stocks, options) and
 * "Futures Statements" (futures), whose times may differ by 1–2 s from the Trade History
 * (TradeNote #138), and by up to a minute in old files whose Exec Time has no seconds.
 *
 * Expirations, assignments and exercises are Cash Balance rows only (tos-options.ts): each
 * closes its option at 0, and an assignment's or exercise's shares become a fill unless the
 * Trade History lists them too.
 *
 * Times are the platform's zone, which the file never names: US Eastern by default, --tz for
 * a platform set to another zone.
 */
import { formatDecimal, type Fixed8 } from '../../core/decimal'
import type { Side } from '../../core/engine'
import { optionFromParts } from '../../core/instruments/options'
import { csvRecords, splitSections, type CsvRecord, type Section } from '../sniff'
import type { ImportFormat, InstrumentSpec, ParsedFill, ParseOptions, RowError } from '../types'
import {
  cashFillOf,
  isDelivery,
  isRemoval,
  readDelivery,
  readRemoval,
  type CashFill,
} from './tos-options'
import {
  EASTERN,
  Row,
  Sequencer,
  fillOf,
  futureInstrument,
  isNewestFirst,
  magnitude,
  numberIn,
  optionFromSymbol,
  optionInstrument,
  resolveColumns,
  splitByWeight,
  stockInstrument,
  type Column,
} from './common'

const TRADE_HISTORY = 'account trade history'
const TRADE_COLUMNS = ['Exec Time', 'Side', 'Qty', 'Symbol', 'Price']
const STOCK_TYPES = new Set(['STOCK', 'ETF', ''])

/** Cash Balance and Futures Statements rows differ from their Trade History fill by 1–2 s. */
const CLOCK_SKEW_MS = 2_000
/** Old Exec Times are to the minute ("11/12/2022 11:27"); the cash row has the seconds. */
const MINUTE_MS = 60_000

export const tosFormat: ImportFormat = {
  id: 'tos',
  label: 'thinkorswim Account Statement',
  parserVersion: '2',
  defaultTimezone: EASTERN,
  detect(text) {
    const history = /^\s*Account Trade History,*\r?\n([^\r\n]*)/im.exec(text)
    if (history && TRADE_COLUMNS.every((name) => history[1]?.includes(name))) return 0.9
    // A statement without its Trade History still is one: parse says what is missing.
    return /^\s*Account Statement for /.test(text) ? 0.6 : 0
  },
  parse: parseTos,
}

interface Leg {
  record: CsvRecord
  side: Side
  quantity: Fixed8
  price: Fixed8
  instrument: InstrumentSpec
}

/** One execution: a row with a time and the continuation rows of its other legs. */
interface Execution {
  time: number | null
  /** Exec Time carried seconds. */
  precise: boolean
  side: Side | null
  quantity: Fixed8 | null
  symbol: string
  netPrice: Fixed8 | null
  legs: Leg[]
  errors: RowError[]
  fee: Fixed8
  matched: boolean
}

/** A TRD row of Cash Balance or Futures Statements, or the shares of an assignment. */
interface FeeRecord {
  row: Row
  time: number
  side: Side
  quantity: Fixed8
  tokens: Set<string>
  price: Fixed8 | null
  fee: Fixed8
  description: Column | undefined
  /** Shares an assignment or exercise moved: their own fill unless a Trade History one matches. */
  delivery: CashFill | null
}

function* parseTos(text: string, options: ParseOptions): Iterable<ParsedFill | RowError> {
  const { sections } = splitSections(csvRecords(text), 'titled')
  const byName = (name: string) => sections.filter((s) => s.name.toLowerCase() === name)
  const history = byName(TRADE_HISTORY)
  if (history.length === 0) {
    yield {
      line: 1,
      column: null,
      message: `No "Account Trade History" section with the columns ${TRADE_COLUMNS.join(', ')}: export the Account Statement with its trades (Monitor → Account Statement → Export to File)`,
    }
    return
  }

  const executions = history.flatMap((section) => readExecutions(section, options.timezone))
  const rows: Row[] = []
  const fees: FeeRecord[] = []
  const cashFills: CashFill[] = []
  for (const section of byName('cash balance')) {
    readFees(section, ['DATE'], ['TIME'], options.timezone, rows, fees, cashFills)
  }
  for (const section of byName('futures statements')) {
    readFees(section, ['Exec Date'], ['Exec Time'], options.timezone, rows, fees, null)
  }
  for (const fee of fees) {
    const execution = matchExecution(fee, executions)
    if (execution) {
      execution.fee += fee.fee
      execution.matched = true
    } else if (fee.delivery) {
      cashFills.push(fee.delivery)
    } else {
      fee.row.fail(
        fee.description ?? 'DESCRIPTION',
        `"${fee.row.text(fee.description)}" charges $${formatDecimal(fee.fee, 2)} in fees but matches no Account Trade History fill within ${CLOCK_SKEW_MS / 1000} s with the same side, quantity and symbol, so the fees cannot be assigned`,
      )
    }
  }
  for (const row of rows) yield* row.errors

  // The Trade History is newest-first (the real sample is); a file whose times rise is not.
  const timed = executions.filter((e) => e.time !== null)
  const chronological = isNewestFirst(
    timed.map((e) => e.time as number),
    true,
  )
    ? [...executions].reverse()
    : executions
  // Each cash fill goes before the first execution later than it, so a removal finds the
  // position the statement holds at its time (a tie goes to the execution).
  cashFills.sort((a, b) => a.time - b.time || a.row.line - b.row.line)
  const positions = new Map<string, Fixed8>()
  let nextCash = 0
  const sequencer = new Sequencer()
  for (const execution of chronological) {
    yield* execution.errors
    if (execution.time === null || execution.legs.length === 0) continue
    for (; nextCash < cashFills.length; nextCash++) {
      const cash = cashFills[nextCash] as CashFill
      if (cash.time >= execution.time) break
      yield cashFillOf(cash, positions, options.timezone)
    }
    const executedAt = sequencer.next(execution.time)
    const shares = splitByWeight(
      execution.fee,
      execution.legs.map((leg) => leg.quantity),
    )
    for (const [i, leg] of execution.legs.entries()) {
      const held = positions.get(leg.instrument.symbol) ?? 0n
      positions.set(
        leg.instrument.symbol,
        held + (leg.side === 'buy' ? leg.quantity : -leg.quantity),
      )
      yield fillOf(leg.record, {
        account: null,
        instrument: leg.instrument,
        side: leg.side,
        quantity: leg.quantity,
        price: leg.price,
        fee: shares[i] ?? 0n,
        currency: null,
        executedAt,
        sourceTimezone: options.timezone,
        brokerExecutionId: null,
      })
    }
  }
  for (const cash of cashFills.slice(nextCash)) yield cashFillOf(cash, positions, options.timezone)
}

function readExecutions(section: Section, zone: string): Execution[] {
  const columns = resolveColumns(section.header, {
    time: ['Exec Time'],
    side: ['Side'],
    qty: ['Qty'],
    symbol: ['Symbol'],
    exp: ['Exp'],
    strike: ['Strike'],
    type: ['Type'],
    price: ['Price'],
    netPrice: ['Net Price'],
  })
  const missing = TRADE_COLUMNS.filter((name) => !section.columns.has(name.toLowerCase()))
  if (missing.length > 0) {
    return [
      failedExecution({
        line: section.header.line,
        column: null,
        message: `Account Trade History lacks the column(s) ${missing.join(', ')}`,
      }),
    ]
  }

  const executions: Execution[] = []
  for (const record of section.rows) {
    const row = new Row(record)
    if (record.error) {
      executions.push(failedExecution({ line: record.line, column: null, message: record.error }))
      continue
    }
    const timeText = row.text(columns.time)
    let execution = executions[executions.length - 1]
    if (timeText !== '' || execution === undefined) {
      const time = row.time(columns.time, 'Exec Time', timeText, 'us-slash', zone)
      execution = {
        time,
        precise: /\d:\d{2}:\d{2}/.test(timeText),
        side: null,
        quantity: null,
        symbol: row.text(columns.symbol).replace(/:.*$/, '').toUpperCase(),
        netPrice: numberIn(row.text(columns.netPrice)),
        legs: [],
        errors: [],
        fee: 0n,
        matched: false,
      }
      executions.push(execution)
    }
    const leg = readLeg(row, columns, execution.time)
    if (execution.legs.length === 0 && execution.side === null && leg) {
      execution.side = leg.side
      execution.quantity = leg.quantity
    }
    if (leg && execution.time !== null) execution.legs.push(leg)
    execution.errors.push(...row.errors)
  }
  return executions
}

function failedExecution(error: RowError): Execution {
  return {
    time: null,
    precise: true,
    side: null,
    quantity: null,
    symbol: '',
    netPrice: null,
    legs: [],
    errors: [error],
    fee: 0n,
    matched: false,
  }
}

type TradeColumns = Record<
  'side' | 'qty' | 'symbol' | 'exp' | 'strike' | 'type' | 'price',
  Column | undefined
>

function readLeg(row: Row, columns: TradeColumns, time: number | null): Leg | null {
  const sideText = row.text(columns.side).toUpperCase()
  const side: Side | null =
    sideText === 'BUY' || sideText === 'SELL'
      ? (sideText.toLowerCase() as Side)
      : row.fail(columns.side ?? 'Side', `Side "${row.text(columns.side)}" must be BUY or SELL`)
  const qty = row.number(columns.qty, 'Qty')
  if (qty === 0n) row.fail(columns.qty ?? 'Qty', 'Qty is 0')
  const price = row.number(columns.price, 'Price')
  if (price !== null && price < 0n) {
    row.fail(columns.price ?? 'Price', `Price "${row.text(columns.price)}" is negative`)
  }
  const instrument = time === null ? null : legInstrument(row, columns, time)
  if (row.errors.length > 0 || !side || qty === null || price === null || !instrument) return null
  return { record: row.record, side, quantity: magnitude(qty), price, instrument }
}

function legInstrument(row: Row, columns: TradeColumns, time: number): InstrumentSpec | null {
  const symbol = row.text(columns.symbol)
  const type = row.text(columns.type).toUpperCase()
  const where = columns.symbol ?? 'Symbol'
  if (symbol === '') return row.fail(where, 'Symbol is empty')
  if (symbol.startsWith('/')) {
    if (type === 'CALL' || type === 'PUT') {
      return row.fail(
        where,
        `"${symbol}" ${type} is a futures option, which Blotter does not import yet`,
      )
    }
    return (
      futureInstrument(symbol, time) ??
      row.fail(where, `Symbol "${symbol}" is not a futures contract Blotter can read`)
    )
  }
  if (type === 'CALL' || type === 'PUT') {
    // Without Exp/Strike columns (they are optional) the symbol must carry the contract.
    if (columns.exp === undefined || columns.strike === undefined) {
      return (
        optionFromSymbol(symbol) ??
        row.fail(
          where,
          `"${symbol}" is not an option symbol, and there are no Exp and Strike columns`,
        )
      )
    }
    const contract = optionFromParts({
      underlying: symbol,
      expiry: row.text(columns.exp),
      strike: row.text(columns.strike),
      type,
    })
    return contract
      ? optionInstrument(contract)
      : row.fail(
          columns.exp,
          `${symbol} Exp "${row.text(columns.exp)}" Strike "${row.text(columns.strike)}" ${type} is not an option contract Blotter can read (the expiry needs a day, e.g. 27 MAR 26)`,
        )
  }
  if (!STOCK_TYPES.has(type)) {
    return row.fail(
      columns.type ?? 'Type',
      `Type "${row.text(columns.type)}" is not one Blotter imports (STOCK, ETF, CALL, PUT, FUTURE)`,
    )
  }
  return stockInstrument(symbol) ?? row.fail(where, `Symbol "${symbol}" is not a ticker`)
}

/** "KEY: F2 SOLD -100 AMZN @9.65", "BOT +10 VERTICAL SPX 100 (Weeklys) … @.05", "BOT +2 /MESM26:XCME @5412.25". */
const TRADE_DESCRIPTION = /\b(BOT|SOLD)\s+([+-]?[\d,]*\.?\d+)\s+(.*)$/

/**
 * The TRD rows that charge fees go to `fees` (rows that charge none need no fill); every TRD
 * row goes to `rows`, which carry the errors. With `removals` (Cash Balance), option removals
 * go there and the shares of assignments and exercises to `fees`, whatever they charge.
 */
function readFees(
  section: Section,
  dateNames: string[],
  timeNames: string[],
  zone: string,
  rows: Row[],
  fees: FeeRecord[],
  removals: CashFill[] | null,
): void {
  const columns = resolveColumns(section.header, {
    date: dateNames,
    time: timeNames,
    type: ['TYPE'],
    description: ['DESCRIPTION'],
    misc: ['Misc Fees'],
    commissions: ['Commissions & Fees'],
    amount: ['AMOUNT'],
  })
  for (const record of section.rows) {
    const row = new Row(record)
    if (record.error) {
      row.fail(null, record.error)
      rows.push(row)
      continue
    }
    const description = row.text(columns.description)
    const removal = removals !== null && isRemoval(description)
    const delivery = removals !== null && isDelivery(description)
    if (row.text(columns.type).toUpperCase() !== 'TRD' && !removal && !delivery) continue
    rows.push(row)
    const misc = row.optionalNumber(columns.misc) ?? 0n
    const commissions = row.optionalNumber(columns.commissions) ?? 0n
    // Costs are written negative; a credit nets against the same row's costs.
    const fee = -(misc + commissions)
    if (fee < 0n) {
      row.fail(
        columns.commissions ?? 'Commissions & Fees',
        `Misc Fees "${row.text(columns.misc)}" and Commissions & Fees "${row.text(columns.commissions)}" add up to a credit; a fee must be a cost`,
      )
    }
    if ((fee <= 0n && !removal && !delivery) || row.errors.length > 0) continue
    const dateText = row.text(columns.date)
    const time = row.time(
      columns.date,
      dateNames[0] ?? 'DATE',
      `${dateText} ${row.text(columns.time)}`.trim(),
      'us-slash',
      zone,
    )
    if (time === null) continue
    if (removal) {
      const fill = readRemoval(row, columns, time, fee)
      if (fill) removals?.push(fill)
      continue
    }
    const trade = TRADE_DESCRIPTION.exec(description)
    const quantity = trade ? numberIn(trade[2] ?? '') : null
    if (!trade || quantity === null) {
      row.fail(
        columns.description ?? 'DESCRIPTION',
        `"${description}" charges fees but does not read as BOT/SOLD <quantity> <symbol>`,
      )
    }
    const shares = delivery ? readDelivery(row, columns, time, fee) : null
    if (!trade || quantity === null || (delivery && !shares)) continue
    const rest = trade[3] ?? ''
    const price = /@\s*([\d,]*\.?\d+)/.exec(rest)
    fees.push({
      row,
      time,
      side: trade[1] === 'BOT' ? 'buy' : 'sell',
      quantity: magnitude(quantity),
      tokens: new Set(rest.split(/\s+/).map((token) => token.replace(/:.*$/, '').toUpperCase())),
      price: price ? numberIn(price[1] ?? '') : null,
      fee,
      description: columns.description,
      delivery: shares,
    })
  }
}

/**
 * The unmatched execution with the same side, quantity and symbol whose time is within the
 * clock skew (or within the minute, for times without seconds); on a tie the one whose net
 * price equals the row's "@" price, then the nearest in time.
 */
function matchExecution(fee: FeeRecord, executions: readonly Execution[]): Execution | undefined {
  let best: Execution | undefined
  let bestScore = Infinity
  for (const execution of executions) {
    if (execution.matched || execution.time === null || execution.legs.length === 0) continue
    if (execution.side !== fee.side || execution.quantity !== fee.quantity) continue
    if (!fee.tokens.has(execution.symbol)) continue
    const late = fee.time - execution.time
    const within = execution.precise
      ? Math.abs(late) <= CLOCK_SKEW_MS
      : late >= -CLOCK_SKEW_MS && late < MINUTE_MS + CLOCK_SKEW_MS
    if (!within) continue
    const priceMiss = fee.price !== null && fee.price !== execution.netPrice ? 1 : 0
    const score = priceMiss * 1e9 + Math.abs(late)
    if (score < bestScore) {
      best = execution
      bestScore = score
    }
  }
  return best
}
