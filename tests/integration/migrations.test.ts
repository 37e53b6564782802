import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterEach, expect, it } from 'vitest'
import { openDatabase } from '../../electron/db/connect'
import { appliedMigrations, DatabaseTooNewError, migrateToLatest } from '../../electron/db/migrate'
import { MIGRATIONS } from '../../migrations'
import { describeEachEngine, openTestDatabase } from './harness'

const execFileAsync = promisify(execFile)

describeEachEngine('migrations on %s', (engine) => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c()
    cleanup.length = 0
  })

  async function freshTarget() {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-migrate-'))
    const db = await openTestDatabase(engine, dir)
    cleanup.push(async () => {
      await db.drop()
      rmSync(dir, { recursive: true, force: true })
    })
    return db.target
  }

  it('two workstations starting together run each migration exactly once', async () => {
    const target = await freshTarget()
    const spec = target.engine === 'sqlite' ? target.file : target.url
    const run = () => execFileAsync(process.execPath, ['--import', 'tsx', 'tests/fixtures/migrate-child.ts', spec])
    const [ra, rb] = await Promise.all([run(), run()])
    const applied = [...JSON.parse(ra.stdout), ...JSON.parse(rb.stdout)] as string[]
    expect(applied.sort()).toEqual(Object.keys(MIGRATIONS).sort())
    const db = openDatabase(target)
    cleanup.push(() => db.close())
    expect(await appliedMigrations(db)).toEqual(Object.keys(MIGRATIONS).sort())
  })

  it('refuses a database written by a newer version of the app, and says so', async () => {
    const target = await freshTarget()
    const db = openDatabase(target)
    cleanup.push(() => db.close())
    await migrateToLatest(db)
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(db.db)
    const err = await migrateToLatest(db).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DatabaseTooNewError)
    expect((err as Error).message).toMatch(/newer version of Spine Clinic.*9999_from_the_future/)
  })
})
