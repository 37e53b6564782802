import { existsSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import type { ParseArgsConfig } from 'node:util'
import { openDatabase, parseDbTarget, type AppDatabase, type DbTarget } from '../db/connect'
import { defaultDatabaseFile } from '../paths'
import type { AuditActor } from '../services/audit'
import type { CliIo } from './io'

/** A mistake in how the command was called: exit code 2, and nothing was changed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

export type OptionSpec = NonNullable<ParseArgsConfig['options']>
export type Values = Record<string, string | boolean | undefined>

export interface CommandContext {
  io: CliIo
  values: Values
  /** Words after the command's name (e.g. the kind in `export schedule`). */
  args: string[]
  /** Where the database is (from --db, --db-url, CLINIC_DB_URL or the app's own file). */
  target: DbTarget
  now(): Date
}

export interface Command {
  name: string
  summary: string
  /** Usage line(s) and option descriptions, printed by --help. */
  help: string
  options: OptionSpec
  /** How many words may follow the command's name (default none). */
  positionals?: number
  /** --db-url names where the command writes, not the database it opens (migrate-to-postgres: --db FILE --db-url URL). */
  dbUrlIsDestination?: boolean
  run(ctx: CommandContext): Promise<number>
}

/** The audit actor of everything the command line does. */
export function cliActor(): AuditActor {
  return { userId: null, username: 'admin-cli', workstation: hostname() }
}

export const GLOBAL_OPTIONS: OptionSpec = {
  db: { type: 'string' },
  'db-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
}

export const GLOBAL_HELP = `Choosing the database (any command):
  --db FILE          a SQLite file (default: the app's own, ${defaultDatabaseFile()})
  --db-url URL       a PostgreSQL server, postgres://user@host:port/db (or set CLINIC_DB_URL)`

export function resolveTarget(values: Values, env: CliIo['env']): DbTarget {
  const db = values.db as string | undefined
  const url = values['db-url'] as string | undefined
  if (db !== undefined && url !== undefined) throw new UsageError('Give either --db or --db-url, not both.')
  if (db !== undefined) {
    if (db.trim() === '') throw new UsageError('--db needs a file name.')
    if (/^postgres(ql)?:\/\//i.test(db)) throw new UsageError('--db takes a SQLite file; use --db-url for a PostgreSQL server.')
    return { engine: 'sqlite', file: path.resolve(db) }
  }
  const spec = url ?? env.CLINIC_DB_URL
  if (spec !== undefined) {
    if (!/^postgres(ql)?:\/\//i.test(spec)) throw new UsageError(`${url !== undefined ? '--db-url' : 'CLINIC_DB_URL'} must start with postgres:// (got "${spec.slice(0, 40)}").`)
    return parseDbTarget(spec)
  }
  return { engine: 'sqlite', file: defaultDatabaseFile(env) }
}

export function describeTarget(target: DbTarget): string {
  return target.engine === 'sqlite' ? target.file : target.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

/**
 * Opens the database. Every command but `migrate` needs an existing SQLite file: opening a missing one
 * would silently create an empty database.
 */
export function openTarget(target: DbTarget, opts: { create?: boolean } = {}): AppDatabase {
  if (target.engine === 'sqlite') {
    if (!existsSync(target.file)) {
      if (!opts.create) throw new UsageError(`--db: there is no database at ${target.file} (run "migrate" to create one, or check the path).`)
      mkdirSync(path.dirname(target.file), { recursive: true })
    }
  }
  return openDatabase(target)
}

export function requireString(values: Values, name: string, what: string): string {
  const v = values[name]
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required: ${what}.`)
  return v
}
