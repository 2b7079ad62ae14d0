import { create } from 'zustand'
import type { SettingKey, SettingValue, SettingView } from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'
import type { LoadStatus } from './system'

export type ThemePreference = SettingValue<'ui.theme'>

export interface FieldState {
  status: 'idle' | 'saving' | 'saved' | 'error'
  error: ApiError | null
}

interface SettingsState {
  /** Keys in the order the host lists them. */
  order: SettingKey[]
  views: Partial<Record<SettingKey, SettingView>>
  listStatus: LoadStatus
  listError: ApiError | null
  /** Save state of each field, so every field shows its own success or error. */
  fields: Partial<Record<SettingKey, FieldState>>
  /** Why the theme could not be read at startup, if it could not. */
  themeError: ApiError | null
  loadList(): Promise<void>
  loadTheme(): Promise<void>
  /** Resolves to whether the host accepted the value. */
  save(key: SettingKey, value: unknown): Promise<boolean>
  /** Forgets a field's saved/error state once the user edits it again. */
  resetField(key: SettingKey): void
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  order: [],
  views: {},
  listStatus: 'idle',
  listError: null,
  fields: {},
  themeError: null,
  async loadList() {
    set({ listStatus: 'loading', listError: null })
    try {
      const list = await invoke('settings.list', {})
      set({
        order: list.map((view) => view.key),
        views: Object.fromEntries(list.map((view) => [view.key, view])),
        listStatus: 'ready',
      })
    } catch (error) {
      set({ listStatus: 'error', listError: toApiError(error) })
    }
  },
  async loadTheme() {
    try {
      const view = await invoke('settings.get', { key: 'ui.theme' })
      set((state) => ({ views: { ...state.views, [view.key]: view }, themeError: null }))
    } catch (error) {
      set({ themeError: toApiError(error) })
    }
  },
  async save(key, value) {
    set((state) => ({ fields: { ...state.fields, [key]: { status: 'saving', error: null } } }))
    try {
      const view = await invoke('settings.set', { key, value })
      set((state) => ({
        views: { ...state.views, [key]: view },
        fields: { ...state.fields, [key]: { status: 'saved', error: null } },
        themeError: key === 'ui.theme' ? null : state.themeError,
      }))
      return true
    } catch (error) {
      set((state) => ({
        fields: { ...state.fields, [key]: { status: 'error', error: toApiError(error) } },
      }))
      return false
    }
  },
  resetField(key) {
    set((state) => ({ fields: { ...state.fields, [key]: { status: 'idle', error: null } } }))
  },
}))

const themePreferences: readonly ThemePreference[] = ['system', 'light', 'dark']

/** The saved theme preference; 'system' until the host has answered. */
export function selectThemePreference(state: SettingsState): ThemePreference {
  const view = state.views['ui.theme']
  const value = view && !view.secret ? view.value : undefined
  return themePreferences.find((theme) => theme === value) ?? 'system'
}
