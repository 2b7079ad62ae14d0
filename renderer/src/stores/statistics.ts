import { create } from 'zustand'
import type {
  DailyPointView,
  MethodInput,
  StatisticsView,
  StatsGroupsView,
} from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'
import type { LoadStatus } from './system'

export interface StatsFilters {
  account: string
  symbol: string
  strategy: string
  tag: string
  side: '' | 'long' | 'short'
  /** Calendar dates 'YYYY-MM-DD' in the journal's zone, or ''. */
  from: string
  to: string
}

export type GroupKey = StatsGroupsView['groupBy']

export const noStatsFilters: StatsFilters = {
  account: '',
  symbol: '',
  strategy: '',
  tag: '',
  side: '',
  from: '',
  to: '',
}

interface StatisticsState {
  filters: StatsFilters
  groupBy: GroupKey
  summary: StatisticsView | null
  daily: DailyPointView[]
  groups: StatsGroupsView | null
  status: LoadStatus
  error: ApiError | null
  load(filters?: StatsFilters): Promise<void>
  setGroupBy(key: GroupKey): Promise<void>
}

/** The filter as the contract takes it: empty fields left out. */
function query(filters: StatsFilters): MethodInput<'stats.summary'> {
  const text = (value: string) => value.trim()
  return {
    ...(text(filters.account) && { account: text(filters.account) }),
    ...(text(filters.symbol) && { symbol: text(filters.symbol) }),
    ...(text(filters.strategy) && { strategy: text(filters.strategy) }),
    ...(text(filters.tag) && { tag: text(filters.tag) }),
    ...(filters.side && { side: filters.side }),
    ...(filters.from && { from: filters.from }),
    ...(filters.to && { to: filters.to }),
  }
}

// Answers of an older request must not overwrite a newer one's.
let generation = 0

export const useStatisticsStore = create<StatisticsState>()((set, get) => ({
  filters: noStatsFilters,
  groupBy: 'symbol',
  summary: null,
  daily: [],
  groups: null,
  status: 'idle',
  error: null,
  async load(filters = get().filters) {
    const current = ++generation
    set({ filters, status: 'loading', error: null })
    try {
      const input = query(filters)
      const [summary, daily, groups] = await Promise.all([
        invoke('stats.summary', input),
        invoke('stats.daily', input),
        invoke('stats.groups', { ...input, groupBy: get().groupBy }),
      ])
      if (current === generation) set({ summary, daily, groups, status: 'ready' })
    } catch (error) {
      if (current === generation) set({ status: 'error', error: toApiError(error) })
    }
  },
  async setGroupBy(groupBy) {
    set({ groupBy })
    const current = ++generation
    try {
      const groups = await invoke('stats.groups', { ...query(get().filters), groupBy })
      if (current === generation) set({ groups })
    } catch (error) {
      if (current === generation) set({ error: toApiError(error) })
    }
  },
}))
