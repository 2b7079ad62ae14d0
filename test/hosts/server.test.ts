import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_HEADER } from '../../contract'
import { startServer, type BrowserServer } from '../../server'
import { tempDir } from '../support/temp'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so the test controls the Host header the way an attacker could. */
function send(
  server: BrowserServer,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('browser-mode server', () => {
  let server: BrowserServer
  let cleanup: () => void
  const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    send(server, {
      method: 'POST',
      path: `/api/${method}`,
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token, ...headers },
      body: JSON.stringify(body),
    })

  beforeAll(async () => {
    const temp = tempDir()
    cleanup = temp.cleanup
    const staticDir = join(temp.dir, 'renderer')
    mkdirSync(staticDir)
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Blotter</title>')
    writeFileSync(join(temp.dir, 'secret.txt'), 'outside the app folder')
    server = await startServer({ dbPath: join(temp.dir, 'journal.db'), port: 0, staticDir })
  })
  afterAll(async () => {
    await server.close()
    cleanup()
  })

  it('binds to 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the renderer with a strict CSP', async () => {
    const reply = await send(server, { path: '/' })
    expect(reply.status).toBe(200)
    expect(reply.body).toContain('<title>Blotter</title>')
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'")
  })

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const reply = await send(server, { path })
      expect(reply.body).not.toContain('outside the app folder')
    }
  })

  it('answers contract calls that carry the token', async () => {
    const reply = await api('system.info', {})
    expect(reply.status).toBe(200)
    const body = JSON.parse(reply.body)
    expect(body.ok).toBe(true)
    expect(body.value.host).toBe('browser')
    expect(body.value.tables).toHaveProperty('market_data')
  })

  it('rejects calls without the token or with a wrong one', async () => {
    const missing = await send(server, { method: 'POST', path: '/api/system.info', body: '{}' })
    expect(missing.status).toBe(401)
    const wrong = await api('system.info', {}, { [TOKEN_HEADER]: 'x'.repeat(server.token.length) })
    expect(wrong.status).toBe(401)
  })

  it('rejects a foreign Host header (DNS rebinding), even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1:1']) {
      const reply = await api('system.info', {}, { host })
      expect(reply.status).toBe(403)
      const page = await send(server, { path: '/', headers: { host } })
      expect(page.status).toBe(403)
    }
  })

  it('rejects a foreign Origin', async () => {
    const reply = await api('system.info', {}, { origin: 'https://evil.example' })
    expect(reply.status).toBe(403)
  })

  it('rejects unknown methods, invalid input, bad JSON and GET on the API', async () => {
    const unknown = await api('system.shutdown', {})
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
    const invalid = await api('settings.set', { key: 'ui.theme', value: 'neon' })
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const badJson = await send(server, {
      method: 'POST',
      path: '/api/system.info',
      headers: { [TOKEN_HEADER]: server.token },
      body: '{not json',
    })
    expect(badJson.status).toBe(400)
    expect(JSON.parse(badJson.body).error.message).toMatch(/not JSON/)
    const get = await send(server, {
      path: '/api/system.info',
      headers: { [TOKEN_HEADER]: server.token },
    })
    expect(get.status).toBe(405)
  })

  it('refuses to store secrets (no OS keychain in browser mode)', async () => {
    const reply = await api('settings.set', { key: 'sync.postgresUrl', value: 'postgres://x/y' })
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    expect(JSON.parse(reply.body).error.message).toMatch(/only the desktop app/)
  })
})
