/**
 * The futures platforms' exports (issue #3): Tradovate, NinjaTrader 8 and TopstepX/ProjectX.
 * Contract codes become canonical codes with no multiplier, so the point-value table applies.
 */
import type { ImportFormat } from '../types'
import { ninjatraderExecutionsFormat, ninjatraderTradesFormat } from './ninjatrader'
import { topstepxOrdersFormat, topstepxTradesFormat } from './topstepx'
import {
  tradovateFillsFormat,
  tradovateOrdersFormat,
  tradovatePerformanceFormat,
} from './tradovate'

export const futuresFormats: readonly ImportFormat[] = [
  tradovateFillsFormat,
  tradovateOrdersFormat,
  tradovatePerformanceFormat,
  ninjatraderExecutionsFormat,
  ninjatraderTradesFormat,
  topstepxTradesFormat,
  topstepxOrdersFormat,
]
