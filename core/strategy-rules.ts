/**
 * Which round trips a strategy's assignment rules claim. Pure: the service loads the candidates
 * and writes the assignments.
 *
 * A strategy keeps its rules in `config.assignment` (contract/strategies.ts validates them). A
 * rule matches a round trip when every condition it states holds; a condition listing several
 * values holds when any of them does; the strategy claims a round trip that any of its rules
 * matches. Times of day and weekdays are those of the entry in the journal's zone.
 */
import { isoWeekdayIndex, zoneOffset } from './stats/wall-clock'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** One assignment rule, normalised (lists are arrays, times are minutes after midnight). */
export interface AssignmentRule {
  /** Exact symbols or globs (`*` any run, `?` one character), case-insensitive. */
  symbol?: readonly string[]
  /** Tag names (case-insensitive); the round trip carries at least one. */
  tag?: readonly string[]
  /** Account names (case-insensitive). */
  account?: readonly string[]
  side?: 'long' | 'short'
  weekday?: readonly Weekday[]
  /**
   * Entry time of day window [from, to) in minutes after midnight; `from > to` wraps past
   * midnight (22:00–02:00 for a night session).
   */
  entryTime?: { from: number; to: number }
}

/** What a rule looks at in a round trip. */
export interface RuleCandidate {
  symbol: string
  /** Futures root or option underlying: `ES*` and `ES` both match ESH6. */
  underlying: string | null
  account: string
  side: 'long' | 'short'
  /** Entry instant, epoch ms UTC. */
  openedAt: number
  tags: readonly string[]
}

export type RuleMatcher = (candidate: RuleCandidate) => boolean

/** `ES*` → /^ES.*$/i; every other character stands for itself. */
export function globToRegExp(glob: string): RegExp {
  const source = [...glob]
    .map((char) =>
      char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'),
    )
    .join('')
  return new RegExp(`^${source}$`, 'i')
}

/** "09:30" → 570; null when the text is not a 24-hour HH:MM time. */
export function minutesOfDay(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text)
  return match ? Number(match[1]) * 60 + Number(match[2]) : null
}

/** True when a minute of the day falls in [from, to), wrapping past midnight when from > to. */
export function inWindow(minute: number, window: { from: number; to: number }): boolean {
  return window.from <= window.to
    ? minute >= window.from && minute < window.to
    : minute >= window.from || minute < window.to
}

export interface WallClock {
  weekday: Weekday
  /** Minutes after local midnight. */
  minute: number
}

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

/** Weekday and time of day of an instant in an IANA zone. */
export function wallClock(instant: number, zone: string): WallClock {
  const local = instant + zoneOffset(instant, zone)
  const minute = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS)
  return { weekday: WEEKDAYS[isoWeekdayIndex(instant, zone)] as Weekday, minute }
}

/** One rule as a predicate; globs compiled once. `clock` is computed at most once per trip. */
function compileRule(
  rule: AssignmentRule,
): (candidate: RuleCandidate, clock: () => WallClock) => boolean {
  const symbols = rule.symbol?.map(globToRegExp)
  const tags = rule.tag && new Set(rule.tag.map((tag) => tag.toLowerCase()))
  const accounts = rule.account && new Set(rule.account.map((name) => name.toLowerCase()))
  const weekdays = rule.weekday && new Set(rule.weekday)
  const window = rule.entryTime
  return (candidate, clock) =>
    (!rule.side || candidate.side === rule.side) &&
    (!accounts || accounts.has(candidate.account.toLowerCase())) &&
    (!symbols ||
      symbols.some(
        (pattern) =>
          pattern.test(candidate.symbol) ||
          (candidate.underlying !== null && pattern.test(candidate.underlying)),
      )) &&
    (!tags || candidate.tags.some((tag) => tags.has(tag.toLowerCase()))) &&
    (!weekdays || weekdays.has(clock().weekday)) &&
    (!window || inWindow(clock().minute, window))
}

/** A predicate for "any of these rules matches", entry times read in `zone`. */
export function compileRules(rules: readonly AssignmentRule[], zone: string): RuleMatcher {
  const compiled = rules.map(compileRule)
  return (candidate) => {
    let clock: WallClock | undefined
    const clockOnce = () => (clock ??= wallClock(candidate.openedAt, zone))
    return compiled.some((matches) => matches(candidate, clockOnce))
  }
}

/** True when some rule names a tag, so the caller knows to load tags. */
export function rulesUseTags(rules: readonly AssignmentRule[]): boolean {
  return rules.some((rule) => rule.tag !== undefined)
}
