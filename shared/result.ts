/**
 * How outcomes cross the IPC bridge. Errors travel as data because an Error
 * object loses its class and stack on the way through structured clone / JSON.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'locked',
  /** The database server is not answering (PostgreSQL restarted, the network dropped): try again shortly. */
  'unavailable',
  'internal',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface RpcError {
  code: ErrorCode
  message: string
  /** field path (dot separated) -> message, for invalid_input; extra facts for conflict */
  fields?: Record<string, string>
  /** machine-readable detail a screen can act on, e.g. the duplicates that triggered a warning */
  detail?: unknown
}

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: RpcError }

/** Thrown inside the main process; the router turns it into an RpcError. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly detail?: unknown,
    /** Commit what the call wrote before failing (a failed sign-in's counter and audit row). */
    readonly keepChanges = false,
  ) {
    super(message)
    this.name = 'AppError'
  }
}
