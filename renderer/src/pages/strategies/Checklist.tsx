import type { ChecklistItem } from '../../../../contract'

/** A checklist's rules, each with a tick box drawn beside it. */
export function Checklist({ rules }: { rules: ChecklistItem[] }) {
  return (
    <ol className="strategy-checklist">
      {rules.map((rule) => (
        <li key={rule.id}>
          <CheckIcon />
          <span>{rule.text}</span>
        </li>
      ))}
    </ol>
  )
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="strategy-check">
      <rect x="1.5" y="1.5" width="13" height="13" rx="3" fill="none" stroke="currentColor" />
      <path
        d="m4.5 8.2 2.3 2.3 4.7-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
