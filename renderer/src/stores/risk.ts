import { create } from 'zustand'
import type {
  MethodInput,
  MethodResult,
  RiskEventCursor,
  RiskEventView,
  RiskLimitView,
} from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'
import type { LoadStatus } from './system'

export const RISK_EVENTS_PAGE = 50

interface RiskState {
  /** Today in the journal's zone: the day the utilization is of. */
  today: string | null
  limits: RiskLimitView[]
  status: LoadStatus
  error: ApiError | null
  /** Newest first, every page loaded so far. */
  events: RiskEventView[]
  next: RiskEventCursor | null
  eventsStatus: LoadStatus
  eventsError: ApiError | null
  unacknowledgedOnly: boolean
  /** Events being acknowledged. */
  acknowledging: string[]
  /** Names of the accounts with closed trades, offered by the limit form. */
  accounts: string[]
  load(): Promise<void>
  loadAccounts(): Promise<void>
  loadEvents(): Promise<void>
  loadMoreEvents(): Promise<void>
  setUnacknowledgedOnly(only: boolean): Promise<void>
  /** The writes below throw an ApiError for the form or row that asked. */
  setLimit(input: MethodInput<'risk.setLimit'>): Promise<MethodResult<'risk.setLimit'>>
  removeLimit(id: string): Promise<void>
  acknowledge(ids: string[]): Promise<void>
}

/** Bumped by every first-page load of the events, so superseded answers are dropped. */
let eventsGeneration = 0

export const useRiskStore = create<RiskState>()((set, get) => ({
  today: null,
  limits: [],
  status: 'idle',
  error: null,
  events: [],
  next: null,
  eventsStatus: 'idle',
  eventsError: null,
  unacknowledgedOnly: false,
  acknowledging: [],
  accounts: [],
  async loadAccounts() {
    // Only a convenience for the form's suggestions, so a failure is not shown.
    try {
      const accounts = await invoke('accounts.list', {})
      set({ accounts: accounts.filter((a) => !a.archived).map((account) => account.name) })
    } catch {
      set({ accounts: [] })
    }
  },
  async load() {
    set({ status: 'loading', error: null })
    const events = get().loadEvents()
    try {
      const overview = await invoke('risk.list', { events: 0 })
      set({ today: overview.today, limits: overview.limits, status: 'ready' })
    } catch (error) {
      set({ status: 'error', error: toApiError(error) })
    }
    await events
  },
  async loadEvents() {
    const mine = ++eventsGeneration
    set({ eventsStatus: 'loading', eventsError: null })
    try {
      const page = await invoke('risk.events', {
        limit: RISK_EVENTS_PAGE,
        unacknowledged: get().unacknowledgedOnly,
      })
      if (mine !== eventsGeneration) return
      set({ events: page.rows, next: page.next, eventsStatus: 'ready' })
    } catch (error) {
      if (mine !== eventsGeneration) return
      set({ eventsStatus: 'error', eventsError: toApiError(error) })
    }
  },
  async loadMoreEvents() {
    const { next, eventsStatus, unacknowledgedOnly } = get()
    if (!next || eventsStatus === 'loading') return
    const mine = eventsGeneration
    set({ eventsStatus: 'loading', eventsError: null })
    try {
      const page = await invoke('risk.events', {
        limit: RISK_EVENTS_PAGE,
        unacknowledged: unacknowledgedOnly,
        after: next,
      })
      if (mine !== eventsGeneration) return
      set((state) => ({
        events: [...state.events, ...page.rows],
        next: page.next,
        eventsStatus: 'ready',
      }))
    } catch (error) {
      if (mine !== eventsGeneration) return
      set({ eventsStatus: 'ready', eventsError: toApiError(error) })
    }
  },
  async setUnacknowledgedOnly(only) {
    set({ unacknowledgedOnly: only })
    await get().loadEvents()
  },
  async setLimit(input) {
    try {
      const result = await invoke('risk.setLimit', input)
      // A new or changed limit is checked against the whole history: events may have appeared.
      await get().load()
      return result
    } catch (error) {
      throw toApiError(error)
    }
  },
  async removeLimit(id) {
    try {
      await invoke('risk.removeLimit', { id })
      await get().load()
    } catch (error) {
      throw toApiError(error)
    }
  },
  async acknowledge(ids) {
    set((state) => ({ acknowledging: [...state.acknowledging, ...ids] }))
    try {
      await invoke('risk.acknowledge', { ids })
      await get().loadEvents()
    } catch (error) {
      throw toApiError(error)
    } finally {
      set((state) => ({ acknowledging: state.acknowledging.filter((id) => !ids.includes(id)) }))
    }
  },
}))
