/**
 * A journal of closed round trips at scale, for the statistics benchmark: 3 accounts, 40
 * instruments of four asset classes, 3 strategies, 5 tags; P&L, hold times, initial risk,
 * strategies and tags drawn from a fixed-seed generator, so every run sees the same journal.
 * Rows go straight into `positions` (no fills): statistics read only closed positions.
 */
import type Database from 'better-sqlite3'

export interface SeededJournal {
  accounts: string[]
  strategies: string[]
  tags: string[]
}

const ASSET_CLASSES = ['stock', 'future', 'crypto', 'forex'] as const
const E8 = 100_000_000n
const MINUTE = 60_000

/** Park–Miller minimal standard generator: deterministic and fast. */
function generator(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 48_271) % 2_147_483_647
    return state / 2_147_483_647
  }
}

/** Inserts `count` closed positions (plus their accounts, instruments, strategies, tags). */
export function seedClosedPositions(sqlite: Database.Database, count: number): SeededJournal {
  const accounts = ['Main', 'Futures', 'Crypto']
  const strategies = ['Breakout', 'Pullback', 'Fade']
  const tags = ['a-setup', 'b-setup', 'news', 'mistake', 'revenge']
  const random = generator(20_260_302)
  sqlite.transaction(() => {
    const addAccount = sqlite.prepare(
      `INSERT INTO accounts (id, name, broker, starting_balance) VALUES (?, ?, 'bench', ?)`,
    )
    accounts.forEach((name, i) => addAccount.run(`acct-${i}`, name, 25_000n * E8))
    const addInstrument = sqlite.prepare(
      `INSERT INTO instruments (id, symbol, asset_class, identity_key)
       VALUES (?, ?, ?, json_array(?, NULL, ?, NULL, NULL, NULL))`,
    )
    for (let i = 0; i < 40; i++) {
      const assetClass = ASSET_CLASSES[i % ASSET_CLASSES.length] as string
      addInstrument.run(`inst-${i}`, `SYM${i}`, assetClass, `SYM${i}`, assetClass)
    }
    const addStrategy = sqlite.prepare(`INSERT INTO strategies (id, name) VALUES (?, ?)`)
    strategies.forEach((name, i) => addStrategy.run(`strat-${i}`, name))
    const addTag = sqlite.prepare(`INSERT INTO tags (id, name) VALUES (?, ?)`)
    tags.forEach((name, i) => addTag.run(`tag-${i}`, name))

    const addPosition = sqlite.prepare(
      `INSERT INTO positions (id, trade_key, account_id, instrument_id, side, status, quantity,
         entry_price, exit_price, fees, gross_pnl, net_pnl, opened_at, closed_at, strategy_id,
         initial_risk, fill_count)
       VALUES (?, ?, ?, ?, ?, 'closed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2)`,
    )
    const addTagLink = sqlite.prepare(
      `INSERT INTO position_tags (position_id, tag_id) VALUES (?, ?)`,
    )
    // About 1,000 trades a day over four years at this size; spacing scales with count.
    const start = Date.UTC(2022, 0, 3, 14, 30)
    const spacing = Math.max(1, Math.floor((4 * 365 * 24 * 60 * MINUTE) / count))
    for (let i = 0; i < count; i++) {
      const id = `pos-${i.toString(36).padStart(8, '0')}`
      const closedAt = start + i * spacing
      const holdMs = Math.floor(random() * random() * 3 * 24 * 60) * MINUTE + MINUTE
      const gross = BigInt(Math.floor((random() - 0.47) * 100_000)) * 1_000_000n
      const fees = BigInt(Math.floor(random() * 500)) * 1_000_000n
      const entry = BigInt(50 + Math.floor(random() * 200)) * E8
      addPosition.run(
        id,
        id,
        `acct-${i % accounts.length}`,
        `inst-${Math.floor(random() * 40)}`,
        random() < 0.6 ? 'long' : 'short',
        BigInt(1 + Math.floor(random() * 10)) * E8,
        entry,
        entry + E8,
        fees,
        gross,
        gross - fees,
        closedAt - holdMs,
        closedAt,
        random() < 0.5 ? `strat-${Math.floor(random() * strategies.length)}` : null,
        random() < 0.6 ? BigInt(50 + Math.floor(random() * 250)) * E8 : null,
      )
      if (random() < 0.2) addTagLink.run(id, `tag-${Math.floor(random() * tags.length)}`)
    }
  })()
  return { accounts, strategies, tags }
}
