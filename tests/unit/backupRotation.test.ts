import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  backupFileName,
  backupsToDelete,
  DEFAULT_ROTATION,
  isoWeek,
  lastDueInstant,
  localDate,
  parseBackupFileName,
  BACKUP_KINDS,
} from '../../electron/services/backupRotation'
import { defaultDatabaseFile, userDataDir } from '../../electron/paths'

const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
const zone = fc.constantFrom('UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham')

function clock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)
}

describe('backup file names', () => {
  it('round-trip the time and kind, and sort by age', () => {
    fc.assert(
      fc.property(instant, instant, fc.constantFrom(...BACKUP_KINDS), (a, b, kind) => {
        expect(parseBackupFileName(backupFileName(a, kind))).toEqual({ at: a, kind })
        if (a < b) expect(backupFileName(a, kind) < backupFileName(b, kind)).toBe(true)
      }),
    )
    expect(backupFileName(new Date('2026-11-30T19:00:00.123Z'), 'daily')).toBe('clinic-2026-11-30T19-00-00-123Z-daily.sqlite')
  })

  it('ignore files that are not backups', () => {
    for (const name of ['clinic.sqlite', 'clinic-2026-11-30T19-00-00-123Z-daily.sqlite.partial-ab12', 'notes.txt', 'clinic-2026-13-30T19-00-00-123Z-daily.sqlite']) {
      expect(parseBackupFileName(name), name).toBeNull()
    }
  })
})

describe('rotation: 7 daily, 4 weekly, 12 monthly', () => {
  const backupsArb = fc.uniqueArray(instant, { minLength: 1, maxLength: 80, selector: (d) => d.getTime() }).map((ds) => ds.map((at, i) => ({ name: `b${i}`, at })))

  it('keeps the newest, never more than 23, one per recent day, and is stable when run again', () => {
    fc.assert(
      fc.property(backupsArb, zone, (backups, tz) => {
        const doomed = backupsToDelete(backups, DEFAULT_ROTATION, tz)
        const kept = backups.filter((b) => !doomed.includes(b))
        const newest = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime())[0]!
        expect(kept).toContain(newest)
        expect(kept.length).toBeLessThanOrEqual(7 + 4 + 12)
        const days = [...new Set(backups.map((b) => localDate(b.at, tz)))].sort().reverse().slice(0, 7)
        for (const d of days) expect(kept.some((b) => localDate(b.at, tz) === d), d).toBe(true)
        expect(backupsToDelete(kept, DEFAULT_ROTATION, tz)).toEqual([])
      }),
    )
  })

  it('after two years of nightly backups, goes back a year with 7 + 4 + 12 files', () => {
    const tz = 'America/New_York'
    let folder: { name: string; at: Date }[] = []
    for (let day = 0; day < 730; day++) {
      const at = new Date(Date.UTC(2025, 0, 1 + day, 0, 0)) // 19:00 or 20:00 in New York, the day before
      folder.push({ name: backupFileName(at, 'daily'), at })
      const doomed = new Set(backupsToDelete(folder, DEFAULT_ROTATION, tz))
      folder = folder.filter((b) => !doomed.has(b))
    }
    const newest = folder.at(-1)!.at.getTime()
    const ages = folder.map((b) => Math.round((newest - b.at.getTime()) / 86_400_000))
    expect(ages.slice(-7)).toEqual([6, 5, 4, 3, 2, 1, 0])
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(330)
    expect(folder.length).toBeLessThanOrEqual(23)
    expect(new Set(folder.map((b) => localDate(b.at, tz).slice(0, 7))).size).toBe(12)
  })

  it('numbers ISO weeks as the calendar does', () => {
    expect(isoWeek('2026-11-30')).toBe('2026-W49')
    expect(isoWeek('2027-01-01')).toBe('2026-W53')
    expect(isoWeek('2024-12-30')).toBe('2025-W01')
  })
})

describe('when the daily backup is due', () => {
  it('is the last time the clinic clock showed the backup time, within a day', () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (now, tz, h, m) => {
        const hhmm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
        const due = lastDueInstant(now, hhmm, tz)
        expect(due.getTime()).toBeLessThanOrEqual(now.getTime())
        expect(now.getTime() - due.getTime()).toBeLessThan(26 * 3_600_000)
        // Outside a daylight-saving gap the clinic's clock reads exactly the backup time then.
        const shown = clock(due, tz)
        if (shown !== hhmm) expect(Math.abs(due.getTime() - lastDueInstant(new Date(due.getTime() + 3_600_000), hhmm, tz).getTime())).toBeLessThanOrEqual(3_600_000)
      }),
    )
  })

  it('follows daylight saving time in the clinic time zone', () => {
    expect(lastDueInstant(new Date('2026-07-01T23:30:00Z'), '19:00', 'America/New_York').toISOString()).toBe('2026-07-01T23:00:00.000Z')
    // 18:30 in New York on 1 December: yesterday's 19:00 EST.
    expect(lastDueInstant(new Date('2026-12-01T23:30:00Z'), '19:00', 'America/New_York').toISOString()).toBe('2026-12-01T00:00:00.000Z')
    expect(lastDueInstant(new Date('2026-12-02T00:00:00Z'), '19:00', 'America/New_York').toISOString()).toBe('2026-12-02T00:00:00.000Z')
  })
})

describe('the database file when --db is not given', () => {
  it('is where Electron keeps userData for "Spine Clinic"', () => {
    expect(defaultDatabaseFile({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe('/cfg/Spine Clinic/clinic.sqlite')
    expect(defaultDatabaseFile({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Spine Clinic/clinic.sqlite')
    expect(defaultDatabaseFile({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Spine Clinic/clinic.sqlite')
    expect(defaultDatabaseFile({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Spine Clinic\\clinic.sqlite')
    expect(userDataDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Spine Clinic')
  })
})
