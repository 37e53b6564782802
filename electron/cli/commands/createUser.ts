import { ROLES } from '../../../shared/roles'
import { AppError } from '../../../shared/result'
import { CreateUser, DisplayName, Password, RoleSchema, Username } from '../../../shared/schemas/users'
import { isUpToDate } from '../../db/migrate'
import { withWriteTransaction } from '../../db/tx'
import { readSettings } from '../../services/settings'
import { createUser } from '../../services/users'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, openTarget, requireString, UsageError, type Command } from '../common'
import type { CliIo } from '../io'
import { cliServiceContext } from '../serviceContext'

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, option: string): T {
  const r = schema.safeParse(value)
  if (!r.success) throw new UsageError(`${option} ${r.error.issues[0]?.message ?? 'is not valid'}.`)
  return r.data
}

async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin || !io.stdinIsTTY) {
    const text = await io.readStdin()
    // One password, one line: a trailing newline from echo or a file is not part of it.
    const password = text.replace(/\r?\n$/, '')
    if (/[\r\n]/.test(password)) throw new UsageError('the password on stdin must be a single line.')
    return password
  }
  const first = await io.promptHidden('Password for the new user: ')
  const again = await io.promptHidden('Type it again: ')
  if (first !== again) throw new UsageError('the two passwords differ; nothing was changed.')
  return first
}

export const createUserCommand: Command = {
  name: 'create-user',
  summary: 'add a user (the password comes from stdin or a hidden prompt)',
  help: `Usage: npm run admin -- create-user --username U --role R --name "N" [--password-stdin] [--db FILE]

Adds a user through the users service and records it in the audit log (actor "admin-cli" on this
computer). Roles: ${ROLES.join(', ')}.
The password is never an argument (it would stay in the shell's history): type it when asked, or
pipe it in, e.g.  printf '%s' "$PW" | npm run admin -- create-user ... --password-stdin

  --username U        3 to 40 letters, digits, dot, dash, underscore
  --role R            one of ${ROLES.join(', ')}
  --name "N"          the name shown in the app
  --password-stdin    read the password from stdin (the default when stdin is not a terminal)`,
  options: { username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  async run({ io, values, target, now }) {
    const username = check(Username, requireString(values, 'username', 'the sign-in name'), '--username')
    const roleArg = requireString(values, 'role', `one of ${ROLES.join(', ')}`)
    const role = check(RoleSchema, ROLES.find((r) => r.toLowerCase() === roleArg.toLowerCase()) ?? roleArg, '--role')
    const displayName = check(DisplayName, requireString(values, 'name', 'the name shown in the app'), '--name')
    const password = check(Password, await readPassword(io, values['password-stdin'] === true), 'the password')
    const input = CreateUser.parse({ username, role, displayName, password })

    const database = openTarget(target)
    try {
      if (!(await isUpToDate(database))) {
        io.err('The database schema is not up to date: run "npm run admin -- migrate" first. Nothing was changed.')
        return EXIT_FAILED
      }
      if (!(await readSettings(database.db))) {
        io.err('The clinic has not been set up yet: start Spine Clinic and complete first-run setup, which creates the first administrator. Nothing was changed.')
        return EXIT_FAILED
      }
      try {
        const user = await withWriteTransaction(database, async (trx) => {
          const ctx = cliServiceContext(database, trx, now())
          return createUser(ctx, input)
        })
        io.out(`Created user ${user.username} (${user.role}, "${user.displayName}") with id ${user.id}.`)
        return EXIT_OK
      } catch (err) {
        if (err instanceof AppError) {
          // A taken user name is a bad argument like a malformed one: it names the field.
          const field = Object.keys(err.fields ?? {})[0]
          io.err(`${field ? `--${field}: ` : ''}${err.message} Nothing was changed.`)
          return field ? EXIT_USAGE : EXIT_FAILED
        }
        throw err
      }
    } finally {
      await database.close()
    }
  },
}
