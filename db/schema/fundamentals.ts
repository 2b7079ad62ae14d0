/**
 * Company fundamentals per instrument, as fetched from a data source. Cached reference data:
 * rows are replaced when refetched.
 */
import { sql } from 'drizzle-orm'
import { check, index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import {
  col,
  currencyCheck,
  dateCheck,
  epochMs,
  fixed8,
  int,
  notBlankCheck,
  NOW_MS,
  timestamps,
  uuidPk,
} from './columns'
import { instruments } from './instruments'

export const companyInfo = sqliteTable(
  'company_info',
  {
    id: uuidPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    sector: text('sector'),
    industry: text('industry'),
    /** ISO 3166-1 alpha-2. */
    country: text('country'),
    currency: text('currency'),
    website: text('website'),
    employees: int('employees'),
    ipoDate: text('ipo_date'),
    fiscalYearEnd: text('fiscal_year_end'),
    dataSource: text('data_source').notNull(),
    fetchedAt: epochMs('fetched_at').notNull().default(NOW_MS),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('company_info_instrument_unique')
      .on(t.instrumentId)
      .where(sql`${col(t.deletedAt)} IS NULL`),
    index('company_info_sector_idx').on(t.sector, t.industry),
    notBlankCheck('company_info_name_not_blank', t.name),
    check('company_info_country_code', sql`${col(t.country)} GLOB '[A-Z][A-Z]'`),
    currencyCheck('company_info_currency_code', t.currency),
    check('company_info_employees_non_negative', sql`${col(t.employees)} >= 0`),
    dateCheck('company_info_ipo_date_date', t.ipoDate),
    check(
      'company_info_fiscal_year_end_mm_dd',
      sql`${col(t.fiscalYearEnd)} GLOB '[01][0-9]-[0-3][0-9]'`,
    ),
    notBlankCheck('company_info_data_source_not_blank', t.dataSource),
  ],
)

/** Valuation and trading statistics as of a date. Ratios are fixed8 like every amount. */
export const keyStatistics = sqliteTable(
  'key_statistics',
  {
    id: uuidPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    asOf: text('as_of').notNull(),
    marketCap: fixed8('market_cap'),
    enterpriseValue: fixed8('enterprise_value'),
    peRatio: fixed8('pe_ratio'),
    forwardPe: fixed8('forward_pe'),
    pegRatio: fixed8('peg_ratio'),
    priceToBook: fixed8('price_to_book'),
    priceToSales: fixed8('price_to_sales'),
    eps: fixed8('eps'),
    /** Percent (2.5 = 2.5 %). */
    dividendYield: fixed8('dividend_yield'),
    beta: fixed8('beta'),
    sharesOutstanding: fixed8('shares_outstanding'),
    floatShares: fixed8('float_shares'),
    shortInterest: fixed8('short_interest'),
    averageVolume: fixed8('average_volume'),
    fiftyTwoWeekHigh: fixed8('fifty_two_week_high'),
    fiftyTwoWeekLow: fixed8('fifty_two_week_low'),
    dataSource: text('data_source').notNull(),
    fetchedAt: epochMs('fetched_at').notNull().default(NOW_MS),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('key_statistics_instrument_as_of_unique').on(t.instrumentId, t.asOf, t.dataSource),
    dateCheck('key_statistics_as_of_date', t.asOf),
    check(
      'key_statistics_counts_non_negative',
      sql`${col(t.marketCap)} >= 0 AND ${col(t.sharesOutstanding)} >= 0 AND ${col(t.floatShares)} >= 0
        AND ${col(t.shortInterest)} >= 0 AND ${col(t.averageVolume)} >= 0`,
    ),
    check(
      'key_statistics_52w_range_ordered',
      sql`${col(t.fiftyTwoWeekHigh)} >= ${col(t.fiftyTwoWeekLow)}`,
    ),
    notBlankCheck('key_statistics_data_source_not_blank', t.dataSource),
  ],
)

export const institutionalHolders = sqliteTable(
  'institutional_holders',
  {
    id: uuidPk(),
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    holderName: text('holder_name').notNull(),
    shares: fixed8('shares').notNull(),
    /** Market value of the holding on the report date, in the instrument's currency. */
    value: fixed8('value'),
    /** Percent of shares outstanding (5 = 5 %). */
    percentHeld: fixed8('percent_held'),
    /** Change in shares since the previous report. */
    changeShares: fixed8('change_shares'),
    reportedDate: text('reported_date').notNull(),
    dataSource: text('data_source').notNull(),
    fetchedAt: epochMs('fetched_at').notNull().default(NOW_MS),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('institutional_holders_holding_unique').on(
      t.instrumentId,
      t.reportedDate,
      t.holderName,
      t.dataSource,
    ),
    notBlankCheck('institutional_holders_holder_name_not_blank', t.holderName),
    check('institutional_holders_shares_non_negative', sql`${col(t.shares)} >= 0`),
    check('institutional_holders_value_non_negative', sql`${col(t.value)} >= 0`),
    check(
      'institutional_holders_percent_held_range',
      sql`${col(t.percentHeld)} BETWEEN 0 AND 10000000000`,
    ),
    dateCheck('institutional_holders_reported_date_date', t.reportedDate),
    notBlankCheck('institutional_holders_data_source_not_blank', t.dataSource),
  ],
)
