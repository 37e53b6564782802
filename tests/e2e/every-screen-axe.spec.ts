/**
 * Issue 23's done-when: axe reports no serious or critical violation on every screen. The journeys check each
 * screen with their data in it; this walks every screen of the navigation as it first opens, for the
 * administrator (users, settings, backups, the database, the audit log) and for a manager, whose navigation has
 * every clinical screen (the schedule, patients, worklists, overnight stays, outcomes). Each is checked once it
 * has drawn and its animations have settled (expectAccessible waits for them).
 */
import type { Page } from '@playwright/test'
import { ADMIN } from './env'
import { addUser, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'

// two users' every screen, each checked by axe: minutes on a busy two-core machine
test.describe.configure({ mode: 'serial', timeout: 600_000 })

const MANAGER = uniqueUser('manager', 'Nora Lindqvist')

async function everyScreenOfTheNavigation(page: Page, who: string): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Main' })
  await expect(nav.getByRole('link').first()).toBeVisible()
  const labels = (await nav.getByRole('link').allTextContents()).map((t) => t.trim())
  for (const label of labels) {
    await nav.getByRole('link', { name: label, exact: true }).click()
    await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible()
    // a screen still loading its data is checked once the data is there
    await expect(page.locator('[aria-label^="Loading"]')).toHaveCount(0, { timeout: 15_000 })
    await expectAccessible(page, `${label} (${who})`)
  }
  return labels
}

test('every screen of the administrator and of a manager passes axe', async ({ page }) => {
  await addUser(page, ADMIN, MANAGER)

  await signIn(page, ADMIN)
  const adminScreens = await everyScreenOfTheNavigation(page, 'administrator')
  expect(adminScreens).toEqual(expect.arrayContaining(['Users', 'Settings', 'Backups', 'Database']))
  // Settings is a screen of tabs: each tab is a screen of its own to the person using it
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click()
  for (const tab of await page.getByRole('tab').allTextContents()) {
    await page.getByRole('tab', { name: tab, exact: true }).click()
    await expectAccessible(page, `settings: ${tab}`)
  }
  await signOut(page)

  await signIn(page, MANAGER)
  const managerScreens = await everyScreenOfTheNavigation(page, 'manager')
  expect(managerScreens).toEqual(expect.arrayContaining(['Schedule', 'Patients', 'Follow-ups due', 'Procedure requests', 'Overnight stays', 'Outcomes', 'ASAP list']))
  expect(managerScreens).toContain('Confirmations')
  await signOut(page)
})
