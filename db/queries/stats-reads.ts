/**
 * Reading closed round trips for the statistics, fast enough for a million of them.
 *
 * Rows are the slow part: better-sqlite3 makes a JS array and a value per column per row
 * (≈ 1.6 s of CPU for three columns of a million rows). So each per-trade field comes back as
 * ONE `group_concat` (as bytes), parsed here straight into columns, and what only needs summing
 * is summed by SQL in the same scan. No ORDER BY either: sorting a million rows in SQLite costs
 * more than a JS sort of trades that come back nearly in order (rowids follow imports). Trades
 * tied on (closed_at, opened_at) are put in id order by one extra query over those instants.
 */
import type Database from 'better-sqlite3'
import {
  exactNumber,
  MAX_EXACT,
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

type Parse = 'number' | 'amount' | 'amountOrNull' | 'word' | 'code'
interface Field {
  sql: string
  parse: Parse
}

/**
 * A text column as an integer code per trade: `values[code]` is the text, each distinct text
 * once, in order of first appearance. A group key read this way costs no string per trade.
 */
export interface CodedColumn {
  codes: Float64Array
  values: string[]
}

type Column = Float64Array | string[] | CodedColumn

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
// Parsing group_concat results: comma-separated integers, or words. Read as a BLOB, they come as
// bytes: no UTF-8 decoding into a JS string, and bytes read faster than charCodeAt.

/** group_concat of `sql`, as bytes. */
function concatSql(sql: string): string {
  return `CAST(group_concat(${sql}) AS BLOB)`
}

/** A BLOB's bytes as a plain Uint8Array, whose indexing compiles tighter than a Buffer's. */
function bytesOf(blob: unknown): Uint8Array | null {
  if (blob === null) return null
  const buffer = blob as Buffer
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
}

const COMMA = 44
const MINUS = 45
const ZERO = 48
const utf8 = new TextDecoder()

/** Integers exactly representable as doubles (times, indices). */
function parseNumbers(bytes: Uint8Array | null, count: number): Float64Array {
  const out = new Float64Array(count)
  if (bytes === null) return out
  const length = bytes.length
  let position = 0
  for (let i = 0; i < count; i++) {
    const negative = bytes[position] === MINUS
    if (negative) position++
    let value = 0
    while (position < length) {
      const digit = (bytes[position] as number) - ZERO
      if (digit < 0 || digit > 9) break
      value = value * 10 + digit
      position++
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
function parseAmounts(bytes: Uint8Array | null, count: number, nullable: boolean): Float64Array {
  const out = new Float64Array(count)
  if (bytes === null) return out
  const length = bytes.length
  let position = 0
  for (let i = 0; i < count; i++) {
    const start = position
    const negative = bytes[position] === MINUS
    if (negative) position++
    const digitsStart = position
    let value = 0
    while (position < length) {
      const digit = (bytes[position] as number) - ZERO
      if (digit < 0 || digit > 9) break
      value = value * 10 + digit
      position++
    }
    const digits = position - digitsStart
    if (digits === 0) {
      if (!nullable || negative) throw new Error(`statistics: expected an amount at ${start}`)
      out[i] = NaN
    } else if (digits > 15) {
      out[i] = exactNumber(BigInt(utf8.decode(bytes.subarray(start, position))))
    } else {
      out[i] = negative ? -value : value
    }
    position++
  }
  return out
}

/** FNV-1a over bytes: spreads ids that differ in any byte. */
const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

function sameBytes(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false
  for (; a < aEnd; a++, b++) if (bytes[a] !== bytes[b]) return false
  return true
}

/**
 * Comma-separated texts as codes, through an open-addressing table of the distinct texts (a
 * handful: instruments, strategies, tag sets) that compares bytes where they lie.
 */
function parseCodes(bytes: Uint8Array | null, count: number): CodedColumn {
  const codes = new Float64Array(count)
  const values: string[] = []
  if (bytes === null) return { codes, values }
  const length = bytes.length
  const starts: number[] = []
  const ends: number[] = []
  const hashes: number[] = []
  let mask = 63
  let slots = new Int32Array(mask + 1).fill(-1)
  let position = 0
  for (let i = 0; i < count; i++) {
    const start = position
    let hash = FNV_OFFSET
    while (position < length && bytes[position] !== COMMA) {
      hash = Math.imul(hash ^ (bytes[position] as number), FNV_PRIME)
      position++
    }
    const end = position++
    let slot = hash & mask
    let code = slots[slot] as number
    while (
      code !== -1 &&
      !sameBytes(bytes, starts[code] as number, ends[code] as number, start, end)
    ) {
      slot = (slot + 1) & mask
      code = slots[slot] as number
    }
    if (code === -1) {
      code = values.length
      values.push(utf8.decode(bytes.subarray(start, end)))
      starts.push(start)
      ends.push(end)
      hashes.push(hash)
      slots[slot] = code
      if (values.length * 2 > mask) {
        mask = mask * 2 + 1
        slots = new Int32Array(mask + 1).fill(-1)
        hashes.forEach((known, value) => {
          let free = known & mask
          while (slots[free] !== -1) free = (free + 1) & mask
          slots[free] = value
        })
      }
    }
    codes[i] = code
  }
  return { codes, values }
}

function parseColumn(bytes: Uint8Array | null, count: number, parse: Parse): Column {
  switch (parse) {
    case 'number':
      return parseNumbers(bytes, count)
    case 'amount':
      return parseAmounts(bytes, count, false)
    case 'amountOrNull':
      return parseAmounts(bytes, count, true)
    case 'word':
      return bytes === null ? [] : utf8.decode(bytes).split(',')
    case 'code':
      return parseCodes(bytes, count)
  }
}

/** A value read as a row (tied trades), into the column's form. */
function fromRaw(value: unknown, parse: Parse, column: Column): number | string {
  switch (parse) {
    case 'number':
      return Number(value)
    case 'amount':
      return exactNumber(value as bigint)
    case 'amountOrNull':
      return value === '' || value === null ? NaN : exactNumber(value as bigint)
    case 'word':
      return String(value)
    case 'code': {
      const { values } = column as CodedColumn
      const text = String(value)
      const known = values.indexOf(text)
      return known === -1 ? values.push(text) - 1 : known
    }
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
  if (Array.isArray(column)) return order.map((i) => column[i] as string)
  return { ...column, codes: permute(column.codes, order) as Float64Array }
}

/** Writes trade i's value (from {@link fromRaw}) into its column. */
function store(column: Column, i: number, value: number | string): void {
  if (Array.isArray(column)) column[i] = value as string
  else if (column instanceof Float64Array) column[i] = value as number
  else column.codes[i] = value as number
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
      `SELECT count(*), ${concat.map(concatSql).join(', ')}
         ${aggregates.map((sql) => `, ${sql}`).join('')}
       FROM positions p WHERE ${whereSql(scope)}`,
    )
    .raw()
    .get(...close.params, ...scope.params) as unknown[]
  const count = Number(row[0])
  const packed = parseNumbers(bytesOf(row[1]), count)
  const hold = parseNumbers(bytesOf(row[2]), count)
  let columns = fields.map((field, i) => parseColumn(bytesOf(row[3 + i]), count, field.parse))
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
        const column = data.columns[f] as Column
        store(column, start + offset, fromRaw(row[3 + f], field.parse, column))
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

/** What a group key reads per trade: an SQL expression over `p`, or the trade's live tags. */
export type KeyRead = { sql: string } | 'tags'

const FEES: Field = { sql: 'p.fees', parse: 'amount' }
const GROSS: Field = { sql: 'p.gross_pnl', parse: 'amount' }
const RISK: Field = { sql: `ifnull(p.initial_risk, '')`, parse: 'amountOrNull' }
const ID: Field = { sql: 'p.id', parse: 'word' }
const ROWID: Field = { sql: 'p.rowid', parse: 'number' }
/** Trades whose gross is not net + fees, as the trade engine always writes it. */
const GROSS_MISMATCHES = `sum(p.gross_pnl IS NOT p.net_pnl + p.fees)`

export interface TradeColumnsRead {
  columns: TradeColumns
  key: CodedColumn | null
  ids: string[] | null
}

/**
 * Every column the JS statistics read, in closing order, plus the group key's raw value per
 * trade as a code: `key.sql`'s text (ids, side; never containing a comma), or for 'tags' the
 * trade's live tag ids, space-separated in id order ('' for none).
 */
export function readTradeColumns(
  sqlite: Database.Database,
  scope: TradeScope,
  key: KeyRead | null,
  withIds = false,
): TradeColumnsRead {
  // Gross is net + fees in every trade the engine builds: then it costs no column (a tenth of
  // the read). A journal where a trade differs (changed outside the engine) has it read.
  return (
    readColumns(sqlite, scope, key, withIds, false) ??
    (readColumns(sqlite, scope, key, withIds, true) as TradeColumnsRead)
  )
}

/** {@link readTradeColumns}, reading gross or deriving it; null when it cannot be derived. */
function readColumns(
  sqlite: Database.Database,
  scope: TradeScope,
  key: KeyRead | null,
  withIds: boolean,
  withGross: boolean,
): TradeColumnsRead | null {
  const keyField: Field | null =
    key === null ? null : key === 'tags' ? ROWID : { sql: `ifnull(${key.sql}, '')`, parse: 'code' }
  // Position ids are UUIDs: no commas. Read only when asked (excursions), as they cost.
  const fields = [NET, FEES, RISK, withGross && GROSS, withIds && ID, keyField].filter(
    (field): field is Field => field !== false && field !== null,
  )
  const read = readOrdered(sqlite, scope, fields, withGross ? [] : [GROSS_MISMATCHES])
  const mismatches = read.totals[0]
  if (!withGross && mismatches !== null && mismatches !== 0n) return null
  const column = (field: Field) => read.columns[fields.indexOf(field)] as Column
  const netPnl = column(NET) as Float64Array
  const fees = column(FEES) as Float64Array
  const keyColumn = keyField === null ? null : column(keyField)
  return {
    columns: {
      length: read.count,
      closedAt: read.closedAt,
      openedAt: read.openedAt,
      netPnl,
      grossPnl: withGross ? (column(GROSS) as Float64Array) : netPlusFees(netPnl, fees),
      fees,
      initialRisk: column(RISK) as Float64Array,
      accountId: accountColumn(scope, read.accountIndex),
    },
    key:
      keyColumn === null
        ? null
        : key === 'tags'
          ? tagCodes(sqlite, keyColumn as Float64Array)
          : (keyColumn as CodedColumn),
    ids: withIds ? (column(ID) as string[]) : null,
  }
}

/**
 * Gross as net + fees: exact (each is within ±2^52), and held to the bound of every amount the
 * statistics read (stats/exact.ts).
 */
function netPlusFees(netPnl: Float64Array, fees: Float64Array): Float64Array {
  const gross = new Float64Array(netPnl.length)
  for (let i = 0; i < netPnl.length; i++) {
    const sum = (netPnl[i] as number) + (fees[i] as number)
    gross[i] = sum > MAX_EXACT || sum < -MAX_EXACT ? exactNumber(BigInt(sum)) : sum
  }
  return gross
}

/** A rowid table this many times the rows it serves is still cheaper than searching. */
const DENSE_ROWIDS = 8

/**
 * The live tag ids of the positions with these rowids, as codes. A subquery per trade would
 * cost an index probe and an aggregate per trade (≈ 0.4 s a million); the links are read once
 * instead, grouped by position in the primary key's order, and matched by rowid through a
 * table indexed by rowid (a Map of a million numbers costs more than the whole read), or a
 * binary search where rowids are too sparse for one.
 */
function tagCodes(sqlite: Database.Database, rowids: Float64Array): CodedColumn {
  const row = sqlite
    .prepare(
      `SELECT count(*), min(position), max(position), ${concatSql('position')}, ${concatSql('tags')}
       FROM (
         SELECT p.rowid AS position, group_concat(pt.tag_id, ' ') AS tags
         FROM position_tags pt JOIN positions p ON p.id = pt.position_id
         WHERE pt.deleted_at IS NULL
         GROUP BY pt.position_id)`,
    )
    .raw()
    .get() as [bigint, bigint | null, bigint | null, Buffer | null, Buffer | null]
  const count = Number(row[0])
  const tagged = parseNumbers(bytesOf(row[3]), count)
  const sets = parseCodes(bytesOf(row[4]), count)
  // Code 0 is no tag; a set's code is one past its index in `sets`.
  const codes = new Float64Array(rowids.length)
  if (count === 0) return { codes, values: [''] }
  const first = Number(row[1])
  const span = Number(row[2]) - first + 1
  if (span <= DENSE_ROWIDS * (rowids.length + count)) {
    const table = new Int32Array(span)
    for (let k = 0; k < count; k++) {
      table[(tagged[k] as number) - first] = (sets.codes[k] as number) + 1
    }
    for (let i = 0; i < rowids.length; i++) {
      const at = (rowids[i] as number) - first
      if (at >= 0 && at < span) codes[i] = table[at] as number
    }
  } else {
    const byRowid = Array.from({ length: count }, (_, k) => k).sort(
      (a, b) => (tagged[a] as number) - (tagged[b] as number),
    )
    const sorted = Float64Array.from(byRowid, (k) => tagged[k] as number)
    for (let i = 0; i < rowids.length; i++) {
      const rowid = rowids[i] as number
      let low = 0
      let high = count
      while (low < high) {
        const middle = (low + high) >>> 1
        if ((sorted[middle] as number) < rowid) low = middle + 1
        else high = middle
      }
      if (sorted[low] === rowid) codes[i] = (sets.codes[byRowid[low] as number] as number) + 1
    }
  }
  return { codes, values: ['', ...sets.values] }
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
      `SELECT count(*), ${concatSql('p.closed_at')}, ${concatSql('p.net_pnl')}
       FROM positions p WHERE ${whereSql(scope)}`,
    )
    .raw()
    .get(...scope.params) as [bigint, Buffer | null, Buffer | null]
  const count = Number(row[0])
  return {
    length: count,
    closedAt: parseNumbers(bytesOf(row[1]), count),
    netPnl: parseAmounts(bytesOf(row[2]), count, false),
  }
}
