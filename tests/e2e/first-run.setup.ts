import { ADMIN } from './env'
import { expect, expectAccessible, signOut, test } from './fixtures'

test('first run asks for the clinic and its first administrator, then signs them in', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Welcome to Spine Clinic' })).toBeVisible()
  await expectAccessible(page, 'first-run setup')
  // A mismatched password is caught before anything is saved.
  await page.getByLabel('Clinic name').fill('Riverside Spine Center')
  await page.getByLabel('Full name').fill(ADMIN.name)
  await page.getByLabel('User name').fill(ADMIN.username)
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('short')
  await page.getByRole('textbox', { name: 'Repeat the password' }).fill('different')
  await page.getByRole('button', { name: 'Create the clinic' }).click()
  await expect(page.getByText('Must be at least 10 characters')).toBeVisible()
  await expect(page.getByText('The two passwords differ')).toBeVisible()

  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password)
  await page.getByRole('textbox', { name: 'Repeat the password' }).fill(ADMIN.password)
  await page.getByRole('button', { name: 'Create the clinic' }).click()
  await expect(page.getByTestId('signed-in-user')).toHaveText(`${ADMIN.name} · Administrator`)
  await expect(page.getByRole('heading', { name: 'Riverside Spine Center' })).toBeVisible()
  await signOut(page)
  await expectAccessible(page, 'sign-in')
})
