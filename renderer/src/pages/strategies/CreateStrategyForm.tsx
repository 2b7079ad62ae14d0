import { useState, type FormEvent } from 'react'
import type { StrategyStatus, StrategyType } from '../../../../contract'
import { ErrorNotice } from '../../components/ErrorNotice'
import { fieldErrors, FormField } from '../../components/FormField'
import type { ApiError } from '../../lib/api'
import { useStrategiesStore } from '../../stores/strategies'
import { statusLabels, strategyStatuses, strategyTypes, typeLabels } from './labels'
import { splitLines } from './text'

/** The comma-separated tags, trimmed, blanks dropped. */
const splitTags = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')

type CreateField = 'name' | 'description' | 'tags' | 'rules'

/** A new strategy: type, status, description, tags, checklist; no Cancel if `onClose` is null. */
export function CreateStrategyForm({ onClose }: { onClose: (() => void) | null }) {
  const create = useStrategiesStore((state) => state.create)
  const [name, setName] = useState('')
  const [type, setType] = useState<StrategyType>('discretionary')
  const [status, setStatus] = useState<StrategyStatus>('active')
  const [description, setDescription] = useState('')
  const [tags, setTags] = useState('')
  const [rules, setRules] = useState('')
  const [saving, setSaving] = useState(false)
  const [errors, setErrors] = useState<Partial<Record<CreateField, string>>>({})
  const [failure, setFailure] = useState<ApiError | null>(null)

  function check(): Partial<Record<CreateField, string>> {
    const found: Partial<Record<CreateField, string>> = {}
    if (name.trim() === '') found.name = 'Give the strategy a name.'
    else if (name.trim().length > 100) found.name = 'At most 100 characters.'
    const longTag = splitTags(tags).find((tag) => tag.length > 50)
    if (longTag) found.tags = `"${longTag.slice(0, 20)}…" is longer than 50 characters.`
    const longRule = splitLines(rules).findIndex((line) => line.length > 500)
    if (longRule >= 0) found.rules = `Line ${longRule + 1} is longer than 500 characters.`
    return found
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const found = check()
    setErrors(found)
    setFailure(null)
    if (Object.keys(found).length > 0) return
    setSaving(true)
    try {
      await create({
        name: name.trim(),
        type,
        status,
        description: description.trim() || null,
        tags: splitTags(tags),
        rules: splitLines(rules),
      })
      onClose?.()
    } catch (error) {
      const apiError = error as ApiError
      const { byField, rest } = fieldErrors(apiError, ['name', 'description', 'tags', 'rules'])
      // A taken name comes back as a conflict without a path: it belongs beside the name.
      if (apiError.code === 'conflict' && /named/.test(apiError.message)) {
        setErrors({ name: apiError.message })
      } else {
        setErrors(byField)
        setFailure(rest)
      }
    } finally {
      setSaving(false)
    }
  }

  return (
    <form className="card strategy-form" aria-labelledby="create-strategy-title" onSubmit={submit}>
      <div className="card-header">
        <h2 id="create-strategy-title" className="card-title">
          New strategy
        </h2>
      </div>
      <div className="strategy-form-body">
        <div className="strategy-form-row">
          <FormField label="Name" error={errors.name} className="strategy-form-name">
            {(control) => (
              <input
                {...control}
                className="input"
                value={name}
                maxLength={100}
                autoComplete="off"
                placeholder="e.g. Opening range breakout"
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </FormField>
          <FormField label="Type">
            {(control) => (
              <select
                {...control}
                className="input"
                value={type}
                onChange={(event) => setType(event.target.value as StrategyType)}
              >
                {strategyTypes.map((value) => (
                  <option key={value} value={value}>
                    {typeLabels[value]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="Status">
            {(control) => (
              <select
                {...control}
                className="input"
                value={status}
                onChange={(event) => setStatus(event.target.value as StrategyStatus)}
              >
                {strategyStatuses
                  .filter((value) => value !== 'archived')
                  .map((value) => (
                    <option key={value} value={value}>
                      {statusLabels[value]}
                    </option>
                  ))}
              </select>
            )}
          </FormField>
        </div>
        <FormField label="Description" error={errors.description}>
          {(control) => (
            <textarea
              {...control}
              className="input"
              rows={2}
              value={description}
              maxLength={5000}
              placeholder="When you take it, what the edge is"
              onChange={(event) => setDescription(event.target.value)}
            />
          )}
        </FormField>
        <FormField label="Tags" hint="Separated by commas" error={errors.tags}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={tags}
              autoComplete="off"
              placeholder="e.g. momentum, morning"
              onChange={(event) => setTags(event.target.value)}
            />
          )}
        </FormField>
        <FormField
          label="Rules checklist"
          hint="One rule per line: what you check before entering"
          error={errors.rules}
        >
          {(control) => (
            <textarea
              {...control}
              className="input"
              rows={4}
              value={rules}
              placeholder={
                'Price above VWAP\nVolume above the 20-day average\nStop below the range'
              }
              onChange={(event) => setRules(event.target.value)}
            />
          )}
        </FormField>
        {failure && <ErrorNotice title="Could not create the strategy" error={failure} />}
        <div className="strategy-form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Creating…' : 'Create strategy'}
          </button>
          {onClose && (
            <button type="button" className="button button-quiet" onClick={onClose}>
              Cancel
            </button>
          )}
        </div>
      </div>
    </form>
  )
}
