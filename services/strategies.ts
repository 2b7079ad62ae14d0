/**
 * Strategies: create, edit (optimistic locking on `version`), archive, list; every change of
 * config or checklist rules is kept as a strategy_versions row. Assigning round trips to a
 * strategy by hand or by its rules (`config.assignment`, core/strategy-rules.ts); every
 * assignment change refreshes strategy_performance of the strategies it touched.
 *
 * What is versioned: config and rules, the strategy's definition. Name, description, type,
 * status and tags are labels: changing only them writes no version (docs/strategies.md).
 */
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import {
  assignmentRulesOf,
  type ApplyRulesResult,
  type AssignResult,
  type ChecklistInput,
  type ChecklistItem,
  type ParsedInput,
  type StrategyDetail,
  type StrategyStatus,
  type StrategyType,
  type StrategyVersionView,
  type StrategyView,
} from '../contract'
import { compileRules, rulesUseTags, type RuleMatcher } from '../core/strategy-rules'
import { toIsoUtc } from '../core/time'
import { refreshStrategyPerformance } from '../db/queries/daily-aggregates'
import type {
  STRATEGY_STATUSES as STORED_STATUSES,
  STRATEGY_TYPES as STORED_TYPES,
} from '../db/schema/strategies'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { settingValue } from './settings'

// The contract's enums must be the CHECKs' (contract/ cannot import db/).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const typesMatch: Same<StrategyType, (typeof STORED_TYPES)[number]> = true
const statusesMatch: Same<StrategyStatus, (typeof STORED_STATUSES)[number]> = true
void [typesMatch, statusesMatch]

interface StrategyRow {
  id: string
  name: string
  description: string | null
  type: StrategyType
  status: StrategyStatus
  config: string
  tags: string
  rules: string
  configVersion: bigint
  version: bigint
  createdAt: bigint
  updatedAt: bigint
  trades: bigint
}

const STRATEGY_COLUMNS = `s.id, s.name, s.description, s.type, s.status, s.config, s.tags,
  s.rules, s.config_version AS configVersion, s.version, s.created_at AS createdAt,
  s.updated_at AS updatedAt,
  (SELECT count(*) FROM positions p WHERE p.strategy_id = s.id AND p.deleted_at IS NULL) AS trades`

/** The strategy a reference (its id, or its name in any case) names, or not_found. */
export function resolveStrategy(sqlite: Database.Database, reference: string): StrategyRow {
  const byId = sqlite
    .prepare(`SELECT ${STRATEGY_COLUMNS} FROM strategies s WHERE s.id = ? AND s.deleted_at IS NULL`)
    .get(reference) as StrategyRow | undefined
  if (byId) return byId
  const wanted = reference.trim().toLowerCase()
  const byName = (
    sqlite
      .prepare(
        `SELECT ${STRATEGY_COLUMNS} FROM strategies s WHERE s.deleted_at IS NULL ORDER BY s.created_at`,
      )
      .all() as StrategyRow[]
  ).find((row) => row.name.toLowerCase() === wanted)
  if (!byName) {
    throw new AppError('not_found', `No strategy "${reference}" (blotter strategies lists them)`)
  }
  return byName
}

function toView(row: StrategyRow): StrategyView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    status: row.status,
    config: JSON.parse(row.config) as Record<string, unknown>,
    tags: JSON.parse(row.tags) as string[],
    rules: storedChecklist(row.rules),
    configVersion: Number(row.configVersion),
    version: Number(row.version),
    trades: Number(row.trades),
    createdAt: toIsoUtc(Number(row.createdAt)),
    updatedAt: toIsoUtc(Number(row.updatedAt)),
  }
}

/** A stored checklist; plain strings (written by hand or by another tool) get positional ids. */
function storedChecklist(json: string): ChecklistItem[] {
  const items = JSON.parse(json) as unknown[]
  return items.map((item, index) =>
    typeof item === 'string' ? { id: `r${index + 1}`, text: item } : (item as ChecklistItem),
  )
}

/**
 * Checklist lines with ids: a line given with an id keeps it; a line without one takes the id
 * of an unclaimed previous line with the same text (so re-sending the texts keeps the ids), else
 * the next free `r<n>`.
 */
export function normaliseChecklist(
  input: ChecklistInput,
  previous: readonly ChecklistItem[],
): ChecklistItem[] {
  const explicit = input.flatMap((item) => (typeof item === 'object' && item.id ? [item.id] : []))
  const duplicate = explicit.find((id, index) => explicit.indexOf(id) !== index)
  if (duplicate !== undefined) {
    throw new AppError('invalid_input', `rules: the id "${duplicate}" is used twice`, [
      { path: 'rules', message: `duplicate id ${duplicate}` },
    ])
  }
  const claimed = new Set(explicit)
  const numbered = [...previous.map((item) => item.id), ...explicit]
    .map((id) => /^r(\d+)$/.exec(id)?.[1])
    .filter((digits): digits is string => digits !== undefined)
  let next = Math.max(0, ...numbered.map(Number)) + 1
  return input.map((item) => {
    const text = typeof item === 'string' ? item : item.text
    if (typeof item === 'object' && item.id) return { id: item.id, text }
    const same = previous.find((old) => old.text === text && !claimed.has(old.id))
    const id = same?.id ?? `r${next++}`
    claimed.add(id)
    return { id, text }
  })
}

/** Tags trimmed, blanks and repeats dropped, order kept. */
function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))]
}

/** JSON with object keys sorted, so two configs compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : inner,
  )
}

function assertNameFree(sqlite: Database.Database, name: string, exceptId: string | null): void {
  const wanted = name.toLowerCase()
  const taken = (
    sqlite.prepare(`SELECT id, name FROM strategies WHERE deleted_at IS NULL`).all() as {
      id: string
      name: string
    }[]
  ).find((row) => row.id !== exceptId && row.name.toLowerCase() === wanted)
  if (taken) {
    throw new AppError('conflict', `A strategy named "${taken.name}" already exists`)
  }
}

function readVersions(sqlite: Database.Database, strategyId: string): StrategyVersionView[] {
  const rows = sqlite
    .prepare(
      `SELECT version, config, rules, change_note AS changeNote, created_at AS createdAt
       FROM strategy_versions WHERE strategy_id = ? AND deleted_at IS NULL ORDER BY version`,
    )
    .all(strategyId) as {
    version: bigint
    config: string
    rules: string
    changeNote: string | null
    createdAt: bigint
  }[]
  return rows.map((row) => ({
    version: Number(row.version),
    config: JSON.parse(row.config) as Record<string, unknown>,
    rules: storedChecklist(row.rules),
    changeNote: row.changeNote,
    createdAt: toIsoUtc(Number(row.createdAt)),
  }))
}

function detail(sqlite: Database.Database, reference: string): StrategyDetail {
  const row = resolveStrategy(sqlite, reference)
  return { ...toView(row), versions: readVersions(sqlite, row.id) }
}

function insertVersion(
  sqlite: Database.Database,
  strategyId: string,
  version: number,
  config: string,
  rules: string,
  changeNote: string | null,
): void {
  sqlite
    .prepare(
      `INSERT INTO strategy_versions (id, strategy_id, version, config, rules, change_note)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(uuidv7(), strategyId, version, config, rules, changeNote)
}

export function listStrategies(
  ctx: ServiceContext,
  input: ParsedInput<'strategies.list'>,
): StrategyView[] {
  const rows = ctx.journal.sqlite
    .prepare(
      `SELECT ${STRATEGY_COLUMNS} FROM strategies s
       WHERE s.deleted_at IS NULL AND (@status IS NULL OR s.status = @status)
       ORDER BY s.name COLLATE NOCASE, s.id`,
    )
    .all({ status: input.status ?? null }) as StrategyRow[]
  return rows.map(toView)
}

export function getStrategy(
  ctx: ServiceContext,
  input: ParsedInput<'strategies.get'>,
): StrategyDetail {
  return detail(ctx.journal.sqlite, input.strategy)
}

export function createStrategy(
  ctx: ServiceContext,
  input: ParsedInput<'strategies.create'>,
): StrategyDetail {
  const sqlite = ctx.journal.sqlite
  const id = uuidv7()
  const config = JSON.stringify(input.config)
  const rules = JSON.stringify(normaliseChecklist(input.rules, []))
  sqlite
    .transaction(() => {
      assertNameFree(sqlite, input.name, null)
      sqlite
        .prepare(
          `INSERT INTO strategies (id, name, description, type, status, config, tags, rules,
             config_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        )
        .run(
          id,
          input.name,
          input.description,
          input.type,
          input.status,
          config,
          JSON.stringify(normaliseTags(input.tags)),
          rules,
        )
      insertVersion(sqlite, id, 1, config, rules, input.changeNote ?? null)
    })
    .immediate()
  return detail(sqlite, id)
}

export function updateStrategy(
  ctx: ServiceContext,
  input: ParsedInput<'strategies.update'>,
): StrategyDetail {
  const sqlite = ctx.journal.sqlite
  const id = sqlite
    .transaction(() => {
      const row = resolveStrategy(sqlite, input.strategy)
      assertCurrent(row, input.version)
      const name = input.name ?? row.name
      if (name !== row.name) assertNameFree(sqlite, name, row.id)
      const config = input.config === undefined ? row.config : JSON.stringify(input.config)
      const previousRules = storedChecklist(row.rules)
      const rules =
        input.rules === undefined
          ? JSON.stringify(previousRules)
          : JSON.stringify(normaliseChecklist(input.rules, previousRules))
      const definitionChanged =
        canonicalJson(JSON.parse(config)) !== canonicalJson(JSON.parse(row.config)) ||
        rules !== JSON.stringify(previousRules)
      const configVersion = Number(row.configVersion) + (definitionChanged ? 1 : 0)
      const updated = sqlite
        .prepare(
          `UPDATE strategies SET name = ?, description = ?, type = ?, status = ?, config = ?,
             tags = ?, rules = ?, config_version = ?, version = version + 1
           WHERE id = ? AND version = ?`,
        )
        .run(
          name,
          input.description === undefined ? row.description : input.description,
          input.type ?? row.type,
          input.status ?? row.status,
          config,
          input.tags === undefined ? row.tags : JSON.stringify(normaliseTags(input.tags)),
          rules,
          configVersion,
          row.id,
          input.version,
        )
      if (updated.changes === 0) throw staleEdit(row, input.version)
      if (definitionChanged) {
        insertVersion(sqlite, row.id, configVersion, config, rules, input.changeNote ?? null)
      }
      return row.id
    })
    .immediate()
  return detail(sqlite, id)
}

function assertCurrent(row: StrategyRow, version: number | undefined): void {
  if (version !== undefined && Number(row.version) !== version) throw staleEdit(row, version)
}

function staleEdit(row: StrategyRow, version: number): AppError {
  return new AppError(
    'conflict',
    `Strategy "${row.name}" changed since you read it (your edit is based on version ${version}, ` +
      `it is now at version ${row.version}): reload it and edit again`,
  )
}

/** Archiving keeps the strategy, its versions and its trades; it only leaves the active lists. */
export function archiveStrategy(
  ctx: ServiceContext,
  input: ParsedInput<'strategies.archive'>,
): StrategyView {
  const sqlite = ctx.journal.sqlite
  const id = sqlite
    .transaction(() => {
      const row = resolveStrategy(sqlite, input.strategy)
      assertCurrent(row, input.version)
      if (row.status !== 'archived') {
        sqlite
          .prepare(
            `UPDATE strategies SET status = 'archived', version = version + 1 WHERE id = ? AND version = ?`,
          )
          .run(row.id, row.version)
      }
      return row.id
    })
    .immediate()
  return toView(resolveStrategy(sqlite, id))
}

// ---------------------------------------------------------------------------------------------
// Assigning round trips

/** Rows per `IN (…)` list: far below SQLite's parameter limit. */
const CHUNK = 500

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let at = 0; at < items.length; at += CHUNK) out.push(items.slice(at, at + CHUNK))
  return out
}

/** Assigns round trips to a strategy by hand (or takes them off it, with unassign). */
export function assignTrades(
  ctx: ServiceContext,
  input: ParsedInput<'strategies.assign'>,
): AssignResult {
  const sqlite = ctx.journal.sqlite
  return sqlite
    .transaction(() => {
      const strategy = resolveStrategy(sqlite, input.strategy)
      if (!input.unassign && strategy.status === 'archived') {
        throw new AppError(
          'conflict',
          `Strategy "${strategy.name}" is archived: set its status to active before assigning trades to it`,
        )
      }
      const ids = [...new Set(input.trades)]
      const current = new Map<string, string | null>()
      for (const part of chunks(ids)) {
        const rows = sqlite
          .prepare(
            `SELECT id, strategy_id AS strategyId FROM positions
             WHERE deleted_at IS NULL AND id IN (${part.map(() => '?').join(', ')})`,
          )
          .all(...part) as { id: string; strategyId: string | null }[]
        for (const row of rows) current.set(row.id, row.strategyId)
      }
      const missing = ids.filter((id) => !current.has(id))
      if (missing.length > 0) {
        throw new AppError(
          'not_found',
          `No trade ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''} (blotter trades --json lists trade ids)`,
        )
      }
      const assign = sqlite.prepare(
        `UPDATE positions SET strategy_id = ?, version = version + 1 WHERE id = ?`,
      )
      const touched = new Set<string>()
      let changed = 0
      for (const [positionId, previous] of current) {
        const next = input.unassign ? (previous === strategy.id ? null : previous) : strategy.id
        if (next === previous) continue
        assign.run(next, positionId)
        if (previous !== null) touched.add(previous)
        if (next !== null) touched.add(next)
        changed += 1
      }
      if (touched.size > 0) refreshStrategyPerformance(sqlite, [...touched])
      return { strategy: strategy.name, changed, unchanged: ids.length - changed }
    })
    .immediate()
}

interface Candidate {
  id: string
  strategyId: string | null
  symbol: string
  underlying: string | null
  account: string
  side: 'long' | 'short'
  openedAt: number
  tags: string[]
}

const AMBIGUOUS_LISTED = 100

/** A strategy whose rules are being applied, and what they did. */
interface Ruled {
  id: string
  matches: RuleMatcher
  tally: ApplyRulesResult['strategies'][number]
}

/**
 * Assigns round trips by the strategies' rules: one strategy's (even paused or draft), else
 * every active strategy's. A round trip that rules of several strategies claim is left alone and
 * reported. Without force only unassigned round trips change; never is one unassigned.
 */
export function applyRules(
  ctx: ServiceContext,
  input: ParsedInput<'strategies.applyRules'>,
): ApplyRulesResult {
  const sqlite = ctx.journal.sqlite
  const zone = settingValue(ctx, 'journal.timezone')
  const work = () => {
    const strategies = input.strategy
      ? [resolveStrategy(sqlite, input.strategy)]
      : (sqlite
          .prepare(
            `SELECT ${STRATEGY_COLUMNS} FROM strategies s
             WHERE s.deleted_at IS NULL AND s.status = 'active' ORDER BY s.name COLLATE NOCASE, s.id`,
          )
          .all() as StrategyRow[])
    const ruled: Ruled[] = []
    let needTags = false
    for (const row of strategies) {
      if (input.strategy && row.status === 'archived') {
        throw new AppError('conflict', `Strategy "${row.name}" is archived: its rules do not apply`)
      }
      const rules = assignmentRulesOf(JSON.parse(row.config) as Record<string, unknown>)
      if (rules.length === 0) {
        if (input.strategy) {
          throw new AppError(
            'invalid_input',
            `Strategy "${row.name}" has no assignment rules (config.assignment, see docs/strategies.md)`,
          )
        }
        continue
      }
      needTags ||= rulesUseTags(rules)
      ruled.push({
        id: row.id,
        matches: compileRules(rules, zone),
        tally: { strategy: row.name, matched: 0, assigned: 0 },
      })
    }

    const result: ApplyRulesResult = {
      dryRun: input.dryRun,
      assigned: 0,
      reassigned: 0,
      kept: 0,
      ambiguous: [],
      ambiguousCount: 0,
      strategies: ruled.map((strategy) => strategy.tally),
    }
    // Written after the scan: the connection cannot write while a read is iterating.
    const writes: [strategyId: string, positionId: string][] = []
    const touched = new Set<string>()
    for (const candidate of candidates(sqlite, needTags)) {
      const matching = ruled.filter((strategy) => strategy.matches(candidate))
      for (const strategy of matching) strategy.tally.matched += 1
      const target = matching[0]
      if (!target || matching.some((strategy) => strategy.id === candidate.strategyId)) continue
      if (matching.length > 1) {
        result.ambiguousCount += 1
        if (result.ambiguous.length < AMBIGUOUS_LISTED) {
          result.ambiguous.push({
            trade: candidate.id,
            strategies: matching.map((strategy) => strategy.tally.strategy),
          })
        }
        continue
      }
      if (candidate.strategyId !== null && !input.force) {
        result.kept += 1
        continue
      }
      if (candidate.strategyId === null) result.assigned += 1
      else {
        result.reassigned += 1
        touched.add(candidate.strategyId)
      }
      target.tally.assigned += 1
      touched.add(target.id)
      writes.push([target.id, candidate.id])
    }
    if (!input.dryRun && writes.length > 0) {
      const assign = sqlite.prepare(
        `UPDATE positions SET strategy_id = ?, version = version + 1 WHERE id = ?`,
      )
      for (const write of writes) assign.run(...write)
      refreshStrategyPerformance(sqlite, [...touched])
    }
    return result
  }
  return input.dryRun ? work() : sqlite.transaction(work).immediate()
}

/** Every live round trip as the rules see it, streamed. */
function* candidates(sqlite: Database.Database, withTags: boolean): Generator<Candidate, void> {
  const tags = new Map<string, string[]>()
  if (withTags) {
    const rows = sqlite
      .prepare(
        `SELECT pt.position_id, t.name FROM position_tags pt JOIN tags t ON t.id = pt.tag_id
         WHERE pt.deleted_at IS NULL AND t.deleted_at IS NULL`,
      )
      .raw()
      .all() as [string, string][]
    for (const [positionId, name] of rows) {
      const list = tags.get(positionId)
      if (list) list.push(name)
      else tags.set(positionId, [name])
    }
  }
  const rows = sqlite
    .prepare(
      `SELECT p.id, p.strategy_id, i.symbol, i.underlying_symbol, a.name, p.side, p.opened_at
       FROM positions p JOIN instruments i ON i.id = p.instrument_id
         JOIN accounts a ON a.id = p.account_id
       WHERE p.deleted_at IS NULL ORDER BY p.opened_at, p.id`,
    )
    .raw()
    .iterate() as Iterable<
    [string, string | null, string, string | null, string, 'long' | 'short', bigint]
  >
  for (const [id, strategyId, symbol, underlying, account, side, openedAt] of rows) {
    yield {
      id,
      strategyId,
      symbol,
      underlying,
      account,
      side,
      openedAt: Number(openedAt),
      tags: tags.get(id) ?? [],
    }
  }
}
