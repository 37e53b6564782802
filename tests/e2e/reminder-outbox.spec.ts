/**
 * The Reminder outbox from the front desk's side (issue 21 point 3): the app's own sender (the bridge runs it as
 * the desktop app does, a first run 45 s after start, then every minute) prepares a letter for a patient who chose
 * letters and gave consent; the front desk finds it under Letters to print, downloads its PDF and marks it
 * printed; a patient who chose phone gets none.
 *
 * Its own clinic at a chosen moment (support/clockBridge.ts): Tuesday 8 December 2026, 14:00 in New York; the
 * appointment is Wednesday 9 December 10:00, so its 1-day reminder is due.
 */
import { zonedToInstant } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, setUpOwnClinic, signIn, test, uniqueUser } from './fixtures'
import { startClockBridge, type ClockBridge } from './support/clockBridge'

test.describe.configure({ mode: 'serial' })

const AT = '2026-12-08T19:00:00.000Z' // Tue 8 Dec 2026, 14:00 in New York
const CLINIC_ZONE = 'America/New_York'
const DESK = uniqueUser('frontDesk', 'Lena Letterdesk')
const DOC = uniqueUser('physician', 'Dr. Otto Brandt')
const tag = DESK.username.slice(-5)
const at = (date: string, time: string) => zonedToInstant(date, time, CLINIC_ZONE)

let bridge: ClockBridge

// eslint-disable-next-line no-empty-pattern -- Playwright hands testInfo only as the second argument
test.beforeAll(async ({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', "The spec runs a development bridge of its own at a chosen moment; the Electron app keeps the computer's clock.")
  bridge = await startClockBridge('reminder-outbox', AT, CLINIC_ZONE)
})

test.afterAll(async () => bridge?.stop())

test('the front desk downloads the letter the app prepared and marks it printed', async ({ browser }) => {
  test.setTimeout(300_000)
  const { context, page } = await bridge.open(browser, CLINIC_ZONE)
  await setUpOwnClinic(page)
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const setup = await callChannel<{ providers: { id: number; displayName: string }[]; types: { id: number; code: string }[] }>(page, 'schedule.setup.get', {})
  const providerId = setup.providers.find((p) => p.displayName === DOC.name)!.id
  const followUp = setup.types.find((t) => t.code === 'follow-up')!.id
  const patient = (first: string, contactPreference: string) =>
    callChannel<{ id: number }>(page, 'patients.register', {
      firstName: first,
      lastName: `Reminder-${tag}`,
      dateOfBirth: '1946-07-14',
      sex: 'female',
      phone: '(555) 410-2201',
      email: '',
      address: '9 Birch Road\nSpringfield',
      referringPhysician: '',
      notes: 'Osteoporotic fracture L1',
      contactPreference,
      reminderConsent: 'given',
      acknowledgeDuplicate: false,
    })
  const letter = await patient('Greta', 'letter')
  const phone = await patient('Pia', 'phone')
  await callChannel(page, 'schedule.appointments.book', { patientId: letter.id, typeId: followUp, providerId, startsAt: at('2026-12-09', '10:00'), notes: '' })
  await callChannel(page, 'schedule.appointments.book', { patientId: phone.id, typeId: followUp, providerId, startsAt: at('2026-12-09', '10:30'), notes: '' })

  await page.getByRole('link', { name: 'Reminder outbox', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Reminder outbox' })).toBeVisible()
  // the sender's first run comes within a minute of the bridge's start; the screen refreshes when it has run
  const row = page.getByRole('row').filter({ hasText: `Reminder-${tag}, Greta` })
  await expect(row).toBeVisible({ timeout: 120_000 })
  await expect(page.getByRole('radio', { name: 'Letters to print (1)' })).toBeChecked()
  await expect(row).toContainText('Letter, 1 day(s) before')
  await expect(row).toContainText('to print')
  await expect(page.getByRole('row').filter({ hasText: 'Pia' })).toHaveCount(0)
  await expectAccessible(page, 'reminder outbox with a letter')

  const download = page.waitForEvent('download')
  await row.getByRole('button', { name: 'Download PDF' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^reminder-letter-\d+-2026-12-09\.pdf$/)

  await row.getByRole('button', { name: 'Mark printed' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Marked printed' })).toBeVisible()
  await expect(row).toHaveCount(0)
  // Mantine's segmented control hides its radio inputs: the label is what a person clicks
  await page.locator('label', { hasText: /^All$/ }).click()
  await expect(page.getByRole('radio', { name: /^All/ })).toBeChecked()
  await expect(page.getByRole('row').filter({ hasText: `Reminder-${tag}, Greta` })).toContainText('printed')
  await context.close()
})
