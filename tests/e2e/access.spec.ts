/**
 * What a person notices of issue 16's access rules: the run's key leaves the address bar (and a reload still
 * works), and a user changes their own password from the user menu (the old one stops working at once).
 * Choosing one's own password at first sign-in is in foundation.spec.ts (and every addUser), signing with the
 * password asked again in consultation.spec.ts.
 */
import { ADMIN } from './env'
import { addUser, expect, signIn, signOut, test, uniqueUser } from './fixtures'

test('the run’s key is taken out of the address once the page is served; a reload still opens the app', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  expect(new URL(page.url()).searchParams.has('key')).toBe(false)
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  expect(page.url()).not.toContain('key=')
})

test('a user changes their own password from the user menu; the old one no longer signs in', async ({ page }) => {
  const user = uniqueUser('manager', 'Mina Manager')
  await addUser(page, ADMIN, user)
  await signIn(page, user)
  await page.getByTestId('signed-in-user').click()
  await page.getByRole('menuitem', { name: 'Change my password' }).click()
  const dialog = page.getByRole('dialog', { name: 'Change my password' })
  await dialog.getByLabel('Current password').fill('not-the-current-one')
  await dialog.getByRole('textbox', { name: 'New password', exact: true }).fill('mina-chose-this-1')
  await dialog.getByLabel('Repeat the new password').fill('mina-chose-this-1')
  await dialog.getByRole('button', { name: 'Change password' }).click()
  await expect(dialog.getByRole('alert')).toContainText('The password is wrong.')
  await dialog.getByLabel('Current password').fill(user.password)
  await dialog.getByRole('button', { name: 'Change password' }).click()
  // two scrypt hashes at OWASP's cost (checking the current password, hashing the new one): slow on busy machines
  await expect(page.getByText('Password changed')).toBeVisible({ timeout: 30_000 })
  await expect(dialog).toHaveCount(0)
  await signOut(page)

  await signIn(page, user)
  await expect(page.getByRole('alert')).toContainText('The user name or password is wrong')
  await signIn(page, { username: user.username, password: 'mina-chose-this-1' })
  await expect(page.getByTestId('signed-in-user')).toContainText(user.name)
})
