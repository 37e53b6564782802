/**
 * Checks the router makes on every input before its schema sees it, whatever the channel.
 *
 * A NUL character (U+0000) is refused in any string: PostgreSQL cannot store it in text (the write would
 * fail as an internal error) and no form has a use for it. The walk is iterative and bounded, so a cyclic
 * or absurdly large input is refused instead of exhausting the stack.
 */
const MAX_NODES = 100_000

export type GuardResult = { ok: true } | { ok: false; field: string; message: string }

export function checkInputStrings(input: unknown): GuardResult {
  const stack: [unknown, string][] = [[input, '']]
  const seen = new Set<object>()
  let nodes = 0
  while (stack.length > 0) {
    const [value, path] = stack.pop()!
    if (++nodes > MAX_NODES) return { ok: false, field: 'input', message: 'is too large' }
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { ok: false, field: path || 'input', message: 'must not contain a NUL character' }
      continue
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) continue
    seen.add(value)
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], path ? `${path}.${i}` : String(i)])
    } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
      for (const key of Object.keys(value)) stack.push([(value as Record<string, unknown>)[key], path ? `${path}.${key}` : key])
    }
  }
  return { ok: true }
}
