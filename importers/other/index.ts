/**
 * The "other" family: MetaTrader 4/5 reports, cTrader, TradeZero, DAS Trader, Binance, Coinbase
 * and Kraken (docs/importers/other.md). Signatures are distinct, so no two of them claim one file.
 */
import type { ImportFormat } from '../types'
import { binanceFormat } from './binance'
import { coinbaseFormat } from './coinbase'
import { ctraderFormat } from './ctrader'
import { dasFormat } from './das'
import { krakenFormat } from './kraken'
import { mt4Format, mt5Format } from './metatrader'
import { tradezeroFormat } from './tradezero'

export const otherFormats: readonly ImportFormat[] = [
  mt4Format,
  mt5Format,
  ctraderFormat,
  tradezeroFormat,
  dasFormat,
  binanceFormat,
  coinbaseFormat,
  krakenFormat,
]

export {
  binanceFormat,
  coinbaseFormat,
  ctraderFormat,
  dasFormat,
  krakenFormat,
  mt4Format,
  mt5Format,
  tradezeroFormat,
}
