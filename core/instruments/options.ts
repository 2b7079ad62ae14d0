/**
 * Option contracts in every notation the supported brokers print (brokers.md §2, §4 item 7),
 * and the one Blotter stores: the 21-character OCC symbol (docs/decisions/0007).
 *
 * Recognised (case-insensitive):
 * - OCC, padded or not: "AAPL  250117C00150000", "SPY251114C00672000" (8 strike digits = ×1000);
 * - compact root+YYMMDD+C/P+strike as written: thinkorswim "SPXW260327P6380", Fidelity
 *   "-MU250117P100" / "-MU251003P157.5", TradeStation "AAPL 250117C150", and the thinkorswim
 *   display symbol ".SPY251114C672" (from the ToS UI, not brokers.md);
 * - IBKR "SPY 18MAR22 440.0 P"; Schwab "AAPL 12/06/2024 240.00 C" (and Webull's
 *   "SPY 09/03/2026 766.00 Call"); Robinhood "SPY 3/20/2026 Call $580.00";
 * - E*TRADE "PUT  IWM    02/27/26   260.000" and "IWM Feb 27 '26 $260 Put";
 * - thinkorswim's separate Symbol/Exp/Strike/Type columns through {@link optionFromParts}.
 *
 * Not recognised (null): descriptions with company names ("PUT (MU) MICRON …"), Robinhood's
 * "Option Expiration for …" prefix (the importer strips it), non-US IBKR symbols
 * ("P LEG  20230317 69 M"), futures options ("/ES…"), and month-only expiries ("MAR 15").
 */
import type { Fixed8 } from '../decimal'
import { parseBrokerNumber } from '../parse/numbers'

export interface OptionContract {
  /** The option root as written (SPXW stays SPXW), upper case, at most 6 characters. */
  underlying: string
  /** YYYY-MM-DD. */
  expiry: string
  strike: Fixed8
  putCall: 'put' | 'call'
}

/** OCC roots: a letter, then letters, digits or '.', 6 characters in all. */
const ROOT = '[A-Z][A-Z0-9.]{0,5}'
const STRIKE = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?'
const SLASH_DATE = '(?<month>\\d{1,2})/(?<day>\\d{1,2})/(?<year>\\d{4}|\\d{2})'
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

/** OCC and compact: an optional '.' (thinkorswim) or '-' (Fidelity) first. */
const OCC_OR_COMPACT = new RegExp(
  `^[.-]?(?<root>${ROOT})\\s*(?<year>\\d{2})(?<month>\\d{2})(?<day>\\d{2})(?<type>[CP])(?<strike>\\d+(?:\\.\\d+)?)$`,
  'i',
)

const NOTATIONS: readonly RegExp[] = [
  OCC_OR_COMPACT,
  // IBKR: root, DDMMMYY, strike, C/P.
  new RegExp(
    `^(?<root>${ROOT})\\s+(?<day>\\d{1,2})(?<month>[A-Z]{3})(?<year>\\d{2})\\s+(?<strike>${STRIKE})\\s+(?<type>[CP])$`,
    'i',
  ),
  // Schwab, Webull: root, M/D/Y, strike, C/P or Call/Put.
  new RegExp(
    `^(?<root>${ROOT})\\s+${SLASH_DATE}\\s+\\$?(?<strike>${STRIKE})\\s+(?<type>CALL|PUT|C|P)$`,
    'i',
  ),
  // Robinhood: root, M/D/YYYY, Call/Put, $strike.
  new RegExp(
    `^(?<root>${ROOT})\\s+${SLASH_DATE}\\s+(?<type>CALL|PUT)\\s+\\$?(?<strike>${STRIKE})$`,
    'i',
  ),
  // E*TRADE fixed width: PUT/CALL, root, MM/DD/YY, strike.
  new RegExp(
    `^(?<type>CALL|PUT)\\s+(?<root>${ROOT})\\s+${SLASH_DATE}\\s+\\$?(?<strike>${STRIKE})$`,
    'i',
  ),
  // E*TRADE display: root, Mon DD 'YY, $strike, Call/Put.
  new RegExp(
    `^(?<root>${ROOT})\\s+(?<month>[A-Z]{3})\\s+(?<day>\\d{1,2})\\s+'?(?<year>\\d{4}|\\d{2})\\s+\\$?(?<strike>${STRIKE})\\s+(?<type>CALL|PUT)$`,
    'i',
  ),
]

/** OCC strikes are thousandths below 100,000: the largest range every notation can carry. */
const STRIKE_STEP = 10n ** 5n
const STRIKE_LIMIT = 100_000n * 10n ** 8n

/** Reads an option symbol in any notation above; null when it is not one (or is impossible). */
export function parseOptionSymbol(text: string): OptionContract | null {
  const trimmed = text.trim()
  for (const notation of NOTATIONS) {
    const groups = notation.exec(trimmed)?.groups
    if (!groups) continue
    const { root = '', year = '', month = '', day = '', strike = '', type = '' } = groups
    const expiry = isoDate(year, month, day)
    // OCC's 8 strike digits are thousandths; every other notation writes the strike as is.
    const occStrike = notation === OCC_OR_COMPACT && /^\d{8}$/.test(strike)
    const strikeValue = occStrike ? BigInt(strike) * STRIKE_STEP : readStrike(strike)
    return contract(root, expiry, strikeValue, type)
  }
  return null
}

export interface OptionParts {
  underlying: string
  /** "27 MAR 26", "27MAR26", "2026-03-27", "03/27/2026", "3/27/26" or "20260327". */
  expiry: string
  /** As printed: "580", "$580.00", "6,400". */
  strike: string
  /** CALL, PUT, C or P, any case. */
  type: string
}

const EXPIRY_FORMATS: readonly RegExp[] = [
  /^(?<day>\d{1,2})\s*(?<month>[A-Z]{3})\s*(?<year>\d{4}|\d{2})$/i,
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})$/,
  new RegExp(`^${SLASH_DATE}$`),
  /^(?<year>\d{4})(?<month>\d{2})(?<day>\d{2})$/,
]

/** Builds a contract from separate columns (thinkorswim Symbol/Exp/Strike/Type); null if invalid. */
export function optionFromParts(parts: OptionParts): OptionContract | null {
  const underlying = parts.underlying.trim()
  if (!new RegExp(`^${ROOT}$`, 'i').test(underlying)) return null
  const expiryText = parts.expiry.trim()
  for (const format of EXPIRY_FORMATS) {
    const groups = format.exec(expiryText)?.groups
    if (!groups) continue
    const { year = '', month = '', day = '' } = groups
    return contract(underlying, isoDate(year, month, day), readStrike(parts.strike), parts.type)
  }
  return null
}

/** The canonical 21-character OCC symbol: root padded to 6, YYMMDD, C/P, strike × 1000 in 8 digits. */
export function formatOcc(option: OptionContract): string {
  const { underlying, expiry, strike, putCall } = option
  if (!new RegExp(`^${ROOT}$`).test(underlying)) {
    throw new RangeError(`"${underlying}" is not an OCC option root`)
  }
  const date = /^20(\d{2})-(\d{2})-(\d{2})$/.exec(expiry)
  if (!date || isoDate(`20${date[1]}`, date[2] ?? '', date[3] ?? '') !== expiry) {
    throw new RangeError(`expiry "${expiry}" is not a date in 2000–2099`)
  }
  if (!validStrike(strike)) {
    throw new RangeError('an OCC strike is a positive multiple of 0.001 below 100000')
  }
  const strikeDigits = (strike / STRIKE_STEP).toString().padStart(8, '0')
  return `${underlying.padEnd(6, ' ')}${date.slice(1).join('')}${putCall === 'call' ? 'C' : 'P'}${strikeDigits}`
}

function contract(
  root: string,
  expiry: string | null,
  strike: Fixed8 | null,
  type: string,
): OptionContract | null {
  const putCall = readPutCall(type)
  if (!expiry || strike === null || !validStrike(strike) || !putCall) return null
  return { underlying: root.toUpperCase(), expiry, strike, putCall }
}

function readStrike(text: string): Fixed8 | null {
  try {
    return parseBrokerNumber(text)
  } catch {
    return null
  }
}

function validStrike(strike: Fixed8): boolean {
  return strike > 0n && strike < STRIKE_LIMIT && strike % STRIKE_STEP === 0n
}

function readPutCall(type: string): OptionContract['putCall'] | null {
  const upper = type.trim().toUpperCase()
  if (upper === 'C' || upper === 'CALL') return 'call'
  if (upper === 'P' || upper === 'PUT') return 'put'
  return null
}

/**
 * "YYYY-MM-DD" for a real calendar day in 2000–2099, else null. Two-digit years are 20YY;
 * months may be numbers or English abbreviations ("MAR", "Feb").
 */
function isoDate(yearText: string, monthText: string, dayText: string): string | null {
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText)
  const month = /^\d+$/.test(monthText)
    ? Number(monthText)
    : MONTHS.indexOf(monthText.toUpperCase()) + 1
  const day = Number(dayText)
  if (!Number.isInteger(year) || year < 2000 || year > 2099) return null
  if (month < 1 || month > 12 || !Number.isInteger(day) || day < 1) return null
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
  if (day > daysInMonth) return null
  const pad = (value: number) => value.toString().padStart(2, '0')
  return `${year}-${pad(month)}-${pad(day)}`
}
