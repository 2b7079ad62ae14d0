import { create } from 'zustand'
import type { MethodInput, TradeCursor, TradeView } from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'
import type { LoadStatus } from './system'

export const TRADES_PAGE_SIZE = 100

export interface TradeFilters {
  account: string
  symbol: string
  status: 'all' | 'open' | 'closed'
  /** Opened on or after this day (YYYY-MM-DD in the journal's zone); '' for no bound. */
  from: string
  /** Opened on or before this day; '' for no bound. */
  to: string
}

export const noFilters: TradeFilters = { account: '', symbol: '', status: 'all', from: '', to: '' }

interface TradesState {
  filters: TradeFilters
  /** The list order: (openedAt, id) descending (the default) or ascending. */
  newestFirst: boolean
  /** Every page loaded so far, in list order. */
  rows: TradeView[]
  /** Where the next page starts; null once the last page is in. */
  next: TradeCursor | null
  status: LoadStatus
  loadingMore: boolean
  error: ApiError | null
  /** The journal's zone (the journal.timezone setting), in which times are shown. */
  timeZone: string
  /** New filters start again from the first page. */
  setFilters(filters: TradeFilters): Promise<void>
  /** So does a new order. */
  setNewestFirst(newestFirst: boolean): Promise<void>
  /** Loads the first page afresh (and the time zone, which Settings may have changed). */
  reload(): Promise<void>
  loadMore(): Promise<void>
}

function query(filters: TradeFilters, newestFirst: boolean): MethodInput<'trades.list'> {
  const account = filters.account.trim()
  const symbol = filters.symbol.trim()
  return {
    limit: TRADES_PAGE_SIZE,
    newestFirst,
    ...(account && { account }),
    ...(symbol && { symbol }),
    ...(filters.status !== 'all' && { status: filters.status }),
    ...(filters.from && { from: filters.from }),
    ...(filters.to && { to: filters.to }),
  }
}

/** Bumped by every first-page load, so answers to superseded requests are dropped. */
let generation = 0

export const useTradesStore = create<TradesState>()((set, get) => ({
  filters: noFilters,
  // A trader opens the list to see what just happened.
  newestFirst: true,
  rows: [],
  next: null,
  status: 'idle',
  loadingMore: false,
  error: null,
  timeZone: 'UTC',
  async setFilters(filters) {
    set({ filters })
    await get().reload()
  },
  async setNewestFirst(newestFirst) {
    set({ newestFirst })
    await get().reload()
  },
  async reload() {
    const mine = ++generation
    // The rows on screen stay until the new page arrives, so the table does not flicker.
    set({ status: 'loading', loadingMore: false, error: null })
    try {
      const [page, zone] = await Promise.all([
        invoke('trades.list', query(get().filters, get().newestFirst)),
        invoke('settings.get', { key: 'journal.timezone' }).catch(() => null),
      ])
      if (mine !== generation) return
      const timeZone = zone && !zone.secret && typeof zone.value === 'string' ? zone.value : 'UTC'
      set({ rows: page.rows, next: page.next, status: 'ready', timeZone })
    } catch (error) {
      if (mine !== generation) return
      set({ rows: [], next: null, status: 'error', error: toApiError(error) })
    }
  },
  async loadMore() {
    const { next, filters, newestFirst, loadingMore, status } = get()
    if (!next || loadingMore || status === 'loading') return
    const mine = generation
    set({ loadingMore: true, error: null })
    try {
      const page = await invoke('trades.list', { ...query(filters, newestFirst), after: next })
      if (mine !== generation) return
      set((state) => ({ rows: [...state.rows, ...page.rows], next: page.next, loadingMore: false }))
    } catch (error) {
      if (mine !== generation) return
      // The rows already loaded stay; the error offers to try the same page again.
      set({ loadingMore: false, error: toApiError(error) })
    }
  },
}))
