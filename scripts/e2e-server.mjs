// Starts the development bridge on a fresh database for the browser tests.
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

const db = process.env.E2E_DB ?? '.tmp/e2e/clinic.sqlite'
rmSync(dirname(db), { recursive: true, force: true })
mkdirSync(dirname(db), { recursive: true })
// The Database screen saves into a settings folder of the run's own, never the tester's ~/.config.
const env = { ...process.env, CLINIC_CONFIG_DIR: process.env.CLINIC_CONFIG_DIR ?? join(dirname(db), 'config') }
const child = spawn(process.execPath, ['--import', 'tsx', 'electron/bridge/cli.ts', '--db', db], { stdio: 'inherit', env })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
