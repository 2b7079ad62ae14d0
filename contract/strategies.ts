/**
 * Strategies and playbooks: strategies with versioned config and rules, assigning round trips to
 * them (by hand or by rule), signals and backtests. Amounts cross as decimal strings, times as
 * ISO 8601 UTC, ratios as numbers.
 */
import { z } from 'zod'
import { isDecimal } from '../core/decimal'
import { minutesOfDay, WEEKDAYS, type AssignmentRule } from '../core/strategy-rules'
import type { RowErrorView } from './journal'
import type { StatisticsView } from './stats'

export const STRATEGY_TYPES = ['discretionary', 'systematic', 'hybrid'] as const
export const STRATEGY_STATUSES = ['draft', 'active', 'paused', 'archived'] as const
export type StrategyType = (typeof STRATEGY_TYPES)[number]
export type StrategyStatus = (typeof STRATEGY_STATUSES)[number]

/** One line of a strategy's checklist. The id stays the same when the text is edited. */
export interface ChecklistItem {
  id: string
  text: string
}

export interface StrategyView {
  id: string
  name: string
  description: string | null
  type: StrategyType
  status: StrategyStatus
  config: Record<string, unknown>
  tags: string[]
  rules: ChecklistItem[]
  /** Number of the current config and rules in the strategy's versions. */
  configVersion: number
  /** Optimistic-locking counter: pass it back with an edit. */
  version: number
  /** Live round trips assigned to the strategy. */
  trades: number
  createdAt: string
  updatedAt: string
}

export interface StrategyVersionView {
  version: number
  config: Record<string, unknown>
  rules: ChecklistItem[]
  changeNote: string | null
  createdAt: string
}

export interface StrategyDetail extends StrategyView {
  /** Oldest first. */
  versions: StrategyVersionView[]
}

export interface AssignResult {
  strategy: string
  /** Round trips whose strategy changed. */
  changed: number
  /** Round trips that already were as asked. */
  unchanged: number
}

export interface ApplyRulesResult {
  dryRun: boolean
  /** Unassigned round trips given a strategy. */
  assigned: number
  /** Round trips moved from another strategy (only with force). */
  reassigned: number
  /** Matching round trips left with the strategy they had (another one; no force). */
  kept: number
  /** Round trips several strategies' rules claim: left as they were. At most 100 listed. */
  ambiguous: { trade: string; strategies: string[] }[]
  ambiguousCount: number
  strategies: { strategy: string; matched: number; assigned: number }[]
}

export interface SignalView {
  id: string
  strategy: string
  symbol: string
  time: string
  direction: 'long' | 'short' | 'exit'
  price: string | null
  strength: string | null
  metadata: Record<string, unknown> | null
  /** The round trip the signal led to, if matched. */
  trade: string | null
}

export interface SignalCursor {
  time: string
  id: string
}

export interface SignalPage {
  rows: SignalView[]
  next: SignalCursor | null
}

export interface SignalImportResult {
  strategy: string
  status: 'imported' | 'rejected'
  signals: number
  /** Rows identical to a signal of the strategy already stored (not written again). */
  duplicates: number
  matched: number
  unmatched: number
  errors: RowErrorView[]
}

export interface BacktestView {
  id: string
  strategy: string
  name: string
  strategyVersion: number | null
  periodStart: string
  periodEnd: string
  initialCapital: string
  currency: string
  parameters: Record<string, unknown>
  status: string
  /** Closed round trips in the backtest. */
  trades: number
  /** Statistics of its round trips, computed at import. */
  statistics: StatisticsView | null
  createdAt: string
}

export interface BacktestImportResult {
  status: 'imported' | 'rejected'
  backtest: BacktestView | null
  /** 'fills' (a Blotter fills CSV, made into round trips) or 'round-trips'. */
  kind: 'fills' | 'round-trips' | null
  warnings: string[]
  errors: RowErrorView[]
}

export interface BacktestComparison {
  strategy: string
  backtest: { id: string; name: string; periodStart: string; periodEnd: string }
  /** Calendar days (journal zone, inclusive) the live trades were taken from. */
  period: { from: string; to: string }
  backtestStats: StatisticsView
  liveStats: StatisticsView
  /**
   * live − backtest for every figure both sides have: amounts as decimal strings, counts and
   * ratios as numbers; null where either side is null.
   */
  differences: Record<string, string | number | null>
}

// ---------------------------------------------------------------------------------------------
// Assignment rules (config.assignment)

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).min(1)])
    .transform((value) => (Array.isArray(value) ? value : [value]))

const clockTime = z
  .string()
  .refine((text) => minutesOfDay(text) !== null, { message: 'must be a 24-hour time HH:MM' })
  .transform((text) => minutesOfDay(text) as number)

/**
 * One rule of `config.assignment`, as the trader writes it:
 * `{ "symbol": "ES*", "side": "long", "entryTime": { "from": "09:30", "to": "11:00" } }`.
 */
export const assignmentRuleSchema = z
  .object({
    symbol: oneOrMany(z.string().trim().min(1)).optional(),
    tag: oneOrMany(z.string().trim().min(1)).optional(),
    account: oneOrMany(z.string().trim().min(1)).optional(),
    side: z.enum(['long', 'short']).optional(),
    weekday: oneOrMany(z.enum(WEEKDAYS)).optional(),
    entryTime: z
      .object({ from: clockTime, to: clockTime })
      .strict()
      .refine((window) => window.from !== window.to, { message: 'from and to must differ' })
      .optional(),
  })
  .strict()
  .refine((rule) => Object.values(rule).some((value) => value !== undefined), {
    message: 'a rule needs at least one condition (symbol, tag, account, side, weekday, entryTime)',
  }) satisfies z.ZodType<AssignmentRule>

export const assignmentRulesSchema = z.array(assignmentRuleSchema).max(100)

/** A strategy's config: any JSON object; its `assignment` key, if present, holds the rules. */
const configSchema = z.record(z.string(), z.unknown()).superRefine((config, context) => {
  if (config.assignment === undefined) return
  const parsed = assignmentRulesSchema.safeParse(config.assignment)
  for (const issue of parsed.error?.issues ?? []) {
    context.addIssue({
      code: 'custom',
      message: issue.message,
      path: ['assignment', ...issue.path],
    })
  }
})

/** The rules of a config, normalised; [] when it has none. Call on a config that validated. */
export function assignmentRulesOf(config: Record<string, unknown>): AssignmentRule[] {
  return config.assignment === undefined ? [] : assignmentRulesSchema.parse(config.assignment)
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** A checklist line as given: text alone (an id is made) or with the id it keeps. */
const checklistInput = z.array(
  z.union([
    z.string().trim().min(1).max(500),
    z
      .object({
        id: z.string().trim().min(1).max(64).optional(),
        text: z.string().trim().min(1).max(500),
      })
      .strict(),
  ]),
)
export type ChecklistInput = z.output<typeof checklistInput>

const strategyName = z.string().trim().min(1).max(100)
const tagsInput = z.array(z.string().trim().min(1).max(50)).max(50)
/** A strategy's id or its name (any case). */
const strategyRef = z.string().trim().min(1)
const changeNote = z.string().trim().min(1).max(1000)
const fileInput = z.object({ name: z.string().min(1).max(255), content: z.base64() }).strict()
const isoInstant = z.iso.datetime({ offset: true })
const isoDate = z.iso.date()

export const strategiesInputSchemas = {
  'strategies.list': z.object({ status: z.enum(STRATEGY_STATUSES).optional() }).strict(),
  'strategies.get': z.object({ strategy: strategyRef }).strict(),
  'strategies.create': z
    .object({
      name: strategyName,
      description: z.string().max(5000).nullable().default(null),
      type: z.enum(STRATEGY_TYPES).default('discretionary'),
      status: z.enum(STRATEGY_STATUSES).default('active'),
      config: configSchema.default({}),
      tags: tagsInput.default([]),
      rules: checklistInput.default([]),
      changeNote: changeNote.optional(),
    })
    .strict(),
  'strategies.update': z
    .object({
      strategy: strategyRef,
      /** The `version` the edit is based on; a strategy changed since is not overwritten. */
      version: z.number().int().min(1),
      name: strategyName.optional(),
      description: z.string().max(5000).nullable().optional(),
      type: z.enum(STRATEGY_TYPES).optional(),
      status: z.enum(STRATEGY_STATUSES).optional(),
      config: configSchema.optional(),
      tags: tagsInput.optional(),
      rules: checklistInput.optional(),
      changeNote: changeNote.optional(),
    })
    .strict(),
  'strategies.archive': z
    .object({ strategy: strategyRef, version: z.number().int().min(1).optional() })
    .strict(),
  'strategies.assign': z
    .object({
      strategy: strategyRef,
      /** Round trip (position) ids. */
      trades: z.array(z.string().trim().min(1)).min(1).max(10_000),
      /** Take these round trips off the strategy instead. */
      unassign: z.boolean().default(false),
    })
    .strict(),
  'strategies.applyRules': z
    .object({
      /** One strategy's rules; else the rules of every active strategy. */
      strategy: strategyRef.optional(),
      /** Also move round trips already assigned to another strategy. */
      force: z.boolean().default(false),
      dryRun: z.boolean().default(false),
    })
    .strict(),
  'signals.import': z
    .object({
      strategy: strategyRef,
      file: fileInput,
      /** Zone of times without an offset (default: the journal's). */
      timezone: z.string().min(1).optional(),
      /** A signal leads to a round trip opened at most this long after it. */
      windowMinutes: z
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 60)
        .default(15),
    })
    .strict(),
  'signals.list': z
    .object({
      strategy: strategyRef.optional(),
      matched: z.boolean().optional(),
      after: z
        .object({ time: isoInstant, id: z.string().min(1) })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'backtests.import': z
    .object({
      strategy: strategyRef,
      file: fileInput,
      /** Default: the file's name. */
      name: z.string().trim().min(1).max(200).optional(),
      format: z.enum(['auto', 'fills', 'round-trips']).default('auto'),
      initialCapital: z
        .string()
        .refine(isDecimal, { message: 'must be a decimal number' })
        .default('100000'),
      parameters: z.record(z.string(), z.unknown()).default({}),
      timezone: z.string().min(1).optional(),
    })
    .strict(),
  'backtests.list': z.object({ strategy: strategyRef.optional() }).strict(),
  'backtests.compare': z
    .object({
      strategy: strategyRef,
      backtest: z.string().trim().min(1),
      /** Live trades closed from this day (journal zone); default: the backtest's first day. */
      from: isoDate.optional(),
      /** …up to this day, inclusive; default: the backtest's last day. */
      to: isoDate.optional(),
    })
    .strict(),
}

export interface StrategiesMethodResults {
  'strategies.list': StrategyView[]
  'strategies.get': StrategyDetail
  'strategies.create': StrategyDetail
  'strategies.update': StrategyDetail
  'strategies.archive': StrategyView
  'strategies.assign': AssignResult
  'strategies.applyRules': ApplyRulesResult
  'signals.import': SignalImportResult
  'signals.list': SignalPage
  'backtests.import': BacktestImportResult
  'backtests.list': BacktestView[]
  'backtests.compare': BacktestComparison
}
