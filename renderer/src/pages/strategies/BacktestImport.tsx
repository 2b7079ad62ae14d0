import { useRef, useState, type FormEvent, type ReactNode } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import type { ApiError } from '../../lib/api'
import { formatCount } from '../../lib/format'
import { useStrategiesStore } from '../../stores/strategies'

/** A backtest's trade list (fills or round trips) imported beside the strategy. */
export function BacktestImport() {
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
