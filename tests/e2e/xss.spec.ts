/**
 * Text from the database is never interpreted as HTML: a patient whose names, address and notes hold markup
 * (an image with an onerror handler, a bold tag) shows it literally on the patient list, the patient's page,
 * the chart and the schedule, and the handler never runs. The lint rule (eslint.config.js) keeps
 * dangerouslySetInnerHTML and innerHTML out of the renderer.
 */
import type { Page } from '@playwright/test'
import { addDays, weekdayOf, zonedParts } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, expect, signIn, signOut, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial', timeout: 300_000 })

const DESK = uniqueUser('frontDesk', 'Hilda Html')
const DOC = uniqueUser('physician', 'Dr. Markup')
const tag = DESK.username.slice(-5)
const IMG = '<img src=x onerror=window.__xss=1>'
const BOLD = '<b>bold</b>'
const PATIENT = { first: `${BOLD}Ada`, last: `Xss${IMG}${tag}` }
const BOOKED = { first: `${IMG}Bo`, last: `Yss${BOLD}${tag}` }
const NOTES = `Note ${IMG} and ${BOLD}`

/** No markup from the data became elements, and no handler ran. */
async function expectInert(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
  await expect(page.locator('img[src="x"]')).toHaveCount(0)
  await expect(page.locator('main b', { hasText: /^bold$/ })).toHaveCount(0)
}

function futureWeekday(): string {
  let d = addDays(zonedParts(Date.now(), 'America/New_York').date, 9)
  while (weekdayOf(d) > 5) d = addDays(d, 1)
  return d
}

test('markup in a patient\'s names and notes shows as text on the list, the patient\'s page, the chart and the schedule', async ({ page }) => {
  await addUser(page, ADMIN, DESK)
  await addUser(page, ADMIN, DOC)

  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill(PATIENT.first)
  await page.getByLabel('Last name').fill(PATIENT.last)
  await page.getByLabel('Date of birth').fill('1941-05-06')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByLabel('Address').fill(`1 ${IMG} Street`)
  await page.getByLabel('Notes').fill(NOTES)
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByRole('heading', { name: `${PATIENT.last}, ${PATIENT.first}` })).toHaveText(`${PATIENT.last}, ${PATIENT.first}`)
  await expect(page.getByText(NOTES, { exact: true })).toBeVisible()
  await expect(page.getByText(`1 ${IMG} Street`, { exact: true })).toBeVisible()
  await expectInert(page)

  // the patient list
  await page.getByRole('link', { name: 'All patients' }).click()
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill(tag)
  await expect(page.getByRole('link', { name: `${PATIENT.last}, ${PATIENT.first}` })).toHaveText(`${PATIENT.last}, ${PATIENT.first}`)
  await expectInert(page)

  // the schedule: a booking that quick-registers another patient with markup in the names
  const day = futureWeekday()
  await page.getByRole('link', { name: 'Schedule', exact: true }).click()
  await page.getByLabel('Date', { exact: true }).fill(day)
  await expect(page.getByRole('region', { name: 'Schedule lanes' })).toBeVisible()
  await page.getByRole('button', { name: 'Book appointment' }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await dialog.getByRole('combobox', { name: 'Provider' }).selectOption({ label: DOC.name })
  await dialog.getByLabel('Start time').fill('11:30')
  await dialog.getByLabel('New patient (quick registration)').check()
  await dialog.getByLabel('First name').fill(BOOKED.first)
  await dialog.getByLabel('Last name').fill(BOOKED.last)
  await dialog.getByLabel('Date of birth').fill('1950-11-02')
  await dialog.getByRole('button', { name: 'Book' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment booked' })).toContainText(`${BOOKED.last}, ${BOOKED.first}`)
  await expect(page.locator('[data-lane="provider"]').filter({ hasText: `${BOOKED.last}, ${BOOKED.first}` }).first()).toBeVisible()
  await expectInert(page)
  await signOut(page)

  // the chart
  await signIn(page, DOC)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill(tag)
  await page.getByRole('link', { name: `${PATIENT.last}, ${PATIENT.first}` }).click()
  await page.getByRole('button', { name: 'Open chart' }).click()
  await expect(page.getByText(`${PATIENT.last}, ${PATIENT.first}`).first()).toBeVisible()
  await expectInert(page)
  await signOut(page)
})
