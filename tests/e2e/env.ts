/** Fixed for the test run only; the real `npm start` picks a random port and key. */
export const BRIDGE_PORT = Number(process.env.E2E_PORT ?? 4599)
// the bridge refuses a key shorter than 32 characters (electron/bridge/server.ts)
export const BRIDGE_KEY = 'e2e-test-key-not-secret-0123456789abcdef'
export const E2E_DB = process.env.E2E_DB ?? '.tmp/e2e/clinic.sqlite'
/** The built main-process bundles the browser tests run (`npm run build:main`), as the installed app does. */
export const BUNDLE_DIR = process.env.E2E_BUNDLE_DIR ?? 'dist-electron'
export const STATIC_DIR = process.env.E2E_STATIC ?? 'dist/renderer'

export const ADMIN = { name: 'Ada Administrator', username: 'ada', password: 'ada-password-1' }
export const DESK = { name: 'Frank Frontdesk', username: 'frank', password: 'frank-password-1' }
