/**
 * The administrator's command line: `npm run admin -- <command> [options]`.
 * Exit status: 0 done, 1 the command ran and something failed (verify found a problem, a restore was
 * refused), 2 the command was called wrongly (and nothing was changed).
 */
import { parseArgs } from 'node:util'
import { DatabaseTooNewError } from '../db/migrate'
import { backupCommand } from './commands/backup'
import { createUserCommand } from './commands/createUser'
import { exportCommand } from './commands/export'
import { importCommand } from './commands/importDocument'
import { migrateCommand } from './commands/migrate'
import { migrateToPostgresCommand } from './commands/migrateToPostgres'
import { remindersCommand } from './commands/reminders'
import { referrersCommand } from './commands/referrers'
import { restoreCommand } from './commands/restore'
import { seedCommand } from './commands/seed'
import { settingsCommand } from './commands/settings'
import { verifyCommand } from './commands/verify'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, GLOBAL_HELP, GLOBAL_OPTIONS, resolveTarget, UsageError, type Command, type Values } from './common'
import type { CliIo } from './io'

export const COMMANDS: Command[] = [migrateCommand, createUserCommand, verifyCommand, backupCommand, restoreCommand, exportCommand, seedCommand, migrateToPostgresCommand, settingsCommand, remindersCommand, referrersCommand, importCommand]

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Spine Clinic administration

Usage: npm run admin -- <command> [options]
   or: "Spine Clinic" --admin <command> [options]     (the installed app)
   or: node dist-electron/admin.cjs <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

${GLOBAL_HELP}

"npm run admin -- <command> --help" describes a command.
Exit status: 0 done, 1 the command failed or found a problem, 2 wrong arguments (nothing changed).`
}

function commandHelp(c: Command): string {
  return `${c.help}\n\n${GLOBAL_HELP}`
}

/** Turns node:util's parse errors into a message that names the option. */
function explainParseError(err: unknown, command: Command | undefined): UsageError {
  const e = err as { code?: string; message?: string }
  const where = command ? ` for "${command.name}"` : ''
  const option = /'(-{1,2}[^' ]+)/.exec(e.message ?? '')?.[1]
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`Unknown option ${option ?? ''}${where}.`)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(`${option ?? 'An option'} ${/argument missing/.test(e.message ?? '') ? 'needs a value' : 'does not take a value'}${where}.`)
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`Unexpected argument ${/'([^']*)'/.exec(e.message ?? '')?.[1] ?? ''}${where}.`)
    default:
      return new UsageError(e.message ?? String(err))
  }
}

function findCommand(args: string[]): { command?: Command; name?: string } {
  // Every option of every command, so that option values are not mistaken for the command's name.
  const all: Record<string, { type: 'string' | 'boolean'; short?: string }> = { ...(GLOBAL_OPTIONS as any) }
  for (const c of COMMANDS) Object.assign(all, c.options)
  const { positionals } = parseArgs({ args, options: all, strict: false, allowPositionals: true })
  const name = positionals[0]
  if (name === 'help') {
    const topic = COMMANDS.find((c) => c.name === positionals[1])
    return { name, ...(topic ? { command: topic } : {}) }
  }
  return { name, ...(name ? { command: COMMANDS.find((c) => c.name === name) } : {}) } as { command?: Command; name?: string }
}

export async function runAdmin(args: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  let command: Command | undefined
  try {
    const found = findCommand(args)
    command = found.command
    // Passwords never travel as arguments: they end up in shell history and process lists.
    if (args.some((a) => /^--?password(=|$)/.test(a))) {
      throw new UsageError('Passwords are never given as arguments (they stay in the shell history). Type it when asked, or pipe it with --password-stdin.')
    }
    if (found.name === 'help') {
      io.out(found.command ? commandHelp(found.command) : mainHelp())
      return EXIT_OK
    }
    if (!command) {
      if (found.name === undefined && args.some((a) => a === '--help' || a === '-h')) {
        io.out(mainHelp())
        return EXIT_OK
      }
      io.err(found.name === undefined ? 'Which command? ' : `Unknown command "${found.name}".`)
      io.err(mainHelp())
      return EXIT_USAGE
    }
    let values: Values
    let positionals: string[]
    try {
      ;({ values, positionals } = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...command.options }, strict: true, allowPositionals: true }) as {
        values: Values
        positionals: string[]
      })
    } catch (err) {
      throw explainParseError(err, command)
    }
    if (values.help) {
      io.out(commandHelp(command))
      return EXIT_OK
    }
    const extra = command.positionals ?? 0
    if (positionals.length > 1 + extra) throw new UsageError(`Unexpected argument "${positionals[1 + extra]}" for "${command.name}".`)
    const target = resolveTarget(command.dbUrlIsDestination ? { ...values, 'db-url': undefined } : values, io.env)
    return await command.run({ io, values, args: positionals.slice(1), target, now })
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\nSee: npm run admin -- ${command ? `${command.name} ` : ''}--help`)
      return EXIT_USAGE
    }
    if (err instanceof DatabaseTooNewError) {
      io.err(err.message)
      return EXIT_FAILED
    }
    const e = err as { message?: string; code?: string }
    io.err(`${command ? `${command.name} failed` : 'Failed'}: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}`)
    return EXIT_FAILED
  }
}
