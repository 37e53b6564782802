/**
 * Issue 23 point 5, from the front desk's side: the patient page shows who referred the patient, the contact
 * details, the upcoming appointments (rescheduled and cancelled from there) and the past ones with what became of
 * them; a new appointment is booked from the page. The dialogs are the schedule's own.
 *
 * Its own clinic at a chosen moment (support/clockBridge.ts): Wednesday 9 December 2026, 16:00 in New York, so
 * that this morning's visits are over (attended, missed, called off) at any hour of the run. The workstation is
 * set to Los Angeles: every time on the page must still read as the clinic's (New York).
 */
import type { Page } from '@playwright/test'
import { zonedToInstant } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, setUpOwnClinic, signIn, test, uniqueUser } from './fixtures'
import { startClockBridge, type ClockBridge } from './support/clockBridge'

test.describe.configure({ mode: 'serial' })

const AT = '2026-12-09T21:00:00.000Z' // Wed 9 Dec 2026, 16:00 in New York
const CLINIC_ZONE = 'America/New_York'
const WORKSTATION_ZONE = 'America/Los_Angeles'
const DESK = uniqueUser('frontDesk', 'Pia Pagedesk')
const DOC = uniqueUser('physician', 'Dr. Ravi Menon')
const PATIENT = { first: 'Odile', last: `Marchetti-${DESK.username.slice(-5)}` }
const REFERRER = 'Dr. Amara Okafor, Riverside Orthopaedics'
const at = (date: string, time: string) => zonedToInstant(date, time, CLINIC_ZONE)

let bridge: ClockBridge

// eslint-disable-next-line no-empty-pattern -- Playwright hands testInfo only as the second argument
test.beforeAll(async ({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', "The spec runs a development bridge of its own at a chosen moment; the Electron app keeps the computer's clock.")
  bridge = await startClockBridge('patient-page', AT, CLINIC_ZONE)
})

test.afterAll(async () => bridge?.stop())


interface Appt {
  id: number
  version: number
}

/** The scene: a patient with a referral and contacts, this morning's three visits (over) and two to come. */
async function setTheScene(page: Page) {
  const patient = await callChannel<{ id: number }>(page, 'patients.register', {
    firstName: PATIENT.first,
    lastName: PATIENT.last,
    dateOfBirth: '1944-03-18',
    sex: 'female',
    phone: '(555) 321-7788',
    email: 'odile.m@example.org',
    address: '44 Harbour Lane, Springfield',
    referringPhysician: REFERRER,
    notes: '',
    acknowledgeDuplicate: false,
  })
  const setup = await callChannel<{ providers: { id: number; displayName: string }[]; types: { id: number; code: string }[] }>(page, 'schedule.setup.get', {})
  const providerId = setup.providers.find((p) => p.displayName === DOC.name)!.id
  const type = (code: string) => setup.types.find((t) => t.code === code)!.id
  const book = async (code: string, date: string, time: string) =>
    (await callChannel<{ appointments: Appt[] }>(page, 'schedule.appointments.book', { patientId: patient.id, typeId: type(code), providerId, startsAt: at(date, time), notes: '' })).appointments[0]!
  const status = (a: Appt, s: string, reason = '') => callChannel<Appt>(page, 'schedule.appointments.setStatus', { id: a.id, version: a.version, status: s, reason })
  const seen = await book('follow-up', '2026-12-09', '08:00')
  await status(await status(seen, 'arrived'), 'completed')
  await status(await book('follow-up', '2026-12-09', '09:00'), 'noshow')
  await status(await book('follow-up', '2026-12-09', '10:00'), 'cancelled', 'Patient in hospital')
  await book('new-consultation', '2026-12-10', '10:00')
  await book('follow-up', '2026-12-11', '11:00')
}

test('the front desk works a patient’s appointments from the patient page', async ({ browser }) => {
  test.setTimeout(480_000) // the clinic's first run, two users
  const { context, page } = await bridge.open(browser, WORKSTATION_ZONE)
  await setUpOwnClinic(page)
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  await setTheScene(page)

  // open the patient from the list
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill(PATIENT.last.toLowerCase())
  await page.getByRole('link', { name: `${PATIENT.last}, ${PATIENT.first}` }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toBeVisible()

  // who referred them, and how to reach them
  await expect(page.getByTestId('referred-by')).toHaveText(`Referred by${REFERRER}`)
  await expect(page.getByRole('heading', { name: 'Contact details' })).toBeVisible()
  await expect(page.getByText('(555) 321-7788')).toBeVisible()
  await expect(page.getByText('odile.m@example.org')).toBeVisible()
  await expect(page.getByText('44 Harbour Lane, Springfield')).toBeVisible()

  // upcoming, soonest first, on the clinic's clock (the workstation is three hours behind)
  const upcoming = page.getByRole('table', { name: 'Upcoming appointments' })
  const upRows = upcoming.getByRole('row')
  await expect(upRows).toHaveCount(3)
  await expect(upRows.nth(1)).toContainText('Thu, Dec 10, 2026 · 10:00–10:45')
  await expect(upRows.nth(1)).toContainText('New patient consultation')
  await expect(upRows.nth(1)).toContainText(DOC.name)
  await expect(upRows.nth(1)).toContainText('Booked')
  await expect(upRows.nth(2)).toContainText('Fri, Dec 11, 2026 · 11:00–11:20')

  // past, newest first, each with what became of it
  const past = page.getByRole('table', { name: 'Past appointments' })
  const pastRows = past.getByRole('row')
  await expect(pastRows).toHaveCount(4)
  await expect(pastRows.nth(1)).toContainText('Wed, Dec 9, 2026 · 10:00–10:20')
  await expect(pastRows.nth(1)).toContainText('Cancelled')
  await expect(pastRows.nth(1)).toContainText('Patient in hospital')
  await expect(pastRows.nth(2)).toContainText('No-show')
  await expect(pastRows.nth(3)).toContainText('Completed')
  await expect(pastRows.nth(3)).toContainText('checked in')
  await expectAccessible(page, 'patient page with appointments')

  // Reschedule the consultation to Monday 14:00
  await upRows.nth(1).getByRole('button', { name: /^Reschedule New patient consultation/ }).click()
  let dialog = page.getByRole('dialog', { name: 'Appointment' })
  // the cursor starts in the new date, typed the clinic's way
  await expect(dialog.getByRole('textbox', { name: 'New date' })).toBeFocused()
  await page.keyboard.press('Control+a') // the field holds the appointment's date
  await page.keyboard.type('12/14/2026')
  await dialog.getByLabel('New start time').fill('14:00')
  await dialog.getByRole('button', { name: 'Move appointment' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment moved' }).first()).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(upRows.nth(2)).toContainText('Mon, Dec 14, 2026 · 14:00–14:45')
  await expect(upRows.nth(2)).toContainText('New patient consultation')

  // Cancel Friday's follow-up, with a reason
  await upRows.nth(1).getByRole('button', { name: /^Cancel Follow-up consultation of Fri, Dec 11/ }).click()
  dialog = page.getByRole('dialog', { name: 'Appointment' })
  await expect(dialog.getByLabel('Reason to cancel')).toBeFocused()
  await page.keyboard.type('Moving to her daughter’s in Ohio')
  await dialog.getByRole('button', { name: 'Cancel appointment' }).click()
  await expect(dialog.getByTestId('appointment-status')).toHaveText('Cancelled')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(upRows.nth(1)).toContainText('Fri, Dec 11, 2026 · 11:00–11:20')
  await expect(upRows.nth(1)).toContainText('Cancelled')
  await expect(upRows.nth(1)).toContainText('Moving to her daughter’s in Ohio')
  await expect(upRows.nth(1).getByRole('button', { name: /^Reschedule/ })).toHaveCount(0)

  // Book a post-procedure follow-up from the page: the patient is already picked
  await page.getByRole('button', { name: 'Book appointment' }).click()
  dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(dialog.getByRole('combobox', { name: 'Patient' })).toHaveValue(new RegExp(`^${PATIENT.last}, ${PATIENT.first}`))
  await dialog.getByLabel('Appointment type').selectOption({ label: 'Post-procedure follow-up (20 min)' })
  await dialog.getByLabel('Provider').selectOption({ label: DOC.name })
  await dialog.getByRole('textbox', { name: 'Date', exact: true }).fill('2026-12-16')
  await dialog.getByLabel('Start time').fill('09:30')
  await expectAccessible(page, 'booking from the patient page')
  await dialog.getByRole('button', { name: 'Book', exact: true }).click()
  await expect(dialog).toBeHidden()
  await expect(upRows).toHaveCount(4)
  // after Friday's (cancelled) and Monday's
  await expect(upRows.nth(3)).toContainText('Wed, Dec 16, 2026 · 09:30–09:50')
  await expect(upRows.nth(3)).toContainText('Post-procedure follow-up')
  await expect(upRows.nth(3)).toContainText('Booked')
  await context.close()
})
