/**
 * Date-only files (Schwab, Fidelity, E*TRADE, Robinhood, IBKR's compact Flex): each fill at noon
 * of its date, so it keeps its date west of New York; and journals that parser version 1 filled
 * (midnight + n ms, content keys at that instant) take the same file again as duplicates.
 */
import { hash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ibkrFlexFormat } from '../../importers/ibkr/flex'
import type { ImportFormat } from '../../importers/types'
import { schwabFormat } from '../../importers/us/schwab'
import { importFile } from '../../services/import'
import { listFills } from '../../services/journal'
import { setSetting } from '../../services/settings'
import { statsDaily } from '../../services/stats'
import { useTempJournal } from '../support/journal'

const HEADER = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"'
const SELL = '"07/07/2026","Sell","IREN","IREN LTD F","10","$44.00","$0.01","$439.99"'
const BUY = '"07/06/2026","Buy","IREN","IREN LTD F","10","$43.00","","-$430.00"'
const SCHWAB = [HEADER, SELL, BUY].join('\n')

const schwabFixture = readFileSync(join(process.cwd(), 'test/fixtures/schwab/transactions.csv'))
/** The fixture with one more trade on top (newest first): a sell of 1 SPY put on 07/21. */
const schwabFixtureAndOneMore = Buffer.from(
  readFileSync(join(process.cwd(), 'test/fixtures/schwab/transactions.csv'), 'utf8').replace(
    /\n/,
    '\n"07/21/2026","Sell to Close","SPY 07/24/2026 600.00 P","PUT SPDR S&P 500 $600 EXP 07/24/26","1","$1.50","$0.66","$149.34"\n',
  ),
)

const FLEX_HEADER =
  'ClientAccountID,Symbol,Buy/Sell,Quantity,Price,Commission,TradeDate,CurrencyPrimary,AssetClass'
const FLEX_BUY = 'DUN261693,VIVK,BUY,41,3.13,-1,20260721,USD,STK'
/** Two identical buys (content key occurrences #0 and #1) and a sell, all dated 2026-07-21. */
const FLEX = [FLEX_HEADER, FLEX_BUY, FLEX_BUY, 'DUN261693,VIVK,SELL,-82,3.3,-1,20260721,USD,STK']

/**
 * A format as its parser version 1 was: every date-only fill at the instant it had then
 * (midnight + n ms), which the import keys as it keyed every fill then.
 */
function asVersion1(format: ImportFormat): ImportFormat {
  return {
    id: format.id,
    label: format.label,
    parserVersion: '1',
    defaultTimezone: format.defaultTimezone,
    detect: format.detect,
    *parse(text, options) {
      for (const item of format.parse(text, options)) {
        // Errors (and any other item) as they are; fills moved back.
        if (!('executedAt' in item)) {
          yield item
          continue
        }
        const { legacyExecutedAt, ...fill } = item
        expect(legacyExecutedAt).toBeDefined()
        yield { ...fill, executedAt: legacyExecutedAt as number }
      }
    },
  }
}

describe('date-only files', () => {
  const temp = useTempJournal()
  const load = (format: ImportFormat, bytes: Uint8Array | string) =>
    importFile(temp.ctx, 'file.csv', typeof bytes === 'string' ? Buffer.from(bytes) : bytes, {
      format,
    })

  describe('keep their date in the journal zone', () => {
    // Noon EDT is 16:00Z: 09:00 in Los Angeles, 06:00 in Honolulu, 23:00 in Bangkok.
    it.each(['America/Los_Angeles', 'America/Chicago', 'Pacific/Honolulu', 'Asia/Bangkok'])(
      '%s: the sell dated 07/07 closes its trip on 2026-07-07',
      (zone) => {
        setSetting(temp.ctx, { key: 'journal.timezone', value: zone })
        expect(load(schwabFormat, SCHWAB)).toMatchObject({ status: 'imported', fills: 2 })
        // (44 − 43) × 10 = 10, less the 0.01 fee.
        expect(statsDaily(temp.ctx, {})).toMatchObject([
          { date: '2026-07-07', trades: 1, netPnl: '9.99' },
        ])
      },
    )
  })

  describe('imported by parser version 1 (midnight ET + n ms)', () => {
    it('were keyed at midnight, as version 1 keyed them', () => {
      load(asVersion1(schwabFormat), SCHWAB)
      const rows = temp.journal.sqlite
        .prepare(
          `SELECT t.executed_at AS at, t.content_key AS key, i.identity_key AS identity
           FROM trades t JOIN instruments i ON i.id = t.instrument_id WHERE t.side = 'sell'`,
        )
        .all() as { at: bigint; key: string; identity: string }[]
      // Midnight EDT of 07/07 is 04:00Z; the content then was account|instrument|side|quantity|
      // price|fee|instant, occurrence #0.
      const at = Date.parse('2026-07-07T04:00:00Z')
      const content = `default|${rows[0]?.identity}|sell|10|44|0.01|${at}#0`
      expect(rows).toEqual([
        {
          at: BigInt(at),
          key: `${at.toString(36)}.${hash('sha256', content, 'base64url').slice(0, 16)}`,
          identity: rows[0]?.identity,
        },
      ])
    })

    it('Schwab: the same file adds nothing; one new row adds exactly one fill', () => {
      const first = load(asVersion1(schwabFormat), schwabFixture)
      expect(first).toMatchObject({ status: 'imported', fills: 7 })
      const before = listFills(temp.ctx, {})

      expect(load(schwabFormat, schwabFixture)).toMatchObject({
        status: 'imported',
        fills: 0,
        duplicates: 7,
        trades: 0,
      })
      expect(listFills(temp.ctx, {})).toEqual(before)

      expect(load(schwabFormat, schwabFixtureAndOneMore)).toMatchObject({
        status: 'imported',
        fills: 1,
        duplicates: 7,
      })
      // The new fill at noon of its date; the old ones stay at midnight.
      const times = listFills(temp.ctx, {}).map((fill) => fill.time)
      expect(times).toContain('2026-07-21T16:00:00.000Z')
      expect(times).toContain('2026-07-06T04:00:00.000Z')
      expect(times).toHaveLength(8)
      // And again: the old fills by their old keys, the new one by its own.
      expect(load(schwabFormat, schwabFixtureAndOneMore)).toMatchObject({
        fills: 0,
        duplicates: 8,
      })
    })

    it('IBKR compact Flex: identical rows match the old keys occurrence by occurrence', () => {
      expect(load(asVersion1(ibkrFlexFormat), FLEX.join('\n'))).toMatchObject({ fills: 3 })
      expect(load(ibkrFlexFormat, FLEX.join('\n'))).toMatchObject({
        status: 'imported',
        fills: 0,
        duplicates: 3,
      })
      // A third identical buy (and a sell of its 41) is new: occurrence #2 is nobody's.
      const more = [...FLEX, FLEX_BUY, 'DUN261693,VIVK,SELL,-41,3.3,-1,20260721,USD,STK']
      expect(load(ibkrFlexFormat, more.join('\n'))).toMatchObject({ fills: 2, duplicates: 3 })
      expect(load(ibkrFlexFormat, more.join('\n'))).toMatchObject({ fills: 0, duplicates: 5 })
      expect(listFills(temp.ctx, {})).toHaveLength(5)
    })
  })
})
