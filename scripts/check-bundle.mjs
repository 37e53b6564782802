// `node scripts/check-bundle.mjs [dist/renderer]`: after `npm run build:renderer`, prints the JavaScript the
// renderer loads before anything is shown (the entry chunk and the chunks index.html preloads) and fails when
// it grows over the budget below. Screens are lazy chunks (renderer/screens/registry.ts) and are not counted.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * The budget, gzip bytes of initial JavaScript. Why this figure: on 2026-11-29 the initial load was about
 * 174 kB gzip (React and React DOM, Mantine core, TanStack Query, the sign-in and first-run screens, the shared
 * date helpers). Sign-in is the first thing a user waits for on an old clinic PC; 10% headroom lets small
 * fixes land, while a new eager import of a screen, a chart library or the schedule (each 40+ kB) fails here
 * and has to be made lazy instead. Raise it only with a reason written here.
 */
const BUDGET_GZIP = 195_000

const dir = process.argv[2] ?? 'dist/renderer'
let html
try {
  html = readFileSync(join(dir, 'index.html'), 'utf8')
} catch {
  console.error(`check-bundle: ${dir}/index.html not found; run \`npm run build:renderer\` first.`)
  process.exit(2)
}
const entry = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\.?\/?([^"]+\.js)"/g)].map((m) => m[1])
const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\.?\/?([^"]+\.js)"/g)].map((m) => m[1])
const initial = [...new Set([...entry, ...preloads])]
if (initial.length === 0) {
  console.error('check-bundle: no entry script found in index.html')
  process.exit(2)
}

const size = (file) => {
  const buf = readFileSync(join(dir, file))
  return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
}
const rows = initial.map(size)
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 })
const lazyJs = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`))
const lazyBytes = lazyJs.reduce((a, f) => a + statSync(join(dir, 'assets', f)).size, 0)

const kb = (n) => `${(n / 1000).toFixed(1).padStart(7)} kB`
console.log('Initial JavaScript (loaded before the first screen):')
for (const r of rows.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${r.file.padEnd(44)} ${kb(r.raw)}  gzip ${kb(r.gzip)}`)
console.log(`  ${'total'.padEnd(44)} ${kb(total.raw)}  gzip ${kb(total.gzip)}   budget gzip ${kb(BUDGET_GZIP)}`)
console.log(`Lazy chunks: ${lazyJs.length} files, ${kb(lazyBytes)} (screens load on first use)`)
if (total.gzip > BUDGET_GZIP) {
  console.error(`\nThe initial JavaScript is ${kb(total.gzip)} gzip, over the budget of ${kb(BUDGET_GZIP)}. Load the new code lazily (renderer/screens/registry.ts) or, with a reason, raise BUDGET_GZIP in scripts/check-bundle.mjs.`)
  process.exit(1)
}
console.log('Within budget.')
