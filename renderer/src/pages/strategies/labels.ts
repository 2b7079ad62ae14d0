import type { StrategyStatus, StrategyType } from '../../../../contract'

// The contract's enums as the page names them (a Record, so a new value fails to compile here).
export const typeLabels: Record<StrategyType, string> = {
  discretionary: 'Discretionary',
  systematic: 'Systematic',
  hybrid: 'Hybrid',
}
export const statusLabels: Record<StrategyStatus, string> = {
  active: 'Active',
  draft: 'Draft',
  paused: 'Paused',
  archived: 'Archived',
}
export const statusBadges: Record<StrategyStatus, string> = {
  active: 'badge badge-positive',
  draft: 'badge badge-accent',
  paused: 'badge badge-warning',
  archived: 'badge',
}
export const strategyTypes = Object.keys(typeLabels) as StrategyType[]
export const strategyStatuses = Object.keys(statusLabels) as StrategyStatus[]
