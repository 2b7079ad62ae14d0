/**
 * The typed client for the contract. In Electron the preload's `window.blotter` carries calls over
 * IPC; in browser mode they go to the local server as POST /api/<method> with the launch token.
 */
import type { Invoke, Method, MethodInput, MethodResult } from '../../../contract'
// The transport module, not the contract's index: it keeps zod out of the renderer bundle.
import { TOKEN_HEADER, type RpcError, type RpcResponse } from '../../../contract/transport'

const TOKEN_KEY = 'blotter.token'

/** A failed call, with the code, message and issues the host sent. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly code: string
  readonly issues: NonNullable<RpcError['issues']>

  constructor(error: RpcError) {
    super(error.message)
    this.code = error.code
    this.issues = error.issues ?? []
  }
}

/** Anything thrown while calling, as an ApiError the UI can show. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ApiError({ code: 'internal', message })
}

/**
 * Moves the token of the URL the server printed (…/?token=…) into sessionStorage, so it survives
 * reloads of this tab but stays out of the address bar, history and bookmarks.
 */
export function captureToken(): void {
  const url = new URL(window.location.href)
  const token = url.searchParams.get('token')
  if (token === null) return
  sessionStorage.setItem(TOKEN_KEY, token)
  url.searchParams.delete('token')
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
}

export const invoke: Invoke = async <M extends Method>(method: M, input: MethodInput<M>) => {
  const response = window.blotter ? await viaBridge(method, input) : await viaHttp(method, input)
  if (!response.ok) throw new ApiError(response.error)
  return response.value as MethodResult<M>
}

async function viaBridge(method: Method, input: unknown): Promise<RpcResponse<unknown>> {
  try {
    return await window.blotter!.invoke(method, input)
  } catch (error) {
    return failure(
      'internal',
      `The desktop app did not answer ${method}: ${toApiError(error).message}`,
    )
  }
}

async function viaHttp(method: Method, input: unknown): Promise<RpcResponse<unknown>> {
  let response: Response
  try {
    response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TOKEN_HEADER]: sessionStorage.getItem(TOKEN_KEY) ?? '',
      },
      body: JSON.stringify(input),
    })
  } catch {
    return failure(
      'unavailable',
      'Cannot reach the Blotter server. Is `npm run serve` still running?',
    )
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (isRpcResponse(body)) return body
  return failure('internal', `Unexpected answer from the server (HTTP ${response.status}).`)
}

function isRpcResponse(body: unknown): body is RpcResponse<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false
  if (body.ok === true) return 'value' in body
  return 'error' in body && typeof body.error === 'object' && body.error !== null
}

function failure(code: RpcError['code'], message: string): RpcResponse<never> {
  return { ok: false, error: { code, message } }
}
