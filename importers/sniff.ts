/**
 * What every broker format needs before it can read a row: bytes to text, the delimiter, CSV
 * records with the file line each starts on, the header row below any preamble, and the
 * sections of multi-section files (brokers.md §1, §4 items 1–2).
 * See docs/decisions/0008-file-sniffing-and-times.md.
 */
import { Buffer, isUtf8 } from 'node:buffer'
import Papa from 'papaparse'

// ---------------------------------------------------------------------------------------------
// Bytes to text

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

export interface DecodedFile {
  /** The text without its byte order mark. */
  text: string
  encoding: TextEncoding
  hadBom: boolean
}

/** Bytes 0x80–0x9F of windows-1252; Node 20's TextDecoder reads them as Latin-1 controls. */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178'

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c)
}

/**
 * UTF-16 without a BOM, recognised by ASCII text's NUL bytes: every other byte is 0 (the high
 * byte of each code unit). Looks at the first 4 KiB.
 */
function utf16ByNulPattern(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.min(bytes.length, 4096) >> 1
  let little = 0
  let big = 0
  for (let i = 0; i < pairs * 2; i += 2) {
    const first = bytes[i]
    const second = bytes[i + 1]
    if (first !== 0 && second === 0) little++
    else if (first === 0 && second !== 0) big++
  }
  if (pairs > 0 && little > pairs / 2) return 'utf-16le'
  if (pairs > 0 && big > pairs / 2) return 'utf-16be'
  return undefined
}

/** UTF-8 when the bytes are valid UTF-8, else windows-1252 (what Excel on Windows writes). */
const utf8OrLegacy = (bytes: Uint8Array): TextEncoding => (isUtf8(bytes) ? 'utf-8' : 'windows-1252')

/**
 * A broker file's encoding: a UTF-8 or UTF-16 BOM decides (and `bomLength` bytes are skipped);
 * UTF-16 without one is found by its NUL bytes; otherwise UTF-8, or windows-1252 when the bytes
 * are not valid UTF-8.
 */
function encodingOf(bytes: Uint8Array): {
  encoding: TextEncoding
  hadBom: boolean
  bomLength: number
} {
  const [b0, b1, b2] = bytes
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return { encoding: utf8OrLegacy(bytes.subarray(3)), hadBom: true, bomLength: 3 }
  }
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', hadBom: true, bomLength: 2 }
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', hadBom: true, bomLength: 2 }
  const encoding = utf16ByNulPattern(bytes) ?? utf8OrLegacy(bytes)
  return { encoding, hadBom: false, bomLength: 0 }
}

// UTF-8 keeps a second BOM as text (U+FEFF, trimmed with the header name); UTF-16 drops it.
const decoderFor = (encoding: Exclude<TextEncoding, 'windows-1252'>) =>
  new TextDecoder(encoding, { ignoreBOM: encoding === 'utf-8' })

/** Decodes a broker file whole (see {@link encodingOf} for how the encoding is chosen). */
export function decodeFile(bytes: Uint8Array): DecodedFile {
  const { encoding, hadBom, bomLength } = encodingOf(bytes)
  const body = bytes.subarray(bomLength)
  const text =
    encoding === 'windows-1252' ? decodeWindows1252(body) : decoderFor(encoding).decode(body)
  return { text, encoding, hadBom }
}

export interface DecodedChunks {
  /** The text without its byte order mark, `chunkBytes` bytes at a time. */
  chunks: Iterable<string>
  encoding: TextEncoding
  hadBom: boolean
}

/**
 * {@link decodeFile} in pieces: the same text, never held whole (a 10^6-fill file is 57 MB of
 * text). Each iteration decodes afresh.
 */
export function decodeFileChunks(bytes: Uint8Array, chunkBytes = 1 << 16): DecodedChunks {
  const { encoding, hadBom, bomLength } = encodingOf(bytes)
  const body = bytes.subarray(bomLength)
  function* chunks(): Generator<string, void> {
    if (encoding === 'windows-1252') {
      for (let at = 0; at < body.length; at += chunkBytes) {
        yield decodeWindows1252(body.subarray(at, at + chunkBytes))
      }
      return
    }
    const decoder = decoderFor(encoding)
    for (let at = 0; at < body.length; at += chunkBytes) {
      yield decoder.decode(body.subarray(at, at + chunkBytes), { stream: true })
    }
    yield decoder.decode()
  }
  return { chunks: { [Symbol.iterator]: chunks }, encoding, hadBom }
}

// ---------------------------------------------------------------------------------------------
// Lines and delimiters

export interface Line {
  /** 1-based. */
  line: number
  text: string
}

/**
 * Physical lines (CRLF, LF or a lone CR ends one), up to `limit`. Not CSV records: a quoted
 * field may span lines. For sniffing the top of a file; use {@link csvRecords} for rows.
 */
export function splitLines(text: string, limit = Infinity): Line[] {
  const lines: Line[] = []
  const breaks = /\r\n?|\n/g
  let start = 0
  while (lines.length < limit && start < text.length) {
    const match = breaks.exec(text)
    const end = match ? match.index : text.length
    lines.push({ line: lines.length + 1, text: text.slice(start, end) })
    start = match ? breaks.lastIndex : text.length
  }
  return lines
}

export type Delimiter = ',' | ';' | '\t' | '|'

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|']

/** Fields in one line, not counting delimiters inside double quotes. */
function fieldCount(line: string, delimiter: string): number {
  let count = 1
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    else if (c === delimiter && !quoted) count++
  }
  return count
}

/**
 * The delimiter under which most non-blank sample lines agree on one field count above 1;
 * ties go to the larger count, then to the order `,` `;` tab `|`. A NinjaTrader EU row
 * (`MES JUN26;Sell;1;7200,75;…;0,62 $;…`) has commas too, but their count varies by row while
 * the semicolons' does not. Falls back to `,`.
 */
export function detectDelimiter(sampleLines: readonly string[]): Delimiter {
  let best: Delimiter = ','
  let bestAgreeing = 0
  let bestCount = 0
  for (const delimiter of DELIMITERS) {
    const frequency = new Map<number, number>()
    for (const line of sampleLines) {
      if (line.trim() === '') continue
      const count = fieldCount(line, delimiter)
      if (count > 1) frequency.set(count, (frequency.get(count) ?? 0) + 1)
    }
    for (const [count, agreeing] of frequency) {
      if (agreeing > bestAgreeing || (agreeing === bestAgreeing && count > bestCount)) {
        best = delimiter
        bestAgreeing = agreeing
        bestCount = count
      }
    }
  }
  return best
}

// ---------------------------------------------------------------------------------------------
// CSV records

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number
  /** Cells as written; a line break inside a quoted field comes out as \n. */
  fields: string[]
  /** The record's text (inner line breaks as \n), without its own line break. */
  raw: string
  /** Papaparse's complaint about the record's quoting, if any. */
  error?: string
}

export interface CsvOptions {
  /** Detected from the first 30 lines when omitted. */
  delimiter?: Delimiter
  /** Characters handed to the parser at a time (tests use small ones to cross chunk edges). */
  chunkSize?: number
}

const LF = 10
const CR = 13

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) {
    count++
  }
  return count
}

/** A piece of the text to parse, line breaks already rewritten to LF. */
interface Piece {
  text: string
  last: boolean
}

const lineFeeds = (text: string) => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text)

/** `text` about `size` characters at a time; a CRLF is never cut in two. */
function stringPieces(text: string): (size: number) => Piece {
  let offset = 0
  return (size) => {
    let end = Math.min(text.length, offset + size)
    // Never cut between the CR and LF of a CRLF (a lone CR before it is a break of its own).
    if (end < text.length && text.charCodeAt(end - 1) === CR && text.charCodeAt(end) === LF) end++
    const piece = text.slice(offset, end)
    offset = end
    return { text: lineFeeds(piece), last: offset >= text.length }
  }
}

/** Chunks gathered to at least `size` characters; a CR ending one waits for the next. */
function chunkPieces(chunks: Iterable<string>): (size: number) => Piece {
  const iterator = chunks[Symbol.iterator]()
  let carried = ''
  let done = false
  return (size) => {
    let text = carried
    carried = ''
    while (!done && text.length < size) {
      const next = iterator.next()
      if (next.done) done = true
      else text += next.value
    }
    if (!done && text.charCodeAt(text.length - 1) === CR) {
      carried = '\r'
      text = text.slice(0, -1)
    }
    return { text: lineFeeds(text), last: done }
  }
}

/**
 * CSV records one at a time, in file order, each with the 1-based line it starts on. Memory
 * stays at one chunk of records however long the file; blank lines come out as records too
 * (sections end at them). Papaparse parses; every line break (CRLF, LF, lone CR) is rewritten
 * to LF chunk by chunk first, which keeps line numbers and makes mixed breaks one kind.
 *
 * The text comes whole or in chunks ({@link decodeFileChunks}); from chunks, a delimiter not
 * given is detected in the first 64 KiB.
 *
 * To read a preamble and then the rows, run it twice: records are cheap to re-read, and a
 * `for…of` that breaks out closes the generator.
 */
export function* csvRecords(
  source: string | Iterable<string>,
  options: CsvOptions = {},
): Generator<CsvRecord, void> {
  // 64 KiB: a chunk's records die young. At 1 MiB they outlived scavenges: peak RSS on a 130 MB
  // file was 760 MB, against 360 MB at 64 KiB.
  let chunkSize = options.chunkSize ?? 1 << 16
  const read = typeof source === 'string' ? stringPieces(source) : chunkPieces(source)
  let piece = read(chunkSize)
  const delimiter =
    options.delimiter ??
    detectDelimiter(
      splitLines(typeof source === 'string' ? source : piece.text, 30).map((line) => line.text),
    )
  let batch: { fields: string[]; end: number; error?: string }[] = []
  const parser = new Papa.Parser({
    delimiter,
    newline: '\n',
    // The low-level Parser hands step a one-row array (Papa.parse unwraps it) and the cursor
    // just past the record's line break.
    step: (result: Papa.ParseStepResult<string[][]>) => {
      const error = result.errors.map((e) => e.message).join('; ')
      const fields = result.data[0] ?? []
      batch.push({ fields, end: result.meta.cursor, ...(error ? { error } : {}) })
    },
  })

  let pending = '' // parsed-from text not yet yielded; always starts at a record boundary
  let line = 1
  for (;;) {
    const input = pending + piece.text
    batch = []
    parser.parse(input, 0, !piece.last)

    let start = 0
    for (const row of batch) {
      // Papaparse reports an empty record after a final line break; it is not a line.
      if (row.end === start && start === input.length) break
      const rawEnd = input.charCodeAt(row.end - 1) === LF ? row.end - 1 : row.end
      const record: CsvRecord = { line, fields: row.fields, raw: input.slice(start, rawEnd) }
      if (row.error) record.error = row.error
      yield record
      line += countLineFeeds(input, start, row.end)
      start = row.end
    }
    if (piece.last) return
    pending = input.slice(start)
    // A record longer than a chunk (an unclosed quote): grow, so re-parsing stays linear.
    if (batch.length === 0) chunkSize *= 2
    piece = read(chunkSize)
  }
}

/** All records at once: for small files and tests; importers stream {@link csvRecords}. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvRecord[] {
  return [...csvRecords(text, options)]
}

/** True for an empty line and for a row of empty cells (`,,,,`). */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.fields.every((field) => field.trim() === '')
}

// ---------------------------------------------------------------------------------------------
// Headers

/**
 * Header name → every column index it appears at, in order, so duplicates stay reachable
 * (MT5 Positions has `Time` and `Price` twice: open, then close).
 */
export type HeaderMap = Map<string, number[]>

/** Trimmed (which also drops a BOM), lower case. */
export function normaliseHeaderName(name: string): string {
  return name.trim().toLowerCase()
}

/** The header map of `fields`, from column `from` on (IBKR's first two are section and type). */
export function buildHeaderMap(fields: readonly string[], from = 0): HeaderMap {
  const columns: HeaderMap = new Map()
  for (let i = from; i < fields.length; i++) {
    const name = normaliseHeaderName(fields[i] ?? '')
    if (name === '') continue
    const indices = columns.get(name)
    if (indices) indices.push(i)
    else columns.set(name, [i])
  }
  return columns
}

/** Column index of a header name (any case), or its n-th occurrence (0 = first). */
export function headerIndex(columns: HeaderMap, name: string, occurrence = 0): number | undefined {
  return columns.get(normaliseHeaderName(name))?.[occurrence]
}

export interface HeaderMatch {
  /** Position of the header among the records scanned. */
  index: number
  record: CsvRecord
  /** Which of the signatures matched. */
  signature: number
  columns: HeaderMap
}

/**
 * The first of the first `maxScan` records whose cells include every name of one signature
 * (compared trimmed, BOM-stripped, case-insensitive). Skips preambles (Fidelity, E*TRADE,
 * Coinbase, MT5).
 */
export function findHeaderRow(
  records: Iterable<CsvRecord>,
  signatures: readonly (readonly string[])[],
  maxScan = 30,
): HeaderMatch | undefined {
  const wanted = signatures.map((signature) => signature.map(normaliseHeaderName))
  let index = 0
  for (const record of records) {
    if (index >= maxScan) return undefined
    const columns = buildHeaderMap(record.fields)
    const signature = wanted.findIndex((names) => names.every((name) => columns.has(name)))
    if (signature !== -1) return { index, record, signature, columns }
    index++
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Columns by loose names (candles, market data, signals, backtests)

/**
 * A header cell as loose column names compare it: lower case, letters, digits and '%' only, so
 * case, spaces, `_`, `-`, `/`, `<>` and a BOM do not matter (`<TICKVOL>` → `tickvol`,
 * `Entry Time` and `entry_time` → `entrytime`, `% Out` → `%out`). Trade formats, whose headers
 * are fixed, match by {@link normaliseHeaderName} instead.
 */
export function columnKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9%]/g, '')
}

/** Column → the keys ({@link columnKey}) of the header names it goes by, in order of preference. */
export type ColumnAliases<K extends string> = Readonly<Record<K, readonly string[]>>

/**
 * For each wanted column, the index of the first header cell matching one of its names (the
 * names in order of preference), or -1.
 */
export function findColumns<K extends string>(
  fields: readonly string[],
  aliases: ColumnAliases<K>,
): Record<K, number> {
  const keys = fields.map(columnKey)
  const found = {} as Record<K, number>
  for (const column of Object.keys(aliases) as K[]) {
    found[column] = -1
    for (const alias of aliases[column]) {
      const index = keys.indexOf(alias)
      if (index !== -1) {
        found[column] = index
        break
      }
    }
  }
  return found
}

export interface ColumnTable<K extends string> {
  header: CsvRecord
  /** Index of each column in the header and rows; -1 when the file lacks it. */
  columns: Record<K, number>
  /** The records after the header, blank ones left out: the rest of the same parse, read once. */
  rows: Generator<CsvRecord, void>
}

/**
 * The first of the first `maxScan` records that has every `required` column, and the records
 * after it; undefined when none has them all. The file is parsed once: the rows continue the
 * records the header was found in.
 */
export function findColumnTable<K extends string>(
  source: string | Iterable<string>,
  aliases: ColumnAliases<K>,
  required: readonly NoInfer<K>[],
  maxScan = 30,
): ColumnTable<K> | undefined {
  const records = csvRecords(source)
  for (let scanned = 0; scanned < maxScan; scanned++) {
    const next = records.next()
    if (next.done) return undefined
    const columns = findColumns(next.value.fields, aliases)
    if (required.every((column) => columns[column] !== -1)) {
      return { header: next.value, columns, rows: nonBlankRecords(records) }
    }
  }
  records.return()
  return undefined
}

function* nonBlankRecords(records: Iterator<CsvRecord, void>): Generator<CsvRecord, void> {
  for (let next = records.next(); !next.done; next = records.next()) {
    if (!isBlankRecord(next.value)) yield next.value
  }
}

// ---------------------------------------------------------------------------------------------
// Sections

export interface SectionInfo {
  /** IBKR: column 0 (`Trades`) or the Flex section code (`TRNT`); a title line; else ''. */
  name: string
  /** Flex: the BOS description ("Trades; trade date basis"). */
  title?: string
  /** Flex: the account of the enclosing BOA record. */
  account?: string
  header: CsvRecord
  /** Indices into the fields of the header and of the section's rows. */
  columns: HeaderMap
}

/**
 * One non-blank record and its place. Every non-blank record comes out exactly once; `other`
 * is everything outside a section's header and rows: preambles, title lines, Flex BOF/BOA/BOS/
 * EOS/EOA/EOF and MSG records, rows before any header.
 */
export type SectionEvent =
  | { kind: 'header' | 'row'; section: SectionInfo; record: CsvRecord }
  | { kind: 'other'; record: CsvRecord }

/**
 * - `ibkr-statement`: Activity Statement. Column 0 names the section, column 1 is
 *   `Header`/`Data`/`SubTotal`/`Total`/`Notes`. Every `Header` row starts a new section (IBKR
 *   repeats it mid-section when the asset category changes); rows keep all columns, so
 *   `fields[1]` still tells Data from SubTotal.
 * - `ibkr-flex`: Flex CSV with or without BOF/BOA/BOS/EOS/EOA/EOF records and with or without
 *   `HEADER`/`DATA` prefixes. Unprefixed, the first record of a section is its header and a
 *   record equal to it starts a new one (the repeated header of multi-account files).
 * - `titled`: thinkorswim, MT5. A line whose only non-empty cell is the first is a title; the
 *   next non-blank record is the header; rows run to a blank line or the next title.
 * - `blank-lines`: blocks between blank lines, each headed by its first record.
 */
export type SectionShape = 'ibkr-statement' | 'ibkr-flex' | 'titled' | 'blank-lines'

export interface Section extends SectionInfo {
  rows: CsvRecord[]
}

/** The records of a multi-section file, streamed with their sections. */
export function sectionEvents(
  records: Iterable<CsvRecord>,
  shape: SectionShape,
): Generator<SectionEvent, void> {
  switch (shape) {
    case 'ibkr-statement':
      return ibkrStatementEvents(records)
    case 'ibkr-flex':
      return ibkrFlexEvents(records)
    case 'titled':
      return titledEvents(records)
    case 'blank-lines':
      return blankLineEvents(records)
  }
}

/** All sections at once, in file order; records outside them in `other`. */
export function splitSections(
  records: Iterable<CsvRecord>,
  shape: SectionShape,
): { sections: Section[]; other: CsvRecord[] } {
  const sections: Section[] = []
  const other: CsvRecord[] = []
  let current: Section | undefined
  for (const event of sectionEvents(records, shape)) {
    if (event.kind === 'other') other.push(event.record)
    else if (event.kind === 'header') sections.push((current = { ...event.section, rows: [] }))
    else current?.rows.push(event.record)
  }
  return { sections, other }
}

const cell = (record: CsvRecord, index: number): string => (record.fields[index] ?? '').trim()

function* ibkrStatementEvents(records: Iterable<CsvRecord>): Generator<SectionEvent, void> {
  // By name: a section's rows follow its header even if another section came in between.
  const open = new Map<string, SectionInfo>()
  for (const record of records) {
    if (isBlankRecord(record)) continue
    const name = cell(record, 0)
    if (cell(record, 1) === 'Header') {
      const section = { name, header: record, columns: buildHeaderMap(record.fields, 2) }
      open.set(name, section)
      yield { kind: 'header', section, record }
      continue
    }
    const section = open.get(name)
    yield section ? { kind: 'row', section, record } : { kind: 'other', record }
  }
}

const FLEX_WRAPPERS = new Set(['BOF', 'EOF', 'BOA', 'EOA', 'BOS', 'EOS', 'MSG'])

function* ibkrFlexEvents(records: Iterable<CsvRecord>): Generator<SectionEvent, void> {
  let account: string | undefined
  let bos: { code: string; title: string } | undefined
  let current: SectionInfo | undefined
  let prefixed = false
  const open = (name: string, header: CsvRecord, from: number): SectionInfo => {
    const section: SectionInfo = { name, header, columns: buildHeaderMap(header.fields, from) }
    if (bos && bos.code === name) section.title = bos.title
    if (account !== undefined) section.account = account
    return section
  }

  for (const record of records) {
    if (isBlankRecord(record)) continue
    const tag = cell(record, 0)
    if (FLEX_WRAPPERS.has(tag)) {
      if (tag === 'BOA') account = cell(record, 1)
      else if (tag === 'EOA') account = undefined
      else if (tag === 'BOS') bos = { code: cell(record, 1), title: cell(record, 2) }
      if (tag === 'BOS' || tag === 'EOS') current = undefined
      yield { kind: 'other', record }
    } else if (tag === 'HEADER') {
      prefixed = true
      current = open(cell(record, 1), record, 2)
      yield { kind: 'header', section: current, record }
    } else if (tag === 'DATA' || prefixed) {
      if (tag === 'DATA' && current?.name === cell(record, 1)) {
        yield { kind: 'row', section: current, record }
      } else {
        yield { kind: 'other', record }
      }
    } else if (current === undefined || sameFields(record, current.header)) {
      current = open(bos?.code ?? '', record, 0)
      yield { kind: 'header', section: current, record }
    } else {
      yield { kind: 'row', section: current, record }
    }
  }
}

function sameFields(a: CsvRecord, b: CsvRecord): boolean {
  return a.fields.length === b.fields.length && a.fields.every((field, i) => field === b.fields[i])
}

function isTitle(record: CsvRecord): boolean {
  return cell(record, 0) !== '' && record.fields.every((field, i) => i === 0 || field.trim() === '')
}

function* titledEvents(records: Iterable<CsvRecord>): Generator<SectionEvent, void> {
  let title: string | undefined // seen, waiting for its header
  let current: SectionInfo | undefined
  for (const record of records) {
    if (isBlankRecord(record)) {
      current = undefined
    } else if (isTitle(record)) {
      title = cell(record, 0)
      current = undefined
      yield { kind: 'other', record }
    } else if (current) {
      yield { kind: 'row', section: current, record }
    } else if (title !== undefined) {
      current = { name: title, header: record, columns: buildHeaderMap(record.fields) }
      title = undefined
      yield { kind: 'header', section: current, record }
    } else {
      yield { kind: 'other', record }
    }
  }
}

function* blankLineEvents(records: Iterable<CsvRecord>): Generator<SectionEvent, void> {
  let current: SectionInfo | undefined
  for (const record of records) {
    if (isBlankRecord(record)) {
      current = undefined
    } else if (current) {
      yield { kind: 'row', section: current, record }
    } else {
      current = { name: '', header: record, columns: buildHeaderMap(record.fields) }
      yield { kind: 'header', section: current, record }
    }
  }
}
