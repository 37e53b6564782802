// A throwaway PostgreSQL cluster on 127.0.0.1 for the tests (about a second to start), when the
// server binaries of PostgreSQL 14 or newer are installed. As root the cluster runs as the postgres user,
// as PostgreSQL requires.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const MIN_POSTGRES_MAJOR = 14

/** The major version of the server binaries in `bin` (`postgres --version`), or null. */
function majorVersion(bin) {
  const r = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' })
  const m = r.status === 0 ? /\b(\d+)(?:\.\d+)?/.exec(r.stdout) : null
  return m ? Number(m[1]) : null
}

const isServerBin = (dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'postgres'))

/**
 * Where the server binaries are: Debian's /usr/lib/postgresql/<N>/bin (the highest N first), then the
 * folder `pg_config --bindir` names (other distributions, Homebrew). Only PostgreSQL 14 or newer counts.
 * Returns { bin, version } or { bin: null, reason } saying what was looked at.
 */
export function findPostgres() {
  const candidates = []
  const debian = '/usr/lib/postgresql'
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .sort((a, b) => b - a)
    for (const n of majors) candidates.push(join(debian, String(n), 'bin'))
  }
  const fromPgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' })
  if (fromPgConfig.status === 0 && fromPgConfig.stdout.trim()) candidates.push(fromPgConfig.stdout.trim())
  const tooOld = []
  for (const bin of candidates) {
    if (!isServerBin(bin)) continue
    const version = majorVersion(bin)
    if (version !== null && version >= MIN_POSTGRES_MAJOR) return { bin, version }
    tooOld.push(`${bin} (${version ?? 'unknown version'})`)
  }
  const reason = tooOld.length
    ? `only PostgreSQL older than ${MIN_POSTGRES_MAJOR} is installed: ${tooOld.join(', ')}`
    : `no PostgreSQL server binaries (initdb, pg_ctl) in ${debian}/<version>/bin or pg_config --bindir`
  return { bin: null, reason }
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/**
 * Starts a cluster in a new folder under the system's temp folder; null when the binaries are missing or it
 * does not start. The result: `url` (superuser postgres, trust authentication, database postgres), `dir` and
 * `dataDir`, `bin`, `port`; `restart()` (`pg_ctl restart -m fast`: the server ends every connection and comes
 * back on the same port; resolves once it accepts connections again); `stop()` (immediate, removes the folder).
 */
export async function startThrowawayPostgres() {
  const { bin } = findPostgres()
  if (!bin) return null
  const dir = mkdtempSync(join(tmpdir(), 'clinic-pg-'))
  const dataDir = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  let uid
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const as = asRoot ? { uid } : {}
  const run = (cmd, args) => spawnSync(join(bin, cmd), args, { stdio: 'pipe', ...as })
  const port = await freePort()
  const init = run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'])
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    return null
  }
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`
  const start = run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'log'), '-w', '-o', serverOptions, 'start'])
  if (start.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    return null
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    dataDir,
    bin,
    port,
    /** Not spawnSync: the caller's event loop keeps running (its connections see the server go) meanwhile. */
    restart() {
      return new Promise((resolve, reject) => {
        const child = spawn(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', join(dir, 'log'), '-w', '-m', 'fast', '-o', serverOptions, 'restart'], { stdio: 'pipe', ...as })
        let output = ''
        child.stdout.on('data', (d) => (output += d))
        child.stderr.on('data', (d) => (output += d))
        child.on('error', reject)
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl restart failed (${code}): ${output}`))))
      })
    },
    stop() {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
