import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDecimal } from '../../core/decimal'
import { decodeFile } from '../../importers/sniff'
import {
  isParseWarning,
  isRowError,
  type ImportFormat,
  type ParsedFill,
  type RowError,
} from '../../importers/types'
import { roundTo8Decimals } from '../../importers/us/common'
import { etradeFormat } from '../../importers/us/etrade'
import { fidelityFormat } from '../../importers/us/fidelity'
import { usFormats } from '../../importers/us/index'
import { robinhoodFormat } from '../../importers/us/robinhood'
import { schwabFormat } from '../../importers/us/schwab'
import { tosFormat } from '../../importers/us/tos'
import { tradestationFormat } from '../../importers/us/tradestation'
import { webullFormat } from '../../importers/us/webull'

const fixtures = join(process.cwd(), 'test/fixtures')
const read = (dir: string, name: string) => decodeFile(readFileSync(join(fixtures, dir, name))).text

/** Fills and row errors (these formats have no file warnings). */
function parse(format: ImportFormat, text: string, timezone = format.defaultTimezone) {
  return [...format.parse(text, { timezone, fileName: 'file.csv' })].filter(
    (item): item is ParsedFill | RowError => !isParseWarning(item),
  )
}

/** A fill as the tests state it: decimals as text, the instant in ISO UTC. */
function brief(item: ParsedFill | RowError) {
  if (isRowError(item)) return item
  return {
    line: item.line,
    symbol: item.instrument.symbol,
    side: item.side,
    quantity: formatDecimal(item.quantity),
    price: formatDecimal(item.price),
    fee: formatDecimal(item.fee),
    time: new Date(item.executedAt).toISOString(),
  }
}
const fill = (
  line: number,
  symbol: string,
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  fee: string,
  time: string,
) => ({ line, symbol, side, quantity, price, fee, time })
const fills = (items: (ParsedFill | RowError)[]) =>
  items.filter((i) => !isRowError(i)) as ParsedFill[]

describe('detection', () => {
  const owners: Record<string, ImportFormat> = {
    tos: tosFormat,
    schwab: schwabFormat,
    fidelity: fidelityFormat,
    etrade: etradeFormat,
    robinhood: robinhoodFormat,
    webull: webullFormat,
    tradestation: tradestationFormat,
  }
  const cases = Object.entries(owners).flatMap(([dir, owner]) =>
    readdirSync(join(fixtures, dir)).map((name) => ({ dir, name, owner })),
  )

  it.each(cases)('$dir/$name is claimed by its format alone', ({ dir, name, owner }) => {
    const text = read(dir, name)
    expect(owner.detect(text)).toBeGreaterThanOrEqual(0.9)
    for (const other of usFormats.filter((format) => format !== owner)) {
      expect(other.detect(text), other.id).toBeLessThan(0.5)
    }
  })

  it.each(readdirSync(join(fixtures, 'blotter')))('blotter/%s is none of them', (name) => {
    const text = read('blotter', name)
    for (const format of usFormats) expect(format.detect(text), format.id).toBeLessThan(0.5)
  })

  it('lists seven formats with distinct ids, all US Eastern by default', () => {
    expect(usFormats.map((f) => f.id)).toEqual([
      'tos',
      'schwab',
      'fidelity',
      'etrade',
      'robinhood',
      'webull',
      'tradestation',
    ])
    expect(new Set(usFormats.map((f) => f.defaultTimezone))).toEqual(new Set(['America/New_York']))
  })

  it('reports a missing header on line 1 with the expected columns', () => {
    for (const format of usFormats) {
      expect(parse(format, 'a,b,c\n1,2,3\n')).toEqual([
        { line: 1, column: null, message: expect.stringMatching(/the columns /) },
      ])
    }
  })
})

describe('thinkorswim Account Statement', () => {
  it('reads 2026 Trade History: spread legs, futures, partial fills; fees from the cash rows', () => {
    const items = parse(tosFormat, read('tos', 'statement-2026.csv'))
    // The Trade History is newest-first: fills come oldest first; the two XYZ partial fills of
    // 10:02:11 keep their chronological order by 1 ms. Cash rows 1–2 s later carry the fees;
    // a vertical's fee is split between its legs by quantity (23.52 → 11.76 + 11.76).
    expect(items.map(brief)).toEqual([
      fill(49, 'SPX   260327P06400000', 'sell', '10', '3.5', '11.76', '2026-03-27T13:30:00.000Z'),
      fill(50, 'SPX   260327P06380000', 'buy', '10', '2', '11.76', '2026-03-27T13:30:00.000Z'),
      fill(48, 'XYZ', 'buy', '100', '50', '0', '2026-03-27T13:31:05.000Z'),
      fill(47, 'XYZ', 'sell', '60', '51.25', '0.63', '2026-03-27T14:02:11.000Z'),
      fill(46, 'XYZ', 'sell', '40', '51.25', '0.42', '2026-03-27T14:02:11.001Z'),
      fill(45, 'IWM   260417C00210000', 'buy', '2', '1.25', '1.3', '2026-03-27T14:15:30.000Z'),
      fill(44, 'MESM26', 'buy', '2', '5412.25', '3.2', '2026-03-27T15:00:00.000Z'),
      fill(43, 'MESM26', 'sell', '2', '5420', '3.2', '2026-03-27T15:45:20.000Z'),
      fill(41, 'SPX   260327P06400000', 'buy', '10', '0.1', '10.86', '2026-03-27T18:00:00.000Z'),
      fill(42, 'SPX   260327P06380000', 'sell', '10', '0.05', '10.86', '2026-03-27T18:00:00.000Z'),
    ])
    const [put, , stock, , , , future] = fills(items)
    expect(put?.instrument).toMatchObject({
      assetClass: 'option',
      underlying: 'SPX',
      expiry: '2026-03-27',
      strike: 640_000_000_000n,
      putCall: 'put',
      multiplier: null,
    })
    expect(future?.instrument).toMatchObject({
      assetClass: 'future',
      underlying: 'MES',
      multiplier: null,
    })
    expect(stock).toMatchObject({
      account: null,
      brokerExecutionId: null,
      isDerived: false,
      sourceTimezone: 'America/New_York',
      raw: ',3/27/26 09:31:05,STOCK,BUY,+100,TO OPEN,XYZ,,,STOCK,50.00,50.00,LMT',
    })
  })

  it('reads the old layout: minute Exec Times matched to the cash row within the minute', () => {
    expect(parse(tosFormat, read('tos', 'statement-2022.csv')).map(brief)).toEqual([
      fill(38, 'ABCD', 'sell', '100', '20.1', '0.03', '2022-11-14T14:45:00.000Z'),
      fill(37, 'ABCD', 'sell', '200', '20.1', '0.05', '2022-11-14T14:45:00.001Z'),
      fill(36, 'ABCD', 'buy', '300', '19.8', '0', '2022-11-14T15:20:00.000Z'),
      fill(35, 'PYQ', 'buy', '300', '13.4', '0', '2022-11-14T15:31:00.000Z'),
      fill(34, 'PYQ', 'sell', '8', '13.5', '0.01', '2022-11-14T16:27:00.000Z'),
      fill(33, 'PYQ', 'sell', '12', '13.5', '0.01', '2022-11-14T16:27:00.001Z'),
      fill(32, 'PYQ', 'sell', '280', '13.5', '0.13', '2022-11-14T16:27:00.002Z'),
    ])
  })

  it('reads naive times in the --tz zone', () => {
    const [first] = parse(tosFormat, read('tos', 'statement-2022.csv'), 'America/Los_Angeles')
    expect(brief(first as ParsedFill)).toMatchObject({ time: '2022-11-14T17:45:00.000Z' })
  })

  it('names each bad row, and a fee no fill matches', () => {
    expect(parse(tosFormat, read('tos', 'bad-rows.csv')).map(brief)).toEqual([
      { line: 6, column: 'DESCRIPTION', message: expect.stringMatching(/SOLD -50 QQQ.*\$0\.75/) },
      fill(12, 'XYZ', 'buy', '10', '40', '1', '2026-03-30T13:40:00.000Z'),
      { line: 11, column: 'Qty', message: 'Qty "ten" is not a number' },
      { line: 10, column: 'Exp', message: expect.stringMatching(/"MAR 15"/) },
    ])
  })

  it('closes expired and assigned options at 0 by the position held, and takes the shares', () => {
    const items = parse(tosFormat, read('tos', 'expirations-2026.csv'))
    // Removals (RAD rows) go between the Trade History fills by time; each closes the position
    // the statement built: the long SPY call is sold, the short XYZ and ABC puts bought back.
    // The assignment's shares are the Cash Balance row, at AMOUNT ÷ quantity = 5,000 ÷ 100.
    expect(items.map(brief)).toEqual([
      fill(37, 'SPY   260410C00560000', 'buy', '1', '2.4', '0.65', '2026-04-07T14:05:00.000Z'),
      fill(36, 'ABC   260417P00050000', 'sell', '1', '2.1', '0.67', '2026-04-08T13:45:00.000Z'),
      fill(8, 'SPY   260410C00560000', 'sell', '1', '0', '0', '2026-04-10T21:30:00.000Z'),
      fill(35, 'XYZ   260417P00045000', 'sell', '2', '1.2', '1.34', '2026-04-13T14:00:00.000Z'),
      fill(10, 'XYZ   260417P00045000', 'buy', '2', '0', '0', '2026-04-17T21:30:00.000Z'),
      fill(11, 'ABC   260417P00050000', 'buy', '1', '0', '0', '2026-04-17T21:30:00.000Z'),
      fill(12, 'ABC', 'buy', '100', '50', '0', '2026-04-17T21:30:00.000Z'),
      fill(34, 'ABC', 'sell', '100', '51', '0.07', '2026-04-20T13:35:10.000Z'),
    ])
    const all = fills(items)
    expect(all.map((f) => f.note)).toEqual([
      null,
      null,
      'thinkorswim: option expired',
      null,
      'thinkorswim: option expired',
      'thinkorswim: option assigned',
      'thinkorswim: shares from an option assignment',
      null,
    ])
    expect(all[2]).toMatchObject({
      instrument: {
        assetClass: 'option',
        underlying: 'SPY',
        expiry: '2026-04-10',
        putCall: 'call',
      },
      isDerived: false,
      brokerExecutionId: null,
      raw: '4/10/26,17:30:00,RAD,="1007000000403",REMOVAL OF OPTION DUE TO EXPIRATION -1 SPY 100 (Weeklys) 10 APR 26 560 CALL,,,,"9,968.68"',
    })
  })

  /** A statement of Cash Balance rows (from line 5) and Trade History rows. */
  const statement = (cash: string[], trades: string[]) =>
    [
      'Account Statement for *****123SCHW (Individual) since 4/13/26 through 4/17/26',
      '',
      'Cash Balance',
      'DATE,TIME,TYPE,REF #,DESCRIPTION,Misc Fees,Commissions & Fees,AMOUNT,BALANCE',
      ...cash,
      '',
      'Account Trade History',
      ',Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Order Type',
      ...trades,
    ].join('\n')
  const defTrade = ',4/13/26 10:00:00,STOCK,BUY,+10,TO OPEN,DEF,,,STOCK,10.00,10.00,LMT'

  it('without a position: an assignment buys back, an exercise sells, an expiry is an error', () => {
    const text = statement(
      [
        '4/17/26,17:30:00,RAD,,REMOVAL OF OPTION DUE TO ASSIGNMENT 1 ABC 100 17 APR 26 50 PUT,,,,',
        '4/17/26,17:30:00,RAD,,BOT +100 ABC UPON OPTION ASSIGNMENT,,-15.00,"-5,000.00",',
        '4/17/26,17:30:00,RAD,,REMOVAL OF OPTION DUE TO EXERCISE 2 QRS 100 (Weeklys) 17 APR 26 20.5 PUT,,,,',
        '4/17/26,17:30:00,RAD,,SOLD -200 QRS UPON OPTION EXERCISE,,,"4,100.00",',
        '4/17/26,17:30:00,RAD,,REMOVAL OF OPTION DUE TO EXPIRATION 1 XYZ 100 17 APR 26 45 CALL,,,,',
      ],
      [defTrade],
    )
    const at = '2026-04-17T21:30:00.000Z'
    expect(parse(tosFormat, text).map(brief)).toEqual([
      fill(13, 'DEF', 'buy', '10', '10', '0', '2026-04-13T14:00:00.000Z'),
      fill(5, 'ABC   260417P00050000', 'buy', '1', '0', '0', at),
      fill(6, 'ABC', 'buy', '100', '50', '15', at),
      fill(7, 'QRS   260417P00020500', 'sell', '2', '0', '0', at),
      fill(8, 'QRS', 'sell', '200', '20.5', '0', at),
      {
        line: 9,
        column: 'DESCRIPTION',
        message: expect.stringMatching(/closes XYZ 260417C00045000, but this statement holds no/),
      },
    ])
  })

  it('names removal and share rows that cannot be read', () => {
    const text = statement(
      [
        '4/17/26,17:30:00,RAD,,REMOVAL OF OPTION DUE TO EXPIRATION 1 XYZ 100 MAR 15 45 CALL,,,,',
        '4/17/26,17:30:00,RAD,,REMOVAL OF OPTION DUE TO EXPIRATION -1 /ESM26:XCME 1/50 JUN 26 /E3AM26:XCME 5000 PUT,,,,',
        '4/17/26,17:30:00,RAD,,REMOVAL OF OPTION DUE TO EXERCISE -1 SPX 100 17 APR 26 5000 CALL,,,"1,250.00",',
        '4/17/26,17:30:00,RAD,,BOT +100 ABC UPON OPTION ASSIGNMENT,,,,',
      ],
      [defTrade],
    )
    expect(parse(tosFormat, text).map(brief)).toEqual([
      { line: 5, column: 'DESCRIPTION', message: expect.stringMatching(/does not read as/) },
      { line: 6, column: 'DESCRIPTION', message: expect.stringMatching(/futures option/) },
      { line: 7, column: 'AMOUNT', message: expect.stringMatching(/moves \$1250\.00: a cash/) },
      { line: 8, column: 'AMOUNT', message: 'AMOUNT is empty' },
      fill(12, 'DEF', 'buy', '10', '10', '0', '2026-04-13T14:00:00.000Z'),
    ])
  })

  it('takes shares the Trade History also lists once, with the cash row’s fee', () => {
    const text = statement(
      ['4/17/26,16:00:01,RAD,,BOT +100 ABC UPON OPTION ASSIGNMENT,,-15.00,"-5,000.00",'],
      [',4/17/26 16:00:00,STOCK,BUY,+100,TO OPEN,ABC,,,STOCK,50.00,50.00,'],
    )
    expect(parse(tosFormat, text).map(brief)).toEqual([
      fill(9, 'ABC', 'buy', '100', '50', '15', '2026-04-17T20:00:00.000Z'),
    ])
  })

  it('says so when the statement has no Trade History', () => {
    const text =
      'Account Statement for 123 since 3/1/26 through 3/2/26\n\nCash Balance\nDATE,TIME\n'
    expect(tosFormat.detect(text)).toBe(0.6)
    expect(parse(tosFormat, text)).toEqual([
      { line: 1, column: null, message: expect.stringMatching(/Account Trade History/) },
    ])
  })
})

describe('Schwab Transactions', () => {
  it('reads newest-first rows oldest first, keeping each day in order by 1 ms', () => {
    // Each row at noon New York (16:00Z in EDT, 17:00Z in EST) of its date, + 1 ms per earlier
    // row of the day. Expired "07/20/2026 as of 07/17/2026" trades on the 17th and buys back the
    // short call.
    expect(parse(schwabFormat, read('schwab', 'transactions.csv')).map(brief)).toEqual([
      fill(10, 'AAPL  260717C00240000', 'sell', '1', '3', '0.66', '2026-07-06T16:00:00.000Z'),
      fill(8, 'RCAX', 'buy', '90', '5.525', '0', '2026-07-07T16:00:00.000Z'),
      fill(7, 'RCAX', 'sell', '90', '5.8', '0.02', '2026-07-07T16:00:00.001Z'),
      fill(6, 'TSLA', 'sell', '10', '250.5', '0.05', '2026-07-08T16:00:00.000Z'),
      fill(5, 'TSLA', 'buy', '10', '240', '0', '2026-07-08T16:00:00.001Z'),
      fill(4, 'AAPL  260717C00240000', 'buy', '1', '0', '0', '2026-07-17T16:00:00.000Z'),
      fill(3, 'SPY   260724P00600000', 'buy', '2', '1.1', '1.32', '2026-07-20T16:00:00.000Z'),
    ])
  })

  it('reads the old layout: title line, padded actions, trailing commas, Transactions Total', () => {
    expect(parse(schwabFormat, read('schwab', 'old-format.csv')).map(brief)).toEqual([
      fill(6, 'BRK/B', 'buy', '3', '148.2', '8.95', '2014-12-12T17:00:00.000Z'),
      fill(5, 'F', 'buy', '100', '14.39', '8.95', '2014-12-13T17:00:00.000Z'),
      fill(4, 'F', 'sell', '100', '15.02', '8.95', '2014-12-15T17:00:00.000Z'),
    ])
  })

  it('puts a date at noon of the --tz zone, also on a day the clocks change', () => {
    const text = [
      '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"',
      '"03/09/2026","Sell","XYZ","XYZ INC","10","$41.00","","$410.00"',
      '"03/08/2026","Buy","XYZ","XYZ INC","10","$40.00","","-$400.00"',
    ].join('\n')
    // New York springs forward at 02:00 on Sunday 8 March 2026: its noon is 16:00Z (EDT), not
    // midnight EST (05:00Z) + 12 h.
    expect(parse(schwabFormat, text).map(brief)).toEqual([
      fill(3, 'XYZ', 'buy', '10', '40', '0', '2026-03-08T16:00:00.000Z'),
      fill(2, 'XYZ', 'sell', '10', '41', '0', '2026-03-09T16:00:00.000Z'),
    ])
    // Tokyo (UTC+9, no DST): noon is 03:00Z.
    expect(parse(schwabFormat, text, 'Asia/Tokyo').map(brief)).toEqual([
      fill(3, 'XYZ', 'buy', '10', '40', '0', '2026-03-08T03:00:00.000Z'),
      fill(2, 'XYZ', 'sell', '10', '41', '0', '2026-03-09T03:00:00.000Z'),
    ])
  })

  it('hands each fill the instant parser version 1 gave it: midnight + the same ms', () => {
    const items = fills(parse(schwabFormat, read('schwab', 'transactions.csv')))
    expect(items.map((f) => new Date(f.legacyExecutedAt ?? NaN).toISOString())).toEqual([
      '2026-07-06T04:00:00.000Z',
      '2026-07-07T04:00:00.000Z',
      '2026-07-07T04:00:00.001Z',
      '2026-07-08T04:00:00.000Z',
      '2026-07-08T04:00:00.001Z',
      '2026-07-17T04:00:00.000Z',
      '2026-07-20T04:00:00.000Z',
    ])
  })

  it('names bad rows, and an expiry of a position the file never opened', () => {
    expect(parse(schwabFormat, read('schwab', 'bad-rows.csv')).map(brief)).toEqual([
      { line: 4, column: 'Price', message: 'Price "forty" is not a number' },
      { line: 5, column: 'Date', message: expect.stringMatching(/"07\/32\/2026"/) },
      { line: 3, column: 'Action', message: expect.stringMatching(/"Expired" closes QQQ/) },
      fill(2, 'XYZ', 'sell', '10', '41', '0', '2026-07-10T16:00:00.000Z'),
    ])
  })
})

describe('Fidelity history', () => {
  it('skips the preamble and disclaimer; option expiry by its signed quantity', () => {
    expect(parse(fidelityFormat, read('fidelity', 'history.csv')).map(brief)).toEqual([
      fill(12, 'MU    250117C00110500', 'buy', '2', '1.25', '1.34', '2025-01-03T17:00:00.000Z'),
      fill(11, 'MU    250117P00100000', 'sell', '1', '2', '0.67', '2025-01-06T17:00:00.000Z'),
      fill(9, 'QQQX', 'buy', '10', '150.25', '0', '2025-01-10T17:00:00.000Z'),
      fill(8, 'QQQX', 'sell', '10', '151.75', '0.04', '2025-01-10T17:00:00.001Z'),
      fill(7, 'MU    250117P00100000', 'buy', '1', '0', '0', '2025-01-17T17:00:00.000Z'),
    ])
  })

  it('reads all-accounts files by Account Number, Price before Quantity', () => {
    const items = parse(fidelityFormat, read('fidelity', 'all-accounts.csv'))
    expect(items.map(brief)).toEqual([
      fill(6, 'WM', 'buy', '18', '208.64', '0', '2025-11-17T17:00:00.000Z'),
      fill(5, 'WM', 'buy', '5', '209', '0', '2025-12-02T17:00:00.000Z'),
      fill(3, 'BND', 'buy', '9.598', '74.29', '0', '2025-12-03T17:00:00.000Z'),
      fill(2, 'WM', 'sell', '18', '210.1', '0.03', '2025-12-04T17:00:00.000Z'),
    ])
    expect(fills(items).map((f) => f.account)).toEqual([
      '333333333',
      '111111111',
      '111111111',
      '333333333',
    ])
  })

  it('names bad rows', () => {
    expect(parse(fidelityFormat, read('fidelity', 'bad-rows.csv')).map(brief)).toEqual([
      { line: 5, column: 'Quantity', message: 'Quantity "1O" is not a number' },
      { line: 6, column: 'Run Date', message: expect.stringMatching(/"13\/04\/2026"/) },
      fill(4, 'XYZ', 'sell', '10', '41', '0', '2026-03-05T17:00:00.000Z'),
    ])
  })
})

describe('E*TRADE transactions', () => {
  it('reads the old layout; MF rows are funds', () => {
    const items = parse(etradeFormat, read('etrade', 'old-format.csv'))
    expect(items.map(brief)).toEqual([
      fill(9, 'JSPGX', 'buy', '10', '13.94', '0', '2023-04-03T16:00:00.000Z'),
      fill(7, 'SQQQ', 'buy', '9', '31.1176', '0', '2023-04-04T16:00:00.000Z'),
      fill(6, 'AMZN', 'buy', '2', '100', '0', '2023-04-05T16:00:00.000Z'),
      fill(5, 'AMZN', 'sell', '2', '101.1', '0', '2023-04-05T16:00:00.001Z'),
    ])
    expect(fills(items)[0]?.instrument.assetClass).toBe('fund')
  })

  it('reads the new layout: preamble, -- nulls, fixed-width options, Commission + Fees', () => {
    expect(parse(etradeFormat, read('etrade', 'new-format.csv')).map(brief)).toEqual([
      fill(12, 'ANON', 'buy', '100', '10.5', '0', '2026-02-18T17:00:00.000Z'),
      fill(11, 'ANON', 'sell', '100', '10.75', '0.02', '2026-02-18T17:00:00.001Z'),
      fill(10, 'IWM   260227P00260000', 'sell', '1', '2.13', '0.51', '2026-02-18T17:00:00.002Z'),
      fill(9, 'MDB   260320C00312500', 'buy', '5', '2.18', '1.81', '2026-02-20T17:00:00.000Z'),
      fill(8, 'IWM   260227P00260000', 'buy', '1', '0', '0', '2026-02-27T17:00:00.000Z'),
    ])
  })

  it('names bad rows', () => {
    expect(parse(etradeFormat, read('etrade', 'bad-rows.csv')).map(brief)).toEqual([
      { line: 8, column: 'Price $', message: 'Price $ is empty' },
      { line: 9, column: 'Quantity #', message: 'Quantity # "ten" is not a number' },
    ])
  })
})

describe('Robinhood account activity', () => {
  it('reads multi-line descriptions, 8S, ($…), OEXP and OASGN, oldest first', () => {
    // OEXP sells the 1 call still held; OASGN buys back the assigned short put.
    expect(parse(robinhoodFormat, read('robinhood', 'activity.csv')).map(brief)).toEqual([
      fill(15, 'GE', 'buy', '8', '280', '0', '2025-12-15T17:00:00.000Z'),
      fill(13, 'TSLA  260116P00440000', 'sell', '1', '6.2', '0', '2026-01-05T17:00:00.000Z'),
      fill(12, 'TSLA  260116P00440000', 'buy', '1', '0', '0', '2026-01-16T17:00:00.000Z'),
      fill(9, 'TSLA', 'buy', '100', '440', '0', '2026-01-16T17:00:00.001Z'),
      fill(7, 'NVDA', 'buy', '10', '130', '0', '2026-03-02T17:00:00.000Z'),
      fill(5, 'NVDA', 'sell', '10', '131.25', '0', '2026-03-02T17:00:00.001Z'),
      fill(4, 'SPY   260320C00580000', 'buy', '2', '3.5', '0', '2026-03-03T17:00:00.000Z'),
      fill(3, 'SPY   260320C00580000', 'sell', '1', '4.1', '0', '2026-03-10T16:00:00.000Z'),
      fill(2, 'SPY   260320C00580000', 'sell', '1', '0', '0', '2026-03-20T16:00:00.000Z'),
    ])
  })

  it('names bad rows, and an OEXP with no position in the file', () => {
    expect(parse(robinhoodFormat, read('robinhood', 'bad-rows.csv')).map(brief)).toEqual([
      { line: 3, column: 'Price', message: 'Price "$3.5O" is not a number' },
      fill(5, 'XYZ', 'buy', '10', '3', '0', '2026-03-03T17:00:00.000Z'),
      { line: 2, column: 'Trans Code', message: expect.stringMatching(/"OEXP" closes QQQ/) },
    ])
  })
})

describe('Webull orders', () => {
  it('imports filled quantity at Avg Price, skips unfilled orders, reads EST/EDT', () => {
    const items = parse(webullFormat, read('webull', 'orders.csv'))
    expect(items.map(brief)).toEqual([
      fill(2, 'SPY   251114C00672000', 'sell', '3', '2.05', '0', '2025-11-14T18:10:02.000Z'),
      fill(3, 'SPY   251114C00672000', 'buy', '3', '1.82', '0', '2025-11-14T16:10:02.000Z'),
      // 150.1234567891 rounded half-even to 8 places.
      fill(4, 'AMD', 'buy', '3', '150.12345679', '0', '2025-11-13T15:00:03.000Z'),
      fill(5, 'SOUN', 'sell', '10', '17.1', '0', '2025-09-19T18:05:02.000Z'),
      fill(6, 'WMT', 'buy', '40', '101.5', '0', '2025-09-19T17:50:11.000Z'),
      fill(7, 'SOUN', 'buy', '10', '16.53', '0', '2025-09-19T17:31:39.000Z'),
      fill(8, 'WMT', 'sell', '40', '102.84', '0', '2025-09-19T15:36:41.000Z'),
    ])
    const all = fills(items)
    expect(new Set(all.map((f) => f.brokerExecutionId)).size).toBe(7)
    expect(all[0]).toMatchObject({ sourceTimezone: 'America/New_York', isDerived: false })
    expect(all[0]?.brokerOrderId).toBe(all[0]?.brokerExecutionId)
  })

  it('gives an order the same id in a mid-session and an end-of-day export', () => {
    const [early] = fills(parse(webullFormat, read('webull', 'partial-mid-session.csv')))
    const late = fills(parse(webullFormat, read('webull', 'partial-end-of-day.csv')))
    expect(brief(early as ParsedFill)).toEqual(
      fill(2, 'PRTQ', 'buy', '5', '3', '0', '2025-03-17T14:00:04.000Z'),
    )
    expect(late.map(brief)[1]).toEqual(
      fill(3, 'PRTQ', 'buy', '10', '3.05', '0', '2025-03-17T14:20:31.000Z'),
    )
    expect(late[1]?.brokerExecutionId).toBe(early?.brokerExecutionId)
    expect(late[0]?.brokerExecutionId).not.toBe(early?.brokerExecutionId)
  })

  it('names bad rows', () => {
    expect(parse(webullFormat, read('webull', 'bad-rows.csv'))).toEqual([
      { line: 2, column: 'Filled', message: 'Filled "five" is not a number' },
      {
        line: 3,
        column: 'Filled Time',
        message: expect.stringMatching(/"09\/31\/2025 10:00:01 EDT"/),
      },
      { line: 4, column: 'Side', message: 'Side "Hold" must be Buy, Sell or Short' },
    ])
  })
})

describe('TradeStation orders', () => {
  it('reads a tab-separated copy below a title line: options, futures, accounts', () => {
    const items = parse(tradestationFormat, read('tradestation', 'orders.txt'))
    expect(items.map(brief)).toEqual([
      fill(3, 'AAPL  250117C00150000', 'buy', '1', '5.25', '0.6', '2025-01-15T14:31:05.000Z'),
      fill(4, 'MSFT', 'sell', '50', '420.5', '1', '2025-01-15T14:35:00.000Z'),
      fill(5, 'AAPL  250117C00150000', 'sell', '1', '6.1', '0.6', '2025-01-15T15:45:30.000Z'),
      fill(6, 'ESH25', 'buy', '1', '6012.25', '2.25', '2025-01-15T16:00:00.000Z'),
      fill(7, 'ESH25', 'sell', '1', '6020.5', '2.25', '2025-01-15T17:30:00.000Z'),
      fill(9, 'MSFT', 'buy', '50', '418.25', '1', '2025-01-15T18:05:12.000Z'),
      fill(10, 'NVDA', 'buy', '10', '135', '1', '2025-01-15T19:00:00.000Z'),
    ])
    const all = fills(items)
    expect(all.map((f) => f.account)).toEqual([...Array(6).fill('11223344'), '55667788'])
    expect(all[3]?.instrument).toMatchObject({ assetClass: 'future', underlying: 'ES' })
  })

  it('reads the same orders comma-separated', () => {
    const tabbed = read('tradestation', 'orders.txt')
    const commas = tabbed.replace(/,/g, '').replace(/\t/g, ',')
    expect(parse(tradestationFormat, commas).map(brief)).toEqual(
      parse(tradestationFormat, tabbed).map(brief),
    )
  })

  it('names bad rows', () => {
    expect(parse(tradestationFormat, read('tradestation', 'bad-rows.txt'))).toEqual([
      { line: 3, column: 'Entered', message: expect.stringMatching(/"13\/15\/25 09:31:05 AM"/) },
      { line: 4, column: 'Type', message: 'Type "Hold" is neither a buy nor a sell' },
    ])
  })
})

describe('roundTo8Decimals', () => {
  it('rounds half to even past the 8th place and leaves shorter numbers alone', () => {
    expect(roundTo8Decimals('1.123456785')).toBe('1.12345678')
    expect(roundTo8Decimals('1.123456775')).toBe('1.12345678')
    expect(roundTo8Decimals('0.999999999')).toBe('1.00000000')
    expect(roundTo8Decimals('@3.0000000000')).toBe('@3.00000000')
    expect(roundTo8Decimals('16.53')).toBe('16.53')
  })
})
