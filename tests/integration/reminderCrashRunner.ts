/**
 * The reminder run of reminders.test.ts's crash test, as its own process: runs the outbox once on the database
 * given (a SQLite file or a PostgreSQL URL) at the time given, and when the SMTP server has accepted a message,
 * before the outbox marks it sent, prints "HANDED <id>" and waits to be killed (SIGKILL from the test).
 */
import { openDatabase, parseDbTarget } from '../../electron/db/connect'
import { runReminders } from '../../electron/services/reminders/outbox'

const [where, nowIso] = process.argv.slice(2) as [string, string]
const database = openDatabase(/^postgres/.test(where) ? parseDbTarget(where) : { engine: 'sqlite', file: where })
process.stdout.write('READY\n')
await runReminders({
  database,
  now: () => new Date(nowIso),
  afterHandOff: async (item) => {
    process.stdout.write(`HANDED ${item.id}\n`)
    await new Promise(() => {})
  },
})
process.stdout.write('DONE\n')
await database.close()
