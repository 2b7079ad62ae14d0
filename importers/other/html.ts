/**
 * Table rows out of a MetaTrader report (brokers.md §2.11–2.12) without an HTML library: the
 * reports are flat generated tables, so a tag scanner that keeps `<tr>` rows and `<td>`/`<th>`
 * cell text is enough. Hidden drill-down cells (`<td class="hidden" colspan="8">`) are dropped,
 * and a visible cell spanning n columns fills n positions (its text in the first), so a row's
 * cells line up with its header's however the report merged them.
 */
import { csvRecords } from '../sniff'

export interface TableRow {
  /** 1-based line where the row starts. */
  line: number
  /** Cell texts, trimmed, whitespace collapsed, one per column position. */
  cells: string[]
  /** The row as written. */
  raw: string
}

const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g
const ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z]+);/gi
const NAMED: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string) => {
    if (name.startsWith('#')) {
      const hex = name[1] === 'x' || name[1] === 'X'
      const code = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10)
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[name.toLowerCase()] ?? whole
  })
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(
    attributes,
  )
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined
}

function isHidden(attributes: string): boolean {
  const classes = (attribute(attributes, 'class') ?? '').toLowerCase().split(/\s+/)
  const style = (attribute(attributes, 'style') ?? '').toLowerCase().replace(/\s+/g, '')
  return classes.includes('hidden') || style.includes('display:none')
}

interface OpenCell {
  parts: string[]
  span: number
  hidden: boolean
}

/** Every table row of an HTML document, in document order. */
export function* htmlTableRows(text: string): Generator<TableRow, void> {
  let line = 1
  let counted = 0
  const lineAt = (index: number): number => {
    for (
      let at = text.indexOf('\n', counted);
      at !== -1 && at < index;
      at = text.indexOf('\n', at + 1)
    ) {
      line++
    }
    counted = Math.max(counted, index)
    return line
  }

  let row: { start: number; line: number; cells: string[] } | null = null
  let cell: OpenCell | null = null
  let skipping: string | null = null // inside <script> or <style>
  let last = 0

  const closeCell = () => {
    if (row && cell && !cell.hidden) {
      const value = decodeEntities(cell.parts.join('')).replace(/\s+/g, ' ').trim()
      row.cells.push(value, ...Array<string>(cell.span - 1).fill(''))
    }
    cell = null
  }
  const closeRow = (end: number): TableRow | null => {
    closeCell()
    const done: TableRow | null =
      row && row.cells.length > 0
        ? { line: row.line, cells: row.cells, raw: text.slice(row.start, end).trim() }
        : null
    row = null
    return done
  }

  TAG.lastIndex = 0
  for (let match = TAG.exec(text); match !== null; match = TAG.exec(text)) {
    if (cell && !skipping) cell.parts.push(text.slice(last, match.index))
    last = TAG.lastIndex
    const name = match[2]?.toLowerCase()
    if (name === undefined) continue // a comment
    const closing = match[1] === '/'
    if (skipping) {
      if (closing && name === skipping) skipping = null
      continue
    }
    if (name === 'script' || name === 'style') {
      if (!closing) skipping = name
      continue
    }
    const attributes = match[3] ?? ''
    if (name === 'tr' || name === 'table' || name === 'tbody' || name === 'thead') {
      // A new row, or the end of one, also ends a row whose </tr> was left out.
      const done = closeRow(closing && name === 'tr' ? TAG.lastIndex : match.index)
      if (done) yield done
      if (name === 'tr' && !closing)
        row = { start: match.index, line: lineAt(match.index), cells: [] }
    } else if (name === 'td' || name === 'th') {
      closeCell()
      if (!closing) {
        row ??= { start: match.index, line: lineAt(match.index), cells: [] }
        const span = Number.parseInt(attribute(attributes, 'colspan') ?? '1', 10)
        cell = {
          parts: [],
          span: span >= 1 && span <= 100 ? span : 1,
          hidden: isHidden(attributes),
        }
      }
    } else if (cell && (name === 'br' || name === 'p' || name === 'div')) {
      cell.parts.push(' ')
    }
  }
  const done = closeRow(text.length)
  if (done) yield done
}

/** True when the text is an HTML document rather than a CSV copy of one. */
export function looksLikeHtml(text: string): boolean {
  return /<(?:html|table|tr|td)[\s>]/i.test(text.slice(0, 1 << 16))
}

/**
 * The rows of a report: its table rows when it is HTML, else its CSV records (the report
 * saved or pasted as CSV, brokers.md §2.12), cells trimmed.
 */
export function* reportRows(text: string): Generator<TableRow, void> {
  if (looksLikeHtml(text)) {
    yield* htmlTableRows(text)
    return
  }
  for (const record of csvRecords(text)) {
    yield { line: record.line, cells: record.fields.map((field) => field.trim()), raw: record.raw }
  }
}
