import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ImportJobView, Method, MethodInput, MethodResult } from '../../contract'
import { createServices, type ServiceContext } from '../../services'
import { dispatch } from '../../services/dispatch'
import { countLines, workerRunner } from '../../services/import-jobs'
import { bundledImportWorker } from '../support/import-worker'
import { useTempJournal } from '../support/journal'

const base64 = (text: string) => Buffer.from(text).toString('base64')

/** N fills of one account alternating buy/sell 1 share: N/2 closed round trips. */
function fillsCsv(n: number): string {
  const rows = ['time,account,symbol,side,quantity,price,fee']
  const start = Date.parse('2026-03-02T14:30:00Z')
  for (let i = 0; i < n; i++) {
    const time = new Date(start + i * 1000).toISOString()
    rows.push(`${time},Main,AAPL,${i % 2 === 0 ? 'buy' : 'sell'},1,${100 + (i % 7)},0.01`)
  }
  return `${rows.join('\n')}\n`
}

async function call<M extends Method>(ctx: ServiceContext, method: M, input: MethodInput<M>) {
  const response = await dispatch(createServicesOnce(ctx), method, input)
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`)
  return response.value as MethodResult<M>
}

// Jobs live in the services object of a host, so one per context.
const servicesOf = new WeakMap<ServiceContext, ReturnType<typeof createServices>>()
function createServicesOnce(ctx: ServiceContext) {
  let services = servicesOf.get(ctx)
  if (!services) servicesOf.set(ctx, (services = createServices(ctx)))
  return services
}

async function finished(ctx: ServiceContext, jobId: string): Promise<ImportJobView[]> {
  const seen: ImportJobView[] = []
  for (;;) {
    const status = await call(ctx, 'import.status', { jobId })
    seen.push(status)
    if (status.state !== 'running') return seen
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('import jobs (import.start / import.status)', () => {
  const temp = useTempJournal()

  it('counts lines for the progress bar, with or without a final line break', () => {
    expect(countLines(Buffer.from('a\nb\nc\n'))).toBe(3)
    expect(countLines(Buffer.from('a\nb\nc'))).toBe(3)
    expect(countLines(Buffer.from(''))).toBe(0)
  })

  it('runs a job in process and reports the same result as import.files', async () => {
    const csv = fillsCsv(10)
    const { jobId } = await call(temp.ctx, 'import.start', {
      files: [{ name: 'a.csv', content: base64(csv) }],
    })
    const states = await finished(temp.ctx, jobId)
    const last = states.at(-1)!
    expect(last).toMatchObject({ state: 'done', files: 1, fillsWritten: 10, totalRows: 11 })
    expect(last.rowsParsed).toBe(last.totalRows)
    expect(last.results?.[0]).toMatchObject({ status: 'imported', fills: 10, trades: 5 })
    // The same file again through import.files: every fill is a duplicate.
    const again = await call(temp.ctx, 'import.files', {
      files: [{ name: 'a.csv', content: base64(csv) }],
    })
    expect(again.files[0]).toMatchObject({ status: 'imported', fills: 0, duplicates: 10 })
  })

  it('runs a job in a worker thread on its own connection, with progress on the way', async () => {
    const ctx: ServiceContext = {
      ...temp.ctx,
      importRunner: workerRunner(bundledImportWorker(), 'cli', temp.journal.path),
    }
    const n = 20_000
    const { jobId } = await call(ctx, 'import.start', {
      files: [
        { name: 'big.csv', content: base64(fillsCsv(n)) },
        { name: 'small.csv', content: base64(fillsCsv(4).replace(/Main/g, 'Other')) },
      ],
    })
    const states = await finished(ctx, jobId)
    const last = states.at(-1)!
    expect(last.error).toBeNull()
    expect(last.state).toBe('done')
    expect(last.results?.map((r) => [r.file, r.status, r.fills])).toEqual([
      ['big.csv', 'imported', n],
      ['small.csv', 'imported', 4],
    ])
    expect(last.fillsWritten).toBe(n + 4)
    // Progress is monotonic within a file and reached the big file's last line.
    const big = states.filter((s) => s.fileIndex === 0 && s.totalRows > 0)
    for (let i = 1; i < big.length; i++) {
      expect(big[i]!.rowsParsed).toBeGreaterThanOrEqual(big[i - 1]!.rowsParsed)
    }
    // The host's own connection sees what the worker committed.
    const count = temp.journal.sqlite.prepare('SELECT count(*) FROM trades').pluck().get()
    expect(count).toBe(BigInt(n + 4))
  }, 60_000)

  it('imports through a mapping and through a saved template; refuses both at once', async () => {
    const csv = readFileSync('test/fixtures/blotter/scale-and-flip.csv', 'utf8')
      .replace(/^time,/, 'When,')
      .replace(',symbol,', ',Ticker,')
    const mapping = {
      timeFormat: 'iso',
      columns: {
        time: 'When',
        symbol: 'Ticker',
        side: 'side',
        quantity: 'quantity',
        price: 'price',
        fee: 'fee',
        account: 'account',
      },
    }
    const inspection = await call(temp.ctx, 'import.inspect', {
      name: 'x.csv',
      content: base64(csv),
    })
    expect(inspection.detected).toBeNull()
    expect(inspection.headers.slice(0, 3)).toEqual(['When', 'account', 'Ticker'])
    expect(inspection.samples[0]?.[2]).toBe('AAPL')

    const byMapping = await call(temp.ctx, 'import.files', {
      files: [{ name: 'x.csv', content: base64(csv) }],
      mapping,
      dryRun: true,
    })
    expect(byMapping.files[0]).toMatchObject({ format: 'generic', status: 'dry-run' })
    const fills = byMapping.files[0]!.fills

    await call(temp.ctx, 'importTemplates.save', { name: 'renamed', mapping })
    expect((await call(temp.ctx, 'importTemplates.list', {})).map((t) => t.name)).toEqual([
      'renamed',
    ])
    const byTemplate = await call(temp.ctx, 'import.files', {
      files: [{ name: 'x.csv', content: base64(csv) }],
      template: 'renamed',
    })
    expect(byTemplate.files[0]).toMatchObject({ format: 'generic', status: 'imported', fills })

    const both = await dispatch(createServicesOnce(temp.ctx), 'import.files', {
      files: [{ name: 'x.csv', content: base64(csv) }],
      mapping,
      template: 'renamed',
    })
    expect(both).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const bad = await dispatch(createServicesOnce(temp.ctx), 'import.start', {
      files: [{ name: 'x.csv', content: base64(csv) }],
      mapping: { columns: {} },
    })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.message).toMatch(/timeFormat/)
  })
})
