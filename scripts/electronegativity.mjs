// Runs electronegativity over the main process and fails on any finding above informational. The tool
// always exits 0, so this reads its SARIF report: "warning" results are findings, "note" results are
// items it asks a person to review (informational), which are listed but do not fail the run.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const report = '.tmp/electronegativity.sarif'
mkdirSync('.tmp', { recursive: true })
rmSync(report, { force: true })
const r = spawnSync('npx', ['electronegativity', '-i', 'electron', '-e', electronVersion, '-o', report, '-v', 'false'], { encoding: 'utf8' })
let sarif
try {
  sarif = JSON.parse(readFileSync(report, 'utf8'))
} catch {
  console.error(`electronegativity wrote no report:\n${r.stdout}\n${r.stderr}`)
  process.exit(1)
}
const results = sarif.runs.flatMap((run) => run.results)
const where = (x) => `${x.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.replace(process.cwd() + '/', '') ?? '?'}:${x.locations?.[0]?.physicalLocation?.region?.startLine ?? '?'}`
const findings = results.filter((x) => x.level === 'warning' || x.level === 'error')
for (const x of results.filter((x) => x.level === 'note')) console.log(`review  ${x.ruleId} ${where(x)}: ${x.message.text}`)
for (const x of findings) console.log(`FINDING ${x.ruleId} ${where(x)}: ${x.message.text}`)
console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} finding(s) above informational, ${results.length - findings.length} to review`)
process.exit(findings.length > 0 ? 1 : 0)
