/**
 * The sandboxed preload: exposes `window.blotter.invoke` and nothing else. ipcRenderer itself
 * never reaches the page, and only contract method names are forwarded. Main checks the sender
 * and validates the input again; this is the first fence, not the only one.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { BlotterBridge, RpcResponse } from '../../contract'
import { INVOKE_CHANNEL, isBridgeMethod } from '../bridge'

const bridge = {
  invoke(method: string, input: unknown): Promise<RpcResponse<unknown>> {
    if (!isBridgeMethod(method)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown_method', message: `Unknown method "${String(method)}"` },
      })
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, input) as Promise<RpcResponse<unknown>>
  },
} satisfies BlotterBridge

contextBridge.exposeInMainWorld('blotter', bridge)
