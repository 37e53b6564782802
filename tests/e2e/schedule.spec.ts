/**
 * The front desk's schedule: book from an empty slot with the keyboard only (quick-registering a new
 * patient), an overlapping booking refused with its reason, a move by drag and drop (confirmed; a
 * refused one springs back), statuses, the printable day list, and axe on the schedule.
 * The spec makes its own users and patients (names unique to the run) and books on a future weekday,
 * so it needs no other spec and no particular date. Check-in and no-show are on today: the spec opens
 * the clinic on today's weekday for that test and puts the hours back after it.
 */
import type { Locator, Page } from '@playwright/test'
import { addDays, weekdayOf, zonedParts } from '../../shared/scheduling/time'
import { ADMIN, BRIDGE_KEY, BRIDGE_PORT } from './env'
import { addUser, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'
import { blocksOf, bookByKeyboard, focused, openBookingForm, openSchedule, openScheduleSetup, pickPatient, readHours, setHours, weekdayAhead, WEEKDAY_NAMES, type DayHours, type WeekdayName } from './scheduleSteps'

test.describe.configure({ mode: 'serial', timeout: 300_000 })

// Named to sort next to each other: the shared test clinic has a lane for every physician the specs before this
// one made, so two lanes far apart in the alphabet need not be on screen together for a drag between them.
const DOC = uniqueUser('physician', 'Dr. Lane Avery')
const DOC2 = uniqueUser('physician', 'Dr. Lane Basri')
const DESK = uniqueUser('frontDesk', 'Sam Scheduler')
const tag = DOC.username.slice(-5)
const FIRST = { first: 'Keyboard', last: `Kowalczyk-${tag}` }
const SECOND = { first: 'Overlap', last: `Ortega-${tag}` }
const TZ = 'America/New_York' // the clinic's default

/**
 * Nothing stands over the control: what the browser would click at its centre is the control itself, not a
 * notification (the board's Complete button was once buried under four stacked toasts at 1280 px).
 */
async function expectUncovered(control: Locator) {
  await control.scrollIntoViewIfNeeded()
  const over = await control.evaluate((el) => {
    const r = el.getBoundingClientRect()
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
    return hit === null || el.contains(hit) ? null : (hit.closest('[role="alert"]')?.textContent ?? hit.outerHTML.slice(0, 120))
  })
  expect(over, 'something covers the control').toBeNull()
}

/** A weekday at least a week ahead: open (Mon-Fri 08:00-17:00 by default) and never "today". */
const DAY = weekdayAhead(8)

/** The empty slot of a lane at a time (the grid's buttons are named "Book <lane> <date> <HH:mm>"). */
function slot(page: Page, lane: string, time: string): Locator {
  return page.getByRole('button', { name: new RegExp(`^Book ${lane} ${DAY} ${time}`) })
}

/** An appointment block in a lane: its name starts with the patient and names the lane's provider. */
function block(page: Page, patient: { last: string }, lane: 'provider' | 'room' = 'provider'): Locator {
  return page.locator(`[data-lane="${lane}"]`).filter({ hasText: patient.last })
}

/** Drag with the mouse (down, move in steps, up), from an appointment to a later slot. */
async function drag(page: Page, from: Locator, to: Locator) {
  await from.scrollIntoViewIfNeeded()
  await expect(from).toBeInViewport()
  await expect(to).toBeInViewport()
  const a = (await from.boundingBox())!
  const b = (await to.boundingBox())!
  await page.mouse.move(a.x + 6, a.y + a.height / 2)
  await page.mouse.down()
  await page.mouse.move(b.x + 6, b.y + b.height / 2, { steps: 12 })
  await page.mouse.up()
}

test('the front desk books a new patient from an empty slot with the keyboard only', async ({ page }) => {
  test.setTimeout(360_000) // three users are made first
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DOC2)
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await openSchedule(page, DAY)

  // Coming back to the schedule from another screen, one Tab and Enter reach the grid: the screen has the focus,
  // its first Tab stop skips the date and view controls to the slots (one slot is in the tab order); arrows then
  // go to Dr. Avery's column (left/right: lanes) and down it to 10:00 (up/down: time).
  const inGrid = /^Book .* \d{4}-\d{2}-\d{2} \d{2}:\d{2}/
  await page.getByRole('link', { name: "Today's board" }).first().click()
  await expect(page.getByRole('heading', { name: "Today's board" })).toBeVisible()
  await page.goBack()
  await expect(page.getByRole('region', { name: 'Schedule lanes' })).toBeVisible()
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to the slots' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  expect(await focused(page)).toMatch(inGrid)
  // the slot shows it has the focus: a solid ring two pixels wide
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement!)
    return `${s.outlineStyle} ${s.outlineWidth}`
  })
  expect(ring).toBe('solid 2px')
  for (let i = 0; i < 60 && !(await focused(page)).includes(DOC.name); i++) await page.keyboard.press('ArrowRight')
  for (let i = 0; i < 80 && !(await focused(page)).includes(`${DAY} 10:00`); i++) await page.keyboard.press('ArrowDown')
  await expect(slot(page, DOC.name, '10:00')).toBeFocused()
  await bookByKeyboard(page, { ...FIRST, dob: '1944-03-08', phone: '(555) 010-4411' }, DOC.name, /^Ends at 10:45 \(45 min\)/, async (dialog) => {
    await expect(dialog.getByLabel('Provider')).toHaveValue(/\d+/)
    await expect(dialog.getByRole('combobox', { name: 'Appointment type' }).locator('option:checked')).toHaveText(/^New patient consultation \(45 min\)/)
  })
  const booked = block(page, FIRST)
  await expect(booked).toHaveAttribute('aria-label', new RegExp(`10:00–10:45, ${DOC.name}, Consultation room \\d, Booked$`))
  // The rooms' lanes are one choice away (a clinic with more lanes than fit side by side opens on the providers').
  await page.getByText('Providers and rooms', { exact: true }).click()
  await expect(page.getByRole('radio', { name: 'Providers and rooms' })).toBeChecked()
  await expect(block(page, FIRST, 'room')).toBeVisible()
  await expectAccessible(page, 'schedule day view with an appointment')
})

test('an overlapping booking is refused with its reason; the same patient then fits with another provider', async ({ page }) => {
  await signIn(page, DESK)
  await openSchedule(page, DAY)
  // The 10:15 slot sits under Kowalczyk's visit: book it from the button, naming the time.
  await page.getByRole('button', { name: 'Book appointment' }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await dialog.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC.name })
  await dialog.getByLabel('Start time').fill('10:15')
  await dialog.getByLabel('New patient (quick registration)').check()
  await dialog.getByLabel('First name').fill(SECOND.first)
  await dialog.getByLabel('Last name').fill(SECOND.last)
  await dialog.getByLabel('Date of birth').fill('1950-11-02')
  await dialog.getByRole('button', { name: 'Book' }).click()
  const refusal = dialog.getByRole('alert').filter({ hasText: 'Not booked' })
  await expect(refusal).toContainText(DOC.name)
  await expect(refusal).toContainText(FIRST.last)
  await expectAccessible(page, 'booking form with a refusal')

  // The patient was registered and stays picked; with Dr. Basri the slot is free.
  await expect(dialog.getByLabel('Patient', { exact: true })).toHaveValue(new RegExp(SECOND.last))
  await dialog.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC2.name })
  await dialog.getByRole('button', { name: 'Book' }).click()
  await expect(dialog).toBeHidden()
  await expect(block(page, SECOND)).toHaveAttribute('aria-label', new RegExp(`10:15–11:00, ${DOC2.name}, `))
})

test('an appointment is dragged to a later time and the move is confirmed; a refused move springs back', async ({ page }) => {
  await page.setViewportSize({ width: 1800, height: 900 }) // 10:00 to 13:15 and both doctors' lanes on screen without scrolling
  await signIn(page, DESK)
  await openSchedule(page, DAY)
  await drag(page, block(page, FIRST), slot(page, DOC.name, '13:00'))
  const confirm = page.getByRole('dialog', { name: 'Move appointment?' })
  await expect(confirm).toContainText('to ')
  await expect(confirm).toContainText('13:00')
  await confirm.getByRole('button', { name: 'Move' }).click()
  await expect(confirm).toBeHidden()
  await expect(block(page, FIRST)).toHaveAttribute('aria-label', /13:00–13:45/)

  // Ortega's visit dropped onto Dr. Avery's lane at 13:15 collides with Kowalczyk's.
  await drag(page, block(page, SECOND), slot(page, DOC.name, '13:15'))
  await expect(confirm).toContainText(`with ${DOC.name}`)
  await confirm.getByRole('button', { name: 'Move' }).click()
  await expect(confirm.getByRole('alert')).toContainText('Not moved: the appointment stays where it was')
  await expect(confirm.getByRole('alert')).toContainText(FIRST.last)
  await confirm.getByRole('button', { name: 'Back to the schedule' }).click()
  await expect(block(page, SECOND)).toHaveAttribute('aria-label', new RegExp(`10:15–11:00, ${DOC2.name}, `))
})

test('statuses: confirm, check-in and no-show follow the day rules; a cancellation needs a reason and lands on the rebook list', async ({ page }) => {
  await signIn(page, DESK)
  await openSchedule(page, DAY)
  await block(page, FIRST).click()
  const appt = page.getByRole('dialog', { name: 'Appointment' })
  await appt.getByRole('button', { name: 'Confirm' }).click()
  await expect(appt.getByTestId('appointment-status')).toHaveText('Confirmed')

  // DAY is a future day: check-in is for the day itself and a no-show only after the start, so neither is
  // offered (the main process refuses both as well: scheduling.test.ts), and the panel says when check-in opens.
  await expect(appt.getByTestId('status-held')).toHaveText(`Check-in opens on the day of the appointment (${DAY}).`)
  await expect(appt.getByRole('button', { name: 'Check in' })).toHaveCount(0)
  await expect(appt.getByRole('button', { name: 'No-show' })).toHaveCount(0)

  await appt.getByRole('button', { name: 'Cancel appointment' }).click()
  await expect(appt.getByRole('alert')).toContainText('Give a reason to cancel')
  await appt.getByLabel('Reason to cancel').fill('Patient has the flu')
  await appt.getByRole('button', { name: 'Cancel appointment' }).click()
  await expect(appt.getByTestId('appointment-status')).toHaveText('Cancelled')
  await expect(appt.getByTestId('stamp-Cancelled')).toContainText(`by ${DESK.name}`)
  await page.keyboard.press('Escape')
  await expect(appt).toBeHidden()

  await page.getByRole('link', { name: 'No-shows and cancellations' }).first().click()
  await page.getByText('Cancellations', { exact: true }).click()
  await page.getByLabel('To', { exact: true }).fill(addDays(DAY, 1))
  const row = page.getByRole('row').filter({ hasText: FIRST.last })
  await expect(row).toContainText('Patient has the flu')
  await row.getByRole('button', { name: `Rebook ${FIRST.last}, ${FIRST.first}` }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(dialog.getByRole('combobox', { name: 'Provider' }).locator('option:checked')).toHaveText(DOC.name)
  await dialog.getByRole('button', { name: 'Cancel' }).click()
})

/**
 * Check-in and no-show happen on the day, so this test books for today, whatever day that is: the
 * administrator first opens the clinic all day on today's weekday (Schedule setup), and the hours are
 * put back afterwards.
 */
let hoursToRestore: { day: WeekdayName; hours: DayHours } | null = null

test.afterAll(async ({ browser }) => {
  if (!hoursToRestore) return
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${BRIDGE_PORT}` })
  const page = await context.newPage()
  await page.goto(`/?key=${BRIDGE_KEY}`)
  await signIn(page, ADMIN)
  await openScheduleSetup(page)
  await setHours(page, hoursToRestore.day, hoursToRestore.hours)
  hoursToRestore = null
  await context.close()
})

test("today's board: check in, in room, completed, and a no-show to rebook, on any day of the week", async ({ page }) => {
  const today = zonedParts(Date.now(), TZ).date
  const day = WEEKDAY_NAMES[weekdayOf(today) - 1]!
  await signIn(page, ADMIN)
  await openScheduleSetup(page)
  hoursToRestore = { day, hours: await readHours(page, day) }
  await setHours(page, day, { open: true, opens: '00:00', closes: '23:55' })
  await signOut(page)

  // Two visits at 00:00 today: that time has always passed, so the second can be marked a no-show.
  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Schedule', exact: true }).click()
  await expect(page.getByRole('heading', { name: /^Schedule · / })).toBeVisible()
  for (const [patient, doctor] of [
    [FIRST, DOC],
    [SECOND, DOC2],
  ] as const) {
    const dialog = await openBookingForm(page)
    await pickPatient(page, dialog, patient.last)
    await dialog.getByRole('combobox', { name: 'Appointment type' }).selectOption({ label: 'Follow-up consultation (20 min)' })
    await dialog.getByRole('combobox', { name: 'Provider' }).selectOption({ label: doctor.name })
    await dialog.getByLabel(/^Date\W*$/).fill(today)
    await dialog.getByLabel('Start time').fill('00:00')
    await dialog.getByRole('button', { name: 'Book' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('alert').filter({ hasText: 'Appointment booked' }).last()).toContainText(`${patient.last}, ${patient.first}`)
  }

  // Ortega arrives: the board says who is waiting and for how long.
  await page.getByRole('link', { name: "Today's board" }).first().click()
  await expect(page.getByRole('heading', { name: /^Today's board/ })).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: SECOND.last })
  await expect(row).toContainText('Booked')
  await expect(page.getByText('Nobody is waiting.')).toBeVisible()
  await row.getByRole('button', { name: `Check in: ${SECOND.last}, ${SECOND.first}` }).click()
  await expect(row).toContainText('Checked in')
  await expect(row).toContainText(/\d+ min so far/)
  await expect(page.getByText(/^1 waiting; longest \d+ min\.$/)).toBeVisible()
  await expectAccessible(page, "today's board with a patient waiting")
  await row.getByRole('button', { name: `In room: ${SECOND.last}, ${SECOND.first}` }).click()
  await expect(row).toContainText('In room')
  await expect(row).toContainText(/waited \d+ min/)
  await expect(page.getByText('Nobody is waiting.')).toBeVisible()
  // The notifications of the bookings and of both steps are still up: none of them is over the next step's button.
  const complete = row.getByRole('button', { name: `Complete: ${SECOND.last}, ${SECOND.first}` })
  await expectUncovered(complete)
  await complete.click()
  await expect(row).toContainText('Completed')

  // The appointment says when each step happened and who did it.
  await page.getByRole('link', { name: 'Open the schedule' }).click()
  await blocksOf(page, SECOND.last).first().click()
  const appt = page.getByRole('dialog', { name: 'Appointment' })
  await expect(appt.getByTestId('appointment-status')).toHaveText('Completed')
  for (const step of ['Checked in', 'In room', 'Completed']) await expect(appt.getByTestId(`stamp-${step}`)).toContainText(`by ${DESK.name}`)
  await expectAccessible(page, 'a completed appointment')
  await page.keyboard.press('Escape')
  await expect(appt).toBeHidden()

  // Kowalczyk never came: a no-show, which lands on the list to call and rebook.
  await blocksOf(page, FIRST.last).first().click()
  await appt.getByRole('button', { name: 'No-show' }).click()
  await expect(appt.getByTestId('appointment-status')).toHaveText('No-show')
  // issue 23: a status badge is never cut ("NO-SH..."): the whole word fits in its badge
  const noShowLabel = appt.getByTestId('appointment-status').getByText('No-show', { exact: true })
  expect(await noShowLabel.evaluate((el) => [el, el.parentElement!].every((e) => e.scrollWidth <= e.clientWidth))).toBe(true)
  await expect(appt.getByTestId('stamp-No-show')).toContainText(`by ${DESK.name}`)
  await page.keyboard.press('Escape')
  await page.getByRole('link', { name: 'No-shows and cancellations' }).first().click()
  const missed = page.getByRole('table', { name: 'No-shows' }).getByRole('row').filter({ hasText: FIRST.last })
  await expect(missed).toContainText('No-show')
  await expect(missed).toContainText('None') // no later appointment: the one on DAY was cancelled
  await expectAccessible(page, 'no-shows to rebook')
  await missed.getByRole('button', { name: `Rebook ${FIRST.last}, ${FIRST.first}` }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(dialog.getByLabel('Patient', { exact: true })).toHaveValue(new RegExp(`^${FIRST.last}, ${FIRST.first}`))
  await expect(dialog.getByRole('combobox', { name: 'Provider' }).locator('option:checked')).toHaveText(DOC.name)
  await expect(dialog.getByRole('combobox', { name: 'Appointment type' }).locator('option:checked')).toHaveText(/^Follow-up consultation/)
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await signOut(page)

  // The administrator puts today's hours back.
  await signIn(page, ADMIN)
  await openScheduleSetup(page)
  await setHours(page, day, hoursToRestore.hours)
  hoursToRestore = null
  await signOut(page)
})

test('the day list shows one provider’s day for printing', async ({ page }) => {
  await signIn(page, DESK)
  await openSchedule(page, DAY)
  await page.getByRole('link', { name: 'Day list' }).click()
  await page.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC2.name })
  await expect(page.getByRole('heading', { name: new RegExp(`^Day list · ${DOC2.name} · `) })).toBeVisible()
  const row = page.getByRole('row').filter({ hasText: SECOND.last })
  await expect(row).toContainText('10:15–11:00')
  await expect(row).toContainText('New patient consultation')
  await page.evaluate(() => {
    ;(window as unknown as { printed: number }).printed = 0
    window.print = () => void ((window as unknown as { printed: number }).printed += 1)
  })
  await page.getByRole('button', { name: 'Print' }).click()
  // The print is audited first, then the print dialog opens.
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
  // In print, the navigation and the controls are gone.
  await page.emulateMedia({ media: 'print' })
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden()
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden()
  await expect(row).toBeVisible()
  await page.emulateMedia({ media: 'screen' })
  await expectAccessible(page, 'day list')
  await signOut(page)
})
