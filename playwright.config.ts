import { defineConfig } from '@playwright/test'
import { BRIDGE_PORT, BRIDGE_KEY, E2E_DB } from './tests/e2e/env'

/**
 * Browser tests run in Debian's Chromium against the development bridge (a fresh database per run).
 * The 'electron' project runs the same specs against the real app where an Electron binary exists,
 * and reports them skipped, with the reason, where it does not.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The longest journeys (today's board, the manager's outcomes) take about a minute on two busy cores.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '.tmp/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${BRIDGE_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'first-run', testMatch: /first-run\.setup\.ts/ },
    { name: 'chromium', testMatch: /.*\.spec\.ts/, dependencies: ['first-run'] },
    { name: 'electron', testMatch: /.*\.spec\.ts/, dependencies: ['first-run'] },
  ],
  webServer: {
    command: `node scripts/e2e-server.mjs`,
    url: `http://127.0.0.1:${BRIDGE_PORT}/?key=${BRIDGE_KEY}`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { CLINIC_BRIDGE_KEY: BRIDGE_KEY, CLINIC_BRIDGE_PORT: String(BRIDGE_PORT), E2E_DB },
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
