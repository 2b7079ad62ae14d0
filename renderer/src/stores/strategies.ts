import { create } from 'zustand'
import type {
  ApplyRulesResult,
  BacktestComparison,
  BacktestImportResult,
  BacktestView,
  MethodInput,
  StatisticsView,
  StrategyDetail,
  StrategyView,
} from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'
import { fileToBase64 } from '../lib/files'
import type { LoadStatus } from './system'

export type StrategyDraft = MethodInput<'strategies.create'>
/** An edit of the selected strategy; the store adds which one and the version it is based on. */
export type StrategyEdit = Omit<MethodInput<'strategies.update'>, 'strategy' | 'version'>

interface StrategiesState {
  /** Every strategy, archived ones too (the page decides what it shows). */
  strategies: StrategyView[]
  status: LoadStatus
  error: ApiError | null
  /** Each strategy's figures over its closed trades, by strategy id (loaded after the list). */
  figures: Record<string, StatisticsView>
  figuresError: ApiError | null
  selectedId: string | null
  detail: StrategyDetail | null
  detailStatus: LoadStatus
  detailError: ApiError | null
  /** The selected strategy's statistics. */
  stats: StatisticsView | null
  statsError: ApiError | null
  backtests: BacktestView[]
  backtestsError: ApiError | null
  /** The backtest being compared with the live trades, and the comparison once it arrived. */
  comparing: string | null
  comparison: BacktestComparison | null
  comparisonError: ApiError | null
  load(): Promise<void>
  /** Shows one strategy's detail (null: none); its backtests load with it. */
  select(id: string | null): Promise<void>
  /** The writes below throw an ApiError the form that asked shows beside its fields. */
  create(draft: StrategyDraft): Promise<StrategyDetail>
  update(edit: StrategyEdit): Promise<StrategyDetail>
  archive(): Promise<void>
  applyRules(): Promise<ApplyRulesResult>
  importBacktest(file: File, name: string): Promise<BacktestImportResult>
  compare(backtestId: string | null): Promise<void>
}

/** Bumped by every selection, so answers about a strategy no longer shown are dropped. */
let selection = 0

export const useStrategiesStore = create<StrategiesState>()((set, get) => {
  /** The selected strategy as it is now, with its backtests; the list too (counts change). */
  async function refreshSelected(detail?: StrategyDetail): Promise<void> {
    const mine = selection
    if (detail) set({ detail, detailStatus: 'ready', detailError: null })
    const id = get().selectedId
    await Promise.all([get().load(), detail || !id ? undefined : loadDetail(id, mine)])
  }

  async function loadDetail(id: string, mine: number): Promise<void> {
    // Every part's old error goes: a refresh must not show one next to fresh data.
    set({ detailStatus: 'loading', detailError: null, statsError: null, backtestsError: null })
    try {
      const [detail, backtests, stats] = await Promise.all([
        invoke('strategies.get', { strategy: id }),
        invoke('backtests.list', { strategy: id }).catch((error: unknown) => {
          if (mine === selection) set({ backtestsError: toApiError(error) })
          return []
        }),
        invoke('stats.summary', { strategy: id }).catch((error: unknown) => {
          if (mine === selection) set({ statsError: toApiError(error) })
          return null
        }),
      ])
      if (mine !== selection) return
      set({ detail, backtests, stats, detailStatus: 'ready' })
    } catch (error) {
      if (mine !== selection) return
      set({ detailStatus: 'error', detailError: toApiError(error) })
    }
  }

  function selected(): StrategyDetail {
    const { detail } = get()
    if (!detail) throw toApiError(new Error('No strategy is selected'))
    return detail
  }

  return {
    strategies: [],
    status: 'idle',
    error: null,
    figures: {},
    figuresError: null,
    selectedId: null,
    detail: null,
    detailStatus: 'idle',
    detailError: null,
    stats: null,
    statsError: null,
    backtests: [],
    backtestsError: null,
    comparing: null,
    comparison: null,
    comparisonError: null,
    async load() {
      set({ status: 'loading', error: null })
      try {
        const strategies = await invoke('strategies.list', {})
        set({ strategies, status: 'ready' })
      } catch (error) {
        set({ status: 'error', error: toApiError(error) })
        return
      }
      // The figures read every closed trade: the list shows first, they follow.
      try {
        const { groups } = await invoke('stats.groups', { groupBy: 'strategy' })
        const figures: Record<string, StatisticsView> = {}
        for (const group of groups) if (group.key !== null) figures[group.key] = group
        set({ figures, figuresError: null })
      } catch (error) {
        set({ figuresError: toApiError(error) })
      }
    },
    async select(id) {
      const mine = ++selection
      set({
        selectedId: id,
        detail: null,
        detailStatus: id ? 'loading' : 'idle',
        detailError: null,
        stats: null,
        statsError: null,
        backtests: [],
        backtestsError: null,
        comparing: null,
        comparison: null,
        comparisonError: null,
      })
      if (id) await loadDetail(id, mine)
    },
    async create(draft) {
      try {
        const detail = await invoke('strategies.create', draft)
        ++selection
        set({ selectedId: detail.id, backtests: [], comparing: null, comparison: null })
        await refreshSelected(detail)
        return detail
      } catch (error) {
        throw toApiError(error)
      }
    },
    async update(edit) {
      const current = selected()
      try {
        const detail = await invoke('strategies.update', {
          ...edit,
          strategy: current.id,
          version: current.version,
        })
        await refreshSelected(detail)
        return detail
      } catch (error) {
        throw toApiError(error)
      }
    },
    async archive() {
      const current = selected()
      try {
        await invoke('strategies.archive', { strategy: current.id, version: current.version })
        await refreshSelected()
      } catch (error) {
        throw toApiError(error)
      }
    },
    async applyRules() {
      const current = selected()
      try {
        const result = await invoke('strategies.applyRules', { strategy: current.id })
        await refreshSelected()
        return result
      } catch (error) {
        throw toApiError(error)
      }
    },
    async importBacktest(file, name) {
      const current = selected()
      try {
        const result = await invoke('backtests.import', {
          strategy: current.id,
          file: { name: file.name, content: await fileToBase64(file) },
          ...(name.trim() && { name: name.trim() }),
        })
        if (result.status === 'imported') await refreshSelected()
        return result
      } catch (error) {
        throw toApiError(error)
      }
    },
    async compare(backtestId) {
      const mine = selection
      set({ comparing: backtestId, comparison: null, comparisonError: null })
      if (!backtestId) return
      try {
        const comparison = await invoke('backtests.compare', {
          strategy: selected().id,
          backtest: backtestId,
        })
        if (mine !== selection || get().comparing !== backtestId) return
        set({ comparison })
      } catch (error) {
        if (mine !== selection || get().comparing !== backtestId) return
        set({ comparisonError: toApiError(error) })
      }
    },
  }
})
