import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { allowNavigation, CONTENT_SECURITY_POLICY, isTrustedSender, WEB_PREFERENCES } from '../../electron/security'

const APP = 'file:///opt/Spine%20Clinic/resources/app.asar/dist/renderer/index.html'

describe('Electron window hardening', () => {
  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false })
  })

  it('the window in electron/main.ts is created with exactly these preferences', () => {
    const main = readFileSync(new URL('../../electron/main.ts', import.meta.url), 'utf8')
    const block = /webPreferences: \{([^}]*)\}/.exec(main)![1]!
    for (const [key, value] of Object.entries(WEB_PREFERENCES)) {
      expect(block, key).toMatch(new RegExp(`\\b${key}: ${typeof value === 'string' ? `'${value}'` : String(value)},`))
    }
  })

  it('allows only its own scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    // frames only for Blob URLs the app made (the PDF view), never another page
    expect(CONTENT_SECURITY_POLICY).toContain('frame-src blob:')
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/frame-src[^;]*(http|\*|'self')/)
  })

  it('the page declares the same policy as the server and the window send (less frame-ancestors, which a <meta> cannot carry)', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''))
  })

  it('refuses navigation away from the app but allows its own hash routes', () => {
    expect(allowNavigation(`${APP}#/patients/3`, APP)).toBe(true)
    expect(allowNavigation('https://example.org/', APP)).toBe(false)
    expect(allowNavigation('file:///etc/passwd', APP)).toBe(false)
    expect(allowNavigation('not a url', APP)).toBe(false)
  })

  it('answers IPC only from the top-level frame of the app', () => {
    expect(isTrustedSender({ url: `${APP}#/users`, parent: null }, APP)).toBe(true)
    expect(isTrustedSender({ url: APP, parent: {} }, APP)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, APP)).toBe(false)
    expect(isTrustedSender(null, APP)).toBe(false)
  })
})
