/**
 * What crosses a transport, with no runtime dependencies: the renderer and the sandboxed preload
 * import this module without pulling zod into their bundles.
 */

/** What every transport returns: a value, or an error that survives structured clone and JSON. */
export type RpcResponse<T> = { ok: true; value: T } | { ok: false; error: RpcError }

export type RpcErrorCode =
  | 'unknown_method'
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'forbidden'
  | 'internal'

export interface RpcError {
  code: RpcErrorCode
  message: string
  /** For invalid_input: where (a dotted path) and what is wrong. */
  issues?: { path: string; message: string }[]
}

/**
 * What the Electron preload exposes as `window.blotter`: one typed call, nothing else.
 * The browser-mode client implements the same call over fetch.
 */
export interface BlotterBridge {
  invoke(method: string, input: unknown): Promise<RpcResponse<unknown>>
}

/** HTTP header that carries browser mode's per-launch token. */
export const TOKEN_HEADER = 'x-blotter-token'
