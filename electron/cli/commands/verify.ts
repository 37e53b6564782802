import { formatReport, verifyDatabase } from '../../services/integrity'
import { describeTarget, EXIT_FAILED, EXIT_OK, openTarget, type Command } from '../common'

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check the database file, the audit log chain and every signed record',
  help: `Usage: npm run admin -- verify [--db FILE | --db-url URL] [--json]

Reads the database without changing it and checks:
  - SQLite integrity_check and foreign_key_check (SQLite only),
  - the schema version,
  - the audit log's hash chain: names every row that was edited, removed or inserted outside the app,
  - every signed note and summary: names each whose content no longer matches its signature.
Exit status 0 when everything holds, 1 when anything failed.

  --json   print the report as JSON`,
  options: { json: { type: 'boolean' } },
  async run({ io, values, target }) {
    const database = openTarget(target)
    try {
      const report = await verifyDatabase(database)
      if (values.json) io.out(JSON.stringify(report, null, 2))
      else io.out(`Verifying ${describeTarget(target)}\n${formatReport(report)}`)
      return report.ok ? EXIT_OK : EXIT_FAILED
    } finally {
      await database.close()
    }
  },
}
