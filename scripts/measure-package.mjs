// `npm run measure:package`: the size of what electron-builder packs into the installed app: the built renderer
// and main process, package.json, and the production node_modules, as app.asar plus what `asarUnpack` leaves
// beside it (app.asar.unpacked). Electron's own runtime (about 100 MB per platform), which electron-builder adds
// around the archive, is not measured: its binary cannot be downloaded here. Nothing is built into dist/:
// the renderer and main process are built into a scratch folder under .tmp/ (removed at the end).
//   node scripts/measure-package.mjs [--from-dist] [--keep]
//     --from-dist  measure the existing dist/renderer and dist-electron/ instead of building them
//     --keep       keep the scratch folder (its app.asar can be opened with `npx @electron/asar list`)
import { createPackageWithOptions } from '@electron/asar'
import { execFileSync } from 'node:child_process'
import { cpSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { createGzip } from 'node:zlib'
import { isUnpacked, loadBuilderConfig, stageApp } from './package-files.mjs'

const { values } = parseArgs({ options: { 'from-dist': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } })
const projectDir = process.cwd()
const config = await loadBuilderConfig(projectDir)

mkdirSync('.tmp', { recursive: true })
const scratch = mkdtempSync(join(projectDir, '.tmp', 'measure-package-'))
const built = join(scratch, 'built')
const app = join(scratch, 'app')

const MB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`
const sizeOf = (files, root) => files.reduce((sum, f) => sum + statSync(join(root, f)).size, 0)

try {
  // 1. The app's own files, as `npm run build` makes them.
  if (values['from-dist']) {
    cpSync('dist/renderer', join(built, 'dist/renderer'), { recursive: true })
    cpSync('dist-electron', join(built, 'dist-electron'), { recursive: true })
  } else {
    const quiet = { stdio: ['ignore', 'ignore', 'inherit'] }
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--outDir', join(built, 'dist/renderer'), '--emptyOutDir', '--logLevel', 'warn'], quiet)
    execFileSync(process.execPath, ['scripts/build-main.mjs', '--outdir', join(built, 'dist-electron'), '--quiet'], quiet)
  }
  // package.json as electron-builder writes it into the app (extraMetadata merged in).
  const pkg = { ...JSON.parse(readFileSync('package.json', 'utf8')), ...(config.extraMetadata ?? {}) }
  writeFileSync(join(built, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)

  // 2. The files electron-builder packs: the app's, then each production package's.
  const { own, modules } = stageApp(projectDir, built, app, config)

  // 3. Packed as electron-builder packs it: one app.asar, with asarUnpack's files in app.asar.unpacked.
  const all = [...own, ...modules.flatMap((m) => m.files)]
  const unpacked = all.filter((f) => isUnpacked(f, config))
  const unpackDirs = [...new Set(unpacked.map((f) => dirname(f)))]
  const asar = join(scratch, 'app.asar')
  await createPackageWithOptions(app, asar, unpackDirs.length ? { unpackDir: unpackDirs.length === 1 ? unpackDirs[0] : `{${unpackDirs.join(',')}}` } : {})
  const asarBytes = statSync(asar).size
  const unpackedBytes = sizeOf(unpacked, app)
  const gz = await gzipSize([asar, ...unpacked.map((f) => join(scratch, 'app.asar.unpacked', f))])

  // 4. The figures.
  const group = (prefix) => sizeOf(own.filter((f) => f.startsWith(prefix)), built)
  const renderer = group('dist/renderer/')
  const main = group('dist-electron/')
  const byPackage = modules
    .map((m) => ({ name: m.dir.replace(/^node_modules\//, '').replace(/\/node_modules\//g, ' > '), bytes: sizeOf(m.files, projectDir), files: m.files.length }))
    .sort((a, b) => b.bytes - a.bytes)
  const modulesBytes = byPackage.reduce((s, p) => s + p.bytes, 0)
  const line = (label, bytes, note = '') => console.log(`  ${label.padEnd(44)} ${MB(bytes).padStart(9)}${note ? `  ${note}` : ''}`)

  console.log(`\nWhat electron-builder packs into the app (measured ${new Date().toISOString().slice(0, 10)}, ${values['from-dist'] ? 'dist/ as it is' : 'built from the sources now'}, no .map files):`)
  line('renderer (dist/renderer)', renderer, `${own.filter((f) => f.startsWith('dist/renderer/')).length} files`)
  line('main process (dist-electron)', main, `${own.filter((f) => f.startsWith('dist-electron/')).length} files`)
  line('package.json', statSync(join(built, 'package.json')).size)
  line(`production node_modules (${modules.length} packages)`, modulesBytes, `${modules.reduce((s, m) => s + m.files.length, 0)} files`)
  for (const p of byPackage.slice(0, 8)) line(`    ${p.name}`, p.bytes, `${p.files} files`)
  console.log('')
  line('app.asar', asarBytes)
  line(`app.asar.unpacked (asarUnpack: ${[config.asarUnpack ?? []].flat().join(', ')})`, unpackedBytes, `${unpacked.length} files`)
  line('total on disk', asarBytes + unpackedBytes)
  line('the same, gzip -9 (an indication only)', gz, 'installers compress with their own formats')
  console.log(`\nNot measured: Electron's own runtime (about 100 MB per platform), which electron-builder adds around the archive.`)
  if (values.keep) console.log(`\nKept: ${scratch}`)
} finally {
  if (!values.keep) rmSync(scratch, { recursive: true, force: true })
}

/** The gzip -9 size of some files one after the other (a rough stand-in for an installer's compression). */
async function gzipSize(files) {
  let bytes = 0
  for (const f of files) {
    const gzip = createGzip({ level: 9 })
    gzip.on('data', (chunk) => (bytes += chunk.length))
    await pipeline(createReadStream(f), gzip)
  }
  return bytes
}
