/**
 * Tradable instruments. One row per contract: an option series or a futures expiry is its own
 * instrument. Fills and positions reference instruments with ON DELETE RESTRICT.
 */
import { sql } from 'drizzle-orm'
import { check, index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { Fixed8 } from '../../core/decimal'
import {
  bool,
  boolCheck,
  col,
  currencyCheck,
  dateCheck,
  enumCheck,
  epochMs,
  fixed8,
  int,
  rowVersion,
  timestamps,
  uuidPk,
} from './columns'

export const ASSET_CLASSES = [
  'stock',
  'option',
  'future',
  'forex',
  'crypto',
  'cfd',
  'bond',
  'fund',
  'index',
] as const
export type AssetClass = (typeof ASSET_CLASSES)[number]

/**
 * Listing status. Whether the contract multiplier is known is a separate flag
 * (`multiplier_known`), since an active or expired instrument can have either.
 */
export const INSTRUMENT_STATUSES = ['active', 'halted', 'expired', 'delisted'] as const

export interface InstrumentIdentity {
  symbol: string
  exchange: string | null
  assetClass: AssetClass
  expiry: string | null
  strike: Fixed8 | null
  putCall: 'put' | 'call' | null
}

/**
 * The instrument's identity as one text, exactly as SQLite's
 * `json_array(symbol, exchange, asset_class, expiry, strike, put_call)` renders it, e.g.
 * `["ESZ4","CME","future","2024-12-20",null,null]`. Stored in `instruments.identity_key`
 * (a CHECK makes the database verify it) so that NULL parts cannot defeat uniqueness and an
 * importer finds an instrument with one indexed equality.
 */
export function instrumentIdentityKey(identity: InstrumentIdentity): string {
  const parts = [
    identity.symbol,
    identity.exchange,
    identity.assetClass,
    identity.expiry,
    identity.strike,
    identity.putCall,
  ]
  const rendered = parts.map((part) =>
    part === null ? 'null' : typeof part === 'bigint' ? part.toString() : JSON.stringify(part),
  )
  return `[${rendered.join(',')}]`
}

export const instruments = sqliteTable(
  'instruments',
  {
    id: uuidPk(),
    /** Symbol as the venue lists it, normalised by the importer (e.g. 'AAPL', 'ESZ4'). */
    symbol: text('symbol').notNull(),
    /** Venue (MIC or common name, e.g. 'XNAS', 'CME'); NULL when the source does not say. */
    exchange: text('exchange'),
    assetClass: text('asset_class', { enum: ASSET_CLASSES }).notNull(),
    /** See {@link instrumentIdentityKey}. */
    identityKey: text('identity_key').notNull(),
    /** Base currency of a pair (forex, crypto): 'EUR' in EUR/USD. */
    baseCurrency: text('base_currency'),
    /** Currency prices and P&L are quoted in. */
    quoteCurrency: text('quote_currency').notNull().default('USD'),
    /** Contract multiplier: P&L = price difference × quantity × multiplier. */
    multiplier: fixed8('multiplier')
      .notNull()
      .default(sql`100000000`),
    /** False while the multiplier is a guess (1): P&L of its positions is flagged incomplete. */
    multiplierKnown: bool('multiplier_known').notNull().default(true),
    tickSize: fixed8('tick_size'),
    lotSize: fixed8('lot_size'),
    /** Decimal places to display prices and quantities with. */
    pricePrecision: int('price_precision'),
    quantityPrecision: int('quantity_precision'),
    underlyingSymbol: text('underlying_symbol'),
    /** Expiry date of options and futures, 'YYYY-MM-DD'. */
    expiry: text('expiry'),
    strike: fixed8('strike'),
    putCall: text('put_call', { enum: ['put', 'call'] }),
    status: text('status', { enum: INSTRUMENT_STATUSES }).notNull().default('active'),
    delistedAt: epochMs('delisted_at'),
    name: text('name'),
    ...timestamps(),
    version: rowVersion(),
  },
  (t) => [
    uniqueIndex('instruments_identity_unique')
      .on(t.identityKey)
      .where(sql`${col(t.deletedAt)} IS NULL`),
    index('instruments_symbol_idx').on(t.symbol),
    index('instruments_underlying_idx')
      .on(t.underlyingSymbol, t.expiry)
      .where(sql`${col(t.underlyingSymbol)} IS NOT NULL`),
    check(
      'instruments_identity_key_matches',
      sql`${col(t.identityKey)} = json_array(${col(t.symbol)}, ${col(t.exchange)}, ${col(t.assetClass)}, ${col(t.expiry)}, ${col(t.strike)}, ${col(t.putCall)})`,
    ),
    check(
      'instruments_symbol_trimmed',
      sql`length(${col(t.symbol)}) > 0 AND ${col(t.symbol)} = trim(${col(t.symbol)})`,
    ),
    enumCheck('instruments_asset_class_enum', t.assetClass),
    currencyCheck('instruments_base_currency_code', t.baseCurrency),
    currencyCheck('instruments_quote_currency_code', t.quoteCurrency),
    check('instruments_multiplier_positive', sql`${col(t.multiplier)} > 0`),
    boolCheck('instruments_multiplier_known_bool', t.multiplierKnown),
    check('instruments_tick_size_positive', sql`${col(t.tickSize)} > 0`),
    check('instruments_lot_size_positive', sql`${col(t.lotSize)} > 0`),
    check('instruments_price_precision_range', sql`${col(t.pricePrecision)} BETWEEN 0 AND 8`),
    check('instruments_quantity_precision_range', sql`${col(t.quantityPrecision)} BETWEEN 0 AND 8`),
    dateCheck('instruments_expiry_date', t.expiry),
    check('instruments_strike_positive', sql`${col(t.strike)} > 0`),
    enumCheck('instruments_put_call_enum', t.putCall),
    check(
      'instruments_option_fields',
      sql`CASE WHEN ${col(t.assetClass)} = 'option'
        THEN ${col(t.underlyingSymbol)} IS NOT NULL AND ${col(t.expiry)} IS NOT NULL
          AND ${col(t.strike)} IS NOT NULL AND ${col(t.putCall)} IS NOT NULL
        ELSE ${col(t.strike)} IS NULL AND ${col(t.putCall)} IS NULL END`,
    ),
    enumCheck('instruments_status_enum', t.status),
    check(
      'instruments_delisted_at_iff_delisted',
      sql`(${col(t.status)} = 'delisted') = (${col(t.delistedAt)} IS NOT NULL)`,
    ),
    check('instruments_version_positive', sql`${col(t.version)} >= 1`),
  ],
)
