/**
 * A strategy's signals CSV (docs/strategies.md): a header row with `time`, `symbol`,
 * `direction` (long, short or exit) and optionally `price`, `strength` and `asset_class`; every
 * other column is kept in the signal's metadata. Header names are matched loosely
 * (sniff.ts columnKey: `Entry Time` = `entry_time`). Numbers and times are read as in candle
 * files (cells.ts): broker-style numbers, a detected decimal comma, epoch or text times.
 */
import type { Fixed8 } from '../core/decimal'
import { ASSET_CLASSES, type AssetClass } from '../db/schema'
import { detectCellFormats, RowCells, sampleRows } from './cells'
import { columnKey, findColumnTable, type ColumnAliases } from './sniff'
import type { RowError } from './types'

export const SIGNAL_DIRECTIONS = ['long', 'short', 'exit'] as const
export type SignalDirection = (typeof SIGNAL_DIRECTIONS)[number]

export interface ParsedSignal {
  line: number
  /** As written, upper-cased. */
  symbol: string
  /** The file's asset_class, for a symbol that names instruments of several classes. */
  assetClass: AssetClass | null
  signalAt: number
  direction: SignalDirection
  price: Fixed8 | null
  strength: Fixed8 | null
  /** The file's other columns by header name (empty cells left out); null when none. */
  metadata: Record<string, string> | null
}

const SIGNAL_COLUMNS = {
  time: ['time'],
  symbol: ['symbol'],
  direction: ['direction'],
  price: ['price'],
  strength: ['strength'],
  asset_class: ['assetclass'],
} as const satisfies ColumnAliases<string>
type SignalColumn = keyof typeof SIGNAL_COLUMNS

const REQUIRED = ['time', 'symbol', 'direction'] as const
const KNOWN_KEYS = new Set<string>(Object.values(SIGNAL_COLUMNS).flat())

export const isError = (value: unknown): value is RowError =>
  typeof value === 'object' && value !== null && 'message' in value

/** Every signal of the file and every row error, in file order. */
export function* readSignals(
  text: string,
  options: { timezone: string },
): Generator<ParsedSignal | RowError, void> {
  const table = findColumnTable(text, SIGNAL_COLUMNS, REQUIRED)
  if (!table) {
    yield {
      line: 1,
      column: null,
      message: `No header row with the columns ${REQUIRED.join(', ')} in the first 30 lines`,
    }
    return
  }
  const { header, columns } = table
  // Other columns, by the header's name as written; a repeated name keeps its first column.
  const extra = new Map<string, number>()
  header.fields.forEach((field, index) => {
    const name = field.trim()
    const key = columnKey(name)
    if (key !== '' && !KNOWN_KEYS.has(key) && !extra.has(name)) extra.set(name, index)
  })
  const { sample, all } = sampleRows(table.rows)
  const formats = detectCellFormats<SignalColumn>(
    sample,
    columns,
    { numbers: ['price', 'strength'], times: ['time'] },
    options.timezone,
  )
  for (const record of all) {
    const line = record.line
    if (record.error) {
      yield { line, column: null, message: record.error }
      continue
    }
    const row = new RowCells(record, columns, formats)
    const signalAt = row.time('time')
    const symbol = row.text('symbol').toUpperCase()
    if (symbol === '') row.reject('symbol', 'symbol is empty')
    const directionText = row.text('direction').toLowerCase()
    const direction = SIGNAL_DIRECTIONS.find((known) => known === directionText) ?? null
    if (direction === null) {
      row.reject('direction', `direction "${row.text('direction')}" must be long, short or exit`)
    }
    const assetClassText = row.text('asset_class').toLowerCase()
    const assetClass =
      assetClassText === ''
        ? null
        : (ASSET_CLASSES.find((known) => known === assetClassText) ??
          row.reject(
            'asset_class',
            `asset_class "${row.text('asset_class')}" must be one of ${ASSET_CLASSES.join(', ')}`,
          ))
    const price = row.optionalNumber('price', { test: (v) => v >= 0n, says: '0 or more' })
    const strength = row.optionalNumber('strength')
    if (row.errors.length > 0 || signalAt === null || direction === null) {
      yield* row.errors
      continue
    }
    const metadata: Record<string, string> = {}
    for (const [name, index] of extra) {
      const value = (record.fields[index] ?? '').trim()
      if (value !== '') metadata[name] = value
    }
    yield {
      line,
      symbol,
      assetClass,
      signalAt,
      direction,
      price,
      strength,
      metadata: Object.keys(metadata).length > 0 ? metadata : null,
    }
  }
}
