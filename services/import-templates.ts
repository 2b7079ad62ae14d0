/**
 * Saved `generic` import mappings ("templates"): one JSON object name → mapping in
 * system_settings under 'import.templates', as services/instruments.ts stores the futures table.
 */
import type { FileInspection } from '../contract'
import { detectFormat } from '../importers'
import { MappingError, parseMapping, type GenericMapping } from '../importers/generic'
import { csvRecords, decodeFile, isBlankRecord, type CsvRecord } from '../importers/sniff'
import type { ServiceContext } from './context'
import { AppError } from './errors'

const TEMPLATES_KEY = 'import.templates'

type StoredTemplates = Record<string, unknown>

export interface ImportTemplate {
  name: string
  mapping: GenericMapping
}

function templateName(text: string): string {
  const name = text.trim()
  if (!/^[\w.-]{1,64}$/.test(name)) {
    throw new AppError(
      'invalid_input',
      `"${text}" is not a template name (letters, digits, '.', '-', '_'; at most 64)`,
    )
  }
  return name
}

function storedTemplates(ctx: ServiceContext): StoredTemplates {
  const row = ctx.journal.sqlite
    .prepare(`SELECT value FROM system_settings WHERE key = ? AND deleted_at IS NULL`)
    .pluck()
    .get(TEMPLATES_KEY) as string | undefined
  return row ? (JSON.parse(row) as StoredTemplates) : {}
}

/** Every saved template, by name. */
export function listImportTemplates(ctx: ServiceContext): ImportTemplate[] {
  return Object.entries(storedTemplates(ctx))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, mapping]) => ({ name, mapping: mapping as GenericMapping }))
}

/** The saved mapping of that name, validated; invalid_input when there is none. */
export function readImportTemplate(ctx: ServiceContext, nameText: string): GenericMapping {
  const name = templateName(nameText)
  const stored = storedTemplates(ctx)
  if (!Object.hasOwn(stored, name)) {
    const known = Object.keys(stored)
    throw new AppError(
      'invalid_input',
      `No import template "${name}"${known.length ? ` (saved: ${known.sort().join(', ')})` : ''}`,
    )
  }
  return validated(stored[name])
}

/** Validates and saves (or replaces) a template; returns whether it replaced one. */
export function saveImportTemplate(
  ctx: ServiceContext,
  nameText: string,
  mapping: unknown,
): { name: string; replaced: boolean } {
  const name = templateName(nameText)
  const valid = validated(mapping)
  const sqlite = ctx.journal.sqlite
  return sqlite
    .transaction(() => {
      const stored = storedTemplates(ctx)
      const replaced = Object.hasOwn(stored, name)
      stored[name] = valid
      sqlite
        .prepare(
          `INSERT INTO system_settings (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, deleted_at = NULL,
             version = version + 1`,
        )
        .run(TEMPLATES_KEY, JSON.stringify(stored))
      return { name, replaced }
    })
    .immediate()
}

function validated(mapping: unknown): GenericMapping {
  try {
    return parseMapping(mapping)
  } catch (error) {
    if (error instanceof MappingError) throw new AppError('invalid_input', error.message)
    throw error
  }
}

/** Records looked at for the header row of a file the mapping editor shows. */
const INSPECT_RECORDS = 30
const SAMPLE_ROWS = 5

/**
 * The top of a file for the mapping editor: the format detection picks (if any), the header
 * row (the first of the widest records among the first 30: preambles are narrower) and a few
 * data rows under it.
 */
export function inspectFile(bytes: Uint8Array): FileInspection {
  const text = decodeFile(bytes).text
  const records: CsvRecord[] = []
  for (const record of csvRecords(text)) {
    if (records.length === INSPECT_RECORDS) break
    if (!isBlankRecord(record)) records.push(record)
  }
  const width = (record: CsvRecord) => record.fields.filter((field) => field.trim() !== '').length
  const widest = Math.max(0, ...records.map(width))
  const headerAt = records.findIndex((record) => width(record) === widest)
  const header = records[headerAt]
  return {
    detected: detectFormat(text)?.id ?? null,
    headerLine: header?.line ?? 1,
    headers: header?.fields.map((field) => field.trim()) ?? [],
    samples: records.slice(headerAt + 1, headerAt + 1 + SAMPLE_ROWS).map((record) => record.fields),
  }
}
