import { describe, expect, it } from 'vitest'
import { parseDecimal } from '../../core/decimal'
import {
  genericFormat,
  MappingError,
  parseMapping,
  parseMappingJson,
  type GenericMapping,
} from '../../importers/generic'
import { isRowError, type ParsedFill, type RowError } from '../../importers/types'

/** A made-up German broker: preamble, semicolons, decimal commas, date and time apart. */
const ACME = [
  'Acme Broker AG - Transaktionsübersicht',
  'Konto;12345',
  'Zeitraum;01.03.2026 - 31.03.2026',
  '',
  'Datum;Zeit;Wertpapier;Stück;Kurs;Provision;Börsengebühr;Konto;Auftrag;Ausführung',
  '02.03.2026;15:31:05;AAPL;100;1.180,25;-4,95;-0,50;U1;O-1;F-1',
  '02.03.2026;16:02:00;aapl;-100;1.181,75;4,95;0,5;U1;O-2;F-2',
  '',
  '03.03.2026;15:45:10;AAPL260320C00200000;2;3,10;1,30;;U1;O-3;F-3',
  '03.03.2026;25:50:00;;abc;3,1;x;;U1;O-4;F-4',
  '',
].join('\n')

const MAPPING: GenericMapping = {
  name: 'Acme',
  delimiter: ';',
  decimal: ',',
  timeFormat: 'eu-slash',
  timezone: 'Europe/Berlin',
  columns: {
    time: { date: 'Datum', time: 'Zeit' },
    symbol: 'Wertpapier',
    quantity: 'Stück',
    price: 'Kurs',
    fee: ['Provision', 'Börsengebühr'],
    account: 'Konto',
    orderId: 'Auftrag',
    fillId: 'Ausführung',
  },
  signedQuantity: true,
}

function parse(text: string, mapping: GenericMapping = MAPPING) {
  const format = genericFormat(mapping)
  const items = [...format.parse(text, { timezone: format.defaultTimezone, fileName: 'acme.csv' })]
  return {
    fills: items.filter((item): item is ParsedFill => !isRowError(item)),
    errors: items.filter((item): item is RowError => isRowError(item)),
  }
}

describe('generic format', () => {
  it('is never auto-detected and takes its zone from the mapping', () => {
    const format = genericFormat(MAPPING)
    expect(format.id).toBe('generic')
    expect(format.detect(ACME)).toBe(0)
    expect(format.defaultTimezone).toBe('Europe/Berlin')
    expect(format.label).toBe('Generic CSV (Acme)')
  })

  it('reads a preamble-headed, semicolon, decimal-comma file with signed quantities', () => {
    const { fills, errors } = parse(ACME)
    expect(fills).toEqual([
      {
        line: 6,
        raw: '02.03.2026;15:31:05;AAPL;100;1.180,25;-4,95;-0,50;U1;O-1;F-1',
        account: 'U1',
        instrument: {
          symbol: 'AAPL',
          assetClass: 'stock',
          exchange: null,
          multiplier: null,
          expiry: null,
          strike: null,
          putCall: null,
          underlying: null,
        },
        side: 'buy',
        quantity: parseDecimal('100'),
        price: parseDecimal('1180.25'),
        fee: parseDecimal('5.45'),
        currency: null,
        executedAt: Date.parse('2026-03-02T14:31:05Z'),
        sourceTimezone: 'Europe/Berlin',
        brokerExecutionId: 'F-1',
        brokerOrderId: 'O-1',
        isDerived: false,
        note: null,
      },
      {
        line: 7,
        raw: '02.03.2026;16:02:00;aapl;-100;1.181,75;4,95;0,5;U1;O-2;F-2',
        account: 'U1',
        instrument: {
          symbol: 'AAPL',
          assetClass: 'stock',
          exchange: null,
          multiplier: null,
          expiry: null,
          strike: null,
          putCall: null,
          underlying: null,
        },
        side: 'sell',
        quantity: parseDecimal('100'),
        price: parseDecimal('1181.75'),
        fee: parseDecimal('5.45'),
        currency: null,
        executedAt: Date.parse('2026-03-02T15:02:00Z'),
        sourceTimezone: 'Europe/Berlin',
        brokerExecutionId: 'F-2',
        brokerOrderId: 'O-2',
        isDerived: false,
        note: null,
      },
      {
        line: 9,
        raw: '03.03.2026;15:45:10;AAPL260320C00200000;2;3,10;1,30;;U1;O-3;F-3',
        account: 'U1',
        instrument: {
          symbol: 'AAPL  260320C00200000',
          assetClass: 'option',
          exchange: null,
          multiplier: null,
          expiry: '2026-03-20',
          strike: parseDecimal('200'),
          putCall: 'call',
          underlying: 'AAPL',
        },
        side: 'buy',
        quantity: parseDecimal('2'),
        price: parseDecimal('3.1'),
        fee: parseDecimal('1.3'),
        currency: null,
        executedAt: Date.parse('2026-03-03T14:45:10Z'),
        sourceTimezone: 'Europe/Berlin',
        brokerExecutionId: 'F-3',
        brokerOrderId: 'O-3',
        isDerived: false,
        note: null,
      },
    ])
    expect(errors.map(({ line, column }) => ({ line, column }))).toEqual([
      { line: 10, column: 'Datum' },
      { line: 10, column: 'Stück' },
      { line: 10, column: 'Provision' },
      { line: 10, column: 'Wertpapier' },
    ])
    expect(errors[1]?.message).toMatch(/^Stück: "abc" is not a number/)
  })

  it('reads a side column with custom values, a fixed class and multiplier', () => {
    const text = [
      'When,Contract,B/S,Qty,Px,Comm',
      '2026-03-02 14:31:05,ESH6,Long,2,"5,100.25",-2.5',
      '2026-03-02 14:40:00,ESH6,Short,2,5101.5,2.5',
      '2026-03-02 14:41:00,ESH6,buy,2,5101.5,2.5',
    ].join('\n')
    const { fills, errors } = parse(text, {
      timeFormat: 'iso',
      columns: {
        time: 'when',
        symbol: 'Contract',
        side: 'B/S',
        quantity: 'Qty',
        price: 'Px',
        fee: 'Comm',
      },
      sideValues: { buy: ['long'], sell: ['SHORT'] },
      assetClass: 'future',
      multiplier: '50',
    })
    expect(fills.map((fill) => [fill.side, fill.instrument.symbol, fill.price, fill.fee])).toEqual([
      ['buy', 'ESH26', parseDecimal('5100.25'), parseDecimal('2.5')],
      ['sell', 'ESH26', parseDecimal('5101.5'), parseDecimal('2.5')],
    ])
    expect(fills[0]?.instrument).toMatchObject({
      assetClass: 'future',
      underlying: 'ES',
      multiplier: parseDecimal('50'),
    })
    expect(errors).toEqual([
      {
        line: 4,
        column: 'B/S',
        message: 'B/S "buy" is neither a buy (long) nor a sell (short)',
      },
    ])
  })

  it('reports a file without the mapped header, and a wrong headerRow', () => {
    expect(parse('a;b\n1;2\n').errors).toEqual([
      {
        line: 1,
        column: null,
        message: expect.stringMatching(/^No header row with all mapped columns \(Datum, Zeit/),
      },
    ])
    expect(parse(ACME, { ...MAPPING, headerRow: 2 }).errors).toEqual([
      {
        line: 2,
        column: null,
        message: expect.stringMatching(/^Header row 2 lacks mapped column\(s\): Datum, Zeit/),
      },
    ])
    expect(parse(ACME, { ...MAPPING, headerRow: 5 }).fills).toHaveLength(3)
  })

  it('rejects a bad mapping with one message naming the fields', () => {
    expect(() => parseMapping({ ...MAPPING, timeFormat: 'dd-mm' })).toThrow(MappingError)
    expect(() => parseMapping({ ...MAPPING, timeFormat: 'dd-mm' })).toThrow(/timeFormat:/)
    expect(() =>
      parseMapping({ ...MAPPING, columns: { ...MAPPING.columns, quantity: 3 } }),
    ).toThrow(/^Invalid mapping: columns\.quantity: /)
    expect(() => parseMapping({ ...MAPPING, signedQuantity: false })).toThrow(
      /columns\.side: is required unless signedQuantity is true/,
    )
    expect(() => parseMapping({ ...MAPPING, multiplier: 50 })).toThrow(/multiplier:/)
    expect(() => parseMapping({ ...MAPPING, timezone: 'Mars/Base' })).toThrow(/timezone:/)
    expect(() => parseMapping({ ...MAPPING, colums: {} })).toThrow(/colums/)
    expect(() => parseMappingJson('{ nope')).toThrow(/^Invalid mapping: not JSON/)
  })
})
