/**
 * Market data: candles, volume profiles, order book snapshots and technical indicators.
 * Local-only and append-heavy: integer keys (rowid aliases), no updated_at/deleted_at, no sync.
 */
import { sql } from 'drizzle-orm'
import { check, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import {
  col,
  enumCheck,
  epochMs,
  fixed8,
  int,
  intPk,
  jsonCheck,
  notBlankCheck,
  NOW_MS,
} from './columns'
import { instruments } from './instruments'

export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'] as const
export type Timeframe = (typeof TIMEFRAMES)[number]

/** OHLCV candles. `timestamp` is the candle's open instant. */
export const marketData = sqliteTable(
  'market_data',
  {
    id: intPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    timeframe: text('timeframe', { enum: TIMEFRAMES }).notNull(),
    timestamp: epochMs('timestamp').notNull(),
    open: fixed8('open').notNull(),
    high: fixed8('high').notNull(),
    low: fixed8('low').notNull(),
    close: fixed8('close').notNull(),
    volume: fixed8('volume')
      .notNull()
      .default(sql`0`),
    /** Where the candle came from ('csv', 'yahoo', 'built-from-fills', …). */
    dataSource: text('data_source').notNull(),
  },
  (t) => [
    uniqueIndex('market_data_candle_unique').on(
      t.instrumentId,
      t.timeframe,
      t.timestamp,
      t.dataSource,
    ),
    enumCheck('market_data_timeframe_enum', t.timeframe),
    check(
      'market_data_prices_positive',
      sql`${col(t.open)} > 0 AND ${col(t.high)} > 0 AND ${col(t.low)} > 0 AND ${col(t.close)} > 0`,
    ),
    check(
      'market_data_high_gte_open_close',
      sql`${col(t.high)} >= max(${col(t.open)}, ${col(t.close)})`,
    ),
    check(
      'market_data_low_lte_open_close',
      sql`${col(t.low)} <= min(${col(t.open)}, ${col(t.close)})`,
    ),
    check('market_data_high_gte_low', sql`${col(t.high)} >= ${col(t.low)}`),
    check('market_data_volume_non_negative', sql`${col(t.volume)} >= 0`),
    notBlankCheck('market_data_data_source_not_blank', t.dataSource),
  ],
)

/** Volume traded at each price level over a time range. */
export const volumeProfile = sqliteTable(
  'volume_profile',
  {
    id: intPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    rangeStart: epochMs('range_start').notNull(),
    rangeEnd: epochMs('range_end').notNull(),
    priceLevel: fixed8('price_level').notNull(),
    volume: fixed8('volume').notNull(),
    /** Aggressor split when the source knows it; buy + sell ≤ volume. */
    buyVolume: fixed8('buy_volume'),
    sellVolume: fixed8('sell_volume'),
    dataSource: text('data_source').notNull(),
  },
  (t) => [
    uniqueIndex('volume_profile_level_unique').on(
      t.instrumentId,
      t.rangeStart,
      t.rangeEnd,
      t.dataSource,
      t.priceLevel,
    ),
    check('volume_profile_range_ordered', sql`${col(t.rangeEnd)} > ${col(t.rangeStart)}`),
    check('volume_profile_price_level_positive', sql`${col(t.priceLevel)} > 0`),
    check(
      'volume_profile_volumes_non_negative',
      sql`${col(t.volume)} >= 0 AND ${col(t.buyVolume)} >= 0 AND ${col(t.sellVolume)} >= 0`,
    ),
    check(
      'volume_profile_split_within_volume',
      sql`ifnull(${col(t.buyVolume)}, 0) + ifnull(${col(t.sellVolume)}, 0) <= ${col(t.volume)}`,
    ),
    notBlankCheck('volume_profile_data_source_not_blank', t.dataSource),
  ],
)

/**
 * Order book snapshots, one row per price level (not a JSON blob): levels are queryable and
 * every price and size is checked. A snapshot is all rows with the same captured_at.
 */
export const orderBook = sqliteTable(
  'order_book',
  {
    id: intPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    capturedAt: epochMs('captured_at').notNull(),
    side: text('side', { enum: ['bid', 'ask'] }).notNull(),
    /** 0 = best price on that side. */
    level: int('level').notNull(),
    price: fixed8('price').notNull(),
    size: fixed8('size').notNull(),
    orderCount: int('order_count'),
    dataSource: text('data_source').notNull(),
  },
  (t) => [
    uniqueIndex('order_book_level_unique').on(
      t.instrumentId,
      t.capturedAt,
      t.dataSource,
      t.side,
      t.level,
    ),
    enumCheck('order_book_side_enum', t.side),
    check('order_book_level_non_negative', sql`${col(t.level)} >= 0`),
    check('order_book_price_positive', sql`${col(t.price)} > 0`),
    check('order_book_size_non_negative', sql`${col(t.size)} >= 0`),
    check('order_book_order_count_non_negative', sql`${col(t.orderCount)} >= 0`),
    notBlankCheck('order_book_data_source_not_blank', t.dataSource),
  ],
)

/**
 * Indicator values per candle. `parameters` must be minified JSON (what SQLite's json() returns,
 * keys in the writer's canonical order) so that equal parameters are equal texts for UNIQUE.
 */
export const technicalIndicators = sqliteTable(
  'technical_indicators',
  {
    id: intPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    timeframe: text('timeframe', { enum: TIMEFRAMES }).notNull(),
    timestamp: epochMs('timestamp').notNull(),
    /** e.g. 'sma', 'ema', 'rsi', 'macd', 'bbands'. */
    indicator: text('indicator').notNull(),
    parameters: text('parameters', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    /** Single-output indicators. */
    value: fixed8('value'),
    /** Multi-output indicators, e.g. {"macd":…,"signal":…,"histogram":…} as fixed8 integers. */
    outputs: text('outputs', { mode: 'json' }).$type<Record<string, number | string | null>>(),
  },
  (t) => [
    uniqueIndex('technical_indicators_point_unique').on(
      t.instrumentId,
      t.timeframe,
      t.indicator,
      t.parameters,
      t.timestamp,
    ),
    enumCheck('technical_indicators_timeframe_enum', t.timeframe),
    notBlankCheck('technical_indicators_indicator_not_blank', t.indicator),
    jsonCheck('technical_indicators_parameters_json_object', t.parameters, 'object'),
    check(
      'technical_indicators_parameters_minified',
      sql`${col(t.parameters)} = json(${col(t.parameters)})`,
    ),
    jsonCheck('technical_indicators_outputs_json_object', t.outputs, 'object'),
    check(
      'technical_indicators_has_value',
      sql`${col(t.value)} IS NOT NULL OR ${col(t.outputs)} IS NOT NULL`,
    ),
  ],
)

/** The latest value of each indicator series (one row per instrument/timeframe/indicator/params). */
export const technicalIndicatorsLatest = sqliteTable(
  'technical_indicators_latest',
  {
    id: intPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    timeframe: text('timeframe', { enum: TIMEFRAMES }).notNull(),
    indicator: text('indicator').notNull(),
    parameters: text('parameters', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    /** Candle the value belongs to. */
    timestamp: epochMs('timestamp').notNull(),
    value: fixed8('value'),
    outputs: text('outputs', { mode: 'json' }).$type<Record<string, number | string | null>>(),
    computedAt: epochMs('computed_at').notNull().default(NOW_MS),
  },
  (t) => [
    uniqueIndex('technical_indicators_latest_series_unique').on(
      t.instrumentId,
      t.timeframe,
      t.indicator,
      t.parameters,
    ),
    enumCheck('technical_indicators_latest_timeframe_enum', t.timeframe),
    notBlankCheck('technical_indicators_latest_indicator_not_blank', t.indicator),
    jsonCheck('technical_indicators_latest_parameters_json_object', t.parameters, 'object'),
    check(
      'technical_indicators_latest_parameters_minified',
      sql`${col(t.parameters)} = json(${col(t.parameters)})`,
    ),
    jsonCheck('technical_indicators_latest_outputs_json_object', t.outputs, 'object'),
    check(
      'technical_indicators_latest_has_value',
      sql`${col(t.value)} IS NOT NULL OR ${col(t.outputs)} IS NOT NULL`,
    ),
  ],
)
