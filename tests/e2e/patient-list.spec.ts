/**
 * The patient list with more patients than one page: only the rows in view are in the page, the next page
 * of 100 arrives as the list scrolls, and the keyboard reaches every patient (Down from the search box, Up,
 * Down, Page Down, Home, End, Enter). The 250 patients are registered through the same API the screens use.
 */
import type { Page } from '@playwright/test'
import { ADMIN } from './env'
import { addUser, expect, expectAccessible, signIn, signOut, test, uniqueUser } from './fixtures'

test.describe.configure({ mode: 'serial' })

const DESK = uniqueUser('frontDesk', 'Lena Listdesk')
/** A surname no other spec uses: letters only (a word the search looks up), unique to this run. */
const FAMILY = `Vlist${Date.now().toString(36).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`
const COUNT = 250
const first = (i: number) => `Pat${String(i).padStart(3, '0').replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`

/** Calls the main process as the signed-in user of this page (the preload bridge, or the development bridge), once per input. */
async function callEach(page: Page, channel: string, inputs: unknown[]): Promise<void> {
  const results = await page.evaluate(
    async ({ channel, inputs }) => {
      const w = window as unknown as { clinic?: { invoke(c: string, i: unknown): Promise<unknown> } }
      const token = document.querySelector<HTMLMetaElement>('meta[name="clinic-bridge-token"]')?.content ?? ''
      const invoke = async (input: unknown) =>
        w.clinic
          ? w.clinic.invoke(channel, input)
          : (await fetch('./rpc', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ channel, input }) })).json()
      const out: unknown[] = []
      for (const input of inputs) out.push(await invoke(input))
      return out
    },
    { channel, inputs },
  )
  for (const r of results) expect(r, channel).toMatchObject({ ok: true })
}

const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '')

test('a list of 250 keeps few rows in the page, loads the next 100 as it scrolls, and every row is reachable by keyboard', async ({ page }) => {
  await addUser(page, ADMIN, DESK)
  await signIn(page, DESK)
  await page.getByRole('link', { name: 'Patients', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible()
  const patient = (i: number) => ({ firstName: first(i), lastName: FAMILY, dateOfBirth: '1950-01-01', sex: 'female', phone: '', email: '', address: '', referringPhysician: '', notes: '', acknowledgeDuplicate: true })
  await callEach(page, 'patients.register', Array.from({ length: COUNT }, (_, i) => patient(i + 1)))

  const search = page.getByLabel('Search')
  await search.fill(FAMILY.toLowerCase())
  const list = page.getByRole('table', { name: 'Patients found' })
  await expect(list.getByRole('row').nth(1)).toContainText(`${FAMILY}, ${first(1)}`)
  // Virtualized: 100 loaded, far fewer drawn.
  const drawn = () => list.locator('tbody tr[aria-rowindex]').count()
  expect(await drawn()).toBeLessThan(60)
  await expectAccessible(page, 'a long patient list')

  // Keyboard: Down from the search box to the first row, Down again, Page Down a screenful, Up, Home.
  await search.press('ArrowDown')
  await expect.poll(() => focusedName(page)).toBe(`${FAMILY}, ${first(1)}`)
  await page.keyboard.press('ArrowDown')
  await expect.poll(() => focusedName(page)).toBe(`${FAMILY}, ${first(2)}`)
  await page.keyboard.press('PageDown')
  await expect.poll(() => focusedName(page)).not.toBe(`${FAMILY}, ${first(2)}`)
  const afterPage = Number((await focusedName(page)).slice(-3).replace(/[a-j]/g, (c) => String(c.charCodeAt(0) - 97)))
  expect(afterPage).toBeGreaterThan(4)
  await page.keyboard.press('ArrowUp')
  await expect.poll(() => focusedName(page)).toBe(`${FAMILY}, ${first(afterPage - 1)}`)
  await page.keyboard.press('Home')
  await expect.poll(() => focusedName(page)).toBe(`${FAMILY}, ${first(1)}`)

  // End goes to the last row loaded; the list then loads the next page, and End again goes further, to the 250th.
  await page.keyboard.press('End')
  await expect.poll(() => focusedName(page)).toBe(`${FAMILY}, ${first(100)}`)
  for (let i = 0; i < 10 && (await focusedName(page)) !== `${FAMILY}, ${first(COUNT)}`; i++) {
    await expect(list).toHaveAttribute('aria-rowcount', /-1|\d+/)
    await page.waitForTimeout(300)
    await page.keyboard.press('End')
  }
  await expect.poll(() => focusedName(page)).toBe(`${FAMILY}, ${first(COUNT)}`)
  await expect(list).toHaveAttribute('aria-rowcount', String(COUNT + 1)) // all loaded (and the header row)
  expect(await drawn()).toBeLessThan(60)

  // Enter opens the focused patient.
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: new RegExp(`${FAMILY}`) })).toBeVisible()
  await expect(page.getByText(`${first(COUNT)}`).first()).toBeVisible()
  await signOut(page)
})
