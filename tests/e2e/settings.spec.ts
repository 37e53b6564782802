/**
 * The administrator's Settings: every group has its tab; a change is validated where it is typed (a message on a
 * hidden tab opens that tab), saved for every workstation and used (the Backups screen shows the new rotation);
 * a backup folder beside the database asks first; in the browser bridge the folder dialog says to type the path.
 * Puts every setting it changes back, for the specs that follow.
 */
import type { Page } from '@playwright/test'
import { dirname, resolve } from 'node:path'
import { ADMIN, E2E_DB } from './env'
import { expect, expectAccessible, signIn, test } from './fixtures'
import { saveSettings } from './settingsSteps'

test.describe.configure({ timeout: 180_000 })

const TABS = ['Clinic', 'Schedule', 'Procedure day', 'Follow-ups', 'Discharge templates', 'Backups', 'Security']

async function openSettings(page: Page, tab?: string) {
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
  if (tab) await page.getByRole('tab', { name: tab }).click()
}

test('every group of settings has its tab; changes are checked where they are typed, saved and used', async ({ page }) => {
  await signIn(page, ADMIN)
  await openSettings(page)
  for (const name of TABS) await expect(page.getByRole('tab', { name })).toBeVisible()
  await expectAccessible(page, 'settings: clinic')

  // Procedure day: the timetable's check times follow the phases as they are typed
  await page.getByRole('tab', { name: 'Procedure day' }).click()
  await expect(page.getByTestId('observation-check-times')).toHaveText('Checks fall due 0, 15, 30, 45, 60, 90 and 120 minutes after arrival.')
  await page.getByLabel('Phase 2: a check every (minutes)').fill('60')
  await expect(page.getByTestId('observation-check-times')).toHaveText('Checks fall due 0, 15, 30, 45, 60 and 120 minutes after arrival.')
  await expect(page.getByLabel('Minimum observation (minutes)')).toHaveValue('60')
  await expect(page.getByLabel('Score needed for same-day discharge')).toHaveValue('9')
  await page.getByLabel('Overnight beds').fill('3')
  await expectAccessible(page, 'settings: procedure day')

  // Follow-ups: a visit with no number is refused; saving opens its tab and names the field
  await page.getByRole('tab', { name: 'Follow-ups' }).click()
  await expect(page.getByTestId('follow-up-preview')).toContainText('For a procedure today: 2 weeks around')
  await page.getByRole('button', { name: 'Add a visit' }).click()
  await page.getByLabel('Visit 4: name').fill('1 year')
  await page.getByLabel('Visit 4: after').fill('')
  await page.getByRole('tab', { name: 'Backups' }).click()
  await page.getByLabel('Keep daily backups for (days)').fill('10')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('tab', { name: 'Follow-ups (to check)' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByText('Must be 1 to 24')).toBeVisible()
  await page.getByLabel('Visit 4: after').fill('12')
  await expect(page.getByTestId('follow-up-preview')).toContainText('1 year around')
  await expectAccessible(page, 'settings: follow-ups')

  // Discharge templates: the preview shows a new line as the summary prints it
  await page.getByRole('tab', { name: 'Discharge templates' }).click()
  const guidelines = page.getByLabel('Activity guidelines')
  const original = await guidelines.inputValue()
  await guidelines.fill(`${original}\nNo swimming for 2 weeks.`)
  await expect(page.getByRole('region', { name: "Preview of the discharge summary's instructions" }).getByRole('listitem').filter({ hasText: 'No swimming for 2 weeks.' })).toBeVisible()
  await expectAccessible(page, 'settings: discharge templates')
  await saveSettings(page)

  // Saved for everyone and used: the Backups screen shows the new rotation
  await page.getByRole('link', { name: 'Backups' }).click()
  await expect(page.getByText(/the last 10 days, 4 weeks and 12 months/)).toBeVisible()
  await page.getByRole('link', { name: 'Change the folder, the time or the rotation in Settings' }).click()
  await expect(page.getByRole('tab', { name: 'Backups' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByLabel('Keep daily backups for (days)')).toHaveValue('10')
  await page.getByRole('tab', { name: 'Procedure day' }).click()
  await expect(page.getByLabel('Overnight beds')).toHaveValue('3')

  // Put everything back for the specs that follow
  await page.getByRole('button', { name: 'Use the usual timetable (15 minutes for an hour, then 30 for an hour)' }).click()
  await page.getByLabel('Overnight beds').fill('2')
  await page.getByRole('tab', { name: 'Follow-ups' }).click()
  await page.getByRole('button', { name: 'Remove visit 4' }).click()
  await page.getByRole('tab', { name: 'Discharge templates' }).click()
  await page.getByLabel('Activity guidelines').fill(original)
  await page.getByRole('tab', { name: 'Backups' }).click()
  await page.getByLabel('Keep daily backups for (days)').fill('7')
  await saveSettings(page)
})

test('a backup folder beside the database asks first; the browser bridge has no folder dialog', async ({ page }) => {
  await signIn(page, ADMIN)
  await openSettings(page, 'Backups')
  await page.getByRole('button', { name: 'Choose…' }).click()
  await expect(page.getByRole('alert').filter({ hasText: "The folder dialog opens in the desktop app. Here, type the folder's full path." })).toBeVisible()

  const beside = resolve(dirname(E2E_DB), 'copies')
  await page.getByLabel('Backup folder').fill(beside)
  await page.getByRole('button', { name: 'Save settings' }).click()
  const ask = page.getByRole('dialog', { name: 'Keep the backups on the same disk?' })
  await expect(ask).toContainText('if that disk fails, the backups are lost with the database')
  await expectAccessible(page, 'same-disk confirmation')
  await ask.getByRole('button', { name: 'Choose another folder' }).click()
  // nothing was saved: the Backups screen still shows the folder next to the database
  await page.getByLabel('Backup folder').fill('')
  await page.getByRole('link', { name: 'Backups' }).click()
  await expect(page.getByText(/^Folder: /)).toContainText('(next to the database')
})
