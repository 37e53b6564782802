import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * PostgreSQL's answer to SQLite's FTS5 patient search: trigram indexes over the accent-folded name and the
 * MRN, so that "any part of the name" stays an index lookup at 100k patients. unaccent() is not immutable
 * (its dictionary could change), so an immutable wrapper pins the dictionary for the index. SQLite: nothing.
 */
export const m0005_patient_search_pg: Migration = {
  async up(db, engine) {
    if (engine !== 'postgres') return
    await sql`CREATE FUNCTION clinic_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, lower($1)) $$`.execute(db)
    await sql`CREATE INDEX patients_name_trgm ON patients USING gin (clinic_fold(first_name || ' ' || last_name) gin_trgm_ops)`.execute(db)
    await sql`CREATE INDEX patients_mrn_trgm ON patients USING gin (lower(mrn) gin_trgm_ops)`.execute(db)
  },
}
