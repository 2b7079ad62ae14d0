import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type {
  ApplyRulesResult,
  BacktestView,
  ChecklistItem,
  StatisticsView,
  StrategyDetail,
  StrategyStatus,
  StrategyType,
  StrategyVersionView,
  StrategyView,
} from '../../../contract'
import { ConfirmPrompt } from '../components/ConfirmPrompt'
import { ErrorNotice } from '../components/ErrorNotice'
import {
  comparedFigures,
  differenceText,
  Figure,
  figureText,
  formatPercent,
  headlineFigures,
  Missing,
  SignedMoney,
} from '../components/figures'
import { fieldErrors, FormField } from '../components/FormField'
import { checkJsonObject, type JsonObjectCheck } from '../components/JsonCheck'
import type { ApiError } from '../lib/api'
import { formatCount, formatDateTime } from '../lib/format'
import { useStrategiesStore } from '../stores/strategies'
import './StrategiesPage.css'

// The contract's enums as the page names them (a Record, so a new value fails to compile here).
const typeLabels: Record<StrategyType, string> = {
  discretionary: 'Discretionary',
  systematic: 'Systematic',
  hybrid: 'Hybrid',
}
const statusLabels: Record<StrategyStatus, string> = {
  active: 'Active',
  draft: 'Draft',
  paused: 'Paused',
  archived: 'Archived',
}
const statusBadges: Record<StrategyStatus, string> = {
  active: 'badge badge-positive',
  draft: 'badge badge-accent',
  paused: 'badge badge-warning',
  archived: 'badge',
}
const strategyTypes = Object.keys(typeLabels) as StrategyType[]
const strategyStatuses = Object.keys(statusLabels) as StrategyStatus[]

const formatJson = (value: unknown) => JSON.stringify(value, null, 2)
const splitLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
const splitTags = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')

/** Strategies on the left, the chosen one's definition, versions, figures and backtests beside. */
export function StrategiesPage() {
  const { strategies, status, error, selectedId, load, select } = useStrategiesStore()
  const [showArchived, setShowArchived] = useState(false)
  const [creating, setCreating] = useState(false)
  const archivedId = useId()

  useEffect(() => {
    void load()
  }, [load])

  const shown = strategies.filter(
    (s) => showArchived || s.status !== 'archived' || s.id === selectedId,
  )
  const first = shown[0]
  // Something to look at from the start: the first strategy, unless the user chose otherwise.
  useEffect(() => {
    if (status === 'ready' && selectedId === null && !creating && first) void select(first.id)
  }, [status, selectedId, creating, first, select])

  const archivedCount = strategies.filter((s) => s.status === 'archived').length
  const empty = status === 'ready' && strategies.length === 0
  return (
    <div className="page page-wide" aria-busy={status === 'loading' && strategies.length === 0}>
      <header className="page-header">
        <h1>Strategies</h1>
        <div className="page-actions">
          {archivedCount > 0 && (
            <label className="strategy-toggle" htmlFor={archivedId}>
              <input
                id={archivedId}
                type="checkbox"
                checked={showArchived}
                onChange={(event) => setShowArchived(event.target.checked)}
              />
              Show archived ({formatCount(archivedCount)})
            </label>
          )}
          {!empty && (
            <button
              type="button"
              className="button button-primary"
              aria-expanded={creating}
              onClick={() => setCreating(!creating)}
            >
              New strategy
            </button>
          )}
        </div>
      </header>
      {error && <ErrorNotice title="Could not load the strategies" error={error} onRetry={load} />}
      {status === 'loading' && strategies.length === 0 && (
        <p className="muted">Loading strategies…</p>
      )}
      {empty && (
        <div className="strategy-empty">
          <div className="card empty-state">
            <p>No strategies yet — create one below.</p>
            <p className="muted">
              Name the setup you trade, list the rules you check before entering, and give it
              assignment rules to collect its trades.
            </p>
          </div>
          <CreateStrategyForm onClose={null} />
        </div>
      )}
      {strategies.length > 0 && (
        <div className="strategy-layout">
          <StrategyList strategies={shown} onSelect={() => setCreating(false)} />
          <div className="strategy-main">
            {creating ? (
              <CreateStrategyForm onClose={() => setCreating(false)} />
            ) : (
              <StrategyDetailView />
            )}
          </div>
        </div>
      )}
    </div>
  )
}

function StrategyList({
  strategies,
  onSelect,
}: {
  strategies: StrategyView[]
  onSelect: () => void
}) {
  const { selectedId, figures, figuresError, select } = useStrategiesStore()
  return (
    <nav className="card strategy-list" aria-labelledby="strategy-list-title">
      <div className="card-header">
        <h2 id="strategy-list-title" className="card-title">
          Strategies
        </h2>
      </div>
      <ul>
        {strategies.map((strategy) => {
          const figure = figures[strategy.id] ?? figures[strategy.name]
          return (
            <li key={strategy.id}>
              <button
                type="button"
                className="strategy-item"
                aria-current={strategy.id === selectedId ? 'true' : undefined}
                data-testid="strategy-item"
                onClick={() => {
                  onSelect()
                  void select(strategy.id)
                }}
              >
                <span className="strategy-item-line">
                  <span className="strategy-item-name">{strategy.name}</span>
                  <span className={statusBadges[strategy.status]}>
                    {statusLabels[strategy.status]}
                  </span>
                </span>
                <span className="strategy-item-line muted">
                  <span>
                    {typeLabels[strategy.type]} · {formatCount(strategy.trades)}{' '}
                    {strategy.trades === 1 ? 'trade' : 'trades'}
                  </span>
                  {figure && figure.trades > 0 && (
                    <span className="strategy-item-figures">
                      <SignedMoney value={figure.netPnl} />
                      {figure.winRate !== null && (
                        <span title="Win rate">{formatPercent(figure.winRate)}</span>
                      )}
                    </span>
                  )}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
      {figuresError && (
        <p className="muted strategy-list-note" role="status">
          Figures unavailable: {figuresError.message}
        </p>
      )}
    </nav>
  )
}

// ---------------------------------------------------------------------------------------------
// Creating

type CreateField = 'name' | 'description' | 'tags' | 'rules'

function CreateStrategyForm({ onClose }: { onClose: (() => void) | null }) {
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

// ---------------------------------------------------------------------------------------------
// The chosen strategy

function StrategyDetailView() {
  const { detail, detailStatus, detailError, selectedId, select } = useStrategiesStore()
  if (detailError) {
    return (
      <ErrorNotice
        title="Could not load the strategy"
        error={detailError}
        onRetry={() => void select(selectedId)}
      />
    )
  }
  if (!detail) {
    return detailStatus === 'loading' ? (
      <p className="muted" aria-busy="true">
        Loading the strategy…
      </p>
    ) : (
      <div className="card empty-state">
        <p>Choose a strategy on the left to see its rules, versions and results.</p>
      </div>
    )
  }
  return (
    <section
      className="strategy-detail"
      aria-labelledby="strategy-title"
      aria-busy={detailStatus === 'loading'}
      key={detail.id}
    >
      <StrategyOverview detail={detail} />
      <div className="strategy-columns">
        <ChecklistCard detail={detail} />
        <AssignmentCard detail={detail} />
      </div>
      <ConfigEditor detail={detail} />
      <VersionHistory detail={detail} />
      <BacktestsCard />
    </section>
  )
}

function StrategyOverview({ detail }: { detail: StrategyDetail }) {
  const { stats, statsError } = useStrategiesStore()
  return (
    <div className="card">
      <div className="card-header strategy-overview-header">
        <div className="strategy-heading">
          <h2 id="strategy-title" className="strategy-name">
            {detail.name}
          </h2>
          <span className="badge">{typeLabels[detail.type]}</span>
          <span className={statusBadges[detail.status]} data-testid="strategy-status">
            {statusLabels[detail.status]}
          </span>
        </div>
        <ArchiveControl detail={detail} />
      </div>
      <div className="strategy-about">
        {detail.description ? (
          <p className="strategy-description">{detail.description}</p>
        ) : (
          <p className="muted">No description.</p>
        )}
        {detail.tags.length > 0 && (
          <ul className="strategy-tags" aria-label="Tags">
            {detail.tags.map((tag) => (
              <li key={tag} className="badge badge-accent">
                {tag}
              </li>
            ))}
          </ul>
        )}
      </div>
      <StatsFacts stats={stats} error={statsError} />
    </div>
  )
}

function StatsFacts({ stats, error }: { stats: StatisticsView | null; error: ApiError | null }) {
  if (error) {
    return (
      <p className="strategy-stats-note muted" role="status">
        Statistics unavailable: {error.message}
      </p>
    )
  }
  if (stats && stats.trades === 0) {
    return (
      <p className="strategy-stats-note muted">
        No closed trades assigned yet — apply the assignment rules, or assign trades by hand
        (blotter strategies assign).
      </p>
    )
  }
  return (
    <dl className="strategy-stats" aria-label="Statistics of its closed trades">
      {headlineFigures.map((figure) => (
        <div key={figure.key} className="strategy-stat">
          <dt>{figure.label}</dt>
          <dd className="num">
            {stats ? (
              <Figure
                kind={figure.kind}
                value={stats[figure.key]}
                tone={figure.toned}
                testId={`stat-${figure.key}`}
              />
            ) : (
              <span className="muted">…</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  )
}

function ArchiveControl({ detail }: { detail: StrategyDetail }) {
  const archive = useStrategiesStore((state) => state.archive)
  const update = useStrategiesStore((state) => state.update)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const archiveButton = useRef<HTMLButtonElement>(null)

  async function run(action: () => Promise<unknown>) {
    setBusy(true)
    setFailure(null)
    try {
      await action()
      setConfirming(false)
    } catch (error) {
      setFailure(error as ApiError)
    } finally {
      setBusy(false)
    }
  }

  if (detail.status === 'archived') {
    return (
      <div className="strategy-archive">
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          onClick={() => void run(() => update({ status: 'active' }))}
        >
          Reactivate
        </button>
        {failure && <ErrorNotice error={failure} />}
      </div>
    )
  }
  return (
    <div className="strategy-archive">
      {confirming ? (
        <ConfirmPrompt
          className="strategy-confirm"
          label={`Archive ${detail.name}?`}
          confirmText="Archive strategy"
          busyText="Archiving…"
          busy={busy}
          onConfirm={() => void run(archive)}
          onCancel={() => {
            setConfirming(false)
            archiveButton.current?.focus()
          }}
        >
          Archive? Its trades, versions and backtests are kept.
        </ConfirmPrompt>
      ) : (
        <button
          ref={archiveButton}
          type="button"
          className="button button-small"
          onClick={() => setConfirming(true)}
        >
          Archive…
        </button>
      )}
      {failure && <ErrorNotice error={failure} />}
    </div>
  )
}

function ChecklistCard({ detail }: { detail: StrategyDetail }) {
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

function Checklist({ rules }: { rules: ChecklistItem[] }) {
  return (
    <ol className="strategy-checklist">
      {rules.map((rule) => (
        <li key={rule.id}>
          <CheckIcon />
          <span>{rule.text}</span>
        </li>
      ))}
    </ol>
  )
}

function AssignmentCard({ detail }: { detail: StrategyDetail }) {
  const applyRules = useStrategiesStore((state) => state.applyRules)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ApplyRulesResult | null>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const rules = assignmentRules(detail.config)

  async function apply() {
    setBusy(true)
    setFailure(null)
    setResult(null)
    try {
      setResult(await applyRules())
    } catch (error) {
      setFailure(error as ApiError)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="assignment-title">
      <div className="card-header">
        <h3 id="assignment-title" className="card-title">
          Assignment rules
        </h3>
        <button
          type="button"
          className="button button-small"
          disabled={busy || rules.length === 0 || detail.status === 'archived'}
          onClick={() => void apply()}
        >
          {busy ? 'Applying…' : 'Apply rules'}
        </button>
      </div>
      <div className="strategy-card-body">
        {rules.length === 0 ? (
          <p className="muted">
            None yet — add <code>assignment</code> to the config below, e.g.{' '}
            <code>{'{"symbol": "ES*", "side": "long"}'}</code>, to collect trades automatically.
          </p>
        ) : (
          <>
            <p className="muted">A trade belongs to this strategy when any rule matches:</p>
            <ul className="strategy-rules" data-testid="assignment-rules">
              {rules.map((rule, index) => (
                <li key={index}>{describeRule(rule)}</li>
              ))}
            </ul>
          </>
        )}
        {result && <ApplyOutcome result={result} />}
        {failure && <ErrorNotice title="Could not apply the rules" error={failure} />}
      </div>
    </section>
  )
}

function ApplyOutcome({ result }: { result: ApplyRulesResult }) {
  const parts = [
    `${formatCount(result.assigned)} ${result.assigned === 1 ? 'trade' : 'trades'} assigned`,
  ]
  if (result.reassigned > 0) parts.push(`${formatCount(result.reassigned)} moved`)
  if (result.kept > 0) parts.push(`${formatCount(result.kept)} kept by another strategy`)
  if (result.ambiguousCount > 0) {
    parts.push(`${formatCount(result.ambiguousCount)} claimed by several strategies, left alone`)
  }
  return (
    <p className="field-saved" role="status" data-testid="apply-result">
      {parts.join(', ')}.
    </p>
  )
}

/** The rules of `config.assignment` as written (one rule or a list); [] when absent. */
function assignmentRules(config: Record<string, unknown>): Record<string, unknown>[] {
  const value = config.assignment
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return list.filter(
    (rule): rule is Record<string, unknown> => typeof rule === 'object' && rule !== null,
  )
}

/** One rule in words: "symbol ES* or NQ* · long · entry 09:30–11:00 · mon, tue". */
function describeRule(rule: Record<string, unknown>): string {
  const list = (value: unknown, joiner: string) =>
    (Array.isArray(value) ? value : [value]).map(String).join(joiner)
  const parts: string[] = []
  if (rule.symbol !== undefined) parts.push(`symbol ${list(rule.symbol, ' or ')}`)
  if (rule.account !== undefined) parts.push(`account ${list(rule.account, ' or ')}`)
  if (rule.tag !== undefined) parts.push(`tagged ${list(rule.tag, ' or ')}`)
  if (typeof rule.side === 'string') parts.push(rule.side)
  if (rule.weekday !== undefined) parts.push(`on ${list(rule.weekday, ', ')}`)
  const window = rule.entryTime as { from?: unknown; to?: unknown } | undefined
  if (window && typeof window === 'object') {
    parts.push(`entry ${String(window.from)}–${String(window.to)}`)
  }
  return parts.length > 0 ? parts.join(' · ') : JSON.stringify(rule)
}

function ConfigEditor({ detail }: { detail: StrategyDetail }) {
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

function VersionHistory({ detail }: { detail: StrategyDetail }) {
  const versions = [...detail.versions].reverse()
  return (
    <section className="card" aria-labelledby="versions-title">
      <div className="card-header">
        <h3 id="versions-title" className="card-title">
          Version history
        </h3>
        <span className="muted">
          {formatCount(detail.versions.length)}{' '}
          {detail.versions.length === 1 ? 'version' : 'versions'}, newest first
        </span>
      </div>
      <div className="table-scroll">
        <table className="data-table strategy-versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">What changed</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version, index) => (
              <VersionRow
                key={version.version}
                version={version}
                previous={versions[index + 1] ?? null}
                current={version.version === detail.configVersion}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function VersionRow({
  version,
  previous,
  current,
}: {
  version: StrategyVersionView
  previous: StrategyVersionView | null
  current: boolean
}) {
  return (
    <tr data-testid="version-row">
      <th scope="row" className="strategy-version-number">
        v{version.version} {current && <span className="badge badge-accent">current</span>}
      </th>
      <td className="strategy-nowrap">
        <time dateTime={version.createdAt} title={version.createdAt}>
          {formatDateTime(new Date(version.createdAt))}
        </time>
      </td>
      <td>
        <details className="strategy-version-details">
          <summary>{changesOf(version, previous)}</summary>
          <pre className="mono strategy-version-config">{formatJson(version.config)}</pre>
          {version.rules.length > 0 && <Checklist rules={version.rules} />}
        </details>
      </td>
      <td>{version.changeNote ?? <Missing />}</td>
    </tr>
  )
}

/** "config: assignment changed · checklist: 1 added" against the version before. */
function changesOf(version: StrategyVersionView, previous: StrategyVersionView | null): string {
  if (!previous) return 'Created'
  const parts: string[] = []
  const keys = new Set([...Object.keys(previous.config), ...Object.keys(version.config)])
  const configChanges = [...keys].flatMap((key) => {
    const before = previous.config[key]
    const after = version.config[key]
    if (before === undefined) return [`${key} added`]
    if (after === undefined) return [`${key} removed`]
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${key} changed`]
  })
  if (configChanges.length > 0) parts.push(`config: ${configChanges.join(', ')}`)
  const oldTexts = new Set(previous.rules.map((rule) => rule.text))
  const newTexts = new Set(version.rules.map((rule) => rule.text))
  const added = version.rules.filter((rule) => !oldTexts.has(rule.text)).length
  const removed = previous.rules.filter((rule) => !newTexts.has(rule.text)).length
  const ruleChanges = [added > 0 && `${added} added`, removed > 0 && `${removed} removed`].filter(
    Boolean,
  )
  if (ruleChanges.length > 0) parts.push(`checklist: ${ruleChanges.join(', ')}`)
  else if (previous.rules.map((r) => r.text).join() !== version.rules.map((r) => r.text).join()) {
    parts.push('checklist reordered')
  }
  return parts.length > 0 ? parts.join(' · ') : 'Formatting only'
}

// ---------------------------------------------------------------------------------------------
// Backtests

function BacktestsCard() {
  const { backtests, backtestsError, comparing, compare } = useStrategiesStore()
  return (
    <section className="card" aria-labelledby="backtests-title">
      <div className="card-header">
        <h3 id="backtests-title" className="card-title">
          Backtests
        </h3>
      </div>
      {backtestsError && (
        <div className="strategy-card-body">
          <ErrorNotice title="Could not load the backtests" error={backtestsError} />
        </div>
      )}
      {backtests.length === 0 ? (
        <p className="strategy-card-body muted">
          No backtests yet — import a backtest&apos;s trade list below to compare it with the live
          trades.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table strategy-backtests">
            <thead>
              <tr>
                <th scope="col">Backtest</th>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  Trades
                </th>
                <th scope="col" className="num">
                  Net P&amp;L
                </th>
                <th scope="col" className="num">
                  Win rate
                </th>
                <th scope="col">
                  <span className="visually-hidden">Compare</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backtests.map((backtest) => (
                <BacktestRow
                  key={backtest.id}
                  backtest={backtest}
                  active={comparing === backtest.id}
                  onCompare={() => void compare(comparing === backtest.id ? null : backtest.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Comparison />
      <BacktestImport />
    </section>
  )
}

function BacktestRow({
  backtest,
  active,
  onCompare,
}: {
  backtest: BacktestView
  active: boolean
  onCompare: () => void
}) {
  const stats = backtest.statistics
  return (
    <tr data-testid="backtest-row">
      <th scope="row" className="strategy-cell-text" title={backtest.name}>
        {backtest.name}
        {backtest.strategyVersion !== null && (
          <span className="muted"> · v{backtest.strategyVersion}</span>
        )}
      </th>
      <td className="strategy-nowrap">
        {backtest.periodStart} – {backtest.periodEnd}
      </td>
      <td className="num">{formatCount(backtest.trades)}</td>
      <td className="num">
        <Figure kind="money" value={stats?.netPnl} tone />
      </td>
      <td className="num">
        <Figure kind="percent" value={stats?.winRate} />
      </td>
      <td className="strategy-row-action">
        <button
          type="button"
          className="button button-small"
          aria-pressed={active}
          aria-label={`Compare ${backtest.name} with the live trades`}
          onClick={onCompare}
        >
          Compare
        </button>
      </td>
    </tr>
  )
}

function Comparison() {
  const { comparing, comparison, comparisonError, compare } = useStrategiesStore()
  if (!comparing) return null
  if (comparisonError) {
    return (
      <div className="strategy-card-body">
        <ErrorNotice
          title="Could not compare"
          error={comparisonError}
          onRetry={() => void compare(comparing)}
        />
      </div>
    )
  }
  if (!comparison) {
    return (
      <p className="strategy-card-body muted" aria-busy="true">
        Comparing…
      </p>
    )
  }
  return (
    <div className="strategy-comparison">
      <h4 className="strategy-comparison-title">
        {comparison.backtest.name} against the live trades closed {comparison.period.from} –{' '}
        {comparison.period.to}
      </h4>
      <div className="table-scroll">
        <table className="data-table strategy-comparison-table" data-testid="comparison">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col" className="num">
                Backtest
              </th>
              <th scope="col" className="num">
                Live
              </th>
              <th scope="col" className="num">
                Live − backtest
              </th>
            </tr>
          </thead>
          <tbody>
            {comparedFigures.map((figure) => {
              const difference = differenceText(figure.kind, comparison.differences[figure.key])
              return (
                <tr key={figure.key}>
                  <th scope="row">{figure.label}</th>
                  <td className="num">
                    {figureText(figure.kind, comparison.backtestStats[figure.key]) ?? <Missing />}
                  </td>
                  <td className="num">
                    {figureText(figure.kind, comparison.liveStats[figure.key]) ?? <Missing />}
                  </td>
                  <td className="num strategy-difference">{difference ?? <Missing />}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function BacktestImport() {
  const importBacktest = useStrategiesStore((state) => state.importBacktest)
  const [file, setFile] = useState<File | null>(null)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<ReactNode>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const input = useRef<HTMLInputElement>(null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!file) return
    setBusy(true)
    setFailure(null)
    setOutcome(null)
    try {
      const result = await importBacktest(file, name)
      if (result.status === 'imported') {
        setOutcome(
          <p className="field-saved" role="status">
            Imported {result.backtest?.name}: {formatCount(result.backtest?.trades ?? 0)} round
            trips.
          </p>,
        )
        setFile(null)
        setName('')
        if (input.current) input.current.value = ''
      } else {
        setOutcome(
          <div className="notice notice-error" role="alert">
            <div className="notice-body">
              <p className="notice-title">{file.name} was not imported</p>
              <ul className="issue-list">
                {result.errors.slice(0, 10).map((error) => (
                  <li key={`${error.line}:${error.column}:${error.message}`}>
                    Line {error.line}
                    {error.column && ` (${error.column})`}: {error.message}
                  </li>
                ))}
              </ul>
            </div>
          </div>,
        )
      }
    } catch (error) {
      setFailure(error as ApiError)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="strategy-backtest-import" onSubmit={submit}>
      <div className="strategy-form-row">
        <FormField
          label="Backtest file"
          hint="A Blotter fills CSV or a round-trip CSV (symbol, side, entry_time, exit_time…)"
          className="strategy-file"
        >
          {(control) => (
            <input
              {...control}
              ref={input}
              className="input"
              type="file"
              accept=".csv,text/csv"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          )}
        </FormField>
        <FormField label="Name" hint="Default: the file's name">
          {(control) => (
            <input
              {...control}
              className="input"
              value={name}
              autoComplete="off"
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </FormField>
        <button type="submit" className="button" disabled={!file || busy}>
          {busy ? 'Importing…' : 'Import backtest'}
        </button>
      </div>
      {outcome}
      {failure && <ErrorNotice title="Could not import the backtest" error={failure} />}
    </form>
  )
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="strategy-check">
      <rect x="1.5" y="1.5" width="13" height="13" rx="3" fill="none" stroke="currentColor" />
      <path
        d="m4.5 8.2 2.3 2.3 4.7-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
