/**
 * The development bridge's command: `npm run bridge -- [--db FILE | --db-url URL] [--port N] [--static DIR]`.
 * Used by `npm start` where Electron cannot run, and by the browser tests; it runs from the built bundle
 * (dist-electron/bridge.cjs over core.cjs), the same code the installed app runs.
 */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { join, resolve } from 'node:path'
import { openAppLog } from '../appLog'
import { openClinicApp } from '../app'
import { connectionHost, describeDbTarget, resolveStartupTarget } from '../db/connectionSettings'
import { NO_KEYSTORE } from '../db/secretStore'
import { DATABASE_FILE_NAME, settingsDir } from '../paths'
import { stopOnSignals } from '../stopOnSignals'
import { startBridge, type Bridge } from './server'

export async function runBridge(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      'db-url': { type: 'string' },
      port: { type: 'string' },
      static: { type: 'string' },
    },
  })
  const port = Number(values.port ?? process.env.CLINIC_BRIDGE_PORT ?? 0)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`)
  const staticDir = resolve(values.static ?? 'dist/renderer')
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${staticDir}/index.html is missing). Run \`npm run build:renderer\` first.`)
  }
  // --db-url / --db > CLINIC_DB_URL > CLINIC_DB_FILE > the saved setting > the default file. The bridge
  // has no OS keystore: a saved password (encrypted by the desktop app) cannot be read here.
  const configDir = settingsDir()
  const defaultFile = join(configDir, DATABASE_FILE_NAME)
  const inEffect = await resolveStartupTarget({ cliDb: values.db, cliDbUrl: values['db-url'], env: process.env, configDir, secrets: NO_KEYSTORE, defaultFile })
  const target = inEffect.target
  // The router is made before the bridge that carries its events.
  const events: { bridge?: Bridge } = {}
  const connection = connectionHost({ configDir, secrets: NO_KEYSTORE, defaultFile, inEffect })
  // The same log as the desktop app's, in this settings folder: an error's reference leads to its stack here too.
  const log = openAppLog({ dir: join(configDir, 'logs') })
  log.info(`the development bridge starts on ${describeDbTarget(target)} (${inEffect.source})`)
  const ownFile = target.engine === 'sqlite' && resolve(target.file) === resolve(defaultFile)
  const app = await openClinicApp(target, { emit: (e) => events.bridge?.emit(e), connection, createFolder: ownFile, log: (message, err, context) => log.error(message, err, context) })
  const bridge = await startBridge({ router: app.router, staticDir, port, key: process.env.CLINIC_BRIDGE_KEY })
  events.bridge = bridge
  const where = `${describeDbTarget(target)} (${inEffect.source})`
  console.log(`Spine Clinic is running in your browser at:\n\n    ${bridge.openUrl}\n\nDatabase: ${where}. Loopback only; the key in the address is this run's secret. Ctrl+C stops it.`)
  stopOnSignals({
    close: async () => {
      await bridge.close()
      await app.close()
    },
    log: (message, err) => {
      console.error(message, err ?? '')
      log.error(message, err)
    },
  })
}
