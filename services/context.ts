import type { HostKind } from '../contract'
import type { Journal } from '../db/open'
import type { ImportRunner } from './import-jobs'

/**
 * Encrypts secrets with the operating system's keychain. Only the Electron host has one
 * (safeStorage); browser mode and the CLI pass `null` and refuse to store secrets.
 */
export interface SecretStore {
  encrypt(plain: string): Buffer
  decrypt(encrypted: Buffer): string
}

/** What every service function gets from its host. */
export interface ServiceContext {
  journal: Journal
  host: HostKind
  secrets: SecretStore | null
  /** Where import jobs run: a worker thread in the app and browser mode; absent: in process. */
  importRunner?: ImportRunner
}
