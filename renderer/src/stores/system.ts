import { create } from 'zustand'
import type { DashboardView, SystemInfo } from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

interface SystemState {
  info: SystemInfo | null
  /** Headline figures of every closed trade, read from the daily aggregates (fast at any size). */
  dashboard: DashboardView | null
  status: LoadStatus
  error: ApiError | null
  /** When `info` was fetched, to show how fresh the counts are. */
  loadedAt: Date | null
  load(): Promise<void>
}

export const useSystemStore = create<SystemState>()((set) => ({
  info: null,
  dashboard: null,
  status: 'idle',
  error: null,
  loadedAt: null,
  async load() {
    // The previous info stays on screen while refreshing, so the table does not flicker.
    set({ status: 'loading', error: null })
    try {
      const [info, dashboard] = await Promise.all([
        invoke('system.info', {}),
        invoke('stats.dashboard', { days: 60 }),
      ])
      set({ info, dashboard, status: 'ready', loadedAt: new Date() })
    } catch (error) {
      set({ status: 'error', error: toApiError(error) })
    }
  },
}))
