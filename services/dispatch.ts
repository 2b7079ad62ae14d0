/**
 * The router every host shares: known method? valid input? then the service, and the outcome as
 * an RpcResponse that survives JSON and structured clone. Hosts add their own caller checks
 * (IPC sender, HTTP token and Host) before calling it.
 */
import { inputSchemas, isMethod, type Method, type RpcResponse } from '../contract'
import { AppError } from './errors'
import type { Services } from './index'

export interface DispatchLog {
  slowCall(method: string, ms: number): void
  failure(method: string, error: unknown): void
}

/** Calls slower than this are logged: they would stall the UI. */
const SLOW_CALL_MS = 40

export async function dispatch(
  services: Services,
  method: string,
  input: unknown,
  log?: DispatchLog,
): Promise<RpcResponse<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown method "${method}"` } }
  }
  const parsed = inputSchemas[method].safeParse(input ?? {})
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }))
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
    return {
      ok: false,
      error: { code: 'invalid_input', message: `Invalid input for ${method}: ${summary}`, issues },
    }
  }
  const started = performance.now()
  try {
    const value = await callService(services, method, parsed.data)
    const elapsed = performance.now() - started
    if (elapsed > SLOW_CALL_MS) log?.slowCall(method, elapsed)
    return { ok: true, value }
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toRpcError() }
    log?.failure(method, error)
    return { ok: false, error: { code: 'internal', message: (error as Error).message } }
  }
}

function callService<M extends Method>(services: Services, method: M, input: unknown) {
  // `input` was parsed by inputSchemas[method], so it is ParsedInput<M>.
  return (services[method] as (input: unknown) => unknown)(input)
}
