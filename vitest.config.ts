import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/buildBundle.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // The app and the admin commands write audit anchors (paths.anchorDir); never into the runner's home.
          env: { CLINIC_ANCHOR_DIR: join(tmpdir(), `clinic-test-anchors-${process.pid}`) },
        },
      },
    ],
  },
})
