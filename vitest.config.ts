import { defineConfig } from 'vitest/config'
import { TEST_ANCHOR_DIR } from './tests/setup/anchorDir'

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/buildBundle.ts', 'tests/setup/anchorDir.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // The app and the admin commands write audit anchors (paths.anchorDir); never into the runner's home.
          env: { CLINIC_ANCHOR_DIR: TEST_ANCHOR_DIR },
        },
      },
    ],
  },
})
