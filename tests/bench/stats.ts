/** Timing helpers for the benchmark script: run an operation many times and summarise. */
export interface Timing {
  name: string
  n: number
  p50: number
  p95: number
  /** the slow tail p95 hides (a record that opens slowly one time in a hundred) */
  p99: number
  max: number
  mean: number
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, i)]!
}

export async function measure(name: string, inputs: unknown[], op: (input: any) => unknown, warmup = 20): Promise<Timing> {
  return (await measureSideBySide(inputs, { [name]: op }, { warmup }))[name]!
}

export const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1))

/**
 * The same inputs through several implementations (one per engine), interleaved: a chunk of inputs on one, the
 * same chunk on the next, and so on, the order turning each chunk. On a shared machine whose speed changes by
 * half from one minute to the next, measuring one engine after the other compares two different machines;
 * interleaved, both see the same one and their ratio holds still. Chunks are not single calls because garbage
 * crosses over: V8 collects the young generation in idle time, which is while a PostgreSQL call waits for the
 * server, so PostgreSQL's calls paid for SQLite's garbage (in chunks of 10, its list p95 at 2 000 patients was
 * 1.9 ms; collecting between chunks, `between`, 1.3 ms). In chunks of 50 that happens at one call in 50.
 */
export async function measureSideBySide<K extends string>(
  inputs: unknown[],
  ops: Record<K, (input: any) => unknown>,
  { chunk = 50, warmup = 20, between }: { chunk?: number; warmup?: number; between?: () => void } = {},
): Promise<Record<K, Timing>> {
  const keys = Object.keys(ops) as K[]
  for (const k of keys) for (let i = 0; i < Math.min(warmup, inputs.length); i++) await ops[k](inputs[i])
  const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>
  for (let start = 0, turn = 0; start < inputs.length; start += chunk, turn++) {
    const slice = inputs.slice(start, start + chunk)
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(j + turn) % keys.length]!
      between?.()
      for (const input of slice) {
        const t0 = process.hrtime.bigint()
        await ops[k](input)
        times[k].push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
    }
  }
  return Object.fromEntries(keys.map((k) => [k, summarise(k, times[k])])) as Record<K, Timing>
}

function summarise(name: string, times: number[]): Timing {
  times.sort((a, b) => a - b)
  return { name, n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times.at(-1) ?? NaN, mean: times.reduce((a, b) => a + b, 0) / times.length }
}
