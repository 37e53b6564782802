/**
 * How fast the machine itself was while the bench ran, printed beside its figures: a shared virtual machine's
 * speed changes by up to 1.7x from one half hour to the next, and the load average does not show it (session 17:
 * two runs at load 1 took every SQLite path 1.7x longer than a third). Without this a reader cannot tell a slower
 * app from a slower machine.
 *
 * - `pace`: a fixed piece of work in JavaScript (100 000 small objects sorted by a string key, then written as
 *   JSON) in a fresh Node process, the median of seven, timed before and after the measurements. Its milliseconds
 *   only mean something beside another run's on the same kind of machine: lower is faster.
 * - `steal`: the share of CPU time the hypervisor gave to other guests during the run (Linux's /proc/stat);
 *   null where there is no /proc/stat.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * The fixed work, run in a fresh Node process so that the bench's own heap (a seeded clinic's worth of garbage
 * collection) does not change it: warmed once, then the median of seven. Prints the milliseconds.
 */
const FIXED_WORK = `
const work = () => {
  const items = Array.from({ length: 100000 }, (_, i) => ({ key: ((i * 2654435761) % 1000003).toString(36), i }))
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
  return JSON.stringify(items).length
}
work()
const times = []
for (let i = 0; i < 7; i++) { const t = performance.now(); work(); times.push(performance.now() - t) }
console.log(times.sort((a, b) => a - b)[3])
`

/** The median milliseconds of the fixed work (NaN if the child process failed). */
export function paceMs(): number {
  const r = spawnSync(process.execPath, ['-e', FIXED_WORK], { encoding: 'utf8' })
  return r.status === 0 ? Number(r.stdout.trim()) : NaN
}

interface CpuTicks {
  total: number
  steal: number
}

function cpuTicks(): CpuTicks | null {
  try {
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number)
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return null
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7]! }
  } catch {
    return null
  }
}

export interface MachinePace {
  /** the fixed work's median ms, before and after the measurements */
  paceMs: [number, number]
  /** percent of CPU time stolen by the hypervisor between the two, or null where unknown */
  stealPercent: number | null
}

/** Call once before the measurements; the function it returns, once after. */
export function startPace(): () => MachinePace {
  const before = paceMs()
  const ticks = cpuTicks()
  return () => {
    const after = cpuTicks()
    const span = ticks && after ? after.total - ticks.total : 0
    return {
      paceMs: [before, paceMs()],
      stealPercent: ticks && after && span > 0 ? (100 * (after.steal - ticks.steal)) / span : null,
    }
  }
}

export const describePace = (p: MachinePace) =>
  `machine pace ${p.paceMs.map((ms) => ms.toFixed(0)).join(' -> ')} ms (fixed work, lower is faster)${p.stealPercent === null ? '' : ` · CPU stolen by the host ${p.stealPercent.toFixed(1)}%`}`
