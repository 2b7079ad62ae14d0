/**
 * Reading closed round trips for the statistics, fast enough for a million of them.
 *
 * Rows are the slow part: better-sqlite3 makes a JS array and a value per column per row
 * (≈ 1.6 s of CPU for three columns of a million rows). So each per-trade field comes back as
 * ONE `group_concat` text, parsed here straight into columns, and what only needs summing is
 * summed by SQL in the same scan. No ORDER BY either: sorting a million rows in SQLite costs
 * more than a JS sort of trades that come back nearly in order (rowids follow imports). Trades
 * tied on (closed_at, opened_at) are put in id order by one extra query over those instants.
 */
import type Database from 'better-sqlite3'
import {
  exactNumber,
  netTotals,
  type TradeColumns,
  type TradeSequence,
  type TradeTotals,
} from '../../core/stats'

/** Which live closed positions `p` to read: SQL conditions and their parameters. */
export interface TradeScope {
  conditions: string[]
  params: unknown[]
  /** The accounts the conditions allow; a trade's account is its index in this list. */
  accountIds: readonly string[]
}

/** Account index packed into the closing time (closed_at × count + index) saves a column. */
const MAX_PACKED_ACCOUNTS = 2000

type Parse = 'number' | 'amount' | 'amountOrNull' | 'word'
interface Field {
  sql: string
  parse: Parse
}

type Column = Float64Array | string[]

function whereSql(scope: TradeScope): string {
  return [
    `p.deleted_at IS NULL AND p.status = 'closed' AND p.net_pnl IS NOT NULL`,
    ...scope.conditions,
  ].join(' AND ')
}

function packedClose(scope: TradeScope): { sql: string; params: unknown[] } {
  const count = scope.accountIds.length
  if (count <= 1) return { sql: 'p.closed_at', params: [] }
  if (count > MAX_PACKED_ACCOUNTS) {
    throw new Error(`statistics read at most ${MAX_PACKED_ACCOUNTS} accounts at once`)
  }
  const cases = scope.accountIds.map((_, i) => `WHEN ? THEN ${i}`).join(' ')
  return {
    sql: `p.closed_at * ${count} + CASE p.account_id ${cases} END`,
    params: [...scope.accountIds],
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing group_concat texts: comma-separated integers, or words

/** Integers exactly representable as doubles (times, indices). */
function parseNumbers(text: string | null, count: number): Float64Array {
  const out = new Float64Array(count)
  if (text === null) return out
  let position = 0
  for (let i = 0; i < count; i++) {
    let code = text.charCodeAt(position)
    const negative = code === 45
    if (negative) code = text.charCodeAt(++position)
    let value = 0
    while (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48)
      code = text.charCodeAt(++position)
    }
    out[i] = negative ? -value : value
    position++
  }
  return out
}

/**
 * Fixed8 amounts as exact doubles (stats/exact.ts); an empty field is NaN when `nullable`.
 * Up to 15 digits a double holds the value exactly; longer texts are checked as bigints.
 */
function parseAmounts(text: string | null, count: number, nullable: boolean): Float64Array {
  const out = new Float64Array(count)
  if (text === null) return out
  let position = 0
  for (let i = 0; i < count; i++) {
    const start = position
    let code = text.charCodeAt(position)
    const negative = code === 45
    if (negative) code = text.charCodeAt(++position)
    const digitsStart = position
    let value = 0
    while (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48)
      code = text.charCodeAt(++position)
    }
    const digits = position - digitsStart
    if (digits === 0) {
      if (!nullable || negative) throw new Error(`statistics: expected an amount at ${start}`)
      out[i] = NaN
    } else if (digits > 15) {
      out[i] = exactNumber(BigInt(text.slice(start, position)))
    } else {
      out[i] = negative ? -value : value
    }
    position++
  }
  return out
}

function parseColumn(text: string | null, count: number, parse: Parse): Column {
  switch (parse) {
    case 'number':
      return parseNumbers(text, count)
    case 'amount':
      return parseAmounts(text, count, false)
    case 'amountOrNull':
      return parseAmounts(text, count, true)
    case 'word':
      return text === null ? [] : text.split(',')
  }
}

function fromRaw(value: unknown, parse: Parse): number | string {
  switch (parse) {
    case 'number':
      return Number(value)
    case 'amount':
      return exactNumber(value as bigint)
    case 'amountOrNull':
      return value === '' || value === null ? NaN : exactNumber(value as bigint)
    case 'word':
      return String(value)
  }
}

// ---------------------------------------------------------------------------------------------
// Closing order

function isSorted(closed: Float64Array, opened: Float64Array): boolean {
  for (let i = 1; i < closed.length; i++) {
    const c = (closed[i - 1] as number) - (closed[i] as number)
    if (c > 0 || (c === 0 && (opened[i - 1] as number) > (opened[i] as number))) return false
  }
  return true
}

function permute(column: Column, order: readonly number[]): Column {
  if (column instanceof Float64Array) return Float64Array.from(order, (i) => column[i] as number)
  const source = column as unknown[]
  return order.map((i) => source[i]) as Column
}

/**
 * Reads the per-trade `fields` (after the two that give the order: packed closing time and
 * hold time) of every matching trade in closing order, plus `aggregates` of the same scan.
 */
function readOrdered(
  sqlite: Database.Database,
  scope: TradeScope,
  fields: readonly Field[],
  aggregates: readonly string[],
): {
  count: number
  closedAt: Float64Array
  openedAt: Float64Array
  accountIndex: Float64Array
  columns: Column[]
  totals: unknown[]
} {
  const close = packedClose(scope)
  const concat = [close.sql, 'p.closed_at - p.opened_at', ...fields.map((f) => f.sql)]
  const row = sqlite
    .prepare(
      `SELECT count(*), ${concat.map((sql) => `group_concat(${sql})`).join(', ')}
         ${aggregates.map((sql) => `, ${sql}`).join('')}
       FROM positions p WHERE ${whereSql(scope)}`,
    )
    .raw()
    .get(...close.params, ...scope.params) as unknown[]
  const count = Number(row[0])
  const packed = parseNumbers(row[1] as string | null, count)
  const hold = parseNumbers(row[2] as string | null, count)
  let columns = fields.map((field, i) =>
    parseColumn(row[3 + i] as string | null, count, field.parse),
  )
  const totals = row.slice(3 + fields.length)

  const accounts = Math.max(1, scope.accountIds.length)
  let closedAt: Float64Array = new Float64Array(count)
  let accountIndex: Float64Array = new Float64Array(count)
  let openedAt: Float64Array = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    const value = packed[i] as number
    const closed = accounts === 1 ? value : Math.floor(value / accounts)
    closedAt[i] = closed
    accountIndex[i] = value - closed * accounts
    openedAt[i] = closed - (hold[i] as number)
  }
  if (!isSorted(closedAt, openedAt)) {
    const order = Array.from({ length: count }, (_, i) => i)
    const byClose = closedAt
    const byOpen = openedAt
    // Array.prototype.sort is stable (TimSort): fast on the long sorted runs imports leave.
    order.sort(
      (a, b) =>
        (byClose[a] as number) - (byClose[b] as number) ||
        (byOpen[a] as number) - (byOpen[b] as number),
    )
    closedAt = permute(closedAt, order) as Float64Array
    openedAt = permute(openedAt, order) as Float64Array
    accountIndex = permute(accountIndex, order) as Float64Array
    columns = columns.map((column) => permute(column, order))
  }
  orderTiesById(sqlite, scope, fields, { closedAt, openedAt, accountIndex, columns })
  return { count, closedAt, openedAt, accountIndex, columns, totals }
}

/** Rewrites every run of trades tied on (closed_at, opened_at) in id order, from SQL. */
function orderTiesById(
  sqlite: Database.Database,
  scope: TradeScope,
  fields: readonly Field[],
  data: {
    closedAt: Float64Array
    openedAt: Float64Array
    accountIndex: Float64Array
    columns: Column[]
  },
): void {
  const { closedAt, openedAt } = data
  const runs: [start: number, end: number][] = []
  for (let i = 1; i < closedAt.length; i++) {
    if (closedAt[i] !== closedAt[i - 1] || openedAt[i] !== openedAt[i - 1]) continue
    const last = runs[runs.length - 1]
    if (last && last[1] === i) last[1] = i + 1
    else runs.push([i - 1, i + 1])
  }
  if (runs.length === 0) return
  const instants = [...new Set(runs.map(([start]) => closedAt[start] as number))]
  const accountCase = scope.accountIds.map((_, i) => `WHEN ? THEN ${i}`).join(' ')
  const rows = sqlite
    .prepare(
      `SELECT p.closed_at, p.opened_at,
         ${scope.accountIds.length <= 1 ? '0' : `CASE p.account_id ${accountCase} END`}
         ${fields.map((field) => `, ${field.sql}`).join('')}
       FROM positions p
       WHERE ${whereSql(scope)} AND p.closed_at IN (SELECT value FROM json_each(?))
       ORDER BY p.closed_at, p.opened_at, p.id`,
    )
    .raw()
    .all(
      ...(scope.accountIds.length <= 1 ? [] : scope.accountIds),
      ...scope.params,
      JSON.stringify(instants),
    ) as unknown[][]
  const byInstants = new Map<string, unknown[][]>()
  for (const row of rows) {
    const key = `${Number(row[0])}:${Number(row[1])}`
    const list = byInstants.get(key)
    if (list === undefined) byInstants.set(key, [row])
    else list.push(row)
  }
  for (const [start, end] of runs) {
    const tied = byInstants.get(`${closedAt[start]}:${openedAt[start]}`) ?? []
    if (tied.length !== end - start)
      throw new Error('statistics: the journal changed while reading')
    tied.forEach((row, offset) => {
      data.accountIndex[start + offset] = Number(row[2])
      fields.forEach((field, f) => {
        ;(data.columns[f] as unknown[])[start + offset] = fromRaw(row[3 + f], field.parse)
      })
    })
  }
}

function accountColumn(scope: TradeScope, accountIndex: Float64Array): string[] {
  const ids = scope.accountIds
  const column = new Array<string>(accountIndex.length)
  if (ids.length === 1) return column.fill(ids[0] as string)
  for (let i = 0; i < accountIndex.length; i++) column[i] = ids[accountIndex[i] as number] as string
  return column
}

// ---------------------------------------------------------------------------------------------
// What the statistics read

const NET: Field = { sql: 'p.net_pnl', parse: 'amount' }

/** What SQL sums in the same scan; the rest of the totals come from the sequence. */
const SUMS_SQL = [
  `sum(p.gross_pnl)`,
  `sum(p.fees)`,
  `count(p.initial_risk)`,
  `sum(p.net_pnl * 1.0 / p.initial_risk)`,
  `sum((p.net_pnl * 1.0 / p.initial_risk) * (p.net_pnl * 1.0 / p.initial_risk))`,
  `sum(iif(p.initial_risk IS NULL, 0, p.net_pnl))`,
  `sum(p.initial_risk)`,
]

/**
 * The additive figures (net and hold times from the sequence, gross, fees and R summed by SQL as
 * `columnTotals` sums them in JS) and the trade sequence (closing time, net, account).
 */
export function readTotalsAndSequence(
  sqlite: Database.Database,
  scope: TradeScope,
): { totals: TradeTotals; sequence: TradeSequence } {
  const read = readOrdered(sqlite, scope, [NET], SUMS_SQL)
  const [grossPnl, fees, rTrades, rSum, rSquares, riskedNet, risked] = read.totals
  const amount = (value: unknown) => (value === null ? 0n : (value as bigint))
  const number = (value: unknown) => (value === null ? 0 : Number(value))
  const netPnl = read.columns[0] as Float64Array
  const totals: TradeTotals = {
    ...netTotals({ length: read.count, netPnl, closedAt: read.closedAt, openedAt: read.openedAt }),
    grossPnl: amount(grossPnl),
    fees: amount(fees),
    rTrades: number(rTrades),
    rSum: number(rSum),
    rSquares: number(rSquares),
    riskedNet: amount(riskedNet),
    risked: amount(risked),
    excursionTrades: 0,
    maeRSum: 0,
    mfeRSum: 0,
  }
  return {
    totals,
    sequence: {
      length: read.count,
      closedAt: read.closedAt,
      netPnl,
      accountId: accountColumn(scope, read.accountIndex),
    },
  }
}

/**
 * Every column the JS statistics read, in closing order, plus `extraSql`'s text per trade (a
 * group key's raw value: ids, side; never containing a comma).
 */
export function readTradeColumns(
  sqlite: Database.Database,
  scope: TradeScope,
  extraSql: string | null,
  withIds = false,
): { columns: TradeColumns; extra: string[] | null; ids: string[] | null } {
  const fields: Field[] = [
    NET,
    { sql: 'p.gross_pnl', parse: 'amount' },
    { sql: 'p.fees', parse: 'amount' },
    { sql: `ifnull(p.initial_risk, '')`, parse: 'amountOrNull' },
  ]
  // Position ids are UUIDs: no commas. Read only when asked (excursions), as they cost.
  if (withIds) fields.push({ sql: 'p.id', parse: 'word' })
  if (extraSql !== null) fields.push({ sql: `ifnull(${extraSql}, '')`, parse: 'word' })
  const read = readOrdered(sqlite, scope, fields, [])
  const extraAt = withIds ? 5 : 4
  return {
    columns: {
      length: read.count,
      closedAt: read.closedAt,
      openedAt: read.openedAt,
      netPnl: read.columns[0] as Float64Array,
      grossPnl: read.columns[1] as Float64Array,
      fees: read.columns[2] as Float64Array,
      initialRisk: read.columns[3] as Float64Array,
      accountId: accountColumn(scope, read.accountIndex),
    },
    extra: extraSql === null ? null : (read.columns[extraAt] as string[]),
    ids: withIds ? (read.columns[4] as string[]) : null,
  }
}

/** A matching trade of an instrument with candles, as its MAE and MFE need it. */
export interface ExcursionTradeRow {
  id: string
  instrumentId: string
  side: 'long' | 'short'
  entryPrice: bigint
  quantity: bigint
  multiplier: bigint
  initialRisk: bigint | null
  openedAt: bigint
  closedAt: bigint
}

const EXCURSION_COLUMNS = `p.id, p.instrument_id AS instrumentId, p.side, p.entry_price AS entryPrice,
  p.quantity, i.multiplier, p.initial_risk AS initialRisk, p.opened_at AS openedAt,
  p.closed_at AS closedAt`

/**
 * The instruments of the matching trades that have stored candles. Two index probes per
 * instrument with candles, nothing per trade: the journal without candles pays one probe.
 */
export function instrumentsWithCandles(sqlite: Database.Database, scope: TradeScope): string[] {
  const any = sqlite.prepare(`SELECT 1 FROM market_data LIMIT 1`).get()
  if (any === undefined) return []
  return sqlite
    .prepare(
      `SELECT i.id FROM instruments i
       WHERE EXISTS (SELECT 1 FROM market_data m WHERE m.instrument_id = i.id)
         AND EXISTS (SELECT 1 FROM positions p WHERE p.instrument_id = i.id AND ${whereSql(scope)})`,
    )
    .pluck()
    .all(...scope.params) as string[]
}

/** The matching trades of these instruments, by instrument, then opening time. */
export function readExcursionTrades(
  sqlite: Database.Database,
  scope: TradeScope,
  instrumentIds: readonly string[],
): ExcursionTradeRow[] {
  if (instrumentIds.length === 0) return []
  return sqlite
    .prepare(
      `SELECT ${EXCURSION_COLUMNS}
       FROM positions p JOIN instruments i ON i.id = p.instrument_id
       WHERE ${whereSql(scope)}
         AND p.instrument_id IN (${instrumentIds.map(() => '?').join(', ')})
       ORDER BY p.instrument_id, p.opened_at`,
    )
    .all(...scope.params, ...instrumentIds) as ExcursionTradeRow[]
}

/** One live closed trade by id, or undefined. */
export function readExcursionTrade(
  sqlite: Database.Database,
  id: string,
): ExcursionTradeRow | undefined {
  return sqlite
    .prepare(
      `SELECT ${EXCURSION_COLUMNS}
       FROM positions p JOIN instruments i ON i.id = p.instrument_id
       WHERE ${whereSql({ conditions: ['p.id = ?'], params: [], accountIds: [] })}
         AND p.account_id IN (SELECT id FROM accounts WHERE deleted_at IS NULL)`,
    )
    .get(id) as ExcursionTradeRow | undefined
}

/** Closing time and net of the matching trades, in no particular order (days only sum). */
export function readDailySequence(
  sqlite: Database.Database,
  scope: TradeScope,
): Pick<TradeSequence, 'length' | 'closedAt' | 'netPnl'> {
  const row = sqlite
    .prepare(
      `SELECT count(*), group_concat(p.closed_at), group_concat(p.net_pnl)
       FROM positions p WHERE ${whereSql(scope)}`,
    )
    .raw()
    .get(...scope.params) as [bigint, string | null, string | null]
  const count = Number(row[0])
  return {
    length: count,
    closedAt: parseNumbers(row[1], count),
    netPnl: parseAmounts(row[2], count, false),
  }
}
