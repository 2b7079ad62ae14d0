/**
 * Imports as jobs: `import.start` hands the files to a runner and returns at once; the UI polls
 * `import.status` for rows parsed and fills written. The desktop app and browser mode run jobs in
 * a worker thread (services/import-worker.ts) with its own connection to the journal, so a
 * 10^6-row file never blocks the thread that answers the UI; the CLI runs them in process.
 */
import { Worker } from 'node:worker_threads'
import { uuidv7 } from 'uuidv7'
import type { HostKind, ImportJobView, ParsedInput } from '../contract'
import { genericFormat, MappingError, parseMapping } from '../importers/generic'
import type { DateOrder, ImportFormat } from '../importers/types'
import type { OpenOptions } from '../db/open'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { importFile, type FileImportResult, type ImportProgress } from './import'
import { readImportTemplate } from './import-templates'

export type ImportRequest = ParsedInput<'import.files'>

/** One file of a job: its name and bytes (decoded from the contract's base64). */
export interface JobFile {
  name: string
  bytes: Uint8Array
}

export interface JobProgress {
  fileIndex: number
  file: string
  rowsParsed: number
  totalRows: number
  fillsWritten: number
}

/** Settings of a job that travel to a worker (plain data: structured clone). */
export interface JobSettings {
  format: string
  mapping: Record<string, unknown> | null
  account?: string
  timezone?: string
  dateOrder?: DateOrder
  dryRun: boolean
  skipInvalid: boolean
}

/** Runs a job's files one after another and reports progress; resolves with every file's result. */
export type ImportRunner = (
  files: JobFile[],
  settings: JobSettings,
  onProgress: (progress: JobProgress) => void,
) => Promise<FileImportResult[]>

/** The request's files and settings, with a template resolved to its mapping. */
export function jobOf(ctx: ServiceContext, request: ImportRequest) {
  const files = request.files.map((file) => ({
    name: file.name,
    bytes: Buffer.from(file.content, 'base64'),
  }))
  const mapping =
    request.template !== undefined
      ? (readImportTemplate(ctx, request.template) as Record<string, unknown>)
      : (request.mapping ?? null)
  if (mapping && !['auto', 'generic'].includes(request.format)) {
    throw new AppError(
      'invalid_input',
      `A mapping or template implies format "generic", not "${request.format}"`,
    )
  }
  if (!mapping && request.format === 'generic') {
    throw new AppError('invalid_input', 'Format "generic" needs a mapping or a saved template')
  }
  const settings: JobSettings = {
    format: request.format,
    mapping,
    dryRun: request.dryRun,
    skipInvalid: request.skipInvalid,
    ...(request.account !== undefined && { account: request.account }),
    ...(request.timezone !== undefined && { timezone: request.timezone }),
    ...(request.dateOrder !== undefined && { dateOrder: request.dateOrder }),
  }
  return { files, settings }
}

function formatOf(settings: JobSettings): string | ImportFormat {
  if (!settings.mapping) return settings.format
  try {
    return genericFormat(parseMapping(settings.mapping))
  } catch (error) {
    if (error instanceof MappingError) throw new AppError('invalid_input', error.message)
    throw error
  }
}

/** Line breaks in the bytes: the progress bar's 100 % (a UTF-16 LF has a 0x0A byte too). */
export function countLines(bytes: Uint8Array): number {
  let lines = 0
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines += 1
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? lines + 1 : lines
}

/** The files of a job, in order, in this thread: each its own transaction. */
export function runImportJob(
  ctx: ServiceContext,
  files: JobFile[],
  settings: JobSettings,
  onProgress: (progress: JobProgress) => void = () => {},
): FileImportResult[] {
  const format = formatOf(settings)
  let writtenBefore = 0
  return files.map((file, fileIndex) => {
    const totalRows = countLines(file.bytes)
    const report = (progress: ImportProgress) =>
      onProgress({
        fileIndex,
        file: file.name,
        rowsParsed: progress.rowsParsed,
        totalRows,
        fillsWritten: writtenBefore + progress.fillsWritten,
      })
    report({ rowsParsed: 0, fillsWritten: 0 })
    const result = importFile(ctx, file.name, file.bytes, {
      format,
      account: settings.account,
      timezone: settings.timezone,
      dateOrder: settings.dateOrder,
      dryRun: settings.dryRun,
      skipInvalid: settings.skipInvalid,
      onProgress: report,
    })
    const written = result.status === 'imported' ? result.fills : 0
    report({ rowsParsed: totalRows, fillsWritten: written })
    writtenBefore += written
    return result
  })
}

/** The runner of the CLI and of tests: the same thread, one file per turn of the event loop. */
export function inProcessRunner(ctx: ServiceContext): ImportRunner {
  return async (files, settings, onProgress) => {
    const results: FileImportResult[] = []
    for (const file of files) {
      await new Promise((resolve) => setImmediate(resolve))
      const [result] = runImportJob(ctx, [file], settings, (progress) =>
        onProgress({ ...progress, fileIndex: results.length }),
      )
      if (result) results.push(result)
    }
    return results
  }
}

/** What services/import-worker.ts receives as workerData. */
export interface WorkerJob {
  /** The host the job runs for (the worker answers as that host). */
  host: HostKind
  journalPath: string
  /** How the host opened the journal (migrations folder, native binding), for the worker's open. */
  openOptions: OpenOptions
  files: JobFile[]
  settings: JobSettings
}

export type WorkerMessage =
  | { kind: 'progress'; progress: JobProgress }
  | { kind: 'done'; results: FileImportResult[] }
  | { kind: 'failed'; message: string }

/**
 * Runs each job in a new worker thread (the bundled services/import-worker.ts at `workerUrl`),
 * which opens the journal itself: SQLite's WAL lets the host keep reading meanwhile.
 */
export function workerRunner(
  workerUrl: URL,
  host: HostKind,
  journalPath: string,
  openOptions: OpenOptions = {},
): ImportRunner {
  return (files, settings, onProgress) =>
    new Promise((resolve, reject) => {
      const job: WorkerJob = { host, journalPath, openOptions, files, settings }
      const worker = new Worker(workerUrl, { workerData: job })
      let settled = false
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'progress') onProgress(message.progress)
        else if (message.kind === 'done') {
          settled = true
          resolve(message.results)
        } else {
          settled = true
          reject(new AppError('internal', message.message))
        }
      })
      worker.on('error', (error) => {
        settled = true
        reject(error)
      })
      worker.on('exit', (code) => {
        if (!settled) reject(new AppError('internal', `The import worker stopped (exit ${code})`))
      })
    })
}

/** Jobs of one host, kept until a newer job pushes them out (the UI reads a result once). */
const KEPT_JOBS = 20

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJobView>()

  constructor(
    private readonly ctx: ServiceContext,
    private readonly runner: ImportRunner,
  ) {}

  start(request: ImportRequest): { jobId: string } {
    const { files, settings } = jobOf(this.ctx, request)
    formatOf(settings) // a bad mapping is refused now, not as a failed job
    const jobId = uuidv7()
    const job: ImportJobView = {
      jobId,
      state: 'running',
      files: files.length,
      fileIndex: 0,
      file: files[0]?.name ?? null,
      rowsParsed: 0,
      totalRows: 0,
      fillsWritten: 0,
      results: null,
      error: null,
    }
    this.jobs.set(jobId, job)
    for (const old of this.jobs.keys()) {
      if (this.jobs.size <= KEPT_JOBS) break
      if (this.jobs.get(old)?.state !== 'running') this.jobs.delete(old)
    }
    this.runner(files, settings, (progress) => Object.assign(job, progress)).then(
      (results) => Object.assign(job, { state: 'done', results }),
      (error: unknown) =>
        Object.assign(job, { state: 'failed', error: (error as Error).message ?? String(error) }),
    )
    return { jobId }
  }

  status(jobId: string): ImportJobView {
    const job = this.jobs.get(jobId)
    if (!job) throw new AppError('not_found', `No import job "${jobId}"`)
    return { ...job }
  }
}
