import { useLayoutEffect, useSyncExternalStore } from 'react'
import { selectThemePreference, useSettingsStore } from '../stores/settings'

export type Theme = 'light' | 'dark'

const DARK_QUERY = '(prefers-color-scheme: dark)'

function subscribeToSystemTheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY)
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}

function systemPrefersDark(): boolean {
  return window.matchMedia(DARK_QUERY).matches
}

/** The theme on screen: the saved preference, with 'system' following the OS as it changes. */
export function useResolvedTheme(): Theme {
  const preference = useSettingsStore(selectThemePreference)
  const systemDark = useSyncExternalStore(subscribeToSystemTheme, systemPrefersDark)
  if (preference === 'system') return systemDark ? 'dark' : 'light'
  return preference
}

/** Puts the resolved theme on <html data-theme>, which the CSS custom properties key on. */
export function useApplyTheme(): Theme {
  const theme = useResolvedTheme()
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])
  return theme
}
