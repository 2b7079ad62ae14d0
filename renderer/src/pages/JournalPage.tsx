import { useEffect, useId, useMemo, useState } from 'react'
import type { HostKind, SystemInfo } from '../../../contract'
import { ErrorNotice } from '../components/ErrorNotice'
import { formatCount, formatTime } from '../lib/format'
import { useSystemStore } from '../stores/system'
import { Dashboard } from './journal/Dashboard'
import './JournalPage.css'

const hostLabels: Record<HostKind, string> = {
  electron: 'Desktop app',
  browser: 'Browser mode',
  cli: 'Command line',
}

/**
 * The home page: the journal's headline figures, which file is open, its schema, and how many
 * rows each table holds.
 */
export function JournalPage() {
  const { info, dashboard, status, error, loadedAt, load } = useSystemStore()
  const loading = status === 'loading'

  // Counts change with every import, so each visit fetches them afresh.
  useEffect(() => {
    void load()
  }, [load])

  return (
    <div className="page page-narrow" aria-busy={loading}>
      <header className="page-header">
        <h1>Journal</h1>
        <div className="page-actions">
          {loadedAt && (
            <span className="muted" aria-live="polite">
              {loading ? 'Refreshing…' : `Updated ${formatTime(loadedAt)}`}
            </span>
          )}
          <button type="button" className="button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
        </div>
      </header>
      {error && <ErrorNotice title="Could not read the journal" error={error} onRetry={load} />}
      {!info && loading && <p className="muted">Loading journal status…</p>}
      {dashboard && <Dashboard view={dashboard} />}
      {info && (
        <>
          <JournalSummary info={info} />
          <TableCounts tables={info.tables} />
        </>
      )}
    </div>
  )
}

function JournalSummary({ info }: { info: SystemInfo }) {
  return (
    <section className="card" aria-labelledby="journal-file">
      <div className="card-header">
        <h2 id="journal-file" className="card-title">
          Journal file
        </h2>
      </div>
      <dl className="facts">
        <div className="fact fact-wide">
          <dt>Database</dt>
          <dd className="path" data-testid="db-path">
            {info.path}
          </dd>
        </div>
        <div className="fact">
          <dt>Schema version</dt>
          <dd className="num" data-testid="schema-version">
            {info.schemaVersion}
          </dd>
        </div>
        <div className="fact">
          <dt>SQLite</dt>
          <dd className="num">{info.sqliteVersion}</dd>
        </div>
        <div className="fact">
          <dt>Host</dt>
          <dd>{hostLabels[info.host] ?? info.host}</dd>
        </div>
      </dl>
    </section>
  )
}

function TableCounts({ tables }: { tables: Record<string, number> }) {
  const [filter, setFilter] = useState('')
  const filterId = useId()
  const all = useMemo(() => Object.entries(tables).sort(([a], [b]) => a.localeCompare(b)), [tables])
  const needle = filter.trim().toLowerCase()
  const shown = needle ? all.filter(([name]) => name.toLowerCase().includes(needle)) : all
  const total = shown.reduce((sum, [, rows]) => sum + rows, 0)

  return (
    <section className="card" aria-labelledby="journal-tables">
      <div className="card-header">
        <h2 id="journal-tables" className="card-title">
          Tables
        </h2>
        <div className="filter">
          <label htmlFor={filterId}>Filter tables</label>
          <input
            id={filterId}
            type="search"
            className="input"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            placeholder="Table name"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      </div>
      <table className="data-table table-counts">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Rows
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map(([name, rows]) => (
            <tr key={name} className={rows === 0 ? 'is-empty' : undefined}>
              <th scope="row" className="mono">
                {name}
              </th>
              <td className="num">{formatCount(rows)}</td>
            </tr>
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                No table name contains “{filter.trim()}”.
              </td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">
              Total{' '}
              <span className="muted">
                {shown.length === all.length
                  ? `${all.length} tables`
                  : `${shown.length} of ${all.length} tables`}
              </span>
            </th>
            <td className="num" data-testid="total-rows">
              {formatCount(total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  )
}
