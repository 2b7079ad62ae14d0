/** Broker files for the import and trades specs: fixtures from disk and generated CSVs. */
import { readFileSync } from 'node:fs'

/** A Blotter CSV of test/fixtures/blotter, as bytes. */
export function blotterFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/blotter/${name}`, import.meta.url))
}

/** What the contract's import.files takes for one file. */
export function fileInput(name: string, bytes: Buffer | string) {
  return { name, content: Buffer.from(bytes).toString('base64') }
}

/**
 * Three round trips the fixtures lack: a loss (MSFT, net -374.50), a future whose multiplier
 * nobody knows (ZZH26: P&L incomplete, one warning) and a position still open (NVDA).
 */
export const mixedTradesCsv = `time,account,symbol,side,quantity,price,fee,asset_class
2026-03-04T14:30:00Z,Swing,MSFT,buy,50,410.20,1.00,stock
2026-03-04T19:55:00Z,Swing,MSFT,sell,50,402.75,1.00,stock
2026-03-05T14:30:00Z,Futures,ZZH6,buy,1,100.5,2.10,future
2026-03-05T15:30:00Z,Futures,ZZH6,sell,1,101.25,2.10,future
2026-03-06T14:30:00Z,Swing,NVDA,buy,10,880,0.5,stock
`

/** `count` closed round trips of AAPL, one a minute from 2026-01-05 14:30 UTC: 2 fills each. */
export function roundTripsCsv(count: number): string {
  const start = Date.parse('2026-01-05T14:30:00Z')
  const lines = ['time,account,symbol,side,quantity,price,fee']
  for (let i = 0; i < count; i++) {
    const open = new Date(start + i * 60_000).toISOString()
    const close = new Date(start + i * 60_000 + 30_000).toISOString()
    lines.push(`${open},Paging,AAPL,buy,10,100,0.10`, `${close},Paging,AAPL,sell,10,101,0.10`)
  }
  return `${lines.join('\n')}\n`
}

/** The opening time of round trip `i` of roundTripsCsv as the Trades page shows it (UTC). */
export function roundTripOpened(i: number): string {
  return new Date(Date.parse('2026-01-05T14:30:00Z') + i * 60_000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ')
}
