import { useId, type ReactNode } from 'react'
import type { ApiError } from '../lib/api'
import './FormField.css'

/** What a control needs to be labelled and tied to its hint and error. */
export interface FieldControlProps {
  id: string
  'aria-describedby': string | undefined
  'aria-invalid': boolean
}

interface FormFieldProps {
  label: string
  /** A short help line under the control. */
  hint?: ReactNode
  /** What is wrong with the value, shown under the control and announced. */
  error?: string | null
  className?: string
  children: (control: FieldControlProps) => ReactNode
}

/** A labelled control with its hint and inline error. */
export function FormField({ label, hint, error, className, children }: FormFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ')
  return (
    <div className={className ? `form-field ${className}` : 'form-field'}>
      <label htmlFor={id} className="form-field-label">
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': !!error })}
      {error && (
        <p id={errorId} className="field-error form-field-message" role="alert">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="muted form-field-message">
          {hint}
        </p>
      )}
    </div>
  )
}

/**
 * The host's complaints about the fields a form knows, by field (the issue path's first part);
 * `rest` is the message when nothing could be placed beside a field.
 */
export function fieldErrors<F extends string>(
  error: ApiError,
  fields: readonly F[],
): { byField: Partial<Record<F, string>>; rest: ApiError | null } {
  const byField: Partial<Record<F, string>> = {}
  for (const issue of error.issues) {
    const [head, ...tail] = issue.path.split('.')
    const field = fields.find((name) => name === head)
    if (!field || byField[field]) continue
    byField[field] = tail.length > 0 ? `${tail.join('.')}: ${issue.message}` : issue.message
  }
  return { byField, rest: Object.keys(byField).length > 0 ? null : error }
}
