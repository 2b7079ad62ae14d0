import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDecimal, parseDecimal } from '../../core/decimal'
import {
  formatOcc,
  optionFromParts,
  parseOptionSymbol,
  type OptionContract,
} from '../../core/instruments/options'

function option(
  underlying: string,
  expiry: string,
  strike: string,
  putCall: 'put' | 'call',
): OptionContract {
  return { underlying, expiry, strike: parseDecimal(strike), putCall }
}

describe('parseOptionSymbol', () => {
  it('reads OCC, padded and unpadded', () => {
    expect(parseOptionSymbol('AAPL  250117C00150000')).toEqual(
      option('AAPL', '2025-01-17', '150', 'call'),
    )
    expect(parseOptionSymbol('SPY   220318P00440000')).toEqual(
      option('SPY', '2022-03-18', '440', 'put'),
    )
    expect(parseOptionSymbol('SPY251114C00672000')).toEqual(
      option('SPY', '2025-11-14', '672', 'call'),
    )
    expect(parseOptionSymbol('SPXW  260327P06380500')).toEqual(
      option('SPXW', '2026-03-27', '6380.5', 'put'),
    )
  })

  it('reads compact symbols: thinkorswim, Fidelity, TradeStation', () => {
    expect(parseOptionSymbol('.SPY251114C672')).toEqual(option('SPY', '2025-11-14', '672', 'call'))
    expect(parseOptionSymbol('SPXW260327P6380')).toEqual(
      option('SPXW', '2026-03-27', '6380', 'put'),
    )
    expect(parseOptionSymbol('-MU250117P100')).toEqual(option('MU', '2025-01-17', '100', 'put'))
    expect(parseOptionSymbol('-MU251003P157.5')).toEqual(option('MU', '2025-10-03', '157.5', 'put'))
    expect(parseOptionSymbol('-SPY250117C472.5')).toEqual(
      option('SPY', '2025-01-17', '472.5', 'call'),
    )
    expect(parseOptionSymbol('AAPL 250117C150')).toEqual(
      option('AAPL', '2025-01-17', '150', 'call'),
    )
  })

  it('reads IBKR statement symbols', () => {
    expect(parseOptionSymbol('SPY 18MAR22 440.0 P')).toEqual(
      option('SPY', '2022-03-18', '440', 'put'),
    )
    expect(parseOptionSymbol('ARKK 19SEP25 80 C')).toEqual(
      option('ARKK', '2025-09-19', '80', 'call'),
    )
    expect(parseOptionSymbol('CLOV 16JUL21 20.0 C')).toEqual(
      option('CLOV', '2021-07-16', '20', 'call'),
    )
  })

  it('reads Schwab, Webull and Robinhood symbols', () => {
    expect(parseOptionSymbol('AAPL 12/06/2024 240.00 C')).toEqual(
      option('AAPL', '2024-12-06', '240', 'call'),
    )
    expect(parseOptionSymbol('QQQ 03/31/2020 300.00 C')).toEqual(
      option('QQQ', '2020-03-31', '300', 'call'),
    )
    expect(parseOptionSymbol('SPY 09/03/2026 766.00 Call')).toEqual(
      option('SPY', '2026-09-03', '766', 'call'),
    )
    expect(parseOptionSymbol('SPY 3/20/2026 Call $580.00')).toEqual(
      option('SPY', '2026-03-20', '580', 'call'),
    )
    expect(parseOptionSymbol('SPX 3/20/2026 Put $6,400.00')).toEqual(
      option('SPX', '2026-03-20', '6400', 'put'),
    )
  })

  it('reads E*TRADE symbols', () => {
    expect(parseOptionSymbol('PUT  IWM    02/27/26   260.000')).toEqual(
      option('IWM', '2026-02-27', '260', 'put'),
    )
    expect(parseOptionSymbol('PUT MDB 07/17/26 312.500')).toEqual(
      option('MDB', '2026-07-17', '312.5', 'put'),
    )
    expect(parseOptionSymbol("IWM Feb 27 '26 $260 Put")).toEqual(
      option('IWM', '2026-02-27', '260', 'put'),
    )
  })

  it('returns null for what is not an option or cannot exist', () => {
    for (const text of [
      '',
      'AAPL',
      'ESZ24',
      'AAPL  260230C00150000', // 30 February
      'AAPL  250229C00150000', // 2025 is not a leap year
      'AAPL  251301C00150000', // month 13
      'AAPL  250117C00000000', // strike 0
      '-MU250117P100.1234', // OCC carries thousandths only
      'SPY 18FOO22 440 P',
      'SPY 18MAR22 440 X',
      'ABCDEFG 250117C150', // OCC roots have at most 6 characters
      'P LEG  20230317 69 M', // IBKR non-US: not supported
      'PUT (MU) MICRON TECHNOLOGY JAN 17 25 $100 (100 SHS)',
      'Option Expiration for SPY 3/20/2026 Call $580.00',
    ]) {
      expect(parseOptionSymbol(text), text).toBeNull()
    }
    expect(parseOptionSymbol('AAPL  240229C00150000')).toEqual(
      option('AAPL', '2024-02-29', '150', 'call'),
    )
  })
})

describe('optionFromParts', () => {
  it('reads thinkorswim columns', () => {
    expect(
      optionFromParts({ underlying: 'SPX', expiry: '27 MAR 26', strike: '6400', type: 'PUT' }),
    ).toEqual(option('SPX', '2026-03-27', '6400', 'put'))
    expect(
      optionFromParts({ underlying: 'IWM', expiry: '1 MAY 25', strike: '210', type: 'CALL' }),
    ).toEqual(option('IWM', '2025-05-01', '210', 'call'))
  })

  it('accepts other expiry, strike and type spellings', () => {
    const expected = option('AAPL', '2026-03-27', '580', 'call')
    for (const expiry of [
      '27MAR26',
      '27 Mar 2026',
      '2026-03-27',
      '03/27/2026',
      '3/27/26',
      '20260327',
    ]) {
      expect(optionFromParts({ underlying: 'aapl', expiry, strike: '$580.00', type: 'c' })).toEqual(
        expected,
      )
    }
  })

  it('returns null on an impossible or unreadable part', () => {
    const valid = { underlying: 'SPX', expiry: '27 MAR 26', strike: '6400', type: 'PUT' }
    expect(optionFromParts({ ...valid, expiry: '2026-02-30' })).toBeNull()
    expect(optionFromParts({ ...valid, expiry: 'MAR 15' })).toBeNull()
    expect(optionFromParts({ ...valid, strike: 'abc' })).toBeNull()
    expect(optionFromParts({ ...valid, strike: '-5' })).toBeNull()
    expect(optionFromParts({ ...valid, type: 'STOCK' })).toBeNull()
    expect(optionFromParts({ ...valid, underlying: '/ES' })).toBeNull()
  })
})

describe('formatOcc', () => {
  it('writes the canonical 21-character symbol', () => {
    expect(formatOcc(option('SPY', '2025-11-14', '672', 'call'))).toBe('SPY   251114C00672000')
    expect(formatOcc(option('AAPL', '2025-01-17', '150', 'call'))).toBe('AAPL  250117C00150000')
    expect(formatOcc(option('MU', '2025-10-03', '157.5', 'put'))).toBe('MU    251003P00157500')
    expect(formatOcc(option('SPXW', '2026-03-27', '6380', 'put'))).toBe('SPXW  260327P06380000')
    expect(formatOcc(option('BRKB', '2026-01-16', '0.5', 'put'))).toBe('BRKB  260116P00000500')
  })

  it('refuses what OCC cannot carry', () => {
    const valid = option('SPY', '2025-11-14', '672', 'call')
    expect(() => formatOcc({ ...valid, underlying: 'TOOLONG' })).toThrow(/not an OCC option root/)
    expect(() => formatOcc({ ...valid, underlying: 'spy' })).toThrow(/not an OCC option root/)
    expect(() => formatOcc({ ...valid, expiry: '1999-01-15' })).toThrow(/2000–2099/)
    expect(() => formatOcc({ ...valid, expiry: '2026-02-30' })).toThrow(/2000–2099/)
    expect(() => formatOcc({ ...valid, strike: parseDecimal('0.0005') })).toThrow(/0.001/)
    expect(() => formatOcc({ ...valid, strike: parseDecimal('100000') })).toThrow(/100000/)
  })
})

const contracts: fc.Arbitrary<OptionContract> = fc.record({
  underlying: fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}$/),
  expiry: fc
    .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10)),
  strike: fc.bigInt({ min: 1n, max: 99_999_999n }).map((thousandths) => thousandths * 10n ** 5n),
  putCall: fc.constantFrom('put', 'call'),
})

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

/** The contract as each broker prints it. */
function notations({ underlying: root, expiry, strike, putCall }: OptionContract): string[] {
  const [yyyy = '', mm = '', dd = ''] = expiry.split('-')
  const yy = yyyy.slice(2)
  const mon = MONTHS[Number(mm) - 1] ?? ''
  const c = putCall === 'call' ? 'C' : 'P'
  const word = putCall === 'call' ? 'Call' : 'Put'
  const plain = formatDecimal(strike)
  const withThousands = formatDecimal(strike, 2).replace(/\B(?=(\d{3})+\.)/g, ',')
  return [
    `${root}${yy}${mm}${dd}${c}${(strike / 10n ** 5n).toString().padStart(8, '0')}`,
    `-${root}${yy}${mm}${dd}${c}${plain}`,
    `.${root}${yy}${mm}${dd}${c}${plain}`,
    `${root} ${Number(dd)}${mon}${yy} ${plain} ${c}`,
    `${root} ${mm}/${dd}/${yyyy} ${formatDecimal(strike, 2)} ${c}`,
    `${root} ${Number(mm)}/${Number(dd)}/${yyyy} ${word} $${withThousands}`,
    `${word.toUpperCase()}  ${root}    ${mm}/${dd}/${yy}   ${formatDecimal(strike, 3)}`,
    `${root} ${mon.charAt(0)}${mon.slice(1).toLowerCase()} ${dd} '${yy} $${plain} ${word}`,
  ]
}

describe('option symbol properties', () => {
  it('parseOptionSymbol ∘ formatOcc is the identity', () => {
    fc.assert(
      fc.property(contracts, (contract) => {
        const occ = formatOcc(contract)
        expect(occ).toHaveLength(21)
        expect(parseOptionSymbol(occ)).toEqual(contract)
        expect(formatOcc(parseOptionSymbol(occ) ?? contract)).toBe(occ)
      }),
    )
  })

  it('every notation reads to the same contract', () => {
    fc.assert(
      fc.property(contracts, (contract) => {
        for (const text of notations(contract))
          expect(parseOptionSymbol(text), text).toEqual(contract)
      }),
    )
  })
})
