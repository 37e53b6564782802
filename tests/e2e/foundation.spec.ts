import { ADMIN, DESK } from './env'
import { chooseOwnPassword, expect, expectAccessible, signIn, signOut, test } from './fixtures'

test.describe.configure({ mode: 'serial' })

test('the administrator creates a front-desk user, who must choose their own password at first sign-in', async ({ page }) => {
  const initial = 'set-by-the-admin-1'
  // the window says where it is, and the app has its icon (no 404 for a favicon)
  await expect(page).toHaveTitle('Sign in · Spine Clinic')
  const icon = await page.locator('link[rel="icon"]').getAttribute('href')
  const served = await page.request.get(new URL(icon!, page.url()).href)
  expect(served.status(), `the icon at ${icon}`).toBe(200)
  expect((await served.body()).toString()).toContain('<svg')
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Users' }).click()
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
  await expectAccessible(page, 'users')
  await page.getByRole('button', { name: 'Add user' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add user' })
  await dialog.getByLabel('Full name').fill(DESK.name)
  await dialog.getByLabel('User name').fill(DESK.username)
  await dialog.getByRole('combobox', { name: 'Role' }).click()
  await page.getByRole('option', { name: 'Front desk' }).click()
  await dialog.getByLabel('Initial password').fill(initial)
  await dialog.getByRole('button', { name: 'Add user' }).click()
  await expect(page.getByRole('cell', { name: DESK.name, exact: true })).toBeVisible()
  await signOut(page)

  // a wrong password and an unknown user name get the same answer
  await signIn(page, { username: DESK.username, password: 'wrong-password' })
  await expect(page.getByRole('alert')).toContainText('The user name or password is wrong')
  const wrongPassword = await page.getByRole('alert').textContent()
  await signIn(page, { username: 'nobody-by-this-name', password: 'wrong-password' })
  await expect(page.getByRole('alert')).toHaveText(wrongPassword!)

  // the password the administrator set lets them in only to choose their own
  await signIn(page, { username: DESK.username, password: initial })
  await expect(page.getByRole('heading', { name: 'Choose your own password' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Patients', exact: true })).toHaveCount(0)
  await expectAccessible(page, 'choose your own password')
  await page.getByLabel('Password you were given').fill(initial)
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(initial)
  await page.getByLabel('Repeat the new password').fill(initial)
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('alert')).toContainText('The new password must differ from the current one.')
  await chooseOwnPassword(page, initial, DESK.password)
  await signOut(page)
  await signIn(page, { username: DESK.username, password: initial })
  await expect(page.getByRole('alert')).toContainText('The user name or password is wrong')
  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await expect(page.getByTestId('signed-in-user')).toHaveText(`${DESK.name} · Front desk`)
  // The front desk has no user administration.
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0)
})

test('the front desk registers a patient and finds them by part of the name in another order', async ({ page }) => {
  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible()
  await expectAccessible(page, 'patient list')
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill('Éloïse')
  await page.getByLabel('Last name').fill('Lefèvre-Dubois')
  // Dates are typed the clinic's way, month first. 30 February is refused under the field and stays as typed.
  const dob = page.getByRole('textbox', { name: 'Date of birth' })
  await dob.fill('02/30/1944')
  await page.getByRole('combobox', { name: 'Sex' }).click()
  await page.getByRole('option', { name: 'Female' }).click()
  await page.getByLabel('Phone').fill('(555) 410-2020')
  await page.getByLabel('Referring physician').fill('Dr. Amara Okafor')
  await page.getByLabel('Preferred language').fill('French')
  await page.getByRole('checkbox', { name: 'Needs an interpreter' }).check()
  await expectAccessible(page, 'patient registration')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByText('Must be a real date (MM/DD/YYYY)')).toBeVisible()
  await expect(dob).toHaveValue('02/30/1944')
  await expect(page.getByLabel('Phone')).toHaveValue('(555) 410-2020')
  // 2/29/1944 reads as 29 February 1944 and is shown back as 02/29/1944 on leaving the field
  await dob.fill('2/29/1944')
  await dob.press('Tab')
  await expect(dob).toHaveValue('02/29/1944')
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Lefèvre-Dubois, Éloïse' })).toBeVisible()
  await expect(page.getByText(/born Feb 29, 1944/)).toBeVisible()
  // the clinic's prefix and a sequence; other spec files may have registered patients before this one
  await expect(page.getByText(/^MRN SC-\d{6}$/)).toBeVisible()
  const mrn = (await page.getByText(/^MRN SC-\d{6}$/).textContent())!.slice(4)
  await expect(page.getByText('French · interpreter needed')).toBeVisible()
  await expectAccessible(page, 'patient detail')
  // an edit of another field keeps the language and the flag
  await page.getByRole('button', { name: 'Edit' }).click()
  await expect(page.getByLabel('Preferred language')).toHaveValue('French')
  await expect(page.getByRole('checkbox', { name: 'Needs an interpreter' })).toBeChecked()
  await page.getByLabel('Phone').fill('(555) 410-2021')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('(555) 410-2021')).toBeVisible()
  await expect(page.getByText('French · interpreter needed')).toBeVisible()

  await page.getByRole('link', { name: 'All patients' }).click()
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill('dubo elo')
  await expect(page.getByRole('link', { name: 'Lefèvre-Dubois, Éloïse' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill('zzzz')
  await expect(page.getByText('No patient matches “zzzz”.')).toBeVisible()

  // Ctrl+K finds the patient from any screen.
  await page.keyboard.press('Control+k')
  await page.getByRole('textbox', { name: 'Find a patient' }).fill('lefevre')
  await page.getByRole('button', { name: /Lefèvre-Dubois, Éloïse/ }).click()
  await expect(page.getByRole('heading', { name: 'Lefèvre-Dubois, Éloïse' })).toBeVisible()

  // Ctrl+K, the MRN and Enter at once (before the answer has come) open the record; so does a phone number in
  // its groups, as it is read off a referral
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await expect(page).toHaveTitle(/^Patients · /) // the window's title names the screen
  await page.keyboard.press('Control+k')
  await page.getByRole('textbox', { name: 'Find a patient' }).pressSequentially(mrn)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Lefèvre-Dubois, Éloïse' })).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Find a patient' })).toBeHidden()
  await page.getByRole('link', { name: 'Schedule', exact: true }).click()
  await expect(page).toHaveTitle(/^Schedule · /)
  await page.keyboard.press('Control+k')
  await page.getByRole('textbox', { name: 'Find a patient' }).fill('555 410 2021')
  await expect(page.getByRole('button', { name: /Lefèvre-Dubois, Éloïse/ })).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Lefèvre-Dubois, Éloïse' })).toBeVisible()
})

test('registering the same person twice warns before saving', async ({ page }) => {
  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await page.getByRole('button', { name: 'Register patient' }).click()
  await page.getByLabel('First name').fill('eloise')
  await page.getByLabel('Last name').fill('LEFEVRE-DUBOIS')
  await page.getByLabel('Date of birth').fill('02/29/1944')
  await expect(page.getByText('This patient may already be registered')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Register anyway' })).toBeVisible()
  await page.getByRole('button', { name: 'Cancel' }).click()
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill('lefevre')
  await expect(page.getByRole('row')).toHaveCount(2) // header + the one patient
  await signOut(page)
})

test('an idle screen locks and asks for the password again', async ({ page }) => {
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Security' }).click()
  await page.getByLabel('Lock the screen after (minutes idle)').fill('0.25')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText('Settings saved')).toBeVisible()
  await signOut(page)

  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible()
  // No input for 15 seconds: the lock screen replaces the patient list.
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible({ timeout: 25_000 })
  await expect(page.getByRole('heading', { name: 'Patients' })).toHaveCount(0)
  await expectAccessible(page, 'lock screen')
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not-my-password')
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByRole('alert')).toContainText('The password is wrong.')
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(DESK.password)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible()
  await signOut(page)

  // Put the clinic back to a sensible idle time for the specs that follow.
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Security' }).click()
  await page.getByLabel('Lock the screen after (minutes idle)').fill('10')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText('Settings saved')).toBeVisible()
})

test('the same refusal twice is one notification, and notifications stay off the screen and its buttons', async ({ page }) => {
  await signIn(page, ADMIN)
  // the header's first Tab stop, shown when the keyboard reaches it, takes the focus to the screen
  const skip = page.getByRole('link', { name: 'Skip to the screen' })
  await skip.focus()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('main')).toBeFocused()
  await page.getByRole('link', { name: 'Users' }).click()
  await page.getByRole('button', { name: 'Add user' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add user' })
  await dialog.getByLabel('Full name').fill('A second administrator')
  await dialog.getByLabel('User name').fill(ADMIN.username)
  await dialog.getByLabel('Initial password').fill('another-password-1')
  const refusal = page.getByRole('alert').filter({ hasText: 'already taken' })
  for (let attempt = 1; attempt <= 2; attempt++) {
    const answered = page.waitForResponse((r) => r.url().endsWith('/rpc') && r.request().postData()?.includes('users.create') === true)
    await dialog.getByRole('button', { name: 'Add user' }).click()
    await answered
    await expect(refusal).toHaveCount(1)
  }
  await expect(dialog.getByText('Is already taken')).toBeVisible()
  // the notification sits in the navigation's column: nothing of the screen (the dialog's buttons) is under it
  const note = (await refusal.boundingBox())!
  const nav = (await page.getByRole('navigation', { name: 'Main' }).boundingBox())!
  expect(note.x + note.width).toBeLessThanOrEqual(nav.x + nav.width)
  for (const button of await dialog.getByRole('button').all()) {
    const b = (await button.boundingBox())!
    expect(b.x >= note.x + note.width || b.y + b.height <= note.y, `${await button.textContent()} is clear of the notification`).toBe(true)
  }
})
