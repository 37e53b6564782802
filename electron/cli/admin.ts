/**
 * Entry of dist-electron/admin.cjs: `node dist-electron/admin.cjs <command>` and `npm run admin -- <command>`.
 * The installed app runs the same commands as `"Spine Clinic" --admin <command>` (see main.ts).
 */
import { ownerOnlyNewFiles, processIo, runAdmin } from '../core'

ownerOnlyNewFiles()
runAdmin(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    console.error(err)
    process.exitCode = 1
  },
)
