/**
 * Settings > Reminders and the Reminder outbox (issue 21 point 3), in the browser through the development bridge:
 * the administrator sets the clinic's SMTP server (a real smtp-server on 127.0.0.1 started here), a placeholder
 * that is not one is refused under the text naming it, the test e-mail reports the server's answer (and the
 * message arrives), a password cannot be kept where there is no keystore (said in words), and the outbox screen
 * opens for the front desk's and administrator's work. Everything it changes is put back for the specs that follow.
 */
import { startTestSmtp, type TestSmtp } from '../integration/smtpTestServer'
import { ADMIN } from './env'
import { expect, expectAccessible, signIn, test } from './fixtures'
import { saveSettings } from './settingsSteps'

test.describe.configure({ timeout: 120_000 })

let smtp: TestSmtp
test.beforeAll(async () => {
  smtp = await startTestSmtp()
})
test.afterAll(async () => smtp?.close())

test('the administrator sets the SMTP server, is told of a wrong placeholder, and the test e-mail reports the server answer', async ({ page }) => {
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Reminders' }).click()
  await expect(page.getByLabel('SMTP server')).toHaveValue('')
  await expectAccessible(page, 'settings: reminders')

  await page.getByLabel('SMTP server').fill('127.0.0.1')
  await page.getByLabel('SMTP port').fill(String(smtp.port))
  await page.getByRole('combobox', { name: 'SMTP security (TLS)', exact: true }).click()
  await page.getByRole('option', { name: /^None/ }).click()
  await page.getByLabel("Reminders' From address").fill('reminders@spine-clinic.example')
  await page.getByLabel('Phone number for patients').fill('(555) 010-2000')
  const text = page.getByLabel('Reminder text')
  const original = await text.inputValue()
  await text.fill(`${original}\nAbout your {diagnosis}.`)
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText(/\{diagnosis\}, which is not a placeholder/)).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Reminders (to check)' })).toHaveAttribute('aria-selected', 'true')
  await text.fill(original)
  await saveSettings(page)

  // the test e-mail, with the saved settings: the server's answer in words, and the message arrived
  await page.getByLabel('Send a test e-mail to').fill('it@clinic.example')
  await page.getByRole('button', { name: 'Send a test e-mail' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'The server accepted it' })).toContainText('accepted the test e-mail to it@clinic.example: 250')
  await expect.poll(() => smtp.received.length).toBe(1)
  expect(smtp.received[0]!.to).toEqual(['it@clinic.example'])

  // no keystore in the bridge: the password is not kept, and the screen says what to do instead
  await expect(page.getByText('The password cannot be kept here')).toBeVisible()
  await expect(page.getByText(/CLINIC_SMTP_PASSWORD/).first()).toBeVisible()
  await expectAccessible(page, 'settings: reminders after a test e-mail')

  // the outbox: nothing yet (no patient has given consent in this clinic's first-run data)
  await page.getByRole('link', { name: 'Reminder outbox' }).click()
  await expect(page.getByRole('heading', { name: 'Reminder outbox' })).toBeVisible()
  await expect(page.getByRole('radio', { name: /Letters to print/ })).toBeChecked()
  await expectAccessible(page, 'reminder outbox')

  // put the server back to none, for the specs that follow
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Reminders' }).click()
  await page.getByLabel('SMTP server').fill('')
  await page.getByLabel("Reminders' From address").fill('')
  await page.getByLabel('Phone number for patients').fill('')
  await page.getByLabel('SMTP port').fill('587')
  await page.getByRole('combobox', { name: 'SMTP security (TLS)', exact: true }).click()
  await page.getByRole('option', { name: /^STARTTLS/ }).click()
  await saveSettings(page)
})
