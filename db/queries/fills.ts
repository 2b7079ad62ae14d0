/**
 * Writing fills: accounts and instruments found or created on the way, each fill inserted once
 * (a duplicate is recognised by its broker execution id, else its content key, per account).
 * Hot path: raw prepared statements, not drizzle's `.values()` (7–10× slower, anchors.md §10.2).
 */
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type { Fixed8 } from '../../core/decimal'
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
  contentKey: string | null
  isDerived: boolean
  importBatchId: string | null
  sourceLine: number | null
  rawSource: string | null
  note: string | null
}

/** Prepared once per import; every method runs inside the caller's transaction. */
export class FillWriter {
  private readonly accounts = new Map<string, AccountRef>()
  private readonly instruments = new Map<string, InstrumentRef>()
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
           executed_at, source_timezone, broker_execution_id, content_key, is_derived,
           import_batch_id, source_line, raw_source, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
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

  /** Inserts a fill unless the account already has it; returns whether it was new. */
  fill(fill: NewFill): boolean {
    const result = this.statements.addFill.run(
      uuidv7(),
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
      fill.contentKey,
      fill.isDerived ? 1 : 0,
      fill.importBatchId,
      fill.sourceLine,
      fill.rawSource,
      fill.note,
    )
    return result.changes > 0
  }
}
