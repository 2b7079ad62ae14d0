import { useState, type FormEvent } from 'react'
import type { StrategyDetail } from '../../../../contract'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import type { ApiError } from '../../lib/api'
import { useStrategiesStore } from '../../stores/strategies'
import { Checklist } from './Checklist'
import { splitLines } from './text'

/** The rules checked before every entry, edited as one rule per line. */
export function ChecklistCard({ detail }: { detail: StrategyDetail }) {
  const update = useStrategiesStore((state) => state.update)
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState('')
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)

  function startEditing() {
    setText(detail.rules.map((rule) => rule.text).join('\n'))
    setFailure(null)
    setEditing(true)
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    setSaving(true)
    setFailure(null)
    try {
      await update({ rules: splitLines(text) })
      setEditing(false)
    } catch (error) {
      setFailure(error as ApiError)
    } finally {
      setSaving(false)
    }
  }

  return (
    <section className="card" aria-labelledby="checklist-title">
      <div className="card-header">
        <h3 id="checklist-title" className="card-title">
          Rules checklist
        </h3>
        {!editing && (
          <button type="button" className="button button-small" onClick={startEditing}>
            Edit checklist
          </button>
        )}
      </div>
      {editing ? (
        <form className="strategy-card-body" onSubmit={save}>
          <FormField label="Rules" hint="One per line; saving writes a new version">
            {(control) => (
              <textarea
                {...control}
                className="input"
                rows={Math.max(4, splitLines(text).length + 1)}
                value={text}
                autoFocus
                onChange={(event) => setText(event.target.value)}
              />
            )}
          </FormField>
          {failure && <ErrorNotice title="Could not save the checklist" error={failure} />}
          <div className="strategy-form-actions">
            <button type="submit" className="button button-primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save checklist'}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : detail.rules.length === 0 ? (
        <p className="strategy-card-body muted">
          No rules yet — add the conditions you check before every entry.
        </p>
      ) : (
        <Checklist rules={detail.rules} />
      )}
    </section>
  )
}
