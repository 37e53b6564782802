// Starts the development bridge on a fresh database for the browser tests.
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'

const db = process.env.E2E_DB ?? '.tmp/e2e/clinic.sqlite'
rmSync(dirname(db), { recursive: true, force: true })
mkdirSync(dirname(db), { recursive: true })
const child = spawn(process.execPath, ['--import', 'tsx', 'electron/bridge/cli.ts', '--db', db], { stdio: 'inherit', env: process.env })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
