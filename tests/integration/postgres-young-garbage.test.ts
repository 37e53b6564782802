/**
 * Issue 22 point 4: on PostgreSQL a list of a few hundred rows left its rows alive through V8's young-generation
 * scavenges when pg made the query's promise itself: about 2.8 MB survived and was promoted at each scavenge, and
 * each paused the main process for 5-7 ms, in about one call in ten. The app asks pg with a callback and makes
 * its own promise (electron/db/preparedStatements.ts, `answered`), and a few KB survive.
 *
 * Not a timing: V8 reports, for each scavenge, how many bytes of the young generation were still alive
 * (`--trace-gc-nvp`, new_space_survived). A reader process reads a 200-row result through the app's pool and
 * Kysely 3 000 times; the median survival per scavenge must stay far below what the old form kept alive.
 */
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleChildScript, type ChildScript } from './childScript'
import { onPostgres, PG_URL } from './harness'

/** The old form kept ~2.8 MB alive per scavenge; the callback form a few KB. The bound sits far from both. */
const SURVIVED_BOUND = 512 * 1024

describe.skipIf(!PG_URL)(onPostgres('young garbage of PostgreSQL reads'), () => {
  let reader: ChildScript

  beforeAll(async () => {
    reader = await bundleChildScript('tests/integration/pgYoungGarbageReader.ts', 'young-garbage')
  })
  afterAll(() => reader?.remove())

  /** Runs the reader under --trace-gc-nvp and returns new_space_survived of each scavenge. */
  function survivalPerScavenge(rounds: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--trace-gc-nvp', reader.file, PG_URL!, String(rounds)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('error', reject)
      child.on('close', (code) => {
        if (code !== 0 || !out.includes('DONE')) return reject(new Error(`the reader failed (exit ${code}): ${err.slice(-2000)}`))
        const survived = out
          .split('\n')
          .filter((line) => / gc=s /.test(line))
          .map((line) => Number(/ new_space_survived=(\d+)/.exec(line)?.[1]))
        resolve(survived.filter((n) => Number.isFinite(n)))
      })
    })
  }

  it('keeps a few hundred KB at most alive per scavenge while a 200-row list is read again and again', async () => {
    const survived = await survivalPerScavenge(3000)
    // the measurement needs scavenges to look at (3 000 reads of 200 rows allocate well over 100 MB)
    expect(survived.length).toBeGreaterThanOrEqual(5)
    const median = [...survived].sort((a, b) => a - b)[Math.floor(survived.length / 2)]!
    expect(median, `bytes alive after each scavenge: ${survived.join(', ')}`).toBeLessThan(SURVIVED_BOUND)
  }, 120_000)
})
