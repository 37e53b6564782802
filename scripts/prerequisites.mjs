// What `npm test` needs from the system besides node_modules, checked before the first test, so that a fresh
// machine either gets it or is told the exact command, instead of tests failing or quietly testing less.
// As root with apt-get (a CI container, a fresh Debian), what is missing is installed, one line each;
// anywhere else the command to run is printed and `npm test` stops before any test.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { findPostgres, MIN_POSTGRES_MAJOR } from './pg-throwaway.mjs'

const onPath = (cmd) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)))

/** Each thing the tests use, the Debian package that brings it, and what it is for. */
export function prerequisites() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  return [
    { pkg: 'chromium', what: 'the browser tests', present: () => existsSync(chromium) },
    { pkg: 'poppler-utils', what: 'reading back the PDFs the app makes (pdftotext)', present: () => onPath('pdftotext') },
    { pkg: 'sqlite3', what: 'the sqlite3 command line (the benchmark reads the database file with it)', present: () => onPath('sqlite3') },
    { pkg: 'unzip', what: 'checking the ZIP exports with an independent tool', present: () => onPath('unzip') },
    {
      pkg: 'postgresql',
      what: `the PostgreSQL tests (a throwaway server, PostgreSQL ${MIN_POSTGRES_MAJOR} or newer)`,
      // a server given in CLINIC_TEST_PG_URL needs no local binaries
      present: () => Boolean(process.env.CLINIC_TEST_PG_URL) || findPostgres().bin !== null,
    },
  ]
}

const canApt = () => process.getuid?.() === 0 && onPath('apt-get')

/**
 * Installs what is missing (as root with apt-get) or says what to run. Returns true when everything is there
 * now; false after printing the exact command (the caller stops before the first test).
 */
export function ensurePrerequisites() {
  if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH)) {
    console.error(`CHROMIUM_PATH is ${process.env.CHROMIUM_PATH}, which does not exist: point it at a Chromium, or unset it to use /usr/bin/chromium.`)
    return false
  }
  const missing = prerequisites().filter((p) => !p.present())
  if (missing.length === 0) return true
  const pkgs = missing.map((p) => p.pkg)
  if (!canApt()) {
    console.error('\nnpm test needs what this machine does not have yet:')
    for (const p of missing) console.error(`  ${p.pkg}: for ${p.what}`)
    const sudo = process.getuid?.() === 0 ? '' : 'sudo '
    console.error(`Run: ${sudo}apt-get update && ${sudo}apt-get install -y ${pkgs.join(' ')}`)
    console.error('(that is Debian and Ubuntu; elsewhere install the same tools. CHROMIUM_PATH and CLINIC_TEST_PG_URL can point at a Chromium and a PostgreSQL server elsewhere.)')
    return false
  }
  const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  if (apt(['update', '-qq']).status !== 0) {
    console.error(`apt-get update failed; run: apt-get update && apt-get install -y ${pkgs.join(' ')}`)
    return false
  }
  for (const p of missing) {
    console.log(`Installing with apt: ${p.pkg} (needed for ${p.what})`)
    if (apt(['install', '-y', '-qq', p.pkg]).status !== 0) {
      console.error(`apt-get install ${p.pkg} failed; run: apt-get install -y ${p.pkg}`)
      return false
    }
  }
  const still = prerequisites().filter((p) => !p.present())
  for (const p of still) console.error(`${p.pkg} was installed, but what ${p.what} needs is still not found`)
  return still.length === 0
}
