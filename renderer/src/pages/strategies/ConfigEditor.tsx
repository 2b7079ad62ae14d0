import { useRef, useState, type FormEvent } from 'react'
import type { StrategyDetail } from '../../../../contract'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import { checkJsonObject, type JsonObjectCheck } from '../../components/JsonCheck'
import type { ApiError } from '../../lib/api'
import { formatCount } from '../../lib/format'
import { useStrategiesStore } from '../../stores/strategies'
import { formatJson } from './text'

/** The config as JSON, checked as it is typed; saving a change writes a new version. */
export function ConfigEditor({ detail }: { detail: StrategyDetail }) {
  const update = useStrategiesStore((state) => state.update)
  const original = formatJson(detail.config)
  const [text, setText] = useState(original)
  const [note, setNote] = useState('')
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState<number | null>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const area = useRef<HTMLTextAreaElement>(null)
  const check: JsonObjectCheck = checkJsonObject(text)
  const dirty = text !== original

  async function save(event: FormEvent) {
    event.preventDefault()
    if (!check.ok || !dirty) return
    setSaving(true)
    setFailure(null)
    setSaved(null)
    try {
      const result = await update({
        config: check.value,
        ...(note.trim() && { changeNote: note.trim() }),
      })
      setText(formatJson(result.config))
      setNote('')
      setSaved(result.configVersion)
    } catch (error) {
      setFailure(error as ApiError)
    } finally {
      setSaving(false)
    }
  }

  /** Puts the caret where the JSON goes wrong. */
  function showProblem() {
    if (check.ok || !area.current) return
    area.current.focus()
    area.current.setSelectionRange(check.offset, Math.min(text.length, check.offset + 1))
  }

  const problem = check.ok ? null : `Line ${check.line}, column ${check.column}: ${check.message}`
  return (
    <form className="card" aria-labelledby="config-title" onSubmit={save}>
      <div className="card-header">
        <h3 id="config-title" className="card-title">
          Config
        </h3>
        <span className="muted strategy-config-version">
          version {formatCount(detail.configVersion)}
        </span>
      </div>
      <div className="strategy-card-body">
        <FormField
          label="Config JSON"
          error={problem}
          hint={
            <>
              Any JSON object; <code>assignment</code> holds the assignment rules. Saving a change
              writes a new version.
            </>
          }
        >
          {(control) => (
            <textarea
              {...control}
              ref={area}
              className="input mono strategy-config"
              rows={Math.min(18, Math.max(5, text.split('\n').length + 1))}
              value={text}
              spellCheck={false}
              onChange={(event) => {
                setText(event.target.value)
                setSaved(null)
              }}
            />
          )}
        </FormField>
        {!check.ok && (
          <button type="button" className="link-button strategy-show-problem" onClick={showProblem}>
            Show the problem in the editor
          </button>
        )}
        <div className="strategy-form-row">
          <FormField label="Change note" hint="Optional: why it changed" className="strategy-note">
            {(control) => (
              <input
                {...control}
                className="input"
                value={note}
                maxLength={1000}
                autoComplete="off"
                onChange={(event) => setNote(event.target.value)}
              />
            )}
          </FormField>
        </div>
        {failure && <ErrorNotice title="Could not save the config" error={failure} />}
        <div className="strategy-form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={saving || !dirty || !check.ok}
          >
            {saving ? 'Saving…' : 'Save config'}
          </button>
          {dirty && (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setText(original)
                setFailure(null)
              }}
            >
              Discard changes
            </button>
          )}
          {saved !== null && !dirty && (
            <span className="field-saved" role="status">
              Saved as version {formatCount(saved)}
            </span>
          )}
        </div>
      </div>
    </form>
  )
}
