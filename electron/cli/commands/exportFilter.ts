/** The options every export shares: the date range, the physician and the procedure kind. */
import { OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { AppDatabase } from '../../db/connect'
import { openTarget, requireString, UsageError, type CommandContext, type Values } from '../common'

export const FILTER_HELP = `  --physician NAME    only this physician's procedures (their username)
  --kind KIND         only vertebroplasty or kyphoplasty`

export async function parseFilter(values: Values, database: AppDatabase): Promise<OutcomeFilter> {
  const from = requireString(values, 'from', 'the first procedure date, YYYY-MM-DD')
  const to = requireString(values, 'to', 'the last procedure date, YYYY-MM-DD')
  let physicianId: number | null = null
  if (typeof values.physician === 'string') {
    const u = await database.db.selectFrom('users').select(['id', 'role']).where('username', '=', values.physician.trim().toLowerCase()).executeTakeFirst()
    if (!u) throw new UsageError(`--physician: there is no user "${values.physician}".`)
    if (u.role !== 'physician') throw new UsageError(`--physician: "${values.physician}" is not a physician.`)
    physicianId = u.id
  }
  const parsed = OutcomeFilter.safeParse({ from, to, physicianId, kind: values.kind ?? null })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(`--${String(issue.path[0] ?? 'from')} ${issue.message}.`)
  }
  return parsed.data
}

/** Opens the database, reads the filter and runs the export; closes the database. */
export async function withFilter(ctx: CommandContext, fn: (database: AppDatabase, filter: OutcomeFilter) => Promise<unknown>): Promise<number> {
  const database = openTarget(ctx.target)
  try {
    await fn(database, await parseFilter(ctx.values, database))
    return 0
  } finally {
    await database.close()
  }
}
