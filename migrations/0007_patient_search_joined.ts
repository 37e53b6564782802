import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Patient search finds a name written without its apostrophes or hyphens: "obrien" finds O'Brien (also
 * O’Brien), "smithjones" finds Smith-Jones. The index now holds the name as typed (its parts: o, brien)
 * and, when it has any of these marks, the name with them removed (obrien). The query side joins across
 * apostrophes itself (shared/text.ts searchWords, NAME_APOSTROPHES; keep the marks in step).
 *
 * SQLite: the FTS5 triggers index the joined form too, and the index is rebuilt for the rows there are.
 * PostgreSQL: clinic_name_search(first, last), immutable, is what the trigram index covers and the search
 * compares against (the old index over the plain name is dropped).
 */
const MARKS = ["'", '’', '‘', 'ʼ', '`', '-', '‐', '‑']

/** `name || ' ' || joined` when the name has a mark, else the name (SQLite, over a row alias). */
function sqliteIndexedName(row: string): string {
  const name = `${row}.first_name || ' ' || ${row}.last_name`
  const joined = MARKS.reduce((expr, m) => `replace(${expr}, '${m.replace(/'/g, "''")}', '')`, `(${name})`)
  return `CASE WHEN ${joined} = (${name}) THEN (${name}) ELSE (${name}) || ' ' || ${joined} END`
}

export const m0007_patient_search_joined: Migration = {
  async up(db, engine) {
    if (engine === 'sqlite') {
      await sql`DROP TRIGGER patients_fts_ai`.execute(db)
      await sql`DROP TRIGGER patients_fts_au`.execute(db)
      await sql
        .raw(
          `CREATE TRIGGER patients_fts_ai AFTER INSERT ON patients BEGIN
            INSERT INTO patients_fts(rowid, name, mrn, phone) VALUES (new.id, ${sqliteIndexedName('new')}, new.mrn, new.phone_digits);
          END`,
        )
        .execute(db)
      await sql
        .raw(
          `CREATE TRIGGER patients_fts_au AFTER UPDATE OF first_name, last_name, mrn, phone_digits ON patients BEGIN
            UPDATE patients_fts SET name = ${sqliteIndexedName('new')}, mrn = new.mrn, phone = new.phone_digits WHERE rowid = old.id;
          END`,
        )
        .execute(db)
      // rebuild the index for the patients already registered
      await sql`DELETE FROM patients_fts`.execute(db)
      await sql.raw(`INSERT INTO patients_fts(rowid, name, mrn, phone) SELECT p.id, ${sqliteIndexedName('p')}, p.mrn, p.phone_digits FROM patients p`).execute(db)
      return
    }
    const marks = MARKS.join('').replace(/'/g, "''")
    await sql
      .raw(
        `CREATE FUNCTION clinic_name_search(text, text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
          AS $$ SELECT CASE WHEN translate(n, '${marks}', '') = n THEN n ELSE n || ' ' || translate(n, '${marks}', '') END
                FROM (SELECT public.clinic_fold($1 || ' ' || $2) AS n) s $$`,
      )
      .execute(db)
    await sql`DROP INDEX patients_name_trgm`.execute(db)
    await sql`CREATE INDEX patients_name_search_trgm ON patients USING gin (clinic_name_search(first_name, last_name) gin_trgm_ops)`.execute(db)
  },
}
