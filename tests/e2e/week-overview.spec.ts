/**
 * Issue 22 point 1, the pieces around the schedule's grid: a physician's "My schedule" (the schedule's week of
 * their own lane), a schedule preference remembered per user across a reload and a new sign-in, and the all-lanes
 * week as a compact overview (lanes as rows, days as columns; an appointment, a lane's week and a day open from it).
 */
import type { Page } from '@playwright/test'
import { addDays, startOfWeek, zonedToInstant } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, callChannel, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'
import { weekdayAhead } from './scheduleSteps'

test.describe.configure({ mode: 'serial' })

const DOC = uniqueUser('physician', 'Dr. Maren Søndergaard-Holt')
const DESK = uniqueUser('frontDesk', 'Wim Weekview')
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })
/** Signs in and waits until the app shows who is signed in (scrypt is slow on a busy machine). */
async function signedIn(page: Page, user: { username: string; password: string }) {
  await signIn(page, user)
  await expect(page.getByTestId('signed-in-user')).toBeVisible({ timeout: 30_000 })
}
const ZONE = 'America/New_York'
// A week of its own far ahead: its closed day and bookings are in no other spec's way (they share one clinic).
const MONDAY = startOfWeek(weekdayAhead(203))
const TUESDAY = addDays(MONDAY, 1)
const THURSDAY = addDays(MONDAY, 3)
const tag = DESK.username.slice(-5)
const PATIENTS = [
  { first: 'Anne Marie', last: `Søndergaard-${tag}`, time: '08:30', code: 'new-consultation' },
  { first: 'Jonas', last: `Abernathy-Wolcott-${tag}`, time: '10:00', code: 'follow-up' },
]

async function openScheduleScreen(page: Page) {
  await nav(page).getByRole('link', { name: 'Schedule', exact: true }).click()
  await expect(page.getByRole('heading', { name: /^Schedule · / })).toBeVisible()
}

test('a physician’s My schedule opens the week of their own lane; the front desk has none', async ({ page }) => {
  // two users added, each signing in twice (scrypt at OWASP's cost): minutes on a busy machine
  test.setTimeout(300_000)
  await addUser(page, ADMIN, DOC)
  await addUser(page, ADMIN, DESK)

  await signIn(page, DESK)
  await expect(nav(page).getByRole('link', { name: 'Schedule', exact: true })).toBeVisible()
  await expect(nav(page).getByRole('link', { name: 'My schedule' })).toHaveCount(0)
  await signOut(page)

  await signIn(page, DOC)
  const mine = nav(page).getByRole('link', { name: 'My schedule' })
  await mine.click()
  await expect(page).toHaveURL(/#\/schedule\?view=week&lane=me$/)
  // the link the physician followed is the one marked as the current place, not Schedule
  await expect(mine).toHaveAttribute('data-active', 'true')
  await expect(nav(page).getByRole('link', { name: 'Schedule', exact: true })).not.toHaveAttribute('data-active', 'true')
  await signOut(page)
})

test('the zoom a user chooses is theirs: kept across a reload and a new sign-in, not another user’s', async ({ page }) => {
  test.setTimeout(240_000)
  const zoomGroup = page.getByRole('radiogroup', { name: 'Zoom' })
  const zoom = (name: string) => zoomGroup.getByRole('radio', { name, exact: true })
  const choose = (name: string) => zoomGroup.getByText(name, { exact: true }).click()
  await signIn(page, DESK)
  await openScheduleScreen(page)
  await expect(zoom('Normal')).toBeChecked()
  await choose('Large')
  // at once, before the main process has answered
  await expect(zoom('Large')).toBeChecked()
  // the height of a column of the grid (the clinic's hours at the zoom's slot height)
  const slotHeight = async () => (await page.getByTestId('schedule-grid').locator('.tg-col').first().boundingBox())!.height
  const large = await slotHeight()

  // a reload: the same user on the lock screen, then the schedule as they left it
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Password' }).fill(DESK.password)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await openScheduleScreen(page)
  await expect(zoom('Large')).toBeChecked()
  expect(await slotHeight()).toBe(large)
  await signOut(page)

  // another user's zoom is their own
  await signIn(page, DOC)
  await openScheduleScreen(page)
  await expect(zoom('Normal')).toBeChecked()
  expect(await slotHeight()).toBeLessThan(large)
  await signOut(page)

  // signed in again: still Large
  await signIn(page, DESK)
  await openScheduleScreen(page)
  await expect(zoom('Large')).toBeChecked()
  await choose('Normal')
  await expect(zoom('Normal')).toBeChecked()
  await signOut(page)
})

test('the all-lanes week: lanes as rows, days as columns, and an appointment, a lane’s week and a day open from it', async ({ page }) => {
  test.setTimeout(240_000)
  await page.setViewportSize({ width: 1440, height: 900 })
  // the administrator closes the Thursday of that week
  await signedIn(page, ADMIN)
  const closed = await callChannel<{ id: number }>(page, 'schedule.closedDays.add', { date: THURSDAY, reason: `Staff training ${tag}` })
  await signOut(page)

  await signedIn(page, DESK)
  const setup = await callChannel<{ providers: { id: number; displayName: string }[]; types: { id: number; code: string; name: string }[] }>(page, 'schedule.setup.get', {})
  const doc = setup.providers.find((p) => p.displayName === DOC.name)!
  for (const p of PATIENTS) {
    const patient = await callChannel<{ id: number }>(page, 'patients.register', { firstName: p.first, lastName: p.last, dateOfBirth: '1944-03-09', sex: 'female', phone: '', email: '', address: '', referringPhysician: '', notes: '' })
    await callChannel(page, 'schedule.appointments.book', { patientId: patient.id, typeId: setup.types.find((t) => t.code === p.code)!.id, providerId: doc.id, startsAt: zonedToInstant(TUESDAY, p.time, ZONE) })
  }

  await openScheduleScreen(page)
  await page.getByRole('radiogroup', { name: 'View' }).getByText('Week', { exact: true }).click()
  await page.getByLabel('Provider or room').selectOption({ label: 'All lanes (overview)' })
  await page.getByLabel('Date', { exact: true }).fill(TUESDAY)
  const overview = page.getByRole('region', { name: /^Every lane, week of / })
  await expect(overview).toBeVisible()

  // the physician's row: the surname in full with the time and the type's short name; the rest in the name and tooltip
  const [first, second] = PATIENTS as [(typeof PATIENTS)[0], (typeof PATIENTS)[0]]
  const row = overview.getByRole('row').filter({ has: page.getByRole('button', { name: `Week of ${DOC.name}` }) })
  const firstName = `08:30 ${first.last}, ${first.first} · New patient consultation · Booked`
  const appointment = row.getByRole('button', { name: firstName })
  await expect(appointment).toHaveText(`08:30 ${first.last} · New`)
  await expect(appointment).toHaveAttribute('title', `08:30 ${first.last}, ${first.first} · New patient consultation · Booked`)
  await expect(row.getByRole('button', { name: new RegExp(`^10:00 ${second.last}, ${second.first} · Follow-up consultation`) })).toHaveText(`10:00 ${second.last} · Follow`)
  // the Tuesday cell counts its two; the closed Thursday says why
  await expect(row.getByRole('cell').filter({ has: page.getByRole('button', { name: firstName }) })).toContainText('2 appointments')
  const thursday = overview.getByRole('columnheader').filter({ has: page.getByRole('button', { name: /^Day of Thursday/ }) })
  await expect(thursday).toHaveAttribute('title', `Closed: Staff training ${tag}`)
  await expect(thursday).toContainText('Closed')
  // no sideways scrolling at 1440 px
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(1440)
  await expectAccessible(page, 'the all-lanes week')

  // an appointment opens its dialog
  await appointment.click()
  const dialog = page.getByRole('dialog', { name: 'Appointment' })
  await expect(dialog).toContainText(`${first.last}, ${first.first}`)
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  // the lane's own week
  await row.getByRole('button', { name: `Week of ${DOC.name}` }).click()
  await expect(page).toHaveURL(new RegExp(`lane=p%3A${doc.id}|lane=p:${doc.id}`))
  await expect(page.getByLabel('Provider or room').locator('option:checked')).toHaveText(new RegExp(`^${DOC.name}`))
  await expect(overview).toHaveCount(0)

  // back to the overview; a day's header opens the day
  await page.getByLabel('Provider or room').selectOption({ label: 'All lanes (overview)' })
  await overview.getByRole('button', { name: /^Day of Tuesday/ }).click()
  await expect(page).toHaveURL(new RegExp(`view=day`))
  await expect(page).toHaveURL(new RegExp(`date=${TUESDAY}`))
  await expect(page.getByRole('radio', { name: 'Day', exact: true })).toBeChecked()
  await signOut(page)

  await signedIn(page, ADMIN)
  await callChannel(page, 'schedule.closedDays.remove', { id: closed.id })
  await signOut(page)
})
