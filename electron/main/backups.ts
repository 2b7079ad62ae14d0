/**
 * Automatic backups while the desktop app runs: every `backup.intervalMinutes` (0 = off), an
 * online copy through SQLite's backup API (never a file copy of a live WAL database), keeping
 * the newest ten. Pre-migration backups (blotter-before-v…) and any other file are left alone.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ServiceContext } from '../../services'
import { settingValue } from '../../services/settings'

export const KEEP_BACKUPS = 10
/** While backups are off, look at the setting again this often so turning them on needs no restart. */
const OFF_RECHECK_MS = 60_000
const AUTO_BACKUP_NAME = /^blotter-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/

/** `blotter-2025-01-31T17-05-00-123Z.db`: ISO 8601 without the characters Windows forbids. */
export function backupFileName(at: Date): string {
  return `blotter-${at.toISOString().replace(/[:.]/g, '-')}.db`
}

/** Automatic backups beyond the newest `keep`; the UTC stamps sort by name in time order. */
export function backupsToPrune(names: readonly string[], keep = KEEP_BACKUPS): string[] {
  const ours = names.filter((name) => AUTO_BACKUP_NAME.test(name)).sort()
  return ours.slice(0, Math.max(0, ours.length - keep))
}

export async function backupNow(
  ctx: ServiceContext,
  dir: string,
  at = new Date(),
): Promise<string> {
  mkdirSync(dir, { recursive: true })
  const destination = join(dir, backupFileName(at))
  await ctx.journal.sqlite.backup(destination)
  for (const name of backupsToPrune(readdirSync(dir))) rmSync(join(dir, name), { force: true })
  return destination
}

export interface AutoBackup {
  /** Cancels the timer and waits for a backup in progress, so the journal can be closed. */
  stop(): Promise<void>
}

export function startAutoBackup(ctx: ServiceContext, dir: string): AutoBackup {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | null = null
  let stopped = false

  // Read on every turn, so a changed setting applies from the next wait on.
  const intervalMinutes = () => {
    try {
      return settingValue(ctx, 'backup.intervalMinutes')
    } catch (error) {
      console.error('[backup] cannot read backup.intervalMinutes', error)
      return 0
    }
  }
  const schedule = () => {
    if (stopped) return
    const minutes = intervalMinutes()
    timer = setTimeout(tick, minutes > 0 ? minutes * 60_000 : OFF_RECHECK_MS)
  }
  const tick = () => {
    if (stopped) return
    if (intervalMinutes() === 0) return schedule()
    running = backupNow(ctx, dir)
      .then(() => undefined)
      .catch((error: unknown) => console.error('[backup] automatic backup failed', error))
      .finally(() => {
        running = null
        schedule()
      })
  }

  schedule()
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
