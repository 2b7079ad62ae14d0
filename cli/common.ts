/** What every CLI command shares: the journal it opens, how it prints, how it fails. */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Command } from 'commander'
import type { Method, MethodInput, MethodResult } from '../contract'
import { resolveJournalPath } from '../db/location'
import { openJournal, type Journal } from '../db/open'
import { createServices, type ServiceContext } from '../services'
import { dispatch } from '../services/dispatch'

export interface GlobalOptions {
  db?: string
  json?: boolean
}

/** Bad arguments: printed as one line, exit 2. Every other error exits 1. */
export class UsageError extends Error {}

export function cliContext(journal: Journal): ServiceContext {
  return { journal, host: 'cli', secrets: null }
}

export function journalPath(program: Command): string {
  return resolveJournalPath(program.opts<GlobalOptions>().db)
}

export async function withJournal(program: Command, work: (journal: Journal) => Promise<void>) {
  const journal = await openJournal(journalPath(program))
  try {
    await work(journal)
  } finally {
    journal.close()
  }
}

/** Calls a contract method through the shared router, as every other host does. */
export async function call<M extends Method>(
  journal: Journal,
  method: M,
  input: MethodInput<M>,
): Promise<MethodResult<M>> {
  const services = createServices(cliContext(journal))
  const response = await dispatch(services, method, input)
  if (!response.ok) {
    if (response.error.code === 'invalid_input') throw new UsageError(response.error.message)
    throw new Error(response.error.message)
  }
  return response.value as MethodResult<M>
}

export function print(program: Command, value: unknown, human: () => string): void {
  const text = program.opts<GlobalOptions>().json ? JSON.stringify(value, null, 2) : human()
  process.stdout.write(`${text}\n`)
}

/** A file argument as the contract takes it: its base name and bytes (base64). */
export function fileInput(path: string): { name: string; content: string } {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`)
  }
  return { name: basename(path), content: bytes.toString('base64') }
}
