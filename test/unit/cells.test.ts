import { describe, expect, it } from 'vitest'
import { formatDecimal } from '../../core/decimal'
import {
  columnTimeReader,
  detectCellFormats,
  detectTimeReader,
  RowCells,
  sampleRows,
} from '../../importers/cells'
import { findColumnTable } from '../../importers/sniff'

const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString())

describe('detectTimeReader', () => {
  it('reads epoch seconds and milliseconds by size, ignoring the zone', () => {
    const seconds = detectTimeReader(['1772462400', '1772464800'], 'America/New_York')
    expect(seconds?.label).toBe('epoch seconds')
    expect(iso(seconds?.read('1772462400') ?? null)).toBe('2026-03-02T14:40:00.000Z')
    const millis = detectTimeReader(['1772462400000'], 'America/New_York')
    expect(millis?.label).toBe('epoch milliseconds')
    expect(iso(millis?.read('1772462400500') ?? null)).toBe('2026-03-02T14:40:00.500Z')
  })

  it('picks the text shape most samples have, reading naive times in the zone', () => {
    const us = detectTimeReader(
      ['03/02/2026 09:40', '03/13/2026 10:00', 'oops'],
      'America/New_York',
    )
    expect(us).toMatchObject({ label: 'MM/DD/YYYY HH:MM', zoned: true })
    expect(iso(us?.read('03/02/2026 09:40') ?? null)).toBe('2026-03-02T14:40:00.000Z')
    const european = detectTimeReader(['25.03.2026 10:00'], 'Europe/Berlin')
    expect(iso(european?.read('25.03.2026 10:00') ?? null)).toBe('2026-03-25T09:00:00.000Z')
    expect(detectTimeReader(['2026-03-02T14:40:00Z'], 'UTC')).toMatchObject({ zoned: false })
    expect(detectTimeReader(['soon', 'later'], 'UTC')).toBeNull()
  })

  it('columnTimeReader refuses every cell, naming the shapes it knows, when none reads', () => {
    const reader = columnTimeReader(['soon'], 'UTC')
    expect(() => reader.read('soon')).toThrow(/"soon" is not a time Blotter reads \(epoch seconds/)
  })
})

describe('sampleRows', () => {
  it('keeps the first rows and still yields every row once, in order', () => {
    const source = (function* () {
      for (let i = 1; i <= 5; i++) yield i
    })()
    const { sample, all } = sampleRows(source, 3)
    expect(sample).toEqual([1, 2, 3])
    expect([...all]).toEqual([1, 2, 3, 4, 5])
    const short = sampleRows([1, 2], 3)
    expect([...short.all]).toEqual([1, 2])
  })
})

describe('RowCells', () => {
  const aliases = { when: ['when'], amount: ['amount'], fee: ['fee'] }
  const rowsOf = (text: string) => {
    const table = findColumnTable(text, aliases, ['when', 'amount'])
    if (!table) throw new Error('no header')
    const { sample, all } = sampleRows(table.rows)
    const formats = detectCellFormats(
      sample,
      table.columns,
      { numbers: ['amount', 'fee'], times: ['when'] },
      'UTC',
    )
    return [...all].map((record) => {
      const row = new RowCells(record, table.columns, formats)
      const when = row.time('when')
      const amount = row.number('amount')
      const fee = row.optionalNumber('fee', { test: (v) => v >= 0n, says: '0 or more' })
      return {
        when: iso(when),
        amount: amount === null ? null : formatDecimal(amount),
        fee: fee === null ? null : formatDecimal(fee),
        errors: row.errors,
      }
    })
  }

  it('reads broker numbers: accounting negatives, currency symbols, thousands', () => {
    const rows = rowsOf(
      [
        'when,amount,fee',
        '1772462400,"($1,234.56)",$1.25',
        '1772464800,-$497.25,-',
        '1772550000,"1,000",N/A',
      ].join('\n'),
    )
    expect(rows).toEqual([
      { when: '2026-03-02T14:40:00.000Z', amount: '-1234.56', fee: '1.25', errors: [] },
      { when: '2026-03-02T15:20:00.000Z', amount: '-497.25', fee: null, errors: [] },
      { when: '2026-03-03T15:00:00.000Z', amount: '1000', fee: null, errors: [] },
    ])
  })

  it('detects a decimal comma from the number columns', () => {
    const rows = rowsOf('when;amount;fee\n02.03.2026 14:40;1.234,56;0,5\n02.03.2026 15:20;-7,25;\n')
    expect(rows.map((row) => [row.when, row.amount, row.fee])).toEqual([
      ['2026-03-02T14:40:00.000Z', '1234.56', '0.5'],
      ['2026-03-02T15:20:00.000Z', '-7.25', null],
    ])
  })

  it('names the line, the column and the reason of every bad cell', () => {
    const rows = rowsOf(
      [
        'when,amount,fee',
        '2026-03-02T14:40:00Z,1,',
        '2026-03-32T14:40:00Z,1e5,-1',
        '2026-03-02T15:00:00Z,,',
      ].join('\n'),
    )
    expect(rows[0]?.errors).toEqual([])
    expect(rows[1]?.errors).toEqual([
      {
        line: 3,
        column: 'when',
        message:
          "when: '2026-03-32T14:40:00Z' is not a valid date (expected YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM)",
      },
      {
        line: 3,
        column: 'amount',
        message: 'amount: "1e5" uses exponent notation, which is not accepted',
      },
      { line: 3, column: 'fee', message: 'fee "-1" must be 0 or more' },
    ])
    expect(rows[2]?.errors).toEqual([{ line: 4, column: 'amount', message: 'amount is empty' }])
  })
})
