/**
 * `page` is the app: in the 'chromium' project a Chromium tab on the development bridge; in the
 * 'electron' project the Electron app's window (skipped, with the reason, when no Electron binary exists).
 */
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import { electronBinary } from '../../scripts/electron-binary.mjs'
import { ADMIN, BRIDGE_KEY } from './env'

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export const test = base.extend<{ page: Page }, { chromiumPath: string }>({
  chromiumPath: [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', { option: true, scope: 'worker' }],
  browser: async ({ playwright, chromiumPath }, use) => {
    const browser = await playwright.chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS })
    await use(browser)
    await browser.close()
  },
  page: async ({ browser, baseURL }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const bin = electronBinary()
      test.skip(!bin, 'No Electron binary on this machine (its download is blocked); the same spec ran in Chromium through the development bridge.')
      const { _electron } = await import('@playwright/test')
      const app = await _electron.launch({ executablePath: bin!, args: ['.'], env: { ...process.env, CLINIC_DB_FILE: '.tmp/e2e/clinic.sqlite' } })
      const page = await app.firstWindow()
      await use(page)
      await app.close()
      return
    }
    const context = await browser.newContext({ baseURL })
    const page = await context.newPage()
    await page.goto(`/?key=${BRIDGE_KEY}`)
    await use(page)
    await context.close()
  },
})

export { expect }

/** axe finds no serious or critical violation on what is on screen now. */
export async function expectAccessible(page: Page, what: string) {
  // A notification that starts to fade while axe reads the page fails contrast for that moment only: a contrast
  // finding on notifications alone is read again, after they settle, up to twice; one that stays is reported.
  for (let attempt = 0; ; attempt++) {
    await settled(page, what)
    const result = await new AxeBuilder({ page }).analyze()
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    const onNotificationsOnly = bad.length > 0 && bad.every((v) => v.id === 'color-contrast' && v.nodes.every((n) => n.target.join(' ').includes('mantine-Notification')))
    if (onNotificationsOnly && attempt < 2) continue
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`), `axe on ${what}`).toEqual([])
    return
  }
}

/** Waits until every notification is fully shown and every finite animation has ended. */
async function settled(page: Page, what: string) {
  // A notification fading in or out is half transparent for a moment (its colours then fail contrast): checked
  // as the user reads it, once every one on screen has settled.
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          [...document.querySelectorAll('.mantine-Notification-root')].every((el) => {
            for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).opacity !== '1') return false
            return true
          }),
        ),
      { message: `the notifications on ${what} settle`, timeout: 5_000 },
    )
    .toBe(true)
  // Dialogs, popovers and tabs fade and slide in; colours are checked once every finite animation has ended (a
  // loader's spinner runs for ever and is not waited for).
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
        ),
      { message: `the animations on ${what} settle`, timeout: 5_000 },
    )
    .toBe(true)
}

export async function signIn(page: Page, user: { username: string; password: string }) {
  await page.getByLabel('User name').fill(user.username)
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(user.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
}

/**
 * The first run on a spec's own clinic (a spec with its own clock bridge and database): the clinic and its
 * administrator `ADMIN`, who then signs out.
 */
export async function setUpOwnClinic(page: Page) {
  await expect(page.getByRole('heading', { name: 'Welcome to Spine Clinic' })).toBeVisible()
  await page.getByLabel('Clinic name').fill('Riverside Spine Center')
  await page.getByLabel('Full name').fill(ADMIN.name)
  await page.getByLabel('User name').fill(ADMIN.username)
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password)
  await page.getByRole('textbox', { name: 'Repeat the password' }).fill(ADMIN.password)
  await page.getByRole('button', { name: 'Create the clinic' }).click()
  await expect(page.getByTestId('signed-in-user')).toHaveText(`${ADMIN.name} · Administrator`, { timeout: 30_000 })
  await signOut(page)
}

/**
 * A channel called as the page's signed-in user, through the same bridge the screens use (the Electron preload
 * in the 'electron' project), to set a scene quickly; a refusal fails the test with its reason.
 */
export async function callChannel<T = any>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([channel, input]) => {
      const w = window as unknown as { clinic?: { invoke(c: string, i: unknown): Promise<unknown> } }
      if (w.clinic) return w.clinic.invoke(channel as string, input)
      const token = document.querySelector<HTMLMetaElement>('meta[name="clinic-bridge-token"]')?.content ?? ''
      const res = await fetch('./rpc', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ channel, input }) })
      return res.json()
    },
    [channel, input] as const,
  )
  const result = r as { ok: boolean; value?: T; error?: unknown }
  if (!result.ok) throw new Error(`${channel} refused: ${JSON.stringify(result.error)}`)
  return result.value as T
}

/** A user with a name unique to this run, so that a spec needs no other spec's users. */
export function uniqueUser(role: 'frontDesk' | 'physician' | 'manager', name: string) {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`
  return { role, name: `${name} ${suffix}`, username: `${role.toLowerCase()}_${suffix}`, password: `${role}-password-1` }
}

const ROLE_OPTION = { frontDesk: 'Front desk', physician: 'Physician', manager: 'Manager' } as const

/**
 * The administrator adds the user through the Users screen with an initial password and signs out; the user
 * signs in with it once and chooses `user.password` as their own (an administrator-set password must be
 * changed at first sign-in), then signs out. Specs then sign in with `user.password`.
 */
export async function addUser(page: Page, admin: { username: string; password: string }, user: ReturnType<typeof uniqueUser>) {
  const initial = `initial-${user.password}`
  await signIn(page, admin)
  await page.getByRole('link', { name: 'Users' }).click()
  await page.getByRole('button', { name: 'Add user' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add user' })
  await dialog.getByLabel('Full name').fill(user.name)
  await dialog.getByLabel('User name').fill(user.username)
  await dialog.getByRole('combobox', { name: 'Role' }).click()
  await page.getByRole('option', { name: ROLE_OPTION[user.role] }).click()
  await dialog.getByLabel('Initial password').fill(initial)
  await dialog.getByRole('button', { name: 'Add user' }).click()
  await expect(page.getByRole('cell', { name: user.name, exact: true })).toBeVisible()
  await signOut(page)
  await signIn(page, { username: user.username, password: initial })
  await chooseOwnPassword(page, initial, user.password)
  await signOut(page)
}

/** The first sign-in after an administrator set the password: the person chooses their own before anything else. */
export async function chooseOwnPassword(page: Page, given: string, own: string) {
  await expect(page.getByRole('heading', { name: 'Choose your own password' })).toBeVisible()
  await page.getByLabel('Password you were given').fill(given)
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(own)
  await page.getByLabel('Repeat the new password').fill(own)
  await page.getByRole('button', { name: 'Change password' }).click()
  // two scrypt hashes at OWASP's cost (the given password checked, the new one hashed): slow on busy machines
  await expect(page.getByTestId('signed-in-user')).toBeVisible({ timeout: 30_000 })
}

/** The signing confirmation asks for the signer's password again; this enters it and signs. */
export async function confirmSigning(page: Page, title: string, password: string) {
  const dialog = page.getByRole('dialog', { name: title })
  // A record with parts left empty first asks, naming them (issue 23 point 2; forms-and-confirmations.spec tests
  // it): these journeys sign their short notes anyway.
  const missing = page.getByRole('dialog', { name: /with parts missing\?$/ })
  await expect(dialog.or(missing).first()).toBeVisible()
  if (await missing.isVisible()) await missing.getByRole('button', { name: 'Sign anyway' }).click()
  await dialog.getByLabel('Your password').fill(password)
  await dialog.getByRole('button', { name: 'Sign now' }).click()
}

/** Types 'YYYY-MM-DDTHH:mm' into the app's date-and-time field named `label` (a date field and a time field). */
export async function fillDateTime(scope: Page | Locator, label: string, wall: string) {
  const [date, time] = wall.split('T') as [string, string]
  await scope.getByRole('textbox', { name: `${label}: date` }).fill(date)
  await scope.getByLabel(`${label}: time`).fill(time.slice(0, 5))
}
