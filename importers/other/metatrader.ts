/**
 * MetaTrader 4 and 5 reports (brokers.md §2.11, §2.12): the HTML "Statement" / "Trade History
 * Report" a trader saves from the terminal's history tab, or the same report saved as CSV.
 *
 * - Times are broker server time with no zone. Most retail brokers run their servers on
 *   EET/EEST (brokers.md §2.12, LuxAlgo #6), so the default zone is Europe/Helsinki; a server on
 *   another clock is read with --tz. (Servers that follow US DST switch a few weeks apart from
 *   Helsinki in March and November; --tz cannot express that either.)
 * - Volumes are lots. FX pairs get multiplier 100,000; other symbols are CFDs whose contract
 *   size the report does not state (see leveragedInstrument).
 * - Charges: Commission, Fee, Taxes and Swap are signed cash amounts (negative = cost); their
 *   negated sum is the fee. A net credit (a swap credit larger than the commission) cannot be a
 *   fee: the fee is 0 and the note says what was left out.
 * - Charges and Profit are in the account's deposit currency, which the header names (MT4
 *   "Currency: USD", MT5 "Account: 1234567 (USD, Server, real, Hedge)"); bookDepositRow puts
 *   them into each pair's quote currency.
 * - The account is the number the report's header names ("Account: 1234567").
 * - Hedging: MT4 tickets and MT5 Positions are positions, which a hedging account may hold in both
 *   directions at once; an MT5 report whose account says Hedge is read from its Positions. The
 *   engine nets them per symbol, so overlapping ones get a warning (trade-overlaps.ts).
 */
import { multiply, type Fixed8 } from '../../core/decimal'
import { detectDecimalSeparator, type DecimalSeparator } from '../../core/parse/numbers'
import { TradeOverlaps } from '../trade-overlaps'
import type { ImportFormat, ParsedFill, ParseItem, ParseOptions, RowError } from '../types'
import {
  bookDepositRow,
  DepositNotes,
  headerKey,
  joinNotes,
  leveragedInstrument,
  mapColumns,
  roundTripFills,
  RowReader,
  type ColumnSpec,
  type Columns,
} from './common'
import { reportRows, type TableRow } from './html'

// ---------------------------------------------------------------------------------------------
// Header names. English is what brokers.md shows; MT5 localises headers (French `Symbole`,
// Italian `Simbolo`, `Tipo`, `Prezzo`, `Profitto` are attested there). The other languages'
// names below are [Inferred] from MT5's translations and need a real file to confirm.

const TIME = ['time', 'heure', 'zeit', 'ora', 'orario', 'hora', 'tempo', 'время']
const SYMBOL = ['symbol', 'symbole', 'simbolo', 'símbolo', 'ativo', 'символ']
const TYPE = ['type', 'typ', 'tipo', 'тип']
const VOLUME = ['volume', 'volumen', 'объем', 'объём']
const PRICE = ['price', 'prix', 'preis', 'prezzo', 'precio', 'preço', 'цена']
const COMMISSION = [
  'commission',
  'kommission',
  'provision',
  'commissione',
  'comisión',
  'comissão',
  'комиссия',
]
const FEE = ['fee', 'frais', 'gebühr', 'gebühren', 'tassa', 'cargo', 'tarifa', 'taxa', 'сбор']
const SWAP = ['swap', 'своп']
const PROFIT = ['profit', 'bénéfice', 'gewinn', 'profitto', 'beneficio', 'lucro', 'прибыль']
const COMMENT = [
  'comment',
  'commentaire',
  'kommentar',
  'commento',
  'comentario',
  'comentário',
  'комментарий',
]
const POSITION = ['position', 'posizione', 'posición', 'posição', 'позиция']
const DEAL = [
  'deal',
  'transaction',
  'geschäft',
  'affare',
  'operazione',
  'transacción',
  'operación',
  'negócio',
  'сделка',
]
const DIRECTION = ['direction', 'richtung', 'direzione', 'dirección', 'direção', 'направление']
const ORDER = ['order', 'ordre', 'auftrag', 'ordine', 'orden', 'ordem', 'ордер']
const ACCOUNT_LABEL = /^(?:account|a\/c no|compte|konto|conto|cuenta|conta|сч[её]т)\s*:\s*(.*)$/i
/** MT4's header cell "Currency: USD" [Inferred translations]. */
const CURRENCY_LABEL =
  /(?:^|\s)(?:currency|devise|währung|valuta|moneda|moeda|валюта)\s*:\s*([a-z]{3})\b/i

type DealKey =
  | 'time'
  | 'deal'
  | 'symbol'
  | 'type'
  | 'direction'
  | 'volume'
  | 'price'
  | 'order'
  | 'commission'
  | 'fee'
  | 'swap'
  | 'profit'
  | 'comment'

const MT5_DEALS: Record<DealKey, ColumnSpec> = {
  time: { names: TIME },
  deal: { names: DEAL },
  symbol: { names: SYMBOL },
  type: { names: TYPE },
  direction: { names: DIRECTION },
  volume: { names: VOLUME },
  price: { names: PRICE },
  order: { names: ORDER },
  commission: { names: COMMISSION },
  fee: { names: FEE },
  swap: { names: SWAP },
  profit: { names: PROFIT },
  comment: { names: COMMENT },
}
const MT5_DEALS_REQUIRED: readonly DealKey[] = [
  'time',
  'deal',
  'symbol',
  'type',
  'direction',
  'volume',
  'price',
]

type TradeKey =
  | 'id'
  | 'openTime'
  | 'symbol'
  | 'type'
  | 'volume'
  | 'openPrice'
  | 'closeTime'
  | 'closePrice'
  | 'commission'
  | 'taxes'
  | 'swap'
  | 'profit'
  | 'comment'

/** MT5 Positions: `Time` and `Price` appear twice, open then close. */
const MT5_POSITIONS: Record<TradeKey, ColumnSpec> = {
  id: { names: POSITION },
  openTime: { names: TIME },
  symbol: { names: SYMBOL },
  type: { names: TYPE },
  volume: { names: VOLUME },
  openPrice: { names: PRICE },
  closeTime: { names: TIME, occurrence: 1 },
  closePrice: { names: PRICE, occurrence: 1 },
  commission: { names: COMMISSION },
  taxes: { names: FEE },
  swap: { names: SWAP },
  profit: { names: PROFIT },
  comment: { names: COMMENT },
}

/** MT4 Closed Transactions, with the broker variants of brokers.md §2.11 (Lots, Commis…). */
const MT4_CLOSED: Record<TradeKey, ColumnSpec> = {
  id: { names: ['ticket'] },
  openTime: { names: ['open time'] },
  symbol: { names: ['item', 'symbol'] },
  type: { names: ['type'] },
  volume: { names: ['size', 'lots', 'volume'] },
  openPrice: { names: ['price'] },
  closeTime: { names: ['close time'] },
  closePrice: { names: ['price'], occurrence: 1 },
  commission: { names: ['commission', 'commis'] },
  taxes: { names: ['taxes'] },
  swap: { names: ['swap'] },
  profit: { names: ['profit', 'trade p/l'] },
  comment: { names: ['comment'] },
}
const TRADES_REQUIRED: readonly TradeKey[] = [
  'id',
  'openTime',
  'symbol',
  'type',
  'volume',
  'openPrice',
  'closeTime',
  'closePrice',
]

// ---------------------------------------------------------------------------------------------
// Sections

interface SectionKind<K extends string> {
  id: 'deals' | 'positions' | 'closed'
  spec: Readonly<Record<K, ColumnSpec>>
  required: readonly K[]
  /** Every name a required column may have: a cheap test before mapping a row. */
  names: ReadonlySet<string>
  /** The section and its required columns in English, for the "not found" error. */
  expected: string
}

function sectionKind<K extends string>(
  id: SectionKind<K>['id'],
  spec: Readonly<Record<K, ColumnSpec>>,
  required: readonly K[],
  expected: string,
): SectionKind<K> {
  return {
    id,
    spec,
    required,
    names: new Set(required.flatMap((key) => spec[key].names)),
    expected,
  }
}

const DEALS = sectionKind(
  'deals',
  MT5_DEALS,
  MT5_DEALS_REQUIRED,
  'Deals (Time, Deal, Symbol, Type, Direction, Volume, Price)',
)
const POSITIONS = sectionKind(
  'positions',
  MT5_POSITIONS,
  TRADES_REQUIRED,
  'Positions (Time, Position, Symbol, Type, Volume, Price, Time, Price)',
)
const CLOSED = sectionKind(
  'closed',
  MT4_CLOSED,
  TRADES_REQUIRED,
  'Closed Transactions (Ticket, Open Time, Type, Size, Item, Price, Close Time, Price)',
)

type AnyKind = SectionKind<DealKey> | SectionKind<TradeKey>

function headerColumns(row: TableRow, kind: AnyKind): Columns<string> | null {
  let hits = 0
  for (const cell of row.cells) if (kind.names.has(headerKey(cell))) hits++
  if (hits < kind.required.length) return null
  const spec = kind.spec as Readonly<Record<string, ColumnSpec>>
  const columns = mapColumns(row.cells, spec)
  return kind.required.every((key) => columns.has(key)) ? columns : null
}

/** A banner row: one cell of text and nothing else ("Deals", "Closed Transactions:"). */
function isTitle(row: TableRow): boolean {
  const filled = row.cells.filter((cell) => cell !== '')
  return filled.length === 1 && row.cells[0] !== ''
}

type SectionEvent =
  | { type: 'row'; kind: AnyKind; columns: Columns<string>; row: TableRow }
  | { type: 'header'; kind: AnyKind; columns: Columns<string>; row: TableRow }
  | { type: 'other'; row: TableRow }

/**
 * The report's rows with the section each belongs to. A section starts at a header row that
 * has every required column of one kind and ends at the next banner row. MT4's "Open Trades:"
 * and "Working Orders:" sections repeat the Closed Transactions header in some variants; their
 * rows have no close and are not imported, so a header under such a banner opens no section.
 */
function* sectionEvents(
  rows: Iterable<TableRow>,
  kinds: readonly AnyKind[],
): Generator<SectionEvent, void> {
  let current: { kind: AnyKind; columns: Columns<string> } | null = null
  let title = ''
  for (const row of rows) {
    if (row.cells.every((cell) => cell === '')) continue
    if (isTitle(row)) {
      title = row.cells[0] ?? ''
      current = null
      yield { type: 'other', row }
      continue
    }
    const header = /open|working/i.test(title)
      ? null
      : kinds
          .map((kind) => ({ kind, columns: headerColumns(row, kind) }))
          .find((found) => found.columns !== null)
    if (header?.columns) {
      current = { kind: header.kind, columns: header.columns }
      yield { type: 'header', ...current, row }
    } else if (current) {
      yield { type: 'row', ...current, row }
    } else {
      yield { type: 'other', row }
    }
  }
}

interface AccountFacts {
  account: string | null
  /** The deposit currency. */
  currency: string | null
  /** MT5's margin mode; null when the report does not say (MT4 always hedges). */
  hedge: boolean | null
}

/**
 * What a report's header says of the account: its number after `Account:`, and in MT5 the
 * details after it, `(USD, Server, demo, Hedge)`, which a CSV copy may split at its commas;
 * MT4 names the currency in a cell of its own.
 */
function accountFacts(row: TableRow): AccountFacts {
  const facts: AccountFacts = { account: null, currency: null, hedge: null }
  for (let i = 0; i < row.cells.length; i++) {
    const cell = row.cells[i] ?? ''
    const currency = CURRENCY_LABEL.exec(cell)
    if (currency) facts.currency ??= (currency[1] ?? '').toUpperCase()
    const label = ACCOUNT_LABEL.exec(cell)
    if (!label || facts.account !== null) continue
    const value = [label[1] ?? '', ...row.cells.slice(i + 1)].filter((text) => text !== '')
    const account = /^([\w.-]+)\s*(?:\(([^)]*)\))?/.exec(value.join(', ').trim())
    facts.account = account?.[1] ?? null
    const details = (account?.[2] ?? '').split(',').map((detail) => detail.trim())
    facts.currency ??= details.find((detail) => /^[A-Z]{3}$/.test(detail)) ?? null
    const mode = details.find((detail) => /^(?:hedg|netting|exchange)/i.test(detail))
    if (mode) facts.hedge = /^hedg/i.test(mode)
  }
  return facts
}

interface ReportScan extends AccountFacts {
  /** Section kinds present, by id. */
  found: Set<string>
  /** Price and volume cells of each kind, to tell the decimal separator. */
  samples: Map<string, string[]>
}

function scanReport(text: string, kinds: readonly AnyKind[]): ReportScan {
  const scan: ReportScan = {
    account: null,
    currency: null,
    hedge: null,
    found: new Set(),
    samples: new Map(),
  }
  for (const event of sectionEvents(reportRows(text), kinds)) {
    if (event.type === 'other') {
      const facts = accountFacts(event.row)
      scan.account ??= facts.account
      scan.currency ??= facts.currency
      scan.hedge ??= facts.hedge
    } else if (event.type === 'header') {
      scan.found.add(event.kind.id)
    } else {
      const samples = scan.samples.get(event.kind.id) ?? []
      if (samples.length < 200) {
        for (const key of ['price', 'openPrice', 'closePrice', 'volume']) {
          const index = event.columns.get(key)?.index
          const cell = index === undefined ? '' : (event.row.cells[index] ?? '')
          if (/\d/.test(cell)) samples.push(cell)
        }
      }
      scan.samples.set(event.kind.id, samples)
    }
  }
  return scan
}

/** How well `text` looks like a report with one of `kinds`: 0.9 when a header matches. */
function detectReport(text: string, kinds: readonly AnyKind[]): number {
  let rows = 0
  for (const event of sectionEvents(reportRows(text), kinds)) {
    if (event.type === 'header') return 0.9
    if (++rows > 500) break
  }
  return 0
}

// ---------------------------------------------------------------------------------------------
// Rows

interface Context {
  account: string | null
  /** The deposit currency, which charges and Profit are in. */
  deposit: string | null
  decimal: DecimalSeparator
  options: ParseOptions
  /** What the file's warnings are gathered from. */
  deposits: DepositNotes
  overlaps: TradeOverlaps
  /** A Hedge account read from its Deals; null otherwise. */
  hedged: HedgedDeals | null
}

const sideOf = (type: string): 'buy' | 'sell' | null => {
  const lower = type.toLowerCase()
  return lower === 'buy' || lower === 'sell' ? lower : null
}

/** One MT5 deal: a real fill, with its Deal id; Profit of an `out` deal is the broker's P&L. */
function readDeal(
  row: TableRow,
  columns: Columns<DealKey>,
  context: Context,
): ParsedFill | RowError[] | null {
  const reader = new RowReader(row.line, row.cells, columns)
  const side = sideOf(reader.cell('type'))
  // balance, credit, charge, correction… rows and the unlabelled subtotal row move cash only.
  if (side === null) return null
  const { decimal, options } = context
  const symbol = reader.cell('symbol') || reader.fail('symbol', `${reader.name('symbol')} is empty`)
  const timeText = reader.cell('time')
  const executedAt = reader.time('time', timeText, 'metatrader', options.timezone)
  const quantity = reader.positive('volume', { decimal })
  const price = reader.positive('price', { decimal })
  const charges =
    reader.numberOrZero('commission', { decimal }) +
    reader.numberOrZero('fee', { decimal }) +
    reader.numberOrZero('swap', { decimal })
  const profit = reader.has('profit') ? reader.number('profit', { decimal }) : null
  const deal = reader.cell('deal') || reader.fail('deal', `${reader.name('deal')} is empty`)
  if (reader.errors.length > 0) return reader.errors

  const { instrument, pair, unitsPerLot } = leveragedInstrument(symbol as string)
  const direction = reader.cell('direction').toLowerCase()
  const booked = bookDepositRow({
    pair,
    deposit: context.deposit,
    charges,
    what: 'Commission + Fee + Swap',
    price: price as Fixed8,
    pnl:
      profit !== null && direction !== 'in' && direction !== ''
        ? { amount: profit, net: false }
        : null,
    gross: null,
  })
  context.deposits.add(row.line, booked, pair)
  const fill: ParsedFill = {
    line: row.line,
    raw: row.raw,
    account: context.account,
    instrument,
    side,
    quantity: multiply(quantity as Fixed8, unitsPerLot),
    price: price as Fixed8,
    fee: booked.fee,
    currency: booked.currency,
    executedAt: executedAt as number,
    sourceTimezone: options.timezone,
    brokerExecutionId: deal,
    brokerOrderId: reader.cell('order') || null,
    isDerived: false,
    note: joinNotes(reader.cell('comment'), booked.note),
    brokerPnl: booked.brokerPnl,
  }
  context.hedged?.add(fill, direction)
  return fill
}

/** One MT4 closed transaction or MT5 position: a round trip, so two derived fills. */
function readTrade(
  row: TableRow,
  columns: Columns<TradeKey>,
  context: Context,
  chargesName: string,
): ParsedFill[] | RowError[] | null {
  const reader = new RowReader(row.line, row.cells, columns)
  // balance/credit rows, cancelled pending orders (buy limit…), subtotal and total rows.
  const side = sideOf(reader.cell('type'))
  if (side === null) return null
  const { decimal, options } = context
  const symbol = reader.cell('symbol') || reader.fail('symbol', `${reader.name('symbol')} is empty`)
  const zone = options.timezone
  const openedAt = reader.time('openTime', reader.cell('openTime'), 'metatrader', zone)
  const closedAt = reader.time('closeTime', reader.cell('closeTime'), 'metatrader', zone)
  const lots = reader.positive('volume', { decimal })
  const openPrice = reader.positive('openPrice', { decimal })
  const closePrice = reader.positive('closePrice', { decimal })
  const charges =
    reader.numberOrZero('commission', { decimal }) +
    reader.numberOrZero('taxes', { decimal }) +
    reader.numberOrZero('swap', { decimal })
  const profit = reader.has('profit') ? reader.number('profit', { decimal }) : null
  const id = reader.cell('id') || reader.fail('id', `${reader.name('id')} is empty`)
  if (reader.errors.length > 0) return reader.errors

  const { instrument, pair, unitsPerLot } = leveragedInstrument(symbol as string)
  const quantity = multiply(lots as Fixed8, unitsPerLot)
  const move = (closePrice as Fixed8) - (openPrice as Fixed8)
  const booked = bookDepositRow({
    pair,
    deposit: context.deposit,
    charges,
    what: chargesName,
    price: closePrice as Fixed8,
    pnl: profit === null ? null : { amount: profit, net: false },
    gross: multiply(side === 'buy' ? move : -move, quantity),
  })
  context.deposits.add(row.line, booked, pair)
  context.overlaps.add(instrument.symbol, {
    line: row.line,
    long: side === 'buy',
    openedAt: openedAt as number,
    closedAt: closedAt as number,
  })
  return roundTripFills(
    {
      line: row.line,
      raw: row.raw,
      account: context.account,
      instrument,
      quantity,
      currency: booked.currency,
      sourceTimezone: zone,
    },
    {
      id,
      openSide: side,
      openedAt: openedAt as number,
      openPrice: openPrice as Fixed8,
      closedAt: closedAt as number,
      closePrice: closePrice as Fixed8,
      fee: booked.fee,
      brokerPnl: booked.brokerPnl,
      note: joinNotes(reader.cell('comment'), booked.note),
    },
  )
}

/**
 * A Hedge account read from its Deals (a report without Positions): the `in` deals that open a
 * position while one of the same symbol in the other direction is open, by the open volume of
 * each direction (`in` adds to it, `out` closes the other direction).
 */
class HedgedDeals {
  private readonly open = new Map<string, { buy: Fixed8; sell: Fixed8 }>()
  private readonly lines: number[] = []

  add(fill: ParsedFill, direction: string): void {
    const key = fill.instrument.symbol
    const volumes = this.open.get(key) ?? { buy: 0n, sell: 0n }
    const other = fill.side === 'buy' ? 'sell' : 'buy'
    if (direction === 'in') {
      volumes[fill.side] += fill.quantity
      if (volumes[other] > 0n) this.lines.push(fill.line)
    } else if (direction === 'out') {
      const left = volumes[other] - fill.quantity
      volumes[other] = left > 0n ? left : 0n
    }
    this.open.set(key, volumes)
  }

  warning(): string | null {
    const count = this.lines.length
    if (count === 0) return null
    const lines = this.lines.slice(0, 10).join(', ') + (count > 10 ? '…' : '')
    return `${count === 1 ? `1 deal (line ${lines})` : `${count} deals (lines ${lines})`} of this Hedge account open a position while one of the same symbol in the other direction is open, and the report has no Positions section to read instead. Blotter nets each instrument's fills into one position in time order: the totals are exact, but the P&L is split between these trades differently from the broker's positions`
  }
}

function* parseReport(
  text: string,
  options: ParseOptions,
  kinds: readonly AnyKind[],
  what: string,
): Iterable<ParseItem> {
  const scan = scanReport(text, kinds)
  // MT5: Deals are real fills with ids (brokers.md §3.2), so they win over Positions, except in
  // a Hedge account, whose Positions are the broker's tickets and Deals do not say which
  // position each closes.
  const chosen =
    scan.hedge === true && scan.found.has(POSITIONS.id)
      ? POSITIONS
      : kinds.find((kind) => scan.found.has(kind.id))
  if (!chosen) {
    yield {
      line: 1,
      column: null,
      message: `Not a ${what}: no ${kinds.map((kind) => kind.expected).join(' or ')} section was found`,
    }
    return
  }
  const context: Context = {
    account: scan.account,
    deposit: scan.currency,
    decimal: detectDecimalSeparator(scan.samples.get(chosen.id) ?? []),
    options,
    deposits: new DepositNotes(scan.currency),
    overlaps: new TradeOverlaps(),
    hedged: chosen.id === 'deals' && scan.hedge === true ? new HedgedDeals() : null,
  }
  const chargesName = chosen.id === 'closed' ? 'Commission + Taxes + Swap' : 'Commission + Swap'
  for (const event of sectionEvents(reportRows(text), kinds)) {
    if (event.type !== 'row' || event.kind !== chosen) continue
    const result =
      chosen.id === 'deals'
        ? readDeal(event.row, event.columns as Columns<DealKey>, context)
        : readTrade(event.row, event.columns as Columns<TradeKey>, context, chargesName)
    if (result === null) continue
    if (Array.isArray(result)) yield* result
    else yield result
  }
  yield* context.deposits.warnings()
  const overlaps = context.overlaps.warning()
  if (overlaps) yield overlaps
  const hedged = context.hedged?.warning()
  if (hedged) yield { warning: hedged }
}

export const mt4Format: ImportFormat = {
  id: 'mt4-html',
  label: 'MetaTrader 4 statement (HTML)',
  parserVersion: '1',
  defaultTimezone: 'Europe/Helsinki',
  detect: (text) => detectReport(text, [CLOSED]),
  parse: (text, options) => parseReport(text, options, [CLOSED], 'MetaTrader 4 statement'),
}

export const mt5Format: ImportFormat = {
  id: 'mt5-html',
  label: 'MetaTrader 5 trade history report (HTML)',
  parserVersion: '1',
  defaultTimezone: 'Europe/Helsinki',
  detect: (text) => detectReport(text, [DEALS, POSITIONS]),
  parse: (text, options) =>
    parseReport(text, options, [DEALS, POSITIONS], 'MetaTrader 5 trade history report'),
}
