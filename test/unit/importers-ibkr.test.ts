import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDecimal } from '../../core/decimal'
import { ibkrNumber } from '../../importers/ibkr/common'
import { ibkrFlexFormat, ibkrFormats, ibkrStatementFormat } from '../../importers/ibkr'
import { decodeFile } from '../../importers/sniff'
import {
  isParseWarning,
  isRowError,
  type ImportFormat,
  type ParsedFill,
  type RowError,
} from '../../importers/types'

const fixtures = join(process.cwd(), 'test/fixtures')
const text = (dir: string, name: string) => decodeFile(readFileSync(join(fixtures, dir, name))).text
const names = (dir: string) => readdirSync(join(fixtures, dir)).filter((n) => n.endsWith('.csv'))

/** Fills and row errors (these formats have no file warnings). */
function parse(format: ImportFormat, source: string, timezone = format.defaultTimezone) {
  return [...format.parse(source, { timezone, fileName: 'file.csv' })].filter(
    (item): item is ParsedFill | RowError => !isParseWarning(item),
  )
}

/** A fill with its decimals and time as text, and only the instrument fields that vary. */
function view(fill: ParsedFill) {
  const multiplier = fill.instrument.multiplier
  return {
    line: fill.line,
    account: fill.account,
    symbol: fill.instrument.symbol,
    assetClass: fill.instrument.assetClass,
    multiplier: multiplier === null ? null : formatDecimal(multiplier),
    side: fill.side,
    quantity: formatDecimal(fill.quantity),
    price: formatDecimal(fill.price),
    fee: formatDecimal(fill.fee),
    currency: fill.currency,
    time: new Date(fill.executedAt).toISOString(),
    id: fill.brokerExecutionId,
    order: fill.brokerOrderId,
    note: fill.note,
    pnl: fill.brokerPnl ? `${formatDecimal(fill.brokerPnl.amount)} net` : null,
  }
}

function fills(format: ImportFormat, source: string, timezone?: string) {
  const items = parse(format, source, timezone)
  expect(items.filter(isRowError)).toEqual([])
  return (items as ParsedFill[]).map(view)
}

const EXPIRED = 'IBKR: option expired (code Ep)'
const ASSIGNED = 'IBKR: option assignment (code A)'
const EXERCISED = 'IBKR: option exercise (code Ex)'

describe('IBKR detection', () => {
  it('claims each fixture for its own format only', () => {
    for (const [dir, own, other] of [
      ['ibkr-flex', ibkrFlexFormat, ibkrStatementFormat],
      ['ibkr-statement', ibkrStatementFormat, ibkrFlexFormat],
    ] as const) {
      for (const name of names(dir)) {
        const source = text(dir, name)
        expect({ name, score: own.detect(source) }).toEqual({ name, score: 0.9 })
        expect({ name, score: other.detect(source) }).toEqual({ name, score: 0 })
      }
    }
  })

  it('leaves Blotter fills CSVs alone', () => {
    for (const name of names('blotter')) {
      for (const format of ibkrFormats) {
        expect(format.detect(text('blotter', name))).toBeLessThan(0.5)
      }
    }
  })

  it('needs an IBKR-only column next to the trade columns for a Flex header', () => {
    expect(
      ibkrFlexFormat.detect('Symbol,Buy/Sell,Quantity,Price,TradeDate\nX,BUY,1,1,20250101'),
    ).toBe(0)
    expect(ibkrFlexFormat.detect('"Symbol","Buy/Sell","Quantity"\n')).toBe(0)
  })

  it('recognises a statement without trades, and says what is missing', () => {
    const source =
      'Statement,Header,Field Name,Field Value\nStatement,Data,Title,Activity Statement\n'
    expect(ibkrStatementFormat.detect(source)).toBe(0.6)
    expect(parse(ibkrStatementFormat, source)).toEqual([
      { line: 1, column: null, message: expect.stringMatching(/No Trades section.*T\. Price/) },
    ])
  })
})

describe('IBKR numbers', () => {
  it('rounds commissions beyond 8 decimals half-even, and reads quoted thousands', () => {
    expect(formatDecimal(ibkrNumber('-2.119713626'))).toBe('-2.11971363')
    expect(formatDecimal(ibkrNumber('-1.042371535'))).toBe('-1.04237154') // tie, 3 is odd: up
    expect(formatDecimal(ibkrNumber('0.000000025'))).toBe('0.00000002') // tie, 2 is even: down
    expect(formatDecimal(ibkrNumber('1,028.097654322'))).toBe('1028.09765432')
    expect(formatDecimal(ibkrNumber('-1,000'))).toBe('-1000')
    expect(() => ibkrNumber('18O.5')).toThrow(/18O\.5/)
  })
})

describe('ibkr-flex', () => {
  it('reads a Trade Confirmation flex: commission totals once, an expiry without a time', () => {
    // Commission is the total of the five component columns (−1 = −0.35 − 0.2 − 0.3 − 0.15);
    // −1.042371535 rounds half-even to 1.04237154. January: EST, UTC−5. The expired call has no
    // Date/Time: its expiry date at 16:20 ET.
    const common = { account: 'U1234567', currency: 'USD', pnl: null }
    expect(fills(ibkrFlexFormat, text('ibkr-flex', 'trade-confirmation.csv'))).toEqual([
      {
        ...common,
        line: 2,
        symbol: 'AAPL',
        assetClass: 'stock',
        multiplier: '1',
        side: 'buy',
        quantity: '100',
        price: '185.5',
        fee: '1',
        time: '2025-01-15T14:30:12.000Z',
        id: '567890123',
        order: '4455667788',
        note: null,
      },
      {
        ...common,
        line: 3,
        symbol: 'AAPL',
        assetClass: 'stock',
        multiplier: '1',
        side: 'sell',
        quantity: '100',
        price: '187.25',
        fee: '1.04237154',
        time: '2025-01-15T19:30:05.000Z',
        id: '567890124',
        order: '4455667790',
        note: null,
      },
      {
        ...common,
        line: 4,
        symbol: 'AAPL  250117C00190000',
        assetClass: 'option',
        multiplier: '100',
        side: 'buy',
        quantity: '2',
        price: '3.45',
        fee: '1.3',
        time: '2025-01-16T15:15:00.000Z',
        id: '567890200',
        order: '4455667800',
        note: null,
      },
      {
        ...common,
        line: 5,
        symbol: 'AAPL  250117C00190000',
        assetClass: 'option',
        multiplier: '100',
        side: 'sell',
        quantity: '2',
        price: '0',
        fee: '0',
        time: '2025-01-17T21:20:00.000Z',
        id: '567890300',
        order: null,
        note: EXPIRED,
      },
      {
        ...common,
        line: 6,
        symbol: 'ESH25',
        assetClass: 'future',
        multiplier: '50',
        side: 'sell',
        quantity: '1',
        price: '6050.25',
        fee: '2.25',
        time: '2025-02-10T13:30:15.000Z',
        id: '567890400',
        order: '4455667900',
        note: null,
      },
      {
        ...common,
        line: 7,
        symbol: 'ESH25',
        assetClass: 'future',
        multiplier: '50',
        side: 'buy',
        quantity: '1',
        price: '6040.5',
        fee: '2.25',
        time: '2025-02-10T15:15:02.000Z',
        id: '567890401',
        order: '4455667901',
        note: null,
      },
    ])
  })

  it('builds option and futures instruments with the root as underlying', () => {
    const items = parse(ibkrFlexFormat, text('ibkr-flex', 'trade-confirmation.csv'))
    const [, , option, , future] = items as ParsedFill[]
    expect(option?.instrument).toEqual({
      symbol: 'AAPL  250117C00190000',
      assetClass: 'option',
      exchange: null,
      multiplier: 100_00000000n,
      expiry: '2025-01-17',
      strike: 190_00000000n,
      putCall: 'call',
      underlying: 'AAPL',
    })
    expect(future?.instrument).toMatchObject({ symbol: 'ESH25', underlying: 'ES' })
  })

  describe('assignments and exercises without a time', () => {
    const header =
      '"ClientAccountID","AssetClass","Symbol","UnderlyingSymbol","Multiplier","Put/Call","TradeID","Date/Time","TradeDate","SettleDate","Buy/Sell","Quantity","Price","Code"'
    const times = (rows: string[]) =>
      parse(ibkrFlexFormat, [header, ...rows].join('\n')).map((item) =>
        isRowError(item) ? item : `${view(item).symbol} ${view(item).time}`,
      )

    it('puts both legs on the expiry date at 16:20 ET, whichever row comes first', () => {
      // January: EST, UTC−5, so 16:20 ET = 21:20Z. The put's premium was taken on the 16th;
      // the MSFT shares come before the call they were exercised from.
      const common = { account: 'U1234567', currency: 'USD', pnl: null }
      const source = text('ibkr-flex', 'trade-confirmation-assignment.csv')
      expect(fills(ibkrFlexFormat, source)).toEqual([
        {
          ...common,
          line: 2,
          symbol: 'AAPL  250117P00190000',
          assetClass: 'option',
          multiplier: '100',
          side: 'sell',
          quantity: '1',
          price: '3.45',
          fee: '1.3',
          time: '2025-01-16T15:15:00.000Z',
          id: '567890200',
          order: '4455667800',
          note: null,
        },
        {
          ...common,
          line: 3,
          symbol: 'AAPL  250117P00190000',
          assetClass: 'option',
          multiplier: '100',
          side: 'buy',
          quantity: '1',
          price: '0',
          fee: '0',
          time: '2025-01-17T21:20:00.000Z',
          id: '567890300',
          order: null,
          note: ASSIGNED,
        },
        {
          ...common,
          line: 4,
          symbol: 'AAPL',
          assetClass: 'stock',
          multiplier: '1',
          side: 'buy',
          quantity: '100',
          price: '190',
          fee: '0',
          time: '2025-01-17T21:20:00.000Z',
          id: '567890301',
          order: null,
          note: ASSIGNED,
        },
        {
          ...common,
          line: 5,
          symbol: 'MSFT  250117C00420000',
          assetClass: 'option',
          multiplier: '100',
          side: 'buy',
          quantity: '1',
          price: '5.1',
          fee: '0.65',
          time: '2025-01-10T19:30:00.000Z',
          id: '567890500',
          order: '4455668000',
          note: null,
        },
        {
          ...common,
          line: 6,
          symbol: 'MSFT',
          assetClass: 'stock',
          multiplier: '1',
          side: 'buy',
          quantity: '100',
          price: '420',
          fee: '0',
          time: '2025-01-17T21:20:00.000Z',
          id: '567890601',
          order: null,
          note: EXERCISED,
        },
        {
          ...common,
          line: 7,
          symbol: 'MSFT  250117C00420000',
          assetClass: 'option',
          multiplier: '100',
          side: 'sell',
          quantity: '1',
          price: '0',
          fee: '0',
          time: '2025-01-17T21:20:00.000Z',
          id: '567890600',
          order: null,
          note: EXERCISED,
        },
      ])
    })

    it('gives the shares the time of their option row when it has one', () => {
      expect(
        times([
          '"U1","OPT","AAPL  250117P00190000","AAPL","100","P","1","20250117;162000","","20250121","BUY","1","0","A;C"',
          '"U1","STK","AAPL","AAPL","1","","2","","","20250121","BUY","100","190","A;O"',
        ]),
      ).toEqual(['AAPL  250117P00190000 2025-01-17T21:20:00.000Z', 'AAPL 2025-01-17T21:20:00.000Z'])
    })

    it('takes TradeDate first, so an early assignment lands on its day', () => {
      // Assigned on Thursday 9 January, a week before expiry; settled the next business day.
      expect(
        times([
          '"U1","OPT","AAPL  250117P00190000","AAPL","100","P","1","","20250109","20250110","BUY","1","0","A;C"',
          '"U1","STK","AAPL","AAPL","1","","2","","20250109","20250110","BUY","100","190","A;O"',
        ]),
      ).toEqual(['AAPL  250117P00190000 2025-01-09T21:20:00.000Z', 'AAPL 2025-01-09T21:20:00.000Z'])
    })

    it('does not guess the day of an early assignment, nor of shares without their option', () => {
      expect(
        times([
          '"U1","OPT","AAPL  250117P00190000","AAPL","100","P","1","","","20250110","BUY","1","0","A;C"',
          '"U1","STK","AAPL","AAPL","1","","2","","","20250110","BUY","100","190","A;O"',
          '"U1","STK","MSFT","MSFT","1","","3","","","20250121","BUY","100","420","Ex;O"',
        ]),
      ).toEqual([
        {
          line: 2,
          column: 'Date/Time',
          message: expect.stringMatching(
            /settled on 2025-01-10, by the option's expiry 2025-01-17, so it happened earlier/,
          ),
        },
        {
          line: 3,
          column: 'Date/Time',
          message:
            'Date/Time is empty, and the file has no AAPL option assignment settled the same day to take the date from: fill in its time',
        },
        {
          line: 4,
          column: 'Date/Time',
          message:
            'Date/Time is empty, and the file has no MSFT option exercise settled the same day to take the date from: fill in its time',
        },
      ])
    })

    it('does not pick between option rows of different times', () => {
      const option = (id: string, time: string) =>
        `"U1","OPT","AAPL  250117P00190000","AAPL","100","P","${id}","${time}","","20250121","BUY","1","0","A;C"`
      expect(
        times([
          option('1', '20250117;162000'),
          option('2', '20250117;163000'),
          '"U1","STK","AAPL","AAPL","1","","3","","","20250121","BUY","200","190","A;O"',
        ]).slice(2),
      ).toEqual([
        {
          line: 4,
          column: 'Date/Time',
          message: expect.stringMatching(/are at different times: fill in its time$/),
        },
      ])
    })
  })

  it('reads an Activity flex with wrapper records, two accounts and several levels', () => {
    // Only EXECUTION rows: the ORDER rows (lines 6, 23), the CLOSED_LOT row (10) and the
    // cancelled pair (11, 12) are skipped, and so is the NAV section (15–17). Assignment: the
    // put closes at 0 and the stock opens at the 400 strike. Fee = −(IBCommission + Taxes):
    // 1.002345678 (→ 1.00234568) + 0.25. FifoPnlRealized on closing rows only.
    const a1 = { account: 'U1111111', currency: 'USD' }
    const a2 = { account: 'U2222222', currency: 'USD' }
    const put = { symbol: 'MSFT  250321P00400000', assetClass: 'option', multiplier: '100' }
    const msft = { symbol: 'MSFT', assetClass: 'stock', multiplier: '1' }
    const mes = { symbol: 'MESM25', assetClass: 'future', multiplier: '5' }
    const eur = { symbol: 'EURUSD', assetClass: 'forex', multiplier: '1' }
    expect(fills(ibkrFlexFormat, text('ibkr-flex', 'activity-wrapped.csv'))).toEqual([
      {
        ...a1,
        ...put,
        line: 5,
        side: 'sell',
        quantity: '1',
        price: '5.2',
        fee: '0.65',
        time: '2025-03-03T15:30:00.000Z',
        id: '700001',
        order: '8001',
        note: null,
        pnl: null,
      },
      {
        ...a1,
        ...put,
        line: 7,
        side: 'buy',
        quantity: '1',
        price: '0',
        fee: '0',
        time: '2025-03-21T20:20:00.000Z',
        id: '700002',
        order: null,
        note: ASSIGNED,
        pnl: '0 net',
      },
      {
        ...a1,
        ...msft,
        line: 8,
        side: 'buy',
        quantity: '100',
        price: '400',
        fee: '0',
        time: '2025-03-21T20:20:00.000Z',
        id: '700003',
        order: null,
        note: ASSIGNED,
        pnl: null,
      },
      {
        ...a1,
        ...msft,
        line: 9,
        side: 'sell',
        quantity: '100',
        price: '405.1',
        fee: '1.25234568',
        time: '2025-03-24T13:45:00.000Z',
        id: '700004',
        order: '8002',
        note: null,
        pnl: '1028.09765432 net',
      },
      {
        ...a2,
        ...mes,
        line: 22,
        side: 'buy',
        quantity: '2',
        price: '5710.25',
        fee: '1.24',
        time: '2025-03-05T14:30:00.000Z',
        id: '710001',
        order: '9001',
        note: null,
        pnl: null,
      },
      {
        ...a2,
        ...mes,
        line: 24,
        side: 'sell',
        quantity: '2',
        price: '5722.5',
        fee: '1.24',
        time: '2025-03-05T20:10:00.000Z',
        id: '710002',
        order: '9002',
        note: null,
        pnl: '120.02 net',
      },
      {
        ...a2,
        ...eur,
        line: 25,
        side: 'buy',
        quantity: '20000',
        price: '1.0834',
        fee: '2',
        time: '2025-03-06T16:00:00.000Z',
        id: '710003',
        order: '9003',
        note: null,
        pnl: null,
      },
      {
        ...a2,
        ...eur,
        line: 26,
        side: 'sell',
        quantity: '20000',
        price: '1.0851',
        fee: '2',
        time: '2025-03-06T19:30:00.000Z',
        id: '710004',
        order: '9004',
        note: null,
        pnl: '30 net',
      },
    ])
  })

  it('reads HEADER/DATA prefixes past a MSG row, order level when there is no other', () => {
    // No EXECUTION rows, so the ORDER rows are the trades; SYMBOL_SUMMARY and the CTRN section
    // are skipped. The MSG row disables realized P/L: FifoPnlRealized "0" is not IBKR's figure.
    const common = {
      account: 'U16762989',
      symbol: 'TESTX',
      assetClass: 'stock',
      multiplier: '1',
      quantity: '100',
      currency: 'USD',
      note: null,
      pnl: null,
    }
    expect(fills(ibkrFlexFormat, text('ibkr-flex', 'activity-prefixed-msg.csv'))).toEqual([
      {
        ...common,
        line: 3,
        side: 'buy',
        price: '50',
        fee: '1',
        time: '2026-01-06T14:30:00.000Z',
        id: '3300001:20260106:fill',
        order: '3300001',
      },
      {
        ...common,
        line: 4,
        side: 'sell',
        price: '50.75',
        fee: '1.0125',
        time: '2026-01-06T20:30:00.000Z',
        id: '3300002:20260106:fill',
        order: '3300002',
      },
    ])
  })

  it('reads the compact date-only variant and skips a second, unmarked section', () => {
    // TradeDate only: noon in New York (EDT), file order kept by the line numbers.
    const common = {
      account: 'DUN261693',
      symbol: 'VIVK',
      assetClass: 'stock',
      multiplier: null,
      quantity: '41',
      fee: '1.000123',
      currency: 'USD',
      time: '2026-07-21T16:00:00.000Z',
      id: null,
      order: null,
      note: null,
      pnl: null,
    }
    expect(fills(ibkrFlexFormat, text('ibkr-flex', 'compact-sections.csv'))).toEqual([
      { ...common, line: 2, side: 'buy', price: '3.13' },
      { ...common, line: 3, side: 'sell', price: '3.3' },
    ])
    // Parser version 1 put them at midnight: the instant of their content keys in older journals.
    const items = parse(ibkrFlexFormat, text('ibkr-flex', 'compact-sections.csv'))
    expect(
      (items.filter((item) => !isRowError(item)) as ParsedFill[]).map((f) => f.legacyExecutedAt),
    ).toEqual([Date.parse('2026-07-21T04:00:00Z'), Date.parse('2026-07-21T04:00:00Z')])
  })

  it('reports every bad row by line and header name, and reads the good one', () => {
    const items = parse(ibkrFlexFormat, text('ibkr-flex', 'bad-rows.csv'))
    expect(items.filter(isRowError)).toEqual([
      { line: 3, column: 'Buy/Sell', message: expect.stringContaining('"HOLD"') },
      { line: 4, column: 'Price', message: expect.stringContaining('"18O.5"') },
      { line: 5, column: 'Date/Time', message: expect.stringContaining('"20251345;093000"') },
      { line: 6, column: 'AssetClass', message: expect.stringContaining('"BOND"') },
    ])
    expect((items.filter((item) => !isRowError(item)) as ParsedFill[]).map(view)).toMatchObject([
      { line: 2, symbol: 'AAPL', side: 'buy', quantity: '10', time: '2025-03-03T15:00:00.000Z' },
    ])
  })

  it('reads naive times in the --tz zone', () => {
    const [first] = fills(ibkrFlexFormat, text('ibkr-flex', 'trade-confirmation.csv'), 'UTC')
    expect(first?.time).toBe('2025-01-15T09:30:12.000Z')
    const [item] = parse(ibkrFlexFormat, text('ibkr-flex', 'trade-confirmation.csv'), 'UTC')
    expect(item).toMatchObject({ sourceTimezone: 'UTC' })
  })

  it('says which columns a Trades header lacks, and when there is no header at all', () => {
    expect(parse(ibkrFlexFormat, '"ClientAccountID","Symbol","Buy/Sell","Quantity"\n')).toEqual([
      {
        line: 1,
        column: null,
        message: expect.stringMatching(
          /missing.*TradePrice or Price.*DateTime or Date\/Time or TradeDate/,
        ),
      },
    ])
    expect(parse(ibkrFlexFormat, 'a,b\n1,2\n')).toEqual([
      { line: 1, column: null, message: expect.stringMatching(/No IBKR Flex Trades header/) },
    ])
  })

  it('nets a rebate against taxes, and rejects a net credit', () => {
    const header =
      '"ClientAccountID","Symbol","Buy/Sell","Quantity","TradePrice","DateTime","IBCommission","Taxes"'
    const rows = [
      '"U1","AAPL","BUY","10","100","20250303;100000","0.2","-0.5"',
      '"U1","AAPL","SELL","-10","101","20250303;110000","0.35","0"',
    ]
    const items = parse(ibkrFlexFormat, [header, ...rows].join('\n'))
    expect(items.map((item) => (isRowError(item) ? item : view(item).fee))).toEqual([
      '0.3',
      { line: 3, column: 'IBCommission', message: expect.stringContaining('"0.35" is a credit') },
    ])
  })
})

describe('ibkr-statement', () => {
  it('reads a statement: Order rows only, repeated headers, totals, thousands, events', () => {
    // Trade and ClosedLot rows (15, 18, 20, 21, 22, 27, 29, 30), SubTotal/Total rows and the
    // Codes section are skipped. The account comes from Account Information. No multiplier in a
    // statement: options take 100, futures the table's (null here). EST until 9 March, then EDT.
    const common = { account: 'U7654321', multiplier: null, currency: 'USD', id: null, order: null }
    const arkkPut = { symbol: 'ARKK  250321P00060000', assetClass: 'option' }
    const nok = { symbol: 'NOK', assetClass: 'stock', quantity: '1000' }
    const mes = { symbol: 'MESM25', assetClass: 'future', quantity: '2', fee: '1.24', note: null }
    const eur = { symbol: 'EURUSD', assetClass: 'forex', quantity: '20000', fee: '2', note: null }
    expect(fills(ibkrStatementFormat, text('ibkr-statement', 'statement.csv'))).toEqual([
      {
        ...common,
        line: 14,
        symbol: 'ARKK',
        assetClass: 'stock',
        side: 'buy',
        quantity: '100',
        price: '60',
        fee: '0',
        time: '2025-03-21T20:20:00.000Z',
        note: ASSIGNED,
        pnl: null,
      },
      {
        ...common,
        ...nok,
        line: 17,
        side: 'buy',
        price: '4.775',
        fee: '5',
        time: '2025-03-03T15:33:59.000Z',
        note: null,
        pnl: null,
      },
      {
        ...common,
        ...nok,
        line: 19,
        side: 'sell',
        price: '4.95',
        fee: '5.0231245',
        time: '2025-03-04T19:02:11.000Z',
        note: null,
        pnl: '164.9768755 net',
      },
      {
        ...common,
        ...arkkPut,
        line: 26,
        side: 'sell',
        quantity: '1',
        price: '1.64',
        fee: '1.05424',
        time: '2025-03-05T20:32:56.000Z',
        note: null,
        pnl: null,
      },
      {
        ...common,
        ...arkkPut,
        line: 28,
        side: 'buy',
        quantity: '1',
        price: '0',
        fee: '0',
        time: '2025-03-21T20:20:00.000Z',
        note: ASSIGNED,
        pnl: '0 net',
      },
      {
        ...common,
        ...mes,
        line: 34,
        side: 'buy',
        price: '5610.25',
        time: '2025-03-12T13:31:02.000Z',
        pnl: null,
      },
      {
        ...common,
        ...mes,
        line: 35,
        side: 'sell',
        price: '5620.5',
        time: '2025-03-12T14:05:40.000Z',
        pnl: '100.02 net',
      },
      {
        ...common,
        ...eur,
        line: 39,
        side: 'buy',
        price: '1.0834',
        time: '2025-03-13T15:00:00.000Z',
        pnl: null,
      },
      {
        ...common,
        ...eur,
        line: 40,
        side: 'sell',
        price: '1.0851',
        time: '2025-03-13T18:30:00.000Z',
        pnl: null,
      },
    ])
  })

  it('reads the IBKR option notation into OCC', () => {
    const items = parse(ibkrStatementFormat, text('ibkr-statement', 'statement.csv'))
    expect((items as ParsedFill[])[3]?.instrument).toEqual({
      symbol: 'ARKK  250321P00060000',
      assetClass: 'option',
      exchange: null,
      multiplier: null,
      expiry: '2025-03-21',
      strike: 60_00000000n,
      putCall: 'put',
      underlying: 'ARKK',
    })
  })

  it('reads several accounts and an expiry at 0', () => {
    const upst = { symbol: 'UPST', assetClass: 'stock', quantity: '50', note: null }
    const short = { symbol: 'UPST', assetClass: 'stock', quantity: '20', fee: '1', note: null }
    const clov = { symbol: 'CLOV  250620C00003000', assetClass: 'option', quantity: '4' }
    const common = { multiplier: null, currency: 'USD', id: null, order: null }
    expect(fills(ibkrStatementFormat, text('ibkr-statement', 'multi-account.csv'))).toEqual([
      {
        ...common,
        ...upst,
        line: 2,
        account: 'U1000001',
        side: 'buy',
        price: '60.86',
        fee: '1',
        time: '2025-06-02T13:33:11.000Z',
        pnl: null,
      },
      {
        ...common,
        ...upst,
        line: 4,
        account: 'U1000001',
        side: 'sell',
        price: '62.5',
        fee: '1.0568582',
        time: '2025-06-03T14:15:00.000Z',
        pnl: '79.9431418 net',
      },
      {
        ...common,
        ...short,
        line: 7,
        account: 'U1000002',
        side: 'sell',
        price: '61',
        time: '2025-06-02T13:40:00.000Z',
        pnl: null,
      },
      {
        ...common,
        ...short,
        line: 8,
        account: 'U1000002',
        side: 'buy',
        price: '60',
        time: '2025-06-04T15:00:00.000Z',
        pnl: '18 net',
      },
      {
        ...common,
        ...clov,
        line: 12,
        account: 'U1000002',
        side: 'buy',
        price: '0.25',
        fee: '2.6',
        time: '2025-06-05T17:00:00.000Z',
        note: null,
        pnl: null,
      },
      {
        ...common,
        ...clov,
        line: 13,
        account: 'U1000002',
        side: 'sell',
        price: '0',
        fee: '0',
        time: '2025-06-20T20:20:00.000Z',
        note: EXPIRED,
        pnl: '-102.6 net',
      },
    ])
  })

  it('falls back to Trade rows when a statement has no Order rows: an exercise', () => {
    const common = { account: null, multiplier: null, currency: 'USD', id: null, order: null }
    const call = { symbol: 'XYZ   250321C00040000', assetClass: 'option', quantity: '1' }
    const xyz = { symbol: 'XYZ', assetClass: 'stock', quantity: '100' }
    expect(fills(ibkrStatementFormat, text('ibkr-statement', 'exercise-trade-rows.csv'))).toEqual([
      {
        ...common,
        ...call,
        line: 2,
        side: 'buy',
        price: '3',
        fee: '1',
        time: '2025-02-10T15:00:00.000Z',
        note: null,
        pnl: null,
      },
      {
        ...common,
        ...call,
        line: 3,
        side: 'sell',
        price: '0',
        fee: '0',
        time: '2025-03-21T20:20:00.000Z',
        note: EXERCISED,
        pnl: '0 net',
      },
      {
        ...common,
        ...xyz,
        line: 5,
        side: 'buy',
        price: '40',
        fee: '0',
        time: '2025-03-21T20:20:00.000Z',
        note: EXERCISED,
        pnl: null,
      },
      {
        ...common,
        ...xyz,
        line: 6,
        side: 'sell',
        price: '45.5',
        fee: '1.25',
        time: '2025-03-24T16:00:00.000Z',
        note: null,
        pnl: '247.75 net',
      },
    ])
  })

  it('reports every bad row by line and header name, and reads the good one', () => {
    const items = parse(ibkrStatementFormat, text('ibkr-statement', 'bad-rows.csv'))
    expect(items.filter(isRowError)).toEqual([
      { line: 5, column: 'Date/Time', message: expect.stringContaining('2025-03-32, 10:00:00') },
      { line: 6, column: 'T. Price', message: expect.stringContaining('"18O.5"') },
      { line: 7, column: 'Asset Category', message: expect.stringContaining('"Bonds"') },
      { line: 8, column: 'Symbol', message: expect.stringContaining('"AAPL 21MAR25 180 X"') },
    ])
    expect(items.filter((item) => !isRowError(item))).toHaveLength(1)
  })

  it('says which columns a Trades header lacks', () => {
    const source = 'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Quantity\n'
    expect(parse(ibkrStatementFormat, source)).toEqual([
      {
        line: 1,
        column: null,
        message: 'Trades header is missing column(s): Date/Time, T. Price',
      },
    ])
  })

  it('rejects a forex commission in another currency than the trade', () => {
    const source = [
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,Proceeds,Comm in USD,MTM in USD,Code',
      'Trades,Data,Order,Forex,JPY,USD.JPY,"2025-03-13, 11:00:00","10,000",148.5,-1485000,-2,0,',
    ].join('\n')
    expect(parse(ibkrStatementFormat, source)).toEqual([
      {
        line: 2,
        column: 'Comm in USD',
        message: expect.stringContaining('in USD, the trade in JPY'),
      },
    ])
  })
})
