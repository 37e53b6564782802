/**
 * `admin referrers unmatched`: the referral texts the directory does not name (issue 19 point 1): the patients'
 * free-text referring physicians the upgrade could not match to one referrer (and why), and unknown referrers typed
 * at intake. Each line: the text, the patient, the date received, why. Read only.
 */
import { isUpToDate } from '../../db/migrate'
import { UNMATCHABLE_LABELS } from '../../../shared/schemas/referrals'
import { listUnmatched } from '../../services/referrals'
import { EXIT_FAILED, EXIT_OK, openTarget, UsageError, type Command } from '../common'

export const referrersCommand: Command = {
  name: 'referrers',
  summary: 'list the referral texts not matched to a referrer',
  help: `Usage: npm run admin -- referrers unmatched [--db FILE | --db-url URL]

Prints every referral that names no referrer of the directory, only a text: the free text of the patients'
"referring physician" the upgrade to referrers could not match to one clinician (empty, naming several, or not
specific enough: one name word or a placeholder such as "self"), and referrers typed at intake that are not in
the directory. The texts are kept; link them on the Referrers screen. Changes nothing.`,
  options: {},
  positionals: 1,
  async run({ io, args, target }) {
    if (args[0] !== 'unmatched') throw new UsageError(args[0] ? `Unknown action "${args[0]}": use "referrers unmatched".` : 'Use "referrers unmatched".')
    const database = openTarget(target)
    try {
      if (!(await isUpToDate(database))) {
        io.err('The database schema is not up to date: run "npm run admin -- migrate" first.')
        return EXIT_FAILED
      }
      const rows = await listUnmatched(database.db)
      io.out(`Referral texts not matched to a referrer: ${rows.length}`)
      for (const r of rows) {
        const why = r.why ? UNMATCHABLE_LABELS[r.why] : 'typed at intake, no referrer chosen'
        io.out(`  "${r.referrerText}"  ${r.patientName} (${r.patientMrn})  ${r.source === 'migrated' ? 'from the patient record' : `received ${r.receivedOn}`}  referral #${r.id}: ${why}`)
      }
      return EXIT_OK
    } finally {
      await database.close()
    }
  },
}
