import type { RpcError, RpcErrorCode } from '../contract'

/** An error a service raises on purpose: its code and message cross every transport as they are. */
export class AppError extends Error {
  override name = 'AppError'
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly issues?: RpcError['issues'],
  ) {
    super(message)
  }

  toRpcError(): RpcError {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message }
  }
}
