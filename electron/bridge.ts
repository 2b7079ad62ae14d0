/**
 * What the preload and the main process's IPC router share. Dependency-free on purpose: the
 * preload runs sandboxed, where only 'electron' (and a few Node shims) can be required, so it
 * cannot import contract/index.ts (which pulls in zod).
 */
import type { Method } from '../contract'

/** The one IPC channel; every contract method travels on it as (method, input). */
export const INVOKE_CHANNEL = 'blotter:invoke'

/**
 * The contract's method names. The two type checks below fail to compile when a method is added
 * to the contract but not here, or listed here but absent from the contract.
 */
export const bridgeMethods = [
  'system.info',
  'settings.list',
  'settings.get',
  'settings.set',
  'trades.list',
  'imports.list',
  'accounts.list',
  'import.files',
  'import.start',
  'import.status',
  'import.inspect',
  'importTemplates.list',
  'importTemplates.save',
  'import.undo',
  'formats.list',
  'risk.list',
  'risk.setLimit',
  'risk.removeLimit',
  'risk.events',
  'risk.acknowledge',
  'stats.dashboard',
  'stats.summary',
  'stats.groups',
  'stats.daily',
  'trades.excursion',
  'strategies.list',
  'strategies.get',
  'strategies.create',
  'strategies.update',
  'strategies.archive',
  'strategies.assign',
  'strategies.applyRules',
  'signals.import',
  'signals.list',
  'backtests.import',
  'backtests.list',
  'backtests.compare',
  'candles.import',
  'candles.list',
  'indicators.compute',
  'indicators.list',
  'indicators.latest',
  'volumeProfile.get',
  'orderBook.import',
  'orderBook.get',
  'fundamentals.import',
  'fundamentals.get',
] as const satisfies readonly Method[]

type Missing = Exclude<Method, (typeof bridgeMethods)[number]>
const everyMethodListed: [Missing] extends [never] ? true : Missing = true
void everyMethodListed

const knownMethods: ReadonlySet<string> = new Set(bridgeMethods)

export function isBridgeMethod(name: unknown): name is Method {
  return typeof name === 'string' && knownMethods.has(name)
}
