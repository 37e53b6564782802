import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/** Users, clinic settings, patients (with their search index) and the hash-chained audit log. */
export const m0001_init: Migration = {
  async up(db, engine) {
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer')
      .execute()

    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'integer', notNull)
      .execute()

    await withId(db.schema.createTable('users'), engine)
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', notNull)
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('frontDesk', 'physician', 'manager', 'admin')`))
      .addColumn('password_hash', 'text', notNull)
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('created_at', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()

    await withId(db.schema.createTable('patients'), engine)
      .addColumn('mrn', 'text', (c) => c.notNull().unique())
      .addColumn('first_name', 'text', notNull)
      .addColumn('last_name', 'text', notNull)
      .addColumn('name_key', 'text', notNull)
      .addColumn('date_of_birth', 'text', notNull)
      .addColumn('sex', 'text', (c) => c.notNull().check(sql`sex in ('female', 'male', 'other', 'unknown')`))
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone_digits', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('referring_physician', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('patients_name_key_dob').on('patients').columns(['name_key', 'date_of_birth']).execute()
    await db.schema.createIndex('patients_dob').on('patients').column('date_of_birth').execute()
    await db.schema.createIndex('patients_phone_digits').on('patients').column('phone_digits').execute()
    await db.schema.createIndex('patients_last_first').on('patients').columns(['last_name', 'first_name']).execute()

    await withId(db.schema.createTable('audit_log'), engine)
      .addColumn('at', 'text', notNull)
      .addColumn('user_id', 'integer')
      .addColumn('username', 'text')
      .addColumn('workstation', 'text', notNull)
      .addColumn('action', 'text', notNull)
      .addColumn('entity', 'text')
      .addColumn('entity_id', 'text')
      .addColumn('patient_id', 'integer')
      .addColumn('details', 'text', notNull)
      .addColumn('prev_hash', 'text', notNull)
      .addColumn('hash', 'text', notNull)
      .execute()
    await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'id']).execute()
    await db.schema.createIndex('audit_log_patient').on('audit_log').columns(['patient_id', 'id']).execute()
    await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute()
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute()

    if (engine === 'sqlite') {
      // Word-prefix search over name, MRN, phone digits; unicode61 folds case and strips accents.
      await sql`CREATE VIRTUAL TABLE patients_fts USING fts5(
        name, mrn, phone, tokenize = "unicode61 remove_diacritics 2")`.execute(db)
      await sql`CREATE TRIGGER patients_fts_ai AFTER INSERT ON patients BEGIN
        INSERT INTO patients_fts(rowid, name, mrn, phone)
        VALUES (new.id, new.first_name || ' ' || new.last_name, new.mrn, new.phone_digits);
      END`.execute(db)
      await sql`CREATE TRIGGER patients_fts_au AFTER UPDATE OF first_name, last_name, mrn, phone_digits ON patients BEGIN
        UPDATE patients_fts SET name = new.first_name || ' ' || new.last_name, mrn = new.mrn, phone = new.phone_digits
        WHERE rowid = old.id;
      END`.execute(db)
      // The audit log is append-only: the database itself refuses edits and deletes.
      await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END`.execute(db)
      await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END`.execute(db)
    } else {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
      await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db)
      await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db)
      await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db)
    }
  },
}
