import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFile } from '../../services/import'
import { listFills, listTrades } from '../../services/journal'
import { ibkrFlexFormat, ibkrStatementFormat } from '../../importers/ibkr'
import type { ImportFormat } from '../../importers/types'
import { journalContent } from '../support/content'
import { useTempJournal } from '../support/journal'

const fixture = (format: ImportFormat, name: string) =>
  readFileSync(join(process.cwd(), 'test/fixtures', format.id, name))

describe('importing IBKR files', () => {
  const temp = useTempJournal()

  const load = (format: ImportFormat, name: string) =>
    importFile(temp.ctx, name, fixture(format, name), { format })

  const trades = () =>
    listTrades(temp.ctx, {})
      .map((t) => ({
        account: t.account,
        symbol: t.symbol,
        side: t.side,
        status: t.status,
        quantity: t.quantity,
        entry: t.entryPrice,
        exit: t.exitPrice,
        multiplier: t.multiplier,
        gross: t.grossPnl,
        fees: t.fees,
        net: t.netPnl,
      }))
      .sort((a, b) => (`${a.account} ${a.symbol}` < `${b.account} ${b.symbol}` ? -1 : 1))

  describe('ibkr-flex', () => {
    it('imports a Trade Confirmation flex with P&L worked out by hand', () => {
      expect(load(ibkrFlexFormat, 'trade-confirmation.csv')).toMatchObject({
        format: 'ibkr-flex',
        status: 'imported',
        fills: 6,
        trades: 3,
        errors: [],
      })
      const common = { account: 'U1234567', status: 'closed' }
      expect(trades()).toEqual([
        // (187.25 − 185.5) × 100 = 175; fees 1 + 1.04237154 (−1.042371535 rounded half-even)
        {
          ...common,
          symbol: 'AAPL',
          side: 'long',
          quantity: '100',
          entry: '185.5',
          exit: '187.25',
          multiplier: '1',
          gross: '175',
          fees: '2.04237154',
          net: '172.95762846',
        },
        // Expired worthless: (0 − 3.45) × 2 × 100 = −690; fee 1.3
        {
          ...common,
          symbol: 'AAPL  250117C00190000',
          side: 'long',
          quantity: '2',
          entry: '3.45',
          exit: '0',
          multiplier: '100',
          gross: '-690',
          fees: '1.3',
          net: '-691.3',
        },
        // (6050.25 − 6040.5) × 1 × 50 (the file's Multiplier) = 487.5; fees 2.25 + 2.25
        {
          ...common,
          symbol: 'ESH25',
          side: 'short',
          quantity: '1',
          entry: '6050.25',
          exit: '6040.5',
          multiplier: '50',
          gross: '487.5',
          fees: '4.5',
          net: '483',
        },
      ])
    })

    it('imports two accounts of an Activity flex, an assignment, forex and futures', () => {
      expect(load(ibkrFlexFormat, 'activity-wrapped.csv')).toMatchObject({
        status: 'imported',
        fills: 8,
        trades: 4,
        errors: [],
      })
      expect(trades()).toEqual([
        // (405.1 − 400) × 100 = 510; fees 0 + 1.00234568 + 0.25 tax
        {
          account: 'U1111111',
          symbol: 'MSFT',
          side: 'long',
          status: 'closed',
          quantity: '100',
          entry: '400',
          exit: '405.1',
          multiplier: '1',
          gross: '510',
          fees: '1.25234568',
          net: '508.74765432',
        },
        // Assigned: sold at 5.2, closed at 0: 5.2 × 100 = 520; fee 0.65. IBKR folds the
        // premium into the stock instead (its FifoPnlRealized 1028.09765432 = 508.74765432 +
        // 519.35).
        {
          account: 'U1111111',
          symbol: 'MSFT  250321P00400000',
          side: 'short',
          status: 'closed',
          quantity: '1',
          entry: '5.2',
          exit: '0',
          multiplier: '100',
          gross: '520',
          fees: '0.65',
          net: '519.35',
        },
        // (1.0851 − 1.0834) × 20000 = 34; fees 2 + 2; IBKR's 30 agrees
        {
          account: 'U2222222',
          symbol: 'EURUSD',
          side: 'long',
          status: 'closed',
          quantity: '20000',
          entry: '1.0834',
          exit: '1.0851',
          multiplier: '1',
          gross: '34',
          fees: '4',
          net: '30',
        },
        // (5722.5 − 5710.25) × 2 × 5 = 122.5; fees 2 × 1.24; IBKR's 120.02 agrees
        {
          account: 'U2222222',
          symbol: 'MESM25',
          side: 'long',
          status: 'closed',
          quantity: '2',
          entry: '5710.25',
          exit: '5722.5',
          multiplier: '5',
          gross: '122.5',
          fees: '2.48',
          net: '120.02',
        },
      ])
    })

    it('imports order-level rows and the compact date-only variant', () => {
      expect(load(ibkrFlexFormat, 'activity-prefixed-msg.csv')).toMatchObject({ fills: 2 })
      expect(load(ibkrFlexFormat, 'compact-sections.csv')).toMatchObject({ fills: 2 })
      expect(trades()).toMatchObject([
        // (3.3 − 3.13) × 41 = 6.97; fees 2 × 1.000123
        { account: 'DUN261693', symbol: 'VIVK', gross: '6.97', fees: '2.000246', net: '4.969754' },
        // (50.75 − 50) × 100 = 75; fees 1 + 1.0125
        { account: 'U16762989', symbol: 'TESTX', gross: '75', fees: '2.0125', net: '72.9875' },
      ])
    })

    it('adds nothing when the same files come again', () => {
      for (const name of [
        'trade-confirmation.csv',
        'activity-wrapped.csv',
        'compact-sections.csv',
      ]) {
        const first = load(ibkrFlexFormat, name)
        expect(load(ibkrFlexFormat, name)).toMatchObject({
          status: 'imported',
          fills: 0,
          duplicates: first.fills,
          trades: 0,
        })
      }
      expect(listFills(temp.ctx, {})).toHaveLength(16)
    })

    it('rejects a file with bad rows whole, naming each line and column', () => {
      const before = journalContent(temp.journal.sqlite)
      const result = load(ibkrFlexFormat, 'bad-rows.csv')
      expect(result).toMatchObject({ status: 'rejected', fills: 0, batchId: null })
      expect(result.errors.map(({ line, column }) => ({ line, column }))).toEqual([
        { line: 3, column: 'Buy/Sell' },
        { line: 4, column: 'Price' },
        { line: 5, column: 'Date/Time' },
        { line: 6, column: 'AssetClass' },
      ])
      expect(journalContent(temp.journal.sqlite)).toEqual(before)
    })
  })

  describe('ibkr-statement', () => {
    it('imports a statement with P&L worked out by hand', () => {
      expect(load(ibkrStatementFormat, 'statement.csv')).toMatchObject({
        format: 'ibkr-statement',
        status: 'imported',
        fills: 9,
        trades: 5,
        errors: [],
      })
      const common = { account: 'U7654321' }
      expect(trades()).toEqual([
        // The assignment's 100 shares at the 60 strike, still held
        {
          ...common,
          symbol: 'ARKK',
          side: 'long',
          status: 'open',
          quantity: '100',
          entry: '60',
          exit: null,
          multiplier: '1',
          gross: null,
          fees: '0',
          net: null,
        },
        // Assigned put: 1.64 × 100 = 164; fee 1.05424 (IBKR moves this into the stock's basis)
        {
          ...common,
          symbol: 'ARKK  250321P00060000',
          side: 'short',
          status: 'closed',
          quantity: '1',
          entry: '1.64',
          exit: '0',
          multiplier: '100',
          gross: '164',
          fees: '1.05424',
          net: '162.94576',
        },
        // Forex: (1.0851 − 1.0834) × 20,000 = 34; "Comm in USD" 2 + 2
        {
          ...common,
          symbol: 'EURUSD',
          side: 'long',
          status: 'closed',
          quantity: '20000',
          entry: '1.0834',
          exit: '1.0851',
          multiplier: '1',
          gross: '34',
          fees: '4',
          net: '30',
        },
        // MES from the futures table (×5): (5620.5 − 5610.25) × 2 × 5 = 102.5; fees 2.48;
        // IBKR's Realized P/L 100.02 agrees
        {
          ...common,
          symbol: 'MESM25',
          side: 'long',
          status: 'closed',
          quantity: '2',
          entry: '5610.25',
          exit: '5620.5',
          multiplier: '5',
          gross: '102.5',
          fees: '2.48',
          net: '100.02',
        },
        // "1,000" shares: (4.95 − 4.775) × 1000 = 175; fees 5 + 5.0231245; IBKR's 164.9768755
        {
          ...common,
          symbol: 'NOK',
          side: 'long',
          status: 'closed',
          quantity: '1000',
          entry: '4.775',
          exit: '4.95',
          multiplier: '1',
          gross: '175',
          fees: '10.0231245',
          net: '164.9768755',
        },
      ])
    })

    it('imports several accounts, an expiry and an exercise', () => {
      expect(load(ibkrStatementFormat, 'multi-account.csv')).toMatchObject({ fills: 6 })
      expect(load(ibkrStatementFormat, 'exercise-trade-rows.csv')).toMatchObject({ fills: 4 })
      const pnl = trades().map(({ account, symbol, side, gross, fees, net }) => ({
        account,
        symbol,
        side,
        gross,
        fees,
        net,
      }))
      expect(pnl).toEqual([
        // (62.5 − 60.86) × 50 = 82; fees 1 + 1.0568582; IBKR's 79.9431418
        {
          account: 'U1000001',
          symbol: 'UPST',
          side: 'long',
          gross: '82',
          fees: '2.0568582',
          net: '79.9431418',
        },
        // Expired worthless: (0 − 0.25) × 4 × 100 = −100; fee 2.6; IBKR's −102.6
        {
          account: 'U1000002',
          symbol: 'CLOV  250620C00003000',
          side: 'long',
          gross: '-100',
          fees: '2.6',
          net: '-102.6',
        },
        // Short: (61 − 60) × 20 = 20; fees 1 + 1; IBKR's 18
        { account: 'U1000002', symbol: 'UPST', side: 'short', gross: '20', fees: '2', net: '18' },
        // Exercise: 100 XYZ at the 40 strike: (45.5 − 40) × 100 = 550; fee 1.25
        {
          account: 'default',
          symbol: 'XYZ',
          side: 'long',
          gross: '550',
          fees: '1.25',
          net: '548.75',
        },
        // Exercised call: (0 − 3) × 100 = −300; fee 1 (IBKR: 0, and 247.75 on the stock)
        {
          account: 'default',
          symbol: 'XYZ   250321C00040000',
          side: 'long',
          gross: '-300',
          fees: '1',
          net: '-301',
        },
      ])
    })

    it('adds nothing when the same files come again', () => {
      for (const name of ['statement.csv', 'multi-account.csv', 'exercise-trade-rows.csv']) {
        const first = load(ibkrStatementFormat, name)
        expect(load(ibkrStatementFormat, name)).toMatchObject({
          status: 'imported',
          fills: 0,
          duplicates: first.fills,
          trades: 0,
        })
      }
      expect(listFills(temp.ctx, {})).toHaveLength(19)
    })

    it('rejects a file with bad rows whole, naming each line and column', () => {
      const before = journalContent(temp.journal.sqlite)
      const result = load(ibkrStatementFormat, 'bad-rows.csv')
      expect(result).toMatchObject({ status: 'rejected', fills: 0, batchId: null })
      expect(result.errors.map(({ line, column }) => ({ line, column }))).toEqual([
        { line: 5, column: 'Date/Time' },
        { line: 6, column: 'T. Price' },
        { line: 7, column: 'Asset Category' },
        { line: 8, column: 'Symbol' },
      ])
      expect(journalContent(temp.journal.sqlite)).toEqual(before)
    })
  })
})
