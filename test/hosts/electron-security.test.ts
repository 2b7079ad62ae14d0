// The Electron shell's pure rules, tested without the Electron binary: none of these modules
// imports 'electron'.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it, vi } from 'vitest'
import { methods } from '../../contract'
import { openJournal } from '../../db/open'
import { bridgeMethods, isBridgeMethod } from '../../electron/bridge'
import {
  backupFileName,
  backupNow,
  backupsToPrune,
  startAutoBackup,
} from '../../electron/main/backups'
import { setSetting } from '../../services/settings'
import { tempDir } from '../support/temp'
import {
  contentSecurityPolicy,
  externalUrlToOpen,
  isAppUrl,
  isTrustedSender,
  type IpcSender,
} from '../../electron/main/trust'

const fileApp = 'file:///opt/Blotter/resources/app.asar/out/renderer/index.html'
const devApp = 'http://localhost:5173/'
const ourFrame = (frameUrl: string | null): IpcSender => ({
  fromOurWindow: true,
  fromMainFrame: true,
  frameUrl,
})

describe('isTrustedSender', () => {
  it('accepts our main frame showing the built index.html, with any hash or query', () => {
    expect(isTrustedSender(ourFrame(fileApp), fileApp)).toBe(true)
    expect(isTrustedSender(ourFrame(`${fileApp}#/trades?day=2025-01-02`), fileApp)).toBe(true)
    expect(isTrustedSender(ourFrame(`${fileApp}?x=1`), fileApp)).toBe(true)
  })

  it('accepts our main frame on the dev server origin', () => {
    expect(isTrustedSender(ourFrame('http://localhost:5173/#/stats'), devApp)).toBe(true)
    expect(isTrustedSender(ourFrame('http://localhost:5173/src/page.html'), devApp)).toBe(true)
  })

  it('refuses other file:// pages, including lookalikes of ours', () => {
    for (const url of [
      'file:///tmp/evil.html',
      'file:///opt/Blotter/resources/app.asar/out/renderer/index.html.evil',
      'file:///opt/Blotter/resources/app.asar/out/renderer/other.html',
      'file:///opt/Blotter/resources/app.asar/out/renderer/../../evil/index.html',
      'file://evil-host/opt/Blotter/resources/app.asar/out/renderer/index.html',
    ]) {
      expect(isTrustedSender(ourFrame(url), fileApp), url).toBe(false)
    }
  })

  it('refuses foreign origins and lookalikes of the dev server', () => {
    for (const url of [
      'https://evil.example/',
      'http://localhost.evil.com:5173/',
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      'http://localhost:5173@evil.example/',
      'data:text/html,<script>1</script>',
      'about:blank',
      'not a url',
    ]) {
      expect(isTrustedSender(ourFrame(url), devApp), url).toBe(false)
    }
  })

  it('refuses web pages when the app is the file build, and file pages when it is the dev server', () => {
    expect(isTrustedSender(ourFrame('https://evil.example/'), fileApp)).toBe(false)
    expect(isTrustedSender(ourFrame(fileApp), devApp)).toBe(false)
  })

  it('refuses sub-frames, foreign windows and detached frames even on our URL', () => {
    expect(isTrustedSender({ ...ourFrame(fileApp), fromMainFrame: false }, fileApp)).toBe(false)
    expect(isTrustedSender({ ...ourFrame(fileApp), fromOurWindow: false }, fileApp)).toBe(false)
    expect(isTrustedSender(ourFrame(null), fileApp)).toBe(false)
  })
})

describe('navigation rule (isAppUrl)', () => {
  it('lets the app reload itself and nothing else', () => {
    expect(isAppUrl(`${fileApp}#/settings`, fileApp)).toBe(true)
    expect(isAppUrl('https://example.com/', fileApp)).toBe(false)
    expect(isAppUrl('file:///etc/passwd', fileApp)).toBe(false)
    expect(isAppUrl('http://localhost:5173/anything', devApp)).toBe(true)
    expect(isAppUrl('http://localhost.evil.com/', devApp)).toBe(false)
  })

  it('trusts nothing when the app URL itself is not http(s) or file', () => {
    expect(isAppUrl('about:blank', 'about:blank')).toBe(false)
    expect(isAppUrl('x', 'garbage')).toBe(false)
  })
})

describe('externalUrlToOpen (shell.openExternal)', () => {
  it('passes https and mailto links, normalised', () => {
    expect(externalUrlToOpen('https://www.electronjs.org/docs')).toBe(
      'https://www.electronjs.org/docs',
    )
    expect(externalUrlToOpen('HTTPS://Example.COM')).toBe('https://example.com/')
    expect(externalUrlToOpen('mailto:support@example.com')).toBe('mailto:support@example.com')
  })

  it('drops every scheme that can start programs or read files', () => {
    for (const url of [
      'http://example.com/',
      'file:///bin/sh',
      'smb://server/share',
      'ms-settings:display',
      'javascript:alert(1)',
      'vbscript:msgbox',
      'data:text/html,hi',
      'steam://run/1',
      '//example.com',
      '',
      'not a url',
    ]) {
      expect(externalUrlToOpen(url), url).toBeNull()
    }
  })

  it('drops https links that carry credentials', () => {
    expect(externalUrlToOpen('https://bank.example@evil.example/')).toBeNull()
    expect(externalUrlToOpen('https://user:pass@example.com/')).toBeNull()
  })
})

describe('contentSecurityPolicy', () => {
  it('is strict for the built app', () => {
    const csp = contentSecurityPolicy()
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'",
    )
    expect(csp).not.toContain('unsafe')
  })

  it("allows only what Vite's dev server needs in development", () => {
    const csp = contentSecurityPolicy('http://localhost:5173/')
    expect(csp).toContain("script-src 'self' 'unsafe-inline'")
    expect(csp).toContain("connect-src 'self' ws://localhost:5173")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).toContain("object-src 'none'")
  })
})

describe('preload method allowlist', () => {
  it('lists exactly the contract methods', () => {
    expect([...bridgeMethods].sort()).toEqual([...methods].sort())
  })

  it('refuses anything else', () => {
    expect(isBridgeMethod('system.info')).toBe(true)
    for (const name of ['constructor', '__proto__', 'toString', 'system.info ', '', 42, null]) {
      expect(isBridgeMethod(name), String(name)).toBe(false)
    }
  })
})

describe('automatic backup rotation', () => {
  it('names backups with a sortable, Windows-safe UTC stamp', () => {
    expect(backupFileName(new Date('2025-01-31T17:05:00.123Z'))).toBe(
      'blotter-2025-01-31T17-05-00-123Z.db',
    )
  })

  it('prunes only automatic backups beyond the newest ten', () => {
    const stamps = Array.from({ length: 12 }, (_, i) =>
      backupFileName(new Date(Date.UTC(2025, 0, 1 + i))),
    )
    const others = ['blotter-before-v3-2025-01-01T00-00-00-000Z.db', 'notes.txt', 'blotter.db']
    const prune = backupsToPrune([...others, ...stamps].reverse())
    expect(prune).toEqual(stamps.slice(0, 2))
    expect(backupsToPrune(stamps.slice(0, 10))).toEqual([])
  })

  it('writes a readable copy through the backup API and keeps the newest ten', async () => {
    const { dir, cleanup } = tempDir()
    try {
      const journal = await openJournal(join(dir, 'blotter.db'))
      const ctx = { journal, host: 'electron' as const, secrets: null }
      const folder = join(dir, 'backups')
      const oldest = await backupNow(ctx, folder, new Date(Date.UTC(2019, 0, 1)))
      const older = Array.from({ length: 10 }, (_, i) =>
        backupFileName(new Date(Date.UTC(2020, 0, 1 + i))),
      )
      for (const name of older) writeFileSync(join(folder, name), '')
      writeFileSync(join(folder, 'blotter-before-v2-2018-01-01T00-00-00-000Z.db'), '')
      const newest = await backupNow(ctx, folder)
      journal.close()

      expect(existsSync(oldest)).toBe(false)
      expect(readdirSync(folder).sort()).toEqual(
        [
          ...older.slice(1),
          basename(newest),
          'blotter-before-v2-2018-01-01T00-00-00-000Z.db',
        ].sort(),
      )
      const copy = new Database(newest, { readonly: true })
      const version = copy.pragma('user_version', { simple: true })
      copy.close()
      expect(version).toBe(journal.schemaVersion)
    } finally {
      cleanup()
    }
  })

  it('backs up on the interval the setting gives, and not at all when it is 0', async () => {
    const { dir, cleanup } = tempDir()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const journal = await openJournal(join(dir, 'blotter.db'))
      const ctx = { journal, host: 'electron' as const, secrets: null }
      const folder = join(dir, 'backups')
      const count = () => (existsSync(folder) ? readdirSync(folder).length : 0)

      setSetting(ctx, { key: 'backup.intervalMinutes', value: 5 })
      const auto = startAutoBackup(ctx, folder)
      await vi.advanceTimersByTimeAsync(4 * 60_000)
      expect(count()).toBe(0)
      await vi.advanceTimersByTimeAsync(60_000)
      await vi.waitFor(() => expect(count()).toBe(1))

      setSetting(ctx, { key: 'backup.intervalMinutes', value: 0 })
      await vi.advanceTimersByTimeAsync(30 * 60_000)
      expect(count()).toBe(1)

      await auto.stop()
      journal.close()
    } finally {
      vi.useRealTimers()
      cleanup()
    }
  })
})
