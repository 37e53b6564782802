import type { Migration } from './helpers'

/**
 * Opening a chart asks, for one patient, which records are signed, amended or entered in error, and which
 * procedures were requested. Those tables were indexed by record only, so each question read the whole
 * table: at 100k patients (171k signatures carrying their signed content) a chart took 240 ms, 210 of them
 * reading signatures. Indexed by patient, the chart is back to a few milliseconds. Same on both engines.
 */
export const m0009_patient_record_indexes: Migration = {
  async up(db) {
    // record_id in the index: the chart's "which of this patient's records are signed" never reads the table
    await db.schema.createIndex('signatures_patient').on('signatures').columns(['patient_id', 'record_type', 'record_id']).execute()
    await db.schema.createIndex('addenda_patient').on('addenda').columns(['patient_id', 'record_type']).execute()
    await db.schema.createIndex('entered_in_error_patient').on('entered_in_error').columns(['patient_id', 'record_type', 'record_id']).execute()
    await db.schema.createIndex('procedure_requests_patient').on('procedure_requests').column('patient_id').execute()
  },
}
