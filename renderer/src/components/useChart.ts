import {
  createChart,
  type DeepPartial,
  type ChartOptions,
  type IChartApi,
} from 'lightweight-charts'
import { useCallback, useEffect, useState } from 'react'
import { useResolvedTheme } from '../lib/theme'

/** A design token's value on <html> (the theme sets them there). */
export function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

function themedOptions(): DeepPartial<ChartOptions> {
  return {
    layout: {
      background: { color: token('--surface') },
      textColor: token('--text-muted'),
      fontFamily: token('--font-sans'),
      fontSize: 11,
      attributionLogo: false,
      panes: { separatorColor: token('--border-strong') },
    },
    grid: {
      vertLines: { color: token('--border') },
      horzLines: { color: token('--border') },
    },
    rightPriceScale: { borderColor: token('--border-strong') },
    // Room after the last bar, so markers and their text on it are not cut off at the edge.
    timeScale: { borderColor: token('--border-strong'), rightOffset: 4 },
    crosshair: {
      vertLine: { labelBackgroundColor: token('--accent') },
      horzLine: { labelBackgroundColor: token('--accent') },
    },
  }
}

/**
 * A lightweight-charts chart in the element the returned ref is put on, sized to it, in the
 * theme's colours (re-applied when the theme changes), removed with the element. The chart is
 * null until the element mounts.
 */
export function useChart(): [
  ref: (element: HTMLDivElement | null) => () => void,
  IChartApi | null,
] {
  const [chart, setChart] = useState<IChartApi | null>(null)
  const theme = useResolvedTheme()

  const ref = useCallback((element: HTMLDivElement | null) => {
    if (!element) return () => {}
    const created = createChart(element, { ...themedOptions(), autoSize: true })
    setChart(created)
    return () => {
      setChart(null)
      // After the commit: the effects that added series to it remove them in their cleanups,
      // which React runs after this ref cleanup, and a removed chart throws on removeSeries.
      queueMicrotask(() => created.remove())
    }
  }, [])

  useEffect(() => {
    // The theme attribute is set in a layout effect, so the tokens already hold its colours.
    chart?.applyOptions(themedOptions())
  }, [chart, theme])

  return [ref, chart]
}
