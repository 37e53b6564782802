/** Steps the settings specs share. */
import type { Page } from '@playwright/test'
import { expect } from './fixtures'

/** Saves the Settings screen and waits until it says nothing is left unsaved (the saved notice dismissed). */
export async function saveSettings(page: Page) {
  await page.getByRole('button', { name: 'Save settings' }).click()
  const saved = page.getByRole('alert').filter({ hasText: 'Settings saved' })
  await expect(saved).toBeVisible()
  await saved.locator('button').click()
  await expect(page.getByText('No unsaved changes')).toBeVisible()
}
