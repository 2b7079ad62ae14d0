import { useResolvedTheme } from '../lib/theme'
import { useSettingsStore } from '../stores/settings'

/** Flips between light and dark and saves the choice; "System" is on the Settings page. */
export function ThemeToggle() {
  const theme = useResolvedTheme()
  const save = useSettingsStore((state) => state.save)
  const field = useSettingsStore((state) => state.fields['ui.theme'])
  const next = theme === 'dark' ? 'light' : 'dark'

  return (
    <div className="theme-toggle">
      <button
        type="button"
        className="button button-quiet theme-toggle-button"
        onClick={() => void save('ui.theme', next)}
        disabled={field?.status === 'saving'}
        title={`Switch to the ${next} theme`}
      >
        {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
        <span>{next === 'dark' ? 'Dark theme' : 'Light theme'}</span>
      </button>
      {field?.status === 'error' && field.error && (
        <p className="field-error" role="alert">
          {field.error.message}
        </p>
      )}
    </div>
  )
}

function SunIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <circle cx="8" cy="8" r="3" fill="currentColor" />
      <path
        d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
      />
    </svg>
  )
}

function MoonIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M13.5 10.2A6 6 0 0 1 5.8 2.5a6 6 0 1 0 7.7 7.7Z" fill="currentColor" />
    </svg>
  )
}
