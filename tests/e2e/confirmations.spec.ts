/**
 * Issue 21 points 1 and 2, from the front desk's side: the reminder preference and consent are set on the patient
 * page (who recorded the consent and when shows there), and tomorrow's confirmation list is worked: one patient
 * reached and confirmed (leaves the list), one left a message (stays, with the call shown), one cancelled with a
 * reason (leaves the list; the schedule's appointment reads Cancelled with the reason). The cancellation frees the
 * 11:00 slot, and a patient on the ASAP list who can come on Wednesdays is offered it and booked into it in one step
 * (issue 21's journey, done-when).
 *
 * Its own clinic at a chosen moment (support/clockBridge.ts): Tuesday 8 December 2026, 14:00 in New York, so that
 * "tomorrow" is Wednesday 9 December at any hour of the run.
 */
import type { Page } from '@playwright/test'
import { zonedToInstant } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, setUpOwnClinic, signIn, test, uniqueUser } from './fixtures'
import { startClockBridge, type ClockBridge } from './support/clockBridge'

test.describe.configure({ mode: 'serial' })

const AT = '2026-12-08T19:00:00.000Z' // Tue 8 Dec 2026, 14:00 in New York
const CLINIC_ZONE = 'America/New_York'
const DESK = uniqueUser('frontDesk', 'Cora Calldesk')
const DOC = uniqueUser('physician', 'Dr. Ines Varga')
const tag = DESK.username.slice(-5)
const REACHED = { first: 'Hedda', last: `Lindqvist-${tag}` }
const MESSAGE = { first: 'Omar', last: `Haddad-${tag}` }
const CANCEL = { first: 'Tove', last: `Berglund-${tag}` }
const WAITS = { first: 'Nils', last: `Ekdahl-${tag}` }
const at = (date: string, time: string) => zonedToInstant(date, time, CLINIC_ZONE)
const name = (p: { first: string; last: string }) => `${p.last}, ${p.first}`

let bridge: ClockBridge

/** Opens an address inside the app (a reload would lock the screen and ask for the password again). */
const go = (page: Page, hash: string) => page.evaluate((h) => (window.location.hash = h), hash)

// eslint-disable-next-line no-empty-pattern -- Playwright hands testInfo only as the second argument
test.beforeAll(async ({}, testInfo) => {
  test.skip(testInfo.project.name === 'electron', "The spec runs a development bridge of its own at a chosen moment; the Electron app keeps the computer's clock.")
  bridge = await startClockBridge('confirmations', AT, CLINIC_ZONE)
})

test.afterAll(async () => bridge?.stop())

/** Three patients, each booked tomorrow: a vertebroplasty at 08:00, follow-ups at 10:00 and 11:00; a fourth waits on the ASAP list for a follow-up on a Wednesday morning. */
async function setTheScene(page: Page): Promise<number[]> {
  const setup = await callChannel<{ providers: { id: number; displayName: string }[]; types: { id: number; code: string }[] }>(page, 'schedule.setup.get', {})
  const providerId = setup.providers.find((p) => p.displayName === DOC.name)!.id
  const type = (code: string) => setup.types.find((t) => t.code === code)!.id
  const ids: number[] = []
  for (const [p, code, time, phone] of [
    [REACHED, 'vertebroplasty', '08:00', '(555) 410-2201'],
    [MESSAGE, 'follow-up', '10:00', '(555) 410-2202'],
    [CANCEL, 'follow-up', '11:00', '(555) 410-2203'],
  ] as const) {
    const patient = await callChannel<{ id: number }>(page, 'patients.register', {
      firstName: p.first,
      lastName: p.last,
      dateOfBirth: '1946-07-14',
      sex: 'female',
      phone,
      email: `${p.first.toLowerCase()}@example.org`,
      address: '9 Birch Road, Springfield',
      referringPhysician: '',
      notes: '',
      acknowledgeDuplicate: false,
    })
    await callChannel(page, 'schedule.appointments.book', { patientId: patient.id, typeId: type(code), providerId, startsAt: at('2026-12-09', time), notes: '' })
    ids.push(patient.id)
  }
  const waits = await callChannel<{ id: number }>(page, 'patients.register', {
    firstName: WAITS.first,
    lastName: WAITS.last,
    dateOfBirth: '1939-03-02',
    sex: 'male',
    phone: '(555) 410-2204',
    email: '',
    address: '',
    referringPhysician: '',
    notes: '',
    acknowledgeDuplicate: false,
  })
  await callChannel(page, 'schedule.asap.add', { patientId: waits.id, typeId: type('follow-up'), providerId: null, windows: [{ days: [3], from: '08:00', to: '12:00' }], note: 'Pain worse; any Wednesday morning' })
  ids.push(waits.id)
  return ids
}

test('the front desk sets a reminder preference and works tomorrow’s confirmations', async ({ browser }) => {
  test.setTimeout(480_000) // the clinic's first run, two users
  const { context, page } = await bridge.open(browser, CLINIC_ZONE)
  await setUpOwnClinic(page)
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const [reachedId, , cancelId, waitsId] = await setTheScene(page)

  // the patient page: reminders by e-mail, consent given; who recorded it and when show after saving
  await go(page, `#/patients/${reachedId}`)
  await expect(page.getByRole('heading', { name: name(REACHED) })).toBeVisible()
  await expect(page.getByText('by phone, not asked yet')).toBeVisible()
  await page.getByRole('button', { name: 'Edit' }).click()
  await page.getByLabel('Contact for reminders').selectOption('E-mail')
  await page.getByLabel('Consent to reminders').selectOption('Given')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText(`by e-mail, consent given by ${DESK.name} on Dec 8, 2026`)).toBeVisible()

  // tomorrow's list: the three appointments, with what to prepare for the procedure
  await page.getByRole('link', { name: 'Confirmations', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Confirmations' })).toBeVisible()
  await expect(page.getByTestId('confirmations-summary')).toHaveText('3 appointments to confirm on Dec 9, 2026')
  const table = page.getByRole('table', { name: 'Appointments to confirm' })
  const row = (p: { first: string; last: string }) => table.getByRole('row').filter({ hasText: name(p) })
  await expect(row(REACHED)).toContainText('Prefers e-mail')
  await expect(row(REACHED)).toContainText('reminders: consent given')
  await expect(row(REACHED)).toContainText('Nothing to eat from Dec 9, 02:00 (6 hours before)')
  await expect(row(REACHED)).toContainText('Bring a driver')
  await expect(row(REACHED)).toContainText('Blood thinners: not recorded yet')
  await expect(row(MESSAGE)).toContainText('(555) 410-2202')
  await expect(row(MESSAGE)).toContainText('reminders not asked yet')
  await expectAccessible(page, 'confirmations list')

  // reached and confirmed, in one step: it leaves the list
  await row(REACHED).getByRole('button', { name: `Log a call to ${name(REACHED)}` }).click()
  let dialog = page.getByRole('dialog', { name: `Log a call: ${name(REACHED)}` })
  await dialog.getByRole('radio', { name: 'Reached' }).check()
  await expect(dialog.getByRole('checkbox', { name: 'The patient confirmed the appointment' })).toBeChecked()
  await expectAccessible(page, 'logging a call')
  await dialog.getByRole('button', { name: 'Log the call' }).click()
  await expect(dialog).toBeHidden()
  await expect(row(REACHED)).toHaveCount(0)
  await expect(page.getByTestId('confirmations-summary')).toHaveText('2 appointments to confirm on Dec 9, 2026')

  // a message left: stays, with the call shown (outcome, when, who, the note)
  await row(MESSAGE).getByRole('button', { name: `Log a call to ${name(MESSAGE)}` }).click()
  dialog = page.getByRole('dialog', { name: `Log a call: ${name(MESSAGE)}` })
  await dialog.getByRole('radio', { name: 'Left message' }).check()
  await dialog.getByLabel('Note').fill('Voicemail, asked to call back')
  await dialog.getByRole('button', { name: 'Log the call' }).click()
  await expect(dialog).toBeHidden()
  await expect(row(MESSAGE).getByRole('list', { name: `Calls to ${name(MESSAGE)}` })).toContainText(`Left message · Dec 8, 2026`)
  await expect(row(MESSAGE)).toContainText(`${DESK.name} · Voicemail, asked to call back`)

  // cancelled with a reason, from the keyboard: it leaves the list
  await row(CANCEL).getByRole('button', { name: `Cancel the appointment of ${name(CANCEL)}` }).click()
  dialog = page.getByRole('dialog', { name: `Cancel the appointment of ${name(CANCEL)}?` })
  await expect(dialog.getByLabel('Reason')).toBeFocused()
  await page.keyboard.type('Has the flu; will call to rebook')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(dialog.getByRole('button', { name: 'Cancel the appointment' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(row(CANCEL)).toHaveCount(0)

  // the freed 11:00 slot is offered to the patient waiting on the ASAP list, who is booked into it in one step
  const offer = page.getByRole('dialog', { name: 'This slot is free: 1 patient on the ASAP list fits' })
  await expect(offer.getByTestId('freed-slot')).toContainText('11:00')
  await offer.getByRole('button', { name: `Book ${name(WAITS)} into this slot` }).click()
  await expect(offer).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Booked from the ASAP list' })).toContainText(name(WAITS))
  // the new booking is tomorrow's to confirm too
  await expect(row(WAITS)).toContainText('11:00')
  await expect(page.getByTestId('confirmations-summary')).toHaveText('2 appointments to confirm on Dec 9, 2026')
  await expect(row(MESSAGE)).toHaveCount(1)

  // the schedule's appointment reads cancelled, with the reason, on the patient's page
  await go(page, `#/patients/${cancelId}`)
  const upcoming = page.getByRole('table', { name: 'Upcoming appointments' })
  await expect(upcoming.getByRole('row').nth(1)).toContainText('Cancelled')
  await expect(upcoming.getByRole('row').nth(1)).toContainText('Has the flu; will call to rebook')
  // and the ASAP patient holds the slot, off the list
  await go(page, `#/patients/${waitsId}`)
  await expect(page.getByRole('table', { name: 'Upcoming appointments' }).getByRole('row').nth(1)).toContainText('11:00')
  await expect(page.getByTestId('asap-status')).toContainText('Not on the ASAP list.')
  await context.close()
})
