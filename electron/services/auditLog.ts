/**
 * The audit viewer: the log filtered by user, patient, action and dates (calendar days in the clinic's
 * time zone), newest first and paged by id; the same filter exported as CSV (the export audited with who,
 * the filter and the row count); the lists its filters pick from.
 */
import { stringify } from 'csv-stringify/sync'
import { spreadsheetSafeCast } from './spreadsheetSafe'
import type { Selectable, SelectQueryBuilder } from 'kysely'
import type { z } from 'zod'
import { addDays, zonedToInstant } from '../../shared/scheduling/time'
import { AppError } from '../../shared/result'
import {
  AUDIT_EXPORT_MAX_ROWS,
  type AuditEntry,
  type AuditExport,
  type AuditFilter,
  type AuditFilterOptions,
  type AuditPatientOption,
  type AuditQuery,
} from '../../shared/schemas/audit'
import type { Tx } from '../db/tx'
import type { AuditLogTable, DB } from '../db/types'
import type { ServiceContext } from './context'
import { searchPatients } from './patients'
import { readSettings } from './settings'

const COLUMNS = [
  'audit_log.id',
  'audit_log.at',
  'audit_log.user_id',
  'audit_log.username',
  'audit_log.workstation',
  'audit_log.action',
  'audit_log.entity',
  'audit_log.entity_id',
  'audit_log.patient_id',
  'audit_log.details',
  'patients.mrn',
] as const

/** The instants a calendar-day range covers in the clinic's time zone: [start of `from`, start of the day after `to`). */
async function instantRange(db: Tx, filter: AuditFilter): Promise<{ from?: string; before?: string }> {
  if (!filter.from && !filter.to) return {}
  const timeZone = (await readSettings(db))?.settings.timeZone ?? 'UTC'
  return {
    ...(filter.from ? { from: zonedToInstant(filter.from, '00:00', timeZone) } : {}),
    ...(filter.to ? { before: zonedToInstant(addDays(filter.to, 1), '00:00', timeZone) } : {}),
  }
}

async function filtered(db: Tx, filter: AuditFilter) {
  let q = db.selectFrom('audit_log').leftJoin('patients', 'patients.id', 'audit_log.patient_id').select(COLUMNS) as SelectQueryBuilder<DB, 'audit_log' | 'patients', AuditRow>
  if (filter.userId) q = q.where('audit_log.user_id', '=', filter.userId)
  // the patient's own rows, and the rows that name them among several (a search's hits, a bulk export)
  if (filter.patientId) {
    const patientId = filter.patientId
    q = q.where((eb) =>
      eb.or([
        eb('audit_log.patient_id', '=', patientId),
        eb('audit_log.id', 'in', eb.selectFrom('audit_patients').select('audit_patients.audit_id').where('audit_patients.patient_id', '=', patientId)),
      ]),
    )
  }
  if (filter.action) q = q.where('audit_log.action', '=', filter.action)
  const range = await instantRange(db, filter)
  if (range.from) q = q.where('audit_log.at', '>=', range.from)
  if (range.before) q = q.where('audit_log.at', '<', range.before)
  return q
}

/** An audit_log row as read for the viewer: the table's own columns (without the chain hashes) and the patient's MRN. */
type AuditRow = Omit<Selectable<AuditLogTable>, 'prev_hash' | 'hash'> & { mrn: string | null }

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    workstation: r.workstation,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    patientId: r.patient_id,
    patientMrn: r.mrn,
    details: r.details,
  }
}

/** Newest first, filtered; `beforeId` pages backwards through a long log. */
export async function listAudit(ctx: ServiceContext, input: z.output<typeof AuditQuery>): Promise<AuditEntry[]> {
  let q = await filtered(ctx.db, input)
  if (input.beforeId) q = q.where('audit_log.id', '<', input.beforeId)
  const rows = await q.orderBy('audit_log.id', 'desc').limit(input.limit).execute()
  return rows.map(toEntry)
}

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'user_id', 'username', 'workstation', 'action', 'entity', 'entity_id', 'patient_id', 'patient_mrn', 'details'] as const

/** The filtered rows as CSV (RFC 4180, header row, newest first); audited with who, the filter and the count. */
export async function exportAudit(ctx: ServiceContext, filter: AuditFilter): Promise<AuditExport> {
  const rows = await (await filtered(ctx.db, filter)).orderBy('audit_log.id', 'desc').limit(AUDIT_EXPORT_MAX_ROWS + 1).execute()
  if (rows.length > AUDIT_EXPORT_MAX_ROWS) {
    throw new AppError('invalid_input', `More than ${AUDIT_EXPORT_MAX_ROWS.toLocaleString('en-US')} entries match; narrow the dates (or another filter) and export in parts.`, {
      from: 'too many entries match; narrow the dates',
    })
  }
  const content = stringify(
    rows.map((r) => [r.id, r.at, r.user_id ?? '', r.username ?? '', r.workstation, r.action, r.entity ?? '', r.entity_id ?? '', r.patient_id ?? '', r.mrn ?? '', r.details]),
    { header: true, columns: [...AUDIT_CSV_COLUMNS], record_delimiter: 'windows', cast: spreadsheetSafeCast },
  )
  const stamp = ctx.now().toISOString().slice(0, 19).replace(/[:T]/g, '-')
  const fileName = `audit-log-${stamp}.csv`
  const definedFilter = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== ''))
  await ctx.audit({
    action: 'audit.export',
    entity: 'audit_log',
    details: { filter: definedFilter, rows: rows.length, fileName },
    patientIds: rows.flatMap((r) => (r.patient_id === null ? [] : [r.patient_id])),
  })
  return { fileName, mimeType: 'text/csv', content, rows: rows.length }
}

/** The users and actions the viewer's filters offer. */
export async function auditFilterOptions(ctx: ServiceContext): Promise<AuditFilterOptions> {
  const users = await ctx.db.selectFrom('users').select(['id', 'username', 'display_name', 'active']).orderBy('display_name').orderBy('id').execute()
  const actions = await ctx.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
  return {
    users: users.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, active: u.active === 1 })),
    actions: actions.map((a) => a.action),
  }
}

/** Patients for the viewer's patient filter, by name, MRN, phone or birth date (the patient search's rules). */
export async function auditPatientLookup(ctx: ServiceContext, input: { q: string }): Promise<AuditPatientOption[]> {
  const found = await searchPatients(ctx, { q: input.q, limit: 20 })
  return found.map((p) => ({ id: p.id, mrn: p.mrn, name: `${p.lastName}, ${p.firstName}`, dateOfBirth: p.dateOfBirth }))
}
