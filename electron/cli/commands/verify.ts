import { hostname } from 'node:os'
import path from 'node:path'
import { anchorDir } from '../../paths'
import { evidenceSourcesFor, formatReport, verifyDatabase } from '../../services/integrity'
import { describeTarget, EXIT_FAILED, EXIT_OK, openTarget, type Command } from '../common'

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check the database file, the audit log (chain and anchors) and every signed record',
  help: `Usage: npm run admin -- verify [--db FILE | --db-url URL] [--anchors DIR] [--json]

Reads the database without changing it and checks:
  - SQLite integrity_check and foreign_key_check (SQLite only),
  - the schema version,
  - the audit log's hash chain: names every row that was edited, removed or inserted outside the app,
  - the audit log's anchors: the heads recorded outside the database (this computer's anchor file, and the
    manifest beside every backup in the backup folder) must still be in the log, unchanged. This is what
    shows that the newest rows were deleted, or that a row was rewritten and every later one re-hashed.
    Rows written after the newest anchor cannot be vouched for this way.
  - every signed note and summary: names each whose content no longer matches its signature.
Exit status 0 when everything holds, 1 when anything failed.

  --anchors DIR   the folder of this computer's audit anchors (default: ${anchorDir()})
  --json          print the report as JSON`,
  options: { json: { type: 'boolean' }, anchors: { type: 'string' } },
  async run({ io, values, target }) {
    const database = openTarget(target)
    try {
      const dir = typeof values.anchors === 'string' && values.anchors.trim() !== '' ? path.resolve(values.anchors) : anchorDir(io.env)
      const evidence = await evidenceSourcesFor(database, dir, hostname())
      const report = await verifyDatabase(database, { evidence })
      if (values.json) io.out(JSON.stringify(report, null, 2))
      else io.out(`Verifying ${describeTarget(target)}\n${formatReport(report)}`)
      return report.ok ? EXIT_OK : EXIT_FAILED
    } finally {
      await database.close()
    }
  },
}
