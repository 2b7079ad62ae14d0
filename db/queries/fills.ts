/**
 * Writing fills: accounts and instruments found or created on the way, each fill inserted once
 * (a duplicate is recognised by its broker execution id, else its content key, per account).
 * Hot path: raw prepared statements, not drizzle's `.values()` (7–10× slower, anchors.md §10.2).
 */
import { hash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type { Fixed8 } from '../../core/decimal'
import { newRowId } from '../ids'
import { instrumentIdentityKey, type AssetClass } from '../schema'

export interface AccountRef {
  id: string
  name: string
  baseCurrency: string
}

export interface InstrumentRef {
  id: string
  /** instrumentIdentityKey of the instrument, computed once. */
  identityKey: string
  multiplier: Fixed8
  multiplierKnown: boolean
}

export interface NewInstrument {
  symbol: string
  assetClass: AssetClass
  exchange: string | null
  expiry: string | null
  strike: Fixed8 | null
  putCall: 'put' | 'call' | null
  underlying: string | null
  multiplier: Fixed8
  multiplierKnown: boolean
  quoteCurrency: string
}

export interface NewFill {
  accountId: string
  instrumentId: string
  side: 'buy' | 'sell'
  quantity: Fixed8
  price: Fixed8
  fee: Fixed8
  currency: string
  executedAt: number
  sourceTimezone: string
  brokerExecutionId: string | null
  brokerOrderId: string | null
  /**
   * What identifies a fill without a broker execution id (see {@link contentKeyOf}); null when
   * it has one.
   */
  content: string | null
  /**
   * A fill that older parser versions placed elsewhere (a date-only row, ParsedFill
   * legacyExecutedAt): its instant and content then. A journal that holds the content key of
   * those is a journal that already has this fill.
   */
  legacy?: { executedAt: number; content: string }
  isDerived: boolean
  importBatchId: string | null
  sourceLine: number | null
  rawSource: string | null
  note: string | null
}

/**
 * The content key of the `occurrence`-th fill (0 = first) of a file with this content: led by
 * the time, so keys arrive in index order and inserts append instead of scattering; then 96 bits
 * of SHA-256 (one-shot hash(): half the cost of createHash). Two genuinely identical fills of one
 * file get #0 and #1, and the same file imported again produces the same keys.
 */
export function contentKeyOf(content: string, executedAt: number, occurrence: number): string {
  const digest = hash('sha256', `${content}#${occurrence}`, 'base64url').slice(0, 16)
  return `${executedAt.toString(36)}.${digest}`
}

/**
 * A set of content keys held as numbers in typed arrays (the key's time and its 96-bit digest,
 * five words; open addressing, at most three quarters full) instead of a Set of strings (about
 * 80 bytes a key): a re-import of 10^6 fills matches 10^6 keys, which as strings took 80 MB.
 */
export class ContentKeySet {
  private words = new Uint32Array(WORDS * 1024)
  private used = new Uint8Array(1024)
  private size = 0
  /** The words of the key last asked about or added (keyWords writes here: no allocation). */
  private readonly scratch = new Uint32Array(WORDS)

  /** The key `has` was last asked about and its slot: `add` of that key right after reuses them. */
  private lastKey: string | null = null
  private lastSlot = 0

  has(key: string): boolean {
    this.lastKey = key
    this.lastSlot = this.slotOf(keyWords(key, this.scratch))
    return this.used[this.lastSlot] === 1
  }

  add(key: string): void {
    // The scratch words are still this key's when nothing was asked in between.
    const fresh = key !== this.lastKey
    const words = fresh ? keyWords(key, this.scratch) : this.scratch
    const slot = fresh ? this.slotOf(words) : this.lastSlot
    this.lastKey = null
    if (this.used[slot] === 1) return
    this.place(slot, words)
    this.size += 1
    if (this.size * 4 > this.used.length * 3) this.grow()
  }

  /** Where `words` are, or the free slot where they would go. */
  private slotOf(words: Uint32Array): number {
    const mask = this.used.length - 1
    // The digest's first word is as random as SHA-256: it needs no further hashing.
    let slot = (words[0] as number) & mask
    while (this.used[slot] === 1 && !this.holds(slot, words)) slot = (slot + 1) & mask
    return slot
  }

  private holds(slot: number, words: Uint32Array): boolean {
    for (let i = 0; i < WORDS; i++) if (this.words[WORDS * slot + i] !== words[i]) return false
    return true
  }

  private place(slot: number, words: Uint32Array): void {
    this.used[slot] = 1
    this.words.set(words, WORDS * slot)
  }

  private grow(): void {
    const { words, used } = this
    this.words = new Uint32Array(words.length * 2)
    this.used = new Uint8Array(used.length * 2)
    for (let slot = 0; slot < used.length; slot++) {
      if (used[slot] !== 1) continue
      const held = words.subarray(WORDS * slot, WORDS * slot + WORDS)
      this.place(this.slotOf(held), held)
    }
  }
}

/** Words per key: three of the digest, two of the time. */
const WORDS = 5

/** base64url character code → its 6 bits (-1: not base64url). */
const SIXTETS = new Int8Array(128).fill(-1)
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
for (let i = 0; i < ALPHABET.length; i++) SIXTETS[ALPHABET.charCodeAt(i)] = i

/**
 * A content key (`<time in base 36>.<16 base64url characters>`) as five exact words: the 96
 * digest bits (five characters a word, the sixteenth character's bits two to each) and the time's
 * high and low 32 bits, written into `into`: a re-import computes this for every fill.
 */
function keyWords(key: string, into: Uint32Array): Uint32Array {
  const dot = key.indexOf('.')
  const time = parseInt(key.slice(0, dot), 36)
  if (key.length !== dot + 17 || !Number.isSafeInteger(time)) {
    throw new Error(`not a content key: ${key}`)
  }
  const last = sixtet(key, dot + 16)
  for (let word = 0; word < 3; word++) {
    let value = (last >> (2 * word)) & 3
    for (let i = 0; i < 5; i++) value = value * 64 + sixtet(key, dot + 1 + 5 * word + i)
    into[word] = value
  }
  into[3] = Math.floor(time / 2 ** 32)
  into[4] = time >>> 0
  return into
}

function sixtet(key: string, at: number): number {
  const value = SIXTETS[key.charCodeAt(at)] ?? -1
  if (value < 0) throw new Error(`not a content key: ${key}`)
  return value
}

/** Prepared once per import; every method runs inside the caller's transaction. */
export class FillWriter {
  private readonly accounts = new Map<string, AccountRef>()
  private readonly instruments = new Map<string, InstrumentRef>()
  /**
   * Content keys, per account id, that this writer found already in the journal and counted as
   * duplicates: an identical fill later in the same file takes the next occurrence instead.
   */
  private readonly matched = new Map<string, ContentKeySet>()
  /** Account, time and content of fills that repeat within this import → first occurrence to try. */
  private readonly nextOccurrence = new Map<string, number>()
  /**
   * Whether the last fill was a duplicate: then the next one probably is too (a file imported
   * again), and looking its key up first costs a fifth of an insert that conflicts.
   */
  private expectDuplicates = false
  /** created_at and updated_at of every row this writer inserts: one instant per import. */
  private readonly now = Date.now()
  private readonly statements

  constructor(private readonly sqlite: Database.Database) {
    this.statements = {
      findAccount: sqlite.prepare(
        `SELECT id, name, base_currency AS baseCurrency FROM accounts
         WHERE deleted_at IS NULL AND (name = ? OR broker_account_ref = ?)
         ORDER BY created_at LIMIT 1`,
      ),
      addAccount: sqlite.prepare(
        `INSERT INTO accounts (id, name, broker, broker_account_ref, base_currency, timezone)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      findInstrument: sqlite.prepare(
        `SELECT id, multiplier, multiplier_known AS multiplierKnown FROM instruments
         WHERE identity_key = ? AND deleted_at IS NULL`,
      ),
      addInstrument: sqlite.prepare(
        `INSERT INTO instruments (id, symbol, exchange, asset_class, identity_key, quote_currency,
           multiplier, multiplier_known, underlying_symbol, expiry, strike, put_call)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      addFill: sqlite.prepare(
        `INSERT INTO trades (id, account_id, instrument_id, side, quantity, price, fee, currency,
           executed_at, source_timezone, broker_execution_id, broker_order_id, content_key,
           is_derived, import_batch_id, source_line, raw_source, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      contentKeyBatch: sqlite
        .prepare(`SELECT import_batch_id FROM trades WHERE account_id = ? AND content_key = ?`)
        .pluck(),
      hasBrokerId: sqlite
        .prepare(`SELECT 1 FROM trades WHERE account_id = ? AND broker_execution_id = ?`)
        .pluck(),
    }
  }

  /** The live account with this name (or broker account number), created when missing. */
  account(name: string, defaults: { broker: string; baseCurrency: string; timezone: string }) {
    const cached = this.accounts.get(name)
    if (cached) return cached
    let found = this.statements.findAccount.get(name, name) as AccountRef | undefined
    if (!found) {
      found = { id: uuidv7(), name, baseCurrency: defaults.baseCurrency }
      this.statements.addAccount.run(
        found.id,
        name,
        defaults.broker,
        null,
        defaults.baseCurrency,
        defaults.timezone,
      )
    }
    this.accounts.set(name, found)
    return found
  }

  /** The live instrument with this identity, created when missing. */
  instrument(spec: NewInstrument): InstrumentRef {
    const key = instrumentIdentityKey(spec)
    const cached = this.instruments.get(key)
    if (cached) return cached
    const row = this.statements.findInstrument.get(key) as
      { id: string; multiplier: bigint; multiplierKnown: bigint } | undefined
    let found: InstrumentRef
    if (row) {
      found = {
        id: row.id,
        identityKey: key,
        multiplier: row.multiplier,
        multiplierKnown: row.multiplierKnown === 1n,
      }
    } else {
      found = {
        id: uuidv7(),
        identityKey: key,
        multiplier: spec.multiplier,
        multiplierKnown: spec.multiplierKnown,
      }
      this.statements.addInstrument.run(
        found.id,
        spec.symbol,
        spec.exchange,
        spec.assetClass,
        key,
        spec.quoteCurrency,
        spec.multiplier,
        spec.multiplierKnown ? 1 : 0,
        spec.underlying,
        spec.expiry,
        spec.strike,
        spec.putCall,
      )
    }
    this.instruments.set(key, found)
    return found
  }

  /**
   * Inserts a fill unless the account already has it; returns whether it was new. A fill with a
   * broker execution id is a duplicate when the account has that id. A fill without one is
   * tried under its content key's occurrences in turn: one taken by a fill of this same import,
   * or one this writer already counted, means an identical fill came earlier in the file, so the
   * next occurrence is tried; one taken by any other fill means this fill is already in. A fill
   * with a legacy identity is tested first under the legacy key of each occurrence, the same way.
   */
  fill(fill: NewFill): boolean {
    const added =
      fill.content === null ? this.fillWithBrokerId(fill) : this.fillByContent(fill, fill.content)
    this.expectDuplicates = !added
    return added
  }

  private fillWithBrokerId(fill: NewFill): boolean {
    const known =
      this.expectDuplicates &&
      this.statements.hasBrokerId.get(fill.accountId, fill.brokerExecutionId) !== undefined
    return !known && this.insert(fill, null)
  }

  private fillByContent(fill: NewFill, content: string): boolean {
    // Occurrences below the remembered one are this import's or already matched: skip them, so
    // k identical fills cost O(k) probes, not O(k²). Remembered only for content that repeats.
    const repeat = `${fill.accountId}\u0000${fill.executedAt}\u0000${content}`
    const first = this.nextOccurrence.get(repeat) ?? 0
    for (let occurrence = first; ; occurrence++) {
      if (occurrence > 0) this.nextOccurrence.set(repeat, occurrence + 1)
      if (fill.legacy) {
        // Version-1 keys are no longer written, only looked up.
        const old = contentKeyOf(fill.legacy.content, fill.legacy.executedAt, occurrence)
        const holder = this.contentKeyHolder(fill.accountId, old)
        if (holder !== undefined) {
          if (this.heldEarlier(fill, old, holder)) continue
          return false
        }
      }
      const key = contentKeyOf(content, fill.executedAt, occurrence)
      // The import batch holding the key (null: a fill typed in); undefined while it is free.
      let holder = this.expectDuplicates ? this.contentKeyHolder(fill.accountId, key) : undefined
      if (holder === undefined) {
        if (this.insert(fill, key)) return true
        holder = this.contentKeyHolder(fill.accountId, key)
      }
      if (this.heldEarlier(fill, key, holder)) continue
      return false
    }
  }

  /**
   * Whether a taken content key is an earlier fill of this file's (one this import wrote, or one
   * an identical fill before it matched): then the fill tries its next occurrence. Otherwise the
   * key is this fill's, already in the journal, and is counted as matched.
   */
  private heldEarlier(fill: NewFill, key: string, holder: string | null | undefined): boolean {
    let matched = this.matched.get(fill.accountId)
    if (matched?.has(key)) return true
    if (fill.importBatchId !== null && holder === fill.importBatchId) return true
    if (!matched) this.matched.set(fill.accountId, (matched = new ContentKeySet()))
    matched.add(key)
    return false
  }

  private contentKeyHolder(accountId: string, key: string): string | null | undefined {
    return this.statements.contentKeyBatch.get(accountId, key) as string | null | undefined
  }

  private insert(fill: NewFill, contentKey: string | null): boolean {
    const result = this.statements.addFill.run(
      newRowId(),
      fill.accountId,
      fill.instrumentId,
      fill.side,
      fill.quantity,
      fill.price,
      fill.fee,
      fill.currency,
      fill.executedAt,
      fill.sourceTimezone,
      fill.brokerExecutionId,
      fill.brokerOrderId,
      contentKey,
      fill.isDerived ? 1 : 0,
      fill.importBatchId,
      fill.sourceLine,
      fill.rawSource,
      fill.note,
      this.now,
      this.now,
    )
    return result.changes > 0
  }
}
