/** Interactive Brokers: Flex Query CSV and Activity Statement CSV (docs/importers/ibkr.md). */
import type { ImportFormat } from '../types'
import { ibkrFlexFormat } from './flex'
import { ibkrStatementFormat } from './statement'

export { ibkrFlexFormat, ibkrStatementFormat }

export const ibkrFormats: readonly ImportFormat[] = [ibkrFlexFormat, ibkrStatementFormat]
