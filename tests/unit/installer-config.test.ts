/**
 * The installer configuration, checked without building an installer (Electron's binary and electron-builder's
 * tools cannot be downloaded here): electron-builder.yml against electron-builder 26's own schema, no secret
 * in it, updates left to the clinic's deployment, and icons made from build/icon.svg and up to date with it.
 */
import { Resvg } from '@resvg/resvg-js'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadBuilderConfig, validateBuilderConfig, type BuilderConfig } from '../../scripts/package-files.mjs'

let config: BuilderConfig
beforeAll(async () => {
  config = await loadBuilderConfig()
})

type Section = Record<string, unknown>
const section = (name: string) => config[name] as Section

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema, also as `npm run dist:signed` sets it, and a wrong option is refused", async () => {
    await expect(validateBuilderConfig({ ...config, forceCodeSigning: true })).resolves.toBeUndefined()
    // electron-builder 24's notarize object is a boolean in 26: the validator must be the live one.
    await expect(validateBuilderConfig({ ...config, mac: { ...section('mac'), notarize: { teamId: 'X' } } })).rejects.toThrow(/mac\.notarize/)
  })

  it('holds no certificate, password or Apple credential: they come from the environment', () => {
    const text = readFileSync('electron-builder.yml', 'utf8')
    for (const key of ['cscLink', 'cscKeyPassword', 'certificateFile', 'certificatePassword', 'cscInstallerLink', 'appleId', 'APPLE_APP_SPECIFIC_PASSWORD:']) {
      expect(text.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n'), key).not.toContain(key)
    }
    expect(section('mac')).toMatchObject({ hardenedRuntime: true, notarize: true })
    expect(section('win').signtoolOptions).toMatchObject({ signingHashAlgorithms: ['sha256'] })
  })

  it('installs per machine, keeps the clinic data on uninstall, upgrades MSIs in place, and builds in no self-updater', () => {
    expect(config.publish).toBeNull()
    expect(section('nsis')).toMatchObject({ perMachine: true, deleteAppDataOnUninstall: false })
    expect(section('msi')).toMatchObject({ perMachine: true, upgradeCode: '388C3459-77EA-5434-889D-30833CB0A6E8' })
    expect(section('win').target).toEqual(['nsis', 'msi'])
  })
})

/** Width and height of a PNG (its IHDR chunk). */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]
}

describe('the icons in build/', () => {
  it('build/icon.png is build/icon.svg rendered at 1024 px as it is now (`npm run icons` after an edit)', () => {
    const committed = readFileSync('build/icon.png')
    expect(pngSize(committed)).toEqual([1024, 1024])
    const fresh = new Resvg(readFileSync('build/icon.svg'), { fitTo: { mode: 'width', value: 1024 }, font: { loadSystemFonts: false } }).render().asPng()
    expect(Buffer.compare(committed, fresh), 'build/icon.png is older than build/icon.svg: run npm run icons').toBe(0)
  })

  it('Linux gets every desktop size, Windows an .ico with 16 to 256 px, macOS an .icns up to 1024 px', () => {
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(pngSize(readFileSync(join('build', 'icons', `${size}x${size}.png`)))).toEqual([size, size])
    const ico = readFileSync('build/icon.ico')
    expect(ico.readUInt16LE(2)).toBe(1) // an icon, not a cursor
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256)
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 256]))
    const icns = readFileSync('build/icon.icns')
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns')
    const types: string[] = []
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.subarray(at, at + 4).toString('latin1'))
    expect(types).toEqual(expect.arrayContaining(['ic10', 'ic09', 'ic08', 'ic07'])) // 1024, 512, 256, 128 px
  })

  it('are where electron-builder looks for them', () => {
    const resources = (config.directories?.buildResources ?? 'build') as string
    expect(resources).toBe('build')
    expect(section('linux').icon).toBe('icons')
    for (const f of ['icon.png', 'icon.ico', 'icon.icns']) expect(existsSync(join(resources, f)), f).toBe(true)
  })
})
