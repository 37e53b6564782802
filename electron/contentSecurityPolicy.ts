/**
 * The renderer's Content-Security-Policy, in a module of its own because two hosts serve the same pages: the
 * Electron window (main.ts, through security.ts) and the development bridge (bridge/server.ts). The packaged
 * shell must not import the bridge to learn it, and neither may drift from the other.
 */

/** Only our own scripts; Mantine needs inline styles. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  // the discharge summary's PDF is shown in an <iframe> from a Blob URL the screen makes of the bytes
  "frame-src blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
