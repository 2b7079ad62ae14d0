/**
 * The Electron main process: lifecycle only. Everything the app does lives in services/, reached
 * through the IPC router; this file opens the journal, wires the pieces and closes them in order.
 */
import { join } from 'node:path'
import { app, dialog } from 'electron'
import { resolveJournalPath, userDataDir } from '../../db/location'
import { openJournal, type Journal, type OpenOptions } from '../../db/open'
import { workerRunner } from '../../services/import-jobs'
import { createServices, type ServiceContext } from '../../services'
import { startAutoBackup, type AutoBackup } from './backups'
import { registerIpc, unregisterIpc } from './ipc'
import { installMenu } from './menu'
import { expectedNativeBinding, nativeBinding } from './native-binding'
import { createSecretStore } from './secrets'
import { installSecurity } from './security'
import { createMainWindow, focusMainWindow, hasWindows } from './window'

app.setName('Blotter')
// Electron derived userData from package.json's lowercase "name" before this file ran; the CLI and
// browser mode use the "Blotter" folder (db/location.ts). Set before the single-instance lock,
// which lives in userData.
app.setPath('userData', userDataDir())

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', focusMainWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  void app.whenReady().then(start)
}

async function start(): Promise<void> {
  let journal: Journal
  const openOptions: OpenOptions = {
    migrationsFolder: app.isPackaged
      ? join(process.resourcesPath, 'migrations')
      : join(app.getAppPath(), 'db/migrations'),
    nativeBinding: electronBinding(),
  }
  try {
    journal = await openJournal(resolveJournalPath(undefined), openOptions)
  } catch (error) {
    // openJournal refuses a file before writing to it; say why and leave it alone.
    dialog.showErrorBox('Blotter cannot open its journal', (error as Error).message)
    app.exit(1)
    return
  }

  const ctx: ServiceContext = {
    journal,
    host: 'electron',
    secrets: createSecretStore(),
    // Built by electron-vite next to index.js (electron.vite.config.ts, main input).
    importRunner: workerRunner(
      new URL('./import-worker.js', import.meta.url),
      'electron',
      journal.path,
      openOptions,
    ),
  }
  registerIpc(createServices(ctx))
  installSecurity()
  installMenu()
  createMainWindow()
  const backups = startAutoBackup(ctx, join(app.getPath('userData'), 'backups'))

  app.on('activate', () => {
    if (!hasWindows()) createMainWindow()
  })
  closeOnQuit(journal, backups)
}

/** The Electron-ABI addon; unpackaged, its absence gets a message that says how to build it. */
function electronBinding(): string | undefined {
  const binding = nativeBinding()
  if (!binding && !app.isPackaged) {
    throw new Error(
      `better-sqlite3 is not built for Electron ${process.versions.electron} ` +
        `(${expectedNativeBinding()} is missing). Run: node scripts/electron-native.mjs`,
    )
  }
  return binding
}

/** Lets a running backup finish, then closes the journal before the process ends. */
function closeOnQuit(journal: Journal, backups: AutoBackup): void {
  let closed = false
  app.on('will-quit', (event) => {
    if (closed) return
    event.preventDefault()
    void backups
      .stop()
      .catch((error: unknown) => console.error('[quit] backup did not stop cleanly', error))
      .finally(() => {
        unregisterIpc()
        journal.close()
        closed = true
        app.quit()
      })
  })
}
