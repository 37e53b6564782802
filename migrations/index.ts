/**
 * Every migration, in order. Listed by hand (not read from a folder) so that bundling the
 * main process cannot lose one. Never edit a migration that has shipped: add the next.
 */
import type { Migration } from './helpers'
import { m0001_init } from './0001_init'
import { m0002_scheduling } from './0002_scheduling'
import { m0003_consultations } from './0003_consultations'
import { m0004_procedures } from './0004_procedures'
import { m0005_patient_search_pg } from './0005_patient_search_pg'
import { m0006_outcomes } from './0006_outcomes'
import { m0007_patient_search_joined } from './0007_patient_search_joined'
import { m0008_patient_search_words_pg } from './0008_patient_search_words_pg'
import { m0009_patient_record_indexes } from './0009_patient_record_indexes'
import { m0010_follow_up_label_index } from './0010_follow_up_label_index'
import { m0011_patient_list_index_pg } from './0011_patient_list_index_pg'
import { m0012_audit_one_successor_pg } from './0012_audit_one_successor_pg'
import { m0013_drafts } from './0013_drafts'
import { m0014_access } from './0014_access'
import { m0015_audit_patients } from './0015_audit_patients'
import { m0016_export_pseudonyms } from './0016_export_pseudonyms'
import { m0017_patient_language } from './0017_patient_language'
import { m0018_recovery_sedation_override } from './0018_recovery_sedation_override'
import { m0019_consultation_coverage_fields } from './0019_consultation_coverage_fields'
import { m0020_pre_procedure_checklist } from './0020_pre_procedure_checklist'
import { m0021_consultation_exam_fields } from './0021_consultation_exam_fields'
import { m0022_procedure_level_details } from './0022_procedure_level_details'
import { m0023_patient_search_name_parts } from './0023_patient_search_name_parts'
import { m0024_follow_up_closing } from './0024_follow_up_closing'
import { m0025_patient_contact_preferences } from './0025_patient_contact_preferences'
import { m0026_reminder_outbox } from './0026_reminder_outbox'
import { m0027_asap_list } from './0027_asap_list'
import { m0028_user_preferences } from './0028_user_preferences'
import { m0029_referrers_and_referrals } from './0029_referrers_and_referrals'
import { m0030_documents } from './0030_documents'
import { m0033_letters } from './0033_letters'
import { m0034_patient_primary_care } from './0034_patient_primary_care'
import { m0036_primary_care_since } from './0036_primary_care_since'
import { m0031_imaging } from './0031_imaging'
import { m0035_imaging_measurements } from './0035_imaging_measurements'
import { m0037_imaging_measurement_procedures } from './0037_imaging_measurement_procedures'
import { m0038_appointments_start_lanes } from './0038_appointments_start_lanes'

export const MIGRATIONS: Record<string, Migration> = {
  '0001_init': m0001_init,
  '0002_scheduling': m0002_scheduling,
  '0003_consultations': m0003_consultations,
  '0004_procedures': m0004_procedures,
  '0005_patient_search_pg': m0005_patient_search_pg,
  '0006_outcomes': m0006_outcomes,
  '0007_patient_search_joined': m0007_patient_search_joined,
  '0008_patient_search_words_pg': m0008_patient_search_words_pg,
  '0009_patient_record_indexes': m0009_patient_record_indexes,
  '0010_follow_up_label_index': m0010_follow_up_label_index,
  '0011_patient_list_index_pg': m0011_patient_list_index_pg,
  '0012_audit_one_successor_pg': m0012_audit_one_successor_pg,
  '0013_drafts': m0013_drafts,
  '0014_access': m0014_access,
  '0015_audit_patients': m0015_audit_patients,
  '0016_export_pseudonyms': m0016_export_pseudonyms,
  '0017_patient_language': m0017_patient_language,
  '0018_recovery_sedation_override': m0018_recovery_sedation_override,
  '0019_consultation_coverage_fields': m0019_consultation_coverage_fields,
  '0020_pre_procedure_checklist': m0020_pre_procedure_checklist,
  '0021_consultation_exam_fields': m0021_consultation_exam_fields,
  '0022_procedure_level_details': m0022_procedure_level_details,
  '0023_patient_search_name_parts': m0023_patient_search_name_parts,
  '0024_follow_up_closing': m0024_follow_up_closing,
  '0025_patient_contact_preferences': m0025_patient_contact_preferences,
  '0026_reminder_outbox': m0026_reminder_outbox,
  '0027_asap_list': m0027_asap_list,
  '0028_user_preferences': m0028_user_preferences,
  '0029_referrers_and_referrals': m0029_referrers_and_referrals,
  '0030_documents': m0030_documents,
  '0033_letters': m0033_letters,
  '0031_imaging': m0031_imaging,
  '0034_patient_primary_care': m0034_patient_primary_care,
  '0035_imaging_measurements': m0035_imaging_measurements,
  '0036_primary_care_since': m0036_primary_care_since,
  '0037_imaging_measurement_procedures': m0037_imaging_measurement_procedures,
  '0038_appointments_start_lanes': m0038_appointments_start_lanes,
}

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).sort().at(-1)!
export type { Engine, Migration } from './helpers'
