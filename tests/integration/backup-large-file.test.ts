/**
 * A twenty-year clinic file passes 2 GB (the 100k-patient synthetic clinic is 2.3 GB). Migrating it backs it
 * up first and checks the copy by its SHA-256, which once read the whole file into one Buffer and failed
 * with ERR_FS_FILE_TOO_LARGE. A sparse 2.1 GB file (no disk used) is hashed here and checked with sha256sum.
 */
import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { sha256File } from '../../electron/services/backupFiles'

it('hashes a file larger than 2 GB, as sha256sum does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-large-'))
  try {
    const file = join(dir, 'large.sqlite')
    const fd = openSync(file, 'w')
    writeSync(fd, 'SQLite format 3\0')
    writeSync(fd, 'the end', 2.1 * 1024 ** 3) // a hole up to here
    closeSync(fd)
    const expected = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]
    expect(sha256File(file)).toBe(expected)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}, 60_000)
