/**
 * The audit viewer: filter by action and user, export exactly the filtered rows as CSV, axe on the screen.
 */
import { readFileSync } from 'node:fs'
import { ADMIN } from './env'
import { expect, expectAccessible, signIn, test } from './fixtures'

test.describe.configure({ mode: 'serial', timeout: 300_000 })

test('the administrator filters the audit log by action and user and exports the rows as CSV', async ({ page }) => {
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Audit log' }).click()
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
  const table = page.getByRole('table', { name: 'Audit log' })
  await expect(table.getByRole('row').nth(1)).toBeVisible()
  await expectAccessible(page, 'audit log')

  // actions are listed and shown in words; the stored code is one click away
  await page.getByRole('combobox', { name: 'Action', exact: true }).fill('signed in')
  await page.getByRole('option', { name: 'Session signed in', exact: true }).click()
  await page.getByRole('combobox', { name: 'User', exact: true }).fill(ADMIN.username)
  await page.getByRole('option', { name: new RegExp(`\\(${ADMIN.username}\\)`) }).click()
  const actions = table.locator('tbody tr td:nth-child(4)')
  await expect(actions.first()).toHaveText('Session signed in')
  const shown = await actions.allTextContents()
  expect(new Set(shown)).toEqual(new Set(['Session signed in']))
  const first = table.locator('tbody tr').first()
  await first.getByRole('button', { name: 'Raw record' }).click()
  await expect(first.locator('pre')).toContainText('session.signIn')
  expect(new Set(await table.locator('tbody tr td:nth-child(2)').allTextContents())).toEqual(new Set([ADMIN.username]))

  await page.getByRole('button', { name: 'Export CSV' }).click()
  const link = page.getByRole('link', { name: /^Download audit-log-.*\.csv$/ })
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r\n/)
  expect(csv[0]).toBe('id,at,user_id,username,workstation,action,entity,entity_id,patient_id,patient_mrn,details')
  expect(csv.length - 1).toBeGreaterThanOrEqual(shown.length)
  for (const line of csv.slice(1)) expect(line).toContain(`,${ADMIN.username},`)
  await expectAccessible(page, 'audit log with an export')
})
