import { useState } from 'react'
import type { ApplyRulesResult, StrategyDetail } from '../../../../contract'
import { ErrorNotice } from '../../components/ErrorNotice'
import type { ApiError } from '../../lib/api'
import { formatCount } from '../../lib/format'
import { useStrategiesStore } from '../../stores/strategies'

/** The config's assignment rules in words, and applying them to the journal's trades. */
export function AssignmentCard({ detail }: { detail: StrategyDetail }) {
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
