import type { ApiError } from '../lib/api'

const titles: Record<string, string> = {
  invalid_input: 'Invalid input',
  not_found: 'Not found',
  conflict: 'Conflict',
  unavailable: 'Unavailable',
  unknown_method: 'Not supported by this host',
  internal: 'Something went wrong',
}

interface ErrorNoticeProps {
  error: ApiError
  title?: string
  onRetry?: () => void
}

/** A failed call, shown in full: code, message and every issue, with a retry when it can help. */
export function ErrorNotice({ error, title, onRetry }: ErrorNoticeProps) {
  return (
    <div className="notice notice-error" role="alert">
      <div className="notice-body">
        <p className="notice-title">
          {title ?? titles[error.code] ?? 'Error'} <code className="notice-code">{error.code}</code>
        </p>
        <p>{error.message}</p>
        <IssueList error={error} />
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  )
}

/** The issues that add something the message does not already say. */
export function IssueList({ error }: { error: ApiError }) {
  const extra = error.issues.filter((issue) => !error.message.includes(issue.message))
  if (extra.length === 0) return null
  return (
    <ul className="issue-list">
      {extra.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>
          {issue.path && <code>{issue.path}</code>} {issue.message}
        </li>
      ))}
    </ul>
  )
}
