import { useEffect, useRef, type MouseEvent } from 'react'
import { matchPath, NavLink, Outlet, useLocation } from 'react-router'
import { ErrorBoundary } from '../components/ErrorBoundary'
import { ErrorNotice } from '../components/ErrorNotice'
import { ThemeToggle } from '../components/ThemeToggle'
import { useSettingsStore } from '../stores/settings'
import './Layout.css'
import { pages, shortcutFor } from './pages'
import { useNavShortcuts } from './useNavShortcuts'

export function Layout() {
  const { pathname } = useLocation()
  const mainRef = useRef<HTMLElement>(null)
  const shownPath = useRef(pathname)
  const themeError = useSettingsStore((state) => state.themeError)
  const loadTheme = useSettingsStore((state) => state.loadTheme)
  useNavShortcuts()

  const current = pages.find((page) => matchPath(page.path, pathname))
  useEffect(() => {
    document.title = current ? `${current.label} · Blotter` : 'Blotter'
  }, [current])

  useEffect(() => {
    // After a navigation, screen readers and the keyboard continue from the new page.
    if (shownPath.current === pathname) return
    shownPath.current = pathname
    mainRef.current?.focus()
  }, [pathname])

  function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
    // A plain #main link would be taken for a route by the hash router.
    event.preventDefault()
    mainRef.current?.focus()
  }

  const lastShortcut = Math.min(pages.length, 9)
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Blotter
          </div>
          <nav className="nav" aria-label="Main">
            <ul>
              {pages.map((page, index) => {
                const shortcut = shortcutFor(index)
                return (
                  <li key={page.path}>
                    <NavLink
                      to={page.path}
                      end
                      className="nav-link"
                      title={shortcut ? `${page.label} (${shortcut})` : page.label}
                      aria-keyshortcuts={shortcut}
                    >
                      <span>{page.label}</span>
                      {shortcut && (
                        <kbd className="nav-shortcut" aria-hidden="true">
                          {index + 1}
                        </kbd>
                      )}
                    </NavLink>
                  </li>
                )
              })}
            </ul>
          </nav>
          <div className="sidebar-footer">
            <ThemeToggle />
            <p className="shortcut-help">
              <kbd>Alt</kbd>+<kbd>1</kbd>…<kbd>{lastShortcut}</kbd> switch pages
            </p>
          </div>
        </div>
      </aside>
      <main id="main" className="main" ref={mainRef} tabIndex={-1}>
        {themeError && (
          <ErrorNotice
            title="Could not load the theme setting"
            error={themeError}
            onRetry={() => void loadTheme()}
          />
        )}
        <ErrorBoundary key={pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </div>
  )
}
