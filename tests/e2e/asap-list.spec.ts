/**
 * Issue 21 point 4, the ASAP list as the front desk works it: puts a patient on the list (wanting an earlier new
 * patient consultation, any provider, weekday mornings), cancels another patient's consultation on the schedule,
 * is offered the waiting patient for the freed slot, books them in one step, and sees them in that slot on the
 * schedule and no longer on the list. The spec makes its own users and patients (names unique to the run) and
 * books on a weekday at least a week ahead, so it needs no other spec and no particular date.
 */
import { addDays, zonedToInstant } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, signIn, test, uniqueUser } from './fixtures'
import { openSchedule, weekdayAhead } from './scheduleSteps'

test.describe.configure({ mode: 'serial', timeout: 240_000 })

const DOC = uniqueUser('physician', 'Dr. Ines Okafor')
const DESK = uniqueUser('frontDesk', 'Rae Desk')
const tag = DOC.username.slice(-5)
const CANCELS = { first: 'Cancel', last: `Cartwright-${tag}` }
const WAITS = { first: 'Waiting', last: `Wojcik-${tag}` }
const TZ = 'America/New_York' // the clinic's default

/**
 * A weekday 12 to 14 days ahead: open (Mon-Fri 08:00-17:00 by default), never "today", and not a day the other
 * schedule specs book on (schedule.spec 8-10 days ahead, two-workstations 9-11, schedule-setup 21 and later), so
 * that their bookings never take the rooms at 10:00 when the whole suite runs on one clinic.
 */
const DAY = weekdayAhead(12)

test('the front desk fills a cancelled slot from the ASAP list in one step', async ({ page }) => {
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)

  // the scene: two patients, and the first one's consultation with Dr. Okafor at 10:00 on DAY
  const register = (p: { first: string; last: string }) =>
    callChannel<{ id: number }>(page, 'patients.register', { firstName: p.first, lastName: p.last, dateOfBirth: '1946-04-12', sex: 'female', phone: '(555) 010-4477', email: '', address: '', referringPhysician: '', notes: '', acknowledgeDuplicate: false })
  const cancels = await register(CANCELS)
  await register(WAITS)
  const setup = await callChannel<{ providers: { id: number; displayName: string }[]; types: { id: number; code: string }[] }>(page, 'schedule.setup.get', {})
  const providerId = setup.providers.find((p) => p.displayName === DOC.name)!.id
  const typeId = setup.types.find((t) => t.code === 'new-consultation')!.id
  await callChannel(page, 'schedule.appointments.book', { patientId: cancels.id, typeId, providerId, startsAt: zonedToInstant(DAY, '10:00', TZ), notes: '' })

  // 1. the waiting patient goes on the ASAP list
  await page.getByRole('link', { name: 'ASAP list', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'ASAP list', level: 2 })).toBeVisible()
  await page.getByRole('button', { name: 'Add a patient' }).click()
  const form = page.getByRole('dialog', { name: 'Add to the ASAP list' })
  await expect(form).toBeVisible()
  // nothing picked: refused under the fields, nothing saved
  await form.getByRole('button', { name: 'Add to the list' }).click()
  await expect(form.getByText('Pick a patient')).toBeVisible()
  await form.getByRole('combobox', { name: 'Patient', exact: true }).fill(WAITS.last)
  await page.getByRole('option', { name: new RegExp(WAITS.last) }).click()
  await form.getByLabel('Appointment type wanted').selectOption({ label: 'New patient consultation' })
  await expect(form.getByLabel('Provider')).toHaveValue('') // any provider
  // the first time they can come: Monday to Friday, mornings (the form's default)
  const time1 = form.getByRole('group', { name: 'Time 1 they can come' })
  for (const d of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await expect(time1.getByRole('checkbox', { name: d })).toBeChecked()
  await expect(time1.getByLabel('From')).toHaveValue('08:00')
  await expect(time1.getByLabel('To')).toHaveValue('12:00')
  await form.getByLabel('Note').fill('Can be here in 30 minutes; daughter drives')
  await expectAccessible(page, 'ASAP list: add form')
  // a window that ends before it starts is refused under its To field (the router's own schema), nothing added
  await time1.getByLabel('To').fill('07:30')
  await form.getByRole('button', { name: 'Add to the list' }).click()
  await expect(form).toContainText('Must be after the window starts')
  await expect(form.getByLabel('Note')).toHaveValue('Can be here in 30 minutes; daughter drives')
  await time1.getByLabel('To').fill('12:00')
  await form.getByRole('button', { name: 'Add to the list' }).click()
  await expect(form).toBeHidden()
  const list = page.getByRole('table', { name: 'ASAP list' })
  const row = list.getByRole('row').filter({ hasText: WAITS.last })
  await expect(row).toContainText('New patient consultation')
  await expect(row).toContainText('Any provider')
  await expect(row).toContainText('Mon, Tue, Wed, Thu, Fri 08:00–12:00')
  await expect(row).toContainText(`by ${DESK.name}`)
  await expectAccessible(page, 'ASAP list')

  // 2. the other patient's consultation is cancelled on the schedule
  await openSchedule(page, DAY)
  const block = page.locator('[data-lane="provider"]').filter({ hasText: CANCELS.last })
  await block.click()
  const appt = page.getByRole('dialog', { name: 'Appointment' })
  await appt.getByLabel('Reason to cancel').fill('Patient is in hospital')
  await appt.getByRole('button', { name: 'Cancel appointment' }).click()

  // 3. the freed slot is offered to the ASAP list: the waiting patient fits
  const offer = page.getByRole('dialog', { name: /^This slot is free: \d+ patients? on the ASAP list fits?$/ })
  await expect(offer).toBeVisible()
  await expect(offer.getByTestId('freed-slot')).toContainText(`New patient consultation`)
  await expect(offer.getByTestId('freed-slot')).toContainText(`10:00–10:45 · ${DOC.name}`)
  const fit = offer.getByRole('row').filter({ hasText: WAITS.last })
  await expect(fit).toContainText('None (a new booking)')
  await expect(offer.getByRole('row').filter({ hasText: CANCELS.last })).toHaveCount(0)
  await expectAccessible(page, 'freed slot offer')

  // 4. booked in one step, with the keyboard: Tab to the patient's Book button and Enter
  const bookIt = offer.getByRole('button', { name: `Book ${WAITS.last}, ${WAITS.first} into this slot` })
  await bookIt.focus()
  await page.keyboard.press('Enter')
  await expect(offer).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Booked from the ASAP list' })).toContainText(`${WAITS.last}, ${WAITS.first}`)
  await expect(appt.getByTestId('appointment-status')).toHaveText('Cancelled')
  await page.keyboard.press('Escape')
  await expect(appt).toBeHidden()

  // 5. the schedule shows them in the slot, and the ASAP list no longer lists them
  const booked = page.locator('[data-lane="provider"]').filter({ hasText: WAITS.last })
  await expect(booked).toHaveAttribute('aria-label', new RegExp(`10:00–10:45, ${DOC.name}, Consultation room \\d, Booked$`))
  await page.getByRole('link', { name: 'ASAP list', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'ASAP list', level: 2 })).toBeVisible()
  await expect(page.getByText(WAITS.last)).toHaveCount(0)
  // still in the record, as booked, with who did it
  await page.getByLabel('Show removed entries').check()
  await expect(page.getByRole('table', { name: 'ASAP list' }).getByRole('row').filter({ hasText: WAITS.last })).toContainText(`Booked (`)
  await expect(page.getByRole('table', { name: 'ASAP list' }).getByRole('row').filter({ hasText: WAITS.last })).toContainText(DESK.name)
})

/**
 * The same offer from the confirmation list (issue 21's journey): a patient cancels on the confirmation call, and a
 * waiting patient's later appointment is moved into the slot from there. The list is opened on DAY (the screen
 * takes a chosen clinic day in its address), so the test runs on the shared clinic at any date.
 */
test('a cancellation on the confirmation list offers the slot to the ASAP list', async ({ page }) => {
  const CANCELS2 = { first: 'Call', last: `Cancelled-${tag}` }
  const WAITS2 = { first: 'Later', last: `Linden-${tag}` }
  await signIn(page, DESK)
  await expect(page.getByTestId('signed-in-user')).toContainText(DESK.name)
  const register = (p: { first: string; last: string }) =>
    callChannel<{ id: number }>(page, 'patients.register', { firstName: p.first, lastName: p.last, dateOfBirth: '1950-09-30', sex: 'male', phone: '(555) 010-9911', email: '', address: '', referringPhysician: '', notes: '', acknowledgeDuplicate: false })
  const cancels = await register(CANCELS2)
  const waits = await register(WAITS2)
  const setup = await callChannel<{ providers: { id: number; displayName: string }[]; types: { id: number; code: string }[] }>(page, 'schedule.setup.get', {})
  const providerId = setup.providers.find((p) => p.displayName === DOC.name)!.id
  const typeId = setup.types.find((t) => t.code === 'follow-up')!.id
  await callChannel(page, 'schedule.appointments.book', { patientId: cancels.id, typeId, providerId, startsAt: zonedToInstant(DAY, '15:00', TZ), notes: '' })
  // the waiting patient holds a follow-up a week later and can come any weekday afternoon: the slot moves it earlier
  const later = await callChannel<{ appointments: { id: number }[] }>(page, 'schedule.appointments.book', { patientId: waits.id, typeId, providerId, startsAt: zonedToInstant(addDays(DAY, 7), '15:00', TZ), notes: '' })
  await callChannel(page, 'schedule.asap.add', { patientId: waits.id, typeId, providerId: null, windows: [{ days: [1, 2, 3, 4, 5], from: '13:00', to: '17:00' }], appointmentId: later.appointments[0]!.id })

  await page.evaluate((h) => (window.location.hash = h), `#/confirmations?date=${DAY}`)
  await expect(page.getByRole('heading', { name: 'Confirmations' })).toBeVisible()
  const row = page.getByRole('table', { name: 'Appointments to confirm' }).getByRole('row').filter({ hasText: CANCELS2.last })
  await row.getByRole('button', { name: `Cancel the appointment of ${CANCELS2.last}, ${CANCELS2.first}` }).click()
  const dialog = page.getByRole('dialog', { name: `Cancel the appointment of ${CANCELS2.last}, ${CANCELS2.first}?` })
  await dialog.getByLabel('Reason').fill('Cannot get a lift')
  await dialog.getByRole('button', { name: 'Cancel the appointment' }).click()
  await expect(dialog).toBeHidden()

  const offer = page.getByRole('dialog', { name: /^This slot is free: \d+ patients? on the ASAP list fits?$/ })
  await expect(offer.getByTestId('freed-slot')).toContainText('Follow-up consultation')
  await expect(offer.getByTestId('freed-slot')).toContainText(`15:00–15:20 · ${DOC.name}`)
  const fit = offer.getByRole('row').filter({ hasText: WAITS2.last })
  await expect(fit).toContainText('(moves here)')
  await fit.getByRole('button', { name: `Move ${WAITS2.last}, ${WAITS2.first} into this slot` }).click()
  await expect(offer).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment moved earlier' })).toContainText(`${WAITS2.last}, ${WAITS2.first}`)
  // now on the day's list in the slot, unconfirmed
  await expect(page.getByRole('table', { name: 'Appointments to confirm' }).getByRole('row').filter({ hasText: WAITS2.last })).toContainText('15:00')

  // one appointment, on DAY at 15:00 (the later one moved, not a second booking)
  await page.evaluate((h) => (window.location.hash = h), `#/patients/${waits.id}`)
  const upcoming = page.getByRole('table', { name: 'Upcoming appointments' })
  await expect(upcoming.getByRole('row')).toHaveCount(2)
  await expect(upcoming.getByRole('row').nth(1)).toContainText('15:00–15:20')
  await expect(page.getByTestId('asap-status')).toContainText('Not on the ASAP list.')
})
