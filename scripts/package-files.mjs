// What electron-builder puts into the app's archive (app.asar and what asarUnpack leaves beside it), worked out
// without Electron's binary, which cannot be downloaded here: electron-builder.yml read and checked by
// electron-builder's own loader and schema, its `files` patterns applied with its matching rules (minimatch,
// dot files included, the last matching pattern deciding), and to node_modules the production packages
// (`npm ls --omit=dev`) with electron-builder 26's default exclusions (app-builder-lib: fileMatcher.js and
// util/NodeModuleCopyHelper.js). scripts/measure-package.mjs measures it; tests/integration/runtime-dependencies.test.ts
// checks with it that the files the app reads at run time are packed.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'

// electron-builder's own modules, resolved from where electron-builder is installed (app-builder-lib is its
// engine): its configuration loader and validator (what `electron-builder --config electron-builder.yml`
// calls), its default exclusions, and the minimatch it matches `files` patterns with.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'))
const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'))
const builderConfig = fromLib('./out/util/config/config.js')
const { excludedNames, excludedExts } = fromLib('./out/fileMatcher.js')
const { DebugLogger } = fromLib('builder-util')
const { Minimatch } = fromLib('minimatch')

/** electron-builder.yml as electron-builder reads it; throws electron-builder's message if it is not valid. */
export async function loadBuilderConfig(projectDir = process.cwd(), file = 'electron-builder.yml') {
  const config = await builderConfig.getConfig(projectDir, join(projectDir, file), null)
  await validateBuilderConfig(config)
  return config
}

/** electron-builder's schema check of a configuration (throws its "Invalid configuration object" message). */
export async function validateBuilderConfig(config) {
  await builderConfig.validateConfiguration(config, new DebugLogger(false))
}

const OPTIONS = { dot: true }
const toPatterns = (list) => list.map((p) => new Minimatch(p.replace(/^\.\//, ''), OPTIONS))

/** electron-builder's minimatchAll: patterns in order; a match is only undone by a later negation and back. */
function matchAll(path, patterns, isDirectory) {
  let match = false
  for (const p of patterns) {
    if (match !== p.negate) continue
    match = p.match(path, isDirectory && !p.negate)
  }
  return match
}

const excludedNameSet = new Set(excludedNames.split(','))
const DEFAULT_APP_EXCLUSIONS = [
  '!**/node_modules/**',
  `!**/*.{${excludedExts},pdb}`,
  '!**/._*',
  '!**/electron-builder.{yaml,yml,json,json5,toml,ts}',
  `!**/{${excludedNames}}`,
]

/**
 * The `files` patterns as strings: electron-builder's loader turns the YAML list into a file set
 * ({ filter: [...] }); a set copied from another folder (`from`) is not the app's own files.
 */
function filePatterns(config) {
  return [config.files ?? []].flat().flatMap((p) => (typeof p === 'string' ? [p] : p.from == null || p.from === '.' ? [p.filter ?? []].flat() : []))
}

/** The `files` patterns for the app's own files, as getMainFileMatchers completes them. */
function appPatterns(config) {
  const user = filePatterns(config)
  if (!user.includes('package.json')) user.push('package.json')
  const { buildResources = 'build', output = 'dist' } = config.directories ?? {}
  return toPatterns([DEFAULT_APP_EXCLUSIONS[0], `!${buildResources}{,/**/*}`, `!${output}{,/**/*}`, ...user, ...DEFAULT_APP_EXCLUSIONS.slice(1)])
}

/** The patterns applied to node_modules: "**\/*" then only the exclusions of `files` (getNodeModuleFileMatcher). */
function nodeModulePatterns(config) {
  const excludes = filePatterns(config).filter((p) => p.startsWith('!'))
  return toPatterns(['**/*', ...excludes])
}

/** Files under `dir` (relative to `root`, with / separators) that `keep(rel, isDirectory)` lets through. */
function walk(root, dir, keep, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name)
    const stat = lstatSync(abs)
    const rel = relative(root, abs).split(sep).join('/')
    if (!keep(rel, stat.isDirectory(), name, dir)) continue
    if (stat.isDirectory()) walk(root, abs, keep, out)
    else out.push(rel)
  }
  return out
}

/** The app's own files in `appDir` (the built renderer and main process, package.json) that go into the archive. */
export function appFiles(appDir, config) {
  const patterns = appPatterns(config)
  return walk(appDir, appDir, (rel, isDir) => rel !== 'node_modules' && !rel.startsWith('.git') && matchAll(rel, patterns, isDir))
}

/**
 * The production packages' folders, relative to `projectDir` (node_modules/x, node_modules/x/node_modules/y):
 * every package-lock.json entry that `npm install --omit=dev` installs (not `dev`; an `optional` or
 * `devOptional` one where it is installed, as a platform's optional binary may not be). The same set as
 * `npm ls --omit=dev`, which electron-builder asks, read from the lockfile in milliseconds instead of seconds.
 */
export function productionModuleDirs(projectDir = process.cwd()) {
  const lock = JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8'))
  const dirs = []
  for (const [dir, entry] of Object.entries(lock.packages ?? {})) {
    if (!dir.startsWith('node_modules/') || entry.dev) continue
    const installed = existsSync(join(projectDir, dir, 'package.json'))
    if (!installed && !(entry.optional || entry.devOptional)) throw new Error(`${dir} (a production package in package-lock.json) is not installed: npm install`)
    if (installed) dirs.push(dir)
  }
  return dirs.sort()
}

// NodeModuleCopyHelper's defaults: names left out anywhere in a package, and at a package's top level only.
const MODULE_EXCLUDED_NAMES = new Set(['.DS_Store', 'node_modules', 'CHANGELOG.md', 'ChangeLog', 'changelog.md', 'Changelog.md', 'Changelog', 'binding.gyp', '.npmignore', 'node_gyp_bins', ...excludedNameSet])
const MODULE_TOP_LEVEL_EXCLUDED = new Set(['karma.conf.js', '.coveralls.yml', 'README.md', 'readme.markdown', 'README', 'readme.md', 'Readme.md', 'Readme', 'readme', 'test', 'tests', '__tests__', 'powered-test', 'example', 'examples', '.bin'])
const MODULE_EXCLUDED_EXTS = ['.o', '.obj', ...excludedExts.split(',').map((e) => `.${e}`), '.pdb']

/** A production package's files that electron-builder packs (a nested node_modules is its own package). */
export function moduleFiles(projectDir, moduleDir, config) {
  const patterns = nodeModulePatterns(config)
  const top = join(projectDir, moduleDir)
  return walk(projectDir, top, (rel, isDir, name, parent) => {
    if (MODULE_EXCLUDED_NAMES.has(name) || name.startsWith('._')) return false
    if (MODULE_EXCLUDED_EXTS.some((ext) => name.endsWith(ext))) return false
    if (parent === top && MODULE_TOP_LEVEL_EXCLUDED.has(name)) return false
    if (parent.endsWith('build') && (name === 'gyp-mac-tool' || name === 'Makefile' || name.endsWith('.mk') || name.endsWith('.gypi') || name.endsWith('.Makefile'))) return false
    if (parent.endsWith('Release') && (name === '.deps' || name === 'obj.target')) return false
    return matchAll(rel, patterns, isDir)
  })
}

/** Whether a node_modules file (path relative to the app, e.g. node_modules/x/y.ttf) survives the `files` exclusions. */
export function isNodeModuleFilePacked(rel, config) {
  return matchAll(rel, nodeModulePatterns(config), false)
}

/** Whether a path in the archive is left outside it by `asarUnpack`. */
export function isUnpacked(rel, config) {
  const patterns = [config.asarUnpack ?? []].flat().map((p) => new Minimatch(p, OPTIONS))
  return patterns.some((p) => p.match(rel))
}

/**
 * Copies into `destDir` what electron-builder would put into the archive: the app's own files from `builtDir`
 * (dist/renderer, dist-electron, package.json as built) and the production packages' files from `projectDir`.
 */
export function stageApp(projectDir, builtDir, destDir, config) {
  const own = appFiles(builtDir, config)
  const modules = productionModuleDirs(projectDir).map((dir) => ({ dir, files: moduleFiles(projectDir, dir, config) }))
  const copy = (from, to) => {
    mkdirSync(dirname(to), { recursive: true })
    copyFileSync(from, to)
  }
  for (const f of own) copy(join(builtDir, f), join(destDir, f))
  for (const m of modules) for (const f of m.files) copy(join(projectDir, f), join(destDir, f))
  return { own, modules }
}
