/**
 * What every e2e spec shares: a browser-mode server on a fresh journal per spec file, the app
 * opened with its token, direct contract calls, and a watch on console errors.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import {
  TOKEN_HEADER,
  type Method,
  type MethodInput,
  type MethodResult,
  type RpcResponse,
} from '../../contract'
import { startServer, type BrowserServer } from '../../server/index'
import { bundledImportWorker } from '../support/import-worker'

export { expect }

export const screenshotDir = fileURLToPath(
  new URL('../../test-results/screenshots/', import.meta.url),
)

interface ConsoleWatch {
  /** Console errors the test expects, e.g. Chromium's log line for a deliberate HTTP 400. */
  allow(pattern: RegExp): void
}

/** Every test fails if the page logs a console error or throws, unless the test allowed it. */
export const test = base.extend<{ consoleWatch: ConsoleWatch }>({
  consoleWatch: [
    async ({ page }, use) => {
      const errors: string[] = []
      const allowed: RegExp[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`)
      })
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
      await use({ allow: (pattern) => allowed.push(pattern) })
      expect(errors.filter((error) => !allowed.some((pattern) => pattern.test(error)))).toEqual([])
    },
    { auto: true },
  ],
})

/** Starts a server on a new journal file before the spec file's tests, and closes it after. */
export function useServer(): () => BrowserServer {
  let opened: OpenedServer | undefined
  test.beforeAll(async () => {
    opened = await serveNewJournal(bundledImportWorker())
  })
  test.afterAll(async () => {
    await opened?.close()
  })
  return () => {
    if (!opened) throw new Error('The server has not started')
    return opened.server
  }
}

interface OpenedServer {
  server: BrowserServer
  /** Stops the server and removes its journal's folder. */
  close: () => Promise<void>
}

/** A server on a new journal in a temporary folder. */
async function serveNewJournal(importWorker: URL): Promise<OpenedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'blotter-e2e-'))
  // Import jobs run in the worker thread, as `blotter serve` and the desktop app run them.
  const server = await startServer({ dbPath: join(dir, 'journal.db'), port: 0, importWorker })
  return {
    server,
    close: async () => {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Opens the app at a route (e.g. '/settings') through the URL the server printed. */
export async function openApp(page: Page, server: BrowserServer, route = '/'): Promise<void> {
  await page.goto(`${server.url}#${route}`)
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
}

/** The navigation links with their page labels (the link's title adds its shortcut). */
export async function navPages(page: Page): Promise<{ label: string; link: Locator }[]> {
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link')
  const titles = await links.evaluateAll((elements) =>
    elements.map((e) => e.getAttribute('title') ?? ''),
  )
  return titles.map((title, i) => ({
    label: title.replace(/ \(Alt\+\d\)$/, ''),
    link: links.nth(i),
  }))
}

/** Calls the contract the way the app does, to arrange state without clicking. */
export async function call<M extends Method>(
  server: BrowserServer,
  method: M,
  input: MethodInput<M>,
): Promise<MethodResult<M>> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as RpcResponse<MethodResult<M>>
  if (!body.ok) throw new Error(`${method}: ${body.error.message}`)
  return body.value
}

/** Waits until no part of the page is still loading. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0)
}

/**
 * `test` with a `server` on a new journal for each test instead of one per spec file: each test
 * arranges its own data, so any one of them runs alone (`-g`). The import worker is bundled once
 * per Playwright worker.
 */
export const testOnOwnJournal = test.extend<{ server: BrowserServer }, { importWorker: URL }>({
  importWorker: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's needs from this pattern
    async ({}, use) => use(bundledImportWorker()),
    { scope: 'worker' },
  ],
  server: async ({ importWorker }, use) => {
    const opened = await serveNewJournal(importWorker)
    try {
      await use(opened.server)
    } finally {
      await opened.close()
    }
  },
})
