/**
 * Futures: the point values brokers leave out of their files (brokers.md §1, §3.4), and contract
 * symbols in every notation the supported platforms print. Canonical code: ROOT + month letter +
 * 2-digit year ("ESZ24"); see docs/decisions/0007.
 */
import { parseDecimal, type Fixed8 } from '../decimal'

/** What P&L needs: currency per 1.0 of price, and the smallest price step when known. */
export interface FuturesPointValue {
  multiplier: Fixed8
  tickSize?: Fixed8
}

export interface FuturesSpec extends FuturesPointValue {
  root: string
  exchange: string
  /** ISO 4217 code of the currency P&L is paid in. */
  currency: string
  description: string
}

type SpecRow = [
  root: string,
  multiplier: string,
  tickSize: string | null,
  exchange: string,
  currency: string,
  description: string,
]

// Exchange contract specs. Grains, meats and ZL are quoted in cents, hence 50 ($ per cent for
// 5,000 bu) and so on; Treasury ticks are fractions of 1/32 written as decimals. PA's tick is
// left out: sources disagree.
const SPEC_ROWS: readonly SpecRow[] = [
  ['ES', '50', '0.25', 'CME', 'USD', 'E-mini S&P 500'],
  ['MES', '5', '0.25', 'CME', 'USD', 'Micro E-mini S&P 500'],
  ['NQ', '20', '0.25', 'CME', 'USD', 'E-mini Nasdaq-100'],
  ['MNQ', '2', '0.25', 'CME', 'USD', 'Micro E-mini Nasdaq-100'],
  ['YM', '5', '1', 'CBOT', 'USD', 'E-mini Dow ($5)'],
  ['MYM', '0.5', '1', 'CBOT', 'USD', 'Micro E-mini Dow'],
  ['RTY', '50', '0.1', 'CME', 'USD', 'E-mini Russell 2000'],
  ['M2K', '5', '0.1', 'CME', 'USD', 'Micro E-mini Russell 2000'],
  ['EMD', '100', '0.1', 'CME', 'USD', 'E-mini S&P MidCap 400'],
  ['NKD', '5', '5', 'CME', 'USD', 'Nikkei 225 (dollar)'],
  ['CL', '1000', '0.01', 'NYMEX', 'USD', 'Crude Oil (WTI)'],
  ['MCL', '100', '0.01', 'NYMEX', 'USD', 'Micro WTI Crude Oil'],
  ['QM', '500', '0.025', 'NYMEX', 'USD', 'E-mini Crude Oil'],
  ['NG', '10000', '0.001', 'NYMEX', 'USD', 'Henry Hub Natural Gas'],
  ['QG', '2500', '0.005', 'NYMEX', 'USD', 'E-mini Natural Gas'],
  ['RB', '42000', '0.0001', 'NYMEX', 'USD', 'RBOB Gasoline'],
  ['HO', '42000', '0.0001', 'NYMEX', 'USD', 'NY Harbor ULSD (heating oil)'],
  ['GC', '100', '0.1', 'COMEX', 'USD', 'Gold'],
  ['MGC', '10', '0.1', 'COMEX', 'USD', 'Micro Gold'],
  ['SI', '5000', '0.005', 'COMEX', 'USD', 'Silver'],
  ['SIL', '1000', '0.005', 'COMEX', 'USD', 'Micro Silver'],
  ['HG', '25000', '0.0005', 'COMEX', 'USD', 'Copper'],
  ['MHG', '2500', '0.0005', 'COMEX', 'USD', 'Micro Copper'],
  ['PL', '50', '0.1', 'NYMEX', 'USD', 'Platinum'],
  ['PA', '100', null, 'NYMEX', 'USD', 'Palladium'],
  ['ZB', '1000', '0.03125', 'CBOT', 'USD', 'U.S. Treasury Bond'],
  ['UB', '1000', '0.03125', 'CBOT', 'USD', 'Ultra U.S. Treasury Bond'],
  ['ZN', '1000', '0.015625', 'CBOT', 'USD', '10-Year T-Note'],
  ['TN', '1000', '0.015625', 'CBOT', 'USD', 'Ultra 10-Year T-Note'],
  ['ZF', '1000', '0.0078125', 'CBOT', 'USD', '5-Year T-Note'],
  ['ZT', '2000', '0.00390625', 'CBOT', 'USD', '2-Year T-Note'],
  ['6E', '125000', '0.00005', 'CME', 'USD', 'Euro FX'],
  ['M6E', '12500', '0.0001', 'CME', 'USD', 'Micro EUR/USD'],
  ['6J', '12500000', '0.0000005', 'CME', 'USD', 'Japanese Yen'],
  ['6B', '62500', '0.0001', 'CME', 'USD', 'British Pound'],
  ['6A', '100000', '0.00005', 'CME', 'USD', 'Australian Dollar'],
  ['6C', '100000', '0.00005', 'CME', 'USD', 'Canadian Dollar'],
  ['6S', '125000', '0.0001', 'CME', 'USD', 'Swiss Franc'],
  ['6M', '500000', '0.00001', 'CME', 'USD', 'Mexican Peso'],
  ['ZC', '50', '0.25', 'CBOT', 'USD', 'Corn (cents/bu)'],
  ['ZS', '50', '0.25', 'CBOT', 'USD', 'Soybeans (cents/bu)'],
  ['ZW', '50', '0.25', 'CBOT', 'USD', 'Chicago SRW Wheat (cents/bu)'],
  ['ZM', '100', '0.1', 'CBOT', 'USD', 'Soybean Meal'],
  ['ZL', '600', '0.01', 'CBOT', 'USD', 'Soybean Oil (cents/lb)'],
  ['KE', '50', '0.25', 'CBOT', 'USD', 'KC HRW Wheat (cents/bu)'],
  ['HE', '400', '0.025', 'CME', 'USD', 'Lean Hogs (cents/lb)'],
  ['LE', '400', '0.025', 'CME', 'USD', 'Live Cattle (cents/lb)'],
  ['GF', '500', '0.025', 'CME', 'USD', 'Feeder Cattle (cents/lb)'],
  ['VX', '1000', '0.05', 'CFE', 'USD', 'Cboe VIX'],
  ['BTC', '5', '5', 'CME', 'USD', 'Bitcoin'],
  ['MBT', '0.1', '5', 'CME', 'USD', 'Micro Bitcoin'],
  ['ETH', '50', '0.5', 'CME', 'USD', 'Ether'],
  ['MET', '0.1', '0.5', 'CME', 'USD', 'Micro Ether'],
  ['FDAX', '25', '1', 'EUREX', 'EUR', 'DAX'],
  ['FDXM', '5', '1', 'EUREX', 'EUR', 'Mini-DAX'],
  ['FESX', '10', '1', 'EUREX', 'EUR', 'EURO STOXX 50'],
]

/** Built-in contract specs by root. */
export const BUILT_IN_FUTURES: ReadonlyMap<string, FuturesSpec> = new Map(
  SPEC_ROWS.map(([root, multiplier, tickSize, exchange, currency, description]) => [
    root,
    {
      root,
      multiplier: parseDecimal(multiplier),
      ...(tickSize === null ? {} : { tickSize: parseDecimal(tickSize) }),
      exchange,
      currency,
      description,
    },
  ]),
)

/**
 * The point value for a root ("MES", "/MES", "mes"): the user's table first, then the built-in
 * one (a full {@link FuturesSpec}); null when neither knows it, so the importer flags the
 * instrument instead of aborting. User table keys are upper-case roots.
 */
export function futuresSpec(
  root: string,
  userTable?: Readonly<Record<string, FuturesPointValue>>,
): FuturesPointValue | null {
  const key = root.trim().replace(/^\//, '').toUpperCase()
  if (userTable && Object.hasOwn(userTable, key)) return userTable[key] ?? null
  return BUILT_IN_FUTURES.get(key) ?? null
}

export interface FuturesContract {
  root: string
  /** 1–12. */
  month: number
  /** Four digits. */
  year: number
  /** Canonical: root + month letter + 2-digit year, e.g. "ESZ24". */
  code: string
}

export interface FuturesSymbolOptions {
  /** Resolves single-digit years ("ESZ4"); usually the year of the trade or file. */
  referenceYear: number
}

const MONTH_CODES = 'FGHJKMNQUVXZ'
const MONTH_NAMES = 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' ')

const SYMBOL_NOTATIONS: readonly RegExp[] = [
  // ESZ4, ESZ24, ESZ2024; thinkorswim /NQM26 and /MESZ24:XCME; ProjectX orders CM.MNQU6.
  /^(?:\/|CM\.)?(?<root>[A-Z0-9]{1,6})(?<code>[FGHJKMNQUVXZ])(?<year>\d{4}|\d{1,2})(?::[A-Z]+)?$/,
  // ProjectX / TopstepX contract ids: CON.F.US.MES.U25.
  /^CON\.F\.US\.(?<root>[A-Z0-9]{1,6})\.(?<code>[FGHJKMNQUVXZ])(?<year>\d{1,2})$/,
  // NinjaTrader and others: MES JUN26, MES SEP 26, MNQ SEP25.
  /^\/?(?<root>[A-Z0-9]{1,6})\s+(?<name>[A-Z]{3})\s*(?<year>\d{4}|\d{2})$/,
  // NinjaTrader: MES 09-26, ES 12-24.
  /^\/?(?<root>[A-Z0-9]{1,6})\s+(?<month>\d{1,2})-(?<year>\d{4}|\d{2})$/,
]

/**
 * Reads a futures contract symbol; null when the text is not one. The root is whatever precedes
 * the month (unknown roots parse too; {@link futuresSpec} tells whether the point value is known).
 * Years: 4 digits as written, 2 digits are 20YY, 1 digit is the year ending in that digit
 * nearest to `referenceYear` (on a tie, the later one: contracts trade before they expire).
 */
export function parseFuturesSymbol(
  text: string,
  options: FuturesSymbolOptions,
): FuturesContract | null {
  if (!Number.isInteger(options.referenceYear)) {
    throw new RangeError(`referenceYear ${options.referenceYear} is not a whole year`)
  }
  const upper = text.trim().toUpperCase()
  for (const notation of SYMBOL_NOTATIONS) {
    const groups = notation.exec(upper)?.groups
    if (!groups) continue
    const { root = '', code, name, month: monthDigits, year: yearDigits = '' } = groups
    if (!/[A-Z]/.test(root)) return null
    const month = code
      ? MONTH_CODES.indexOf(code) + 1
      : name
        ? MONTH_NAMES.indexOf(name) + 1
        : Number(monthDigits)
    const year = resolveYear(yearDigits, options.referenceYear)
    if (month < 1 || month > 12 || year < 2000 || year > 2099) return null
    const twoDigitYear = (year % 100).toString().padStart(2, '0')
    return { root, month, year, code: `${root}${MONTH_CODES[month - 1]}${twoDigitYear}` }
  }
  return null
}

function resolveYear(digits: string, referenceYear: number): number {
  if (digits.length === 4) return Number(digits)
  if (digits.length === 2) return 2000 + Number(digits)
  const sameDecade = referenceYear - (referenceYear % 10) + Number(digits)
  const candidates = [sameDecade - 10, sameDecade, sameDecade + 10]
  return candidates.reduce((best, candidate) =>
    Math.abs(candidate - referenceYear) <= Math.abs(best - referenceYear) ? candidate : best,
  )
}
