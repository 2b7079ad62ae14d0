import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow } from 'electron'

// electron-vite writes out/main/index.js, out/preload/index.cjs and out/renderer/index.html;
// this file is bundled into out/main/index.js.
const outDir = join(import.meta.dirname, '..')
const preloadPath = join(outDir, 'preload', 'index.cjs')
const rendererIndex = join(outDir, 'renderer', 'index.html')

const windows = new Set<BrowserWindow>()

/**
 * The dev server's URL under `electron-vite dev`, else undefined. A packaged app ignores the
 * variable: anyone who can set it could otherwise point the window (and its bridge) at any page.
 */
export function devServerUrl(): string | undefined {
  return app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined
}

/** The page our windows show; the IPC sender check and the navigation rule compare against it. */
export function appUrl(): string {
  return devServerUrl() ?? pathToFileURL(rendererIndex).href
}

/** True for windows this module created (IPC from anything else is refused). */
export function isOurWindow(window: BrowserWindow | null): boolean {
  return window !== null && windows.has(window)
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Blotter',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: !app.isPackaged,
    },
  })
  windows.add(window)
  window.on('closed', () => windows.delete(window))
  // Shown once painted, so the user never sees an empty white frame.
  window.once('ready-to-show', () => window.show())

  const dev = devServerUrl()
  if (dev) void window.loadURL(dev)
  else void window.loadFile(rendererIndex)
  return window
}

/** The window to bring forward when the user starts Blotter a second time. */
export function focusMainWindow(): void {
  const [window] = windows
  if (!window) return
  if (window.isMinimized()) window.restore()
  window.focus()
}

export function hasWindows(): boolean {
  return windows.size > 0
}
