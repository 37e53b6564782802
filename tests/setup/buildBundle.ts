/**
 * Vitest global setup: builds the main-process bundles (scripts/build-main.mjs) into a folder of this run's
 * own, so the tests that run the app as a process (the admin commands, the Electron adapter's module graph)
 * run the artifact that ships, as it is now, without disturbing dist-electron/ or another run.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    bundleDir: string
  }
}

export default function setup(project: TestProject) {
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(process.cwd(), '.tmp', 'bundle-'))
  execFileSync(process.execPath, ['scripts/build-main.mjs', '--outdir', dir, '--quiet'], { stdio: 'inherit' })
  project.provide('bundleDir', dir)
  return () => rmSync(dir, { recursive: true, force: true })
}
