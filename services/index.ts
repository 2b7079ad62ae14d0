/**
 * The service functions behind the contract. Every host (Electron IPC, browser-mode HTTP, CLI)
 * calls these through `dispatch`, so they behave the same everywhere.
 */
import type { Method, MethodResult, ParsedInput } from '../contract'
import { formats } from '../importers'
import type { ServiceContext } from './context'
import { importFile } from './import'
import { listBatches, tradesPage, undoImport } from './journal'
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
    'trades.list': (input) => tradesPage(ctx, input),
    'imports.list': () => listBatches(ctx),
    'import.files': (input) => ({
      files: input.files.map((file) =>
        importFile(ctx, file.name, Buffer.from(file.content, 'base64'), {
          format: input.format,
          account: input.account,
          timezone: input.timezone,
          dryRun: input.dryRun,
          skipInvalid: input.skipInvalid,
        }),
      ),
    }),
    'import.undo': (input) => undoImport(ctx, input.batchId),
    'formats.list': () =>
      formats.map((format) => ({
        id: format.id,
        label: format.label,
        defaultTimezone: format.defaultTimezone,
      })),
  }
}

export type { SecretStore, ServiceContext } from './context'
export { AppError } from './errors'
