/** Kysely's view of the tables. Instants are ISO-8601 UTC text; booleans are 0/1 integers. */
import type { Generated, Insertable, Selectable } from 'kysely'

export interface SettingsTable {
  key: string
  value: string
  version: number
  updated_at: string
  updated_by: number | null
}

export interface CountersTable {
  name: string
  value: number
}

export interface UsersTable {
  id: Generated<number>
  username: string
  display_name: string
  role: string
  password_hash: string
  active: number
  failed_attempts: number
  locked_until: string | null
  created_at: string
  updated_at: string
  version: number
  /** 0014_access: raised when access is taken away or the password changes; compared on every call */
  session_version: Generated<number>
  /** 0014_access: 1 while the password is one an administrator set */
  must_change_password: Generated<number>
}

export interface PatientsTable {
  id: Generated<number>
  mrn: string
  first_name: string
  last_name: string
  name_key: string
  date_of_birth: string
  sex: string
  phone: string
  phone_digits: string
  email: string
  address: string
  referring_physician: string
  notes: string
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
  version: number
  // 0017_patient_language
  preferred_language: Generated<string>
  interpreter_needed: Generated<number>
  // 0025_patient_contact_preferences
  /** 'phone' | 'email' | 'letter' */
  contact_preference: Generated<string>
  /** null = not asked yet, 'given', 'declined' */
  reminder_consent: Generated<string | null>
  reminder_consent_by: Generated<number | null>
  reminder_consent_at: Generated<string | null>
  // 0034_patient_primary_care: a clinician of the referrers' directory, null = not recorded
  primary_care_referrer_id: Generated<number | null>
  // 0036_primary_care_since: when primary_care_referrer_id was last set to a clinician (services/letters/due.ts)
  primary_care_since: Generated<string | null>
  // clinical history (0003_consultations)
  allergies: Generated<string>
  allergy_cement: Generated<number>
  allergy_contrast: Generated<number>
  anticoagulants: Generated<string>
  antiplatelets: Generated<string>
  osteoporosis: number | null
  steroid_use: number | null
  prior_fractures: Generated<string>
  asa_class: number | null
  dexa_t_score: number | null
  dexa_date: string | null
  history_version: Generated<number>
  history_updated_at: string | null
  history_updated_by: number | null
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  user_id: number | null
  username: string | null
  workstation: string
  action: string
  entity: string | null
  entity_id: string | null
  patient_id: number | null
  details: string
  prev_hash: string
  hash: string
}

export interface RoomsTable {
  id: Generated<number>
  name: string
  kind: string
  active: number
  sort_order: number
  created_at: string
  updated_at: string
  version: number
}

export interface AppointmentTypesTable {
  id: Generated<number>
  name: string
  code: string
  colour: string
  duration_minutes: number
  room_kind: string
  observation_minutes: number
  active: number
  sort_order: number
  created_at: string
  updated_at: string
  version: number
}

export interface ClinicHoursTable {
  weekday: number
  is_open: number
  opens: string
  closes: string
  updated_at: string
  version: number
}

export interface ClosedDaysTable {
  id: Generated<number>
  date: string
  reason: string
  created_at: string
  created_by: number | null
}

export interface AppointmentsTable {
  id: Generated<number>
  patient_id: number
  type_id: number
  provider_id: number
  room_id: number
  starts_at: string
  ends_at: string
  observation_room_id: number | null
  observation_ends_at: string | null
  occupied_until: string
  status: string
  cancel_reason: string
  arrived_at: string | null
  arrived_by: number | null
  in_room_at: string | null
  in_room_by: number | null
  completed_at: string | null
  completed_by: number | null
  cancelled_at: string | null
  cancelled_by: number | null
  noshow_at: string | null
  noshow_by: number | null
  // 0025_patient_contact_preferences: when it was marked confirmed and by whom (the confirmation rate)
  confirmed_at: Generated<string | null>
  confirmed_by: Generated<number | null>
  series_id: number | null
  series_index: number | null
  notes: string
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
  version: number
}

export interface DB {
  settings: SettingsTable
  counters: CountersTable
  users: UsersTable
  patients: PatientsTable
  audit_log: AuditLogTable
  consultations: ConsultationsTable
  consultation_findings: ConsultationFindingsTable
  conservative_care_plans: ConservativeCarePlansTable
  procedure_requests: ProcedureRequestsTable
  signatures: SignaturesTable
  addenda: AddendaTable
  entered_in_error: EnteredInErrorTable
  // 0004_procedures
  procedures: ProceduresTable
  procedure_levels: ProcedureLevelsTable
  procedure_recoveries: ProcedureRecoveriesTable
  observation_checks: ObservationChecksTable
  stay_decisions: StayDecisionsTable
  discharge_summaries: DischargeSummariesTable
  discharge_pdfs: DischargePdfsTable
  procedure_follow_ups: ProcedureFollowUpsTable
  // 0006_outcomes
  follow_up_visits: FollowUpVisitsTable
  // 0022_procedure_level_details
  procedure_biopsy_results: ProcedureBiopsyResultsTable
  clinic_secrets: ClinicSecretsTable
  rooms: RoomsTable
  appointment_types: AppointmentTypesTable
  clinic_hours: ClinicHoursTable
  closed_days: ClosedDaysTable
  appointments: AppointmentsTable
  // 0013_drafts
  drafts: DraftsTable
  // 0015_audit_patients
  audit_patients: AuditPatientsTable
  // 0016_export_pseudonyms
  export_pseudonyms: ExportPseudonymsTable
  // 0020_pre_procedure_checklist
  pre_procedure_checklists: PreProcedureChecklistsTable
  // 0027_asap_list
  asap_entries: AsapEntriesTable
  // 0025_patient_contact_preferences
  appointment_contact_attempts: AppointmentContactAttemptsTable
  // 0026_reminder_outbox
  reminder_outbox: ReminderOutboxTable
  // 0028_user_preferences
  user_preferences: UserPreferencesTable
}

/** 0028: one user's own preference (not a record: overwritten in place). */
export interface UserPreferencesTable {
  user_id: number
  /** a key of shared/schemas/preferences.ts PREFERENCE_SCHEMAS */
  key: string
  /** the value as JSON text */
  value: string
  updated_at: string
}

/** 0025: one confirmation call; never changed or deleted. */
export interface AppointmentContactAttemptsTable {
  id: Generated<number>
  appointment_id: number
  patient_id: number
  /** 'reached' | 'leftMessage' | 'noAnswer' | 'wrongNumber' */
  outcome: string
  note: Generated<string>
  attempted_at: string
  attempted_by: number
}

/** 0027: the ASAP list; a removed entry is kept with who, when and why. */
export interface AsapEntriesTable {
  id: Generated<number>
  patient_id: number
  type_id: number
  /** null: any provider */
  provider_id: number | null
  /** JSON AsapWindow[] */
  windows: string
  earliest_date: string | null
  latest_date: string | null
  note: string
  appointment_id: number | null
  /** 'waiting' | 'removed' */
  status: string
  added_at: string
  added_by: number
  updated_at: string
  updated_by: number
  removed_at: string | null
  removed_by: number | null
  /** 'booked' | 'noLongerWants' | 'other' */
  remove_reason: string | null
  remove_note: string
  booked_appointment_id: number | null
  version: number
}

export type UserRow = Selectable<UsersTable>
export type PatientRow = Selectable<PatientsTable>
export type NewAuditRow = Insertable<AuditLogTable>

export interface ConsultationsTable {
  id: Generated<number>
  patient_id: number
  appointment_id: number | null
  provider_id: number
  visit_date: string
  chief_complaint: Generated<string>
  onset_date: string | null
  mechanism: Generated<string>
  trauma: number | null
  history: Generated<string>
  medications: Generated<string>
  osteoporosis: number | null
  steroid_use: number | null
  prior_fractures: Generated<string>
  asa_class: number | null
  t_score: number | null
  t_score_date: string | null
  hospitalized: Generated<number>
  pain_nrs: number | null
  /** JSON: ten answers 0..5 or null */
  odi_answers: string | null
  /** JSON: 24 booleans */
  rmdq_answers: string | null
  examination: Generated<string>
  assessment: Generated<string>
  plan: Generated<string>
  bone_density_referred: Generated<number>
  osteoporosis_education: Generated<number>
  decision: string | null
  /** comma-separated levels, cranial first */
  decision_levels: Generated<string>
  decision_reason: Generated<string>
  /** JSON array of contraindication keys */
  contraindications: Generated<string>
  override_reason: Generated<string>
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
  version: number
  // 0019_consultation_coverage_fields
  /** 'improving' | 'stable' | 'worsening' */
  pain_trend: string | null
  /** degrees at the fracture */
  kyphotic_angle: number | null
  mri_contraindicated: Generated<number>
  contraindications_reviewed: Generated<number>
  contraindications_reviewed_by: number | null
  contraindications_reviewed_at: string | null
  // 0021_consultation_exam_fields
  /** 'normal' | 'abnormal' | 'notExamined'; null: not recorded */
  neuro_exam: string | null
  neuro_exam_details: Generated<string>
  /** 'onTreatment' | 'startedToday' | 'referred' | 'declined' | 'notIndicated'; null: not recorded */
  osteoporosis_treatment: string | null
  fls_referred: Generated<number>
  fls_referral_date: string | null
}

export interface ConsultationFindingsTable {
  id: Generated<number>
  consultation_id: number
  patient_id: number
  level: string
  modality: string
  imaging_date: string
  acuity: string
  marrow_oedema: number | null
  height_loss_percent: number | null
  retropulsion: Generated<number>
  canal_compromise: Generated<number>
  fracture_type: Generated<string>
  notes: string
  // 0021_consultation_exam_fields (null: not recorded)
  /** 'osteoporotic' | 'tumour' | 'trauma' | 'unknown' */
  fracture_cause: string | null
  /** 'yes' | 'no' | 'notExamined' */
  tenderness: string | null
  /** 'yes' | 'no' | 'notAssessed' */
  intravertebral_cleft: string | null
}

export interface ConservativeCarePlansTable {
  id: Generated<number>
  patient_id: number
  consultation_id: number
  provider_id: number
  bracing: Generated<string>
  pain_medication: Generated<string>
  other_measures: Generated<string>
  start_date: string
  reassessment_date: string
  reassessment_appointment_id: number | null
  outcome: string | null
  outcome_reason: Generated<string>
  outcome_at: string | null
  outcome_by: number | null
  outcome_consultation_id: number | null
  created_at: string
  updated_at: string
  version: number
}

export interface ProcedureRequestsTable {
  id: Generated<number>
  patient_id: number
  consultation_id: number
  provider_id: number
  kind: string
  levels: string
  status: Generated<string>
  appointment_id: number | null
  created_at: string
  booked_at: string | null
  booked_by: number | null
  cancelled_at: string | null
  cancelled_by: number | null
  cancel_reason: Generated<string>
  version: number
}

export interface SignaturesTable {
  id: Generated<number>
  record_type: string
  record_id: number
  patient_id: number
  signed_by: number
  signer_name: string
  signed_at: string
  content_hash: string
  content: string
}

export interface AddendaTable {
  id: Generated<number>
  record_type: string
  record_id: number
  patient_id: number
  text: string
  author_id: number
  author_name: string
  signed_at: string
  content_hash: string
}

export interface EnteredInErrorTable {
  id: Generated<number>
  record_type: string
  record_id: number
  patient_id: number
  marked_by: number
  marker_name: string
  marked_at: string
  reason: string
}

export type ConsultationRow = Selectable<ConsultationsTable>
export type FindingRow = Selectable<ConsultationFindingsTable>
export type CarePlanRow = Selectable<ConservativeCarePlansTable>
export type ProcedureRequestRow = Selectable<ProcedureRequestsTable>

// ---- 0004_procedures ----

export interface ProceduresTable {
  id: Generated<number>
  patient_id: number
  appointment_id: number | null
  procedure_request_id: number | null
  provider_id: number
  kind: string
  procedure_date: string
  anaesthesia: string | null
  anaesthesia_note: Generated<string>
  patient_position: Generated<string>
  imaging_guidance: Generated<string>
  fluoroscopy_seconds: number | null
  dose_air_kerma_mgy: number | null
  dose_dap_mgycm2: number | null
  started_at: string | null
  ended_at: string | null
  /** JSON array of complication keys */
  intra_complications: Generated<string>
  intra_complications_note: Generated<string>
  post_complications: Generated<string>
  post_complications_note: Generated<string>
  narrative: Generated<string>
  /** JSON: [{ code, description }] */
  diagnoses: Generated<string>
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
  version: number
}

export interface ProcedureLevelsTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  treated_order: number
  level: string
  approach: string | null
  needle_gauge: number | null
  balloon_volume_ml: number | null
  balloon_pressure_psi: number | null
  cement_type: Generated<string>
  cement_volume_ml: number | null
  height_before_anterior: number | null
  height_before_middle: number | null
  height_before_posterior: number | null
  height_after_anterior: number | null
  height_after_middle: number | null
  height_after_posterior: number | null
  /** comma-separated: '' not recorded, 'none', or leak types */
  leakage: Generated<string>
  leakage_symptomatic: number | null
  notes: Generated<string>
  // 0022_procedure_level_details
  cement_lot: Generated<string>
  /** kit, needle and balloon identifiers, one per line */
  device_ids: Generated<string>
  kyphotic_angle_after: number | null
  /** 0/1; null not recorded */
  biopsy_taken: number | null
}

export interface ProcedureRecoveriesTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  supine_started_at: string | null
  supine_ended_at: string | null
  arrived_at: string | null
  departed_at: string | null
  baseline_pain: number | null
  /** JSON: { itemKey: boolean } */
  checklist: Generated<string>
  updated_at: string
  updated_by: number
  version: number
}

export interface ObservationChecksTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  checked_at: string
  systolic: number | null
  diastolic: number | null
  heart_rate: number | null
  spo2: number | null
  pain: number | null
  leg_neuro: string
  neuro_note: Generated<string>
  recorded_at: string
  recorded_by: number
  error_at: string | null
  error_by: number | null
  error_reason: Generated<string>
  // 0018_recovery_sedation_override
  respiratory_rate: number | null
  sedation_score: number | null
  /** 'aldrete' | 'padss': the clinic's scale when the score was recorded */
  sedation_scale: string | null
}

export interface StayDecisionsTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  disposition: string
  night: string | null
  /** JSON array of reason keys */
  reasons: Generated<string>
  other_text: Generated<string>
  note: Generated<string>
  over_capacity: Generated<number>
  decided_by: number
  decided_at: string
  version: number
  // 0018_recovery_sedation_override: a same-day discharge against the recovery record
  override_reason: Generated<string>
  /** JSON list of { rule, key, message }: the blockers shown when it was decided */
  override_blockers: Generated<string>
}

export interface DischargeSummariesTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  provider_id: number
  medications: Generated<string>
  activity_guidelines: string
  warning_signs: string
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
  version: number
}

export interface DischargePdfsTable {
  id: Generated<number>
  summary_id: number
  patient_id: number
  /** canonical JSON of the data the PDF was made from */
  data: string
  pdf: Uint8Array
  sha256: string
  created_at: string
}

export interface ProcedureFollowUpsTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  label: string
  target_date: string
  status: Generated<string>
  appointment_id: number | null
  created_at: string
  booked_at: string | null
  booked_by: number | null
  cancelled_at: string | null
  cancel_reason: Generated<string>
  version: number
  // 0024_follow_up_closing: who closed it from the worklist, and why (FOLLOW_UP_CLOSE_REASONS)
  cancelled_by: number | null
  cancel_code: string | null
}

export type ProcedureRow = Selectable<ProceduresTable>
export type ProcedureLevelRow = Selectable<ProcedureLevelsTable>
export type RecoveryRow = Selectable<ProcedureRecoveriesTable>
export type ObservationCheckRow = Selectable<ObservationChecksTable>
export type StayDecisionRow = Selectable<StayDecisionsTable>
export type DischargeSummaryRow = Selectable<DischargeSummariesTable>
export type FollowUpRow = Selectable<ProcedureFollowUpsTable>
export type RoomRow = Selectable<RoomsTable>
export type AppointmentTypeRow = Selectable<AppointmentTypesTable>
export type ClinicHoursRow = Selectable<ClinicHoursTable>
export type AppointmentRow = Selectable<AppointmentsTable>

// ---- 0006_outcomes ----

export interface FollowUpVisitsTable {
  id: Generated<number>
  follow_up_id: number
  procedure_id: number
  patient_id: number
  label: string
  visit_date: string
  pain_nrs: number | null
  /** JSON: ten answers 0..5 or null */
  odi_answers: string | null
  odi_score: number | null
  analgesics: string | null
  brace: string | null
  new_fracture: Generated<number>
  /** space-separated levels, cranial first */
  new_fracture_levels: Generated<string>
  /** JSON array of complication keys */
  complications: Generated<string>
  complications_note: Generated<string>
  satisfaction: string | null
  notes: Generated<string>
  recorded_at: string
  recorded_by: number
  error_at: string | null
  error_by: number | null
  error_reason: Generated<string>
  // 0022_procedure_level_details: JSON of 24 booleans, and their count
  rmdq_answers: string | null
  rmdq_score: number | null
}

/** A level's biopsy result from pathology, recorded after the note is signed (0022); never changed or deleted. */
export interface ProcedureBiopsyResultsTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  level: string
  result: string
  text: Generated<string>
  recorded_at: string
  recorded_by: number
}
export type ProcedureBiopsyResultRow = Selectable<ProcedureBiopsyResultsTable>

export interface ClinicSecretsTable {
  name: string
  value: string
  created_at: string
}

export type FollowUpVisitRow = Selectable<FollowUpVisitsTable>

// ---- 0013_drafts ----

/** A user's unsaved form (not clinical content: never signed, never shown as a record). */
export interface DraftsTable {
  user_id: number
  /** which form: 'consultation:12', 'followUpVisit:7' */
  draft_key: string
  /** the address of the screen the form is on */
  screen: string
  /** JSON: the form's values as typed */
  data: string
  created_at: string
  updated_at: string
}

/** Filled by the database from audit_log.details.patientIds (migration 0015): the patients a row concerns. */
export interface AuditPatientsTable {
  audit_id: number
  patient_id: number
}

/** A patient's random code in de-identified exports (migration 0016). */
export interface ExportPseudonymsTable {
  patient_id: number
  code: string
  created_at: string
}

// ---- 0020_pre_procedure_checklist ----

/** The checklist signed off before a procedure (one per procedure); final once signed off. */
export interface PreProcedureChecklistsTable {
  id: Generated<number>
  procedure_id: number
  patient_id: number
  /** JSON: shared/schemas/preProcedure.ts ChecklistFields */
  checklist: string
  version: number
  signed_off_by: number | null
  signed_off_at: string | null
  override_reason: Generated<string>
  /** JSON { items, startsAt, startsAtSource, policy }: what the sign-off was shown */
  sign_off_evaluation: string | null
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
}
export type PreProcedureChecklistRow = Selectable<PreProcedureChecklistsTable>

// ---- 0026_reminder_outbox ----

/** One reminder (appointment, days before, channel, appointment time announced): migrations/0026_reminder_outbox.ts. */
export interface ReminderOutboxTable {
  id: Generated<number>
  appointment_id: number
  patient_id: number
  offset_days: number
  /** 'email' | 'letter' */
  channel: string
  appointment_starts_at: string
  due_at: string
  /** 'queued' | 'sending' | 'sent' | 'failed' | 'skipped' | 'uncertain' | 'printed' */
  status: string
  attempts: Generated<number>
  next_attempt_at: string
  attempt_id: string | null
  message_id: string | null
  recipient: Generated<string>
  claimed_at: string | null
  claimed_by: string | null
  sent_at: string | null
  server_response: Generated<string>
  last_error: Generated<string>
  skip_reason: Generated<string>
  printed_at: string | null
  printed_by: number | null
  created_at: string
  updated_at: string
}
export type ReminderOutboxRow = Selectable<ReminderOutboxTable>
