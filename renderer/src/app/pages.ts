import type { ComponentType } from 'react'
import { ChartPage } from '../pages/ChartPage'
import { ImportPage } from '../pages/ImportPage'
import { JournalPage } from '../pages/JournalPage'
import { RiskPage } from '../pages/RiskPage'
import { SettingsPage } from '../pages/SettingsPage'
import { StatisticsPage } from '../pages/StatisticsPage'
import { StrategiesPage } from '../pages/StrategiesPage'
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
  { path: '/statistics', label: 'Statistics', component: StatisticsPage },
  { path: '/chart', label: 'Chart', component: ChartPage },
  { path: '/strategies', label: 'Strategies', component: StrategiesPage },
  { path: '/risk', label: 'Risk', component: RiskPage },
  { path: '/import', label: 'Import', component: ImportPage },
  { path: '/settings', label: 'Settings', component: SettingsPage },
]

/** "Alt+N" for the first nine pages, which have a shortcut. */
export function shortcutFor(index: number): string | undefined {
  return index < 9 ? `Alt+${index + 1}` : undefined
}
