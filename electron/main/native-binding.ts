/**
 * Which better-sqlite3 addon Electron loads (docs/decisions/0005-electron-native-abi.md).
 * node_modules/better-sqlite3/build stays built for Node (tests, CLI, browser mode); Electron's
 * ABI build lives beside it, made by scripts/electron-native.mjs. Keep both paths in step with
 * that script.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app } from 'electron'

const ADDON = 'better_sqlite3.node'

/** Where the Electron build is expected: the side-by-side build, or the packaged resource. */
export function expectedNativeBinding(): string {
  if (app.isPackaged) return join(process.resourcesPath, 'native', ADDON)
  return join(
    app.getAppPath(),
    '.native',
    `electron-${process.versions.electron}`,
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    ADDON,
  )
}

/** The addon to pass as better-sqlite3's `nativeBinding`, or undefined when it is not there. */
export function nativeBinding(): string | undefined {
  const path = expectedNativeBinding()
  return existsSync(path) ? path : undefined
}
