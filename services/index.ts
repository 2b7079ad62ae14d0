/**
 * The service functions behind the contract. Every host (Electron IPC, browser-mode HTTP, CLI)
 * calls these through `dispatch`, so they behave the same everywhere.
 */
import type { Method, MethodResult, ParsedInput } from '../contract'
import { formats } from '../importers'
import type { ServiceContext } from './context'
import { ImportJobs, inProcessRunner, jobOf, runImportJob } from './import-jobs'
import { inspectFile, listImportTemplates, saveImportTemplate } from './import-templates'
import { dashboard } from './dashboard'
import { listAccounts, listBatches, tradesPage, undoImport } from './journal'
import {
  computeIndicatorSeries,
  getFundamentals,
  getOrderBook,
  getVolumeProfile,
  importCandles,
  importFundamentals,
  importOrderBook,
  latestIndicators,
  listCandles,
  listIndicator,
} from './market-data'
import {
  acknowledgeRiskEvents,
  removeRiskLimit,
  riskEvents,
  riskOverview,
  setRiskLimit,
} from './risk'
import { compareBacktest, importBacktest, listBacktests } from './backtests'
import { getSetting, listSettings, setSetting } from './settings'
import { statsDaily, statsGroups, statsSummary } from './stats'
import { tradeExcursion } from './excursions'
import {
  applyRules,
  archiveStrategy,
  assignTrades,
  createStrategy,
  getStrategy,
  listStrategies,
  updateStrategy,
} from './strategies'
import { importSignals, listSignals } from './strategy-signals'
import { systemInfo } from './system'

export type Services = {
  [M in Method]: (input: ParsedInput<M>) => MethodResult<M> | Promise<MethodResult<M>>
}

export function createServices(ctx: ServiceContext): Services {
  const importJobs = new ImportJobs(ctx, ctx.importRunner ?? inProcessRunner(ctx))
  return {
    'candles.import': (input) => importCandles(ctx, input),
    'candles.list': (input) => listCandles(ctx, input),
    'indicators.compute': (input) => computeIndicatorSeries(ctx, input),
    'indicators.list': (input) => listIndicator(ctx, input),
    'indicators.latest': (input) => latestIndicators(ctx, input),
    'volumeProfile.get': (input) => getVolumeProfile(ctx, input),
    'orderBook.import': (input) => importOrderBook(ctx, input),
    'orderBook.get': (input) => getOrderBook(ctx, input),
    'fundamentals.import': (input) => importFundamentals(ctx, input),
    'fundamentals.get': (input) => getFundamentals(ctx, input),
    'system.info': () => systemInfo(ctx),
    'settings.list': () => listSettings(ctx),
    'settings.get': (input) => getSetting(ctx, input),
    'settings.set': (input) => setSetting(ctx, input),
    'trades.list': (input) => tradesPage(ctx, input),
    'imports.list': () => listBatches(ctx),
    'accounts.list': () => listAccounts(ctx),
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
    'strategies.list': (input) => listStrategies(ctx, input),
    'strategies.get': (input) => getStrategy(ctx, input),
    'strategies.create': (input) => createStrategy(ctx, input),
    'strategies.update': (input) => updateStrategy(ctx, input),
    'strategies.archive': (input) => archiveStrategy(ctx, input),
    'strategies.assign': (input) => assignTrades(ctx, input),
    'strategies.applyRules': (input) => applyRules(ctx, input),
    'signals.import': (input) => importSignals(ctx, input),
    'signals.list': (input) => listSignals(ctx, input),
    'backtests.import': (input) => importBacktest(ctx, input),
    'backtests.list': (input) => listBacktests(ctx, input),
    'backtests.compare': (input) => compareBacktest(ctx, input),
    'risk.list': (input) => riskOverview(ctx, input),
    'risk.setLimit': (input) => setRiskLimit(ctx, input),
    'risk.removeLimit': (input) => removeRiskLimit(ctx, input),
    'risk.events': (input) => riskEvents(ctx, input),
    'risk.acknowledge': (input) => acknowledgeRiskEvents(ctx, input),
    'stats.dashboard': (input) => dashboard(ctx, input),
    'stats.summary': (input) => statsSummary(ctx, input),
    'stats.groups': (input) => statsGroups(ctx, input),
    'stats.daily': (input) => statsDaily(ctx, input),
    'trades.excursion': (input) => tradeExcursion(ctx, input),
  }
}

export type { SecretStore, ServiceContext } from './context'
export { AppError } from './errors'
