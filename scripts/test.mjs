// `npm test`: everything that can run on this machine, in order: typecheck, lint, unit and integration
// tests (vitest, on real database files), the renderer build, and the browser tests (Playwright in
// Debian's Chromium through the development bridge; the Electron project skips where Electron cannot run).
// Prints one summary line at the end: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { startThrowawayPostgres } from './pg-throwaway.mjs'
import { ensurePrerequisites } from './prerequisites.mjs'

const steps = []
let failed = false
const counts = { passed: 0, failed: 0, skipped: 0 }

function step(name, cmd, args, env = {}) {
  if (failed && !process.env.TEST_KEEP_GOING) return false
  console.log(`\n━━ ${name} ━━ ${cmd} ${args.join(' ')}`)
  const started = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  const ok = r.status === 0
  steps.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) })
  if (!ok) failed = true
  return ok
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

mkdirSync('.tmp', { recursive: true })
for (const f of ['.tmp/vitest.json', '.tmp/playwright.json']) rmSync(f, { force: true })

// Chromium, poppler-utils, sqlite3, unzip and PostgreSQL: installed here as root with apt, else the command is named.
if (!ensurePrerequisites()) {
  console.log('tests: not run (tools missing, see above)')
  process.exit(1)
}

step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])
step('lint', 'npx', ['eslint', '--max-warnings', '0', '.'])
step('Electron security scan (electronegativity)', process.execPath, ['scripts/electronegativity.mjs'])
// The integration tests run on PostgreSQL too: a given server, or a throwaway cluster when the binaries exist.
// The cluster lives until the browser tests are done too (two-workstations.spec.ts starts two workstations
// on it), reached through CLINIC_TEST_PG_URL in the environment Playwright inherits.
let pg = null
if (!process.env.CLINIC_TEST_PG_URL) {
  pg = await startThrowawayPostgres()
  if (pg) process.env.CLINIC_TEST_PG_URL = pg.url
  else console.log('\nPostgreSQL is not installed: the integration tests run on SQLite only, and the two-workstation browser test is skipped (apt-get install -y postgresql).')
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    pg?.stop()
    process.exit(130)
  })
}

/** True when nothing listens on the loopback port. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

async function browserTests() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(chromium)) {
    console.error(`\nThe browser tests need Chromium at ${chromium}: run \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH).`)
    steps.push({ name: 'end-to-end', ok: false, seconds: '0' })
    failed = true
    return
  }
  // The browser tests run the built app: the renderer bundle and the main process's bundles (bridge.cjs over core.cjs).
  step('renderer build', 'npm', ['run', '--silent', 'build:renderer'])
  step('main-process build', process.execPath, ['scripts/build-main.mjs', '--quiet'])
  step('initial bundle budget', process.execPath, ['scripts/check-bundle.mjs'])
  const port = Number(process.env.E2E_PORT ?? 4599)
  if (!(await portIsFree(port))) {
    console.error(`\nThe browser tests serve the app on port ${port}, which another process holds (often a bridge left from an earlier run: \`ps aux | grep bridge.cjs\`). Stop it, or set E2E_PORT to a free port.`)
    steps.push({ name: 'end-to-end', ok: false, seconds: '0' })
    failed = true
    return
  }
  step('end-to-end (Playwright' + (process.env.CLINIC_TEST_PG_URL ? '; two workstations on PostgreSQL)' : ')'), 'npx', ['playwright', 'test'])
}

try {
  step('unit + integration (SQLite' + (process.env.CLINIC_TEST_PG_URL ? ' and PostgreSQL)' : ')'), 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.tmp/vitest.json'])
  await browserTests()
} finally {
  pg?.stop()
}

const vitest = readJson('.tmp/vitest.json')
if (vitest) {
  counts.passed += vitest.numPassedTests
  counts.failed += vitest.numFailedTests
  counts.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0)
}
const pw = readJson('.tmp/playwright.json')
if (pw?.stats) {
  counts.passed += pw.stats.expected + (pw.stats.flaky ?? 0)
  counts.failed += pw.stats.unexpected
  counts.skipped += pw.stats.skipped
}

// The failures' own messages go just above the summary: a CI log is often read from its tail only, where the
// reporters' full output has scrolled away.
const failures = [...vitestFailures(vitest), ...playwrightFailures(pw)]
if (failures.length > 0) {
  console.log('\n━━ failed ━━')
  for (const f of failures.slice(0, 10)) console.log(`${f.where}\n  ${firstLines(f.message, 6).join('\n  ')}`)
}

console.log('\n━━ summary ━━')
for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name} (${s.seconds} s)`)
if (failed && counts.failed === 0) counts.failed = steps.filter((s) => !s.ok).length
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
process.exit(failed ? 1 : 0)

function firstLines(message, n) {
  // eslint-disable-next-line no-control-regex
  const plain = String(message ?? '').replace(/\u001b\[[0-9;]*m/g, '')
  return plain.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(0, n)
}

function vitestFailures(report) {
  const out = []
  for (const file of report?.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'failed') out.push({ where: `${file.name}: ${t.fullName}`, message: (t.failureMessages ?? []).join('\n') })
    }
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) out.push({ where: file.name, message: file.message })
  }
  return out
}

function playwrightFailures(report) {
  const out = []
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const last = t.results?.at(-1)
        if (last && (last.status === 'failed' || last.status === 'timedOut')) {
          const message = (last.errors ?? []).map((e) => e.message).join('\n') || last.error?.message
          out.push({ where: `${spec.file}:${spec.line} [${t.projectName}] ${spec.title}`, message })
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const s of report?.suites ?? []) walk(s)
  return out
}
