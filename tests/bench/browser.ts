/**
 * Browser timings in Chromium through Playwright, against the development bridge on a large clinic:
 *
 *   npx tsx tests/bench/browser.ts [--patients 100000] [--runs 5] [--port N (default: any free)] [--db FILE] [--out FILE]
 *   (or `npm run bench -- --browser`)
 *
 * - sign-in to the schedule drawn: from the click on "Sign in" until a day of 16 lanes shows its 200-odd
 *   appointment blocks;
 * - the patient list at 100k patients: scrolling it (frame times while scrolling, the time a page of 100 rows
 *   takes to appear at the end, and how many rows the DOM holds: the list is virtualized).
 * The database is built once and cached (.tmp/bench-browser-N.sqlite). Needs `npm run build:renderer` first.
 */
import { chromium } from '@playwright/test'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { openDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { generateSchedule } from '../../electron/seed/schedule'
import { SEED_PASSWORD, seedClinic } from '../../electron/seed/seedClinic'
import { percentile } from './stats'

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    port: { type: 'string', default: '0' },
    db: { type: 'string' },
    out: { type: 'string', default: 'bench-results/browser.json' },
  },
})
const PATIENTS = Number(values.patients)
const RUNS = Number(values.runs)
const PORT = Number(values.port)
const DB = values.db ?? `.tmp/bench-browser-${PATIENTS}.sqlite`
const KEY = 'bench-key-not-secret'
const DAY = '2026-12-01' // a Tuesday
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

async function build(): Promise<void> {
  if (existsSync(DB)) return
  mkdirSync(dirname(DB), { recursive: true })
  const t = Date.now()
  // built under another name and renamed when complete, so that an interrupted build is never reused
  const part = `${DB}.part`
  for (const f of [part, `${part}-wal`, `${part}-shm`]) rmSync(f, { force: true })
  const database = openDatabase({ engine: 'sqlite', file: part })
  await migrateToLatest(database)
  await seedClinic(database, { patients: PATIENTS, seed: 42, today: '2026-11-29', clinical: false })
  // A busy week: 16 physicians' lanes, about 200 appointments a day.
  generateSchedule(database, { appointments: 16 * 13 * 5, providers: 16, patients: 400, lastDay: '2026-12-03', today: '2026-11-30', timeZone: 'America/New_York', seed: 9 })
  database.sqlite!.exec('ANALYZE')
  database.sqlite!.pragma('wal_checkpoint(TRUNCATE)')
  await database.close()
  renameSync(part, DB)
  console.log(`built ${DB} in ${((Date.now() - t) / 1000).toFixed(0)} s`)
}

async function startBridge(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/bridge/cli.ts', '--db', DB, '--port', String(PORT)], { env: { ...process.env, CLINIC_BRIDGE_KEY: KEY }, stdio: ['ignore', 'pipe', 'inherit'] })
  // port 0: the bridge picks a free one and prints its address
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.on('exit', (code) => reject(new Error(`bridge exited (${code})`)))
  })
  return { url: `http://127.0.0.1:${port}/?key=${KEY}`, stop: () => child.kill('SIGTERM') }
}

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1)! }
}

async function main() {
  await build()
  const bridge = await startBridge()
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  const results: Record<string, unknown> = {}
  try {
    // ---- sign-in to a drawn day of 200 appointments ----
    const signIn: number[] = []
    let blocks = 0
    for (let r = 0; r < RUNS + 1; r++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
      const page = await context.newPage()
      await page.goto(`${bridge.url}#/schedule?date=${DAY}&view=day`)
      await page.getByLabel('User name').fill('desk1')
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(SEED_PASSWORD)
      await page.waitForTimeout(1500) // the time a person takes to type a password, in which the app fetches its screens
      const t0 = Date.now()
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForFunction(() => document.querySelectorAll('[data-appointment-id]').length >= 200, undefined, { timeout: 60_000, polling: 'raf' })
      if (r > 0) signIn.push(Date.now() - t0) // the first run warms the bridge and the page cache
      blocks = await page.locator('[data-appointment-id]').count()
      await context.close()
    }
    results.signInToSchedule = { ...summary(signIn), appointmentBlocks: blocks }
    console.log(`sign-in to the schedule drawn (${blocks} appointment blocks): p50 ${summary(signIn).p50} ms, max ${summary(signIn).max} ms over ${signIn.length} runs`)

    // ---- the patient list at 100k ----
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
    const page = await context.newPage()
    await page.goto(`${bridge.url}#/patients`)
    await page.getByLabel('User name').fill('desk1')
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(SEED_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'Patients', exact: true }).click()
    const scroller = page.getByTestId('patient-list-scroller')
    await scroller.locator('tr[data-index="10"]').waitFor({ state: 'attached', timeout: 60_000 })
    // Scroll to the end of what is loaded, again and again: each time the next page of 100 must appear.
    const pageWaits: number[] = []
    for (let i = 0; i < 30; i++) {
      const before = await page.locator('tr[aria-rowindex]').evaluateAll((rows) => Math.max(...rows.map((r) => Number(r.getAttribute('aria-rowindex')))))
      const t0 = Date.now()
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
      await page.waitForFunction((n) => [...document.querySelectorAll('tr[aria-rowindex]')].some((r) => Number(r.getAttribute('aria-rowindex')) > n), before, { timeout: 30_000 })
      pageWaits.push(Date.now() - t0)
    }
    // Smooth scrolling back up through 3000 rows: frame times.
    const frames = await scroller.evaluate(async (el) => {
      const times: number[] = []
      let last = performance.now()
      const step = 120
      while (el.scrollTop > 0) {
        el.scrollTop = Math.max(0, el.scrollTop - step)
        await new Promise((r) => requestAnimationFrame(() => r(null)))
        const now = performance.now()
        times.push(now - last)
        last = now
      }
      return times
    })
    const domRows = await page.locator('tr[aria-rowindex]').count()
    const loaded = await page.locator('tr[aria-rowindex]').evaluateAll(() => Number(document.querySelector('table[aria-label="Patients found"]')?.getAttribute('aria-rowcount')))
    results.patientList = { pageOf100: summary(pageWaits), frameMs: summary(frames), domRows, ariaRowcount: loaded, patients: PATIENTS }
    console.log(`patient list, ${PATIENTS} patients: next page of 100 at the end p50 ${summary(pageWaits).p50} ms p95 ${summary(pageWaits).p95} ms; scrolling frames p50 ${summary(frames).p50.toFixed(1)} ms p95 ${summary(frames).p95.toFixed(1)} ms (${frames.length} frames); ${domRows} rows in the DOM`)
    await context.close()
  } finally {
    await browser.close()
    bridge.stop()
  }
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', load: loadavg().map((l) => l.toFixed(1)).join(' '), node: process.version, date: new Date().toISOString() }
  console.log(`machine: ${machine.cpus} × ${machine.cpu}, load average ${machine.load}`)
  mkdirSync(dirname(values.out!), { recursive: true })
  writeFileSync(values.out!, JSON.stringify({ machine, results }, null, 2))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
