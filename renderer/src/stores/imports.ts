import { create } from 'zustand'
import type {
  BatchView,
  FormatView,
  ImportJobView,
  ImportResultView,
  ImportTemplateView,
} from '../../../contract'
import { invoke, toApiError, type ApiError } from '../lib/api'
import { fileToBase64 } from '../lib/files'
import type { LoadStatus } from './system'

export interface ImportOptions {
  /** A format id or 'auto'. */
  format: string
  account: string
  timezone: string
  /** Dates a file could read either way round: '' lets the format decide (and warn). */
  dateOrder: '' | 'dmy' | 'mdy'
  dryRun: boolean
  skipInvalid: boolean
  /** For format 'generic': the column mapping built in the editor, or a saved template's name. */
  mapping?: Record<string, unknown>
  template?: string
}

export interface UndoOutcome {
  batchId: string
  file: string
  fills: number
  trades: number
}

interface ImportsState {
  formats: FormatView[]
  formatsError: ApiError | null
  history: BatchView[]
  historyStatus: LoadStatus
  historyError: ApiError | null
  /** Whether an import call is running (one at a time). */
  importing: boolean
  /** How many files the running import carries, for the busy message. */
  importingCount: number
  /** Files of earlier calls of the running import, and the running job's last status. */
  filesDone: number
  progress: ImportJobView | null
  templates: ImportTemplateView[]
  /** The last import's per-file results, kept while the user looks at other pages. */
  results: ImportResultView[] | null
  importError: ApiError | null
  /** The batch being undone, if any. */
  undoing: string | null
  undone: UndoOutcome | null
  undoError: ApiError | null
  loadFormats(): Promise<void>
  loadTemplates(): Promise<void>
  loadHistory(): Promise<void>
  runImport(files: File[], options: ImportOptions): Promise<void>
  undo(batch: BatchView): Promise<void>
}

export const useImportsStore = create<ImportsState>()((set, get) => ({
  formats: [],
  formatsError: null,
  history: [],
  historyStatus: 'idle',
  historyError: null,
  importing: false,
  importingCount: 0,
  filesDone: 0,
  progress: null,
  templates: [],
  results: null,
  importError: null,
  undoing: null,
  undone: null,
  undoError: null,
  async loadFormats() {
    try {
      set({ formats: await invoke('formats.list', {}), formatsError: null })
    } catch (error) {
      set({ formatsError: toApiError(error) })
    }
  },
  async loadTemplates() {
    try {
      set({ templates: await invoke('importTemplates.list', {}) })
    } catch {
      // No templates to offer; typing a mapping still works.
    }
  },
  async loadHistory() {
    set({ historyStatus: 'loading', historyError: null })
    try {
      set({ history: await invoke('imports.list', {}), historyStatus: 'ready' })
    } catch (error) {
      set({ historyStatus: 'error', historyError: toApiError(error) })
    }
  },
  async runImport(files, options) {
    if (get().importing || files.length === 0) return
    set({
      importing: true,
      importingCount: files.length,
      filesDone: 0,
      progress: null,
      // The previous results would read as this import's until it answers.
      results: null,
      importError: null,
      undone: null,
      undoError: null,
    })
    const account = options.account.trim()
    const timezone = options.timezone.trim()
    const results: ImportResultView[] = []
    try {
      // Each file is its own transaction on the host, so splitting the call changes nothing but
      // the request size: the contract takes 50 files a call, browser mode 64 MB a request.
      for (const group of callGroups(files)) {
        const encoded = await Promise.all(
          group.map(async (file) => ({ name: file.name, content: await fileToBase64(file) })),
        )
        // A job runs off the host's main thread; polling its status drives the progress bar.
        const { jobId } = await invoke('import.start', {
          files: encoded,
          format: options.format,
          dryRun: options.dryRun,
          skipInvalid: options.skipInvalid,
          ...(account && { account }),
          ...(timezone && { timezone }),
          ...(options.dateOrder && { dateOrder: options.dateOrder }),
          ...(options.mapping && { mapping: options.mapping }),
          ...(options.template && { template: options.template }),
        })
        const job = await finishedJob(jobId, (progress) => set({ progress }))
        if (job.state === 'failed' || !job.results) {
          throw new Error(job.error ?? 'The import stopped without a result')
        }
        results.push(...job.results)
        set({ filesDone: results.length })
      }
      set({ results, importing: false, progress: null })
    } catch (error) {
      // Files of earlier calls are in the journal: their results stay next to the error.
      set({
        results: results.length > 0 ? results : null,
        importing: false,
        progress: null,
        importError: toApiError(error),
      })
    }
    await get().loadHistory()
  },
  async undo(batch) {
    if (get().undoing) return
    set({ undoing: batch.id, undone: null, undoError: null })
    try {
      const outcome = await invoke('import.undo', { batchId: batch.id })
      set({ undoing: null, undone: { ...outcome, file: batch.file } })
    } catch (error) {
      set({ undoing: null, undoError: toApiError(error) })
    }
    await get().loadHistory()
  },
}))

/** How often a running job is asked for its progress. */
const POLL_MS = 150

async function finishedJob(
  jobId: string,
  onProgress: (job: ImportJobView) => void,
): Promise<ImportJobView> {
  for (;;) {
    const job = await invoke('import.status', { jobId })
    onProgress(job)
    if (job.state !== 'running') return job
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

const MAX_FILES_PER_CALL = 50
/** Raw bytes per call: base64 adds a third, which keeps a request well under 64 MB. */
const MAX_BYTES_PER_CALL = 32 * 1024 * 1024

/** The files in order, in groups the contract and browser mode accept (a big file goes alone). */
function callGroups(files: File[]): File[][] {
  const groups: File[][] = []
  let group: File[] = []
  let bytes = 0
  for (const file of files) {
    if (
      group.length > 0 &&
      (group.length === MAX_FILES_PER_CALL || bytes + file.size > MAX_BYTES_PER_CALL)
    ) {
      groups.push(group)
      group = []
      bytes = 0
    }
    group.push(file)
    bytes += file.size
  }
  if (group.length > 0) groups.push(group)
  return groups
}
