/**
 * Browser timings in Chromium through Playwright, against the development bridge on a large clinic:
 *
 *   npx tsx tests/bench/browser.ts [--patients 100000] [--runs 10] [--port N (default: any free)] [--db FILE] [--out FILE] [--static DIR]
 *   (or `npm run bench -- --browser`)
 *
 * - sign-in to the schedule drawn: from the click on "Sign in" until EVERY appointment block of a day of 16 busy
 *   lanes is in the DOM (471 blocks: each appointment in its provider's and its room's lane, and the observation bays;
 *   all 51 lanes of the clinic shown), and from the day's data arriving (the last of the setup and the day's
 *   appointments answered) to those blocks painted (the frame after the last block appeared), issue 22 point 2;
 * - switching Day -> a provider's week, -> another provider's week, -> back to the day: click to every block drawn;
  * - the patient list at 100k patients: scrolling it (frame times while scrolling, the time a page of 100 rows
 *   takes to appear at the end, and how many rows the DOM holds: the list is virtualized).
 * The database is built once and cached (.tmp/bench-browser-N.sqlite). Needs `npm run build:renderer` first.
 */
import { chromium } from '@playwright/test'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { openDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { generateSchedule } from '../../electron/seed/schedule'
import { SEED_PASSWORD, seedClinic } from '../../electron/seed/seedClinic'
import Database from 'better-sqlite3'
import { addDays, localDayBounds, startOfWeek } from '../../shared/scheduling/time'
import { percentile } from './stats'

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '10' },
    port: { type: 'string', default: '0' },
    db: { type: 'string' },
    out: { type: 'string', default: 'bench-results/browser.json' },
    /** The built renderer to serve (default: `npm run build:renderer`'s dist/renderer). */
    static: { type: 'string', default: 'dist/renderer' },
    /** The built main-process bundles (`npm run build:main`): the bench times the code the app ships, not the sources. */
    bundle: { type: 'string', default: 'dist-electron' },
  },
})
const PATIENTS = Number(values.patients)
const RUNS = Number(values.runs)
const PORT = Number(values.port)
const DB = values.db ?? `.tmp/bench-browser-${PATIENTS}.sqlite`
const KEY = 'bench-key-not-secret-0123456789abcdef' // the bridge refuses a key shorter than 32 characters
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
  const bundle = join(values.bundle!, 'bridge.cjs')
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build:main\` first (the bench runs the built app)`)
  const child = spawn(process.execPath, [bundle, '--db', DB, '--port', String(PORT), '--static', values.static!], { env: { ...process.env, CLINIC_BRIDGE_KEY: KEY }, stdio: ['ignore', 'pipe', 'inherit'] })
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

/**
 * What the grid must draw, read from the database itself: the day's appointments that are not cancelled or no-shows,
 * each in its provider's and its room's lane, plus an observation bay's block; and the first two providers' weeks
 * (the week view's default lane is the first provider: the desk is not one).
 */
function expectedBlocks(): { day: number; weekOf: number[]; providerNames: string[] } {
  const db = new Database(DB, { readonly: true })
  try {
    const tz = (JSON.parse((db.prepare(`SELECT value FROM settings WHERE key = 'clinic'`).get() as { value: string }).value) as { timeZone?: string }).timeZone ?? 'America/New_York'
    const { start, end } = localDayBounds(DAY, tz)
    const live = `status NOT IN ('cancelled', 'noshow')`
    const day = db.prepare(`SELECT COUNT(*) * 2 + COUNT(observation_room_id) AS n FROM appointments WHERE starts_at >= ? AND starts_at < ? AND ${live}`).get(start, end) as { n: number }
    const providers = db.prepare(`SELECT id, display_name FROM users WHERE role = 'physician' AND active = 1 ORDER BY display_name`).all() as { id: number; display_name: string }[]
    const monday = startOfWeek(DAY)
    const week = { start: localDayBounds(monday, tz).start, end: localDayBounds(addDays(monday, 6), tz).end }
    const weekOf = providers.slice(0, 2).map((p) => (db.prepare(`SELECT COUNT(*) AS n FROM appointments WHERE provider_id = ? AND starts_at >= ? AND starts_at < ? AND ${live}`).get(p.id, week.start, week.end) as { n: number }).n)
    return { day: day.n, weekOf, providerNames: providers.slice(0, 2).map((p) => p.display_name) }
  } finally {
    db.close()
  }
}

/**
 * Watches, from inside the page, every frame for exactly `n` appointment blocks; once there, the time after that
 * frame is painted (a task queued from the next frame's callback) is kept as `window.allPainted`.
 */
async function watchForBlocks(page: import('@playwright/test').Page, n: number): Promise<void> {
  // a string, so that tsx's helper for function names (__name) is not sent into the page
  await page.evaluate(`(() => {
    delete window.allPainted
    const loop = () => {
      if (document.querySelectorAll('[data-appointment-id]').length === ${n}) requestAnimationFrame(() => setTimeout(() => (window.allPainted = performance.now())))
      else requestAnimationFrame(loop)
    }
    requestAnimationFrame(loop)
  })()`)
}

/** Waits for the watched blocks; returns the milliseconds from the last schedule answer read to their paint. */
async function allBlocksPainted(page: import('@playwright/test').Page): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { allPainted?: number }).allPainted !== undefined, undefined, { timeout: 60_000 })
  return page.evaluate(() => {
    const w = window as unknown as { scheduleAnswered: number[]; allPainted: number }
    return w.allPainted - Math.max(...w.scheduleAnswered.filter((t) => t <= w.allPainted))
  })
}

/**
 * Frames missed at 60 Hz: an interval of about two frames is one dropped, of three two, and so on (half a frame of
 * jitter is allowed, as Chrome's own frame-rate meter does).
 */
function droppedFrames(intervals: number[]): number {
  const frame = 1000 / 60
  return intervals.reduce((n, ms) => n + Math.max(0, Math.round(ms / frame) - 1), 0)
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
    // ---- sign-in to the drawn day: every block of its 16 busy lanes (issue 22 point 2) ----
    const expected = expectedBlocks()
    const signIn: number[] = []
    const dataToPaint: number[] = []
    const switches: Record<'week' | 'otherWeek' | 'day', number[]> = { week: [], otherWeek: [], day: [] }
    let nodes = 0
    for (let r = 0; r < RUNS + 1; r++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
      const page = await context.newPage()
      // When each schedule answer has been read (its body received): the later of the setup and the day's appointments.
      await page.addInitScript(`(() => {
        window.scheduleAnswered = []
        const real = window.fetch.bind(window)
        window.fetch = async (input, init) => {
          const res = await real(input, init)
          const body = typeof init?.body === 'string' ? init.body : ''
          if (body.includes('"channel":"schedule.view"') || body.includes('"channel":"schedule.setup.get"')) {
            res.clone().text().then(() => window.scheduleAnswered.push(performance.now()))
          }
          return res
        }
      })()`)
      await page.goto(`${bridge.url}#/schedule?date=${DAY}&view=day&lanes=all`)
      await page.getByLabel('User name').fill('desk1')
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(SEED_PASSWORD)
      await page.waitForTimeout(1500) // the time a person takes to type a password, in which the app fetches its screens
      await watchForBlocks(page, expected.day)
      const t0 = Date.now()
      await page.getByRole('button', { name: 'Sign in' }).click()
      const painted = await allBlocksPainted(page)
      if (r > 0) {
        signIn.push(Date.now() - t0) // the first run warms the bridge and the page cache
        dataToPaint.push(painted)
      }
      nodes = await page.evaluate(() => document.querySelector("[data-testid='schedule-grid']")!.querySelectorAll('*').length)
      // switching: the first provider's week (a new query), the second's (the same data), back to the day (cached)
      // The week opens on the lane the desk chose last (a per-user preference): the one of the first two providers
      // that it shows, then the other.
      const laneShown = async () => (await page.getByRole('combobox', { name: 'Provider or room' }).locator('option:checked').textContent())!
      const blocksOf = (name: string) => expected.weekOf[expected.providerNames.indexOf(name)] ?? -1
      const timed = async (what: keyof typeof switches, act: () => Promise<void>, count: () => Promise<number>) => {
        const t = Date.now()
        await act()
        const blocks = await count()
        await page.waitForFunction((n) => document.querySelectorAll('[data-appointment-id]').length === n && !document.querySelector('[aria-label="Loading appointments"]'), blocks, { timeout: 60_000, polling: 'raf' })
        if (r > 0) switches[what].push(Date.now() - t)
      }
      let other = ''
      await timed('week', () => page.getByText('Week', { exact: true }).click(), async () => {
        const shown = await laneShown()
        other = expected.providerNames.find((n) => n !== shown)!
        return blocksOf(shown)
      })
      await timed('otherWeek', () => page.getByRole('combobox', { name: 'Provider or room' }).selectOption({ label: other }).then(() => undefined), async () => blocksOf(other))
      await timed('day', () => page.getByText('Day', { exact: true }).click(), async () => expected.day)
      await context.close()
    }
    const s = summary(signIn)
    const d = summary(dataToPaint)
    results.signInToSchedule = { ...s, appointmentBlocks: expected.day, goal: 'none set (the sign-in itself takes most of it)' }
    results.dayDataToEveryBlockPainted = { ...d, appointmentBlocks: expected.day, goal: 'p50 < 200 ms, p95 < 300 ms' }
    results.gridDomNodes = nodes
    console.log(`sign-in to the schedule drawn (every one of ${expected.day} blocks, every lane): p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms over ${s.n} runs`)
    console.log(`the day's data arriving -> every block painted: p50 ${d.p50.toFixed(0)} ms, p95 ${d.p95.toFixed(0)} ms, max ${d.max.toFixed(0)} ms (goal p50 < 200, p95 < 300) over ${d.n} runs; ${nodes} DOM nodes in the grid`)
    for (const [what, xs] of Object.entries(switches)) {
      const x = summary(xs)
      results[`switchTo_${what}`] = { ...x, goal: '< 300 ms' }
      console.log(`switch to ${what === 'week' ? "a provider's week (fetched)" : what === 'otherWeek' ? "another provider's week" : 'the day again'}: p50 ${x.p50} ms, p95 ${x.p95} ms, max ${x.max} ms (goal < 300 ms)`)
    }

    // ---- scrolling the day and dragging a block: frames (issue 22 point 2, "60 frames a second") ----
    {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
      const page = await context.newPage()
      await page.goto(`${bridge.url}#/schedule?date=${DAY}&view=day&lanes=all`)
      await page.getByLabel('User name').fill('desk1')
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(SEED_PASSWORD)
      await watchForBlocks(page, expected.day)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForFunction(() => (window as unknown as { allPainted?: number }).allPainted !== undefined, undefined, { timeout: 60_000 })
      const lanes = await page.locator('[data-testid="schedule-grid"] .tg-col').count()
      // Through the whole day and across every lane and back, the intervals between frames.
      // (a string, so that tsx's helper for function names (__name) is not sent into the page)
      const scrollFrames = (await page.evaluate(`(async () => {
        const el = document.querySelector('.tg-scroll')
        const frame = () => new Promise((r) => requestAnimationFrame(r))
        el.scrollTop = 0
        const times = []
        let last = await frame()
        // down through the day and back 10 px a frame, then across the lanes and back 30 px a frame
        for (const [axis, step] of [['scrollTop', 10], ['scrollLeft', 30]]) {
          for (const dir of [1, -1]) {
            for (let i = 0; i < 600; i++) {
              const before = el[axis]
              el[axis] += dir * step
              const now = await frame()
              times.push(now - last)
              last = now
              if (el[axis] === before) break
            }
          }
        }
        return times
      })()`)) as number[]
      // A booked block dragged across the lanes by the mouse, a move each frame, then let go outside the grid
      // (nothing moves: no confirmation opens).
      const block = page.locator('.tg-block[data-draggable]').first()
      await block.scrollIntoViewIfNeeded()
      const box = (await block.boundingBox())!
      const grid = (await page.locator('.tg-scroll').boundingBox())!
      await page.evaluate(`(() => {
        window.benchFrames = []
        window.benchRecording = true
        const loop = (t) => { window.benchFrames.push(t); if (window.benchRecording) requestAnimationFrame(loop) }
        requestAnimationFrame(loop)
      })()`)
      const x0 = box.x + box.width / 2
      const y0 = box.y + Math.min(10, box.height / 2)
      await page.mouse.move(x0, y0)
      await page.mouse.down()
      const steps = 120
      for (let i = 1; i <= steps; i++) {
        const f = i / steps
        await page.mouse.move(x0 + (grid.x + grid.width - 40 - x0) * f, y0 + 200 * Math.sin(f * Math.PI))
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))))
      }
      await page.mouse.move(2, 2)
      await page.mouse.up()
      const dragTimes = (await page.evaluate(`(() => { window.benchRecording = false; return window.benchFrames })()`)) as number[]
      const dragFrames = dragTimes.slice(1).map((t, i) => t - dragTimes[i]!)
      const moved = await page.getByRole('dialog', { name: /Move appointment/ }).count()
      const report = (what: string, xs: number[]) => {
        const x = summary(xs)
        const dropped = droppedFrames(xs)
        results[what] = { ...x, frames: xs.length, dropped, goal: '60 frames a second: no dropped frames' }
        return `p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, max ${x.max.toFixed(1)} ms over ${xs.length} frames; ${dropped} dropped (goal 60 fps: 0 dropped)`
      }
      console.log(`scrolling the day (${lanes} lanes, ${expected.day} blocks) down and back 10 px a frame, across and back 30 px a frame: ${report('scrollDayFrames', scrollFrames)}`)
      console.log(`dragging a block across the lanes, a pointer move a frame: ${report('dragBlockFrames', dragFrames)}${moved ? ' (a move confirmation opened: the drop was not outside)' : ''}`)
      results.dayLanes = lanes
      await context.close()
    }

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
