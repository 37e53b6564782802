// `npm start`: builds the app and opens it in Electron. Where no Electron binary can be had (its download
// is blocked on some machines), it says so in one line and serves the same app on 127.0.0.1 instead.
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { electronBinary } from './electron-binary.mjs'
import { ensureElectronSqlite } from './electron-native.mjs'

const require = createRequire(import.meta.url)
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts })

function tryDownloadElectron() {
  // The electron package downloads its binary on first use; this fails where the network is closed.
  const r = spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'ignore', timeout: 120_000 })
  return r.status === 0 ? electronBinary() : null
}

const build = run('npm', ['run', '--silent', 'build:renderer'], { stdio: ['ignore', 'ignore', 'inherit'] })
if (build.status !== 0) process.exit(build.status ?? 1)

const electron = electronBinary() ?? tryDownloadElectron()
let reason = electron ? null : 'no Electron binary could be downloaded on this machine'
let nativeBinding = null
if (electron) {
  nativeBinding = ensureElectronSqlite(electron)
  if (!nativeBinding) reason = 'better-sqlite3 could not be built for Electron here (see the message above)'
}

// The main process's bundles: the Electron adapter, or the same core under the development bridge.
const main = run('npm', ['run', '--silent', 'build:main', '--', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] })
if (main.status !== 0) process.exit(main.status ?? 1)

if (!reason) {
  const child = spawn(electron, ['.', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CLINIC_SQLITE_NATIVE_BINDING: nativeBinding },
  })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log(`Electron cannot run here (${reason}); serving the same app on 127.0.0.1 for your browser instead.`)
  const child = spawn(process.execPath, ['dist-electron/bridge.cjs', ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code) => process.exit(code ?? 0))
}
