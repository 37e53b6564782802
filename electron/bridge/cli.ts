/** Entry of dist-electron/bridge.cjs (`npm run bridge`, `npm start` where Electron cannot run); see bridge/run.ts. */
import { ownerOnlyNewFiles, runBridge } from '../core'

ownerOnlyNewFiles()
runBridge(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`Could not start: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
