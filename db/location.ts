/**
 * Where the journal lives. The desktop app, browser mode and the CLI agree on one per-user file,
 * the same folder Electron's app.getPath('userData') gives for an app named "Blotter".
 */
import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'Blotter'
export const JOURNAL_FILE = 'blotter.db'

export function userDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME)
}

/** `--db` wins, then BLOTTER_DB, then the per-user file. */
export function resolveJournalPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return flag || env.BLOTTER_DB || join(userDataDir(process.platform, env), JOURNAL_FILE)
}
