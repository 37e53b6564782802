/**
 * A development bridge of a spec's own, on a fresh SQLite database, living at a moment the spec chooses: the
 * bridge's clock is moved by support/shiftClock.mjs, the browser's by page.clock by the same amount, so a spec that
 * needs a particular moment (a procedure timed "an hour ago", the evening when UTC is already tomorrow) runs the
 * same at any hour of any day. It runs the built bundle, as the shared bridge does.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { BUNDLE_DIR, STATIC_DIR } from '../env'

export interface ClockBridge {
  openUrl: string
  /** how far this bridge's (and its pages') clock is ahead of the real one, ms */
  shiftMs: number
  /** now on this bridge's clock, ms */
  now(): number
  /** what the bridge printed (for a failure's report) */
  output(): string
  /** a browser context on this bridge: its clock moved as the bridge's, set to `timezoneId` (the workstation's zone) */
  open(browser: Browser, timezoneId: string): Promise<{ context: BrowserContext; page: Page }>
  stop(): Promise<void>
}

const PRELOAD = new URL('./shiftClock.mjs', import.meta.url).href

/** Starts a bridge whose clock reads `at` now; `processZone` is the TZ its process runs in. */
export async function startClockBridge(name: string, at: string, processZone: string): Promise<ClockBridge> {
  const dir = join('.tmp', `e2e-clock-${name}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const target = Date.parse(at)
  if (Number.isNaN(target)) throw new Error(`not an instant: ${at}`)
  const shiftMs = target - Date.now()
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: processZone, CLOCK_SHIFT_MS: String(shiftMs), CLINIC_CONFIG_DIR: join(dir, 'config') }
  // a random key of its own, read from the address it prints
  delete env.CLINIC_BRIDGE_KEY
  delete env.CLINIC_DB_URL
  delete env.CLINIC_DB_FILE
  delete env.CLINIC_BRIDGE_PORT
  const proc: ChildProcess = spawn(process.execPath, ['--import', PRELOAD, join(BUNDLE_DIR, 'bridge.cjs'), '--db', join(dir, 'clinic.sqlite'), '--port', '0', '--static', STATIC_DIR], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const openUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${name} bridge did not start within 60 s:\n${out}`)), 60_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?key=\S+/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[0])
      }
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', onData)
    proc.on('exit', (code, signal) => {
      out += `\n[the bridge exited: ${signal ?? code}]\n`
      clearTimeout(timer)
      reject(new Error(`the ${name} bridge exited (${signal ?? code}):\n${out}`))
    })
  })
  return {
    openUrl,
    shiftMs,
    now: () => Date.now() + shiftMs,
    output: () => out,
    async open(browser, timezoneId) {
      const context = await browser.newContext({ timezoneId })
      // the page's clock keeps running from the bridge's time (install, not a fixed time)
      await context.clock.install({ time: Date.now() + shiftMs })
      const page = await context.newPage()
      await page.goto(openUrl)
      return { context, page }
    },
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done()
        const force = setTimeout(() => proc.kill('SIGKILL'), 5000)
        proc.once('exit', () => {
          clearTimeout(force)
          rmSync(dir, { recursive: true, force: true })
          done()
        })
        proc.kill('SIGTERM')
      }),
  }
}
