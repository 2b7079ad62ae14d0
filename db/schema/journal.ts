/**
 * What the trader adds to the journal: tags, notes, attachments. They hang on positions(id),
 * and position ids survive rebuilds because the trade engine keeps each position's row by its
 * `trade_key` (docs/decisions/0004-schema-conventions.md).
 */
import { sql } from 'drizzle-orm'
import {
  blob,
  check,
  index,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'
import {
  col,
  dateCheck,
  int,
  notBlankCheck,
  rowVersion,
  sha256Check,
  textNoCase,
  timestamps,
  uuidPk,
} from './columns'
import { accounts } from './accounts'
import { positions } from './trading'

export const tags = sqliteTable(
  'tags',
  {
    id: uuidPk(),
    /** Unique case-insensitively (NOCASE, ASCII) among live tags. */
    name: textNoCase('name').notNull(),
    /** '#rrggbb'. */
    color: text('color'),
    description: text('description'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('tags_name_unique')
      .on(t.name)
      .where(sql`${col(t.deletedAt)} IS NULL`),
    notBlankCheck('tags_name_not_blank', t.name),
    check(
      'tags_color_hex',
      sql`${col(t.color)} GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'`,
    ),
  ],
)

/**
 * Tag ↔ position. Keeps timestamps so that untagging is a tombstone sync can carry
 * (re-tagging clears deleted_at).
 */
export const positionTags = sqliteTable(
  'position_tags',
  {
    positionId: text('position_id')
      .notNull()
      .references(() => positions.id, { onDelete: 'cascade' }),
    tagId: text('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'position_tags_pk', columns: [t.positionId, t.tagId] }),
    index('position_tags_tag_idx').on(t.tagId),
  ],
)

/** Markdown notes on a position, or on a trading day of an account (exactly one of the two). */
export const notes = sqliteTable(
  'notes',
  {
    id: uuidPk(),
    positionId: text('position_id').references(() => positions.id, { onDelete: 'cascade' }),
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    /** Trading day 'YYYY-MM-DD' in the account's zone, for a day note. */
    day: text('day'),
    title: text('title'),
    /** Markdown. */
    body: text('body').notNull().default(''),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    index('notes_position_idx')
      .on(t.positionId)
      .where(sql`${col(t.positionId)} IS NOT NULL`),
    index('notes_account_day_idx')
      .on(t.accountId, t.day)
      .where(sql`${col(t.accountId)} IS NOT NULL`),
    dateCheck('notes_day_date', t.day),
    check(
      'notes_exactly_one_target',
      sql`(${col(t.positionId)} IS NOT NULL AND ${col(t.accountId)} IS NULL AND ${col(t.day)} IS NULL)
        OR (${col(t.positionId)} IS NULL AND ${col(t.accountId)} IS NOT NULL AND ${col(t.day)} IS NOT NULL)`,
    ),
    check('notes_version_positive', sql`${col(t.version)} >= 1`),
  ],
)

/** Files (screenshots, broker statements) on a note or a position; bytes inline or a path. */
export const attachments = sqliteTable(
  'attachments',
  {
    id: uuidPk(),
    noteId: text('note_id').references(() => notes.id, { onDelete: 'cascade' }),
    positionId: text('position_id').references(() => positions.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    sha256: text('sha256').notNull(),
    sizeBytes: int('size_bytes').notNull(),
    /** The file's content, for small files kept inside the journal. */
    bytes: blob('bytes', { mode: 'buffer' }),
    /** Path relative to the journal's attachments folder, for files kept beside it. */
    path: text('path'),
    ...timestamps(),
  },
  (t) => [
    index('attachments_note_idx')
      .on(t.noteId)
      .where(sql`${col(t.noteId)} IS NOT NULL`),
    index('attachments_position_idx')
      .on(t.positionId)
      .where(sql`${col(t.positionId)} IS NOT NULL`),
    check(
      'attachments_exactly_one_target',
      sql`(${col(t.noteId)} IS NOT NULL) + (${col(t.positionId)} IS NOT NULL) = 1`,
    ),
    check(
      'attachments_bytes_or_path',
      sql`(${col(t.bytes)} IS NOT NULL) + (${col(t.path)} IS NOT NULL) = 1`,
    ),
    notBlankCheck('attachments_file_name_not_blank', t.fileName),
    check('attachments_mime_type_shape', sql`${col(t.mimeType)} LIKE '_%/_%'`),
    sha256Check('attachments_sha256_hex', t.sha256),
    check('attachments_size_non_negative', sql`${col(t.sizeBytes)} >= 0`),
    check(
      'attachments_size_matches_bytes',
      sql`${col(t.bytes)} IS NULL OR length(${col(t.bytes)}) = ${col(t.sizeBytes)}`,
    ),
  ],
)
