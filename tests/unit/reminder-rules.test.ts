/** The outbox's pure rules (electron/services/reminders/outbox.ts) and the template's placeholders. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { channelFor, currentOffset, messageIdFor } from '../../electron/services/reminders/outbox'
import { DEFAULT_REMINDER_TEMPLATE, fillReminderTemplate, REMINDER_PLACEHOLDERS, ReminderSettingsFields, unknownPlaceholders } from '../../shared/schemas/reminderSettings'

const DAY = 86_400_000
const start = '2026-12-03T15:00:00.000Z'
const at = (msBefore: number) => new Date(Date.parse(start) - msBefore)

describe('which reminder is due', () => {
  it('is the fewest days before that has come, none before the first or after the start', () => {
    expect(currentOffset(start, at(3 * DAY + 1), [3, 1])).toBeNull()
    expect(currentOffset(start, at(3 * DAY), [3, 1])).toBe(3)
    expect(currentOffset(start, at(2 * DAY), [1, 3])).toBe(3)
    expect(currentOffset(start, at(DAY), [3, 1])).toBe(1)
    expect(currentOffset(start, at(60_000), [3, 1])).toBe(1)
    expect(currentOffset(start, at(0), [3, 1])).toBeNull()
    expect(currentOffset(start, at(DAY), [])).toBeNull()
  })
  it('never names a day the clinic did not choose, and never one not yet due', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 5 }), fc.integer({ min: 1, max: 40 * DAY }), (days, before) => {
        const d = currentOffset(start, at(before), days)
        if (d === null) return
        expect(days).toContain(d)
        expect(d * DAY).toBeGreaterThanOrEqual(before)
      }),
    )
  })
})

describe('the channel', () => {
  it('only with consent given: e-mail with an address, else a letter; phone gets none', () => {
    expect(channelFor({ contact_preference: 'email', reminder_consent: 'given', email: 'a@b.example' })).toBe('email')
    expect(channelFor({ contact_preference: 'email', reminder_consent: 'given', email: ' ' })).toBe('letter')
    expect(channelFor({ contact_preference: 'letter', reminder_consent: 'given', email: 'a@b.example' })).toBe('letter')
    expect(channelFor({ contact_preference: 'phone', reminder_consent: 'given', email: 'a@b.example' })).toBeNull()
    expect(channelFor({ contact_preference: 'email', reminder_consent: null, email: 'a@b.example' })).toBeNull()
    expect(channelFor({ contact_preference: 'email', reminder_consent: 'declined', email: 'a@b.example' })).toBeNull()
  })
  it('a Message-ID is the same for the same row whatever the attempt', () => {
    const row = { id: 7, offset_days: 3, appointment_starts_at: start }
    expect(messageIdFor(row, 'r@clinic.example')).toBe('<reminder.7.3d.202612031500@clinic.example>')
    expect(messageIdFor(row, 'r@clinic.example')).toBe(messageIdFor({ ...row }, 'r@clinic.example'))
  })
})

describe('the template', () => {
  it('names every unknown placeholder and fills the known ones as plain text', () => {
    expect(unknownPlaceholders('On {date} for your {procedure} ({diagnosis}) and {procedure}')).toEqual(['procedure', 'diagnosis'])
    expect(unknownPlaceholders(DEFAULT_REMINDER_TEMPLATE)).toEqual([])
    const values = Object.fromEntries(REMINDER_PLACEHOLDERS.map((p) => [p, `<${p} {time}>`])) as Record<(typeof REMINDER_PLACEHOLDERS)[number], string>
    expect(fillReminderTemplate('{clinic}: {date}', values)).toBe('<clinic {time}>: <date {time}>')
    const refused = ReminderSettingsFields.reminderTemplate.safeParse('Your {diagnosis} visit')
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.message).toContain('{diagnosis}')
  })
})
