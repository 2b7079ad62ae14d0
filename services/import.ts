/**
 * Importing a broker file: all or nothing, no duplicates, undoable.
 *
 * One file = one transaction = one import batch. Every row is parsed even after the first bad
 * one, so the result lists every error; then a file with errors rolls back whole (unless
 * skipInvalid), and a dry run rolls back whatever happened. Duplicates are left to the unique
 * indexes (broker execution id, else content key, per account) via ON CONFLICT DO NOTHING.
 */
import { createHash, hash } from 'node:crypto'
import { basename } from 'node:path'
import Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import { formatDecimal, fromInteger } from '../core/decimal'
import { futuresSpec, type FuturesPointValue } from '../core/instruments/futures'
import { isTimeZone } from '../core/time'
import { calendarDate, zonedToUtc } from '../core/time-parse'
import { FillWriter, type NewInstrument } from '../db/queries/fills'
import { rebuildPositions } from '../db/queries/positions'
import { detectFormat, formatById } from '../importers'
import { decodeFile } from '../importers/sniff'
import {
  isRowError,
  type ImportFormat,
  type InstrumentSpec,
  type RowError,
} from '../importers/types'
import type { ServiceContext } from './context'
import { userFuturesTable } from './instruments'
import { settingValue } from './settings'

export interface ImportOptions {
  /** A format id, 'auto' to detect it, or the format itself. */
  format: string | ImportFormat
  account?: string
  timezone?: string
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

  const decoded = decodeFile(bytes)
  const text = decoded.text
  if (decoded.encoding === 'windows-1252') {
    result.warnings.push('The file is not valid UTF-8; it was read as Windows-1252')
  }
  const format =
    typeof options.format !== 'string'
      ? options.format
      : options.format === 'auto'
        ? detectFormat(text)
        : formatById(options.format)
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
  try {
    ctx.journal.sqlite
      .transaction(() => {
        const batchId = insertBatch(ctx, file, sha256, format)
        const writer = new FillWriter(ctx.journal.sqlite)
        const occurrences = new Map<string, number>()
        const pairs = new Map<string, [string, string]>()
        const brokerDays = new BrokerDays(settingValue(ctx, 'journal.timezone'))
        let rows = 0
        for (const item of format.parse(text, { timezone, fileName: file })) {
          rows += 1
          if (options.onProgress && rows % PROGRESS_EVERY === 0) {
            options.onProgress({ rowsParsed: item.line, fillsWritten: result.fills })
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
            const spec = newInstrument(
              item.instrument,
              item.currency ?? account.baseCurrency,
              userFutures,
            )
            if (!spec.multiplierKnown) {
              result.warnings.push(
                `No multiplier known for ${spec.symbol}: its fills are kept and its P&L is marked incomplete until you set one (blotter instruments set)`,
              )
            }
            const instrument = writer.instrument(spec)
            const contentKey = item.brokerExecutionId
              ? null
              : contentKeyOf(occurrences, account.name, instrument.identityKey, item)
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
              contentKey,
              isDerived: item.isDerived,
              importBatchId: batchId,
              sourceLine: item.line,
              rawSource: item.raw,
              note: item.note,
            })
            if (added) {
              result.fills += 1
              pairs.set(`${account.id}/${instrument.id}`, [account.id, instrument.id])
              if (item.brokerPnl) {
                brokerDays.add(account, instrument.id, spec.symbol, item.executedAt, item.brokerPnl)
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
        for (const [accountId, instrumentId] of pairs.values()) {
          result.trades += rebuildPositions(ctx.journal.sqlite, accountId, instrumentId)
        }
        result.reconciliation = brokerDays.differences(ctx)
        finishBatch(ctx, batchId, rows, result)
        result.batchId = batchId
        if (options.dryRun) throw new Rollback()
        result.status = 'imported'
      })
      .immediate()
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
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
function newInstrument(
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
 * Identifies a fill without a broker id: its content, plus how many identical fills came before
 * it in this file. Two genuinely identical fills stay distinct (#0, #1), and the same file
 * imported again produces the same keys.
 *
 * `occurrences` counts by the digest of `content#0` rather than by the content itself, so a
 * file of 10^6 fills keeps 10^6 short strings, not 10^6 whole content strings.
 */
function contentKeyOf(
  occurrences: Map<string, number>,
  account: string,
  identityKey: string,
  fill: { side: string; quantity: bigint; price: bigint; fee: bigint; executedAt: number },
): string {
  const content = `${account}|${identityKey}|${fill.side}|${formatDecimal(fill.quantity)}|${formatDecimal(fill.price)}|${formatDecimal(fill.fee)}|${fill.executedAt}`
  const first = digestOf(content, 0)
  const seen = occurrences.get(first) ?? 0
  occurrences.set(first, seen + 1)
  // Led by the time, so keys arrive in index order and inserts append instead of scattering.
  return `${fill.executedAt.toString(36)}.${seen === 0 ? first : digestOf(content, seen)}`
}

/** 96 bits of SHA-256 (one-shot hash(): half the cost of createHash per fill). */
function digestOf(content: string, occurrence: number): string {
  return hash('sha256', `${content}#${occurrence}`, 'base64url').slice(0, 16)
}

function dedupeWarnings(result: FileImportResult): void {
  result.warnings = [...new Set(result.warnings)]
}

/**
 * The broker's realized P&L per (account, instrument, day), to compare with the round trips
 * Blotter closed that day once the import has rebuilt them.
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
      amount: bigint
    }
  >()

  constructor(private readonly zone: string) {}

  add(
    account: { id: string; name: string },
    instrumentId: string,
    symbol: string,
    executedAt: number,
    pnl: { amount: bigint; net: boolean },
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
    }
    day.amount += pnl.amount
    this.days.set(key, day)
  }

  differences(ctx: ServiceContext): Reconciliation[] {
    const ours = ctx.journal.sqlite.prepare(
      `SELECT coalesce(sum(net_pnl), 0) AS net, coalesce(sum(gross_pnl), 0) AS gross
       FROM positions WHERE account_id = ? AND instrument_id = ? AND status = 'closed'
         AND deleted_at IS NULL AND closed_at >= ? AND closed_at < ?`,
    )
    const found: Reconciliation[] = []
    for (const day of this.days.values()) {
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
      if (blotter !== day.amount) {
        found.push({
          account: day.account,
          symbol: day.symbol,
          date: day.date,
          basis: day.basis,
          broker: formatDecimal(day.amount),
          blotter: formatDecimal(blotter),
          difference: formatDecimal(blotter - day.amount),
        })
      }
    }
    return found
  }
}
