import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DecimalError, formatDecimal, type Fixed8 } from '../../core/decimal'
import {
  detectDecimalSeparator,
  parseBrokerNumber,
  parseBrokerNumberOrNull,
} from '../../core/parse/numbers'

const read = (text: string, decimal?: '.' | ',') =>
  formatDecimal(parseBrokerNumber(text, { decimal }))

describe('parseBrokerNumber', () => {
  it('reads the notations brokers print (brokers.md §1)', () => {
    expect(read('1234.56')).toBe('1234.56')
    expect(read('1,000')).toBe('1000')
    expect(read('($1,234.56)')).toBe('-1234.56')
    expect(read('$(400.00)')).toBe('-400')
    expect(read('-$497.25')).toBe('-497.25')
    expect(read('$48.10 ')).toBe('48.1')
    expect(read('(0.20)')).toBe('-0.2')
    expect(read('+1,000')).toBe('1000')
    expect(read('@16.53')).toBe('16.53')
    expect(read('€1.21')).toBe('1.21')
    expect(read('-€0.81')).toBe('-0.81')
    expect(read('$-5.00')).toBe('-5')
    expect(read('.50')).toBe('0.5')
    expect(read('-1,000')).toBe('-1000')
    expect(read('46356.000000000')).toBe('46356')
    expect(read('8S')).toBe('8')
  })

  it('reads space, NBSP and narrow-NBSP thousands and the MT5 "- 0.08"', () => {
    expect(read('4 182.78')).toBe('4182.78')
    expect(read('4\u00a0182.78')).toBe('4182.78')
    expect(read('4\u202f182.78')).toBe('4182.78')
    expect(read('1 234 567.5')).toBe('1234567.5')
    expect(read('- 0.08')).toBe('-0.08')
    expect(read("1'234.50")).toBe('1234.5')
  })

  it('reads decimal commas when the column says so', () => {
    expect(read('1.234,56', ',')).toBe('1234.56')
    expect(read('7200,75', ',')).toBe('7200.75')
    expect(read('0,62 $', ',')).toBe('0.62')
    expect(read('4 577,86', ',')).toBe('4577.86')
    expect(read('-1.000.000,5', ',')).toBe('-1000000.5')
    expect(read(',5', ',')).toBe('0.5')
  })

  it('drops asset codes glued to or after the number (Binance, Coinbase)', () => {
    expect(read('0.18SOL')).toBe('0.18')
    expect(read('1,234.5USDT')).toBe('1234.5')
    expect(read('0.0198054BUSD')).toBe('0.0198054')
    expect(read('100 USD')).toBe('100')
  })

  it('rejects garbage with a message that says what is wrong', () => {
    const rejects = (text: string, message: RegExp, decimal?: '.' | ',') =>
      expect(() => parseBrokerNumber(text, { decimal })).toThrow(message)
    rejects('', /empty cell/)
    rejects('   ', /empty cell/)
    rejects('abc', /"abc" is not a number/)
    rejects('BOT +1,000', /is not a number/)
    rejects('1e5', /exponent/)
    rejects('1E5', /exponent/)
    rejects('12.5%', /percentage.*allowPercent/)
    rejects('(5', /unbalanced parentheses/)
    rejects('-(5)', /more than one sign/)
    rejects('-$-5', /more than one sign/)
    rejects('$€5', /two currency symbols/)
    rejects('1,00', /misplaced thousands separator/)
    rejects('7200,75', /misplaced thousands separator.*decimal separator ","/)
    rejects('1.234,56', /separators after the decimal/)
    rejects('1.2.3', /more than one decimal separator/)
    rejects('1,234 567', /misplaced thousands separator/)
    rejects('1,234.56', /separators after the decimal.*decimal separator "."/, ',')
    rejects('5.', /not a number/)
    rejects('0.000000001', /cannot be stored: .*more than 8 decimal places/)
    rejects('NaN', /not a number/)
    expect(() => parseBrokerNumber('x')).toThrow(DecimalError)
  })

  it('reads percentages only when allowed, as written', () => {
    expect(parseBrokerNumber('12.5%', { allowPercent: true })).toBe(1_250_000_000n)
    expect(parseBrokerNumber('-3,5 %', { allowPercent: true, decimal: ',' })).toBe(-350_000_000n)
  })

  it('reads any formatted decimal back to its value', () => {
    const separators = fc.constantFrom(',', ' ', '\u00a0', '\u202f', "'")
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        separators,
        fc.constantFrom('.', ',') as fc.Arbitrary<'.' | ','>,
        fc.boolean(),
        fc.constantFrom('', '$', '€'),
        (value: Fixed8, group, decimal, parentheses, currency) => {
          const groupSeparator = group === decimal ? '.' : group
          const text = present(value, decimal, groupSeparator, parentheses, currency)
          expect(parseBrokerNumber(text, { decimal })).toBe(value)
        },
      ),
    )
  })
})

/** Writes a value the way a broker might: grouped thousands, accounting parentheses, a symbol. */
function present(
  value: Fixed8,
  decimal: '.' | ',',
  group: string,
  parentheses: boolean,
  currency: string,
): string {
  const plain = formatDecimal(value < 0n ? -value : value)
  const [whole = '', fraction] = plain.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, group)
  const digits = fraction === undefined ? grouped : `${grouped}${decimal}${fraction}`
  const amount = `${currency}${digits}`
  if (value >= 0n) return amount
  return parentheses ? `(${amount})` : `-${amount}`
}

describe('parseBrokerNumberOrNull', () => {
  it('maps empty markers to null and parses the rest', () => {
    for (const empty of ['', '  ', '-', '--', 'N/A', 'n/a', null, undefined]) {
      expect(parseBrokerNumberOrNull(empty)).toBeNull()
    }
    expect(parseBrokerNumberOrNull('$1.50')).toBe(150_000_000n)
    expect(parseBrokerNumberOrNull('0,5', { decimal: ',' })).toBe(50_000_000n)
    expect(() => parseBrokerNumberOrNull('abc')).toThrow(/not a number/)
  })
})

describe('detectDecimalSeparator', () => {
  it('decides from decisive samples', () => {
    expect(detectDecimalSeparator(['1.234,56', '7200,75'])).toBe(',')
    expect(detectDecimalSeparator(['0,62 $', '4 577,86'])).toBe(',')
    expect(detectDecimalSeparator(['1.234.567'])).toBe(',')
    expect(detectDecimalSeparator(['0,125'])).toBe(',')
    expect(detectDecimalSeparator(['1,234.56', '0.5'])).toBe('.')
    expect(detectDecimalSeparator(['1,234,567'])).toBe('.')
    expect(detectDecimalSeparator(['1234.567'])).toBe('.')
    expect(detectDecimalSeparator(['1,234.5USDT', '$(400.00)'])).toBe('.')
  })

  it('defaults to "." when nothing decides or votes tie', () => {
    expect(detectDecimalSeparator(['1,234'])).toBe('.')
    expect(detectDecimalSeparator(['1.234'])).toBe('.')
    expect(detectDecimalSeparator(['12', '', '--'])).toBe('.')
    expect(detectDecimalSeparator([])).toBe('.')
    expect(detectDecimalSeparator(['7200,75', '0.5'])).toBe('.')
    expect(detectDecimalSeparator(['1,234', '7200,75'])).toBe(',')
  })
})
