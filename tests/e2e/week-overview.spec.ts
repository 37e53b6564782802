/**
 * Issue 22 point 1, the pieces around the schedule's grid: a physician's "My schedule" (the schedule's week of
 * their own lane), a schedule preference remembered per user across a reload and a new sign-in, and the all-lanes
 * week as a compact overview (lanes as rows, days as columns; an appointment, a lane's week and a day open from it).
 */
import type { Page } from '@playwright/test'
import { zonedToInstant } from '../../shared/scheduling/time'
import { ADMIN } from './env'
import { addUser, callChannel, expect, signIn, signOut, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial' })

const DOC = uniqueUser('physician', 'Dr. Maren Søndergaard-Holt')
const DESK = uniqueUser('frontDesk', 'Wim Weekview')
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

test('a physician’s My schedule opens the week of their own lane; the front desk has none', async ({ page }) => {
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
