/**
 * What every broker format produces: fills in one normalised shape, and row errors that say
 * where (1-based line, header name) and why. Formats know nothing about the database.
 */
import type { Fixed8 } from '../core/decimal'
import type { Side } from '../core/engine'
import type { AssetClass } from '../db/schema'

/** An instrument as a file describes it; the import service finds or creates its row. */
export interface InstrumentSpec {
  symbol: string
  assetClass: AssetClass
  exchange: string | null
  /** Contract multiplier when the file states it; null: options 100, futures from the table. */
  multiplier: Fixed8 | null
  expiry: string | null
  strike: Fixed8 | null
  putCall: 'put' | 'call' | null
  underlying: string | null
}

export interface ParsedFill {
  /** 1-based line of the file where the record starts. */
  line: number
  /** The record as it stood in the file. */
  raw: string
  /** Account named by the file; null: the --account option, else "default". */
  account: string | null
  instrument: InstrumentSpec
  side: Side
  quantity: Fixed8
  price: Fixed8
  fee: Fixed8
  /** ISO currency; null: the account's. */
  currency: string | null
  executedAt: number
  /**
   * Date-only rows: where the parser versions before noon placement put this fill (midnight of
   * its date, plus the same ms for file order). Journals imported then hold the fill's content
   * key at this instant, so a re-import recognises it there too.
   */
  legacyExecutedAt?: number
  /** Zone the time was read in ('UTC' when the text carried an explicit offset). */
  sourceTimezone: string
  brokerExecutionId: string | null
  brokerOrderId: string | null
  /** Synthesised from a trade-level row (no real fill behind it). */
  isDerived: boolean
  note: string | null
  /**
   * The broker's own realized P&L for what this (closing) fill closed, where the export reports
   * one; the import compares it with Blotter's figure per day and reports every difference.
   * `net`: whether the broker's figure is after fees.
   */
  brokerPnl?: BrokerPnl | null
}

export interface BrokerPnl {
  amount: Fixed8
  net: boolean
  /**
   * Set when `amount` is in another currency than the fill's (MetaTrader's and cTrader's
   * deposit currency): `rate` is how many units of the fill's currency one unit of `currency`
   * is worth, exact (the deal's own price for USDJPY in a USD account); null when the file has
   * no exact rate, and the import then does not compare that day.
   */
  conversion?: { currency: string; rate: Fixed8 | null }
}

/** Something the trader should know about the file as a whole: the import lists it. */
export interface ParseWarning {
  warning: string
}

/** What a format's parse yields. */
export type ParseItem = ParsedFill | RowError | ParseWarning

export interface RowError {
  line: number
  /** Header name of the offending column; null when the whole row or file is at fault. */
  column: string | null
  message: string
}

export interface ParseOptions {
  /** Zone for times without an offset (--tz, else the format's default). */
  timezone: string
  /**
   * Without --tz, the zone an existing account keeps its naive times in (undefined: none such).
   * Only a format whose rows name their account and whose default zone is no broker's own
   * (Blotter CSV) asks it.
   */
  accountZone?: (account: string | null) => string | undefined
  /** Base name of the file (DAS keeps the date only in the file name). */
  fileName: string
  /**
   * --date-order: how to read dates a file could read either way round (NinjaTrader's follow
   * the Windows culture). Undefined: the format decides, and warns when it had to assume.
   */
  dateOrder?: DateOrder
}

/** Day, month, year (en-GB, most of Europe) or month, day, year (en-US). */
export type DateOrder = 'dmy' | 'mdy'

/** One broker format. `parse` yields fills and errors in file order, and any file warnings. */
export interface ImportFormat {
  id: string
  label: string
  parserVersion: string
  /** Zone the broker writes naive times in (docs/importers.md). */
  defaultTimezone: string
  /** How well `text` looks like this format: 0 (not at all) to 1 (certain). */
  detect(text: string): number
  parse(text: string, options: ParseOptions): Iterable<ParseItem>
  /**
   * `parse` from the text in pieces, for formats that read their rows one at a time: the import
   * then never holds the decoded file whole.
   */
  parseChunks?(chunks: Iterable<string>, options: ParseOptions): Iterable<ParseItem>
}

export function isRowError(item: ParseItem): item is RowError {
  return 'message' in item
}

export function isParseWarning(item: ParseItem): item is ParseWarning {
  return 'warning' in item
}
