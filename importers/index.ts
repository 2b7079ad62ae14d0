/**
 * Every format `blotter import` reads. Detection asks each format how well a file looks like
 * it and takes the most confident (ties go to the earlier format in this list).
 */
import { blotterFormat } from './blotter'
import { futuresFormats } from './futures'
import { ibkrFormats } from './ibkr'
import { otherFormats } from './other'
import { usFormats } from './us'
import type { ImportFormat } from './types'

export const formats: readonly ImportFormat[] = [
  blotterFormat,
  ...ibkrFormats,
  ...usFormats,
  ...futuresFormats,
  ...otherFormats,
]

/** At or below this a format is not considered a match at all. */
const MIN_CONFIDENCE = 0.5

export function formatById(id: string): ImportFormat | undefined {
  return formats.find((format) => format.id === id)
}

export function detectFormat(text: string): ImportFormat | undefined {
  let best: ImportFormat | undefined
  let bestScore = MIN_CONFIDENCE
  for (const format of formats) {
    const score = format.detect(text)
    if (score > bestScore) {
      best = format
      bestScore = score
    }
  }
  return best
}
