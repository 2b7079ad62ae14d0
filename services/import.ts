/**
 * Importing a broker file: all or nothing, no duplicates, undoable.
 *
 * One file = one transaction = one import batch. Every row is parsed even after the first bad
 * one, so the result lists every error; then a file with errors rolls back whole (unless
 * skipInvalid), and a dry run rolls back whatever happened. Duplicates are left to the unique
 * indexes (broker execution id, else content key, per account) via ON CONFLICT DO NOTHING.
 */
import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import { formatDecimal, fromInteger, multiply } from '../core/decimal'
import { futuresSpec, type FuturesPointValue } from '../core/instruments/futures'
import { isTimeZone } from '../core/time'
import { calendarDate, zonedToUtc } from '../core/time-parse'
import { FillWriter, type InstrumentRef, type NewInstrument } from '../db/queries/fills'
import { rebuildPositions } from '../db/queries/positions'
import { detectFormat, formatById } from '../importers'
import { decodeFile, decodeFileChunks, type TextEncoding } from '../importers/sniff'
import {
  isParseWarning,
  isRowError,
  type BrokerPnl,
  type DateOrder,
  type ImportFormat,
  type InstrumentSpec,
  type ParseItem,
  type ParseOptions,
  type RowError,
} from '../importers/types'
import type { ServiceContext } from './context'
import { userFuturesTable } from './instruments'
import { afterPositionsChanged } from './risk'
import { settingValue } from './settings'

export interface ImportOptions {
  /** A format id, 'auto' to detect it, or the format itself. */
  format: string | ImportFormat
  account?: string
  timezone?: string
  /** --date-order, for dates a file could read either way round (ParseOptions). */
  dateOrder?: DateOrder
  dryRun?: boolean
  skipInvalid?: boolean
  /** Called every PROGRESS_EVERY rows while the file is read. */
  onProgress?: (progress: ImportProgress) => void
}

export interface ImportProgress {
  /** Line of the file reached. */
  rowsParsed: number
  /** Fills of this file written so far (in the uncommitted transaction). */
  fillsWritten: number
  /**
   * 'reading': rows are parsed and written (every PROGRESS_EVERY rows); 'rebuilding': the file is
   * read and round trips are rebuilt (after each account and instrument). Absent: reading.
   */
  phase?: 'reading' | 'rebuilding'
}

/** Rows between two progress reports: often enough for a smooth bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 2000

export interface FileImportResult {
  file: string
  format: string | null
  status: 'imported' | 'rejected' | 'dry-run'
  batchId: string | null
  /** Fills written by this import (0 when rejected or a dry run). */
  fills: number
  /** Fills of the file already in the journal. */
  duplicates: number
  /** Round trips created or changed. */
  trades: number
  warnings: string[]
  errors: RowError[]
  /** Days where the broker's realized P&L differs from Blotter's. */
  reconciliation: Reconciliation[]
}

export interface Reconciliation {
  account: string
  symbol: string
  /** Calendar day in the journal's zone. */
  date: string
  /** Whether the broker's figure is after fees (compared with net) or before (with gross). */
  basis: 'net' | 'gross'
  broker: string
  blotter: string
  difference: string
}

const DEFAULT_ACCOUNT = 'default'

/** PRAGMA cache_size during an import: 16 MiB (negative: KiB). */
const IMPORT_CACHE_SIZE = -16_384

/** Thrown inside the transaction to roll it back; never escapes this module. */
class Rollback extends Error {}

export function importFile(
  ctx: ServiceContext,
  path: string,
  bytes: Uint8Array,
  options: ImportOptions,
): FileImportResult {
  const file = basename(path)
  const result: FileImportResult = {
    file,
    format: null,
    status: 'rejected',
    batchId: null,
    fills: 0,
    duplicates: 0,
    trades: 0,
    warnings: [],
    errors: [],
    reconciliation: [],
  }
  const reject = (message: string) => {
    result.errors.push({ line: 1, column: null, message })
    return result
  }

  const { format, encoding, rows: parseRows } = formatAndRows(bytes, options.format)
  if (encoding === 'windows-1252') {
    result.warnings.push('The file is not valid UTF-8; it was read as Windows-1252')
  }
  if (!format) {
    return reject(
      options.format === 'auto'
        ? 'Format not recognised: no known broker export matches this file’s header'
        : `Unknown format "${options.format}" (blotter formats lists them)`,
    )
  }
  result.format = format.id
  const timezone = options.timezone ?? format.defaultTimezone
  if (!isTimeZone(timezone)) return reject(`--tz "${timezone}" is not an IANA time zone`)

  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const baseCurrency = settingValue(ctx, 'journal.baseCurrency')
  const userFutures = userFuturesTable(ctx)
  // An import appends: its working set is the tail of each index, so a small page cache does
  // as well as the connection's 64 MiB (measured at 10^5 and 10^6 fills) and keeps a 10^6-fill
  // import's peak RSS 100 MB lower, since the cache would fill with the import's dirty pages.
  const cacheSize = ctx.journal.sqlite.pragma('cache_size', { simple: true }) as bigint | number
  ctx.journal.sqlite.pragma(`cache_size = ${IMPORT_CACHE_SIZE}`)
  try {
    ctx.journal.sqlite
      .transaction(() => {
        const batchId = insertBatch(ctx, file, sha256, format)
        const writer = new FillWriter(ctx.journal.sqlite)
        const instruments = new ImportInstruments(writer, userFutures, result.warnings)
        const decimals = new DecimalTexts()
        // Per (account, instrument) written to, its earliest new fill: where its rebuild starts.
        const pairs = new Map<string, [string, string, number]>()
        // Per account, the earliest fill written: the daily aggregates refresh from its day.
        const starts = new Map<string, number>()
        const brokerDays = new BrokerDays(settingValue(ctx, 'journal.timezone'))
        let rows = 0
        let line = 0 // of the last row read
        const accountZone =
          options.timezone === undefined
            ? accountZones(ctx, options.account ?? DEFAULT_ACCOUNT)
            : undefined
        const parseOptions = { timezone, fileName: file, accountZone, dateOrder: options.dateOrder }
        for (const item of parseRows(parseOptions)) {
          if (isParseWarning(item)) {
            result.warnings.push(item.warning)
            continue
          }
          rows += 1
          line = item.line
          if (options.onProgress && rows % PROGRESS_EVERY === 0) {
            options.onProgress({ rowsParsed: line, fillsWritten: result.fills, phase: 'reading' })
          }
          if (isRowError(item)) {
            result.errors.push(item)
            continue
          }
          // After an error nothing more is written, but parsing goes on to find every error.
          if (result.errors.length > 0 && !options.skipInvalid) continue
          // A value the parser let through but the journal's CHECKs refuse is that row's error,
          // not a crash: the file is then rejected like any other with a bad row.
          try {
            const account = writer.account(item.account ?? options.account ?? DEFAULT_ACCOUNT, {
              broker: format.id,
              baseCurrency,
              timezone,
            })
            const instrument = instruments.of(
              item.instrument,
              item.currency ?? account.baseCurrency,
            )
            const content = item.brokerExecutionId
              ? null
              : contentOf(account.name, instrument.identityKey, item, decimals)
            const added = writer.fill({
              accountId: account.id,
              instrumentId: instrument.id,
              side: item.side,
              quantity: item.quantity,
              price: item.price,
              fee: item.fee,
              currency: item.currency ?? account.baseCurrency,
              executedAt: item.executedAt,
              sourceTimezone: item.sourceTimezone,
              brokerExecutionId: item.brokerExecutionId,
              brokerOrderId: item.brokerOrderId,
              content,
              // Keyed at another instant by older parser versions: re-imports find it there too.
              legacy:
                content === null || item.legacyExecutedAt === undefined
                  ? undefined
                  : {
                      executedAt: item.legacyExecutedAt,
                      content: contentOf(
                        account.name,
                        instrument.identityKey,
                        { ...item, executedAt: item.legacyExecutedAt },
                        decimals,
                      ),
                    },
              isDerived: item.isDerived,
              importBatchId: batchId,
              sourceLine: item.line,
              rawSource: item.raw,
              note: item.note,
            })
            if (added) {
              result.fills += 1
              const pair = `${account.id}/${instrument.id}`
              const from = pairs.get(pair)?.[2]
              if (from === undefined || item.executedAt < from) {
                pairs.set(pair, [account.id, instrument.id, item.executedAt])
              }
              const start = starts.get(account.id)
              if (start === undefined || item.executedAt < start) {
                starts.set(account.id, item.executedAt)
              }
              if (item.brokerPnl) {
                brokerDays.add(
                  account,
                  instrument.id,
                  item.instrument.symbol,
                  item.executedAt,
                  item.brokerPnl,
                )
              }
            } else result.duplicates += 1
          } catch (error) {
            if (
              !(error instanceof Database.SqliteError) ||
              !error.code.startsWith('SQLITE_CONSTRAINT')
            ) {
              throw error
            }
            result.errors.push({
              line: item.line,
              column: null,
              message: `The journal refused this row: ${error.message}`,
            })
          }
        }
        if (result.errors.length > 0 && !options.skipInvalid) throw new Rollback()
        for (const [accountId, instrumentId, from] of pairs.values()) {
          result.trades += rebuildPositions(ctx.journal.sqlite, accountId, instrumentId, from)
          options.onProgress?.({
            rowsParsed: line,
            fillsWritten: result.fills,
            phase: 'rebuilding',
          })
        }
        afterPositionsChanged(ctx.journal.sqlite, starts)
        result.reconciliation = brokerDays.differences(ctx, result.warnings)
        finishBatch(ctx, batchId, rows, result)
        result.batchId = batchId
        if (options.dryRun) throw new Rollback()
        result.status = 'imported'
      })
      .immediate()
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
  } finally {
    ctx.journal.sqlite.pragma(`cache_size = ${cacheSize}`)
  }
  if (options.dryRun) {
    result.status = 'dry-run'
    result.batchId = null
  }
  if (result.errors.length > 0 && !options.skipInvalid) {
    // Nothing was (or would be) written: the file is rejected whole.
    if (!options.dryRun) result.status = 'rejected'
    result.batchId = null
    result.fills = 0
    result.trades = 0
  }
  dedupeWarnings(result)
  return result
}

/**
 * The file's format (given, or detected from the whole text) and its rows. A format that reads
 * pieces gets the text decoded as it goes, so a large file is never held decoded whole.
 */
function formatAndRows(
  bytes: Uint8Array,
  wanted: ImportOptions['format'],
): {
  format: ImportFormat | undefined
  encoding: TextEncoding
  rows: (options: ParseOptions) => Iterable<ParseItem>
} {
  const given =
    typeof wanted !== 'string' ? wanted : wanted === 'auto' ? undefined : formatById(wanted)
  if (wanted !== 'auto' && given?.parseChunks) {
    const parse = given.parseChunks.bind(given)
    return {
      format: given,
      encoding: decodeFileChunks(bytes).encoding,
      rows: chunkRows(parse, bytes),
    }
  }
  const { text, encoding } = decodeFile(bytes)
  const format = wanted === 'auto' ? detectFormat(text) : given
  if (!format) return { format, encoding, rows: () => [] }
  // Built apart so that the chunked reader's closure does not keep `text` alive.
  return {
    format,
    encoding,
    rows: format.parseChunks
      ? chunkRows(format.parseChunks.bind(format), bytes)
      : textRows(format, text),
  }
}

function chunkRows(parse: NonNullable<ImportFormat['parseChunks']>, bytes: Uint8Array) {
  return (options: ParseOptions) => parse(decodeFileChunks(bytes).chunks, options)
}

function textRows(format: ImportFormat, text: string) {
  return (options: ParseOptions) => format.parse(text, options)
}

function insertBatch(ctx: ServiceContext, file: string, sha256: string, format: ImportFormat) {
  const id = uuidv7()
  ctx.journal.sqlite
    .prepare(
      `INSERT INTO import_batches (id, file_name, sha256, format, parser_version, status)
       VALUES (?, ?, ?, ?, ?, 'pending')`,
    )
    .run(id, file, sha256, format.id, format.parserVersion)
  return id
}

function finishBatch(ctx: ServiceContext, batchId: string, rows: number, result: FileImportResult) {
  ctx.journal.sqlite
    .prepare(
      `UPDATE import_batches SET row_count = ?, fill_count = ?, duplicate_count = ?,
         error_count = ?, errors = ?, status = 'imported', finished_at = ? WHERE id = ?`,
    )
    .run(
      rows,
      result.fills,
      result.duplicates,
      result.errors.length,
      result.errors.length > 0 ? JSON.stringify(result.errors) : null,
      Date.now(),
      batchId,
    )
}

/**
 * The multiplier: the file's, else 100 for options, else the futures table by root. A future
 * whose root is in no table, or a CFD whose contract size the file does not state, gets 1 and is
 * flagged, so its P&L is marked incomplete until the trader sets it.
 */
export function newInstrument(
  spec: InstrumentSpec,
  currency: string,
  userFutures: Record<string, FuturesPointValue>,
): NewInstrument {
  const fromTable =
    spec.assetClass === 'future' && spec.underlying
      ? (futuresSpec(spec.underlying, userFutures)?.multiplier ?? null)
      : spec.assetClass === 'cfd'
        ? (userFutures[spec.symbol]?.multiplier ?? null)
        : null
  const known = spec.multiplier ?? (spec.assetClass === 'option' ? fromInteger(100) : fromTable)
  const mustBeStated = spec.assetClass === 'future' || spec.assetClass === 'cfd'
  return {
    symbol: spec.symbol,
    assetClass: spec.assetClass,
    exchange: spec.exchange,
    expiry: spec.expiry,
    strike: spec.strike,
    putCall: spec.putCall,
    underlying: spec.underlying,
    multiplier: known ?? fromInteger(1),
    multiplierKnown: known !== null || !mustBeStated,
    quoteCurrency: currency,
  }
}

/**
 * The instrument row of each fill, worked out once per spec object and currency: a parser that
 * hands out one spec object per instrument (the Blotter CSV does) saves the futures table
 * look-up, the identity key and the warning for every fill but the first.
 */
class ImportInstruments {
  /** The last currency each spec was resolved in, and its instrument. */
  private readonly bySpec = new WeakMap<
    InstrumentSpec,
    { currency: string; instrument: InstrumentRef }
  >()

  constructor(
    private readonly writer: FillWriter,
    private readonly userFutures: Record<string, FuturesPointValue>,
    private readonly warnings: string[],
  ) {}

  of(spec: InstrumentSpec, currency: string): InstrumentRef {
    const known = this.bySpec.get(spec)
    if (known?.currency === currency) return known.instrument
    const full = newInstrument(spec, currency, this.userFutures)
    if (!full.multiplierKnown) {
      this.warnings.push(
        `No multiplier known for ${full.symbol}: its fills are kept and its P&L is marked incomplete until you set one (blotter instruments set)`,
      )
    }
    const instrument = this.writer.instrument(full)
    this.bySpec.set(spec, { currency, instrument })
    return instrument
  }
}

/** formatDecimal with a memory: the quantities, prices and fees of a file repeat. */
class DecimalTexts {
  private readonly texts = new Map<bigint, string>()

  of(value: bigint): string {
    let text = this.texts.get(value)
    if (text === undefined) {
      if (this.texts.size === 65_536) this.texts.clear()
      text = formatDecimal(value)
      this.texts.set(value, text)
    }
    return text
  }
}

/**
 * The zone each existing account keeps its naive times in, by the name a row gives (or the
 * import's account): Blotter CSV's default when no --tz is given. Asked once per name.
 */
function accountZones(
  ctx: ServiceContext,
  defaultAccount: string,
): (account: string | null) => string | undefined {
  const find = ctx.journal.sqlite
    .prepare(
      `SELECT timezone FROM accounts WHERE deleted_at IS NULL AND (name = ? OR broker_account_ref = ?)
       ORDER BY created_at LIMIT 1`,
    )
    .pluck()
  const zones = new Map<string, string | undefined>()
  return (account) => {
    const name = account ?? defaultAccount
    if (!zones.has(name)) {
      const zone = find.get(name, name) as string | undefined
      zones.set(name, zone !== undefined && isTimeZone(zone) ? zone : undefined)
    }
    return zones.get(name)
  }
}

/**
 * What identifies a fill without a broker id (db/queries/fills.ts turns it into content keys,
 * counting identical fills of one file).
 */
function contentOf(
  account: string,
  identityKey: string,
  fill: { side: string; quantity: bigint; price: bigint; fee: bigint; executedAt: number },
  decimals: DecimalTexts,
): string {
  return `${account}|${identityKey}|${fill.side}|${decimals.of(fill.quantity)}|${decimals.of(fill.price)}|${decimals.of(fill.fee)}|${fill.executedAt}`
}

function dedupeWarnings(result: FileImportResult): void {
  result.warnings = [...new Set(result.warnings)]
}

/** Half a cent: how far the broker's rounding may put its figure from the exact one. */
const HALF_CENT = 500_000n

/**
 * The broker's realized P&L per (account, instrument, day), to compare with the round trips
 * Blotter closed that day once the import has rebuilt them.
 *
 * A figure in another currency than the fills' (MetaTrader's and cTrader's deposit currency) is
 * converted into theirs at its exact rate, the deal's own price (USD × 150.1 for USDJPY): the
 * product is exact, and since the broker rounded its figure to the cent, a day differs only
 * when the two are more than half a cent per figure, at that rate, apart. A figure the file
 * gives no exact rate for (a cross pair) leaves its day uncompared, and a warning says so.
 */
class BrokerDays {
  private readonly days = new Map<
    string,
    {
      account: string
      accountId: string
      instrumentId: string
      symbol: string
      date: string
      basis: 'net' | 'gross'
      /** In the fills' currency. */
      amount: bigint
      /** How far apart the figures may be: the broker's rounding, converted. */
      slack: bigint
      /** The broker's currency when its figures were converted, or could not be. */
      converted: string | null
      uncompared: string | null
    }
  >()

  constructor(private readonly zone: string) {}

  add(
    account: { id: string; name: string },
    instrumentId: string,
    symbol: string,
    executedAt: number,
    pnl: BrokerPnl,
  ): void {
    const date = calendarDate(executedAt, this.zone)
    const basis = pnl.net ? 'net' : 'gross'
    const key = `${account.id}/${instrumentId}/${date}/${basis}`
    const day = this.days.get(key) ?? {
      account: account.name,
      accountId: account.id,
      instrumentId,
      symbol,
      date,
      basis,
      amount: 0n,
      slack: 0n,
      converted: null,
      uncompared: null,
    }
    const conversion = pnl.conversion
    if (!conversion) {
      day.amount += pnl.amount
    } else if (conversion.rate === null) {
      day.uncompared = conversion.currency
    } else {
      day.amount += multiply(pnl.amount, conversion.rate)
      day.slack += multiply(HALF_CENT, conversion.rate)
      day.converted = conversion.currency
    }
    this.days.set(key, day)
  }

  /** The days that differ; `warnings` gets what the reader needs to know about the others. */
  differences(ctx: ServiceContext, warnings: string[]): Reconciliation[] {
    const ours = ctx.journal.sqlite.prepare(
      `SELECT coalesce(sum(net_pnl), 0) AS net, coalesce(sum(gross_pnl), 0) AS gross
       FROM positions WHERE account_id = ? AND instrument_id = ? AND status = 'closed'
         AND deleted_at IS NULL AND closed_at >= ? AND closed_at < ?`,
    )
    const found: Reconciliation[] = []
    // Per (account, symbol, broker currency): the days left uncompared, and those converted.
    const uncompared = new Map<string, string[]>()
    const converted = new Set<string>()
    for (const day of this.days.values()) {
      const about = `${day.symbol} (account ${day.account})`
      if (day.uncompared !== null) {
        const key = `${about}: the broker's P&L is in ${day.uncompared}`
        uncompared.set(key, [...(uncompared.get(key) ?? []), day.date])
        continue
      }
      const [year, month, dayOfMonth] = day.date.split('-').map(Number) as [number, number, number]
      const start = zonedToUtc({ year, month, day: dayOfMonth }, this.zone)
      const next = new Date(Date.UTC(year, month - 1, dayOfMonth + 1))
      const end = zonedToUtc(
        { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() },
        this.zone,
      )
      const sums = ours.get(day.accountId, day.instrumentId, start, end) as {
        net: bigint
        gross: bigint
      }
      const blotter = day.basis === 'net' ? sums.net : sums.gross
      const difference = blotter - day.amount
      if (difference > day.slack || -difference > day.slack) {
        found.push({
          account: day.account,
          symbol: day.symbol,
          date: day.date,
          basis: day.basis,
          broker: formatDecimal(day.amount),
          blotter: formatDecimal(blotter),
          difference: formatDecimal(difference),
        })
        if (day.converted !== null) {
          converted.add(
            `${about}: the broker's P&L is in ${day.converted}; its differences show it converted into the fills' currency at each closing deal's price`,
          )
        }
      }
    }
    for (const [what, dates] of uncompared) {
      const shown = dates.length > 5 ? `${dates.slice(0, 5).join(', ')}…` : dates.join(', ')
      warnings.push(
        `${what}, and the file has no exact rate into the fills' currency, so ${dates.length} ${dates.length === 1 ? 'day was' : 'days were'} not compared with Blotter's: ${shown}`,
      )
    }
    warnings.push(...converted)
    return found
  }
}
