import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { openJournal, type Journal } from '../../db/open'
import type { ServiceContext } from '../../services'
import { tempDir } from './temp'

export interface TempJournal {
  journal: Journal
  ctx: ServiceContext
  /** The temp folder holding journal.db, for other files a test writes. */
  dir: string
}

/**
 * A new journal file in its own temp folder for every test of the calling describe block,
 * opened for the CLI host (no keychain), closed and deleted after the test.
 */
export function useTempJournal(): TempJournal {
  const current = {} as TempJournal
  let cleanup = () => {}
  beforeEach(async () => {
    const temp = tempDir()
    cleanup = temp.cleanup
    current.dir = temp.dir
    current.journal = await openJournal(join(temp.dir, 'journal.db'))
    current.ctx = { journal: current.journal, host: 'cli', secrets: null }
  })
  afterEach(() => {
    current.journal.close()
    cleanup()
  })
  return current
}
