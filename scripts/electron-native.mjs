// Electron needs better-sqlite3 compiled for its own ABI, while the tests use the Node build in
// node_modules. This makes an Electron build in .electron-native/ (once, needs internet for Electron's
// headers) and proves it loads under Electron before the app uses it: the rebuild tools are known to
// report success while building for the wrong ABI.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const require = createRequire(import.meta.url)
const OUT = resolve('.electron-native')

function loadsUnderElectron(electron, binding) {
  const probe = `const D=require(${JSON.stringify(require.resolve('better-sqlite3'))});new D(':memory:',{nativeBinding:${JSON.stringify(binding)}}).close()`
  const r = spawnSync(electron, ['-e', probe], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'pipe' })
  return r.status === 0
}

export function ensureElectronSqlite(electron) {
  const electronVersion = require('electron/package.json').version
  const binding = join(OUT, `better_sqlite3-electron-${electronVersion}.node`)
  if (existsSync(binding) && loadsUnderElectron(electron, binding)) return binding
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (once; needs Electron's headers from the internet)…`)
  const src = join(OUT, 'src')
  rmSync(src, { recursive: true, force: true })
  mkdirSync(OUT, { recursive: true })
  cpSync(require.resolve('better-sqlite3/package.json').replace(/package\.json$/, ''), src, { recursive: true })
  const env = { ...process.env, npm_config_nodedir: '' }
  const gyp = require.resolve('node-gyp/bin/node-gyp.js')
  const r = spawnSync(
    process.execPath,
    [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers', '--nodedir='],
    { cwd: src, env, stdio: 'inherit' },
  )
  const built = join(src, 'build', 'Release', 'better_sqlite3.node')
  if (r.status !== 0 || !existsSync(built)) {
    console.error('Could not build better-sqlite3 for Electron (no internet for its headers?).')
    return null
  }
  cpSync(built, binding)
  if (!loadsUnderElectron(electron, binding)) {
    console.error(`The Electron build of better-sqlite3 at ${binding} does not load under Electron ${electronVersion}.`)
    return null
  }
  return binding
}
