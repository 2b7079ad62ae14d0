import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDecimal, multiply, parseDecimal } from '../../core/decimal'
import {
  BUILT_IN_FUTURES,
  futuresSpec,
  parseFuturesSymbol,
  type FuturesContract,
} from '../../core/instruments/futures'

const at2026 = { referenceYear: 2026 }

/** "ES 50  MES 5" → { ES: '50', MES: '5' } */
function pairs(text: string): Record<string, string> {
  const entries = text.trim().matchAll(/(\S+)\s+(\S+)/g)
  return Object.fromEntries([...entries].map(([, key = '', value = '']) => [key, value]))
}
const contract = (root: string, month: number, year: number, code: string): FuturesContract => ({
  root,
  month,
  year,
  code,
})

describe('parseFuturesSymbol', () => {
  it('reads compact codes with 1, 2 or 4 year digits', () => {
    expect(parseFuturesSymbol('ESZ4', { referenceYear: 2024 })).toEqual(
      contract('ES', 12, 2024, 'ESZ24'),
    )
    expect(parseFuturesSymbol('ESZ24', at2026)).toEqual(contract('ES', 12, 2024, 'ESZ24'))
    expect(parseFuturesSymbol('ESZ2024', at2026)).toEqual(contract('ES', 12, 2024, 'ESZ24'))
    expect(parseFuturesSymbol('MNQM6', at2026)).toEqual(contract('MNQ', 6, 2026, 'MNQM26'))
    expect(parseFuturesSymbol('MYMZ5', at2026)).toEqual(contract('MYM', 12, 2025, 'MYMZ25'))
    expect(parseFuturesSymbol('esz24', at2026)).toEqual(contract('ES', 12, 2024, 'ESZ24'))
  })

  it('takes the root exactly, micro and digit roots included', () => {
    expect(parseFuturesSymbol('MESZ24', at2026)?.root).toBe('MES')
    expect(parseFuturesSymbol('M2KZ24', at2026)).toEqual(contract('M2K', 12, 2024, 'M2KZ24'))
    expect(parseFuturesSymbol('6EZ4', at2026)).toEqual(contract('6E', 12, 2024, '6EZ24'))
    expect(parseFuturesSymbol('M6EH25', at2026)).toEqual(contract('M6E', 3, 2025, 'M6EH25'))
    expect(parseFuturesSymbol('SILK26', at2026)).toEqual(contract('SIL', 5, 2026, 'SILK26'))
  })

  it('reads thinkorswim and ProjectX symbols', () => {
    expect(parseFuturesSymbol('/NQM26', at2026)).toEqual(contract('NQ', 6, 2026, 'NQM26'))
    expect(parseFuturesSymbol('/MESZ24:XCME', at2026)).toEqual(contract('MES', 12, 2024, 'MESZ24'))
    expect(parseFuturesSymbol('/MESH26:XCME', at2026)).toEqual(contract('MES', 3, 2026, 'MESH26'))
    expect(parseFuturesSymbol('CON.F.US.MES.U25', at2026)).toEqual(
      contract('MES', 9, 2025, 'MESU25'),
    )
    expect(parseFuturesSymbol('CM.MNQU6', at2026)).toEqual(contract('MNQ', 9, 2026, 'MNQU26'))
  })

  it('reads NinjaTrader month names and MM-YY', () => {
    expect(parseFuturesSymbol('MES JUN26', at2026)).toEqual(contract('MES', 6, 2026, 'MESM26'))
    expect(parseFuturesSymbol('MES SEP 26', at2026)).toEqual(contract('MES', 9, 2026, 'MESU26'))
    expect(parseFuturesSymbol('MNQ SEP25', at2026)).toEqual(contract('MNQ', 9, 2025, 'MNQU25'))
    expect(parseFuturesSymbol('MES 09-26', at2026)).toEqual(contract('MES', 9, 2026, 'MESU26'))
    expect(parseFuturesSymbol('ES 12-24', at2026)).toEqual(contract('ES', 12, 2024, 'ESZ24'))
  })

  it('resolves a single-digit year to the nearest, the later one on a tie', () => {
    expect(parseFuturesSymbol('ESZ4', { referenceYear: 2027 })?.year).toBe(2024)
    expect(parseFuturesSymbol('ESZ9', { referenceYear: 2021 })?.year).toBe(2019)
    expect(parseFuturesSymbol('ESZ1', { referenceYear: 2029 })?.year).toBe(2031)
    expect(parseFuturesSymbol('ESZ4', { referenceYear: 2029 })?.year).toBe(2034)
    expect(() => parseFuturesSymbol('ESZ4', { referenceYear: 2024.5 })).toThrow(/whole year/)
  })

  it('parses unknown roots, leaving the point value to futuresSpec', () => {
    expect(parseFuturesSymbol('XYZH25', at2026)).toEqual(contract('XYZ', 3, 2025, 'XYZH25'))
    expect(futuresSpec('XYZ')).toBeNull()
  })

  it('returns null for what is not a futures symbol', () => {
    for (const text of [
      '',
      'ES',
      'AAPL',
      'BRK.B',
      'SPY251114C00672000',
      'AAPL  250117C00150000',
      'SPY 18MAR22 440.0 P',
      'ESZ202', // 3-digit year
      'ESA24', // A is no month code
      'ES 13-24',
      'MES FOO26',
      '12Z4', // a root has letters
      'TOOLONGZ24',
      'ESZ1999',
      'F.US.EPZ24', // Rithmic-style: not in brokers.md
    ]) {
      expect(parseFuturesSymbol(text, at2026), text).toBeNull()
    }
  })
})

describe('futuresSpec', () => {
  it('has the exchange point value of every common root', () => {
    const expected = pairs(`
      ES 50  MES 5  NQ 20  MNQ 2  YM 5  MYM 0.5  RTY 50  M2K 5  EMD 100  NKD 5
      CL 1000  MCL 100  QM 500  NG 10000  QG 2500  RB 42000  HO 42000
      GC 100  MGC 10  SI 5000  SIL 1000  HG 25000  MHG 2500  PL 50  PA 100
      ZB 1000  UB 1000  ZN 1000  TN 1000  ZF 1000  ZT 2000
      6E 125000  M6E 12500  6J 12500000  6B 62500  6A 100000  6C 100000  6S 125000  6M 500000
      ZC 50  ZS 50  ZW 50  ZM 100  ZL 600  KE 50  HE 400  LE 400  GF 500
      VX 1000  BTC 5  MBT 0.1  ETH 50  MET 0.1  FDAX 25  FDXM 5  FESX 10`)
    for (const [root, multiplier] of Object.entries(expected)) {
      expect(futuresSpec(root)?.multiplier, root).toBe(parseDecimal(multiplier))
    }
    expect([...BUILT_IN_FUTURES.keys()].sort()).toEqual(Object.keys(expected).sort())
  })

  it('gives tick values that match the exchanges (multiplier × tick)', () => {
    const tickValues = pairs(`
      ES 12.5  MES 1.25  NQ 5  MNQ 0.5  YM 5  RTY 5  CL 10  NG 10  GC 10  SI 25  HG 12.5
      ZB 31.25  ZN 15.625  ZF 7.8125  ZT 7.8125  6E 6.25  6J 6.25  6B 6.25  6S 12.5  6M 5
      ZC 12.5  ZL 6  HE 10  GF 12.5  VX 50  BTC 25  MBT 0.5  FDAX 25  FESX 10`)
    for (const [root, tickValue] of Object.entries(tickValues)) {
      const spec = BUILT_IN_FUTURES.get(root)
      expect(spec?.tickSize, root).toBeDefined()
      expect(formatDecimal(multiply(spec?.multiplier ?? 0n, spec?.tickSize ?? 0n)), root).toBe(
        tickValue,
      )
    }
    expect(BUILT_IN_FUTURES.get('PA')?.tickSize).toBeUndefined()
    for (const spec of BUILT_IN_FUTURES.values()) {
      expect(spec.multiplier > 0n && spec.exchange !== '' && /^[A-Z]{3}$/.test(spec.currency)).toBe(
        true,
      )
    }
  })

  it("looks in the user's table first, then the built-in one", () => {
    const user = {
      ES: { multiplier: parseDecimal('55') },
      XYZ: { multiplier: parseDecimal('10'), tickSize: parseDecimal('0.5') },
    }
    expect(futuresSpec('ES', user)).toEqual({ multiplier: parseDecimal('55') })
    expect(futuresSpec('XYZ', user)?.tickSize).toBe(parseDecimal('0.5'))
    expect(futuresSpec('MES', user)?.multiplier).toBe(parseDecimal('5'))
    expect(futuresSpec('/mes')?.multiplier).toBe(parseDecimal('5'))
    expect(futuresSpec(' MYM ')?.multiplier).toBe(50_000_000n)
    expect(futuresSpec('constructor', user)).toBeNull()
    expect(futuresSpec('toString')).toBeNull()
  })
})

const MONTH_CODES = 'FGHJKMNQUVXZ'
const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
]

describe('futures symbol properties', () => {
  it('every notation of a contract reads to the same canonical code', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BUILT_IN_FUTURES.keys()),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: -4, max: 4 }),
        (root, month, year, offset) => {
          const letter = MONTH_CODES[month - 1] ?? ''
          const yy = String(year % 100).padStart(2, '0')
          const mm = String(month).padStart(2, '0')
          const expected = contract(root, month, year, `${root}${letter}${yy}`)
          const options = { referenceYear: year + offset }
          for (const text of [
            `${root}${letter}${year % 10}`,
            `${root}${letter}${yy}`,
            `${root}${letter}${year}`,
            `/${root}${letter}${yy}:XCME`,
            `CON.F.US.${root}.${letter}${yy}`,
            `${root} ${MONTH_NAMES[month - 1]}${yy}`,
            `${root} ${mm}-${yy}`,
            expected.code,
          ]) {
            expect(parseFuturesSymbol(text, options), text).toEqual(expected)
          }
        },
      ),
    )
  })
})
