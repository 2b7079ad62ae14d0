import type { BlotterBridge } from '../../contract'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    blotter?: BlotterBridge
  }
}

export {}
