import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import type { SettingKey, SettingView } from '../../../contract'
import { ErrorNotice, IssueList } from '../components/ErrorNotice'
import { timeZones } from '../lib/timezones'
import { useSettingsStore, type ThemePreference } from '../stores/settings'
import './SettingsPage.css'

type PlainView = Extract<SettingView, { secret: false }>
type SecretView = Extract<SettingView, { secret: true }>

const labels: Partial<Record<SettingKey, string>> = {
  'ui.theme': 'Theme',
  'journal.timezone': 'Journal time zone',
  'journal.baseCurrency': 'Base currency',
  'backup.intervalMinutes': 'Backup interval',
  'sync.postgresUrl': 'Postgres sync URL',
}

const themeOptions: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/** Every setting the host knows, each saved on its own with its own success or error. */
export function SettingsPage() {
  const { order, views, listStatus, listError, loadList } = useSettingsStore()

  useEffect(() => {
    void loadList()
  }, [loadList])

  return (
    <div className="page page-narrow" aria-busy={listStatus === 'loading'}>
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      {listError && (
        <ErrorNotice title="Could not load settings" error={listError} onRetry={loadList} />
      )}
      {order.length === 0 && listStatus === 'loading' && <p className="muted">Loading settings…</p>}
      {order.length > 0 && (
        <section className="card settings" aria-label="Settings">
          {order.map((key) => {
            const view = views[key]
            return view && <SettingField key={key} view={view} />
          })}
        </section>
      )}
    </div>
  )
}

function SettingField({ view }: { view: SettingView }) {
  if (view.secret) return <SecretField view={view} />
  switch (view.key) {
    case 'ui.theme':
      return <ThemeField view={view} />
    case 'journal.timezone':
      return <TextField view={view} suggestions={timeZones()} />
    case 'backup.intervalMinutes':
      return <NumberField view={view} unit="minutes" min={0} max={24 * 60} />
    default:
      return typeof view.value === 'number' ? (
        <NumberField view={view} />
      ) : (
        <TextField view={view} />
      )
  }
}

/** Label, description and status around one setting's control. */
function FieldRow({
  view,
  inputId,
  statusId,
  badge,
  children,
}: {
  view: SettingView
  inputId: string
  statusId: string
  badge?: ReactNode
  children: ReactNode
}) {
  const labelId = useId()
  return (
    <div className="setting" role="group" aria-labelledby={labelId}>
      <div className="setting-text">
        <div className="setting-label">
          <label id={labelId} htmlFor={inputId}>
            {labels[view.key] ?? view.key}
          </label>
          {badge}
        </div>
        <p className="setting-description">{view.description}</p>
        <code className="setting-key">{view.key}</code>
      </div>
      <div className="setting-control">
        {children}
        <FieldStatus settingKey={view.key} id={statusId} />
      </div>
    </div>
  )
}

function FieldStatus({ settingKey, id }: { settingKey: SettingKey; id: string }) {
  const field = useSettingsStore((state) => state.fields[settingKey])
  return (
    <div id={id} className="field-status" aria-live="polite">
      {field?.status === 'saving' && <span className="muted">Saving…</span>}
      {field?.status === 'saved' && <span className="field-saved">Saved</span>}
      {field?.status === 'error' && field.error && (
        <div className="field-error">
          <p>{field.error.message}</p>
          <IssueList error={field.error} />
        </div>
      )}
    </div>
  )
}

/** Ids and save state shared by every field. */
function useField(key: SettingKey) {
  const inputId = useId()
  const statusId = useId()
  const field = useSettingsStore((state) => state.fields[key])
  const save = useSettingsStore((state) => state.save)
  const resetField = useSettingsStore((state) => state.resetField)
  return {
    inputId,
    statusId,
    saving: field?.status === 'saving',
    invalid: field?.status === 'error',
    save: (value: unknown) => save(key, value),
    // Once the user edits again, the last outcome no longer describes the field.
    touched: () => {
      if (field && field.status !== 'idle' && field.status !== 'saving') resetField(key)
    },
  }
}

function DefaultBadge({ view }: { view: PlainView }) {
  return view.isDefault ? <span className="badge">Default</span> : null
}

function ThemeField({ view }: { view: PlainView }) {
  const field = useField(view.key)
  return (
    <FieldRow
      view={view}
      inputId={field.inputId}
      statusId={field.statusId}
      badge={<DefaultBadge view={view} />}
    >
      <div className="field-line">
        <select
          id={field.inputId}
          className="input"
          value={String(view.value)}
          aria-describedby={field.statusId}
          aria-invalid={field.invalid}
          onChange={(event) => void field.save(event.target.value)}
        >
          {themeOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </FieldRow>
  )
}

/** Shared form of the text-like fields: Save when changed, Revert to the saved value. */
function DraftForm({
  dirty,
  saving,
  onSave,
  onRevert,
  children,
  after,
}: {
  dirty: boolean
  saving: boolean
  onSave: () => void
  onRevert?: () => void
  children: ReactNode
  /** Controls after Save, e.g. a secret's Clear. */
  after?: ReactNode
}) {
  function submit(event: FormEvent) {
    event.preventDefault()
    if (dirty && !saving) onSave()
  }
  return (
    <form className="field-line" onSubmit={submit} noValidate>
      {children}
      <button type="submit" className="button button-primary" disabled={!dirty || saving}>
        Save
      </button>
      {onRevert && dirty && (
        <button type="button" className="button button-quiet" onClick={onRevert}>
          Revert
        </button>
      )}
      {after}
    </form>
  )
}

function TextField({ view, suggestions }: { view: PlainView; suggestions?: string[] }) {
  const field = useField(view.key)
  const listId = useId()
  const saved = String(view.value ?? '')
  const [draft, setDraft] = useState(saved)
  return (
    <FieldRow
      view={view}
      inputId={field.inputId}
      statusId={field.statusId}
      badge={<DefaultBadge view={view} />}
    >
      <DraftForm
        dirty={draft !== saved}
        saving={field.saving}
        onSave={() => void field.save(draft)}
        onRevert={() => {
          setDraft(saved)
          field.touched()
        }}
      >
        <input
          id={field.inputId}
          className="input"
          type="text"
          value={draft}
          list={suggestions ? listId : undefined}
          aria-describedby={field.statusId}
          aria-invalid={field.invalid}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setDraft(event.target.value)
            field.touched()
          }}
        />
        {suggestions && (
          <datalist id={listId}>
            {suggestions.map((suggestion) => (
              <option key={suggestion} value={suggestion} />
            ))}
          </datalist>
        )}
      </DraftForm>
    </FieldRow>
  )
}

function NumberField({
  view,
  unit,
  min,
  max,
}: {
  view: PlainView
  unit?: string
  min?: number
  max?: number
}) {
  const field = useField(view.key)
  const saved = String(view.value ?? '')
  const [draft, setDraft] = useState(saved)
  return (
    <FieldRow
      view={view}
      inputId={field.inputId}
      statusId={field.statusId}
      badge={<DefaultBadge view={view} />}
    >
      <DraftForm
        dirty={draft !== saved}
        saving={field.saving}
        // An empty box is sent as null so the host explains what it expects.
        onSave={() => void field.save(draft.trim() === '' ? null : Number(draft))}
        onRevert={() => {
          setDraft(saved)
          field.touched()
        }}
      >
        <input
          id={field.inputId}
          className="input input-number num"
          type="number"
          inputMode="numeric"
          step={1}
          min={min}
          max={max}
          value={draft}
          aria-describedby={field.statusId}
          aria-invalid={field.invalid}
          onChange={(event) => {
            setDraft(event.target.value)
            field.touched()
          }}
        />
        {unit && <span className="unit">{unit}</span>}
      </DraftForm>
    </FieldRow>
  )
}

/** Secrets are never sent back: the field says whether one is stored and takes a replacement. */
function SecretField({ view }: { view: SecretView }) {
  const field = useField(view.key)
  const [draft, setDraft] = useState('')
  const badge = (
    <span className={view.isSet ? 'badge badge-positive' : 'badge'}>
      {view.isSet ? 'Set' : 'Not set'}
    </span>
  )
  async function replace(value: string) {
    if (await field.save(value)) setDraft('')
  }
  return (
    <FieldRow view={view} inputId={field.inputId} statusId={field.statusId} badge={badge}>
      <DraftForm
        dirty={draft !== ''}
        saving={field.saving}
        onSave={() => void replace(draft)}
        after={
          view.isSet && (
            <button
              type="button"
              className="button button-quiet"
              disabled={field.saving}
              onClick={() => void replace('')}
            >
              Clear
            </button>
          )
        }
      >
        <input
          id={field.inputId}
          className="input"
          type="password"
          value={draft}
          placeholder={view.isSet ? 'Enter a new value to replace it' : 'Enter a value'}
          aria-describedby={field.statusId}
          aria-invalid={field.invalid}
          autoComplete="new-password"
          spellCheck={false}
          onChange={(event) => {
            setDraft(event.target.value)
            field.touched()
          }}
        />
      </DraftForm>
    </FieldRow>
  )
}
