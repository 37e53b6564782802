import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Patient search finds each part of a double-barrelled name that has an apostrophe: "obrien" finds
 * Ruiz-O'Brien (issue 23 point 6). 0007 indexed the name as typed (ruiz, o, brien) and with every mark
 * removed (ruizobrien), so "obrien" matched neither. The index now also holds the name with only its
 * apostrophes removed, the hyphens left to separate (ruiz, obrien), which is how the query side reads what is
 * typed (shared/text.ts searchWords: an apostrophe joins, a hyphen splits). Keep the marks in step with
 * NAME_APOSTROPHES there.
 *
 * SQLite: the FTS5 triggers index the third form too, and the index is rebuilt for the rows there are.
 * PostgreSQL: clinic_name_search(first, last) gains the form; the stored words (search_words, 0008) are
 * computed from it, so that column and the two indexes over it (0008, 0011) are made again, which computes
 * every row's words with the new function (PostgreSQL 15 cannot change a generated column's expression).
 */
const APOSTROPHES = ["'", '’', '‘', 'ʼ', '`']
const ALL_MARKS = [...APOSTROPHES, '-', '‐', '‑']

const quoted = (m: string) => `'${m.replace(/'/g, "''")}'`

/** The name, then each form with marks removed that differs from it (SQLite, over a row alias). */
function sqliteIndexedName(row: string): string {
  const name = `(${row}.first_name || ' ' || ${row}.last_name)`
  const without = (marks: string[]) => marks.reduce((expr, m) => `replace(${expr}, ${quoted(m)}, '')`, name)
  const joined = without(ALL_MARKS)
  const parts = without(APOSTROPHES)
  return `${name}
    || CASE WHEN ${joined} = ${name} THEN '' ELSE ' ' || ${joined} END
    || CASE WHEN ${parts} = ${name} OR ${parts} = ${joined} THEN '' ELSE ' ' || ${parts} END`
}

export const m0023_patient_search_name_parts: Migration = {
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
      await sql`DELETE FROM patients_fts`.execute(db)
      await sql.raw(`INSERT INTO patients_fts(rowid, name, mrn, phone) SELECT p.id, ${sqliteIndexedName('p')}, p.mrn, p.phone_digits FROM patients p`).execute(db)
      return
    }
    const all = ALL_MARKS.join('').replace(/'/g, "''")
    const apostrophes = APOSTROPHES.join('').replace(/'/g, "''")
    // the column first: it depends on the function through clinic_search_words
    await sql`ALTER TABLE patients DROP COLUMN search_words`.execute(db)
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION clinic_name_search(text, text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
          AS $$ SELECT n
                  || CASE WHEN translate(n, '${all}', '') = n THEN '' ELSE ' ' || translate(n, '${all}', '') END
                  || CASE WHEN translate(n, '${apostrophes}', '') IN (n, translate(n, '${all}', '')) THEN '' ELSE ' ' || translate(n, '${apostrophes}', '') END
                FROM (SELECT public.clinic_fold($1 || ' ' || $2) AS n) s $$`,
      )
      .execute(db)
    await sql`ALTER TABLE patients ADD COLUMN search_words tsvector
      GENERATED ALWAYS AS (clinic_search_words(first_name, last_name, mrn, phone_digits)) STORED`.execute(db)
    // as 0008 and 0011 made them (fastupdate off: see 0008)
    await sql`CREATE INDEX patients_search_words ON patients USING gin (search_words) WITH (fastupdate = off)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS patients_by_name ON patients (last_name, first_name, id) INCLUDE (mrn, date_of_birth, sex, phone, search_words)`.execute(db)
  },
}
