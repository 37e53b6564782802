/**
 * How a process of ours (the development bridge) ends on Ctrl+C or a service manager's SIGTERM: it closes
 * the clinic in order (the open connections, the last backup check, the audit anchors, the database), and
 * exits. Closing must never be able to keep the process alive: a close that hangs (a folder deleted under a
 * running bridge, a stuck network share) is cut off after `graceMs` with a line in the log, and a second
 * signal exits at once, as users expect of Ctrl+C pressed twice.
 */
export interface StopOptions {
  close: () => Promise<void>
  log: (message: string, err?: unknown) => void
  graceMs?: number
  signals?: readonly NodeJS.Signals[]
  /** For tests: where signals come from and how the process ends. */
  on?: (signal: NodeJS.Signals, handler: () => void) => void
  exit?: (code: number) => void
}

export const STOP_GRACE_MS = 10_000

export function stopOnSignals(options: StopOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const on = options.on ?? ((signal, handler) => void process.on(signal, handler))
  const graceMs = options.graceMs ?? STOP_GRACE_MS
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.log(`${signal} again while closing: stopping now`)
      exit(1)
      return
    }
    stopping = true
    const deadline = setTimeout(() => {
      options.log(`closing took longer than ${graceMs / 1000} s after ${signal}: stopping without finishing it`)
      exit(1)
    }, graceMs)
    deadline.unref?.()
    options.close().then(
      () => {
        clearTimeout(deadline)
        exit(0)
      },
      (err: unknown) => {
        clearTimeout(deadline)
        options.log(`closing after ${signal} failed`, err)
        exit(1)
      },
    )
  }
  for (const signal of options.signals ?? (['SIGINT', 'SIGTERM'] as const)) on(signal, () => stop(signal))
}
