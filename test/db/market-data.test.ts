import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Method, MethodInput, MethodResult, RpcError } from '../../contract'
import { formatDecimal } from '../../core/decimal'
import { scaledText, type ScaledDecimal } from '../../core/scaled'
import { decimalSql, writeIndicator } from '../../db/queries/market-data'
import { createServices } from '../../services'
import { dispatch } from '../../services/dispatch'
import { journalContent } from '../support/content'
import { useTempJournal } from '../support/journal'

/** A chart column's values as decimal text. */
const decimals = (column: readonly ScaledDecimal[]) => column.map(scaledText)

const fixture = (name: string, text?: string) => ({
  name,
  content: Buffer.from(text ?? readFileSync(`test/fixtures/candles/${name}`, 'utf8')).toString(
    'base64',
  ),
})

describe('market data through the contract', () => {
  const temp = useTempJournal()

  async function call<M extends Method>(
    method: M,
    input: MethodInput<M>,
  ): Promise<MethodResult<M>> {
    const response = await dispatch(createServices(temp.ctx), method, input)
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`)
    return response.value as MethodResult<M>
  }
  async function refused<M extends Method>(method: M, input: MethodInput<M>): Promise<RpcError> {
    const response = await dispatch(createServices(temp.ctx), method, input)
    if (response.ok) throw new Error(`${method} succeeded`)
    return response.error
  }
  const count = (table: string) =>
    Number(temp.journal.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get())

  const importXyz = () =>
    call('candles.import', {
      file: fixture('xyz-1m-ny.csv'),
      symbol: 'XYZ',
      timeframe: '1m',
      timezone: 'America/New_York',
    })

  describe('candles.import', () => {
    it('imports, reports the one missing minute, and counts a second import as duplicates', async () => {
      const first = await importXyz()
      expect(first).toMatchObject({
        status: 'imported',
        symbol: 'XYZ',
        candles: 9,
        duplicates: 0,
        first: '2024-03-04T14:30:00.000Z',
        last: '2024-03-05T14:31:00.000Z',
        session: { timezone: 'America/New_York', dayStart: '00:00', everyDay: false },
        // 09:35 then 09:37 New York: 09:36 (14:36Z) is missing; the night is no gap.
        gaps: [{ from: '2024-03-04T14:36:00.000Z', to: '2024-03-04T14:37:00.000Z', missing: 1 }],
        gapCount: 1,
        errors: [],
      })
      const before = journalContent(temp.journal.sqlite)
      const again = await importXyz()
      expect(again).toMatchObject({ status: 'imported', candles: 0, duplicates: 9, warnings: [] })
      expect(journalContent(temp.journal.sqlite)).toEqual(before)
    })

    it('rejects a file with bad rows whole, listing each, and writes nothing', async () => {
      const before = journalContent(temp.journal.sqlite)
      const result = await call('candles.import', {
        file: fixture('bad-rows.csv'),
        symbol: 'NEW',
        timeframe: '1m',
      })
      expect(result.status).toBe('rejected')
      expect(result.candles).toBe(0)
      expect(result.errors.map((e) => `${e.line} ${e.column}: ${e.message}`)).toEqual([
        '3 high: high 99 is below low 101',
        '4 open: open -1 must be greater than 0',
        '5 high: high 100.2 is below close 100.5',
        "6 time: 'not a time' is not a valid date (expected YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM)",
        '7 volume: volume -3 must be 0 or more',
        '8 low: low 99.5 is above close 99',
      ])
      // Not even the instrument it would have created.
      expect(journalContent(temp.journal.sqlite)).toEqual(before)
    })

    it('imports the good rows with skipInvalid and says how many it left out', async () => {
      const result = await call('candles.import', {
        file: fixture('bad-rows.csv'),
        symbol: 'NEW',
        timeframe: '1m',
        skipInvalid: true,
      })
      expect(result).toMatchObject({ status: 'imported', candles: 1, skipped: 6 })
      expect(count('market_data')).toBe(1)
    })

    it('a dry run reports and rolls back', async () => {
      const before = journalContent(temp.journal.sqlite)
      const result = await call('candles.import', {
        file: fixture('xyz-1m-ny.csv'),
        symbol: 'XYZ',
        timeframe: '1m',
        dryRun: true,
      })
      expect(result).toMatchObject({ status: 'dry-run', candles: 9 })
      expect(journalContent(temp.journal.sqlite)).toEqual(before)
    })

    it('tells a repeated row with other prices from a plain duplicate', async () => {
      const header = 'time,open,high,low,close,volume\n'
      const row = '2024-03-04T14:30:00Z,10,11,9,10.5,100\n'
      const same = await call('candles.import', {
        file: fixture('same.csv', header + row + row),
        symbol: 'R',
        timeframe: '1m',
      })
      expect(same).toMatchObject({ status: 'imported', candles: 1, duplicates: 1 })
      const other = await call('candles.import', {
        file: fixture(
          'other.csv',
          `${header}2024-03-04T14:31:00Z,10,11,9,10.5,100\n2024-03-04T14:31:00Z,10,12,9,10.5,100\n`,
        ),
        symbol: 'R',
        timeframe: '1m',
      })
      expect(other.status).toBe('rejected')
      expect(other.errors).toEqual([
        {
          line: 3,
          column: null,
          message:
            'Another row of this file has a candle at 2024-03-04T14:31:00.000Z with other prices',
        },
      ])
      // Against what an earlier import stored: kept, counted, and said.
      const changed = await call('candles.import', {
        file: fixture('changed.csv', `${header}2024-03-04T14:30:00Z,10,11,9,10.25,100\n`),
        symbol: 'R',
        timeframe: '1m',
      })
      expect(changed).toMatchObject({ status: 'imported', candles: 0, duplicates: 1 })
      expect(changed.warnings).toEqual([
        '1 candles were already stored from source "csv" with other prices; the stored ones were kept',
      ])
    })

    it('refuses candles closer together than the timeframe', async () => {
      const result = await call('candles.import', {
        file: fixture('xyz-1m-ny.csv'),
        symbol: 'XYZ',
        timeframe: '5m',
        timezone: 'America/New_York',
      })
      expect(result.status).toBe('rejected')
      expect(result.errors[0]).toEqual({
        line: 3,
        column: null,
        message:
          '2024-03-04T14:31:00.000Z is 60 s from the candle on line 2, closer than one 5m candle: is the timeframe right?',
      })
    })

    it('stamps daily candles with 00:00 of their trading day in the session zone', async () => {
      // A CME future: days roll at 17:00 Chicago. 2024-03-04 (a date, read as 00:00 Chicago)
      // is in Monday's trading day, stamped 00:00 CST = 06:00Z; after DST, 00:00 CDT = 05:00Z.
      const result = await call('candles.import', {
        file: fixture(
          'es.csv',
          'date,open,high,low,close,volume\n2024-03-04,5100,5120,5090,5110,1000\n2024-03-11,5150,5160,5140,5155,900\n',
        ),
        symbol: 'ES',
        assetClass: 'future',
        timeframe: '1d',
      })
      expect(result).toMatchObject({
        status: 'imported',
        session: { timezone: 'America/Chicago', dayStart: '17:00' },
        first: '2024-03-04T06:00:00.000Z',
        last: '2024-03-11T05:00:00.000Z',
        // 5–8 March are missing trading days; the weekend is not.
        gaps: [{ from: '2024-03-05T06:00:00.000Z', to: '2024-03-11T05:00:00.000Z', missing: 4 }],
      })
    })
  })

  describe('candles.list', () => {
    it('returns stored candles as chart columns: epoch seconds and scaled integers', async () => {
      await importXyz()
      const series = await call('candles.list', { symbol: 'xyz', timeframe: '1m', limit: 4 })
      expect(series).toMatchObject({
        symbol: 'XYZ',
        timeframe: '1m',
        aggregatedFrom: null,
        time: [1709562600, 1709562660, 1709562720, 1709562780],
        open: [100_00000000, 100_20000000, 100_70000000, 100_40000000],
        next: '2024-03-04T14:34:00.000Z',
      })
      expect(decimals(series.high)).toEqual(['100.5', '100.8', '100.75', '100.6'])
      expect(decimals(series.low)).toEqual(['99.9', '100.1', '100.3', '100'])
      expect(decimals(series.close)).toEqual(['100.2', '100.7', '100.4', '100.1'])
      expect(decimals(series.volume)).toEqual(['1000', '500', '700', '300'])
      const rest = await call('candles.list', {
        symbol: 'XYZ',
        timeframe: '1m',
        from: series.next ?? undefined,
      })
      expect(rest.time).toHaveLength(5)
      expect(rest.next).toBeNull()
    })

    it('aggregates on demand from the finest stored timeframe (worked in test/unit/candles.test.ts)', async () => {
      await importXyz()
      const fiveMinutes = await call('candles.list', {
        symbol: 'XYZ',
        timeframe: '5m',
        timezone: 'America/New_York',
      })
      expect(fiveMinutes).toMatchObject({
        aggregatedFrom: '1m',
        time: [1709562600, 1709562900, 1709649000],
        open: [100_00000000, 99_95000000, 101_00000000],
        gapCount: 0,
      })
      expect(decimals(fiveMinutes.high)).toEqual(['100.8', '100.3', '101.5'])
      expect(decimals(fiveMinutes.low)).toEqual(['99.8', '99.7', '100.9'])
      expect(decimals(fiveMinutes.close)).toEqual(['99.95', '100.25', '101.1'])
      expect(decimals(fiveMinutes.volume)).toEqual(['2900', '800', '1050'])
      const days = await call('candles.list', {
        symbol: 'XYZ',
        timeframe: '1d',
        timezone: 'America/New_York',
        from: '2024-03-05',
        to: '2024-03-05',
      })
      // 5 March only: 00:00 New York = 05:00Z.
      expect(days).toMatchObject({ time: [1709614800] })
      expect(decimals(days.close)).toEqual(['101.1'])
      expect(decimals(days.volume)).toEqual(['1050'])
      const hours = await call('candles.list', { symbol: 'XYZ', timeframe: '1h', limit: 1 })
      expect(hours).toMatchObject({ time: [1709560800], next: '2024-03-05T14:00:00.000Z' })
    })

    it('says what is missing rather than inventing candles', async () => {
      await call('candles.import', {
        file: fixture('spy-daily-yahoo.csv'),
        symbol: 'SPY',
        timeframe: '1d',
        timezone: 'America/New_York',
      })
      expect(await refused('candles.list', { symbol: 'SPY', timeframe: '1h' })).toMatchObject({
        code: 'not_found',
        message: 'No SPY candles at 1h or at a finer timeframe that adds up to it (stored: 1d)',
      })
      expect(await refused('candles.list', { symbol: 'NOPE', timeframe: '1d' })).toMatchObject({
        code: 'not_found',
      })
      const daily = await call('candles.list', {
        symbol: 'SPY',
        timeframe: '1d',
        timezone: 'America/New_York',
      })
      expect(daily.gaps).toEqual([
        { from: '2024-03-06T05:00:00.000Z', to: '2024-03-08T05:00:00.000Z', missing: 2 },
      ])
    })

    it('finds a futures contract however its year is written', async () => {
      await call('candles.import', {
        file: fixture(
          'esz4.csv',
          'time,open,high,low,close\n2024-12-02T15:00:00Z,6050,6060,6040,6055\n',
        ),
        symbol: 'ESZ4',
        assetClass: 'future',
        timeframe: '1h',
      })
      const series = await call('candles.list', { symbol: 'ESZ2024', timeframe: '1h' })
      expect(series).toMatchObject({ symbol: 'ESZ24', assetClass: 'future' })
      expect(decimals(series.close)).toEqual(['6055'])
    })

    it('asks for the asset class when a symbol names two instruments', async () => {
      await importXyz()
      await call('candles.import', {
        file: fixture('xyz-1m-ny.csv'),
        symbol: 'XYZ',
        assetClass: 'crypto',
        timeframe: '1m',
      })
      expect(await refused('candles.list', { symbol: 'XYZ', timeframe: '1m' })).toMatchObject({
        code: 'invalid_input',
        message: '"XYZ" names 2 instruments (crypto, stock): give the asset class',
      })
      const crypto = await call('candles.list', {
        symbol: 'XYZ',
        assetClass: 'crypto',
        timeframe: '1m',
      })
      expect(crypto.assetClass).toBe('crypto')
    })

    it('formats fixed8 in SQL exactly as formatDecimal, to the ends of the INTEGER range', () => {
      const sql = temp.journal.sqlite
        .prepare(`WITH v(x) AS (SELECT ?) SELECT ${decimalSql('x')} FROM v`)
        .pluck()
      fc.assert(
        fc.property(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (scaled) => {
          expect(sql.get(scaled)).toBe(formatDecimal(scaled))
        }),
      )
    })

    it('sends values past 2^53 as decimal text, stored or aggregated, and the rest as integers', async () => {
      // 2^53 - 1 and 2^53 scaled, 17 significant digits, and a price of 10^16 scaled.
      const volumes = ['90071992.54740991', '90071992.54740992', '123456789.12345678', '5']
      await call('candles.import', {
        file: fixture(
          'big.csv',
          [
            'time,open,high,low,close,volume',
            `2024-03-04T14:30:00Z,1,1,1,1,${volumes[0]}`,
            `2024-03-04T14:31:00Z,1,1,1,1,${volumes[1]}`,
            `2024-03-04T14:32:00Z,1,1,1,1,${volumes[2]}`,
            `2024-03-04T14:33:00Z,100000000,100000000,100000000,100000000,${volumes[3]}`,
          ].join('\n'),
        ),
        symbol: 'BIG',
        timeframe: '1m',
      })
      const stored = await call('candles.list', { symbol: 'BIG', timeframe: '1m' })
      expect(stored.volume).toEqual([
        9007199254740991,
        '90071992.54740992',
        '123456789.12345678',
        5_00000000,
      ])
      expect(stored.open).toEqual([1_00000000, 1_00000000, 1_00000000, '100000000'])
      // Without the larger values the page is read as plain integers, up to 2^53 - 1.
      const safe = await call('candles.list', {
        symbol: 'BIG',
        timeframe: '1m',
        to: '2024-03-04T14:31:00Z',
      })
      expect(safe).toMatchObject({ volume: [9007199254740991], open: [1_00000000], next: null })
      const none = await call('candles.list', {
        symbol: 'BIG',
        timeframe: '1m',
        from: '2024-03-05T00:00:00Z',
      })
      expect(none).toMatchObject({ time: [], open: [], volume: [], next: null })
      // As the transport carries it: JSON, then text again.
      const sent = JSON.parse(JSON.stringify(stored)) as typeof stored
      expect(decimals(sent.volume)).toEqual(volumes)
      expect(decimals(sent.high)).toEqual(['1', '1', '1', '100000000'])
      const aggregated = await call('candles.list', { symbol: 'BIG', timeframe: '5m' })
      expect(aggregated).toMatchObject({
        aggregatedFrom: '1m',
        open: [1_00000000],
        high: ['100000000'],
        low: [1_00000000],
        close: ['100000000'],
        volume: ['303600779.21827661'],
      })
    })
  })

  describe('indicators', () => {
    it('computes RSI(3) over the closes and stores it once per candle, recomputing in place', async () => {
      await importXyz()
      const result = await call('indicators.compute', {
        symbol: 'XYZ',
        timeframe: '1m',
        indicator: 'rsi',
        period: 3,
      })
      // 9 closes: 100.2 100.7 100.4 100.1 99.95 100 100.25 101.4 101.1; RSI from the 4th on.
      expect(result).toMatchObject({ candles: 9, points: 6, parameters: { period: 3 } })
      const series = await call('indicators.list', {
        symbol: 'XYZ',
        timeframe: '1m',
        indicator: 'rsi',
        period: 3,
        limit: 2,
      })
      // changes +0.5 −0.3 −0.3 −0.15 …
      // index 3: gain 0.5/3 = 1/6, loss 0.6/3 = 0.2 → RS 5/6 → 100 − 100/(11/6) = 45.4545…
      // index 4: gain (1/6·2)/3 = 1/9, loss (0.2·2 + 0.15)/3 = 11/60 → RS 20/33
      //   → 100 − 100·33/53 = 37.7358490566…
      expect(series).toMatchObject({
        outputs: ['value'],
        time: [1709562780, 1709562840],
        values: { value: [45_45454545, 37_73584906] },
        next: '2024-03-04T14:35:00.000Z',
      })
      expect(decimals(series.values.value ?? [])).toEqual(['45.45454545', '37.73584906'])
      const rest = await call('indicators.list', {
        symbol: 'XYZ',
        timeframe: '1m',
        indicator: 'rsi',
        period: 3,
        from: series.next ?? undefined,
      })
      expect(rest).toMatchObject({ time: [1709562900, 1709563020, 1709649000, 1709649060] })
      expect(rest.next).toBeNull()
      await call('indicators.compute', {
        symbol: 'XYZ',
        timeframe: '1m',
        indicator: 'rsi',
        period: 3,
      })
      expect(count('technical_indicators')).toBe(6)
      const parameters = temp.journal.sqlite
        .prepare('SELECT DISTINCT parameters FROM technical_indicators')
        .pluck()
        .all()
      expect(parameters).toEqual(['{"period":3}'])
      const latest = await call('indicators.latest', { symbol: 'XYZ' })
      expect(latest).toEqual([
        expect.objectContaining({ indicator: 'rsi', time: '2024-03-05T14:31:00.000Z' }),
      ])
    })

    it('stores MACD outputs together; the histogram is the line minus the signal', async () => {
      await importXyz()
      await call('indicators.compute', {
        symbol: 'XYZ',
        timeframe: '1m',
        indicator: 'macd',
        fast: 2,
        slow: 3,
        signal: 2,
      })
      const series = await call('indicators.list', {
        symbol: 'XYZ',
        timeframe: '1m',
        indicator: 'macd',
        fast: 2,
        slow: 3,
        signal: 2,
      })
      expect(series.outputs).toEqual(['macd', 'signal', 'histogram'])
      // The first point needs slow (3) + signal (2) − 1 = 4 candles.
      expect(series.time[0]).toBe(1709562780)
      // closes 100.2 100.7 100.4 100.1: EMA2 = 100.45, 100.41666667, 100.20555556;
      // EMA3 = 100.43333333, 100.26666667; line at index 2 = −0.01666667, index 3 = −0.06111111;
      // signal = (−0.01666667 − 0.06111111)/2 = −0.03888889; histogram = −0.02222222
      expect(series.values.macd?.[0]).toBe(-6111111)
      expect(series.values.signal?.[0]).toBe(-3888889)
      expect(series.values.histogram?.[0]).toBe(-2222222)
    })

    it('sends computed values past 2^53 as decimal text and the rest as integers, one output or several', async () => {
      const closes = ['1', '100000000', '2.5']
      await call('candles.import', {
        file: fixture(
          'big.csv',
          [
            'time,open,high,low,close',
            ...closes.map(
              (close, i) => `2024-03-04T14:3${i}:00Z,${close},${close},${close},${close}`,
            ),
          ].join('\n'),
        ),
        symbol: 'BIG',
        timeframe: '1m',
      })
      // Period 1: the mean of one close, and bands of width 0, are that close.
      const sma = { symbol: 'BIG', timeframe: '1m', indicator: 'sma', period: 1 } as const
      const bands = { symbol: 'BIG', timeframe: '1m', indicator: 'bbands', period: 1 } as const
      await call('indicators.compute', sma)
      await call('indicators.compute', bands)
      const single = await call('indicators.list', sma)
      expect(single.values).toEqual({ value: [1_00000000, '100000000', 2_50000000] })
      const multi = await call('indicators.list', bands)
      expect(multi.outputs).toEqual(['middle', 'upper', 'lower'])
      for (const output of multi.outputs) {
        expect(multi.values[output]).toEqual([1_00000000, '100000000', 2_50000000])
      }
      // As the transport carries it: JSON, then text again.
      for (const series of [single, multi]) {
        const sent = JSON.parse(JSON.stringify(series)) as typeof series
        for (const column of Object.values(sent.values)) expect(decimals(column)).toEqual(closes)
      }
    })

    it('reads stored values exactly at 2^53 and to the ends of the INTEGER range', async () => {
      await importXyz()
      const instrumentId = temp.journal.sqlite
        .prepare(`SELECT id FROM instruments WHERE symbol = 'XYZ'`)
        .pluck()
        .get() as string
      const day = (n: number) => Date.UTC(2024, 2, 4 + n)
      const stored = [2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n) + 1n]
      writeIndicator(
        temp.journal.sqlite,
        { instrumentId, timeframe: '1d', indicator: 'sma', parameters: '{"period":7}' },
        stored.map((value, i) => ({ time: day(i), value, outputs: null })),
      )
      const single = await call('indicators.list', {
        symbol: 'XYZ',
        timeframe: '1d',
        indicator: 'sma',
        period: 7,
      })
      expect(single.values).toEqual({
        value: [
          9007199254740991,
          '90071992.54740992',
          '-90071992.54740992',
          '92233720368.54775807',
          '-92233720368.54775807',
        ],
      })
      const sent = JSON.parse(JSON.stringify(single)) as typeof single
      expect(decimals(sent.values.value ?? [])).toEqual(stored.map(formatDecimal))
      // Several outputs live in one JSON object per point; a point lacking one is left out.
      const parameters = '{"fast":2,"slow":3,"signal":2}'
      writeIndicator(
        temp.journal.sqlite,
        { instrumentId, timeframe: '1d', indicator: 'macd', parameters },
        [
          {
            time: day(0),
            value: null,
            outputs: { macd: 2 ** 53, signal: 2 ** 53 - 1, histogram: 1 },
          },
          { time: day(1), value: null, outputs: { macd: -5, signal: 0, histogram: -5 } },
        ],
      )
      temp.journal.sqlite
        .prepare(
          `INSERT INTO technical_indicators (instrument_id, timeframe, timestamp, indicator,
             parameters, outputs) VALUES (?, '1d', ?, 'macd', ?, '{"macd":1,"signal":1}')`,
        )
        .run(instrumentId, day(2), parameters)
      const multi = await call('indicators.list', {
        symbol: 'XYZ',
        timeframe: '1d',
        indicator: 'macd',
        fast: 2,
        slow: 3,
        signal: 2,
      })
      expect(multi).toMatchObject({
        outputs: ['macd', 'signal', 'histogram'],
        time: [day(0) / 1000, day(1) / 1000],
        values: {
          macd: ['90071992.54740992', -5],
          signal: [9007199254740991, 0],
          histogram: [1, -5],
        },
      })
    })

    it('refuses parameters that make no sense', async () => {
      await importXyz()
      expect(
        await refused('indicators.compute', {
          symbol: 'XYZ',
          timeframe: '1m',
          indicator: 'macd',
          fast: 26,
          slow: 12,
        }),
      ).toMatchObject({ code: 'invalid_input', message: 'fast (26) must be below slow (12)' })
    })
  })

  describe('volumeProfile.get', () => {
    it('puts each candle’s volume on its close row and stores the profile once', async () => {
      await importXyz()
      const input = {
        symbol: 'XYZ',
        from: '2024-03-04',
        to: '2024-03-04',
        method: 'close' as const,
        rowSize: '0.5',
        timezone: 'America/New_York',
      }
      const profile = await call('volumeProfile.get', input)
      // 4 March closes: 100.2, 100.7, 100.4, 100.1, 99.95, 100, 100.25
      // row 100: 1000 + 700 + 300 + 600 + 200 = 2800; row 100.5: 500; row 99.5: 400
      // 70 % of 3700 = 2590 ≤ 2800: the value area is the POC row alone, 100 to 100.5.
      expect(profile).toMatchObject({
        timeframe: '1m',
        candles: 7,
        total: '3700',
        pointOfControl: '100',
        valueAreaLow: '100',
        valueAreaHigh: '100.5',
        levels: [
          { price: '99.5', volume: '400' },
          { price: '100', volume: '2800' },
          { price: '100.5', volume: '500' },
        ],
        from: '2024-03-04T14:30:00.000Z',
        to: '2024-03-04T14:38:00.000Z',
      })
      await call('volumeProfile.get', input)
      expect(count('volume_profile')).toBe(3)
    })

    it('refuses a row size that would make more than 10,000 price rows', async () => {
      await importXyz()
      // The 4 March candles span 99.9 to 100.8: 0.9 / 0.00001 = 90,001 rows.
      const error = await refused('volumeProfile.get', {
        symbol: 'XYZ',
        from: '2024-03-04',
        to: '2024-03-04',
        method: 'range',
        rowSize: '0.00001',
        timezone: 'America/New_York',
      })
      expect(error).toMatchObject({ code: 'invalid_input' })
      expect(error.message).toMatch(/price rows over this range; at most 10000/)
      expect(count('volume_profile')).toBe(0)
    })
  })

  describe('order book', () => {
    it('imports snapshots and shows the one in force at a time', async () => {
      const result = await call('orderBook.import', {
        file: fixture('order-book.csv'),
        symbol: 'XYZ',
      })
      expect(result).toMatchObject({ status: 'imported', rows: 6, snapshots: 2, duplicates: 0 })
      const book = await call('orderBook.get', { symbol: 'XYZ', at: '2024-03-04T14:30:59Z' })
      expect(book).toEqual({
        symbol: 'XYZ',
        capturedAt: '2024-03-04T14:30:00.000Z',
        source: 'csv',
        bids: [
          { level: 0, price: '100.1', size: '500', orders: 4 },
          { level: 1, price: '100.05', size: '800', orders: null },
        ],
        asks: [
          { level: 0, price: '100.15', size: '300', orders: 2 },
          { level: 1, price: '100.2', size: '1200', orders: 9 },
        ],
      })
      expect(
        (await call('orderBook.get', { symbol: 'XYZ', at: '2024-03-04T14:31:00Z' })).bids,
      ).toHaveLength(1)
      expect(
        (await call('orderBook.get', { symbol: 'XYZ', at: '2024-03-04T14:29:00Z' })).capturedAt,
      ).toBeNull()
      const again = await call('orderBook.import', {
        file: fixture('order-book.csv'),
        symbol: 'XYZ',
      })
      expect(again).toMatchObject({ rows: 0, duplicates: 6 })
    })

    it('rejects a bad level with its line and column', async () => {
      const result = await call('orderBook.import', {
        file: fixture(
          'book.csv',
          'captured_at,side,level,price,size\n2024-03-04T14:30:00Z,middle,0,0,5\n',
        ),
        symbol: 'XYZ',
      })
      expect(result.status).toBe('rejected')
      expect(result.errors.map((e) => [e.line, e.column])).toEqual([
        [2, 'side'],
        [2, 'price'],
      ])
      expect(count('order_book')).toBe(0)
    })
  })

  describe('fundamentals', () => {
    it('imports company, statistics and holders, and shows the newest beside the symbol', async () => {
      expect(await call('fundamentals.import', { file: fixture('company.csv') })).toMatchObject({
        kind: 'company',
        status: 'imported',
        rows: 1,
        symbols: ['XYZ'],
      })
      expect(
        await call('fundamentals.import', { file: fixture('key-statistics.csv') }),
      ).toMatchObject({
        kind: 'statistics',
        rows: 2,
        replaced: 0,
      })
      expect(
        await call('fundamentals.import', { file: fixture('holders.csv'), symbol: 'XYZ' }),
      ).toMatchObject({ kind: 'holders', rows: 3 })
      // 3.4T scaled is past the fixed8 range: that row's error, the file rejected whole.
      const tooBig = await call('fundamentals.import', {
        file: fixture('big.csv', 'symbol,as_of,market_cap\nXYZ,2024-04-01,3.4T\n'),
      })
      expect(tooBig).toMatchObject({ status: 'rejected', rows: 0 })
      expect(tooBig.errors).toEqual([
        { line: 2, column: 'market_cap', message: '"3.4T" exceeds 92233720368.54775807' },
      ])
      const view = await call('fundamentals.get', { symbol: 'XYZ' })
      expect(view.company).toMatchObject({
        name: 'XYZ Holdings Inc.',
        sector: 'Technology',
        country: 'US',
        employees: 12500,
        ipoDate: '2004-08-19',
        fiscalYearEnd: '12-31',
      })
      expect(view.statistics).toMatchObject({
        asOf: '2024-03-01',
        values: {
          marketCap: '2500000000',
          peRatio: '31.2',
          dividendYield: '0.55',
          sharesOutstanding: '78000000',
          fiftyTwoWeekHigh: '120.5',
          forwardPe: null,
        },
      })
      // Vanguard's latest report (31 Dec), not September's; largest holding first.
      expect(view.holders).toEqual([
        {
          holder: 'Vanguard Group Inc',
          shares: '6500000',
          value: '650000000',
          percentHeld: '8.33',
          changeShares: null,
          reportedDate: '2023-12-31',
        },
        expect.objectContaining({ holder: 'Blackrock Inc.', shares: '5100000' }),
      ])
      const again = await call('fundamentals.import', { file: fixture('key-statistics.csv') })
      expect(again).toMatchObject({ rows: 2, replaced: 2 })
      expect(count('key_statistics')).toBe(2)
    })

    it('needs a symbol for files without a symbol column', async () => {
      const result = await call('fundamentals.import', { file: fixture('holders.csv') })
      expect(result.status).toBe('rejected')
      expect(result.errors[0]?.message).toBe(
        'The row names no symbol: add a symbol column or give the symbol',
      )
      expect(count('instruments')).toBe(0)
    })
  })
})
