import type { StrategyDetail, StrategyVersionView } from '../../../../contract'
import { Missing } from '../../components/figures'
import { formatCount, formatDateTime } from '../../lib/format'
import { Checklist } from './Checklist'
import { formatJson } from './text'

/** Every saved version, newest first, each with what changed against the one before. */
export function VersionHistory({ detail }: { detail: StrategyDetail }) {
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
