/**
 * The one contract between the UI, the hosts (Electron IPC, browser-mode HTTP, CLI) and the
 * services: each method's zod input schema and its result type.
 *
 * Adding a method means adding it to `MethodResults` and `inputSchemas`; `satisfies` makes
 * forgetting either a compile error, and `Services` (services/index.ts) makes forgetting the
 * implementation one too.
 */
import { z } from 'zod'
import { journalInputSchemas, type JournalMethodResults } from './journal'
import { marketInputSchemas, type MarketMethodResults } from './market'
import { riskInputSchemas, type RiskMethodResults } from './risk'
import { settingKeys, type SettingView } from './settings'
import { statsInputSchemas, type StatsMethodResults } from './stats'
import { strategiesInputSchemas, type StrategiesMethodResults } from './strategies'

export * from './journal'
export * from './market'
export * from './risk'
export * from './settings'
export * from './stats'
export * from './strategies'
export * from './transport'

export interface SystemInfo {
  /** Absolute path of the open journal file. */
  path: string
  /** Number of applied migrations (also in PRAGMA user_version). */
  schemaVersion: number
  /** Row count of every table of the journal, soft-deleted rows included. */
  tables: Record<string, number>
  /** SQLite library version, e.g. "3.53.2". */
  sqliteVersion: string
  /** Which host answered: "electron", "browser" or "cli". */
  host: HostKind
}

export type HostKind = 'electron' | 'browser' | 'cli'

/** Result type of every method. */
export interface MethodResults
  extends
    JournalMethodResults,
    RiskMethodResults,
    StrategiesMethodResults,
    MarketMethodResults,
    StatsMethodResults {
  'system.info': SystemInfo
  'settings.list': SettingView[]
  'settings.get': SettingView
  'settings.set': SettingView
}

export type Method = keyof MethodResults

const noInput = z.object({}).strict()

/** Input schema of every method. Unknown keys are rejected so typos never pass silently. */
export const inputSchemas = {
  'system.info': noInput,
  'settings.list': noInput,
  'settings.get': z.object({ key: z.enum(settingKeys) }).strict(),
  'settings.set': z.object({ key: z.enum(settingKeys), value: z.unknown() }).strict(),
  ...journalInputSchemas,
  ...marketInputSchemas,
  ...strategiesInputSchemas,
  ...riskInputSchemas,
  ...statsInputSchemas,
} as const satisfies { [M in Method]: z.ZodType }

export type MethodInput<M extends Method> = z.input<(typeof inputSchemas)[M]>
export type ParsedInput<M extends Method> = z.output<(typeof inputSchemas)[M]>
export type MethodResult<M extends Method> = MethodResults[M]

export const methods = Object.keys(inputSchemas) as Method[]

export function isMethod(name: string): name is Method {
  return Object.hasOwn(inputSchemas, name)
}

/** The typed call every UI and host client exposes. */
export type Invoke = <M extends Method>(
  method: M,
  input: MethodInput<M>,
) => Promise<MethodResult<M>>
