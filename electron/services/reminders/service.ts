/** The Reminder outbox screen's and Settings > Reminders' calls (shared/channels/reminders.ts). */
import { AppError } from '../../../shared/result'
import type { OutboxEntry, OutboxView, SmtpPasswordStatus, TestEmailResult, LetterPdf } from '../../../shared/schemas/reminders'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { requireSettings } from '../settings'
import { reminderContent, reminderDate } from './content'
import { makeReminderLetterPdf } from './letters'
import { sendMessage, smtpConfig, SmtpFailure } from './smtp'
import { readSmtpPassword, saveSmtpPassword, NO_KEYSTORE_SMTP_ADVICE } from './smtpPassword'

export async function listOutbox(ctx: ServiceContext, input: { show: string; limit: number }): Promise<OutboxView> {
  let q = ctx.db
    .selectFrom('reminder_outbox as o')
    .innerJoin('patients as p', 'p.id', 'o.patient_id')
    .selectAll('o')
    .select(['p.first_name', 'p.last_name'])
  if (input.show === 'letters') q = q.where('o.channel', '=', 'letter').where('o.status', '=', 'queued')
  else if (input.show !== 'all') q = q.where('o.status', '=', input.show === 'failed' ? 'failed' : input.show)
  const rows = await q.orderBy('o.updated_at', 'desc').orderBy('o.id', 'desc').limit(input.limit).execute()
  const counts = await ctx.db
    .selectFrom('reminder_outbox')
    .select(['status', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['status', 'channel'])
    .execute()
  const byStatus: Record<string, number> = {}
  for (const c of counts) {
    const key = c.channel === 'letter' && c.status === 'queued' ? 'letters' : c.status
    byStatus[key] = (byStatus[key] ?? 0) + Number(c.n)
  }
  const entries: OutboxEntry[] = rows.map((r) => ({
    id: r.id,
    appointmentId: r.appointment_id,
    patientId: r.patient_id,
    patientName: `${r.last_name}, ${r.first_name}`,
    channel: r.channel as OutboxEntry['channel'],
    offsetDays: r.offset_days,
    appointmentStartsAt: r.appointment_starts_at,
    dueAt: r.due_at,
    status: r.status as OutboxEntry['status'],
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    recipient: r.recipient,
    sentAt: r.sent_at,
    printedAt: r.printed_at,
    detail: r.status === 'skipped' ? r.skip_reason : r.status === 'sent' ? r.server_response : r.last_error,
    messageId: r.message_id,
  }))
  return { entries, counts: byStatus }
}

async function letterRow(ctx: ServiceContext, id: number) {
  const row = await ctx.db
    .selectFrom('reminder_outbox as o')
    .innerJoin('appointments as a', 'a.id', 'o.appointment_id')
    .innerJoin('patients as p', 'p.id', 'o.patient_id')
    .innerJoin('appointment_types as t', 't.id', 'a.type_id')
    .innerJoin('rooms as r', 'r.id', 'a.room_id')
    .select(['o.id', 'o.channel', 'o.status', 'o.patient_id', 'o.appointment_starts_at', 'o.created_at', 'a.starts_at', 't.code', 'r.name as roomName', 'p.first_name', 'p.last_name', 'p.address'])
    .where('o.id', '=', id)
    .executeTakeFirst()
  if (!row || row.channel !== 'letter') throw new AppError('not_found', `There is no reminder letter #${id}.`, { id: 'no such letter' })
  return row
}

/** A letter's PDF, from the template and the appointment as it is now. Audited: it names the patient. */
export async function letterPdf(ctx: ServiceContext, input: { id: number }): Promise<LetterPdf> {
  const row = await letterRow(ctx, input.id)
  const { settings } = await requireSettings(ctx.db)
  const content = reminderContent(settings, { startsAt: row.appointment_starts_at, roomName: row.roomName, typeCode: row.code })
  const pdf = await makeReminderLetterPdf(content, {
    clinicName: settings.clinicName,
    clinicAddress: settings.reminderPlace,
    patientName: `${row.first_name} ${row.last_name}`,
    patientAddress: row.address,
    letterDate: reminderDate(row.created_at, settings.timeZone),
    createdAt: row.created_at,
  })
  await ctx.audit({ action: 'reminder.letterPdf', entity: 'reminder', entityId: row.id, patientId: row.patient_id, details: { status: row.status } })
  return { fileName: `reminder-letter-${row.id}-${row.appointment_starts_at.slice(0, 10)}.pdf`, base64: pdf.toString('base64') }
}

export async function markPrinted(ctx: ServiceContext, input: { ids: number[] }): Promise<{ ok: true }> {
  const actor = requireActor(ctx)
  const at = nowIso(ctx)
  for (const id of input.ids) {
    const row = await ctx.db.selectFrom('reminder_outbox').select(['id', 'channel', 'status', 'patient_id', 'appointment_id']).where('id', '=', id).executeTakeFirst()
    if (!row || row.channel !== 'letter') throw new AppError('not_found', `There is no reminder letter #${id}. Nothing was marked.`, { ids: `#${id} is not a letter` })
    if (row.status !== 'queued') throw new AppError('conflict', `Letter #${id} is ${row.status}, not waiting to be printed. Nothing was marked.`, { ids: `#${id} is ${row.status}` })
    await ctx.db.updateTable('reminder_outbox').set({ status: 'printed', printed_at: at, printed_by: actor.id, updated_at: at }).where('id', '=', id).execute()
    await ctx.audit({ action: 'reminder.printed', entity: 'reminder', entityId: id, patientId: row.patient_id, details: { appointmentId: row.appointment_id } })
  }
  return { ok: true }
}

export async function resolveUncertain(ctx: ServiceContext, input: { id: number; decision: 'sent' | 'sendAgain' }): Promise<{ ok: true }> {
  const at = nowIso(ctx)
  const row = await ctx.db.selectFrom('reminder_outbox').selectAll().where('id', '=', input.id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no reminder #${input.id}.`, { id: 'no such reminder' })
  if (row.status !== 'uncertain') throw new AppError('conflict', `Reminder #${input.id} is ${row.status}, not uncertain. Nothing was changed.`, { id: `is ${row.status}` })
  // sendAgain keeps the Message-ID (./outbox.ts claim): a receiving server that already has it may drop the copy
  const set = input.decision === 'sent' ? { status: 'sent', sent_at: row.claimed_at, updated_at: at } : { status: 'queued', next_attempt_at: at, updated_at: at }
  await ctx.db.updateTable('reminder_outbox').set(set).where('id', '=', input.id).where('status', '=', 'uncertain').execute()
  await ctx.audit({
    action: input.decision === 'sent' ? 'reminder.confirmedSent' : 'reminder.requeued',
    entity: 'reminder',
    entityId: row.id,
    patientId: row.patient_id,
    details: { appointmentId: row.appointment_id, messageId: row.message_id },
  })
  return { ok: true }
}

function passwordSource(ctx: ServiceContext) {
  return readSmtpPassword({ configDir: ctx.connection?.configDir, secrets: ctx.connection?.secrets, env: process.env })
}

export async function smtpPasswordStatus(ctx: ServiceContext): Promise<SmtpPasswordStatus> {
  const state = await passwordSource(ctx)
  if (state.source === 'unreadable') return { source: 'unreadable', problem: state.problem }
  const reason = ctx.connection ? await ctx.connection.secrets.unavailableReason() : 'This process has no settings folder.'
  return { source: state.source, problem: reason ? `${reason.split('. ')[0]}. ${NO_KEYSTORE_SMTP_ADVICE}` : null }
}

/** Saves this computer's SMTP password in its keystore ('' removes it); refused with advice where there is none. */
export async function setSmtpPassword(ctx: ServiceContext, input: { password: string }): Promise<SmtpPasswordStatus> {
  if (!ctx.connection) throw new AppError('conflict', `This process cannot keep a password. ${NO_KEYSTORE_SMTP_ADVICE}`, { password: 'cannot be kept here' })
  try {
    await saveSmtpPassword(ctx.connection.configDir, ctx.connection.secrets, input.password)
  } catch (err) {
    throw new AppError('invalid_input', `Password not saved (the SMTP server's): ${err instanceof Error ? err.message : String(err)}`, { password: 'cannot be stored safely on this computer' })
  }
  await ctx.audit({ action: input.password === '' ? 'settings.smtpPasswordRemoved' : 'settings.smtpPasswordSaved', entity: 'settings', entityId: 'smtpPassword', details: { workstation: ctx.workstation } })
  return smtpPasswordStatus(ctx)
}

/** Sends one test e-mail with the saved settings and this computer's password; the server's answer or the failure in words. */
export async function sendTestEmail(ctx: ServiceContext, input: { to: string }): Promise<TestEmailResult> {
  const { settings } = await requireSettings(ctx.db)
  if (settings.smtpHost === '') throw new AppError('invalid_input', 'Set the SMTP server first (and save), then send a test e-mail.', { 'settings.smtpHost': 'is required to send e-mail' })
  if (settings.reminderFrom === '') throw new AppError('invalid_input', 'Set the From address first (and save), then send a test e-mail.', { 'settings.reminderFrom': 'is required to send e-mail' })
  const password = await passwordSource(ctx)
  if (password.source === 'unreadable') return { ok: false, message: password.problem }
  const config = smtpConfig(settings, password.password)
  let result: TestEmailResult
  try {
    const delivered = await sendMessage(config, {
      to: input.to,
      subject: `Test e-mail from ${settings.clinicName}`,
      text: `This is a test of ${settings.clinicName}'s reminder e-mail settings (${settings.smtpHost}:${settings.smtpPort}, ${settings.smtpTls}). No reply is needed.`,
      messageId: `<test.${Date.now()}@${settings.reminderFrom.split('@')[1] ?? 'spine-clinic.invalid'}>`,
    })
    result = { ok: true, message: `The server accepted the test e-mail to ${input.to}: ${delivered.response}` }
  } catch (err) {
    result = { ok: false, message: err instanceof SmtpFailure ? err.message : String(err) }
  }
  await ctx.audit({ action: 'reminder.testEmail', entity: 'settings', entityId: 'smtp', details: { to: input.to, ok: result.ok, message: result.message.slice(0, 300) } })
  return result
}
