import type { ComponentType } from 'react'
import { ImportPage } from '../pages/ImportPage'
import { JournalPage } from '../pages/JournalPage'
import { SettingsPage } from '../pages/SettingsPage'
import { TradesPage } from '../pages/TradesPage'

export interface PageEntry {
  path: string
  label: string
  component: ComponentType
}

/**
 * Every page of the app, in navigation order; Alt+1…9 follow this order. A page is listed only
 * once it does its job: adding one is adding its entry here.
 */
export const pages: readonly PageEntry[] = [
  { path: '/', label: 'Journal', component: JournalPage },
  { path: '/trades', label: 'Trades', component: TradesPage },
  { path: '/import', label: 'Import', component: ImportPage },
  { path: '/settings', label: 'Settings', component: SettingsPage },
]

/** "Alt+N" for the first nine pages, which have a shortcut. */
export function shortcutFor(index: number): string | undefined {
  return index < 9 ? `Alt+${index + 1}` : undefined
}
