/**
 * One workstation in the booking race: its own openDatabase() handle on the shared file, its own
 * router and signed-in window. Waits at a barrier so that every workstation books at the same moment.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '../../electron/db/connect'
import { createRouter } from '../../electron/rpc'

interface RaceJob {
  file: string
  username: string
  password: string
  now: string
  workstation: string
  barrier: SharedArrayBuffer
  input: unknown
}

const job = workerData as RaceJob
const database = openDatabase({ engine: 'sqlite', file: job.file })
const router = createRouter({ database, now: () => new Date(job.now), workstation: job.workstation, log: () => {} })
const signedIn = await router.call('w', 'session.signIn', { username: job.username, password: job.password })
if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.message}`)
const flag = new Int32Array(job.barrier)
Atomics.add(flag, 1, 1)
Atomics.wait(flag, 0, 0)
const result = await router.call('w', 'schedule.appointments.book', job.input)
await database.close()
parentPort!.postMessage(result)
