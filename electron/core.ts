/**
 * Everything the main process does besides being an Electron app, as one module: opening the clinic
 * (database, migrations, router), the administrator's commands and the development bridge.
 *
 * `npm run build` bundles this once into dist-electron/core.cjs. The thin entries over it (main.cjs, the
 * Electron adapter; admin.cjs, the command line; bridge.cjs, the development server) load that one bundle
 * at run time, so the code the tests and the bridge run is the code the installed app runs.
 */
export { openClinicApp, type ClinicApp } from './app'
export { connectionHost, resolveStartupTarget } from './db/connectionSettings'
export { keystoreSecretStore } from './db/secretStore'
export { runAdmin } from './cli/run'
export { processIo } from './cli/io'
export { runBridge } from './bridge/run'
export { allowNavigation, CONTENT_SECURITY_POLICY, isTrustedSender } from './security'
export { ownerOnlyNewFiles } from './fileModes'
export { openAppLog, type AppLog } from './appLog'
export { aboutDatabase, lockWindows } from './desktopHost'
export { useSqliteNativeBinding } from './db/connect'
export { LATEST_MIGRATION } from '../migrations'
