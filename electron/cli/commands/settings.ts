/**
 * `admin settings show|set`: the clinic's settings for IT, with the Settings screen's validation (the same
 * ClinicSettings schema and the same service, so a backup folder is checked the same way) and its audit row.
 */
import { AppError } from '../../../shared/result'
import { ClinicSettings } from '../../../shared/schemas/settings'
import { isUpToDate } from '../../db/migrate'
import { withWriteTransaction } from '../../db/tx'
import { requireSettings, readSettings, updateSettings } from '../../services/settings'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, openTarget, UsageError, type Command } from '../common'
import { cliServiceContext } from '../serviceContext'

const KEYS = Object.keys(ClinicSettings.shape) as (keyof ClinicSettings)[]

function settingKey(name: string | undefined): keyof ClinicSettings {
  if (!name) throw new UsageError(`Which setting? One of: ${KEYS.join(', ')}.`)
  const key = KEYS.find((k) => k === name) ?? KEYS.find((k) => k.toLowerCase() === name.toLowerCase())
  if (!key) throw new UsageError(`There is no setting "${name}". The settings are: ${KEYS.join(', ')}.`)
  return key
}

/** Text settings take the words as typed; the others are JSON (4, true, a list), as `settings show` prints them. */
function parseValue(key: keyof ClinicSettings, text: string | undefined, current: ClinicSettings): unknown {
  if (text === undefined) throw new UsageError(`settings set ${key} needs a value, e.g. settings set ${key} ${JSON.stringify(current[key])}`)
  if (typeof current[key] === 'string') return text
  try {
    return JSON.parse(text)
  } catch {
    throw new UsageError(`${key}: "${text}" is not a value for this setting; write it as "settings show" prints it, e.g. ${JSON.stringify(current[key])}. Nothing was changed.`)
  }
}

export const settingsCommand: Command = {
  name: 'settings',
  summary: "show the clinic's settings, or change one (validated and audited as on the Settings screen)",
  help: `Usage: npm run admin -- settings show [KEY] [--db FILE | --db-url URL]
       npm run admin -- settings set KEY VALUE [--confirm-same-disk] [--db FILE | --db-url URL]

show prints every setting with its value as JSON (or one setting's value).
set changes one setting after checking it as the Settings screen does; a value that does not fit names the
setting and changes nothing (exit status 2). Text settings take the words as typed; numbers, yes/no and
lists are written as JSON, as "show" prints them:
  settings set overnightBeds 4
  settings set clinicName "Spine Clinic of Springfield"
  settings set backupRotation '{"daily":14,"weekly":8,"monthly":12}'
The change is audited (actor "admin-cli" on this computer) and open screens pick it up.

  --confirm-same-disk   keep a backup folder inside the database's folder on the same disk (a failing disk
                        would take the backups with the database)

Settings: ${KEYS.join(', ')}`,
  options: { 'confirm-same-disk': { type: 'boolean' } },
  positionals: 3,
  async run({ io, values, args, target, now }) {
    const [action, name, text] = args
    if (action !== 'show' && action !== 'set') throw new UsageError(action ? `Unknown action "${action}": use "settings show" or "settings set KEY VALUE".` : 'Use "settings show" or "settings set KEY VALUE".')
    if (action === 'show' && text !== undefined) throw new UsageError(`Unexpected argument "${text}" for "settings show".`)
    const key = name === undefined && action === 'show' ? null : settingKey(name)
    const database = openTarget(target)
    try {
      if (!(await isUpToDate(database))) {
        io.err('The database schema is not up to date: run "npm run admin -- migrate" first. Nothing was changed.')
        return EXIT_FAILED
      }
      const view = await readSettings(database.db)
      if (!view) {
        io.err('The clinic has not been set up yet: start Spine Clinic and complete first-run setup. Nothing was changed.')
        return EXIT_FAILED
      }
      if (action === 'show') {
        io.out(JSON.stringify(key ? view.settings[key] : view.settings, null, 2))
        return EXIT_OK
      }
      const value = parseValue(key!, text, view.settings)
      const parsed = ClinicSettings.safeParse({ ...view.settings, [key!]: value })
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        io.err(`${issue.path.length > 0 ? issue.path.join('.') : key} ${issue.message}. Nothing was changed.`)
        return EXIT_USAGE
      }
      try {
        const saved = await withWriteTransaction(database, async (trx) => {
          const current = await requireSettings(trx)
          const settings = ClinicSettings.parse({ ...current.settings, [key!]: parsed.data[key!] })
          return updateSettings(cliServiceContext(database, trx, now()), { version: current.version, settings, confirmBackupFolderOnSameDisk: values['confirm-same-disk'] === true })
        })
        io.out(`${key}: ${JSON.stringify(view.settings[key!])} -> ${JSON.stringify(saved.settings[key!])}`)
        return EXIT_OK
      } catch (err) {
        if (err instanceof AppError) {
          const sameDisk = (err.detail as { backupFolderOnSameDisk?: boolean } | undefined)?.backupFolderOnSameDisk
          io.err(sameDisk ? `${err.message.replace(/ Nothing was changed\.$/, '')} Add --confirm-same-disk to keep it. Nothing was changed.` : `${key}: ${err.message}`)
          return err.fields ? EXIT_USAGE : EXIT_FAILED
        }
        throw err
      }
    } finally {
      await database.close()
    }
  },
}
