import { describe, expect, it } from 'vitest'
import { desktopEnv } from '../../electron/desktop/devSwitches'
import { LOCKING_POWER_EVENTS, lockReasonFor } from '../../electron/desktop/powerLock'
import { MAX_RELOADS, RELOAD_PERIOD_MS, recoveryFor, UNRESPONSIVE_GRACE_MS } from '../../electron/desktop/rendererRecovery'

describe('the OS locks the app', () => {
  it('locks on a locked screen, sleep and a switch of user, each with its reason', () => {
    expect(lockReasonFor('lock-screen')).toBe('screen-locked')
    expect(lockReasonFor('suspend')).toBe('sleep')
    expect(lockReasonFor('user-did-resign-active')).toBe('user-switched')
    expect(LOCKING_POWER_EVENTS.slice().sort()).toEqual(['lock-screen', 'suspend', 'user-did-resign-active'])
  })

  it('locks nothing on waking, unlocking or a change of power', () => {
    for (const event of ['unlock-screen', 'resume', 'user-did-become-active', 'on-ac', 'on-battery', 'shutdown', 'thermal-state-change', 'toString', '__proto__']) {
      expect(lockReasonFor(event), event).toBeNull()
    }
  })
})

describe('a window whose page crashes or hangs', () => {
  const now = 1_000_000_000

  it('a crash locks the session first, then reloads the page', () => {
    expect(recoveryFor({ kind: 'gone', reason: 'crashed', exitCode: 139 }, [], now)).toMatchObject({ lock: true, action: 'reload', level: 'error' })
    expect(recoveryFor({ kind: 'gone', reason: 'oom', exitCode: 0 }, [], now).message).toContain('oom')
  })

  it('stops reloading a page that keeps dying', () => {
    const recent = Array.from({ length: MAX_RELOADS }, (_, i) => now - i * 1000)
    expect(recoveryFor({ kind: 'gone', reason: 'crashed', exitCode: 1 }, recent, now)).toMatchObject({ lock: true, action: 'give-up' })
    // older reloads do not count
    const old = recent.map((t) => t - RELOAD_PERIOD_MS)
    expect(recoveryFor({ kind: 'gone', reason: 'crashed', exitCode: 1 }, old, now).action).toBe('reload')
  })

  it('a hang gets a grace period; still stuck, the session locks and the page is ended (and so reloaded); answering again ends the wait', () => {
    expect(recoveryFor({ kind: 'unresponsive' }, [], now)).toMatchObject({ lock: false, action: 'wait', level: 'warn' })
    expect(recoveryFor({ kind: 'unresponsive' }, [], now).message).toContain(`${UNRESPONSIVE_GRACE_MS / 1000} s`)
    expect(recoveryFor({ kind: 'still-unresponsive' }, [], now)).toMatchObject({ lock: true, action: 'end-page' })
    expect(recoveryFor({ kind: 'responsive' }, [], now)).toMatchObject({ lock: false, action: 'none' })
  })
})

describe('development switches', () => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/home/ada',
    CLINIC_DB_URL: 'postgres://clinic@db/clinic',
    CLINIC_DB_FILE: '/srv/clinic.sqlite',
    CLINIC_SQLITE_NATIVE_BINDING: '/tmp/evil.node',
    CLINIC_CONFIG_DIR: '/tmp/elsewhere',
    CLINIC_BRIDGE_KEY: 'k',
    CLINIC_SOMETHING_NEW: '1',
  }

  it('an unpackaged build honours every setting', () => {
    expect(desktopEnv(env, false)).toEqual({ env, ignored: [] })
  })

  it('the installed app keeps the deployment settings and drops every other CLINIC_ variable', () => {
    const { env: kept, ignored } = desktopEnv(env, true)
    expect(kept).toEqual({ PATH: '/usr/bin', HOME: '/home/ada', CLINIC_DB_URL: 'postgres://clinic@db/clinic', CLINIC_DB_FILE: '/srv/clinic.sqlite' })
    expect(ignored).toEqual(['CLINIC_BRIDGE_KEY', 'CLINIC_CONFIG_DIR', 'CLINIC_SOMETHING_NEW', 'CLINIC_SQLITE_NATIVE_BINDING'])
  })
})
