/**
 * The service functions behind the contract. Every host (Electron IPC, browser-mode HTTP, CLI)
 * calls these through `dispatch`, so they behave the same everywhere.
 */
import type { Method, MethodResult, ParsedInput } from '../contract'
import type { ServiceContext } from './context'
import { getSetting, listSettings, setSetting } from './settings'
import { systemInfo } from './system'

export type Services = {
  [M in Method]: (input: ParsedInput<M>) => MethodResult<M> | Promise<MethodResult<M>>
}

export function createServices(ctx: ServiceContext): Services {
  return {
    'system.info': () => systemInfo(ctx),
    'settings.list': () => listSettings(ctx),
    'settings.get': (input) => getSetting(ctx, input),
    'settings.set': (input) => setSetting(ctx, input),
  }
}

export type { SecretStore, ServiceContext } from './context'
export { AppError } from './errors'
