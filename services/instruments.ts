/**
 * Instruments and the futures point-value table: the built-in table (core/instruments/futures.ts)
 * extended by the trader (`blotter instruments set ROOT --multiplier N`). Setting a root's
 * multiplier fixes every contract of that root already in the journal and recomputes its trades.
 */
import { formatDecimal, type Fixed8 } from '../core/decimal'
import { BUILT_IN_FUTURES, type FuturesPointValue } from '../core/instruments/futures'
import { instrumentFillStarts } from '../db/queries/daily-aggregates'
import { rebuildPositions } from '../db/queries/positions'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { afterPositionsChanged } from './risk'

/** system_settings key of the trader's own futures table (root → point value, tick size). */
const USER_FUTURES_KEY = 'instruments.futures'

type StoredTable = Record<string, { multiplier: string; tickSize?: string }>

/** The trader's futures table, as the import service and futuresSpec() take it. */
export function userFuturesTable(ctx: ServiceContext): Record<string, FuturesPointValue> {
  return Object.fromEntries(
    Object.entries(storedTable(ctx)).map(([root, spec]) => [
      root,
      {
        multiplier: BigInt(spec.multiplier),
        ...(spec.tickSize ? { tickSize: BigInt(spec.tickSize) } : {}),
      },
    ]),
  )
}

export function listInstruments(ctx: ServiceContext) {
  const rows = ctx.journal.sqlite
    .prepare(
      `SELECT symbol, asset_class AS assetClass, underlying_symbol AS underlying, expiry, strike,
         put_call AS putCall, multiplier, multiplier_known AS multiplierKnown,
         quote_currency AS currency
       FROM instruments WHERE deleted_at IS NULL ORDER BY symbol`,
    )
    .all() as {
    symbol: string
    assetClass: string
    underlying: string | null
    expiry: string | null
    strike: bigint | null
    putCall: string | null
    multiplier: bigint
    multiplierKnown: bigint
    currency: string
  }[]
  return rows.map((row) => ({
    ...row,
    strike: row.strike === null ? null : formatDecimal(row.strike),
    multiplier: formatDecimal(row.multiplier),
    multiplierKnown: row.multiplierKnown === 1n,
  }))
}

/**
 * Sets a futures root's point value (or a CFD symbol's contract size); returns how many
 * contracts and trades it changed.
 */
export function setFuturesRoot(
  ctx: ServiceContext,
  rootText: string,
  multiplier: Fixed8,
  tickSize: Fixed8 | null,
) {
  const root = rootText.trim().replace(/^\//, '').toUpperCase()
  if (!/^[A-Z0-9]{1,8}$/.test(root)) {
    throw new AppError('invalid_input', `"${rootText}" is not a futures root (e.g. ES, MNQ, 6E)`)
  }
  if (multiplier <= 0n) throw new AppError('invalid_input', '--multiplier must be greater than 0')
  if (tickSize !== null && tickSize <= 0n) {
    throw new AppError('invalid_input', '--tick-size must be greater than 0')
  }
  const sqlite = ctx.journal.sqlite
  return sqlite
    .transaction(() => {
      const table = storedTable(ctx)
      table[root] = {
        multiplier: multiplier.toString(),
        ...(tickSize !== null ? { tickSize: tickSize.toString() } : {}),
      }
      sqlite
        .prepare(
          `INSERT INTO system_settings (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, deleted_at = NULL,
             version = version + 1`,
        )
        .run(USER_FUTURES_KEY, JSON.stringify(table))
      const contracts = sqlite
        .prepare(
          `UPDATE instruments SET multiplier = ?, multiplier_known = 1,
             tick_size = coalesce(?, tick_size)
           WHERE deleted_at IS NULL AND ((asset_class = 'future' AND underlying_symbol = ?)
             OR (asset_class = 'cfd' AND symbol = ?))
           RETURNING id`,
        )
        .pluck()
        .all(multiplier, tickSize, root, root) as string[]
      let trades = 0
      for (const instrumentId of contracts) {
        // Per account, through trades_rebuild_idx (account, instrument, …): no scan of fills.
        const accounts = sqlite
          .prepare(
            `SELECT id FROM accounts a
             WHERE EXISTS (SELECT 1 FROM trades WHERE account_id = a.id AND instrument_id = ?)`,
          )
          .pluck()
          .all(instrumentId) as string[]
        for (const accountId of accounts)
          trades += rebuildPositions(sqlite, accountId, instrumentId)
      }
      afterPositionsChanged(sqlite, instrumentFillStarts(sqlite, contracts))
      return {
        root,
        multiplier: formatDecimal(multiplier),
        builtIn: BUILT_IN_FUTURES.has(root),
        contracts: contracts.length,
        trades,
      }
    })
    .immediate()
}

function storedTable(ctx: ServiceContext): StoredTable {
  const row = ctx.journal.sqlite
    .prepare(`SELECT value FROM system_settings WHERE key = ? AND deleted_at IS NULL`)
    .pluck()
    .get(USER_FUTURES_KEY) as string | undefined
  return row ? (JSON.parse(row) as StoredTable) : {}
}
