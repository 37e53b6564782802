/**
 * The app's log file: what went wrong and when, for the clinic's IT person and for us. Every error a person is
 * shown with a reference ("reference k3v9qa") is here with that reference and its stack, so the reference
 * leads to the cause.
 *
 * No patient information: lines carry ids (user, record) and reasons, never what was typed. The router gives
 * the failing call's input only so that its values can be blanked out of an error's message and stack (a
 * database error can quote the value it refused, e.g. PostgreSQL's `invalid input syntax for type date: "…"`);
 * other properties of an error object (pg's `detail`, which quotes the row) are never written.
 *
 * electron-log (its Node flavour, which also runs in Electron's main process) writes the file: at most
 * MAX_LOG_BYTES, then the file is moved to clinic.old.log (replacing the previous one) and a new one begun, so
 * the log never takes more than twice that. The file is readable by its owner only.
 *
 * Electron's own flavour (electron-log/main) is not used: it adds an IPC channel through which any page could
 * write lines into this log, and the app's sandboxed page has nothing to log there.
 */
import log from 'electron-log/node'
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PRODUCT_NAME } from './paths'

export const LOG_FILE_NAME = 'clinic.log'
export const MAX_LOG_BYTES = 5 * 1024 * 1024

/** What the log may say about a failed call besides the error: ids, and the input only to keep it out. */
export interface LogContext {
  channel?: string
  userId?: number | null
  input?: unknown
}

/** The signature the router, the backup scheduler and the database take for their `log` option. */
export type LogFn = (message: string, err?: unknown, context?: LogContext) => void

export interface AppLog {
  /** The log file's path (README and the About box name it). */
  file: string
  info(message: string): void
  warn(message: string, err?: unknown, context?: LogContext): void
  error(message: string, err?: unknown, context?: LogContext): void
}

const BLANK = '[input]'
const MIN_BLANKED_LENGTH = 3
const MAX_INPUT_STRINGS = 500

/** Every string in a call's input (names, notes, dates typed), longest first. */
function inputStrings(input: unknown): string[] {
  const found = new Set<string>()
  const walk = (v: unknown, depth: number) => {
    if (found.size >= MAX_INPUT_STRINGS || depth > 8) return
    if (typeof v === 'string') {
      // A value shorter than this (a sex code, an initial) cannot be blanked without mangling every word
      // around it, and identifies nobody.
      const value = v.trim()
      if (value.length >= MIN_BLANKED_LENGTH) found.add(value)
      // A short value's words one by one too (an error may quote a part of a name); not a long text's, whose
      // common words would blank out the stack's file names.
      const words = value.split(/\s+/)
      if (words.length > 1 && words.length <= 5) for (const word of words) if (word.length >= MIN_BLANKED_LENGTH) found.add(word)
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1))
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => walk(x, depth + 1))
  }
  walk(input, 0)
  return [...found].sort((a, b) => b.length - a.length)
}

function blankOut(text: string, strings: readonly string[]): string {
  let out = text
  for (const s of strings) {
    out = out.split(s).join(BLANK)
  }
  return out
}

function errorText(err: unknown, depth: number): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    const head = err.stack ?? `${err.name}: ${err.message}`
    const withCode = typeof code === 'string' || typeof code === 'number' ? `${head}\n    code: ${code}` : head
    const cause = (err as { cause?: unknown }).cause
    return cause !== undefined && depth < 3 ? `${withCode}\n  caused by: ${errorText(cause, depth + 1)}` : withCode
  }
  if (err === undefined) return ''
  // Something that is not an Error was thrown: say what kind, not what it held (it may be a record).
  return `(a thrown ${err === null ? 'null' : typeof err}, not an Error)`
}

/**
 * An error for the log: its stack (with its message), its code and its causes, with every string of the
 * call's input blanked out.
 */
export function describeError(err: unknown, input?: unknown): string {
  const text = errorText(err, 0)
  return input === undefined ? text : blankOut(text, inputStrings(input))
}

/** One log entry's text. */
export function logEntry(message: string, err?: unknown, context: LogContext = {}): string {
  const about = [context.channel, context.userId != null ? `user ${context.userId}` : undefined].filter(Boolean).join(', ')
  const head = about ? `${message} (${about})` : message
  const detail = describeError(err, context.input)
  return detail ? `${head}\n${detail}` : head
}

let instances = 0

/**
 * Opens the log in `dir` (the app's data folder's `logs`, made readable by its owner only). `console: false`
 * keeps it out of the terminal (the tests); otherwise warnings and errors are printed there too.
 */
export function openAppLog(opts: { dir: string; console?: boolean; maxSize?: number }): AppLog {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 })
  const file = join(opts.dir, LOG_FILE_NAME)
  // V8 keeps 10 frames of a stack, which a database error spends inside Kysely before it reaches the service
  // that made the call: a process that keeps a log keeps whole stacks.
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50)
  // A file left by an earlier version, or copied in, is made private too (the mode below applies when it is made).
  if (existsSync(file)) chmodSync(file, 0o600)
  const logger = log.create({ logId: `clinic-${++instances}` })
  // electron-log looks for the app's name in the nearest package.json before its first line, and writes nothing
  // when it finds none (an installed app started from another folder): it is given the name instead.
  logger.transports.file.setAppName(PRODUCT_NAME)
  logger.transports.file.resolvePathFn = () => file
  logger.transports.file.maxSize = opts.maxSize ?? MAX_LOG_BYTES
  logger.transports.file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' }
  logger.transports.file.format = '{iso} [{level}] {text}'
  logger.transports.file.level = 'info'
  logger.transports.console.level = opts.console === false ? false : 'warn'
  for (const name of ['ipc', 'remote'] as const) {
    const transport = logger.transports[name] as { level: unknown } | undefined
    if (transport) transport.level = false
  }
  return {
    file,
    info: (message) => logger.info(message),
    warn: (message, err, context) => logger.warn(logEntry(message, err, context)),
    error: (message, err, context) => logger.error(logEntry(message, err, context)),
  }
}
