/**
 * What the schedule specs do again and again, written as the user does it: the administrator's
 * Schedule setup screen (clinic hours of a weekday), and the front desk's booking form.
 */
import type { Locator, Page } from '@playwright/test'
import { addDays, weekdayOf, zonedParts } from '../../shared/scheduling/time'
import { expect } from './fixtures'

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const
export type WeekdayName = (typeof WEEKDAY_NAMES)[number]
export interface DayHours {
  open: boolean
  opens: string
  closes: string
}

/**
 * The first weekday (Mon-Fri, open 08:00-17:00 by default) at least `days` ahead in the clinic's default zone. Each
 * spec that books takes its own distance, so that specs sharing one clinic never take each other's rooms.
 */
export function weekdayAhead(days: number): string {
  let d = addDays(zonedParts(Date.now(), 'America/New_York').date, days)
  while (weekdayOf(d) > 5) d = addDays(d, 1)
  return d
}

/** The front desk opens the Schedule on a date and waits for its lanes. */
export async function openSchedule(page: Page, date: string) {
  await page.getByRole('link', { name: 'Schedule', exact: true }).click()
  await expect(page.getByRole('heading', { name: /^Schedule · / })).toBeVisible()
  await page.getByLabel('Date', { exact: true }).fill(date)
  await expect(page.getByRole('region', { name: 'Schedule lanes' })).toBeVisible()
}

export async function openScheduleSetup(page: Page) {
  await page.getByRole('link', { name: 'Schedule setup' }).click()
  await expect(page.getByRole('heading', { name: 'Schedule setup', level: 2 })).toBeVisible()
}

/** A weekday's row in the Clinic hours table, as the screen shows it. */
export async function readHours(page: Page, day: WeekdayName): Promise<DayHours> {
  return {
    open: await page.getByRole('checkbox', { name: `Open on ${day}` }).isChecked(),
    opens: await page.getByLabel(`${day} opens`).inputValue(),
    closes: await page.getByLabel(`${day} closes`).inputValue(),
  }
}

/** Ticks or unticks the day, types its hours, saves the row and waits for "Saved". */
export async function setHours(page: Page, day: WeekdayName, hours: DayHours) {
  await page.getByRole('checkbox', { name: `Open on ${day}` }).setChecked(true)
  await page.getByLabel(`${day} opens`).fill(hours.opens)
  await page.getByLabel(`${day} closes`).fill(hours.closes)
  await page.getByRole('checkbox', { name: `Open on ${day}` }).setChecked(hours.open)
  await page.getByRole('button', { name: `Save ${day}` }).click()
  await expect(page.getByRole('alert').filter({ hasText: `${day}'s hours` }).last()).toBeVisible()
  await expect(page.getByRole('checkbox', { name: `Open on ${day}` })).toBeChecked({ checked: hours.open })
}

/** The booking form, opened from the schedule's "Book appointment" button. */
export async function openBookingForm(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Book appointment' }).click()
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(dialog).toBeVisible()
  return dialog
}

/** Picks an existing patient in the booking form by typing their last name. */
export async function pickPatient(page: Page, dialog: Locator, lastName: string) {
  await dialog.getByLabel('Patient', { exact: true }).fill(lastName)
  await page.getByRole('option', { name: new RegExp(lastName) }).click()
}

/** Quick-registers a new patient in the booking form. */
export async function quickRegister(dialog: Locator, p: { first: string; last: string; dob: string }) {
  await dialog.getByLabel('New patient (quick registration)').check()
  await dialog.getByLabel('First name').fill(p.first)
  await dialog.getByLabel('Last name').fill(p.last)
  await dialog.getByLabel('Date of birth').fill(p.dob)
}

/** The schedule's lane blocks of a patient: a provider lane, a room lane or an observation bay. */
export function blocksOf(page: Page, lastName: string, lane: 'provider' | 'room' | 'bay' = 'provider'): Locator {
  return page.locator(`[data-lane="${lane}"]`).filter({ hasText: lastName })
}

/** The accessible name (else the text) of the element with the focus: the grid's roving slot or block. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '')
}

/**
 * From the slot with the focus: opens the booking form with Enter, quick-registers a patient by keyboard only, checks
 * the provider the slot chose and the end the type's length gives, and books.
 */
export async function bookByKeyboard(
  page: Page,
  who: { first: string; last: string; dob?: string; phone?: string },
  providerName: string,
  ends: RegExp,
  more?: (dialog: Locator) => Promise<void>,
) {
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Book appointment' })
  await expect(dialog).toBeVisible()
  // The patient search has the focus (most bookings are for a known patient); the new-patient box is one Shift+Tab away.
  await expect(dialog.getByLabel('Patient', { exact: true })).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(dialog.getByLabel('New patient (quick registration)')).toBeFocused()
  await page.keyboard.press('Space')
  await page.keyboard.press('Tab')
  await expect(dialog.getByLabel('First name')).toBeFocused()
  await page.keyboard.type(who.first)
  await page.keyboard.press('Tab')
  await page.keyboard.type(who.last)
  await page.keyboard.press('Tab')
  await page.keyboard.type(who.dob ?? '1949-05-17')
  await page.keyboard.press('Tab') // sex
  await page.keyboard.press('Tab')
  await expect(dialog.getByLabel('Phone')).toBeFocused()
  await page.keyboard.type(who.phone ?? '(555) 010-2222')
  // The slot chose the provider and time; the type's length sets the end.
  await expect(dialog.getByRole('combobox', { name: 'Provider' }).locator('option:checked')).toHaveText(providerName)
  await expect(dialog.getByTestId('booking-ends')).toHaveText(ends)
  await more?.(dialog)
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('alert').filter({ hasText: 'Appointment booked' }).last()).toContainText(`${who.last}, ${who.first}`)
}
