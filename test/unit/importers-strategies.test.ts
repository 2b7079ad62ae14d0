import { describe, expect, it } from 'vitest'
import { formatDecimal } from '../../core/decimal'
import { readRoundTripCsv } from '../../importers/backtest-trades'
import { isError, readSignals, type ParsedSignal } from '../../importers/signals'
import type { RowError } from '../../importers/types'

const signalsOf = (text: string, timezone = 'America/New_York') => {
  const items = [...readSignals(text, { timezone })]
  return {
    errors: items.filter(isError),
    signals: items
      .filter((item): item is ParsedSignal => !isError(item))
      .map((signal) => ({
        ...signal,
        signalAt: new Date(signal.signalAt).toISOString(),
        price: signal.price === null ? null : formatDecimal(signal.price),
        strength: signal.strength === null ? null : formatDecimal(signal.strength),
      })),
  }
}

describe('readSignals', () => {
  it('reads a semicolon file with decimal commas and day-first dates in the zone', () => {
    const { errors, signals } = signalsOf(
      [
        'Signal export',
        'Time;Symbol;Direction;Price;Strength;Asset Class;Set-up',
        '02.03.2026 09:40;ESH6;Long;"4.999,75";0,8;future;ORB',
        '02.03.2026 10:25;ESH6;exit;5.009,5;-0,25;;',
      ].join('\n'),
    )
    expect(errors).toEqual([])
    expect(signals).toEqual([
      {
        line: 3,
        symbol: 'ESH6',
        assetClass: 'future',
        signalAt: '2026-03-02T14:40:00.000Z',
        direction: 'long',
        price: '4999.75',
        strength: '0.8',
        metadata: { 'Set-up': 'ORB' },
      },
      {
        line: 4,
        symbol: 'ESH6',
        assetClass: null,
        signalAt: '2026-03-02T15:25:00.000Z',
        direction: 'exit',
        price: '5009.5',
        strength: '-0.25',
        metadata: null,
      },
    ])
  })

  it('reads epoch milliseconds and prices with currency symbols', () => {
    const { errors, signals } = signalsOf(
      'time,symbol,direction,price\n1772462400000,aapl,short,"$1,150.25"\n',
    )
    expect(errors).toEqual([])
    expect(signals[0]).toMatchObject({
      signalAt: '2026-03-02T14:40:00.000Z',
      symbol: 'AAPL',
      price: '1150.25',
    })
  })

  it('names the line, the column and the reason of every bad cell', () => {
    const { errors, signals } = signalsOf(
      [
        'time,symbol,direction,price,strength,asset_class',
        '03/02/2026 09:40,ESH6,long,($5.00),,',
        '03/02/2026 09:41,ESH6,long,,high,',
        '03/32/2026 09:42,ESH6,long,,,bond fund',
        '03/02/2026 09:43,ESH6,long,,,',
      ].join('\n'),
    )
    expect(errors).toEqual<RowError[]>([
      { line: 2, column: 'price', message: 'price "($5.00)" must be 0 or more' },
      { line: 3, column: 'strength', message: 'strength: "high" is not a number' },
      {
        line: 4,
        column: 'time',
        message: "time: '03/32/2026 09:42' is not a valid date (expected MM/DD/YYYY HH:MM:SS)",
      },
      {
        line: 4,
        column: 'asset_class',
        message:
          'asset_class "bond fund" must be one of stock, option, future, forex, crypto, cfd, bond, fund, index',
      },
    ])
    expect(signals.map((signal) => signal.line)).toEqual([5])
  })
})

describe('readRoundTripCsv', () => {
  const tripsOf = (text: string, timezone = 'America/New_York') => {
    const read = readRoundTripCsv(text, { timezone })
    return {
      errors: read.errors,
      warnings: read.warnings,
      trips: read.trips.map((trip) => ({
        symbol: trip.symbol,
        side: trip.side,
        openedAt: new Date(trip.openedAt).toISOString(),
        closedAt: new Date(trip.closedAt).toISOString(),
        amounts: [trip.quantity, trip.entryPrice, trip.exitPrice, trip.fees, trip.netPnl].map(
          (value) => formatDecimal(value),
        ),
      })),
    }
  }

  it('reads accounting negatives, currency symbols and US times in the zone', () => {
    // Short 10 ES from 5,030 to 5,040 × 50: (5040 − 5030) × 10 × 50 × −1 = −5000, − 4.20 fees.
    // Long 100 AAPL 150 → 145.0275: −497.25, no fees; the file's pnl agrees.
    const { errors, warnings, trips } = tripsOf(
      [
        'Symbol,Side,Entry Time,Exit Time,Quantity,Entry Price,Exit Price,Fees,PnL,Multiplier',
        'ES,sell,03/02/2026 09:40,03/02/2026 10:20,10,"$5,030.00","$5,040.00",$4.20,"($5,004.20)",50',
        'AAPL,long,03/03/2026 10:00,03/03/2026 11:00,100,$150,$145.0275,-,-$497.25,',
      ].join('\n'),
    )
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    expect(trips).toEqual([
      {
        symbol: 'ES',
        side: 'short',
        openedAt: '2026-03-02T14:40:00.000Z',
        closedAt: '2026-03-02T15:20:00.000Z',
        amounts: ['10', '5030', '5040', '4.2', '-5004.2'],
      },
      {
        symbol: 'AAPL',
        side: 'long',
        openedAt: '2026-03-03T15:00:00.000Z',
        closedAt: '2026-03-03T16:00:00.000Z',
        amounts: ['100', '150', '145.0275', '0', '-497.25'],
      },
    ])
  })

  it('reads epoch seconds and a decimal comma', () => {
    const { errors, trips } = tripsOf(
      [
        'symbol;side;entry_time;exit_time;quantity;entry_price;exit_price;fees',
        'EURUSD;long;1772462400;1772464800;1.000;1,08125;1,08175;0,25',
      ].join('\n'),
    )
    expect(errors).toEqual([])
    expect(trips[0]).toMatchObject({
      openedAt: '2026-03-02T14:40:00.000Z',
      closedAt: '2026-03-02T15:20:00.000Z',
      // (1.08175 − 1.08125) × 1000 − 0.25 = 0.25
      amounts: ['1000', '1.08125', '1.08175', '0.25', '0.25'],
    })
  })

  it('names the line, the column and the reason of every bad cell', () => {
    const { errors, trips } = tripsOf(
      [
        'symbol,side,entry_time,exit_time,quantity,entry_price,exit_price,fees',
        'ES,long,2026-03-02T14:40:00Z,2026-03-02T15:20:00Z,1,5000,5012,',
        'ES,long,2026-03-02T14:40:00Z,yesterday,"1,5",5000,$,4.20 USD',
      ].join('\n'),
    )
    expect(trips).toHaveLength(1)
    expect(errors).toEqual<RowError[]>([
      {
        line: 3,
        column: 'exit_time',
        message:
          "exit_time: 'yesterday' is not a valid date (expected YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM)",
      },
      {
        line: 3,
        column: 'quantity',
        message:
          'quantity: "1,5" has a misplaced thousands separator (is the decimal separator ","?)',
      },
      { line: 3, column: 'exit_price', message: 'exit_price: "$" is not a number' },
    ])
  })
})
