/**
 * The journal's part of the contract: trades, imports, formats. Amounts cross as decimal
 * strings, times as ISO 8601 UTC; lists that can grow without bound are paged by keyset.
 */
import { z } from 'zod'

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

export interface FormatView {
  id: string
  label: string
  defaultTimezone: string
}

const isoInstant = z.iso.datetime({ offset: true })

export const journalInputSchemas = {
  'trades.list': z
    .object({
      account: z.string().min(1).optional(),
      symbol: z.string().min(1).optional(),
      status: z.enum(['open', 'closed']).optional(),
      from: isoInstant.optional(),
      to: isoInstant.optional(),
      after: z
        .object({ openedAt: isoInstant, id: z.string().min(1) })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'imports.list': z.object({}).strict(),
  'import.files': z
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
      account: z.string().min(1).optional(),
      timezone: z.string().min(1).optional(),
      dryRun: z.boolean().default(false),
      skipInvalid: z.boolean().default(false),
    })
    .strict(),
  'import.undo': z.object({ batchId: z.string().min(1) }).strict(),
  'formats.list': z.object({}).strict(),
}

export interface JournalMethodResults {
  'trades.list': TradePage
  'imports.list': BatchView[]
  'import.files': { files: ImportResultView[] }
  'import.undo': { batchId: string; fills: number; trades: number }
  'formats.list': FormatView[]
}
