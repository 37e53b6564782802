/**
 * A development bridge of its own for a spec that needs more than the suite's one (two windows' app, two
 * workstations): the built bundle on a free port, with its own settings folder and key. Stopped with SIGTERM,
 * killed if it has not ended 5 s later.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { BUNDLE_DIR, STATIC_DIR } from '../env'

export interface BridgeProcess {
  proc: ChildProcess
  openUrl: string
}

/** `db`: the database arguments (`['--db', file]` or `['--db-url', url]`); `configDir`: its settings folder. */
export function startBridgeProcess(name: string, configDir: string, db: string[]): Promise<BridgeProcess> {
  mkdirSync(configDir, { recursive: true })
  const env: NodeJS.ProcessEnv = { ...process.env, CLINIC_BRIDGE_KEY: `${name}-key-not-secret-0123456789abcdef`, CLINIC_CONFIG_DIR: configDir }
  delete env.CLINIC_DB_URL
  delete env.CLINIC_DB_FILE
  delete env.CLINIC_BRIDGE_PORT
  const proc = spawn(process.execPath, [join(BUNDLE_DIR, 'bridge.cjs'), ...db, '--port', '0', '--static', STATIC_DIR], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`bridge ${name} did not start within 60 s:\n${out}`)), 60_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?key=\S+/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ proc, openUrl: m[0] })
      }
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', onData)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`bridge ${name} exited (${code}):\n${out}`))
    })
  })
}

export function stopBridgeProcess(b: BridgeProcess): Promise<void> {
  return new Promise((resolve) => {
    if (b.proc.exitCode !== null) return resolve()
    const force = setTimeout(() => b.proc.kill('SIGKILL'), 5000)
    b.proc.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    b.proc.kill('SIGTERM')
  })
}
