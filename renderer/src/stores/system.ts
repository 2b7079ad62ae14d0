import { create } from 'zustand'
import type { SystemInfo } from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

interface SystemState {
  info: SystemInfo | null
  status: LoadStatus
  error: ApiError | null
  /** When `info` was fetched, to show how fresh the counts are. */
  loadedAt: Date | null
  load(): Promise<void>
}

export const useSystemStore = create<SystemState>()((set) => ({
  info: null,
  status: 'idle',
  error: null,
  loadedAt: null,
  async load() {
    // The previous info stays on screen while refreshing, so the table does not flicker.
    set({ status: 'loading', error: null })
    try {
      const info = await invoke('system.info', {})
      set({ info, status: 'ready', loadedAt: new Date() })
    } catch (error) {
      set({ status: 'error', error: toApiError(error) })
    }
  },
}))
