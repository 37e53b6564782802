/**
 * `npx tsx tests/bench/imagingImport.ts [--images 2000] [--size 256] [--engine sqlite|postgres] [--pg-url URL] [--json FILE]`
 * (or `npm run bench -- --imaging`, on every engine; `--make-disc DIR [--name FAMILY^GIVEN --birth-date YYYYMMDD]`
 * only writes the disc, for tests/bench/imagingViewer.ts)
 *
 * Issue 20's import goals, measured: a disc of N MR slices (size x size, 16 bits; 2 000 of 256 x 256 is about
 * 260 MB) with a DICOMDIR, written by a child process (so this process starts idle), then imported into a fresh
 * clinic database the way the screen does it (scan, plan, file by file: importStudies.ts). Prints the main
 * process's resident memory at idle and its peak during the import (sampled every 20 ms; the goal: flat, under
 * 300 MB above idle whatever the disc's size), the time and files per second, and the time to open the stored
 * study and read its first image's bytes (what a viewer needs first; the viewer itself is not built yet).
 * Every figure is one run on whatever else the machine is doing: print the load average beside it.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { getBlob } from '../../electron/services/blobStore'
import { scanFolder } from '../../electron/services/imaging/folderScan'
import { newProgress, planImport, runImport } from '../../electron/services/imaging/importStudies'
import { dicomdir, mrSeries, newStudy, newUid, type TestPatient, type WrittenInstance } from '../fixtures/dicomStudies'

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '2000' },
    size: { type: 'string', default: '256' },
    engine: { type: 'string', default: 'sqlite' },
    'pg-url': { type: 'string' },
    'make-disc': { type: 'string' },
    /** the disc's patient (DICOM Person Name and DA), so that a disc made for a chart matches it */
    name: { type: 'string', default: 'BENCH^PATIENT' },
    'birth-date': { type: 'string', default: '19450101' },
    json: { type: 'string' },
  },
})
const IMAGES = Number(values.images)
const SIZE = Number(values.size)
const PATIENT: TestPatient = { name: values.name!, birthDate: values['birth-date']!, id: 'BENCH-1' }
/** Issue 20's goal for the import: the main process's memory stays flat, under this many MB above idle. */
const MEMORY_GOAL_MB = 300

/** The child's job: writes the disc one slice at a time (never the whole disc in memory), then its DICOMDIR. */
function makeDisc(dir: string): void {
  const study = newStudy({ description: 'MRI WHOLE SPINE' })
  const seriesUid = newUid()
  mkdirSync(join(dir, 'IMAGES'), { recursive: true })
  const listed: { fileId: string[]; instance: WrittenInstance }[] = []
  for (let i = 0; i < IMAGES; i++) {
    const [slice] = mrSeries(PATIENT, study, 1, { size: SIZE, seriesUid, first: i })
    const name = `IM${String(i + 1).padStart(5, '0')}`
    writeFileSync(join(dir, 'IMAGES', name), slice!.bytes)
    // the DICOMDIR needs only the UIDs: the bytes are let go
    listed.push({ fileId: ['IMAGES', name], instance: { ...slice!, bytes: new Uint8Array() } })
  }
  writeFileSync(join(dir, 'DICOMDIR'), dicomdir(PATIENT, [study], listed))
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)

async function main(): Promise<void> {
  if (values['make-disc']) return makeDisc(values['make-disc'])
  const dir = mkdtempSync(join(tmpdir(), 'clinic-bench-cd-'))
  const work = mkdtempSync(join(tmpdir(), 'clinic-bench-db-'))
  try {
    const t0 = performance.now()
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--make-disc', dir, '--images', String(IMAGES), '--size', String(SIZE), '--name', PATIENT.name, '--birth-date', PATIENT.birthDate], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (child.status !== 0) throw new Error('writing the disc failed')
    console.log(`disc: ${IMAGES} MR slices of ${SIZE} x ${SIZE} written in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const pgUrl = values['pg-url'] ?? process.env.CLINIC_TEST_PG_URL
    if (values.engine === 'postgres' && !pgUrl) throw new Error('--engine postgres needs --pg-url or CLINIC_TEST_PG_URL')
    const database = openDatabase(values.engine === 'postgres' ? { engine: 'postgres', url: pgUrl! } : { engine: 'sqlite', file: join(work, 'clinic.sqlite') })
    try {
      await migrateToLatest(database)
      const at = new Date().toISOString()
      const user = await database.db
        .insertInto('users')
        .values({ username: `bench${Date.now()}`, display_name: 'Bench', role: 'physician', password_hash: 'x', active: 1, failed_attempts: 0, locked_until: null, created_at: at, updated_at: at, version: 0 } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
      const patient = await database.db
        .insertInto('patients')
        .values({ mrn: `BENCH-${Date.now()}`, first_name: 'Patient', last_name: 'Bench', name_key: 'bench|patient', date_of_birth: '1945-01-01', sex: 'female', phone: '', phone_digits: '', email: '', address: '', referring_physician: '', notes: '', created_at: at, created_by: user.id, updated_at: at, updated_by: user.id, version: 0 } as never)
        .returning('id')
        .executeTakeFirstOrThrow()

      globalThis.gc?.()
      const idle = process.memoryUsage().rss
      let peak = idle
      // flat means the same peak in each quarter of the disc: memory that grew with the files stored would climb
      const quarters = [idle, idle, idle, idle]
      let progress: ReturnType<typeof newProgress> | null = null
      const sampler = setInterval(() => {
        const rss = process.memoryUsage().rss
        peak = Math.max(peak, rss)
        const q = progress ? Math.min(3, Math.floor((4 * progress.filesDone) / Math.max(1, progress.filesTotal))) : 0
        quarters[q] = Math.max(quarters[q]!, rss)
      }, 20)
      const t1 = performance.now()
      const scan = await scanFolder(dir)
      const tScan = performance.now() - t1
      const plan = await planImport(database.db, { patientId: patient.id, confirmedStudyUids: [] }, scan)
      progress = newProgress(plan)
      const ended = await runImport(database, { actor: { userId: user.id, username: 'bench', workstation: 'bench' }, userId: user.id, now: () => new Date() }, plan, progress)
      const tImport = performance.now() - t1
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage().rss)

      const t2 = performance.now()
      const study = await database.db.selectFrom('imaging_studies').select('id').where('patient_id', '=', patient.id).executeTakeFirstOrThrow()
      const first = await database.db
        .selectFrom('imaging_instances as i')
        .innerJoin('imaging_series as s', 's.id', 'i.series_id')
        .select(['i.sha256'])
        .where('s.study_id', '=', study.id)
        .orderBy('i.instance_number')
        .limit(1)
        .executeTakeFirstOrThrow()
      const bytes = await getBlob(database.db, first.sha256)
      const tFirst = performance.now() - t2

      const load = loadavg().map((l) => l.toFixed(1)).join(' ')
      console.log(`engine ${database.engine}, load average ${load}`)
      console.log(`import ${ended}: ${progress.stored} stored, ${progress.duplicates} already, ${progress.skippedCount} skipped`)
      console.log(`DICOMDIR read in ${tScan.toFixed(0)} ms; import ${(tImport / 1000).toFixed(1)} s (${(progress.stored / (tImport / 1000)).toFixed(0)} files/s)`)
      console.log(`memory (RSS): idle ${mb(idle)} MB, peak ${mb(peak)} MB, peak above idle ${mb(peak - idle)} MB (goal: under ${MEMORY_GOAL_MB} MB); peak above idle in each quarter of the files ${quarters.map((q) => mb(q - idle)).join(' / ')} MB (flat: about the same)`)
      console.log(`first image of the stored study: found and read (${bytes?.byteLength ?? 0} bytes) in ${tFirst.toFixed(1)} ms (the main process's part of the 1 s goal to the image on screen: tests/bench/imagingViewer.ts)`)
      if (values.json) {
        const figures = {
          engine: database.engine,
          images: IMAGES,
          size: SIZE,
          ended,
          stored: progress.stored,
          skipped: progress.skippedCount,
          scanMs: tScan,
          importMs: tImport,
          filesPerSecond: progress.stored / (tImport / 1000),
          idleMB: idle / 2 ** 20,
          peakMB: peak / 2 ** 20,
          peakAboveIdleMB: (peak - idle) / 2 ** 20,
          peakAboveIdleByQuarterMB: quarters.map((q) => (q - idle) / 2 ** 20),
          memoryGoalMB: MEMORY_GOAL_MB,
          firstImageReadMs: tFirst,
          firstImageBytes: bytes?.byteLength ?? 0,
          load,
        }
        writeFileSync(values.json, JSON.stringify(figures, null, 2))
      }
    } finally {
      await database.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
    rmSync(work, { recursive: true, force: true })
  }
}

void main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
