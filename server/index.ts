/**
 * Browser mode: the renderer build and the contract over HTTP on 127.0.0.1.
 *
 * Anything on the machine can reach a loopback port, so every API call needs the per-launch
 * token, and every request's Host header must name our own address (DNS rebinding would
 * otherwise let a web page talk to us through a domain that resolves to 127.0.0.1).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { TOKEN_HEADER, type RpcResponse } from '../contract'
import { openJournal, type OpenOptions } from '../db/open'
import { createServices } from '../services'
import { dispatch } from '../services/dispatch'
import { workerRunner } from '../services/import-jobs'

export interface BrowserServer {
  /** The address to open, token included. */
  url: string
  token: string
  port: number
  close(): Promise<void>
}

export interface ServerOptions extends OpenOptions {
  dbPath: string
  /** 0 picks a free port. */
  port?: number
  /** The renderer build; defaults to out/renderer. */
  staticDir?: string
  /** The bundled services/import-worker.ts; without it import jobs run in the server's thread. */
  importWorker?: URL
}

const LOOPBACK = '127.0.0.1'
/** Room for import.files (base64 files); bigger files go through the CLI or the desktop app. */
const MAX_BODY_BYTES = 64 * 1024 * 1024
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export const defaultStaticDir = resolve('out/renderer')

export async function startServer(options: ServerOptions): Promise<BrowserServer> {
  const staticDir = resolve(options.staticDir ?? defaultStaticDir)
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`No renderer build in ${staticDir}: run "npm run build:renderer" first.`)
  }
  const journal = await openJournal(options.dbPath, options)
  const services = createServices({
    journal,
    host: 'browser',
    secrets: null,
    ...(options.importWorker && {
      importRunner: workerRunner(options.importWorker, 'browser', journal.path, options),
    }),
  })
  const token = randomBytes(24).toString('base64url')
  const tokenBytes = Buffer.from(token)

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('browser mode: request failed', error)
      if (!response.headersSent) sendJson(response, 500, internalError('Request failed'))
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('X-Content-Type-Options', 'nosniff')
    response.setHeader('Referrer-Policy', 'no-referrer')
    if (!isOwnHost(request.headers.host, port())) {
      sendJson(response, 403, rejected('Foreign Host header: browser mode answers only 127.0.0.1'))
      return
    }
    const path = new URL(request.url ?? '/', `http://${LOOPBACK}`).pathname
    if (path.startsWith('/api/')) {
      await handleApi(request, response, decodeURIComponent(path.slice('/api/'.length)))
    } else if (request.method === 'GET' || request.method === 'HEAD') {
      serveStatic(response, staticDir, path)
    } else {
      sendJson(response, 405, rejected('Method not allowed'))
    }
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string) {
    if (request.method !== 'POST') {
      sendJson(response, 405, rejected('The API takes POST requests'))
      return
    }
    if (!hasToken(request.headers[TOKEN_HEADER], tokenBytes)) {
      sendJson(response, 401, rejected('Missing or wrong token: open the URL the server printed'))
      return
    }
    const origin = request.headers.origin
    if (origin !== undefined && !isOwnOrigin(origin, port())) {
      sendJson(response, 403, rejected(`Foreign origin ${origin}`))
      return
    }
    const body = await readBody(request)
    if (body === null) {
      sendJson(response, 413, rejected(`Request body over ${MAX_BODY_BYTES} bytes`))
      return
    }
    let input: unknown
    try {
      input = body.length === 0 ? {} : JSON.parse(body)
    } catch (error) {
      sendJson(response, 400, {
        ok: false,
        error: { code: 'invalid_input', message: `Body is not JSON: ${(error as Error).message}` },
      })
      return
    }
    const result = await dispatch(services, method, input, {
      slowCall: (name, ms) => console.warn(`slow call ${name}: ${ms.toFixed(0)} ms`),
      failure: (name, error) => console.error(`${name} failed`, error),
    })
    // An answer from the router is a successful exchange even when it reports an error (as in
    // JSON-RPC); HTTP error statuses are kept for requests refused before they reach it.
    sendJson(response, 200, result)
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen)
    server.listen(options.port ?? 0, LOOPBACK, () => resolveListen())
  })
  const port = () => (server.address() as AddressInfo).port

  return {
    url: `http://${LOOPBACK}:${port()}/?token=${token}`,
    token,
    port: port(),
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections()
        server.close(() => {
          journal.close()
          resolveClose()
        })
      }),
  }
}

export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`
}

function isOwnOrigin(origin: string, port: number): boolean {
  return origin === `http://${LOOPBACK}:${port}` || origin === `http://localhost:${port}`
}

function hasToken(header: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof header !== 'string') return false
  const given = Buffer.from(header)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    request.on('end', () =>
      resolveBody(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')),
    )
    request.on('error', rejectBody)
  })
}

function serveStatic(response: ServerResponse, root: string, urlPath: string): void {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '')
  let file = join(root, relative || 'index.html')
  if (!file.startsWith(root + sep) && file !== root) {
    sendJson(response, 403, rejected('Outside the app folder'))
    return
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html')
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-cache',
  })
  createReadStream(file).pipe(response)
}

function rejected(message: string): RpcResponse<never> {
  return { ok: false, error: { code: 'forbidden', message } }
}

function internalError(message: string): RpcResponse<never> {
  return { ok: false, error: { code: 'internal', message } }
}

function sendJson(response: ServerResponse, status: number, body: RpcResponse<unknown>): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}
