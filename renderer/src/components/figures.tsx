/**
 * Statistics figures as the contract sends them (amounts as decimal strings, counts and ratios as
 * numbers, null when undefined) and how the strategy and risk pages show them.
 */
import type { StatisticsView } from '../../../contract'
import { decimalSign, formatDecimal } from '../lib/decimal'
import { formatCount } from '../lib/format'
import './figures.css'

export type FigureKind = 'money' | 'count' | 'percent' | 'ratio'

export interface FigureDefinition {
  key: keyof StatisticsView
  label: string
  kind: FigureKind
  /** Coloured by sign: P&L-like amounts, where positive is good (not drawdowns or losses). */
  toned?: boolean
}

/** The headline figures of a strategy (docs/metrics.md defines each). */
export const headlineFigures: readonly FigureDefinition[] = [
  { key: 'netPnl', label: 'Net P&L', kind: 'money', toned: true },
  { key: 'trades', label: 'Trades', kind: 'count' },
  { key: 'winRate', label: 'Win rate', kind: 'percent' },
  { key: 'profitFactor', label: 'Profit factor', kind: 'ratio' },
  { key: 'expectancy', label: 'Expectancy', kind: 'money', toned: true },
  { key: 'maxDrawdown', label: 'Max drawdown', kind: 'money' },
]

/** What a backtest is compared on, beside the live trades. */
export const comparedFigures: readonly FigureDefinition[] = [
  ...headlineFigures,
  { key: 'wins', label: 'Wins', kind: 'count' },
  { key: 'losses', label: 'Losses', kind: 'count' },
  { key: 'grossProfit', label: 'Gross profit', kind: 'money' },
  { key: 'grossLoss', label: 'Gross loss', kind: 'money' },
  { key: 'fees', label: 'Fees', kind: 'money' },
  { key: 'avgWin', label: 'Average win', kind: 'money' },
  { key: 'avgLoss', label: 'Average loss', kind: 'money' },
  { key: 'largestWin', label: 'Largest win', kind: 'money' },
  { key: 'largestLoss', label: 'Largest loss', kind: 'money' },
  { key: 'maxConsecutiveLosses', label: 'Longest losing run', kind: 'count' },
  { key: 'sharpe', label: 'Sharpe', kind: 'ratio' },
  { key: 'sortino', label: 'Sortino', kind: 'ratio' },
]

const percent = new Intl.NumberFormat(undefined, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
})
const ratio = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
})
const points = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
})
const signedRatio = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
})
const signedCount = new Intl.NumberFormat(undefined, {
  maximumFractionDigits: 0,
  signDisplay: 'exceptZero',
})

/**
 * A statistic's amount to the cent (half to even, on the digits). Averages carry 8 decimals
 * (779.16666667); the exact value stays in the contract and the CLI's JSON.
 */
function figureMoney(value: string, signed = false): string {
  return formatDecimal(value, { minFraction: 2, maxFraction: 2, signed })
}

/** A ratio such as 0.4 as "40.0%". */
export function formatPercent(value: number): string {
  return percent.format(value)
}

export function formatRatio(value: number): string {
  return ratio.format(value)
}

/** A figure's text, or null when the contract has none (shown as a dash). */
export function figureText(kind: FigureKind, value: unknown): string | null {
  if (kind === 'money') return typeof value === 'string' ? figureMoney(value) : null
  if (typeof value !== 'number') return null
  if (kind === 'count') return formatCount(value)
  if (kind === 'percent') return formatPercent(value)
  return formatRatio(value)
}

/** A difference (live − backtest): amounts and counts signed, win rates in percentage points. */
export function differenceText(kind: FigureKind, value: unknown): string | null {
  if (kind === 'money') return typeof value === 'string' ? figureMoney(value, true) : null
  if (typeof value !== 'number') return null
  if (kind === 'count') return signedCount.format(value)
  if (kind === 'percent') return `${points.format(value * 100)} pp`
  return signedRatio.format(value)
}

/** A figure as text with a dash for "none"; money is coloured by its sign when `tone` is set. */
export function Figure({
  kind,
  value,
  tone = false,
  testId,
}: {
  kind: FigureKind
  value: unknown
  tone?: boolean
  testId?: string
}) {
  const text = figureText(kind, value)
  if (text === null) return <Missing />
  const sign = tone && kind === 'money' && typeof value === 'string' ? decimalSign(value) : 0
  const className = sign > 0 ? 'figure-positive' : sign < 0 ? 'figure-negative' : undefined
  return (
    <span className={className} data-testid={testId}>
      {tone && kind === 'money' && typeof value === 'string' ? figureMoney(value, true) : text}
    </span>
  )
}

/** A money amount coloured by its sign, with "+" on gains. */
export function SignedMoney({ value, testId }: { value: string; testId?: string }) {
  return <Figure kind="money" value={value} tone testId={testId} />
}

export function Missing() {
  return (
    <>
      <span className="muted" aria-hidden="true">
        —
      </span>
      <span className="visually-hidden">none</span>
    </>
  )
}
