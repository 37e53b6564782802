/**
 * A test's own child process script (a writer killed mid-write, a reminder run that crashes, a reader watched by V8's
 * GC trace), bundled once so that each start is a plain `node` instead of compiling TypeScript again. The bundle
 * goes under the project's .tmp/ so that its packages (kysely, pg, better-sqlite3) resolve from node_modules.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { build } from 'esbuild'

export interface ChildScript {
  /** the bundled .mjs, to run with process.execPath */
  file: string
  /** removes the bundle's folder */
  remove(): void
}

/** Bundles `entry` (a path under tests/) into .tmp/<folder>-<pid>/. */
export async function bundleChildScript(entry: string, folder: string): Promise<ChildScript> {
  const dir = join(process.cwd(), '.tmp', `${folder}-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, basename(entry).replace(/\.ts$/, '.mjs'))
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: file, logLevel: 'silent' })
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
