import { useEffect, useId, useState } from 'react'
import type { FileInspection } from '../../../../contract'
import { ErrorNotice } from '../../components/ErrorNotice'
import { invoke, toApiError, type ApiError } from '../../lib/api'
import { fileToBase64 } from '../../lib/files'
import { useImportsStore } from '../../stores/imports'

/** The time layouts a mapping can name (importers/generic.ts validates them on the host). */
const TIME_FORMATS: [id: string, label: string][] = [
  ['iso', 'ISO 8601 (2026-03-02 14:31:05)'],
  ['us-slash', 'US, 24 h (03/02/2026 14:31:05)'],
  ['us-slash-ampm', 'US, AM/PM (03/02/2026 2:31:05 PM)'],
  ['eu-slash', 'European (02.03.2026 14:31:05 or 02/03/2026)'],
  ['metatrader', 'MetaTrader (2026.03.02 14:31:05)'],
  ['ibkr-flex', 'IBKR Flex (20260302;143105)'],
  ['ibkr-statement', 'IBKR statement (2026-03-02, 14:31:05)'],
  ['date-us', 'Date only, US (03/02/2026)'],
  ['date-iso', 'Date only, ISO (2026-03-02)'],
  ['date-compact', 'Date only, compact (20260302)'],
]

/** Mapping fields a column can fill, in the order a trader thinks of them. */
const FIELDS: [key: string, label: string, required: boolean][] = [
  ['symbol', 'Symbol', true],
  ['side', 'Side (buy/sell)', false],
  ['quantity', 'Quantity', true],
  ['price', 'Price', true],
  ['fee', 'Fee / commission', false],
  ['account', 'Account', false],
  ['fillId', 'Execution id', false],
  ['orderId', 'Order id', false],
  ['currency', 'Currency', false],
  ['note', 'Note', false],
]

export interface MappingChoice {
  mapping?: Record<string, unknown>
  template?: string
  /** Save the mapping under this name before importing. */
  saveAs?: string
}

/**
 * Builds a `generic` column mapping from the header row of the first chosen file, or picks a
 * saved template. The host validates the mapping and names any field it refuses.
 */
export function MappingEditor({
  file,
  disabled,
  onChange,
}: {
  file: File | undefined
  disabled: boolean
  onChange: (choice: MappingChoice | null) => void
}) {
  const { templates, loadTemplates } = useImportsStore()
  const [template, setTemplate] = useState('')
  // Kept with the file it describes, so a newly chosen file never shows the last one's header.
  const [inspected, setInspected] = useState<{
    file: File
    inspection?: FileInspection
    error?: ApiError
  } | null>(null)
  const inspection = inspected && inspected.file === file ? (inspected.inspection ?? null) : null
  const inspectError = inspected && inspected.file === file ? (inspected.error ?? null) : null
  const [columns, setColumns] = useState<Record<string, string>>({})
  const [splitTime, setSplitTime] = useState(false)
  const [timeFormat, setTimeFormat] = useState('iso')
  const [signedQuantity, setSignedQuantity] = useState(false)
  const [decimalComma, setDecimalComma] = useState(false)
  const [saveAs, setSaveAs] = useState('')
  const id = useId()

  useEffect(() => {
    void loadTemplates()
  }, [loadTemplates])

  useEffect(() => {
    let current = true
    if (!file) return
    void (async () => {
      try {
        const content = await fileToBase64(file)
        const inspection = await invoke('import.inspect', { name: file.name, content })
        if (current) setInspected({ file, inspection })
      } catch (error) {
        if (current) setInspected({ file, error: toApiError(error) })
      }
    })()
    return () => {
      current = false
    }
  }, [file])

  useEffect(() => {
    if (template) {
      onChange({ template })
      return
    }
    const chosen = Object.fromEntries(Object.entries(columns).filter(([, header]) => header))
    const { time, date, clock, ...rest } = chosen
    const timeColumn = splitTime ? date && clock && { date, time: clock } : time
    if (!timeColumn || !rest.symbol || !rest.quantity || !rest.price) {
      onChange(null)
      return
    }
    onChange({
      mapping: {
        timeFormat,
        ...(decimalComma && { decimal: ',' }),
        ...(signedQuantity && { signedQuantity: true }),
        columns: { ...rest, time: timeColumn },
      },
      ...(saveAs.trim() && { saveAs: saveAs.trim() }),
    })
  }, [template, columns, splitTime, timeFormat, signedQuantity, decimalComma, saveAs, onChange])

  const setColumn = (key: string, header: string) =>
    setColumns((current) => ({ ...current, [key]: header }))

  const headerSelect = (key: string, label: string, required: boolean) => (
    <div className="import-field" key={key}>
      <label htmlFor={`${id}-${key}`}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <select
        id={`${id}-${key}`}
        className="input"
        value={columns[key] ?? ''}
        disabled={disabled}
        required={required}
        onChange={(event) => setColumn(key, event.target.value)}
      >
        <option value="">{required ? 'Choose a column' : '— none —'}</option>
        {inspection?.headers
          .filter((header) => header !== '')
          .map((header) => (
            <option key={header} value={header}>
              {header}
            </option>
          ))}
      </select>
    </div>
  )

  return (
    <fieldset className="mapping-editor" disabled={disabled}>
      <legend>Column mapping</legend>
      <div className="import-field">
        <label htmlFor={`${id}-template`}>Saved mapping</label>
        <select
          id={`${id}-template`}
          className="input"
          value={template}
          onChange={(event) => setTemplate(event.target.value)}
        >
          <option value="">New mapping from this file</option>
          {templates.map((saved) => (
            <option key={saved.name} value={saved.name}>
              {saved.name}
            </option>
          ))}
        </select>
      </div>
      {!template && !file && <p className="muted">Choose a file to map its columns.</p>}
      {!template && inspectError && (
        <ErrorNotice title="Could not read the file’s header" error={inspectError} />
      )}
      {!template && inspection && (
        <>
          <p className="muted">
            Header on line {inspection.headerLine}: {inspection.headers.length} columns
            {inspection.detected && ` (this file also looks like ${inspection.detected})`}.
          </p>
          <div className="mapping-grid">
            {splitTime ? (
              <>
                {headerSelect('date', 'Date', true)}
                {headerSelect('clock', 'Time of day', true)}
              </>
            ) : (
              headerSelect('time', 'Time', true)
            )}
            <div className="import-field">
              <label htmlFor={`${id}-time-format`}>Time format</label>
              <select
                id={`${id}-time-format`}
                className="input"
                value={timeFormat}
                onChange={(event) => setTimeFormat(event.target.value)}
              >
                {TIME_FORMATS.map(([format, label]) => (
                  <option key={format} value={format}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            {FIELDS.map(([key, label, required]) => headerSelect(key, label, required))}
          </div>
          <div className="import-checks">
            <label className="check">
              <input
                type="checkbox"
                checked={splitTime}
                onChange={(event) => setSplitTime(event.target.checked)}
              />
              <span>Date and time are in separate columns</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={signedQuantity}
                onChange={(event) => setSignedQuantity(event.target.checked)}
              />
              <span>Negative quantity means sell</span>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={decimalComma}
                onChange={(event) => setDecimalComma(event.target.checked)}
              />
              <span>Decimal comma (1.234,56)</span>
            </label>
          </div>
          {inspection.samples.length > 0 && (
            <div className="table-scroll">
              <table className="data-table mapping-sample" aria-label="First rows of the file">
                <thead>
                  <tr>
                    {inspection.headers.map((header, index) => (
                      <th key={`${index}/${header}`}>{header}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {inspection.samples.map((row, rowIndex) => (
                    <tr key={rowIndex}>
                      {inspection.headers.map((_, index) => (
                        <td key={index}>{row[index] ?? ''}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="import-field">
            <label htmlFor={`${id}-save`}>Save as template</label>
            <input
              id={`${id}-save`}
              className="input"
              type="text"
              value={saveAs}
              placeholder="e.g. my-broker (optional)"
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setSaveAs(event.target.value)}
            />
          </div>
        </>
      )}
    </fieldset>
  )
}
