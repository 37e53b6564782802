/** Timing helpers for the benchmark script: run an operation many times and summarise. */
export interface Timing {
  name: string
  n: number
  p50: number
  p95: number
  mean: number
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, i)]!
}

export async function measure(name: string, inputs: unknown[], op: (input: any) => unknown, warmup = 20): Promise<Timing> {
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) await op(inputs[i])
  const times: number[] = []
  for (const input of inputs) {
    const t0 = process.hrtime.bigint()
    await op(input)
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { name, n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), mean: times.reduce((a, b) => a + b, 0) / times.length }
}

export const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1))
