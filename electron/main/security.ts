/**
 * The app-wide guards of Electron's security checklist (docs/decisions/0006-electron-security.md).
 * The URL rules live in trust.ts, where they are unit-tested.
 */
import { app, session, shell, type WebContents } from 'electron'
import { contentSecurityPolicy, externalUrlToOpen, isAppUrl } from './trust'
import { appUrl, devServerUrl } from './window'

/** Call once, after `ready` and before the first window. */
export function installSecurity(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents))

  const ses = session.defaultSession
  // Electron grants every permission (camera, notifications, clipboard read…) unless told not to.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)

  const csp = contentSecurityPolicy(devServerUrl())
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
}

function guardContents(contents: WebContents): void {
  // Our page may navigate within itself; anything else stays out of the window. A link to an
  // https: or mailto: address opens in the user's browser or mail client instead.
  contents.on('will-frame-navigate', (event) => {
    if (isAppUrl(event.url, appUrl())) return
    event.preventDefault()
    if (event.isMainFrame) openOutside(event.url)
  })
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, appUrl())) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function openOutside(url: string): void {
  const external = externalUrlToOpen(url)
  if (external) void shell.openExternal(external)
}
