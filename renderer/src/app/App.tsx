import { useEffect } from 'react'
import { HashRouter, Navigate, Route, Routes } from 'react-router'
import { useApplyTheme } from '../lib/theme'
import { useSettingsStore } from '../stores/settings'
import { Layout } from './Layout'
import { pages } from './pages'

export function App() {
  useApplyTheme()
  const loadTheme = useSettingsStore((state) => state.loadTheme)
  useEffect(() => {
    void loadTheme()
  }, [loadTheme])

  return (
    <HashRouter>
      <Routes>
        <Route element={<Layout />}>
          {pages.map(({ path, component: Page }) => (
            <Route key={path} path={path} element={<Page />} />
          ))}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </HashRouter>
  )
}
