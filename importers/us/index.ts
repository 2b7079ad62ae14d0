/** The US retail broker formats (docs/importers/us.md). */
import type { ImportFormat } from '../types'
import { etradeFormat } from './etrade'
import { fidelityFormat } from './fidelity'
import { robinhoodFormat } from './robinhood'
import { schwabFormat } from './schwab'
import { tosFormat } from './tos'
import { tradestationFormat } from './tradestation'
import { webullFormat } from './webull'

export const usFormats: readonly ImportFormat[] = [
  tosFormat,
  schwabFormat,
  fidelityFormat,
  etradeFormat,
  robinhoodFormat,
  webullFormat,
  tradestationFormat,
]
