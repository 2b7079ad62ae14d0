import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react'
import type { RiskEventView, RiskLimitView, RiskUtilizationView } from '../../../contract'
import { COUNT_LIMIT_TYPES, type RiskLimitType, type RiskUnit } from '../../../core/risk'
import { ConfirmPrompt } from '../components/ConfirmPrompt'
import { ErrorNotice } from '../components/ErrorNotice'
import { formatPercent, Missing } from '../components/figures'
import { fieldErrors, FormField } from '../components/FormField'
import type { ApiError } from '../lib/api'
import { formatDecimal, formatMoney } from '../lib/decimal'
import { formatCount, formatCountOf, formatDateTime } from '../lib/format'
import { useRiskStore } from '../stores/risk'
import './RiskPage.css'

interface LimitKind {
  label: string
  /** What the limit bounds, for the form's hint. */
  bounds: string
  /** The counted thing, for the count types ("5 trades"). */
  counts?: string
}

// A Record, so a limit type added to core/risk.ts fails to compile until it is named here.
const limitKinds: Record<RiskLimitType, LimitKind> = {
  daily_loss: { label: 'Daily loss', bounds: 'Net loss of the trades closed in one day' },
  max_loss_per_trade: { label: 'Loss per trade', bounds: 'Net loss of any one round trip' },
  max_drawdown: { label: 'Drawdown', bounds: 'Fall of the cumulative net P&L from its peak' },
  max_position_size: {
    label: 'Position size',
    bounds: 'Largest size × entry price × multiplier of a position',
  },
  max_open_risk: { label: 'Open risk', bounds: 'Initial risk of the positions open at once' },
  max_trades_per_day: {
    label: 'Trades per day',
    bounds: 'Round trips closed in one day',
    counts: 'trades',
  },
  max_consecutive_losses: {
    label: 'Losing streak',
    bounds: 'Losing round trips in a row',
    counts: 'losses',
  },
}
const limitTypes = Object.keys(limitKinds) as RiskLimitType[]
const counts = (type: RiskLimitType) => COUNT_LIMIT_TYPES.includes(type)

const levels = {
  ok: { label: 'Within', badge: 'badge badge-positive' },
  warning: { label: 'Warning', badge: 'badge badge-warning' },
  breach: { label: 'Over limit', badge: 'badge badge-negative' },
} as const
const severities: Record<RiskEventView['severity'], { label: string; badge: string }> = {
  info: { label: 'Info', badge: 'badge' },
  warning: levels.warning,
  breach: { label: 'Breach', badge: 'badge badge-negative' },
}

/** An amount or count of a limit type: money for amounts, a whole number for counts. */
function amountText(type: RiskLimitType, value: string): string {
  return counts(type) ? formatDecimal(value) : formatMoney(value)
}

function limitValueText(limit: Pick<RiskLimitView, 'type' | 'unit' | 'value'>): string {
  if (limit.unit === 'percent_of_equity') return `${formatDecimal(limit.value)} % of equity`
  if (limit.unit === 'count')
    return `${formatDecimal(limit.value)} ${limitKinds[limit.type].counts}`
  return formatMoney(limit.value)
}

/** Limits per account with today's standing, the form to set them, and the events they raised. */
export function RiskPage() {
  const { today, limits, status, error, load, loadAccounts, accounts: traded } = useRiskStore()
  const [editing, setEditing] = useState<RiskLimitView | 'new' | null>(null)
  /** What the last save did; the form closes on saving. */
  const [saved, setSaved] = useState<string | null>(null)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    void load()
  }, [load])

  const accounts = [...new Set(limits.map((limit) => limit.account))]
  const empty = status === 'ready' && limits.length === 0
  const showForm = editing !== null || empty

  useEffect(() => {
    if (showForm) void loadAccounts()
  }, [showForm, loadAccounts])

  function edit(limit: RiskLimitView) {
    setEditing(limit)
    setSaved(null)
    // The form sits above the tables: bring it into view for the limit just chosen.
    requestAnimationFrame(() => formRef.current?.scrollIntoView({ block: 'nearest' }))
  }

  return (
    <div className="page" aria-busy={status === 'loading' && limits.length === 0}>
      <header className="page-header">
        <h1>Risk</h1>
        <div className="page-actions">
          {today && (
            <span className="muted">
              Today: <span className="mono">{today}</span>
            </span>
          )}
          {!empty && (
            <button
              type="button"
              className="button button-primary"
              aria-expanded={editing === 'new'}
              onClick={() => {
                setEditing(editing === 'new' ? null : 'new')
                setSaved(null)
              }}
            >
              Add limit
            </button>
          )}
        </div>
      </header>
      {error && <ErrorNotice title="Could not load the risk limits" error={error} onRetry={load} />}
      {status === 'loading' && limits.length === 0 && <p className="muted">Loading limits…</p>}
      {empty && (
        <div className="card empty-state">
          <p>No risk limits yet — add one below.</p>
          <p className="muted">
            A daily loss limit is a good start: every import is checked against it, and each breach
            is listed here once.
          </p>
        </div>
      )}
      {showForm && (
        <LimitForm
          // A new key per limit edited, so the fields start from that limit.
          key={editing === null || editing === 'new' ? 'new' : editing.id}
          formRef={formRef}
          limit={editing === null || editing === 'new' ? null : editing}
          accounts={[...new Set([...accounts, ...traded])].sort()}
          onClose={empty ? null : () => setEditing(null)}
          onSaved={(message) => {
            setSaved(message)
            setEditing(null)
          }}
        />
      )}
      {saved && (
        <div className="notice notice-success" role="status">
          <p className="notice-body notice-title">{saved}</p>
          <button type="button" className="button button-quiet" onClick={() => setSaved(null)}>
            Dismiss
          </button>
        </div>
      )}
      {accounts.map((account) => (
        <AccountLimits
          key={account}
          account={account}
          limits={limits.filter((limit) => limit.account === account)}
          onEdit={edit}
        />
      ))}
      <RiskEvents />
    </div>
  )
}

// ---------------------------------------------------------------------------------------------
// Limits

function AccountLimits({
  account,
  limits,
  onEdit,
}: {
  account: string
  limits: RiskLimitView[]
  onEdit: (limit: RiskLimitView) => void
}) {
  const titleId = useId()
  return (
    <section className="card" aria-labelledby={titleId} data-testid="account-limits">
      <div className="card-header">
        <h2 id={titleId} className="risk-account">
          {account}
        </h2>
        <span className="muted risk-small">{formatCountOf(limits.length, 'limit')}</span>
      </div>
      <div className="table-scroll">
        <table className="data-table risk-limits">
          <thead>
            <tr>
              <th scope="col">Limit</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col" className="num">
                Warn at
              </th>
              <th scope="col">Status</th>
              <th scope="col">Today</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {limits.map((limit) => (
              <LimitRow key={limit.id} limit={limit} onEdit={() => onEdit(limit)} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function LimitRow({ limit, onEdit }: { limit: RiskLimitView; onEdit: () => void }) {
  const removeLimit = useRiskStore((state) => state.removeLimit)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const removeButton = useRef<HTMLButtonElement>(null)
  const confirmId = useId()
  const kind = limitKinds[limit.type]
  const name = `${kind.label.toLowerCase()} limit of ${limit.account}`

  async function remove() {
    setBusy(true)
    setFailure(null)
    try {
      await removeLimit(limit.id)
    } catch (error) {
      setFailure(error as ApiError)
      setBusy(false)
    }
  }

  return (
    <>
      <tr data-testid="limit-row" className={limit.active ? undefined : 'risk-inactive'}>
        <th scope="row" title={kind.bounds}>
          {kind.label}
          {!limit.active && <span className="badge risk-badge-gap">off</span>}
        </th>
        <td className="num">{limitValueText(limit)}</td>
        <td className="num">
          {limit.warnAtPercent === null ? <Missing /> : `${limit.warnAtPercent} %`}
        </td>
        <td>
          <LevelBadge today={limit.today} active={limit.active} />
        </td>
        <td className="risk-today-cell">
          <Utilization type={limit.type} today={limit.today} label={name} />
        </td>
        <td className="risk-actions">
          <button
            type="button"
            className="button button-small"
            aria-label={`Edit the ${name}`}
            onClick={onEdit}
          >
            Edit
          </button>
          <button
            ref={removeButton}
            type="button"
            className="button button-small button-quiet"
            aria-label={`Remove the ${name}`}
            aria-expanded={confirming}
            aria-controls={confirming ? confirmId : undefined}
            onClick={() => setConfirming(!confirming)}
          >
            Remove
          </button>
        </td>
      </tr>
      {confirming && (
        <tr className="confirm-row" id={confirmId}>
          <td colSpan={6}>
            <ConfirmPrompt
              label={`Remove the ${name}?`}
              confirmText="Remove limit"
              busyText="Removing…"
              busy={busy}
              onConfirm={() => void remove()}
              onCancel={() => {
                setConfirming(false)
                removeButton.current?.focus()
              }}
            >
              Remove the {name}? The events it raised stay listed.
            </ConfirmPrompt>
            {failure && <ErrorNotice error={failure} />}
          </td>
        </tr>
      )}
    </>
  )
}

/** Today's value against the limit as a bar: green within, amber from the warning, red over. */
function Utilization({
  type,
  today,
  label,
}: {
  type: RiskLimitType
  today: RiskUtilizationView
  label: string
}) {
  const observed = amountText(type, today.observed)
  if (today.threshold === null || today.utilization === null) {
    return (
      <span className="muted risk-small" title="A % of equity limit needs the account's equity">
        {observed} · equity unknown
      </span>
    )
  }
  const threshold = amountText(type, today.threshold)
  const shown = Math.min(1, Math.max(0, today.utilization))
  const percent = formatPercent(today.utilization)
  return (
    <div className="risk-meter-line">
      <div
        className={`risk-meter risk-meter-${today.level ?? 'ok'}`}
        role="meter"
        aria-label={`Today's use of the ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(today.utilization * 100)}
        aria-valuetext={`${percent}: ${observed} of ${threshold}`}
        data-testid="utilization"
      >
        <span className="risk-meter-fill" style={{ width: `${shown * 100}%` }} />
      </div>
      <span className="risk-meter-text">
        <span className="risk-meter-percent">{percent}</span>
        <span className="muted">
          {observed} of {threshold}
        </span>
      </span>
    </div>
  )
}

function LevelBadge({ today, active }: { today: RiskUtilizationView; active: boolean }) {
  if (!active) return <span className="muted">Not checked</span>
  if (today.level === null) return <Missing />
  const level = levels[today.level]
  return <span className={level.badge}>{level.label}</span>
}

// ---------------------------------------------------------------------------------------------
// The form

type LimitField = 'account' | 'type' | 'value' | 'unit' | 'warnAtPercent'

const DECIMAL = /^\d+(\.\d{1,8})?$/

function LimitForm({
  limit,
  accounts,
  onClose,
  onSaved,
  formRef,
}: {
  limit: RiskLimitView | null
  accounts: string[]
  onClose: (() => void) | null
  onSaved: (message: string) => void
  formRef: RefObject<HTMLFormElement | null>
}) {
  const setLimit = useRiskStore((state) => state.setLimit)
  const [account, setAccount] = useState(limit?.account ?? accounts[0] ?? '')
  const [type, setType] = useState<RiskLimitType>(limit?.type ?? 'daily_loss')
  const [amountUnit, setAmountUnit] = useState<Exclude<RiskUnit, 'count'>>(
    limit?.unit === 'percent_of_equity' ? 'percent_of_equity' : 'absolute',
  )
  const [value, setValue] = useState(limit?.value ?? '')
  const [warnAt, setWarnAt] = useState(limit?.warnAtPercent?.toString() ?? '80')
  const [active, setActive] = useState(limit?.active ?? true)
  const [errors, setErrors] = useState<Partial<Record<LimitField, string>>>({})
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [saving, setSaving] = useState(false)
  const listId = useId()
  const activeId = useId()
  const isCount = counts(type)
  const unit: RiskUnit = isCount ? 'count' : amountUnit
  const editing = limit !== null

  function check(): Partial<Record<LimitField, string>> {
    const found: Partial<Record<LimitField, string>> = {}
    if (account.trim() === '') found.account = 'Which account? Give its name as imported.'
    const text = value.trim()
    if (text === '') found.value = 'Give the limit.'
    else if (isCount && !/^\d+$/.test(text)) found.value = 'A whole number, e.g. 5.'
    else if (!DECIMAL.test(text)) found.value = 'A positive number, e.g. 500 or 2.5.'
    else if (/^0*(\.0*)?$/.test(text)) found.value = 'Must be greater than 0.'
    else if (unit === 'percent_of_equity' && Number(text) > 100) {
      found.value = 'A percentage of equity is at most 100.'
    }
    const warn = warnAt.trim()
    if (warn !== '' && !(/^\d+$/.test(warn) && Number(warn) >= 1 && Number(warn) <= 99)) {
      found.warnAtPercent = 'A whole percentage from 1 to 99, or empty for no warning.'
    }
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
      const result = await setLimit({
        account: account.trim(),
        type,
        value: value.trim(),
        unit,
        warnAtPercent: warnAt.trim() === '' ? null : Number(warnAt.trim()),
        active,
      })
      const events = result.newEvents
      onSaved(
        `${result.created ? 'Added' : 'Saved'}: ${limitKinds[type].label} of ${result.limit.account}` +
          (events > 0 ? ` — ${formatCount(events)} new ${events === 1 ? 'event' : 'events'}` : ''),
      )
    } catch (error) {
      const apiError = error as ApiError
      const { byField, rest } = fieldErrors(apiError, [
        'account',
        'type',
        'value',
        'unit',
        'warnAtPercent',
      ])
      // "No account X" and "2 accounts are named X" have no path: they concern the account.
      if (apiError.code === 'not_found' || apiError.code === 'conflict') {
        setErrors({ account: apiError.message })
      } else {
        setErrors(byField)
        setFailure(rest)
      }
    } finally {
      setSaving(false)
    }
  }

  const title = editing
    ? `Edit the ${limitKinds[limit.type].label.toLowerCase()} limit of ${limit.account}`
    : 'New limit'
  return (
    <form
      ref={formRef}
      className="card risk-form"
      aria-labelledby="limit-form-title"
      onSubmit={submit}
      noValidate
    >
      <div className="card-header">
        <h2 id="limit-form-title" className="card-title">
          {title}
        </h2>
      </div>
      <div className="risk-form-body">
        <div className="risk-form-grid">
          <FormField label="Account" error={errors.account}>
            {(control) => (
              <>
                <input
                  {...control}
                  className="input"
                  value={account}
                  list={listId}
                  disabled={editing}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="e.g. Swing"
                  onChange={(event) => setAccount(event.target.value)}
                />
                <datalist id={listId}>
                  {accounts.map((name) => (
                    <option key={name} value={name} />
                  ))}
                </datalist>
              </>
            )}
          </FormField>
          <FormField label="Limit" hint={limitKinds[type].bounds} error={errors.type}>
            {(control) => (
              <select
                {...control}
                className="input"
                value={type}
                disabled={editing}
                onChange={(event) => setType(event.target.value as RiskLimitType)}
              >
                {limitTypes.map((name) => (
                  <option key={name} value={name}>
                    {limitKinds[name].label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="Value" error={errors.value ?? errors.unit}>
            {(control) => (
              <div className="risk-value">
                <input
                  {...control}
                  className="input risk-value-input"
                  value={value}
                  inputMode={isCount ? 'numeric' : 'decimal'}
                  autoComplete="off"
                  placeholder={isCount ? '5' : amountUnit === 'absolute' ? '500' : '2'}
                  onChange={(event) => setValue(event.target.value)}
                />
                {isCount ? (
                  <span className="muted">{limitKinds[type].counts}</span>
                ) : (
                  <select
                    className="input"
                    aria-label="Unit"
                    value={amountUnit}
                    disabled={editing}
                    onChange={(event) =>
                      setAmountUnit(event.target.value as Exclude<RiskUnit, 'count'>)
                    }
                  >
                    <option value="absolute">amount</option>
                    <option value="percent_of_equity">% of equity</option>
                  </select>
                )}
              </div>
            )}
          </FormField>
          <FormField
            label="Warn at"
            hint="% of the limit; empty: no warning"
            error={errors.warnAtPercent}
          >
            {(control) => (
              <div className="risk-value">
                <input
                  {...control}
                  className="input risk-warn-input"
                  value={warnAt}
                  inputMode="numeric"
                  autoComplete="off"
                  onChange={(event) => setWarnAt(event.target.value)}
                />
                <span className="muted">%</span>
              </div>
            )}
          </FormField>
        </div>
        <label className="risk-check" htmlFor={activeId}>
          <input
            id={activeId}
            type="checkbox"
            checked={active}
            onChange={(event) => setActive(event.target.checked)}
          />
          Active: check it after every import
        </label>
        {failure && <ErrorNotice title="Could not save the limit" error={failure} />}
        <div className="risk-form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save limit'}
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
// Events

function RiskEvents() {
  const {
    events,
    next,
    eventsStatus,
    eventsError,
    unacknowledgedOnly,
    acknowledging,
    loadEvents,
    loadMoreEvents,
    setUnacknowledgedOnly,
    acknowledge,
  } = useRiskStore()
  const [failure, setFailure] = useState<ApiError | null>(null)
  const filterId = useId()
  const open = events.filter((event) => event.acknowledgedAt === null)

  async function acknowledgeAll() {
    setFailure(null)
    try {
      // The contract takes at most 500 ids a call.
      for (let at = 0; at < open.length; at += 500) {
        await acknowledge(open.slice(at, at + 500).map((event) => event.id))
      }
    } catch (error) {
      setFailure(error as ApiError)
    }
  }

  return (
    <section
      className="card"
      aria-labelledby="risk-events-title"
      aria-busy={eventsStatus === 'loading'}
    >
      <div className="card-header">
        <h2 id="risk-events-title" className="card-title">
          Risk events
        </h2>
        <div className="risk-events-actions">
          <label className="risk-check" htmlFor={filterId}>
            <input
              id={filterId}
              type="checkbox"
              checked={unacknowledgedOnly}
              onChange={(event) => void setUnacknowledgedOnly(event.target.checked)}
            />
            Unacknowledged only
          </label>
          {open.length > 1 && (
            <button
              type="button"
              className="button button-small"
              disabled={acknowledging.length > 0}
              onClick={() => void acknowledgeAll()}
            >
              Acknowledge all {formatCount(open.length)}
            </button>
          )}
        </div>
      </div>
      {(eventsError ?? failure) && (
        <div className="risk-card-body">
          <ErrorNotice
            title={failure ? 'Could not acknowledge' : 'Could not load the risk events'}
            error={(failure ?? eventsError)!}
            onRetry={failure ? undefined : () => void loadEvents()}
          />
        </div>
      )}
      {events.length === 0 && eventsStatus === 'ready' && (
        <p className="risk-card-body muted">
          {unacknowledgedOnly
            ? 'Nothing left to acknowledge.'
            : 'No risk events — every limit has held so far. Breaches and warnings appear here after an import.'}
        </p>
      )}
      {events.length > 0 && (
        <div className="table-scroll">
          <table className="data-table risk-events">
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Day</th>
                <th scope="col">Account</th>
                <th scope="col">Limit</th>
                <th scope="col">What happened</th>
                <th scope="col" className="num">
                  Observed
                </th>
                <th scope="col" className="num">
                  Threshold
                </th>
                <th scope="col">
                  <span className="visually-hidden">Acknowledged</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <EventRow
                  key={event.id}
                  event={event}
                  busy={acknowledging.includes(event.id)}
                  onAcknowledge={() => {
                    setFailure(null)
                    acknowledge([event.id]).catch((error: unknown) => setFailure(error as ApiError))
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <div className="risk-more">
          <button
            type="button"
            className="button"
            disabled={eventsStatus === 'loading'}
            onClick={() => void loadMoreEvents()}
          >
            Load more
          </button>
        </div>
      )}
    </section>
  )
}

function EventRow({
  event,
  busy,
  onAcknowledge,
}: {
  event: RiskEventView
  busy: boolean
  onAcknowledge: () => void
}) {
  const severity = severities[event.severity]
  const kind = limitKinds[event.limitType]
  return (
    <tr
      data-testid="risk-event"
      className={event.acknowledgedAt === null ? undefined : 'risk-acknowledged'}
    >
      <td>
        <span className={severity.badge}>{severity.label}</span>
      </td>
      <td className="risk-nowrap mono">{event.day}</td>
      <td className="risk-cell-text" title={event.account}>
        {event.account}
      </td>
      <td className="risk-nowrap">{kind.label}</td>
      <td className="risk-message">{event.message}</td>
      <td className="num">{amountText(event.limitType, event.observed)}</td>
      <td className="num">{amountText(event.limitType, event.limit)}</td>
      <td className="risk-actions">
        {event.acknowledgedAt === null ? (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            aria-label={`Acknowledge the ${severity.label.toLowerCase()} of ${event.day}: ${event.message}`}
            onClick={onAcknowledge}
          >
            {busy ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        ) : (
          <span
            className="muted risk-small"
            title={`Acknowledged ${formatDateTime(new Date(event.acknowledgedAt))}`}
          >
            ✓ Acknowledged
          </span>
        )}
      </td>
    </tr>
  )
}
