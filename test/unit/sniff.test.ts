import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseTimestamp } from '../../core/time-parse'
import {
  columnKey,
  csvRecords,
  decodeFile,
  decodeFileChunks,
  detectDelimiter,
  findColumns,
  findColumnTable,
  findHeaderRow,
  headerIndex,
  isBlankRecord,
  parseCsv,
  sectionEvents,
  splitLines,
  splitSections,
  type CsvRecord,
  type Delimiter,
} from '../../importers/sniff'

const utf16le = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le'))
const utf16be = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le').swap16())
const lines = (records: readonly CsvRecord[]) => records.map((record) => record.line)
const fieldsOf = (records: readonly CsvRecord[]) => records.map((record) => record.fields)

describe('decodeFile', () => {
  const csv = 'Time,Symbol,Qté\r\n2022.10.28 12:48:49,EURAUD,0.03\r\n'

  it('strips a UTF-8 BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('Id,Price\n')])
    expect(decodeFile(bytes)).toEqual({ text: 'Id,Price\n', encoding: 'utf-8', hadBom: true })
  })

  it('reads UTF-8 without a BOM', () => {
    expect(decodeFile(new Uint8Array(Buffer.from(csv)))).toEqual({
      text: csv,
      encoding: 'utf-8',
      hadBom: false,
    })
    expect(decodeFile(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8', hadBom: false })
  })

  it('reads UTF-16LE with and without a BOM (MT5 HTML reports)', () => {
    expect(decodeFile(utf16le('\uFEFF' + csv))).toEqual({
      text: csv,
      encoding: 'utf-16le',
      hadBom: true,
    })
    expect(decodeFile(utf16le(csv))).toEqual({ text: csv, encoding: 'utf-16le', hadBom: false })
  })

  it('reads UTF-16BE with and without a BOM', () => {
    expect(decodeFile(utf16be('\uFEFF' + csv))).toEqual({
      text: csv,
      encoding: 'utf-16be',
      hadBom: true,
    })
    expect(decodeFile(utf16be(csv))).toEqual({ text: csv, encoding: 'utf-16be', hadBom: false })
  })

  it('falls back to windows-1252 when the bytes are not UTF-8', () => {
    // "Café" with a Latin-1 é (0xE9), then €, “ and ” from the 0x80–0x9F block.
    const bytes = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x35, 0x2c, 0x93, 0x78, 0x94])
    expect(decodeFile(bytes)).toEqual({
      text: 'Café,€5,“x”',
      encoding: 'windows-1252',
      hadBom: false,
    })
  })
})

describe('splitLines', () => {
  it('numbers lines ended by CRLF, LF or a lone CR', () => {
    expect(splitLines('a\r\nb\nc\rd\n\ne')).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
      { line: 3, text: 'c' },
      { line: 4, text: 'd' },
      { line: 5, text: '' },
      { line: 6, text: 'e' },
    ])
    expect(splitLines('a\nb\nc\n', 2)).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
    ])
    expect(splitLines('')).toEqual([])
  })
})

describe('detectDelimiter', () => {
  it('prefers the delimiter whose field count is consistent', () => {
    // NinjaTrader EU: decimal commas, but only the semicolons agree line to line.
    const ninja = [
      'Instrument;Action;Quantity;Price;Time;ID;E/X;Position;Order ID;Name;Commission;Rate;Account display name;Connection;',
      'MES JUN26;Sell;1;7200,75;27/04/2026 6:05:02;execution-1;Entry;1 S;order-1;Entry;0,62 $;1;Playback101;Playback;',
      'MES JUN26;Buy;1;7198,5;27/04/2026 6:09:40;execution-2;Exit;-;order-2;Exit;0,62 $;1;Playback101;Playback;',
    ]
    expect(detectDelimiter(ninja)).toBe(';')
    expect(detectDelimiter(['a\tb\tc', '1\t2,5\t3', '4\t5\t6'])).toBe('\t')
    expect(detectDelimiter(['a|b|c', '1|2|3'])).toBe('|')
  })

  it('ignores delimiters inside quotes and survives a preamble', () => {
    expect(detectDelimiter(['"a;b",c', '"1;2;3",4', '"x;y",z'])).toBe(',')
    expect(
      detectDelimiter([
        'For Account:,####3525',
        '',
        'TransactionDate,TransactionType,SecurityType,Symbol,Quantity,Amount,Price,Commission,Description',
        '',
        '04/05/23,Sold,EQ,AMZN,-2,202.19,101.1,0,AMAZON.COM INC',
        '04/05/23,Bought,EQ,SQQQ,9,-280.06,31.1176,0,PROSHARES TR',
      ]),
    ).toBe(',')
    expect(detectDelimiter(['one column', 'only'])).toBe(',')
  })
})

describe('decodeFileChunks', () => {
  const text = 'Time,Symbol,Qté\r\n2026-03-02T14:31:05Z,€UR,1\r\n'
  const joined = (bytes: Uint8Array, chunkBytes: number) => {
    const decoded = decodeFileChunks(bytes, chunkBytes)
    return { ...decoded, chunks: [...decoded.chunks].join('') }
  }

  it('gives decodeFile’s text in pieces, characters cut by a chunk edge included', () => {
    const files = [
      new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]),
      new Uint8Array(Buffer.from(text)),
      new Uint8Array([0xff, 0xfe, ...utf16le(text)]),
      utf16be(text),
      new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x35]),
    ]
    for (const bytes of files) {
      const whole = decodeFile(bytes)
      // 1, 2 and 3 bytes cut the 2-byte é and the 3-byte € of UTF-8 and the UTF-16 code units.
      for (const chunkBytes of [1, 2, 3, 7, 1 << 16]) {
        expect(joined(bytes, chunkBytes)).toEqual({
          chunks: whole.text,
          encoding: whole.encoding,
          hadBom: whole.hadBom,
        })
      }
    }
  })
})

describe('csvRecords', () => {
  // Robinhood: a quoted multi-line description, then a quoted comma.
  const robinhood = [
    '"Activity Date","Process Date","Settle Date","Instrument","Description","Trans Code","Quantity","Price","Amount"',
    '"3/3/2026","3/3/2026","3/5/2026","SPY","SPY 3/20/2026 Call $580.00","BTO","2","$3.50","($700.00)"',
    '"1/16/2026","1/16/2026","1/20/2026","TSLA","Tesla',
    'CUSIP: 88160R101',
    '1 TSLA Option Assigned","Buy","100","$440.00","($44,000.00)"',
    '"4/27/2026","4/27/2026","4/27/2026","GE","Cash Div: R/D 2026-03-09, P/D 2026-04-27","CDIV","","","$0.13"',
    '',
    '"The data provided is for informational purposes only."',
  ]

  it('keeps quoted delimiters and line breaks inside fields, and later line numbers right', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      for (const chunkSize of [1, 7, 64, 100_000]) {
        const records = parseCsv(robinhood.join(eol) + eol, { chunkSize })
        expect(lines(records)).toEqual([1, 2, 3, 6, 7, 8])
        expect(records[2]?.fields[4]).toBe('Tesla\nCUSIP: 88160R101\n1 TSLA Option Assigned')
        expect(records[2]?.fields[8]).toBe('($44,000.00)')
        expect(records[3]?.fields[4]).toBe('Cash Div: R/D 2026-03-09, P/D 2026-04-27')
        expect(records[3]?.raw).toBe(robinhood[5])
        expect(records[4]?.fields).toEqual([''])
        expect(records[5]?.fields).toEqual([
          'The data provided is for informational purposes only.',
        ])
      }
    }
  })

  it('reads a last record without a line break, and mixed line breaks', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,6', { delimiter: ',' })).toEqual([
      { line: 1, fields: ['a', 'b'], raw: 'a,b' },
      { line: 2, fields: ['1', '2'], raw: '1,2' },
      { line: 3, fields: ['3', '4'], raw: '3,4' },
      { line: 4, fields: ['5', '6'], raw: '5,6' },
    ])
    expect(parseCsv('')).toEqual([])
  })

  it('reports an unclosed quote', () => {
    const records = parseCsv('a,b\n1,"open\n2,3\n', { delimiter: ',', chunkSize: 4 })
    expect(lines(records)).toEqual([1, 2])
    expect(records[1]?.error).toMatch(/Quoted field unterminated/)
    expect(records[1]?.fields).toEqual(['1', 'open\n2,3\n'])
  })

  it('streams: records come before the whole text is parsed', () => {
    const text = 'a,b\n' + '1,2\n'.repeat(100_000)
    const records = csvRecords(text, { delimiter: ',' })
    expect(records.next().value).toEqual({ line: 1, fields: ['a', 'b'], raw: 'a,b' })
    expect(records.next().value?.line).toBe(2)
    records.return()
  })

  // NinjaTrader EU: semicolons, decimal commas, a trailing delimiter on every line.
  it('parses a semicolon file with decimal commas', () => {
    const text = [
      'Instrument;Action;Quantity;Price;Time;ID;E/X;Position;Order ID;Name;Commission;Rate;Account display name;Connection;',
      'MES JUN26;Sell;1;7200,75;27/04/2026 6:05:02;execution-1;Entry;1 S;order-1;Entry;0,62 $;1;Playback101;Playback;',
      ';;;;;;;;;;;;;;',
    ].join('\r\n')
    const records = parseCsv(text)
    expect(records).toHaveLength(3)
    const header = findHeaderRow(records, [['Instrument', 'Action', 'Price', 'Time']])
    expect(header?.index).toBe(0)
    const row = records[1]
    const price = headerIndex(header!.columns, 'price')!
    expect(row?.fields[price]).toBe('7200,75')
    expect(row?.fields[headerIndex(header!.columns, 'Commission')!]).toBe('0,62 $')
    expect(row?.fields).toHaveLength(15)
    const time = row?.fields[headerIndex(header!.columns, 'Time')!] ?? ''
    expect(new Date(parseTimestamp(time, 'eu-slash', 'Europe/Paris')).toISOString()).toBe(
      '2026-04-27T04:05:02.000Z',
    )
    expect(isBlankRecord(records[2]!)).toBe(true)
  })

  it('reads a lone CR before a CRLF as its own break wherever a chunk ends', () => {
    // Found by the property below: a cut after the first CR once made three breaks of two.
    for (const chunkSize of [1, 2, 3, 4, 100]) {
      const records = parseCsv('a\r\r\nb\n', { delimiter: ',', chunkSize })
      expect(fieldsOf(records), `chunk ${chunkSize}`).toEqual([['a'], [''], ['b']])
      expect(lines(records)).toEqual([1, 2, 3])
    }
  })

  it('returns the fields it was given, at the right lines (property)', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', '1', ' ', ',', ';', '\t', '|', '"', '\n', '\r', 'é', '€'),
      maxLength: 6,
    })
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 8 })
    const delimiter = fc.constantFrom<Delimiter>(',', ';', '\t', '|')
    const eol = fc.constantFrom('\n', '\r\n', '\r')
    fc.assert(
      fc.property(table, delimiter, eol, fc.integer({ min: 1, max: 40 }), (rows, d, br, size) => {
        const quote = (f: string) =>
          /["\r\n]/.test(f) || f.includes(d) ? `"${f.replaceAll('"', '""')}"` : f
        const text = rows.map((row) => row.map(quote).join(d) + br).join('')
        const records = parseCsv(text, { delimiter: d, chunkSize: size })
        expect(fieldsOf(records)).toEqual(
          rows.map((row) => row.map((f) => f.replace(/\r\n?/g, '\n'))),
        )
        let line = 1
        const expectedLines = rows.map((row) => {
          const start = line
          line += 1 + row.reduce((n, f) => n + (f.match(/\r\n?|\n/g)?.length ?? 0), 0)
          return start
        })
        expect(lines(records)).toEqual(expectedLines)
      }),
    )
  })

  it('reads the same records from the text in chunks cut anywhere (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', 'é'),
      maxLength: 60,
    })
    const cuts = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 })
    fc.assert(
      fc.property(text, cuts, fc.integer({ min: 1, max: 20 }), (t, at, size) => {
        const edges = [...new Set(at.filter((n) => n < t.length))].sort((a, b) => a - b)
        const chunks = [0, ...edges].map((from, i) => t.slice(from, edges[i] ?? t.length))
        expect([...csvRecords(chunks, { delimiter: ',', chunkSize: size })]).toEqual(
          parseCsv(t, { delimiter: ',', chunkSize: size }),
        )
      }),
    )
  })
})

describe('findHeaderRow', () => {
  // Fidelity: padding rows, a "Brokerage" line and a blank before the header.
  const fidelity = [
    ',,,,,,,,,,,',
    ',,,,,,,,,,,',
    'Brokerage',
    '',
    '\uFEFF Run Date ,Action,Symbol,Security Description,Security Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date',
    '06/10/2026, YOU BOUGHT PROSHARES TR (AAPL) (Cash), AAPL, PROSHARES TR, Cash, 10, 150.25, 4.95, 0.05, , -1507.50, 06/12/2026',
    '',
    '"The data and information in this spreadsheet is provided to you solely for your use."',
  ].join('\n')

  it('skips a preamble and matches names trimmed, BOM-stripped and in any case', () => {
    const records = parseCsv(fidelity)
    const match = findHeaderRow(records, [
      ['TransactionDate', 'TransactionType'],
      ['run date', 'ACTION', 'Symbol', 'Quantity', 'Amount ($)'],
    ])
    expect(match?.index).toBe(4)
    expect(match?.record.line).toBe(5)
    expect(match?.signature).toBe(1)
    expect(headerIndex(match!.columns, 'Run Date')).toBe(0)
    expect(headerIndex(match!.columns, 'Amount ($)')).toBe(10)
    expect(records[5]?.fields[headerIndex(match!.columns, 'Quantity')!]).toBe(' 10')
  })

  it('gives up after maxScan records', () => {
    const records = parseCsv(fidelity)
    expect(findHeaderRow(records, [['Run Date', 'Action']], 4)).toBeUndefined()
    expect(findHeaderRow(records, [['Run Date', 'Nope']])).toBeUndefined()
    expect(findHeaderRow(csvRecords(fidelity), [['Run Date', 'Action']], 5)?.index).toBe(4)
  })

  it('keeps every index of a duplicated name (MT5 Positions)', () => {
    const records = parseCsv(
      'Time,Position,Symbol,Type,Volume,Price,S / L,T / P,Time,Price,Commission,Swap,Profit,\n',
    )
    const match = findHeaderRow(records, [['Time', 'Position', 'Symbol']])
    expect(match?.columns.get('time')).toEqual([0, 8])
    expect(match?.columns.get('price')).toEqual([5, 9])
    expect(headerIndex(match!.columns, 'Price', 1)).toBe(9)
    expect(headerIndex(match!.columns, 'Price', 2)).toBeUndefined()
    expect(match?.columns.has('')).toBe(false)
  })
})

describe('columns by loose names', () => {
  const aliases = { time: ['time', 'datetime'], price: ['entryprice', 'price'], pct: ['%out'] }

  it('ignores case, spaces, punctuation, angle brackets and a BOM', () => {
    expect(
      ['\uFEFFEntry Time', 'entry_time', 'ENTRY-TIME', '<TICKVOL>', '% Out'].map(columnKey),
    ).toEqual(['entrytime', 'entrytime', 'entrytime', 'tickvol', '%out'])
    // Names earlier in an alias list win over columns earlier in the header.
    expect(findColumns(['Price', 'Entry Price', 'Date Time', '% out'], aliases)).toEqual({
      time: 2,
      price: 1,
      pct: 3,
    })
    expect(findColumns(['a', 'b'], aliases)).toEqual({ time: -1, price: -1, pct: -1 })
  })

  it('finds the header below a preamble and reads the rows from the same parse', () => {
    // A source that can be read only once: a second parse would find no rows.
    const chunks = (function* () {
      yield 'Report for May\n\nDate/Time;'
      yield 'Price\n2026-05-01;1,5\n\n2026-05-02;2\n'
    })()
    const table = findColumnTable(chunks, aliases, ['time', 'price'])
    expect(table?.header.line).toBe(3)
    expect(table?.columns).toEqual({ time: 0, price: 1, pct: -1 })
    expect([...(table?.rows ?? [])].map((record) => [record.line, ...record.fields])).toEqual([
      [4, '2026-05-01', '1,5'],
      [6, '2026-05-02', '2'],
    ])
  })

  it('gives up when no record of the first maxScan has every required column', () => {
    const text = 'x\ny\ntime,price\n1,2\n'
    expect(findColumnTable(text, aliases, ['time', 'price'], 2)).toBeUndefined()
    expect(findColumnTable(text, aliases, ['time', 'pct'])).toBeUndefined()
    expect(findColumnTable(text, aliases, ['time', 'price'], 3)?.header.line).toBe(3)
  })
})

describe('sections', () => {
  it('IBKR Activity Statement: by column 0, a new section at every Header row', () => {
    const text = [
      'Statement,Header,Field Name,Field Value',
      'Statement,Data,BrokerName,Interactive Brokers LLC',
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,Proceeds,Comm/Fee,Code',
      'Trades,Data,Order,Stocks,USD,NOK,"2021-01-28, 10:33:59","1,000",4.775,-4775,-5,O',
      'Trades,SubTotal,,Stocks,USD,NOK,,,,-4775,-5,',
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,C. Price,Proceeds,Comm/Fee,Code',
      'Trades,Data,Order,Equity and Index Options,USD,ARKK 19SEP25 80 C,"2025-08-06, 15:32:56",-1,1.64,1.645,164,-1.05424,O',
      'Trades,Total,,,,,,,,,,,',
      'Codes,Data,O,Opening Trade',
      '',
    ].join('\r\n')
    const { sections, other } = splitSections(parseCsv(text), 'ibkr-statement')
    expect(sections.map((s) => [s.name, s.header.line, lines(s.rows)])).toEqual([
      ['Statement', 1, [2]],
      ['Trades', 3, [4, 5]],
      ['Trades', 6, [7, 8]],
    ])
    const [, stocks, options] = sections
    expect(headerIndex(stocks!.columns, 'Quantity')).toBe(7)
    expect(headerIndex(stocks!.columns, 'C. Price')).toBeUndefined()
    expect(headerIndex(stocks!.columns, 'Header')).toBeUndefined()
    expect(headerIndex(options!.columns, 'C. Price')).toBe(9)
    expect(headerIndex(options!.columns, 'Proceeds')).toBe(10)
    const order = stocks!.rows[0]!
    expect(order.fields[headerIndex(stocks!.columns, 'Quantity')!]).toBe('1,000')
    expect(stocks!.rows.map((row) => row.fields[1])).toEqual(['Data', 'SubTotal'])
    const when = order.fields[headerIndex(stocks!.columns, 'Date/Time')!] ?? ''
    expect(new Date(parseTimestamp(when, 'ibkr-statement', 'America/New_York')).toISOString()).toBe(
      '2021-01-28T15:33:59.000Z',
    )
    // A row of a section that never had a header.
    expect(lines(other)).toEqual([9])
  })

  it('IBKR Flex with BOF/BOA/BOS/HEADER/DATA/EOS/EOA/EOF and two accounts', () => {
    const text = [
      '"BOF","U1234567","trades","2","20260501","20260501","20260504;041910","2","2"',
      '"BOA","U1234567"',
      '"BOS","TRNT","Trades; trade date basis"',
      '"HEADER","TRNT","ClientAccountID","Symbol","DateTime","Quantity","TradePrice"',
      '"DATA","TRNT","U1234567","AAPL","20260501;093012","100","185.5"',
      '"EOS","TRNT","1"',
      '"EOA","U1234567"',
      '"BOA","U7654321"',
      '"BOS","TRNT","Trades; trade date basis"',
      '"HEADER","TRNT","ClientAccountID","Symbol","DateTime","Quantity","TradePrice"',
      '"DATA","TRNT","U7654321","MSFT","20260501;101500","-50","410.25"',
      '"DATA","TRNT","U7654321","MSFT","20260501;101501","-25","410.3"',
      '"EOS","TRNT","2"',
      '"EOA","U7654321"',
      '"EOF"',
    ].join('\n')
    const { sections, other } = splitSections(parseCsv(text), 'ibkr-flex')
    expect(sections.map((s) => [s.name, s.account, s.title, s.header.line, lines(s.rows)])).toEqual(
      [
        ['TRNT', 'U1234567', 'Trades; trade date basis', 4, [5]],
        ['TRNT', 'U7654321', 'Trades; trade date basis', 10, [11, 12]],
      ],
    )
    const second = sections[1]!
    expect(headerIndex(second.columns, 'Symbol')).toBe(3)
    expect(headerIndex(second.columns, 'HEADER')).toBeUndefined()
    const when = second.rows[0]!.fields[headerIndex(second.columns, 'DateTime')!] ?? ''
    expect(new Date(parseTimestamp(when, 'ibkr-flex', 'America/New_York')).toISOString()).toBe(
      '2026-05-01T14:15:00.000Z',
    )
    expect(other.map((record) => record.fields[0])).toEqual([
      'BOF',
      'BOA',
      'BOS',
      'EOS',
      'EOA',
      'BOA',
      'BOS',
      'EOS',
      'EOA',
      'EOF',
    ])
  })

  it('IBKR Flex without wrappers: MSG row, then a header repeated per account', () => {
    const text = [
      '"MSG","Realized P/L is not ready and has been disabled for this statement."',
      '"ClientAccountID","Symbol","Date/Time","Quantity"',
      '"U1234567","AAPL","20250115;093012","100"',
      '"ClientAccountID","Symbol","Date/Time","Quantity"',
      '"U7654321","MSFT","20250115;101500","-50"',
    ].join('\n')
    const { sections, other } = splitSections(parseCsv(text), 'ibkr-flex')
    expect(sections.map((s) => [s.name, s.account, s.header.line, lines(s.rows)])).toEqual([
      ['', undefined, 2, [3]],
      ['', undefined, 4, [5]],
    ])
    expect(headerIndex(sections[0]!.columns, 'ClientAccountID')).toBe(0)
    expect(lines(other)).toEqual([1])
  })

  // thinkorswim: BOM, title lines, rows padded with commas, blank lines between sections.
  const thinkorswim = [
    '\uFEFFAccount Statement for 00*****XX (exampleaccount) since 11/12/22 through 11/12/22,,,,,,,,,,,,,,',
    '',
    'Cash Balance,,,,,,,,,,,,,,',
    'DATE,TIME,TYPE,REF #,DESCRIPTION,Misc Fees,Commissions & Fees,AMOUNT,BALANCE,,,,,,',
    '11/12/2022,10:04:09,TRD,5886133162,KEY: F2 SOLD -100 AMZN @9.65,-0.03,,965,"26,649.04",,,,,,',
    ',,,,TOTAL,$0.51 ,,$18.05 ,"$25,701.61 ",,,,,,',
    ',,,,,,,,,,,,,,',
    'Account Trade History,,,,,,,,,,,,,,',
    ',Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Order Type,,',
    ',11/12/2022 11:27,STOCK,SELL,-280,TO CLOSE,PYPL,,,STOCK,13.33,13.33,LMT,,',
    ',3/27/26 09:30:00,VERTICAL,SELL,-10,TO OPEN,SPX,27 MAR 26,6400,PUT,3.50,1.50,LMT,,',
    ',,,BUY,+10,TO OPEN,SPX,27 MAR 26,6380,PUT,2.00,CREDIT,,,',
    '',
    'Profits and Losses,,,,,,,,,,,,,,',
    'Symbol,Description,P/L Open,P/L %,P/L Day,P/L YTD,P/L Diff,Margin Req,Mark Value,,,,,,',
    'AMZN,AMAZON.COM INC,$0.00,0.00%,$0.00,$18.05,$0.00,$0.00,$0.00,,,,,,',
    ',OVERALL TOTALS,$0.00,0.00%,$0.00,$18.05,$0.00,$0.00,$0.00,,,,,,',
    '',
  ].join('\r\n')

  it('thinkorswim: titled sections ending at blank lines', () => {
    const { text, hadBom } = decodeFile(new Uint8Array(Buffer.from(thinkorswim)))
    expect(hadBom).toBe(true)
    const { sections, other } = splitSections(parseCsv(text), 'titled')
    expect(sections.map((s) => [s.name, s.header.line, lines(s.rows)])).toEqual([
      ['Cash Balance', 4, [5, 6]],
      ['Account Trade History', 9, [10, 11, 12]],
      ['Profits and Losses', 15, [16, 17]],
    ])
    expect(other.map((record) => record.line)).toEqual([1, 3, 8, 14])
    expect(other[0]?.fields[0]).toMatch(/^Account Statement for/)
    const history = sections[1]!
    expect(headerIndex(history.columns, 'Exec Time')).toBe(1)
    expect(history.rows.map((row) => row.fields[1])).toEqual([
      '11/12/2022 11:27',
      '3/27/26 09:30:00',
      '',
    ])
    expect(
      new Date(
        parseTimestamp(history.rows[1]!.fields[1]!, 'us-slash', 'America/New_York'),
      ).toISOString(),
    ).toBe('2026-03-27T13:30:00.000Z')
  })

  it('MT5: one-cell banners without blank lines between sections', () => {
    const text = [
      'Trade History Report',
      'Positions',
      'Time,Position,Symbol,Type,Volume,Price,S / L,T / P,Time,Price,Commission,Swap,Profit',
      '2022.10.28 12:48:49,275917189,EURAUD,sell,0.03,1.55244,1.55657,1.55057,2022.10.28 13:26:11,1.55055,0,0,3.64',
      'Deals',
      'Time,Deal,Symbol,Type,Direction,Volume,Price,Order,Commission,Fee,Swap,Profit,Balance,Comment',
      '2022.10.28 13:09:53,269001200,GOLD_,buy,out,0.5,1649.63,275920240,0,0,0,-23.5,2976.5,[sl 1649.55]',
    ].join('\n')
    const { sections } = splitSections(parseCsv(text), 'titled')
    expect(sections.map((s) => [s.name, s.header.line, lines(s.rows)])).toEqual([
      ['Positions', 3, [4]],
      ['Deals', 6, [7]],
    ])
    const positions = sections[0]!
    expect(positions.rows[0]!.fields[headerIndex(positions.columns, 'Time', 1)!]).toBe(
      '2022.10.28 13:26:11',
    )
  })

  it('generic: blocks between blank lines, each headed by its first record', () => {
    const text = 'a,b\n1,2\n3,4\n\n,,\nc,d,e\n5,6,7\n'
    const events = [...sectionEvents(parseCsv(text), 'blank-lines')]
    expect(events.map((e) => [e.kind, e.record.line])).toEqual([
      ['header', 1],
      ['row', 2],
      ['row', 3],
      ['header', 6],
      ['row', 7],
    ])
    const { sections } = splitSections(parseCsv(text), 'blank-lines')
    expect(sections.map((s) => [s.name, headerIndex(s.columns, 'e') ?? null])).toEqual([
      ['', null],
      ['', 2],
    ])
  })

  it('streams sections with every non-blank record exactly once', () => {
    const records = parseCsv(thinkorswim)
    const events = [...sectionEvents(csvRecords(thinkorswim), 'titled')]
    expect(events.map((e) => e.record)).toEqual(records.filter((r) => !isBlankRecord(r)))
    const rowSections = events.flatMap((e) => (e.kind === 'row' ? [e.section.name] : []))
    expect(rowSections).toEqual([
      'Cash Balance',
      'Cash Balance',
      'Account Trade History',
      'Account Trade History',
      'Account Trade History',
      'Profits and Losses',
      'Profits and Losses',
    ])
  })
})
