/**
 * The administrator's Database screen: what is in effect and why, Save only after a successful test of
 * exactly the values on screen, the restart notice, and (with CLINIC_TEST_PG_URL) a PostgreSQL test whose
 * password this bridge refuses to store. The spec's bridge was started with --db, so the saved setting
 * never changes which database the other specs use.
 */
import { resolve } from 'node:path'
import { ADMIN } from './env'
import { expect, expectAccessible, signIn, test } from './fixtures'

const PG_URL = process.env.CLINIC_TEST_PG_URL

test('the administrator tests a database connection before saving it, for the next start', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'The Electron app was started with CLINIC_DB_FILE; the bridge run covers the screen.')
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Database' }).click()
  await expect(page.getByRole('heading', { name: 'Database', level: 2 })).toBeVisible()
  await expect(page.getByTestId('db-in-effect')).toContainText('SQLite file on this computer')
  await expect(page.getByTestId('db-in-effect')).toContainText('from the command line')
  await expectAccessible(page, 'the Database screen')

  const save = page.getByRole('button', { name: 'Save', exact: true })
  const sqliteFile = page.getByRole('textbox', { name: 'SQLite file' })
  const test_ = page.getByRole('button', { name: 'Test connection' })
  await expect(save).toBeDisabled()

  // A file that is not there yet: the test says it will be created, and Save becomes possible.
  const file = resolve('.tmp/e2e/elsewhere/clinic.sqlite')
  await sqliteFile.fill('relative/clinic.sqlite')
  await test_.click()
  await expect(page.getByText('Must be a full file path')).toBeVisible()
  await expect(save).toBeDisabled()
  await sqliteFile.fill(file)
  await test_.click()
  await expect(page.getByTestId('db-test-result')).toContainText('Connection works')
  await expect(page.getByTestId('db-test-result')).toContainText('will create a new, empty clinic database there')
  await expect(save).toBeEnabled()
  // Changing a value after the test takes the permission away again.
  await sqliteFile.fill(`${file}.other`)
  await expect(save).toBeDisabled()
  await expect(page.getByText('The values changed since the last test')).toBeVisible()
  await sqliteFile.fill(file)
  await test_.click()
  await save.click()
  await expect(page.getByText('Database setting saved')).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'Restart needed' })).toContainText('takes effect when the app restarts')

  if (PG_URL) {
    const u = new URL(PG_URL)
    await page.getByLabel('PostgreSQL server (several workstations)').check()
    await page.getByRole('textbox', { name: 'Server', exact: true }).fill(u.hostname)
    await page.getByRole('textbox', { name: 'Port' }).fill(u.port || '5432')
    await page.getByRole('textbox', { name: 'Database name' }).fill(u.pathname.slice(1))
    await page.getByRole('textbox', { name: 'User', exact: true }).fill(decodeURIComponent(u.username))
    // The test server speaks no TLS: the test says so, and how to go on.
    await test_.click()
    await expect(page.getByTestId('db-test-result')).toContainText('does not accept TLS connections')
    await page.getByLabel('Encrypt the connection (TLS)').uncheck()
    await expect(page.getByLabel('Verify the server’s certificate')).toBeDisabled()
    // This bridge has no OS keystore: a password works for the test but cannot be saved.
    await page.getByRole('textbox', { name: 'Password' }).fill('not-stored-anywhere-1')
    await test_.click()
    await expect(page.getByTestId('db-test-result')).toContainText('cannot store the password')
    await expect(save).toBeDisabled()
    await expectAccessible(page, 'the Database screen with a PostgreSQL test result')
  }
})
