/**
 * The service functions behind the contract. Every host (Electron IPC, browser-mode HTTP, CLI)
 * calls these through `dispatch`, so they behave the same everywhere.
 */
import type { Method, MethodResult, ParsedInput } from '../contract'
import { formats } from '../importers'
import type { ServiceContext } from './context'
import { ImportJobs, inProcessRunner, jobOf, runImportJob } from './import-jobs'
import { inspectFile, listImportTemplates, saveImportTemplate } from './import-templates'
import { listBatches, tradesPage, undoImport } from './journal'
import { getSetting, listSettings, setSetting } from './settings'
import { systemInfo } from './system'

export type Services = {
  [M in Method]: (input: ParsedInput<M>) => MethodResult<M> | Promise<MethodResult<M>>
}

export function createServices(ctx: ServiceContext): Services {
  const importJobs = new ImportJobs(ctx, ctx.importRunner ?? inProcessRunner(ctx))
  return {
    'system.info': () => systemInfo(ctx),
    'settings.list': () => listSettings(ctx),
    'settings.get': (input) => getSetting(ctx, input),
    'settings.set': (input) => setSetting(ctx, input),
    'trades.list': (input) => tradesPage(ctx, input),
    'imports.list': () => listBatches(ctx),
    'import.files': (input) => {
      const { files, settings } = jobOf(ctx, input)
      return { files: runImportJob(ctx, files, settings) }
    },
    'import.start': (input) => importJobs.start(input),
    'import.status': (input) => importJobs.status(input.jobId),
    'import.inspect': (input) => inspectFile(Buffer.from(input.content, 'base64')),
    'importTemplates.list': () => listImportTemplates(ctx),
    'importTemplates.save': (input) => saveImportTemplate(ctx, input.name, input.mapping),
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
