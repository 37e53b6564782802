/**
 * What the app does when a window's page dies (render-process-gone: a crash, out of memory, killed) or stops
 * answering (unresponsive). A clinician at that window must get a working screen back without losing the
 * session to whoever sits down next: the window's session is locked first, then the page is loaded again, so
 * the person continues after entering their password (their drafts are kept by the main process).
 *
 * A page that keeps dying is not reloaded for ever: after MAX_RELOADS reloads within RELOAD_PERIOD_MS the app
 * says so and stops, rather than spin (the log has each crash with its reason).
 */

export type RendererTrouble =
  /** webContents 'render-process-gone' (reason: 'crashed', 'oom', 'killed', 'launch-failed', ...). */
  | { kind: 'gone'; reason: string; exitCode: number }
  /** BrowserWindow 'unresponsive'. */
  | { kind: 'unresponsive' }
  /** UNRESPONSIVE_GRACE_MS after 'unresponsive', with no 'responsive' since. */
  | { kind: 'still-unresponsive' }
  /** BrowserWindow 'responsive' (the page answers again). */
  | { kind: 'responsive' }

export interface Recovery {
  /** Lock the window's session before anything else is done. */
  lock: boolean
  /**
   * reload: load the app's page again. end-page: end the stuck page's process (webContents.forcefullyCrashRenderer);
   * its render-process-gone then locks and reloads. wait: look again after UNRESPONSIVE_GRACE_MS (a long
   * computation may finish). give-up: tell the person and stop. none: nothing to do.
   */
  action: 'reload' | 'end-page' | 'wait' | 'give-up' | 'none'
  level: 'error' | 'warn' | 'info'
  /** For the log: what happened and what was done (ids and reasons only). */
  message: string
}

/** How long a stuck page may take to answer again before it is ended and reloaded. */
export const UNRESPONSIVE_GRACE_MS = 15_000
export const MAX_RELOADS = 3
export const RELOAD_PERIOD_MS = 5 * 60_000

/**
 * `reloadsAt`: when this window was last reloaded after trouble (epoch ms; the adapter keeps them per window).
 */
export function recoveryFor(trouble: RendererTrouble, reloadsAt: readonly number[], nowMs: number): Recovery {
  switch (trouble.kind) {
    case 'gone': {
      const what = `the window's page stopped (${trouble.reason}, exit code ${trouble.exitCode})`
      const recent = reloadsAt.filter((t) => nowMs - t < RELOAD_PERIOD_MS).length
      if (recent >= MAX_RELOADS) {
        return { lock: true, action: 'give-up', level: 'error', message: `${what}; it was reloaded ${recent} times in ${RELOAD_PERIOD_MS / 60_000} minutes, so it is not reloaded again` }
      }
      return { lock: true, action: 'reload', level: 'error', message: `${what}; the session is locked and the page reloaded` }
    }
    case 'unresponsive':
      return { lock: false, action: 'wait', level: 'warn', message: `the window's page is not responding; it is ended and reloaded if it still is not in ${UNRESPONSIVE_GRACE_MS / 1000} s` }
    case 'still-unresponsive':
      return { lock: true, action: 'end-page', level: 'error', message: `the window's page has not responded for ${UNRESPONSIVE_GRACE_MS / 1000} s more; the session is locked and the page ended, to be reloaded` }
    case 'responsive':
      return { lock: false, action: 'none', level: 'info', message: "the window's page responds again" }
  }
}
