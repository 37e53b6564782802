// Starts the development bridge on a fresh database for the browser tests, from the built bundle
// (dist-electron/bridge.cjs over core.cjs: the code the installed app runs), never the TypeScript sources.
// E2E_DB, E2E_BUNDLE_DIR and E2E_STATIC let one engineer's run stay out of another's way.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

const db = process.env.E2E_DB ?? '.tmp/e2e/clinic.sqlite'
const bundle = join(process.env.E2E_BUNDLE_DIR ?? 'dist-electron', 'bridge.cjs')
const staticDir = process.env.E2E_STATIC ?? 'dist/renderer'
if (!existsSync(bundle)) {
  console.error(`The browser tests run the built app: ${bundle} is missing. Run \`npm run build\` first.`)
  process.exit(1)
}
rmSync(dirname(db), { recursive: true, force: true })
mkdirSync(dirname(db), { recursive: true })
// The Database screen saves into a settings folder of the run's own, never the tester's ~/.config.
const env = { ...process.env, CLINIC_CONFIG_DIR: process.env.CLINIC_CONFIG_DIR ?? join(dirname(db), 'config') }
const child = spawn(process.execPath, [bundle, '--db', db, '--static', staticDir], { stdio: 'inherit', env })
// The bridge gives itself 10 s to close (electron/stopOnSignals.ts); one that is still there after 15 s is
// killed, so that no bridge outlives the run and holds the next run's port.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    child.kill(sig)
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref()
  })
}
child.on('exit', (code) => process.exit(code ?? 0))
