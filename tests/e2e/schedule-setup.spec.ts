/**
 * A new clinic's week, as its people would do it the first time: the administrator sets up the week
 * (hours per weekday, a closed day, a room, an appointment type edited and one added); the front desk
 * reads each provider's and room's week (days as columns, closed hours shaded), books a weekly series with
 * the new type, moves one occurrence on its own, cancels one with a reason, lets "Find next free
 * slot" pick a time, and downloads the provider's iCalendar file, read back here with ical.js.
 * The spec makes its own users and patients and works three weeks ahead, so it needs no other spec.
 */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import ICAL from 'ical.js'
import { formatTypedDate } from '../../shared/dates'
import { addDays, startOfWeek, zonedParts, zonedToInstant } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'
import { blocksOf, openScheduleSetup, quickRegister, setHours } from './scheduleSteps'

test.describe.configure({ mode: 'serial', timeout: 300_000 })

const DOC = uniqueUser('physician', 'Dr. Wen Okafor')
const DESK = uniqueUser('frontDesk', 'Pat Newcomer')
const tag = DOC.username.slice(-5)
const SERIES = { first: 'Rhea', last: `Repeat-${tag}`, dob: '1948-02-11' }
const NEXT = { first: 'Nadia', last: `Nextslot-${tag}`, dob: '1952-07-30' }
const TZ = 'America/New_York' // the clinic's default
const today = zonedParts(Date.now(), TZ).date
/** A Monday 15 to 21 days ahead, and the Thursday of its week that the clinic closes. */
const MON = startOfWeek(addDays(today, 21))
const CLOSED = addDays(MON, 3)
const SAT = addDays(MON, 5)
const BRACE = { name: `Brace check ${tag}`, code: `brace-${tag}`, colour: '#0b7285' }
const GREY = 'rgb(233, 236, 239)' // Mantine gray 2: outside clinic hours
const WHITE = 'rgb(255, 255, 255)'

/** An empty slot of a lane's week (days as columns): "Book <lane> <date> <HH:mm>". */
function weekSlot(page: Page, lane: string, date: string, time: string) {
  return page.getByRole('button', { name: new RegExp(`^Book ${lane} ${date} ${time}$`) })
}

/** The week of one lane (a provider's or a room's), from the Schedule link: Week, the lane, the date. */
async function openWeek(page: Page, date: string, lane = DOC.name) {
  await page.getByRole('link', { name: 'Schedule', exact: true }).click()
  await page.getByText('Week', { exact: true }).click()
  await expect(page.getByRole('radio', { name: 'Week' })).toBeChecked()
  await page.getByRole('combobox', { name: 'Provider or room' }).selectOption({ label: lane })
  await page.getByLabel('Date', { exact: true }).fill(date)
  await expect(page.getByRole('heading', { name: /^Schedule · week of / })).toContainText(zonedLong(startOfWeek(date)))
}

/** "December 21, 2026": how the heading names a Monday. */
function zonedLong(date: string) {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', day: 'numeric', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`))
}

test('the administrator sets up the week: hours per weekday, a closed day, a room, and appointment types', async ({ page }) => {
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)
  await signIn(page, ADMIN)
  await openScheduleSetup(page)
  await expectAccessible(page, 'schedule setup')

  // Saturday mornings open. A closing time before the opening is refused under the field.
  await page.getByRole('checkbox', { name: 'Open on Saturday' }).check()
  await page.getByLabel('Saturday opens').fill('09:00')
  await page.getByLabel('Saturday closes').fill('08:00')
  await page.getByRole('button', { name: 'Save Saturday' }).click()
  await expect(page.getByRole('row', { name: /^Saturday/ })).toContainText('Must be after the opening time')
  await setHours(page, 'Saturday', { open: true, opens: '09:00', closes: '12:00' })

  // A closed day, with its reason; the same day twice is refused.
  await page.getByLabel('Closed date').fill(CLOSED)
  await page.getByLabel('Reason').fill('Staff training')
  await page.getByRole('button', { name: 'Add closed day' }).click()
  await expect(page.getByRole('table', { name: 'Closed days' }).getByRole('row').filter({ hasText: CLOSED })).toContainText('Staff training')
  await page.getByLabel('Closed date').fill(CLOSED)
  await page.getByLabel('Reason').fill('Again')
  await page.getByRole('button', { name: 'Add closed day' }).click()
  await expect(page.getByText('Is already closed', { exact: true })).toBeVisible()

  // A third consultation room.
  await page.getByRole('button', { name: 'Add room' }).click()
  const roomDialog = page.getByRole('dialog', { name: 'Add room' })
  await expect(roomDialog.getByLabel('Name')).toBeFocused()
  await roomDialog.getByLabel('Name').fill(`Consultation room ${tag}`)
  await roomDialog.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Consultation room' })
  await roomDialog.getByLabel('Order in the lanes').fill('25')
  await roomDialog.getByRole('button', { name: 'Save room' }).click()
  await expect(roomDialog).toBeHidden()
  await expect(page.getByRole('table', { name: 'Rooms' }).getByRole('row').filter({ hasText: `Consultation room ${tag}` })).toContainText('In use')

  // The post-procedure follow-up takes 30 minutes here, not 20.
  await page.getByRole('button', { name: 'Edit Post-procedure follow-up' }).click()
  const editType = page.getByRole('dialog', { name: 'Edit appointment type' })
  await editType.getByLabel('Length (minutes)').fill('30')
  await editType.getByRole('button', { name: 'Save type' }).click()
  await expect(editType).toBeHidden()
  const types = page.getByRole('table', { name: 'Appointment types' })
  await expect(types.getByRole('row').filter({ hasText: 'Post-procedure follow-up' })).toContainText('30 min')

  // The clinic's own type: a too-pale colour is flagged in the preview before saving.
  await page.getByRole('button', { name: 'Add appointment type' }).click()
  const addType = page.getByRole('dialog', { name: 'Add appointment type' })
  await addType.getByLabel('Name').fill(BRACE.name)
  await addType.getByLabel('Code').fill(BRACE.code)
  await addType.getByRole('textbox', { name: 'Colour' }).fill('#ffff66')
  await expect(addType.getByText(/^Preview:/)).toContainText('text black')
  await addType.getByRole('textbox', { name: 'Colour' }).fill(BRACE.colour)
  await addType.getByLabel('Length (minutes)').fill('15')
  await addType.getByLabel('Order', { exact: true }).fill('60') // after the clinic's usual types in the booking form
  await expect(addType.getByText(/^Preview:/)).toContainText('text white')
  await expect(addType.getByText(/^Preview:/)).not.toContainText('too low')
  await expectAccessible(page, 'new appointment type dialog')
  await addType.getByRole('button', { name: 'Save type' }).click()
  await expect(addType).toBeHidden()
  const brace = types.getByRole('row').filter({ hasText: BRACE.name })
  await expect(brace).toContainText(BRACE.code)
  await expect(brace).toContainText('15 min')
  await expect(brace).toContainText('Consultation room')
  await expect(brace).toContainText('Offered')
  await expectAccessible(page, 'schedule setup after the changes')
  await signOut(page)
})

test("the week view: each provider's and room's week, days as columns, closed hours shaded", async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 })
  await signIn(page, DESK)
  for (const lane of [DOC.name, 'Consultation room 1', 'Consultation room 2', `Consultation room ${tag}`, 'Procedure suite', 'Observation bay 1', 'Observation bay 2']) {
    await openWeek(page, MON, lane)
    await expect(weekSlot(page, lane, MON, '10:00')).toHaveCount(1)
  }
  await openWeek(page, MON)
  // Saturday is open now, so the week shows the weekend; Saturday's slots are there too. Sunday stays closed: no column.
  await expect(weekSlot(page, DOC.name, SAT, '10:00')).toHaveCount(1)
  await expect(weekSlot(page, DOC.name, addDays(MON, 6), '10:00')).toHaveCount(0)
  // The week shows the union of its open hours (08:00-17:00): nothing before or after, and the closed parts shaded.
  await expect(weekSlot(page, DOC.name, MON, '07:45')).toHaveCount(0)
  await expect(weekSlot(page, DOC.name, MON, '17:00')).toHaveCount(0)
  const shade = (date: string, time: string) => expect(weekSlot(page, DOC.name, date, time))
  await shade(MON, '10:00').toHaveCSS('background-color', WHITE)
  await shade(MON, '16:45').toHaveCSS('background-color', WHITE)
  await shade(SAT, '08:00').toHaveCSS('background-color', GREY) // before Saturday's opening
  await shade(CLOSED, '10:00').toHaveCSS('background-color', GREY) // the closed day
  await shade(SAT, '10:00').toHaveCSS('background-color', WHITE)
  await shade(SAT, '13:00').toHaveCSS('background-color', GREY) // Saturday closes at noon
  await expectAccessible(page, 'schedule week view')

  // The day view says why the clinic is closed on the closed day.
  await page.getByText('Day', { exact: true }).click()
  await page.getByLabel('Date', { exact: true }).fill(CLOSED)
  await expect(page.getByText('The clinic is closed on this day: Staff training.')).toBeVisible()
  await signOut(page)
})

test('a weekly series of 6 from an empty slot; one occurrence moved on its own, one cancelled with a reason', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 })
  await signIn(page, DESK)
  await openWeek(page, MON)
  await weekSlot(page, DOC.name, MON, '09:00').click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await quickRegister(dialog, SERIES)
  await dialog.getByRole('combobox', { name: 'Appointment type' }).selectOption({ label: `${BRACE.name} (15 min)` })
  await expect(dialog.getByTestId('booking-ends')).toHaveText(/^Ends at 09:15 \(15 min\)/)
  await dialog.getByLabel('Repeat weekly').check()
  await expect(dialog.getByLabel('Every (weeks)')).toHaveValue('1')
  await dialog.getByLabel('Times', { exact: true }).fill('6')
  await expectAccessible(page, 'booking form with a weekly repeat')
  await dialog.getByRole('button', { name: 'Book' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: '6 appointments booked' })).toContainText(`${SERIES.last}, ${SERIES.first}`)

  // Six rows, one a week, each at 09:00 on the Monday.
  for (let week = 0; week < 6; week++) {
    if (week > 0) await page.getByRole('button', { name: 'Next week' }).click()
    await expect(page.getByRole('heading', { name: /^Schedule · week of / })).toContainText(zonedLong(addDays(MON, 7 * week)))
    await expect(blocksOf(page, SERIES.last)).toHaveCount(1)
    await expect(blocksOf(page, SERIES.last)).toHaveAttribute('aria-label', new RegExp(`${BRACE.name}, 09:00–09:15, ${DOC.name}, `))
  }

  // The third occurrence moves to 11:00 by editing it; the second and fourth stay at 09:00.
  await openWeek(page, addDays(MON, 14))
  await blocksOf(page, SERIES.last).click()
  const appt = page.getByRole('dialog', { name: 'Appointment' })
  await expect(appt).toContainText('Occurrence 3 of a weekly series')
  await appt.getByLabel('New start time').fill('11:00')
  await appt.getByRole('button', { name: 'Move appointment' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment moved' })).toBeVisible()
  await expect(appt.getByRole('row', { name: /^When/ })).toContainText('11:00–11:15')
  await page.keyboard.press('Escape')
  await expect(blocksOf(page, SERIES.last)).toHaveAttribute('aria-label', /11:00–11:15/)
  await page.getByRole('button', { name: 'Previous week' }).click()
  await expect(blocksOf(page, SERIES.last)).toHaveAttribute('aria-label', /09:00–09:15/)
  await openWeek(page, addDays(MON, 21))
  await expect(blocksOf(page, SERIES.last)).toHaveAttribute('aria-label', /09:00–09:15/)

  // The sixth is cancelled: the reason is asked for, kept, and shown on the list to rebook.
  await openWeek(page, addDays(MON, 35))
  await blocksOf(page, SERIES.last).click()
  await expect(appt).toContainText('Occurrence 6 of a weekly series')
  await appt.getByRole('button', { name: 'Cancel appointment' }).click()
  await expect(appt.getByRole('alert')).toContainText('Give a reason to cancel')
  await appt.getByLabel('Reason to cancel').fill('Brace no longer needed after week 5')
  await appt.getByRole('button', { name: 'Cancel appointment' }).click()
  await expect(appt.getByTestId('appointment-status')).toHaveText('Cancelled')
  await expect(appt.getByTestId('stamp-Cancelled')).toContainText(`by ${DESK.name}`)
  await expect(appt).toContainText('Brace no longer needed after week 5')
  await page.keyboard.press('Escape')
  // A cancelled appointment frees its slot: it leaves the grid and waits on the list to rebook.
  await expect(blocksOf(page, SERIES.last)).toHaveCount(0)
  await page.getByRole('link', { name: 'No-shows and cancellations' }).first().click()
  await page.getByText('Cancellations', { exact: true }).click()
  await page.getByLabel('To', { exact: true }).fill(addDays(MON, 40))
  const row = page.getByRole('table', { name: 'Cancellations' }).getByRole('row').filter({ hasText: SERIES.last })
  await expect(row).toContainText('Brace no longer needed after week 5')
  await expect(row).toContainText('None') // nothing booked after the last occurrence
  await signOut(page)
})

test('"Find next free slot" moves the booking to the first time the provider is free', async ({ page }) => {
  await signIn(page, DESK)
  await openWeek(page, MON)
  await page.getByRole('button', { name: 'Book appointment' }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await quickRegister(dialog, NEXT)
  await dialog.getByRole('combobox', { name: 'Appointment type' }).selectOption({ label: `${BRACE.name} (15 min)` })
  await dialog.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC.name })
  await dialog.getByLabel(/^Date\W*$/).fill(MON)
  await dialog.getByLabel('Start time').fill('09:00') // Dr. Okafor sees Repeat then
  await dialog.getByRole('button', { name: 'Find next free slot' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Next free slot' })).toContainText('09:15')
  await expect(dialog.getByLabel(/^Date\W*$/)).toHaveValue(formatTypedDate(MON))
  await expect(dialog.getByLabel('Start time')).toHaveValue('09:15')
  await expect(dialog.getByTestId('booking-ends')).toHaveText(/^Ends at 09:30/)
  await dialog.getByRole('button', { name: 'Book' }).click()
  await expect(dialog).toBeHidden()
  await expect(blocksOf(page, NEXT.last)).toHaveAttribute('aria-label', new RegExp(`09:15–09:30, ${DOC.name}, `))
  await signOut(page)
})

test("the provider's iCalendar file downloads from the screen and reads back with an independent parser", async ({ page }) => {
  await signIn(page, DESK)
  await openWeek(page, MON)
  await page.getByRole('button', { name: 'Export iCalendar' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export iCalendar' })
  await dialog.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC.name })
  await expect(dialog.getByLabel('From', { exact: true })).toHaveValue(formatTypedDate(MON))
  await dialog.getByLabel('To', { exact: true }).fill(addDays(MON, 41))
  await dialog.getByRole('button', { name: 'Create file' }).click()
  const link = dialog.getByRole('button', { name: /^Download schedule-.*\.ics$/ })
  await expect(dialog).toContainText('.ics: 7 appointments')
  await expectAccessible(page, 'iCalendar export ready')
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  expect(download.suggestedFilename()).toBe(`schedule-${DOC.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${MON}-to-${addDays(MON, 41)}.ics`)

  const cal = new ICAL.Component(ICAL.parse(readFileSync((await download.path())!, 'utf8')))
  const events = cal
    .getAllSubcomponents('vevent')
    .map((v) => {
      const e = new ICAL.Event(v)
      return { summary: e.summary, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(), status: String(v.getFirstPropertyValue('status')) }
    })
    .sort((a, b) => a.start.localeCompare(b.start) || a.summary.localeCompare(b.summary))
  const at = (date: string, time: string) => zonedToInstant(date, time, TZ)
  const series = [0, 1, 2, 3, 4, 5].map((w) => {
    const date = addDays(MON, 7 * w)
    const [from, to] = w === 2 ? ['11:00', '11:15'] : ['09:00', '09:15']
    return { summary: `${BRACE.name}: ${SERIES.last}, ${SERIES.first}`, start: at(date, from), end: at(date, to), status: w === 5 ? 'CANCELLED' : 'CONFIRMED' }
  })
  const next = { summary: `${BRACE.name}: ${NEXT.last}, ${NEXT.first}`, start: at(MON, '09:15'), end: at(MON, '09:30'), status: 'CONFIRMED' }
  expect(events).toEqual([series[0], next, ...series.slice(1)])
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()

  // Saturday back to closed, as the clinic had it.
  await signOut(page)
  await signIn(page, ADMIN)
  await openScheduleSetup(page)
  await setHours(page, 'Saturday', { open: false, opens: '08:00', closes: '17:00' })
  await signOut(page)
})
