/** Runs the administrator's command line in-process against real database files. */
import Database from 'better-sqlite3'
import type { CliIo } from '../../electron/cli/io'
import { runAdmin } from '../../electron/cli/run'

export interface CliRun {
  code: number
  out: string
  err: string
}

export async function admin(args: string[], opts: { stdin?: string; tty?: boolean; env?: Record<string, string>; now?: Date } = {}): Promise<CliRun> {
  let out = ''
  let err = ''
  const io: CliIo = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    // the audit anchors go where the test run keeps them (vitest.config.ts), unless the test says otherwise
    env: { ...(process.env.CLINIC_ANCHOR_DIR ? { CLINIC_ANCHOR_DIR: process.env.CLINIC_ANCHOR_DIR } : {}), ...opts.env },
    stdinIsTTY: opts.tty ?? false,
    readStdin: async () => opts.stdin ?? '',
    promptHidden: async () => opts.stdin ?? '',
  }
  const code = await runAdmin(args, io, () => opts.now ?? new Date())
  return { code, out, err }
}

/** Every row of every table of a SQLite file, by table, in rowid order (for "identical database"). */
export function dumpTables(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true })
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`).all() as { name: string }[]
    const out: Record<string, unknown[]> = {}
    for (const { name } of tables) {
      const hasRowid = !(db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(name) as { sql: string }).sql.includes('WITHOUT ROWID')
      out[name] = db.prepare(`SELECT * FROM "${name}"${hasRowid ? ' ORDER BY rowid' : ''}`).all()
    }
    return out
  } finally {
    db.close()
  }
}

/** The schema (every CREATE statement) of a SQLite file. */
export function dumpSchema(file: string): string[] {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name`).all() as { sql: string }[]).map((r) => r.sql)
  } finally {
    db.close()
  }
}
