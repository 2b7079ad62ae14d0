/**
 * The database itself refuses bad rows: a representative of every kind of CHECK, FOREIGN KEY
 * action and UNIQUE index, each asserting the error names the constraint.
 */
import type Database from 'better-sqlite3'
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as s from '../../db/schema'
import { instrumentIdentityKey } from '../../db/schema'
import { createMigratedDb, type MigratedDb } from '../support/migrated-db'
import {
  expectCheck,
  expectForeignKey,
  expectRejected,
  expectRestrict,
  expectUnique,
  insertAccount,
  insertImportBatch,
  insertInstrument,
  insertPosition,
  insertRiskLimit,
  insertStrategy,
  insertTrade,
  ONE,
  orm,
  type Orm,
} from './fixtures'

let m: MigratedDb
let db: Database.Database
let o: Orm
let refs: { accountId: string; instrumentId: string }
beforeEach(() => {
  m = createMigratedDb()
  db = m.db
  o = orm(db)
  refs = { accountId: insertAccount(o).id, instrumentId: insertInstrument(o).id }
})
afterEach(() => m.cleanup())

const candle = (values: Partial<typeof s.marketData.$inferInsert> = {}) =>
  o
    .insert(s.marketData)
    .values({
      instrumentId: refs.instrumentId,
      timeframe: '1d',
      timestamp: 1_700_000_000_000,
      open: 100n * ONE,
      high: 110n * ONE,
      low: 95n * ONE,
      close: 105n * ONE,
      volume: 1000n * ONE,
      dataSource: 'csv',
      ...values,
    })
    .run()

describe('CHECK constraints', () => {
  it('reject a non-positive or negative quantity', () => {
    expectCheck(() => insertTrade(o, refs, { quantity: -ONE }), 'trades_quantity_positive')
    expectCheck(() => insertTrade(o, refs, { quantity: 0n }), 'trades_quantity_positive')
    expectCheck(() => insertTrade(o, refs, { fee: -1n }), 'trades_fee_non_negative')
    expectCheck(
      () => insertTrade(o, refs, { quantity: 5n * ONE, price: -1n }),
      'trades_price_non_negative',
    )
    expect(insertTrade(o, refs, { price: 0n }).price).toBe(0n) // a zero price is a real fill
  })

  it('reject a value outside an enum', () => {
    expectCheck(() => insertTrade(o, refs, { side: 'hold' as 'buy' }), 'trades_side_enum')
    expectCheck(
      () => insertAccount(o, { lotMatching: 'hifo' as 'fifo' }),
      'accounts_lot_matching_enum',
    )
    expectCheck(
      () => insertPosition(o, refs, { status: 'pending' as 'open' }),
      'positions_status_enum',
    )
    expectCheck(() => candle({ timeframe: '2h' as '1h' }), 'market_data_timeframe_enum')
    expectCheck(
      () => insertRiskLimit(o, refs.accountId, { limitType: 'max_vibes' as 'daily_loss' }),
      'risk_limits_limit_type_enum',
    )
  })

  it('reject a bool that is not 0 or 1', () => {
    const account = insertAccount(o)
    expectCheck(
      () => db.prepare(`UPDATE accounts SET is_archived = 2 WHERE id = ?`).run(account.id),
      'accounts_is_archived_bool',
    )
  })

  it('reject invalid JSON and JSON of the wrong shape', () => {
    const strategy = insertStrategy(o, { config: { risk: 1 }, tags: ['breakout'] })
    const update = (column: string, value: string) => () =>
      db.prepare(`UPDATE strategies SET ${column} = ? WHERE id = ?`).run(value, strategy.id)
    expectCheck(update('config', '{"risk": 1'), 'strategies_config_json_object')
    expectCheck(update('config', '[1, 2]'), 'strategies_config_json_object')
    expectCheck(update('tags', '{"a": 1}'), 'strategies_tags_json_array')
    expectCheck(
      () =>
        db
          .prepare(
            `INSERT INTO system_logs (level, message, context) VALUES ('info', 'x', 'not json')`,
          )
          .run(),
      'system_logs_context_json',
    )
    const read = o.select().from(s.strategies).where(eq(s.strategies.id, strategy.id)).get()
    expect(read?.config).toEqual({ risk: 1 })
    expect(read?.tags).toEqual(['breakout'])
  })

  it('reject an impossible candle', () => {
    expectCheck(() => candle({ high: 104n * ONE }), 'market_data_high_gte_open_close') // < close
    expectCheck(() => candle({ low: 101n * ONE }), 'market_data_low_lte_open_close') // > open
    expectCheck(
      () => candle({ open: 0n, low: 0n }),
      /CHECK constraint failed: market_data_(prices_positive|low_lte_open_close)/,
    )
    expectCheck(() => candle({ volume: -1n }), 'market_data_volume_non_negative')
    candle()
  })

  it('reject a date that is not a real YYYY-MM-DD', () => {
    const option = (expiry: string) =>
      insertInstrument(
        o,
        {
          symbol: `X${expiry}`,
          assetClass: 'option',
          expiry,
          strike: 100n * ONE,
          putCall: 'call',
        },
        { underlyingSymbol: 'X' },
      )
    expectCheck(() => option('2024-02-30'), 'instruments_expiry_date')
    expectCheck(() => option('2024/03/15'), 'instruments_expiry_date')
    expectCheck(() => option('2024-3-15'), 'instruments_expiry_date')
    expect(option('2024-02-29').expiry).toBe('2024-02-29')
  })

  it('tie a position status to closed_at and order the times', () => {
    expectCheck(
      () => insertPosition(o, refs, { status: 'closed', exitPrice: ONE }),
      'positions_closed_at_iff_closed',
    )
    expectCheck(
      () => insertPosition(o, refs, { status: 'open', closedAt: 1_700_000_000_001 }),
      'positions_closed_at_iff_closed',
    )
    expectCheck(
      () =>
        insertPosition(o, refs, {
          status: 'closed',
          exitPrice: ONE,
          openedAt: 1_700_000_000_000,
          closedAt: 1_699_999_999_999,
        }),
      'positions_closed_after_opened',
    )
    const closed = insertPosition(o, refs, {
      status: 'closed',
      exitPrice: 151n * ONE,
      closedAt: 1_700_000_000_000, // same instant as opened: allowed
    })
    expect(closed.status).toBe('closed')
  })

  it('keep order fills within the order quantity', () => {
    const order = (filledQuantity: bigint) =>
      o
        .insert(s.orders)
        .values({
          ...refs,
          side: 'buy',
          orderType: 'limit',
          quantity: 10n * ONE,
          filledQuantity,
          limitPrice: 150n * ONE,
          placedAt: 1,
        })
        .run()
    expectCheck(() => order(11n * ONE), 'orders_filled_quantity_range')
    expectCheck(() => order(-1n), 'orders_filled_quantity_range')
    order(10n * ONE)
  })

  it('enforce instrument identity and option fields', () => {
    const identity = {
      symbol: 'AAPL',
      exchange: null,
      assetClass: 'stock',
      expiry: null,
      strike: null,
      putCall: null,
    } as const
    expectCheck(
      () =>
        o
          .insert(s.instruments)
          .values({
            ...identity,
            identityKey: instrumentIdentityKey({ ...identity, exchange: 'XNAS' }),
          })
          .run(),
      'instruments_identity_key_matches',
    )
    expectCheck(
      () => insertInstrument(o, { symbol: 'AAPL C', assetClass: 'option', expiry: '2024-06-21' }),
      'instruments_option_fields',
    )
    expectCheck(
      () => insertInstrument(o, {}, { multiplier: 0n }),
      'instruments_multiplier_positive',
    )
  })

  it('require exactly one target for a note', () => {
    const position = insertPosition(o, refs)
    const note = (values: Partial<typeof s.notes.$inferInsert>) =>
      o
        .insert(s.notes)
        .values({ body: 'text', ...values })
        .run()
    expectCheck(() => note({}), 'notes_exactly_one_target')
    expectCheck(
      () => note({ positionId: position.id, accountId: refs.accountId, day: '2024-01-02' }),
      'notes_exactly_one_target',
    )
    expectCheck(() => note({ accountId: refs.accountId }), 'notes_exactly_one_target')
    expectCheck(
      () => note({ accountId: refs.accountId, day: '2024-13-01' }),
      /CHECK constraint failed: notes_(day_date|exactly_one_target)/,
    )
    note({ positionId: position.id })
    note({ accountId: refs.accountId, day: '2024-01-02' })
  })

  it('keep risk limit units consistent with the limit type', () => {
    expectCheck(
      () =>
        insertRiskLimit(o, refs.accountId, { limitType: 'max_trades_per_day', unit: 'absolute' }),
      'risk_limits_count_unit_matches_type',
    )
    expectCheck(
      () => insertRiskLimit(o, refs.accountId, { limitType: 'daily_loss', unit: 'count' }),
      'risk_limits_count_unit_matches_type',
    )
    expectCheck(
      () =>
        insertRiskLimit(o, refs.accountId, {
          limitType: 'max_trades_per_day',
          unit: 'count',
          value: ONE + ONE / 2n,
        }),
      'risk_limits_count_is_whole',
    )
    expectCheck(
      () => insertRiskLimit(o, refs.accountId, { value: 0n }),
      'risk_limits_value_positive',
    )
  })

  it('never let a secret setting hold a plain-text value', () => {
    expectCheck(
      () =>
        o
          .insert(s.systemSettings)
          .values({ key: 'sync.postgresUrl', value: 'postgres://u:pw@h/db', isSecret: true })
          .run(),
      'system_settings_secret_not_plain',
    )
    expectCheck(
      () => o.insert(s.systemSettings).values({ key: 'Bad Key', value: 1 }).run(),
      'system_settings_key_shape',
    )
    o.insert(s.systemSettings)
      .values({ key: 'sync.postgresUrl', isSecret: true, encryptedValue: Buffer.from([1, 2]) })
      .run()
    o.insert(s.systemSettings).values({ key: 'ui.theme', value: 'dark' }).run()
    expect(
      db.prepare(`SELECT value FROM system_settings WHERE key = 'ui.theme'`).pluck().get(),
    ).toBe('"dark"')
  })

  it('reject a malformed hash and currency code', () => {
    expectCheck(
      () => insertImportBatch(o, refs.accountId, { sha256: 'ABC' }),
      'import_batches_sha256_hex',
    )
    expectCheck(() => insertTrade(o, refs, { currency: 'usd' }), 'trades_currency_code')
  })
})

describe('FOREIGN KEY constraints', () => {
  it('reject a child whose parent does not exist', () => {
    expectForeignKey(() => insertTrade(o, { ...refs, accountId: 'no-such-account' }))
    expectForeignKey(() => insertTrade(o, { ...refs, instrumentId: 'no-such-instrument' }))
    expectForeignKey(() => insertPosition(o, refs, { strategyId: 'no-such-strategy' }))
  })

  it('CASCADE: undoing an import batch deletes its fills, and only those', () => {
    const batch = insertImportBatch(o, refs.accountId)
    insertTrade(o, refs, { importBatchId: batch.id, sourceLine: 2 })
    insertTrade(o, refs, { importBatchId: batch.id, sourceLine: 3 })
    const typedIn = insertTrade(o, refs)
    o.delete(s.importBatches).where(eq(s.importBatches.id, batch.id)).run()
    expect(o.select({ id: s.trades.id }).from(s.trades).all()).toEqual([{ id: typedIn.id }])
  })

  it('CASCADE: deleting a position deletes its tags links and notes, not the tags', () => {
    const position = insertPosition(o, refs)
    const tag = o.insert(s.tags).values({ name: 'A+ setup' }).returning().get()
    o.insert(s.positionTags).values({ positionId: position.id, tagId: tag.id }).run()
    o.insert(s.notes).values({ positionId: position.id, body: 'held too long' }).run()
    o.delete(s.positions).where(eq(s.positions.id, position.id)).run()
    expect(o.select().from(s.positionTags).all()).toEqual([])
    expect(o.select().from(s.notes).all()).toEqual([])
    expect(o.select().from(s.tags).all()).toHaveLength(1)
  })

  it('SET NULL: deleting a strategy or an order keeps positions and fills', () => {
    const parent = insertStrategy(o)
    const child = insertStrategy(o, { parentStrategyId: parent.id })
    const position = insertPosition(o, refs, { strategyId: parent.id })
    const order = o
      .insert(s.orders)
      .values({ ...refs, side: 'buy', orderType: 'market', quantity: ONE, placedAt: 1 })
      .returning()
      .get()
    const fill = insertTrade(o, refs, { orderId: order.id })

    o.delete(s.strategies).where(eq(s.strategies.id, parent.id)).run()
    o.delete(s.orders).where(eq(s.orders.id, order.id)).run()

    const pos = o.select().from(s.positions).where(eq(s.positions.id, position.id)).get()
    expect(pos?.strategyId).toBeNull()
    const kid = o.select().from(s.strategies).where(eq(s.strategies.id, child.id)).get()
    expect(kid?.parentStrategyId).toBeNull()
    expect(o.select().from(s.trades).where(eq(s.trades.id, fill.id)).get()?.orderId).toBeNull()
  })

  it('RESTRICT: an account or instrument with fills cannot be deleted', () => {
    insertTrade(o, refs)
    expectRestrict(() =>
      o.delete(s.instruments).where(eq(s.instruments.id, refs.instrumentId)).run(),
    )
    expectRestrict(() => o.delete(s.accounts).where(eq(s.accounts.id, refs.accountId)).run())
    expect(o.select().from(s.trades).all()).toHaveLength(1)
  })
})

describe('UNIQUE constraints', () => {
  it('reject a duplicate broker execution id in an account, allow it in another', () => {
    insertTrade(o, refs, { brokerExecutionId: 'E1' })
    expectUnique(
      () => insertTrade(o, refs, { brokerExecutionId: 'E1' }),
      'trades.account_id, trades.broker_execution_id',
    )
    const other = insertAccount(o)
    insertTrade(o, { ...refs, accountId: other.id }, { brokerExecutionId: 'E1' })
    // Fills without an execution id are not collapsed by it.
    insertTrade(o, refs)
    insertTrade(o, refs)
    expect(o.select().from(s.trades).all()).toHaveLength(4)
  })

  it('reject a duplicate content key in an account', () => {
    insertTrade(o, refs, { contentKey: 'k1' })
    expectUnique(
      () => insertTrade(o, refs, { contentKey: 'k1' }),
      'trades.account_id, trades.content_key',
    )
    insertTrade(o, { ...refs, accountId: insertAccount(o).id }, { contentKey: 'k1' })
  })

  it('reject a second candle for the same instrument, timeframe, time and source', () => {
    candle()
    expectUnique(
      () => candle(),
      'market_data.instrument_id, market_data.timeframe, market_data.timestamp, market_data.data_source',
    )
    candle({ dataSource: 'yahoo' })
    candle({ timeframe: '1h' })
  })

  it('treat NULL parts of an instrument identity as equal', () => {
    const aapl = { symbol: 'AAPL', exchange: null, assetClass: 'stock' } as const
    const first = insertInstrument(o, aapl)
    expectUnique(() => insertInstrument(o, aapl), 'instruments.identity_key')
    insertInstrument(o, { ...aapl, assetClass: 'cfd' })
    // A soft-deleted instrument frees its identity.
    o.update(s.instruments).set({ deletedAt: 1 }).where(eq(s.instruments.id, first.id)).run()
    insertInstrument(o, aapl)
  })

  it('compare tag names case-insensitively among live tags', () => {
    const tag = o.insert(s.tags).values({ name: 'Breakout' }).returning().get()
    expectUnique(() => o.insert(s.tags).values({ name: 'breakout' }).run(), 'tags.name')
    o.update(s.tags).set({ deletedAt: 1 }).where(eq(s.tags.id, tag.id)).run()
    o.insert(s.tags).values({ name: 'BREAKOUT' }).run()
  })

  it('keep trade keys unique per account, tombstones included', () => {
    const position = insertPosition(o, refs, { tradeKey: 'T1' })
    o.update(s.positions).set({ deletedAt: 1 }).where(eq(s.positions.id, position.id)).run()
    expectUnique(
      () => insertPosition(o, refs, { tradeKey: 'T1' }),
      'positions.account_id, positions.trade_key',
    )
    insertPosition(o, { ...refs, accountId: insertAccount(o).id }, { tradeKey: 'T1' })
  })

  it('fire a risk breach once per limit and breach key', () => {
    const limit = insertRiskLimit(o, refs.accountId)
    const event = {
      riskLimitId: limit.id,
      accountId: refs.accountId,
      day: '2024-03-01',
      severity: 'breach',
      breachKey: '2024-03-01:breach',
      observedValue: -600n * ONE,
      limitValue: 500n * ONE,
      message: 'Daily loss limit broken',
    } as const
    o.insert(s.riskEvents).values(event).run()
    expectUnique(
      () => o.insert(s.riskEvents).values(event).run(),
      'risk_events.risk_limit_id, risk_events.breach_key',
    )
    // The risk check re-runs idempotently with ON CONFLICT DO NOTHING.
    o.insert(s.riskEvents).values(event).onConflictDoNothing().run()
    expect(o.select().from(s.riskEvents).all()).toHaveLength(1)
  })

  it('keep strategy versions unique per strategy', () => {
    const strategy = insertStrategy(o)
    o.insert(s.strategyVersions).values({ strategyId: strategy.id, version: 1, config: {} }).run()
    expectUnique(
      () =>
        o
          .insert(s.strategyVersions)
          .values({ strategyId: strategy.id, version: 1, config: {} })
          .run(),
      'strategy_versions.strategy_id, strategy_versions.version',
    )
  })

  it('reject a NOT NULL column left empty, naming it', () => {
    expectRejected(
      () => db.prepare(`INSERT INTO accounts (id, name) VALUES ('a', 'x')`).run(),
      'SQLITE_CONSTRAINT_NOTNULL',
      'NOT NULL constraint failed: accounts.broker',
    )
  })
})
