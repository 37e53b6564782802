/**
 * What a reminder says: the clinic's template filled with the clinic's name, the appointment's date and time in
 * the clinic's time zone, the place (room, clinic address), what the appointment type asks the patient to bring,
 * and the clinic's phone number. Nothing else of the record goes in (no diagnosis, no procedure, no type name):
 * an e-mail crosses other people's servers and a letter other people's hands.
 */
import { fillReminderTemplate, type ReminderPlaceholder } from '../../../shared/schemas/reminderSettings'
import type { ClinicSettings } from '../../../shared/schemas/settings'

export interface ReminderFacts {
  startsAt: string
  roomName: string
  typeCode: string
}

export interface ReminderContent {
  subject: string
  text: string
  values: Record<ReminderPlaceholder, string>
}

/** "Thursday, December 3, 2026" in the clinic's zone. */
export function reminderDate(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso))
}

/** "9:30 AM" in the clinic's zone. */
export function reminderTime(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso))
}

export function reminderContent(settings: ClinicSettings, facts: ReminderFacts): ReminderContent {
  const place = [facts.roomName, settings.reminderPlace].filter((p) => p.trim() !== '').join(', ')
  const values: Record<ReminderPlaceholder, string> = {
    clinic: settings.clinicName,
    date: reminderDate(facts.startsAt, settings.timeZone),
    time: reminderTime(facts.startsAt, settings.timeZone),
    place: place || settings.clinicName,
    bring: settings.reminderBring[facts.typeCode]?.trim() || 'nothing in particular',
    phone: settings.reminderPhone || 'the clinic',
  }
  return {
    subject: `Appointment reminder: ${values.date} at ${values.time}`,
    text: fillReminderTemplate(settings.reminderTemplate, values),
    values,
  }
}
