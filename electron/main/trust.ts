/**
 * The Electron shell's security rules as pure functions of URLs. They never import 'electron', so
 * vitest checks them without the binary (test/hosts/electron-security.test.ts); security.ts and
 * ipc.ts apply them. Every rule parses with `new URL`: prefix checks let lookalikes through
 * (`http://localhost.evil.com` starts with `http://localhost`).
 */

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * True when `url` is a page of this app. `appUrl` is what the window loaded: the built
 * index.html over file:// (then only that exact file counts, whatever its query or hash), or
 * the dev server (then its whole origin counts).
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const target = parse(url)
  const app = parse(appUrl)
  if (!target || !app) return false
  if (app.protocol === 'file:') {
    return (
      target.protocol === 'file:' && target.host === app.host && target.pathname === app.pathname
    )
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') return target.origin === app.origin
  return false
}

/** What the IPC router knows about the caller of an invoke. */
export interface IpcSender {
  /** The sender's WebContents belongs to a window this app created. */
  fromOurWindow: boolean
  /** The message came from the top frame, not an iframe. */
  fromMainFrame: boolean
  /** URL of the sending frame; null when the frame is gone (navigated away or destroyed). */
  frameUrl: string | null
}

/** Only our own window's top frame, showing our own page, may call the services. */
export function isTrustedSender(sender: IpcSender, appUrl: string): boolean {
  return (
    sender.fromOurWindow &&
    sender.fromMainFrame &&
    sender.frameUrl !== null &&
    isAppUrl(sender.frameUrl, appUrl)
  )
}

/**
 * The URL to hand to the OS (shell.openExternal), or null to drop it. Only https: and mailto:
 * pass: file:, smb:, ms-settings: and custom protocol handlers can run programs. https URLs with
 * credentials (`https://bank.example@evil.example`) are dropped as phishing-shaped. The
 * re-serialised href is returned so the OS gets exactly what was checked.
 */
export function externalUrlToOpen(url: string): string | null {
  const parsed = parse(url)
  if (!parsed) return null
  if (parsed.protocol === 'mailto:') return parsed.href
  if (parsed.protocol === 'https:' && parsed.hostname !== '') {
    return parsed.username === '' && parsed.password === '' ? parsed.href : null
  }
  return null
}

/**
 * The Content-Security-Policy header. Strict for the built app; with a dev server, Vite needs
 * inline scripts (React refresh preamble), inline styles (CSS injected by HMR) and its websocket.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? parse(devServerUrl) : null
  const inline = dev ? " 'unsafe-inline'" : ''
  const websocket = dev ? ` ${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : ''
  return [
    "default-src 'self'",
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    "img-src 'self' data:",
    `connect-src 'self'${websocket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
