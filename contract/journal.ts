/**
 * The journal's part of the contract: trades, imports, formats. Amounts cross as decimal
 * strings, times as ISO 8601 UTC; lists that can grow without bound are paged by keyset.
 */
import { z } from 'zod'
import { dateOrInstant } from './stats'

export interface TradeView {
  id: string
  account: string
  symbol: string
  assetClass: string
  side: 'long' | 'short'
  status: 'open' | 'closed'
  openedAt: string
  closedAt: string | null
  quantity: string
  entryPrice: string
  exitPrice: string | null
  multiplier: string
  grossPnl: string | null
  fees: string
  netPnl: string | null
  realizedPnl: string
  pnlComplete: boolean
  fills: number
  /**
   * Open trades only (null otherwise, and when the instrument has no candles): the close of the
   * latest stored candle, the open time of that candle, and the unrealized P&L at that price of
   * the lots still open (docs/metrics.md, "Unrealized P&L").
   */
  markPrice: string | null
  markedAt: string | null
  unrealizedPnl: string | null
}

/** Where the next page starts: the last row of this one, in (openedAt, id) order. */
export interface TradeCursor {
  openedAt: string
  id: string
}

export interface TradePage {
  rows: TradeView[]
  next: TradeCursor | null
}

export interface BatchView {
  id: string
  file: string
  sha256: string
  format: string
  parserVersion: string
  status: string
  rows: number
  fills: number
  duplicates: number
  errors: number
  importedAt: string
}

export interface RowErrorView {
  line: number
  column: string | null
  message: string
}

export interface ImportResultView {
  file: string
  format: string | null
  status: 'imported' | 'rejected' | 'dry-run'
  batchId: string | null
  fills: number
  duplicates: number
  trades: number
  warnings: string[]
  errors: RowErrorView[]
  reconciliation: {
    account: string
    symbol: string
    date: string
    basis: 'net' | 'gross'
    broker: string
    blotter: string
    difference: string
  }[]
}

/** A running or finished import job (import.start), polled with import.status. */
export interface ImportJobView {
  jobId: string
  state: 'running' | 'done' | 'failed'
  /** Files of the job, and the 0-based index of the one being read. */
  files: number
  fileIndex: number
  file: string | null
  /** Data rows read so far of the current file, and its line count (for a progress bar). */
  rowsParsed: number
  totalRows: number
  /** Fills written so far by the job (all files). */
  fillsWritten: number
  /** Per-file results, once done. */
  results: ImportResultView[] | null
  /** Why the job failed (not a rejected file: that is a result). */
  error: string | null
}

/** What the mapping editor needs to know of a file no built-in format reads. */
export interface FileInspection {
  /** The format auto-detection picked, null when none. */
  detected: string | null
  /** 1-based line of the header row, its cells, and up to 5 data rows. */
  headerLine: number
  headers: string[]
  samples: string[][]
}

export interface ImportTemplateView {
  name: string
  mapping: Record<string, unknown>
}

/** A broker account of the journal. */
export interface AccountView {
  id: string
  name: string
  broker: string
  baseCurrency: string
  timezone: string
  startingBalance: string
  lotMatching: 'fifo' | 'lifo' | 'average'
  archived: boolean
}

export interface FormatView {
  id: string
  label: string
  defaultTimezone: string
}

const isoInstant = z.iso.datetime({ offset: true })

/** Files to import and how: what import.files runs at once and import.start runs as a job. */
const importRequest = z
  .object({
    files: z
      .array(
        z
          .object({
            name: z.string().min(1).max(255),
            /** The file's bytes, base64. */
            content: z.base64(),
          })
          .strict(),
      )
      .min(1)
      .max(50),
    format: z.string().min(1).default('auto'),
    /** A column mapping for format 'generic' (validated by the service: see docs/importers.md). */
    mapping: z.record(z.string(), z.unknown()).optional(),
    /** A saved mapping's name, for format 'generic'. */
    template: z.string().min(1).max(64).optional(),
    account: z.string().min(1).optional(),
    timezone: z.string().min(1).optional(),
    /** Dates a file could read either way round: day-month-year or month-day-year. */
    dateOrder: z.enum(['dmy', 'mdy']).optional(),
    dryRun: z.boolean().default(false),
    skipInvalid: z.boolean().default(false),
  })
  .strict()
  .refine((request) => request.mapping === undefined || request.template === undefined, {
    message: 'give either a mapping or a template, not both',
  })

export const journalInputSchemas = {
  'trades.list': z
    .object({
      account: z.string().min(1).optional(),
      symbol: z.string().min(1).optional(),
      status: z.enum(['open', 'closed']).optional(),
      /** Opened on or after (a date: that day's start in the journal's zone). */
      from: dateOrInstant.optional(),
      /** Opened before this instant, or on or before this date. */
      to: dateOrInstant.optional(),
      /** Order by (openedAt, id) descending; `after` then continues towards older trades. */
      newestFirst: z.boolean().default(false),
      after: z
        .object({ openedAt: isoInstant, id: z.string().min(1) })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'imports.list': z.object({}).strict(),
  'accounts.list': z.object({}).strict(),
  'import.files': importRequest,
  'import.start': importRequest,
  'import.status': z.object({ jobId: z.string().min(1) }).strict(),
  'import.inspect': z.object({ name: z.string().min(1).max(255), content: z.base64() }).strict(),
  'importTemplates.list': z.object({}).strict(),
  'importTemplates.save': z
    .object({ name: z.string().min(1).max(64), mapping: z.record(z.string(), z.unknown()) })
    .strict(),
  'import.undo': z.object({ batchId: z.string().min(1) }).strict(),
  'formats.list': z.object({}).strict(),
}

export interface JournalMethodResults {
  'trades.list': TradePage
  'imports.list': BatchView[]
  'accounts.list': AccountView[]
  'import.files': { files: ImportResultView[] }
  'import.start': { jobId: string }
  'import.status': ImportJobView
  'import.inspect': FileInspection
  'importTemplates.list': ImportTemplateView[]
  'importTemplates.save': { name: string; replaced: boolean }
  'import.undo': { batchId: string; fills: number; trades: number }
  'formats.list': FormatView[]
}
