/**
 * The IPC router: one channel, the sender checked on every call, then the same `dispatch` every
 * host uses (method allowlist, zod validation, service call, RpcResponse).
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import type { RpcResponse } from '../../contract'
import type { Services } from '../../services'
import { dispatch, type DispatchLog } from '../../services/dispatch'
import { INVOKE_CHANNEL } from '../bridge'
import { isTrustedSender, type IpcSender } from './trust'
import { appUrl, isOurWindow } from './window'

const log: DispatchLog = {
  slowCall: (method, ms) => console.warn(`[ipc] ${method} took ${Math.round(ms)} ms`),
  failure: (method, error) => console.error(`[ipc] ${method} failed`, error),
}

export function registerIpc(services: Services): void {
  ipcMain.handle(
    INVOKE_CHANNEL,
    async (event, method: unknown, input: unknown): Promise<RpcResponse<unknown>> => {
      const sender = describeSender(event)
      if (!isTrustedSender(sender, appUrl())) {
        console.warn(`[ipc] refused a call from ${sender.frameUrl ?? 'a detached frame'}`)
        return { ok: false, error: { code: 'unavailable', message: 'IPC from an unknown sender' } }
      }
      if (typeof method !== 'string') {
        return { ok: false, error: { code: 'unknown_method', message: 'Method must be a string' } }
      }
      return dispatch(services, method, input, log)
    },
  )
}

export function unregisterIpc(): void {
  ipcMain.removeHandler(INVOKE_CHANNEL)
}

function describeSender(event: IpcMainInvokeEvent): IpcSender {
  const fromOurWindow = isOurWindow(BrowserWindow.fromWebContents(event.sender))
  try {
    const frame = event.senderFrame
    if (!frame) return { fromOurWindow, fromMainFrame: false, frameUrl: null }
    const main = event.sender.mainFrame
    return {
      fromOurWindow,
      fromMainFrame: frame.parent === null && frame.frameToken === main.frameToken,
      frameUrl: frame.url,
    }
  } catch {
    // A frame disposed mid-call throws on access: treat it as unknown.
    return { fromOurWindow, fromMainFrame: false, frameUrl: null }
  }
}
