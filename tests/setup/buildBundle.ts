/**
 * Vitest global setup: builds the main-process bundles (scripts/build-main.mjs) into a folder of this run's
 * own, so the tests that run the app as a process (the admin commands, the Electron adapter's module graph)
 * run the artifact that ships, as it is now, without disturbing dist-electron/ or another run.
 * A build that fails does not stop the other tests: the tests that need the bundle fail with the build's
 * message (bundleDirOrFail in tests/integration/bundleDir.ts).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    bundleDir: string
    bundleError: string
  }
}

export default function setup(project: TestProject) {
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(process.cwd(), '.tmp', 'bundle-'))
  const r = spawnSync(process.execPath, ['scripts/build-main.mjs', '--outdir', dir, '--quiet'], { encoding: 'utf8' })
  project.provide('bundleDir', dir)
  project.provide('bundleError', r.status === 0 ? '' : `npm run build:main failed:\n${r.stdout}${r.stderr}`)
  return () => rmSync(dir, { recursive: true, force: true })
}
