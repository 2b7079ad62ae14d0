/**
 * Numbers as brokers print them (brokers.md §1, §4 item 3): currency symbols, thousands
 * separators (',' '.' space, NBSP, narrow NBSP, apostrophe), accounting negatives "($5.00)" and
 * "$(5.00)", "- 0.08", decimal commas, glued asset codes ("0.18SOL") and Webull's "@16.53".
 * Every value ends in an exact Fixed8 through parseDecimal; nothing passes through a float.
 *
 * Deliberately rejected (DecimalError):
 * - words before the number ("BOT +1,000"): which words are noise is the importer's call;
 * - exponents ("1e5"): no broker writes them, so one is a sign of a float that lost digits;
 * - percentages, unless `allowPercent` (then "12.5%" reads as 12.5, the number as written);
 * - thousands separators off the 3-digit grid ("1,00"), which usually mean the column's decimal
 *   separator was guessed wrong;
 * - more than 8 decimal places or values beyond the Fixed8 range, as parseDecimal does.
 */
import { DecimalError, parseDecimal, type Fixed8 } from '../decimal'

export type DecimalSeparator = '.' | ','

export interface BrokerNumberOptions {
  /** The column's decimal separator (see {@link detectDecimalSeparator}); '.' by default. */
  decimal?: DecimalSeparator
  /** Accept a trailing '%' and return the number as written ("12.5%" → 12.5). */
  allowPercent?: boolean
}

/**
 * Optional "@", a sign, a currency symbol (before or after the sign, inside or outside
 * parentheses), the digits, then an optional currency symbol, upper-case asset code
 * ("SOL", "USDT") or Robinhood's share suffix "S", and an optional '%'.
 */
const NUMBER_SHAPE =
  /^(?<at>@)?\s*(?<sign>[+-])?\s*(?<currency>\p{Sc})?\s*(?<innerSign>[+-])?\s*(?<open>\()?\s*(?<innerCurrency>\p{Sc})?\s*(?<body>[.,]?\d(?:[\d.,'\s]*\d)?)\s*(?<close>\))?\s*(?<suffix>\p{Sc}|[A-Z]{2,10}|S)?\s*(?<percent>%)?$/u

const EXPONENT = /\d\s*e\s*[+-]?\d/i
const EMPTY_CELLS = new Set(['', '-', '--', 'N/A'])

/** Parses one broker cell to an exact decimal; throws DecimalError saying what is wrong. */
export function parseBrokerNumber(text: string, options: BrokerNumberOptions = {}): Fixed8 {
  const decimal = options.decimal ?? '.'
  const trimmed = text.trim()
  if (trimmed === '') throw new DecimalError('empty cell is not a number')
  if (EXPONENT.test(trimmed)) {
    throw new DecimalError(`"${text}" uses exponent notation, which is not accepted`)
  }
  const groups = NUMBER_SHAPE.exec(trimmed)?.groups
  if (!groups?.body) throw new DecimalError(`"${text}" is not a number`)
  if (groups.percent && !options.allowPercent) {
    throw new DecimalError(`"${text}" is a percentage; pass { allowPercent: true } to accept it`)
  }
  if (Boolean(groups.open) !== Boolean(groups.close)) {
    throw new DecimalError(`"${text}" has unbalanced parentheses`)
  }
  const signs = [groups.sign, groups.innerSign, groups.open].filter(Boolean).length
  if (signs > 1) throw new DecimalError(`"${text}" has more than one sign`)
  if (groups.currency && groups.innerCurrency) {
    throw new DecimalError(`"${text}" has two currency symbols`)
  }

  const negative = groups.sign === '-' || groups.innerSign === '-' || Boolean(groups.open)
  const plain = `${negative ? '-' : ''}${plainDigits(groups.body, decimal, text)}`
  try {
    return parseDecimal(plain)
  } catch (error) {
    if (error instanceof DecimalError) {
      throw new DecimalError(`"${text}" (read as ${plain}) cannot be stored: ${error.message}`)
    }
    throw error
  }
}

/** Like {@link parseBrokerNumber}, but null for a blank cell, '-', '--' or 'N/A'. */
export function parseBrokerNumberOrNull(
  text: string | null | undefined,
  options: BrokerNumberOptions = {},
): Fixed8 | null {
  if (text == null || EMPTY_CELLS.has(text.trim().toUpperCase())) return null
  return parseBrokerNumber(text, options)
}

/** "1 234,5" with decimal ',' → "1234.5": checks the thousands grid and drops the separators. */
function plainDigits(body: string, decimal: DecimalSeparator, text: string): string {
  const hint = ` (is the decimal separator "${decimal === '.' ? ',' : '.'}"?)`
  const parts = body.split(decimal)
  if (parts.length > 2) {
    throw new DecimalError(`"${text}" has more than one decimal separator "${decimal}"${hint}`)
  }
  const [whole = '', fraction] = parts
  if (fraction !== undefined && !/^\d+$/.test(fraction)) {
    throw new DecimalError(`"${text}" has separators after the decimal "${decimal}"${hint}`)
  }
  if (/^\d*$/.test(whole)) return fraction === undefined ? whole : `${whole || '0'}.${fraction}`

  // Any Unicode space groups thousands; one kind of separator per number.
  const spaced = whole.replace(/\s/g, ' ')
  const separators = new Set(spaced.replace(/\d/g, ''))
  const [separator] = separators
  const groupDigits = spaced.split(separator ?? '')
  const onGrid =
    separators.size === 1 &&
    separator !== decimal &&
    /^\d{1,3}$/.test(groupDigits[0] ?? '') &&
    groupDigits.slice(1).every((group) => /^\d{3}$/.test(group))
  if (!onGrid) throw new DecimalError(`"${text}" has a misplaced thousands separator${hint}`)
  const digits = groupDigits.join('')
  return fraction === undefined ? digits : `${digits}.${fraction}`
}

/**
 * Decides a column's decimal separator from its values. Each value votes when it is decisive:
 * - both '.' and ',' present: the last one is the decimal ("1.234,56" → ',');
 * - one mark repeated: it groups thousands, so the other is the decimal ("1.234.567" → ',');
 * - one mark once, not followed by exactly 3 digits: it is the decimal ("7200,75", "0.5");
 * - one mark once before exactly 3 digits is still decisive when it cannot group thousands:
 *   nothing or a leading 0 before it, or more than 3 digits ("0,125", "1234.567").
 * "1,234" alone is ambiguous and does not vote. The majority wins; no votes or a tie → '.'.
 */
export function detectDecimalSeparator(samples: Iterable<string>): DecimalSeparator {
  let commaVotes = 0
  let dotVotes = 0
  for (const sample of samples) {
    const vote = decimalEvidence(sample)
    if (vote === ',') commaVotes += 1
    if (vote === '.') dotVotes += 1
  }
  return commaVotes > dotVotes ? ',' : '.'
}

function decimalEvidence(sample: string): DecimalSeparator | null {
  const marks = sample.replace(/[^\d.,]/g, '')
  const lastDot = marks.lastIndexOf('.')
  const lastComma = marks.lastIndexOf(',')
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ','
  if (lastDot < 0 && lastComma < 0) return null
  const mark: DecimalSeparator = lastDot >= 0 ? '.' : ','
  const parts = marks.split(mark)
  if (parts.length > 2) return mark === '.' ? ',' : '.'
  const [whole = '', fraction = ''] = parts
  if (fraction.length !== 3) return mark
  if (whole === '' || whole.startsWith('0') || whole.length > 3) return mark
  return null
}
