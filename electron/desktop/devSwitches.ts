/**
 * Which of the process's environment settings the Electron app honours. The installed (packaged) app is run
 * by clinic staff on a shared workstation: an environment variable left on that computer must not be able
 * to load another native library into it, move its settings folder or hand it a bridge key. So a packaged
 * build keeps only the deployment settings a clinic's IT sets on purpose (README, "Several workstations"),
 * and drops every other CLINIC_* variable before any code reads the environment; an unpackaged build (npm
 * start, the tests) honours them all.
 */

/** Settings an IT department uses to point installed workstations at the clinic's database (README). */
export const DEPLOYMENT_SETTINGS = ['CLINIC_DB_URL', 'CLINIC_DB_FILE'] as const

/**
 * The development switches this code base knows of (for the README and the log); any other CLINIC_*
 * variable is dropped from a packaged build as well, since only the deployment settings are kept.
 *   CLINIC_SQLITE_NATIVE_BINDING  a better-sqlite3 build for Electron's ABI (npm start makes one)
 *   CLINIC_CONFIG_DIR             a throwaway settings folder (the browser tests)
 *   CLINIC_BRIDGE_KEY, CLINIC_BRIDGE_PORT   the development bridge's secret and port
 *   CLINIC_TEST_PG_URL            the PostgreSQL server the tests use
 *   CLINIC_ANCHOR_DIR             the tests' own audit-anchor folder (an installed app keeps its anchors where
 *                                 paths.anchorDir puts them: a variable must not move the evidence elsewhere)
 */
export const DEVELOPMENT_SWITCHES = ['CLINIC_SQLITE_NATIVE_BINDING', 'CLINIC_CONFIG_DIR', 'CLINIC_BRIDGE_KEY', 'CLINIC_BRIDGE_PORT', 'CLINIC_TEST_PG_URL', 'CLINIC_ANCHOR_DIR'] as const

export interface DesktopEnv {
  /** The environment the app goes on with. */
  env: Record<string, string | undefined>
  /** Names of the variables a packaged build dropped (for the log; never their values). */
  ignored: string[]
}

export function desktopEnv(env: Readonly<Record<string, string | undefined>>, packaged: boolean): DesktopEnv {
  if (!packaged) return { env: { ...env }, ignored: [] }
  const kept: Record<string, string | undefined> = {}
  const ignored: string[] = []
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('CLINIC_') && !(DEPLOYMENT_SETTINGS as readonly string[]).includes(name)) ignored.push(name)
    else kept[name] = value
  }
  return { env: kept, ignored: ignored.sort() }
}
