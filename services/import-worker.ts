/**
 * The worker thread of an import job (services/import-jobs.ts `workerRunner`): opens the journal
 * on its own connection, runs the files, and posts progress and the results back. Hosts bundle
 * this file as their `import-worker` entry next to their main one.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openJournal } from '../db/open'
import { runImportJob, type WorkerJob, type WorkerMessage } from './import-jobs'

/** Progress messages at most this often: each one is a structured clone to the host. */
const PROGRESS_INTERVAL_MS = 100

async function main(job: WorkerJob): Promise<WorkerMessage> {
  const journal = await openJournal(job.journalPath, job.openOptions)
  try {
    let lastPost = 0
    const results = runImportJob(
      { journal, host: job.host, secrets: null },
      job.files.map((file) => ({ name: file.name, bytes: Buffer.from(file.bytes) })),
      job.settings,
      (progress) => {
        const now = Date.now()
        if (now - lastPost < PROGRESS_INTERVAL_MS && progress.rowsParsed < progress.totalRows) {
          return
        }
        lastPost = now
        post({ kind: 'progress', progress })
      },
    )
    return { kind: 'done', results }
  } finally {
    journal.close()
  }
}

function post(message: WorkerMessage) {
  parentPort?.postMessage(message)
}

main(workerData as WorkerJob).then(post, (error: unknown) =>
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
)
