/**
 * The reminder run of reminders.test.ts's crash test, as its own process: runs the outbox once on the database
 * given (a SQLite file or a PostgreSQL URL) at the time given, and when the SMTP server has accepted a message,
 * before the outbox marks it sent, prints "HANDED <id>" and waits to be killed (SIGKILL from the test). With a
 * third argument `whole`, it runs to the end (a second sender beside the test's own) and prints its report.
 */
import { openDatabase, parseDbTarget } from '../../electron/db/connect'
import { runReminders } from '../../electron/services/reminders/outbox'

const [where, nowIso, mode] = process.argv.slice(2) as [string, string, string | undefined]
const database = openDatabase(/^postgres/.test(where) ? parseDbTarget(where) : { engine: 'sqlite', file: where })
process.stdout.write('READY\n')
const report = await runReminders({
  database,
  now: () => new Date(nowIso),
  ...(mode === 'whole'
    ? {}
    : {
        afterHandOff: async (item) => {
          process.stdout.write(`HANDED ${item.id}\n`)
          await new Promise(() => {})
        },
      }),
})
process.stdout.write(`DONE ${JSON.stringify({ status: report.status, sent: report.sent.length })}\n`)
await database.close()
