import type { ReactNode } from 'react'
import './ConfirmPrompt.css'

/**
 * "Are you sure?" in place, for an action that removes something: the question, the action
 * (focused, since it appears where the user just clicked) and Cancel. The caller moves focus back
 * to its trigger on cancel.
 */
export function ConfirmPrompt({
  label,
  children,
  confirmText,
  busyText,
  busy,
  onConfirm,
  onCancel,
  className,
}: {
  /** The group's accessible name, e.g. "Undo march.csv?". */
  label: string
  /** The question, with what will happen. */
  children: ReactNode
  confirmText: string
  busyText: string
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
  /** Extra class for the page's placement (e.g. a boxed variant). */
  className?: string
}) {
  return (
    <div className={className ? `confirm ${className}` : 'confirm'} role="group" aria-label={label}>
      <span>{children}</span>
      <span className="confirm-buttons">
        <button
          type="button"
          className="button button-danger button-small"
          disabled={busy}
          autoFocus
          onClick={onConfirm}
        >
          {busy ? busyText : confirmText}
        </button>
        <button
          type="button"
          className="button button-quiet button-small"
          disabled={busy}
          onClick={onCancel}
        >
          Cancel
        </button>
      </span>
    </div>
  )
}
