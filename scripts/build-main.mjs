// Bundles the main process into dist-electron/ (CommonJS, as Electron loads it), as the installed app runs it:
//   core.cjs     everything but Electron: router, services, database, PDFs, exports, admin commands, bridge
//   main.cjs     the thin Electron adapter (window, menu, IPC, keystore, OS events) over core.cjs
//   admin.cjs    `node dist-electron/admin.cjs <command>`: the admin commands over core.cjs
//   bridge.cjs   the development bridge (npm start where Electron cannot run, the browser tests) over core.cjs
//   preload.cjs  the renderer's one bridge (sandboxed: it may require only 'electron')
// The tests load these files, not the TypeScript sources, so a bundling fault fails `npm test`.
// `node scripts/build-main.mjs [--outdir DIR] [--quiet]`
import { build } from 'esbuild'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
// Packages loaded from node_modules at run time instead of bundled (why each: scripts/runtime-packages.mjs,
// which tests/integration/runtime-dependencies.test.ts checks against package.json's `dependencies`).
import { RUNTIME_EXTERNALS } from './runtime-packages.mjs'

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist-electron' }, quiet: { type: 'boolean', default: false } } })
const outdir = resolve(values.outdir)
const CORE = resolve('electron/core.ts')

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', sourcemap: true, logLevel: values.quiet ? 'warning' : 'info' }

/** The thin entries load core.cjs from beside themselves rather than bundling a second copy of it. */
const coreAsSibling = {
  name: 'core-as-sibling',
  setup(b) {
    b.onResolve({ filter: /(^|\/)core$/ }, (args) => {
      if (resolve(args.resolveDir, `${args.path}.ts`) !== CORE) return undefined
      return { path: './core.cjs', external: true }
    })
  },
}

/** core.cjs runs under plain Node too: an import of Electron in it is a mistake, caught here. */
const noElectron = {
  name: 'no-electron-in-core',
  setup(b) {
    b.onResolve({ filter: /^electron(\/|$)/ }, (args) => ({ errors: [{ text: `this bundle must run without Electron, but ${args.importer} imports "${args.path}"` }] }))
  },
}

await Promise.all([
  build({ ...common, entryPoints: [CORE], outfile: `${outdir}/core.cjs`, external: RUNTIME_EXTERNALS, plugins: [noElectron] }),
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: `${outdir}/main.cjs`, external: ['electron'], plugins: [coreAsSibling] }),
  build({ ...common, entryPoints: ['electron/cli/admin.ts'], outfile: `${outdir}/admin.cjs`, plugins: [coreAsSibling, noElectron] }),
  build({ ...common, entryPoints: ['electron/bridge/cli.ts'], outfile: `${outdir}/bridge.cjs`, plugins: [coreAsSibling, noElectron] }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: `${outdir}/preload.cjs`, external: ['electron'] }),
])
