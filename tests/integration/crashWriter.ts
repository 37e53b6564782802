/**
 * The writer of crash.test.ts, run as its own process: signs in through the real router and registers
 * and edits patients as fast as it can, printing each write only after the router acknowledged it:
 *   ACK <mrn>            a registered patient
 *   UPD <id> <version>   an acknowledged edit
 * The test kills it with SIGKILL at random moments. Stdout to a pipe is synchronous on Linux and each
 * line is shorter than PIPE_BUF, so every printed line reaches the test whole.
 */
import { openDatabase } from '../../electron/db/connect'
import { createRouter } from '../../electron/rpc'
import type { Patient } from '../../shared/schemas/patients'

const [file, username, password] = process.argv.slice(2) as [string, string, string]
const database = openDatabase({ engine: 'sqlite', file })
const router = createRouter({ database, workstation: 'crash-writer', log: () => {} })
const w = 'writer'

const signIn = await router.call(w, 'session.signIn', { username, password })
if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.message}`)
process.stdout.write('READY\n')

const mine: { id: number; version: number }[] = []
for (let i = 0; ; i++) {
  if (i % 3 === 2 && mine.length > 0) {
    const p = mine[Math.floor(Math.random() * mine.length)]!
    const r = await router.call(w, 'patients.update', {
      id: p.id,
      version: p.version,
      firstName: 'Crash',
      lastName: `Edited${i}`,
      dateOfBirth: '1950-03-04',
      sex: 'female',
      notes: `edit ${i}`,
    })
    if (!r.ok) throw new Error(`update failed: ${r.error.code} ${r.error.message}`)
    p.version = (r.value as Patient).version
    process.stdout.write(`UPD ${p.id} ${p.version}\n`)
    continue
  }
  const r = await router.call(w, 'patients.register', {
    firstName: 'Crash',
    lastName: `Test${process.pid}x${i}`,
    dateOfBirth: '1950-03-04',
    sex: 'female',
    acknowledgeDuplicate: true,
  })
  if (!r.ok) throw new Error(`register failed: ${r.error.code} ${r.error.message}`)
  const patient = r.value as Patient
  mine.push({ id: patient.id, version: patient.version })
  process.stdout.write(`ACK ${patient.mrn}\n`)
}
