import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { blotter } from '../support/cli'

const MAPPING = {
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
    fee: ['Provision', 'Gebühr'],
    fillId: 'Ausführung',
  },
  signedQuantity: true,
}

const HEADER = 'Datum;Zeit;Wertpapier;Stück;Kurs;Provision;Gebühr;Ausführung'

describe('blotter import --mapping / --template', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({ dir, cleanup } = tempDir()))
  afterEach(() => cleanup())

  it('imports through a mapping, saves it, and imports another file with the template', () => {
    const db = join(dir, 'journal.db')
    const mapping = join(dir, 'm.json')
    writeFileSync(mapping, JSON.stringify(MAPPING))
    const march = join(dir, 'march.csv')
    writeFileSync(
      march,
      [
        'Acme Broker AG',
        '',
        HEADER,
        '02.03.2026;15:31:05;AAPL;100;180,25;-4,95;-0,50;F-1',
        '02.03.2026;16:02:00;AAPL;-100;181,75;4,95;0,50;F-2',
        '',
      ].join('\n'),
    )
    const first = blotter([
      'import',
      march,
      '--mapping',
      mapping,
      '--save-template',
      'mine',
      '--json',
      '--db',
      db,
    ])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout).files[0]).toMatchObject({
      status: 'imported',
      format: 'generic',
      fills: 2,
      trades: 1,
    })

    const listed = blotter(['import-templates', '--json', '--db', db])
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toEqual([{ name: 'mine', mapping: MAPPING }])

    const april = join(dir, 'april.csv')
    writeFileSync(
      april,
      [
        HEADER,
        '01.04.2026;15:00:00;MSFT;10;400,5;1;;F-3',
        '01.04.2026;15:30:00;MSFT;-5;401;1;;F-4',
      ].join('\n'),
    )
    const second = blotter(['import', april, '--template', 'mine', '--json', '--db', db])
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout).files[0]).toMatchObject({
      status: 'imported',
      format: 'generic',
      fills: 2,
    })
    const fills = JSON.parse(blotter(['fills', '--symbol', 'MSFT', '--json', '--db', db]).stdout)
    expect(fills.map((f: { time: string; side: string }) => [f.time, f.side])).toEqual([
      ['2026-04-01T13:00:00.000Z', 'buy'],
      ['2026-04-01T13:30:00.000Z', 'sell'],
    ])

    const unknown = blotter(['import', april, '--template', 'theirs', '--db', db])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/No import template "theirs" \(saved: mine\)/)
  })

  it('a missing or invalid mapping is a usage error naming the field', () => {
    const db = join(dir, 'journal.db')
    const file = join(dir, 'x.csv')
    writeFileSync(file, `${HEADER}\n`)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ ...MAPPING, columns: { ...MAPPING.columns, price: 7 } }))
    const invalid = blotter(['import', file, '--mapping', bad, '--db', db])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/Invalid mapping: columns\.price: /)

    const missing = blotter(['import', file, '--mapping', join(dir, 'nope.json'), '--db', db])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--mapping: cannot read/)

    const saveAlone = blotter(['import', file, '--save-template', 'x', '--db', db])
    expect(saveAlone.code).toBe(2)
  })
})
