/** Entry point of `npm run admin -- <command>`; see run.ts. */
import { processIo } from './io'
import { runAdmin } from './run'

runAdmin(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    console.error(err)
    process.exitCode = 1
  },
)
