/**
 * package.json's `dependencies` are what electron-builder packs into the installed app, so they must be exactly
 * the packages the app reads from node_modules at run time (scripts/runtime-packages.mjs): a package Vite or
 * esbuild bundles would only make the installer bigger, and a runtime package missing from them would crash the
 * installed app at start ("Cannot find module"), which no test running from the project folder would notice.
 * The bundles checked are the ones this run built (tests/setup/buildBundle.ts), as they ship.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { isNodeModuleFilePacked, loadBuilderConfig, moduleFiles, productionModuleDirs, stageApp, type BuilderConfig } from '../../scripts/package-files.mjs'
import { OPTIONAL_EXTERNALS, RUNTIME_ASSET_PACKAGES, RUNTIME_EXTERNALS } from '../../scripts/runtime-packages.mjs'

const bundleDir = inject('bundleDir')
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> }
const dependencies = Object.keys(pkg.dependencies).sort()
const required = RUNTIME_EXTERNALS.filter((p) => !OPTIONAL_EXTERNALS.includes(p))
/**
 * The font files the PDFs read (electron/services/pdfFonts.ts). Imported by a computed path while that module
 * is new work that may not be in this checkout yet (a static import would fail the typecheck there); the
 * font tests say so and skip when it is missing.
 */
const FONTS_MODULE = join(process.cwd(), 'electron', 'services', 'pdfFonts.ts')
const fontsReason = existsSync(FONTS_MODULE) ? '' : 'electron/services/pdfFonts.ts (the PDF fonts) is not in this checkout'
let fontFiles: string[] = []
beforeAll(async () => {
  if (fontsReason) return
  const { FONT_FILES } = (await import(FONTS_MODULE)) as { FONT_FILES: Record<string, Record<string, string>> }
  fontFiles = Object.values(FONT_FILES).flatMap((weights) => Object.values(weights))
})
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function node(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    // NODE_PATH cleared: a package must be found in the staged app, never elsewhere on this machine.
    execFile(process.execPath, args, { cwd, env: { ...process.env, NODE_PATH: '' }, timeout: 60_000 }, (error, out, err) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }),
    )
  })
}

/** The package a require() specifier names: `pg`, `@scope/name`, `pdfkit` of `pdfkit/js/x`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

/** Every bare package a built bundle loads at run time, with the bundles that load it. */
function bundleRequires(): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const file of readdirSync(bundleDir).filter((f) => f.endsWith('.cjs'))) {
    const text = readFileSync(join(bundleDir, file), 'utf8')
    for (const [, spec] of text.matchAll(/\brequire\(["']([^"']+)["']\)/g)) {
      if (spec!.startsWith('.') || isBuiltin(spec!) || spec === 'electron') continue
      const name = packageOf(spec!)
      found.set(name, [...new Set([...(found.get(name) ?? []), file])])
    }
  }
  return found
}

describe("package.json's dependencies: what the installed app loads at run time, nothing else", () => {
  it('are exactly the runtime externals of the build and the asset packages read at run time', () => {
    const expected = [...required, ...RUNTIME_ASSET_PACKAGES].sort()
    const bundled = dependencies.filter((d) => !expected.includes(d))
    expect(bundled, `bundled by Vite or esbuild, so devDependencies (or add to scripts/runtime-packages.mjs if read at run time): ${bundled.join(', ')}`).toEqual([])
    expect(dependencies).toEqual(expected)
    for (const optional of OPTIONAL_EXTERNALS) expect(dependencies).not.toContain(optional)
  })

  it('hold every package a built bundle requires, and each runtime external is required by one', () => {
    const requires = bundleRequires()
    for (const [name, files] of requires) {
      expect(RUNTIME_EXTERNALS, `${files.join(', ')} require("${name}") at run time: mark it external in scripts/runtime-packages.mjs`).toContain(name)
      expect(dependencies, `${files.join(', ')} require("${name}") at run time, so it must be in dependencies`).toContain(name)
    }
    // A stale external (no longer used, or bundled after all) would be packed for nothing.
    for (const name of required) expect([...requires.keys()], `${name} is listed as a runtime external but no bundle requires it`).toContain(name)
  })

  it('match package-lock.json, and are installed with everything they need', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string> }> }
    expect(lock.packages['']!.dependencies).toEqual(pkg.dependencies)
    const dirs = productionModuleDirs() // throws naming a production package that is not installed
    for (const name of dependencies) expect(dirs).toContain(`node_modules/${name}`)
    // Nothing the renderer bundles comes along through a runtime package's own dependencies.
    for (const bundled of ['react', 'react-dom', '@mantine/core', 'kysely', 'zod']) expect(dirs).not.toContain(`node_modules/${bundled}`)
  })
})

describe('the PDF fonts in the archive', () => {
  let config: BuilderConfig
  beforeAll(async () => {
    config = await loadBuilderConfig()
  })

  it.skipIf(fontsReason)(`keep every font file the PDFs read, and leave the other weights out${fontsReason ? ` (skipped: ${fontsReason})` : ''}`, () => {
    const read = fontFiles.map((f) => `node_modules/${f}`)
    for (const file of read) expect(isNodeModuleFilePacked(file, config), file).toBe(true)
    const packedFonts = RUNTIME_ASSET_PACKAGES.flatMap((p) => moduleFiles(process.cwd(), `node_modules/${p}`, config)).filter((f) => /\.(ttf|otf)$/.test(f))
    expect(packedFonts.sort()).toEqual(read.sort())
  })
})

describe('the app runs from exactly the files electron-builder packs (electron-builder.yml\'s exclusions applied)', () => {
  let app: string
  beforeAll(async () => {
    const config = await loadBuilderConfig()
    // Staged outside the project, so that nothing resolves from the project's own node_modules.
    const root = mkdtempSync(join(tmpdir(), 'clinic-packed-'))
    dirs.push(root)
    const built = join(root, 'built')
    mkdirSync(join(built, 'dist-electron'), { recursive: true })
    for (const f of readdirSync(bundleDir).filter((f) => f.endsWith('.cjs'))) copyFileSync(join(bundleDir, f), join(built, 'dist-electron', f))
    writeFileSync(join(built, 'package.json'), JSON.stringify({ ...pkg, ...(config.extraMetadata ?? {}) }))
    app = join(root, 'app')
    stageApp(process.cwd(), built, app, config)
  }, 60_000)

  it('the admin command line creates and seeds a clinic database (better-sqlite3 and the bundle)', async () => {
    const db = join(app, '..', 'clinic.sqlite')
    const seeded = await node([join(app, 'dist-electron', 'admin.cjs'), 'seed', '--db', db, '--patients', '3', '--no-verify'], app)
    expect(seeded.err).not.toMatch(/Cannot find module/)
    expect(seeded.code, seeded.err).toBe(0)
  })

  it('the core bundle loads, and pdfkit writes a PDF with every font the PDFs read and its own Helvetica', async () => {
    if (fontsReason) console.warn(`only Helvetica: ${fontsReason}`)
    const script = `
      const core = require('./dist-electron/core.cjs')
      if (typeof core.openClinicApp !== 'function') throw new Error('core.cjs did not load')
      for (const m of ['pdfkit', 'pg', 'better-sqlite3']) if (!require.resolve(m).startsWith(process.cwd())) throw new Error(m + ' resolved outside the app')
      const PDFDocument = require('pdfkit')
      const doc = new PDFDocument()
      const chunks = []
      doc.on('data', (c) => chunks.push(c))
      doc.on('end', () => console.log('PDF ' + Buffer.concat(chunks).length))
      doc.font('Helvetica').text('Spine Clinic')
      for (const f of ${JSON.stringify(fontFiles)}) doc.font(require.resolve(f)).text('Łukasz Wiśniewski Nguyễn Thị Mai Дмитрий 王伟')
      doc.end()`
    const run = await node(['-e', script], app)
    expect(run.err).toBe('')
    expect(run.out).toMatch(/^PDF \d{4,}/)
  })
})
