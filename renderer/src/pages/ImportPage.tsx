import {
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type DragEvent,
  type FormEvent,
  type ReactNode,
} from 'react'
import { Link } from 'react-router'
import type { BatchView, FormatView, ImportResultView } from '../../../contract'
import { ConfirmPrompt } from '../components/ConfirmPrompt'
import { ErrorNotice } from '../components/ErrorNotice'
import { formatMoney } from '../lib/decimal'
import { formatSize } from '../lib/files'
import { formatCount, formatCountOf, formatDateTime } from '../lib/format'
import { timeZones } from '../lib/timezones'
import { useImportsStore, type ImportOptions } from '../stores/imports'
import { invoke, toApiError } from '../lib/api'
import { MappingEditor, type MappingChoice } from './import/MappingEditor'
import './ImportPage.css'

/** Rows of a file's error table shown at once; a broken export can have thousands. */
const SHOWN_ERRORS = 200

/** Broker files in, per-file results out, and the batches imported so far with their undo. */
export function ImportPage() {
  const loadFormats = useImportsStore((state) => state.loadFormats)
  const loadHistory = useImportsStore((state) => state.loadHistory)
  const historyLoading = useImportsStore((state) => state.historyStatus === 'loading')

  useEffect(() => {
    void loadFormats()
    void loadHistory()
  }, [loadFormats, loadHistory])

  return (
    <div className="page" aria-busy={historyLoading}>
      <header className="page-header">
        <h1>Import</h1>
      </header>
      <ImportForm />
      <ImportResults />
      <ImportHistory />
    </div>
  )
}

const defaultOptions: ImportOptions = {
  format: 'auto',
  account: '',
  timezone: '',
  dateOrder: '',
  dryRun: false,
  skipInvalid: false,
}

/** Same name, size and modification time: the same file chosen twice. */
const fileKey = (file: File) => `${file.name}/${file.size}/${file.lastModified}`

function ImportForm() {
  const { formats, formatsError, importing, importingCount, loadFormats, runImport } =
    useImportsStore()
  const [files, setFiles] = useState<File[]>([])
  const [options, setOptions] = useState(defaultOptions)
  const [mappingChoice, setMappingChoice] = useState<MappingChoice | null>(null)
  const [templateError, setTemplateError] = useState<ReturnType<typeof toApiError> | null>(null)
  const generic = options.format === 'generic'
  const [dragging, setDragging] = useState(false)
  const dragDepth = useRef(0)
  const ids = {
    files: useId(),
    format: useId(),
    account: useId(),
    timezone: useId(),
    zones: useId(),
    dateOrder: useId(),
    dryRun: useId(),
    skipInvalid: useId(),
  }
  const chosenFormat = formats.find((format) => format.id === options.format)

  function add(list: FileList | null) {
    // Copied now: the input's FileList empties when its value is reset below, before the
    // state updater runs.
    const chosen = Array.from(list ?? [])
    if (chosen.length === 0) return
    setFiles((current) => {
      const seen = new Set(current.map(fileKey))
      return [...current, ...chosen.filter((file) => !seen.has(fileKey(file)))]
    })
  }

  function onChoose(event: ChangeEvent<HTMLInputElement>) {
    add(event.target.files)
    // Choosing the same file again after removing it must fire change again.
    event.target.value = ''
  }

  function onDragEnter(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return
    event.preventDefault()
    dragDepth.current += 1
    setDragging(true)
  }

  function onDragOver(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return
    // Without this the browser opens the dropped file instead of handing it to the page.
    event.preventDefault()
    event.dataTransfer.dropEffect = 'copy'
  }

  function onDragLeave() {
    // dragleave fires for every child the pointer crosses; only leaving the zone itself counts.
    dragDepth.current = Math.max(0, dragDepth.current - 1)
    if (dragDepth.current === 0) setDragging(false)
  }

  function onDrop(event: DragEvent) {
    event.preventDefault()
    dragDepth.current = 0
    setDragging(false)
    if (!importing) add(event.dataTransfer.files)
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (files.length === 0 || importing) return
    if (generic && !mappingChoice) return
    setTemplateError(null)
    if (generic && mappingChoice?.saveAs && mappingChoice.mapping) {
      try {
        await invoke('importTemplates.save', {
          name: mappingChoice.saveAs,
          mapping: mappingChoice.mapping,
        })
      } catch (error) {
        setTemplateError(toApiError(error))
        return
      }
    }
    await runImport(files, {
      ...options,
      ...(generic && mappingChoice?.mapping && { mapping: mappingChoice.mapping }),
      ...(generic && mappingChoice?.template && { template: mappingChoice.template }),
    })
    // A failed call keeps the selection, so Import can simply be pressed again.
    if (!useImportsStore.getState().importError) setFiles([])
  }

  const set = <K extends keyof ImportOptions>(key: K, value: ImportOptions[K]) =>
    setOptions((current) => ({ ...current, [key]: value }))

  return (
    <form className="card import-form" onSubmit={(event) => void submit(event)} noValidate>
      <div
        className={dragging ? 'drop-zone is-dragging' : 'drop-zone'}
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
      >
        <input
          id={ids.files}
          className="drop-zone-input"
          type="file"
          multiple
          disabled={importing}
          onChange={onChoose}
        />
        <label htmlFor={ids.files} className="drop-zone-label">
          <UploadIcon />
          <span>
            <span className="drop-zone-action">Choose files</span> or drop them here
          </span>
          <span className="muted drop-zone-hint">
            Broker exports (CSV), several at once; each file is imported on its own
          </span>
        </label>
      </div>

      {files.length > 0 && (
        <ul className="chosen-files" aria-label="Chosen files">
          {files.map((file) => (
            <li key={fileKey(file)}>
              <span className="chosen-name" title={file.name}>
                {file.name}
              </span>
              <span className="muted num">{formatSize(file.size)}</span>
              <button
                type="button"
                className="button button-quiet button-small"
                disabled={importing}
                onClick={() => setFiles((current) => current.filter((f) => f !== file))}
                aria-label={`Remove ${file.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}

      {formatsError && (
        <ErrorNotice
          title="Could not list the formats (automatic detection still works)"
          error={formatsError}
          onRetry={() => void loadFormats()}
        />
      )}

      <div className="import-options">
        <div className="import-field">
          <label htmlFor={ids.format}>Format</label>
          <select
            id={ids.format}
            className="input"
            value={options.format}
            disabled={importing}
            onChange={(event) => set('format', event.target.value)}
          >
            <option value="auto">Detect automatically</option>
            {formats.map((format) => (
              <option key={format.id} value={format.id}>
                {format.label}
              </option>
            ))}
            <option value="generic">Other CSV: map its columns</option>
          </select>
        </div>
        <div className="import-field">
          <label htmlFor={ids.account}>Account</label>
          <input
            id={ids.account}
            className="input"
            type="text"
            value={options.account}
            placeholder="default"
            disabled={importing}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${ids.account}-hint`}
            onChange={(event) => set('account', event.target.value)}
          />
          <span id={`${ids.account}-hint`} className="import-hint">
            For files that name no account
          </span>
        </div>
        <div className="import-field">
          <label htmlFor={ids.timezone}>Time zone</label>
          <input
            id={ids.timezone}
            className="input"
            type="text"
            value={options.timezone}
            placeholder={chosenFormat ? chosenFormat.defaultTimezone : 'The format’s own'}
            list={ids.zones}
            disabled={importing}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${ids.timezone}-hint`}
            onChange={(event) => set('timezone', event.target.value)}
          />
          <datalist id={ids.zones}>
            {timeZones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <span id={`${ids.timezone}-hint`} className="import-hint">
            Of times in the file without an offset. Empty: the broker’s own zone (Blotter CSV: the
            account’s)
          </span>
        </div>
        <div className="import-field">
          <label htmlFor={ids.dateOrder}>Date order</label>
          <select
            id={ids.dateOrder}
            className="input"
            value={options.dateOrder}
            disabled={importing}
            aria-describedby={`${ids.dateOrder}-hint`}
            onChange={(event) => set('dateOrder', event.target.value as ImportOptions['dateOrder'])}
          >
            <option value="">From the file</option>
            <option value="dmy">Day first (31/12)</option>
            <option value="mdy">Month first (12/31)</option>
          </select>
          <span id={`${ids.dateOrder}-hint`} className="import-hint">
            For dates that read either way, like 05/04 (NinjaTrader follows Windows)
          </span>
        </div>
      </div>

      {generic && (
        <MappingEditor file={files[0]} disabled={importing} onChange={setMappingChoice} />
      )}
      {templateError && <ErrorNotice title="The mapping was not saved" error={templateError} />}

      <div className="import-checks">
        <label className="check">
          <input
            type="checkbox"
            checked={options.dryRun}
            disabled={importing}
            onChange={(event) => set('dryRun', event.target.checked)}
          />
          <span>
            Dry run <span className="muted">— check the files, write nothing</span>
          </span>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.skipInvalid}
            disabled={importing}
            onChange={(event) => set('skipInvalid', event.target.checked)}
          />
          <span>
            Skip invalid rows <span className="muted">— import the rest of a file with errors</span>
          </span>
        </label>
      </div>

      <div className="import-submit">
        <button
          type="submit"
          className="button button-primary"
          disabled={files.length === 0 || importing || (generic && !mappingChoice)}
        >
          Import
        </button>
        <span className="muted">
          {files.length === 0
            ? 'Choose at least one file'
            : generic && !mappingChoice
              ? 'Map the time, symbol, quantity and price columns'
              : `${files.length} ${files.length === 1 ? 'file' : 'files'} chosen`}
        </span>
      </div>

      {importing && <ImportProgress total={importingCount} />}
    </form>
  )
}

/** Rows read of the file being imported, and which file of how many. */
function ImportProgress({ total }: { total: number }) {
  const { progress, filesDone } = useImportsStore()
  const rows = progress?.totalRows ?? 0
  const percent = rows > 0 ? Math.min(100, Math.round((progress!.rowsParsed / rows) * 100)) : null
  const fileNumber = filesDone + (progress?.fileIndex ?? 0) + 1
  return (
    <div className="import-busy" role="status">
      <div
        className="progress"
        role="progressbar"
        aria-label="Importing"
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null && { 'aria-valuenow': percent })}
      >
        <div
          className={percent === null ? 'progress-bar' : 'progress-bar is-determinate'}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <span className="num">
        {total > 1 && `File ${Math.min(fileNumber, total)} of ${total}: `}
        {progress?.file ?? 'Starting'}
        {progress && rows > 0 && (
          <>
            {' '}
            — {formatCount(progress.rowsParsed)} of {formatCount(rows)} lines,{' '}
            {formatCount(progress.fillsWritten)} fills
          </>
        )}
      </span>
    </div>
  )
}

function ImportResults() {
  const { results, importError, formats, history } = useImportsStore()
  if (!results && !importError) return null
  return (
    <section className="import-results" aria-labelledby="import-results-title">
      <h2 id="import-results-title">Last import</h2>
      {importError && <ErrorNotice title="The import did not run" error={importError} />}
      {results?.map((result, index) => (
        <ResultCard
          key={`${index}/${result.file}`}
          result={result}
          formats={formats}
          batch={history.find((batch) => batch.id === result.batchId)}
        />
      ))}
    </section>
  )
}

const statusBadges: Record<ImportResultView['status'], string> = {
  imported: 'badge badge-positive',
  rejected: 'badge badge-negative',
  'dry-run': 'badge badge-accent',
}

function ResultCard({
  result,
  formats,
  batch,
}: {
  result: ImportResultView
  formats: FormatView[]
  batch: BatchView | undefined
}) {
  const titleId = useId()
  const formatLabel = formats.find((format) => format.id === result.format)?.label ?? result.format
  return (
    <article className="card import-result" aria-labelledby={titleId} data-testid="import-result">
      <div className="card-header">
        <div className="result-title">
          <h3 id={titleId} className="result-file" title={result.file}>
            {result.file}
          </h3>
          <span className={statusBadges[result.status]} data-testid="result-status">
            {result.status}
          </span>
          {batch && batch.status !== 'imported' && (
            <span className="badge">{batch.status} since</span>
          )}
        </div>
        {formatLabel && <span className="muted">{formatLabel}</span>}
      </div>
      <p className="result-summary">{summaryOf(result)}</p>
      <dl className="result-counts">
        <Count label={result.status === 'dry-run' ? 'Fills to import' : 'New fills'}>
          <span data-testid="result-fills">{formatCount(result.fills)}</span>
        </Count>
        <Count label="Duplicates">
          <span data-testid="result-duplicates">{formatCount(result.duplicates)}</span>
        </Count>
        <Count label="Trades">
          <span data-testid="result-trades">{formatCount(result.trades)}</span>
        </Count>
        <Count label="Errors">
          <span className={result.errors.length > 0 ? 'count-bad' : undefined}>
            {formatCount(result.errors.length)}
          </span>
        </Count>
      </dl>
      {result.warnings.length > 0 && <Warnings warnings={result.warnings} />}
      {result.errors.length > 0 && <ErrorsTable errors={result.errors} />}
      {result.reconciliation.length > 0 && <Reconciliation differences={result.reconciliation} />}
    </article>
  )
}

function summaryOf(result: ImportResultView): string {
  const { status, fills, duplicates, errors } = result
  if (status === 'rejected') {
    return errors.length > 1 || (errors[0] && errors[0].column !== null)
      ? 'Nothing was imported. Fix the rows below and import the file again, or tick “Skip invalid rows” to import the rest.'
      : 'Nothing was imported.'
  }
  if (status === 'dry-run') return 'Dry run: the file was read and checked; nothing was written.'
  if (fills === 0 && duplicates > 0) return 'Nothing new: every fill was already in the journal.'
  if (errors.length > 0) return 'Imported without the invalid rows listed below.'
  return 'Imported.'
}

function Count({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="result-count">
      <dt>{label}</dt>
      <dd className="num">{children}</dd>
    </div>
  )
}

/** The host repeats a warning per row it concerns; each is listed once with its count. */
function Warnings({ warnings }: { warnings: string[] }) {
  const counts = new Map<string, number>()
  for (const warning of warnings) counts.set(warning, (counts.get(warning) ?? 0) + 1)
  return (
    <div className="result-block">
      <h4 className="result-block-title">Warnings</h4>
      <ul className="warning-list">
        {[...counts].map(([warning, count]) => (
          <li key={warning}>
            {warning}
            {count > 1 && <span className="muted"> (×{formatCount(count)})</span>}
          </li>
        ))}
      </ul>
    </div>
  )
}

function ErrorsTable({ errors }: { errors: ImportResultView['errors'] }) {
  const shown = errors.slice(0, SHOWN_ERRORS)
  return (
    <div className="result-block">
      <h4 className="result-block-title">Errors</h4>
      <div className="table-scroll">
        <table className="data-table result-table errors-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Column</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((error, index) => (
              <tr key={`${error.line}/${error.column ?? ''}/${index}`}>
                <td className="num">{error.line}</td>
                <td className="mono">{error.column ?? <span className="muted">—</span>}</td>
                <td className="message">{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {errors.length > shown.length && (
        <p className="muted result-more">
          and {formatCount(errors.length - shown.length)} more errors not shown
        </p>
      )}
    </div>
  )
}

function Reconciliation({ differences }: { differences: ImportResultView['reconciliation'] }) {
  return (
    <div className="result-block">
      <h4 className="result-block-title">Differences from the broker’s realized P&amp;L</h4>
      <div className="table-scroll">
        <table className="data-table result-table">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Account</th>
              <th scope="col">Symbol</th>
              <th scope="col">Basis</th>
              <th scope="col" className="num">
                Broker
              </th>
              <th scope="col" className="num">
                Blotter
              </th>
              <th scope="col" className="num">
                Difference
              </th>
            </tr>
          </thead>
          <tbody>
            {differences.map((row) => (
              <tr key={`${row.account}/${row.symbol}/${row.date}/${row.basis}`}>
                <td className="nowrap">{row.date}</td>
                <td>{row.account}</td>
                <td>{row.symbol}</td>
                <td>{row.basis}</td>
                <td className="num">{formatMoney(row.broker, true)}</td>
                <td className="num">{formatMoney(row.blotter, true)}</td>
                <td className="num">{formatMoney(row.difference, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function ImportHistory() {
  const { history, historyStatus, historyError, loadHistory, undone, undoError } = useImportsStore()
  // The contract lists oldest first; the latest import is the one a trader looks for.
  const newestFirst = [...history].reverse()
  return (
    <section className="card" aria-labelledby="import-history-title">
      <div className="card-header">
        <h2 id="import-history-title" className="card-title">
          Import history
        </h2>
        {history.length > 0 && (
          <span className="muted">{formatCountOf(history.length, 'batch', 'batches')}</span>
        )}
      </div>
      <div className="history-notices" aria-live="polite">
        {undone && (
          <div className="notice notice-success" role="status">
            <div className="notice-body">
              <p className="notice-title">Undid {undone.file}</p>
              <p>
                {formatCount(undone.fills)} {undone.fills === 1 ? 'fill' : 'fills'} removed;{' '}
                {formatCount(undone.trades)} round {undone.trades === 1 ? 'trip' : 'trips'} rebuilt
                from the fills that remain. <Link to="/trades">See trades</Link>
              </p>
            </div>
          </div>
        )}
        {undoError && <ErrorNotice title="Could not undo the import" error={undoError} />}
        {historyError && (
          <ErrorNotice
            title="Could not load the import history"
            error={historyError}
            onRetry={() => void loadHistory()}
          />
        )}
      </div>
      {history.length === 0 && historyStatus === 'ready' && (
        <p className="empty-state muted">No imports yet.</p>
      )}
      {history.length > 0 && (
        <div className="table-scroll">
          <table className="data-table history-table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Format</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Fills
                </th>
                <th scope="col" className="num">
                  Duplicates
                </th>
                <th scope="col">Imported</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((batch) => (
                <HistoryRow key={batch.id} batch={batch} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

const batchBadges: Record<string, string> = {
  imported: 'badge badge-positive',
  undone: 'badge',
}

function HistoryRow({ batch }: { batch: BatchView }) {
  const format = useImportsStore((state) => state.formats.find((f) => f.id === batch.format))
  const undoing = useImportsStore((state) => state.undoing)
  const undo = useImportsStore((state) => state.undo)
  const [confirming, setConfirming] = useState(false)
  const undoButton = useRef<HTMLButtonElement>(null)
  const confirmId = useId()
  const busy = undoing !== null
  const undoable = batch.status === 'imported'

  function cancel() {
    setConfirming(false)
    undoButton.current?.focus()
  }

  return (
    <>
      <tr data-testid="batch-row" data-batch-id={batch.id}>
        <th scope="row" className="history-file" title={batch.file}>
          {batch.file}
        </th>
        <td title={`${batch.format}, parser version ${batch.parserVersion}`}>
          {format?.label ?? batch.format}
        </td>
        <td>
          <span className={batchBadges[batch.status] ?? 'badge badge-warning'}>{batch.status}</span>
        </td>
        <td className="num">{formatCount(batch.fills)}</td>
        <td className="num">{formatCount(batch.duplicates)}</td>
        <td className="history-when">
          <time dateTime={batch.importedAt} title={batch.importedAt}>
            {formatDateTime(new Date(batch.importedAt))}
          </time>
        </td>
        <td className="history-actions">
          {undoable && (
            <button
              ref={undoButton}
              type="button"
              className="button button-small"
              disabled={busy}
              aria-expanded={confirming}
              aria-controls={confirming ? confirmId : undefined}
              aria-label={`Undo ${batch.file}`}
              onClick={() => (confirming ? cancel() : setConfirming(true))}
            >
              Undo
            </button>
          )}
        </td>
      </tr>
      {undoable && confirming && (
        // A row of its own under the batch, so asking never squeezes the table's columns.
        <tr className="confirm-row" id={confirmId} data-confirm-for={batch.id}>
          <td colSpan={7}>
            <ConfirmPrompt
              label={`Undo ${batch.file}?`}
              confirmText="Undo import"
              busyText="Undoing…"
              busy={busy}
              onConfirm={() => void undo(batch).then(() => setConfirming(false))}
              onCancel={cancel}
            >
              Undo this import? Its {formatCount(batch.fills)}{' '}
              {batch.fills === 1 ? 'fill is' : 'fills are'} removed and the round trips they were
              part of are rebuilt.
            </ConfirmPrompt>
          </td>
        </tr>
      )}
    </>
  )
}

function UploadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" className="drop-zone-icon">
      <path
        d="M12 15V4m0 0-4 4m4-4 4 4M5 15v3a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
