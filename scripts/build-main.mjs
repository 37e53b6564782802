// Bundles the Electron main process and preload script into dist-electron/ (CommonJS, as Electron loads them).
import { build } from 'esbuild'

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', sourcemap: true, logLevel: 'info' }
await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist-electron/main.cjs', external: ['electron', 'better-sqlite3', 'pg', 'pg-native'] })
// The preload runs sandboxed: it may require only 'electron'.
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs', external: ['electron'] })
