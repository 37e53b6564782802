import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { stopOnSignals } from '../../electron/stopOnSignals'

/** A process of ours stopped by a signal ends, whatever its closing does. */
function harness(close: () => Promise<void>) {
  const handlers = new Map<string, () => void>()
  const exits: number[] = []
  const logged: string[] = []
  stopOnSignals({
    close,
    graceMs: 10_000,
    log: (m) => logged.push(m),
    on: (signal, handler) => handlers.set(signal, handler),
    exit: (code) => exits.push(code),
  })
  return { send: (s: string) => handlers.get(s)!(), exits, logged }
}

describe('stopping on SIGINT / SIGTERM', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('closes, then exits 0', async () => {
    const order: string[] = []
    const p = harness(async () => void order.push('closed'))
    p.send('SIGTERM')
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['closed'])
    expect(p.exits).toEqual([0])
  })

  it('a close that never ends is cut off after the grace period, with a line in the log', async () => {
    const p = harness(() => new Promise<void>(() => undefined))
    p.send('SIGTERM')
    await vi.advanceTimersByTimeAsync(9_999)
    expect(p.exits).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(p.exits).toEqual([1])
    expect(p.logged.join('\n')).toMatch(/closing took longer than 10 s after SIGTERM/)
  })

  it('a second signal while closing stops at once', async () => {
    const p = harness(() => new Promise<void>(() => undefined))
    p.send('SIGINT')
    p.send('SIGINT')
    expect(p.exits).toEqual([1])
    expect(p.logged).toEqual(['SIGINT again while closing: stopping now'])
  })

  it('a close that fails is logged and exits 1', async () => {
    const p = harness(() => Promise.reject(new Error('disk gone')))
    p.send('SIGINT')
    await vi.advanceTimersByTimeAsync(0)
    expect(p.exits).toEqual([1])
    expect(p.logged).toEqual(['closing after SIGINT failed'])
  })
})
