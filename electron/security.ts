/**
 * The Electron security settings, as plain data and pure functions so that tests can check every
 * item of Electron's security checklist without starting Electron.
 */
export { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy'

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: true,
  // A middle click must not open a link in a new window.
  disableBlinkFeatures: 'Auxclick',
} as const

/** The only page the app ever shows: the built renderer's index.html. */
export function isAppUrl(url: string, appIndexUrl: string): boolean {
  try {
    const u = new URL(url)
    const app = new URL(appIndexUrl)
    return u.protocol === app.protocol && u.host === app.host && u.pathname === app.pathname
  } catch {
    return false
  }
}

/** IPC is answered only for the app's own top-level frame, never for an iframe or another page. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined, appIndexUrl: string): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url, appIndexUrl)
}

/** Navigation away from the app (a dropped file, a link) is refused; moving within the app's hash routes is fine. */
export function allowNavigation(url: string, appIndexUrl: string): boolean {
  return isAppUrl(url, appIndexUrl)
}
