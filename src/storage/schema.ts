import type { ColumnType, Generated } from 'kysely';
import type { LearningSessionStatus } from '../learning/model.js';
import type { LtiPlatformSource, RoleKind } from '../lti/model.js';
import type { DocumentKind } from '../xapi/model.js';

/**
 * Kysely's view of the schema. Every table of tenant data leads its keys with `tenant_id`, the
 * distribution column when the schema runs on Citus. Keep in step with migrations/.
 */
export interface Database {
  tenant: TenantTable;
  xapi_statement: XapiStatementTable;
  xapi_statement_agent: XapiStatementAgentTable;
  xapi_statement_activity: XapiStatementActivityTable;
  person: PersonTable;
  program: ProgramTable;
  program_randomization: ProgramRandomizationTable;
  cohort: CohortTable;
  cohort_member: CohortMemberTable;
  program_cost_model: ProgramCostModelTable;
  monetization_assumption: MonetizationAssumptionTable;
  program_intangible: ProgramIntangibleTable;
  program_effect: ProgramEffectTable;
  confounding_event: ConfoundingEventTable;
  program_evidence: ProgramEvidenceTable;
  roi_snapshot: RoiSnapshotTable;
  outcome_import: OutcomeImportTable;
  outcome_import_row: OutcomeImportRowTable;
  outcome_payroll: OutcomePayrollTable;
  outcome_plan_participation: OutcomePlanParticipationTable;
  outcome_claim: OutcomeClaimTable;
  outcome_hris: OutcomeHrisTable;
  lrs_credential: LrsCredentialTable;
  xapi_attachment: XapiAttachmentTable;
  xapi_activity: XapiActivityTable;
  xapi_document: XapiDocumentTable;
  lti_platform: LtiPlatformTable;
  lti_platform_route: LtiPlatformRouteTable;
  lti_deployment: LtiDeploymentTable;
  lti_registration_token: LtiRegistrationTokenTable;
  lti_login_state: LtiLoginStateTable;
  lti_used_nonce: LtiUsedNonceTable;
  lti_user: LtiUserTable;
  course_context: CourseContextTable;
  enrollment: EnrollmentTable;
  lti_session: LtiSessionTable;
  export_link_use: ExportLinkUseTable;
  lti_grade_passback: LtiGradePassbackTable;
  lti_retired_key: LtiRetiredKeyTable;
  module: ModuleTable;
  module_version: ModuleVersionTable;
  module_link: ModuleLinkTable;
  module_experiment: ModuleExperimentTable;
  module_experiment_assignment: ModuleExperimentAssignmentTable;
  learning_attempt: LearningAttemptTable;
  learning_session: LearningSessionTable;
  learning_time_total: LearningTimeTotalTable;
  learning_observation: LearningObservationTable;
  cmi5_launch: Cmi5LaunchTable;
  content_package: ContentPackageTable;
  content_package_file: ContentPackageFileTable;
  program_effect_person: ProgramEffectPersonTable;
  program_forecast: ProgramForecastTable;
  chart_render_cache: ChartRenderCacheTable;
  kpi_learner_module: KpiLearnerModuleTable;
  kpi_post_latest: KpiPostLatestTable;
  kpi_post_total: KpiPostTotalTable;
  kpi_post_option: KpiPostOptionTable;
}

export interface LrsCredentialTable {
  tenant_id: string;
  id: Generated<string>;
  key: string;
  secret_hash: string;
  name: Generated<string>;
  scopes: string[];
  authority: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  revoked_at: Date | null;
}

export interface XapiAttachmentTable {
  tenant_id: string;
  sha2: string;
  content_type: string;
  content: Buffer;
}

export interface XapiActivityTable {
  tenant_id: string;
  iri: string;
  definition: string;
  updated: Generated<Date>;
}

export interface XapiDocumentTable {
  tenant_id: string;
  kind: DocumentKind;
  activity_iri: string;
  agent_key: string;
  registration: string;
  document_id: string;
  content: Buffer;
  content_type: string;
  etag: string;
  updated: Date;
}

export interface TenantTable {
  id: Generated<string>;
  name: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface XapiStatementTable {
  tenant_id: string;
  id: string;
  seq: Generated<string>;
  stored: Date;
  timestamp: Date;
  verb_iri: string;
  registration: string | null;
  voided: Generated<boolean>;
  voiding_target: string | null;
  ref_target: string | null;
  credential_id: string | null;
  version: string;
  statement: string;
  xact_id: Generated<string>;
}

export interface XapiStatementAgentTable {
  tenant_id: string;
  agent_key: string;
  usage: string;
  seq: string;
  statement_id: string;
}

export interface XapiStatementActivityTable {
  tenant_id: string;
  activity_iri: string;
  usage: string;
  seq: string;
  statement_id: string;
}

export interface PersonTable {
  tenant_id: string;
  id: Generated<string>;
  employee_id: string | null;
  lms_user_id: string | null;
  display_name: string | null;
  email: string | null;
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ProgramTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  target_outcomes: Generated<string[]>;
  pre_window_start: string | null;
  pre_window_end: string | null;
  post_window_start: string | null;
  post_window_end: string | null;
  leading_cadence: Generated<string>;
  lagging_cadence: Generated<string>;
  money_perspective: Generated<string>;
  benefit_horizon_years: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
  discount_rate: ColumnType<string, string | number | undefined, string | number>;
  effect_decay: ColumnType<string, string | number | undefined, string | number>;
  kpi_attempt_policy: Generated<'first' | 'best' | 'latest'>;
  kpi_denominator: Generated<'assigned' | 'enrolled-now'>;
}

export interface ProgramRandomizationTable {
  tenant_id: string;
  program_id: string;
  algorithm: string;
  seed: string;
  record: ColumnType<unknown, string, never>;
  participant_count: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface CohortTable {
  tenant_id: string;
  id: Generated<string>;
  program_id: string;
  name: string;
  arm: string;
  source: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface CohortMemberTable {
  tenant_id: string;
  program_id: string;
  person_id: string;
  cohort_id: string;
  stratum: string | null;
  block: number | null;
  assigned_at: ColumnType<Date, Date | undefined, never>;
}

/** numeric columns come back from pg as strings (exact); money stays exact end to end. */
type Numeric = ColumnType<string, string | number, string | number>;

export interface ProgramCostModelTable {
  tenant_id: string;
  program_id: string;
  model: ColumnType<Record<string, unknown>, string, string>;
  currency: Generated<string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MonetizationAssumptionTable {
  tenant_id: string;
  program_id: string;
  outcome: string;
  perspective: string;
  label: string;
  unit: string;
  value_per_unit: Numeric;
  source: string;
  confidence: Numeric;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ProgramIntangibleTable {
  tenant_id: string;
  program_id: string;
  label: string;
}

export interface ProgramEffectTable {
  tenant_id: string;
  program_id: string;
  outcome: string;
  units_per_participant: Numeric;
  lower: ColumnType<string | null, string | number | null, string | number | null>;
  upper: ColumnType<string | null, string | number | null, string | number | null>;
  participants: number;
  method: string;
  note: Generated<string>;
  estimated_at: ColumnType<Date, Date | undefined, Date>;
  options: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface ConfoundingEventTable {
  tenant_id: string;
  id: Generated<string>;
  program_id: string | null;
  starts_on: string;
  ends_on: string | null;
  title: string;
  description: Generated<string>;
}

export interface ProgramEvidenceTable {
  tenant_id: string;
  id: Generated<string>;
  program_id: string;
  kind: string;
  title: string;
  body_html: string;
  author: Generated<string>;
  recorded_on: ColumnType<string, string | undefined, string>;
}

export interface RoiSnapshotTable {
  tenant_id: string;
  id: Generated<string>;
  program_id: string;
  taken_at: ColumnType<Date, Date | undefined, never>;
  report: ColumnType<unknown, string, never>;
  kind: Generated<string>;
  scheduled_for: string | null;
  data_as_of: string | null;
}

type Json<T> = ColumnType<T, string, string>;
type NullableNumeric = ColumnType<string | null, string | null, string | null>;
type DateOnly = ColumnType<string, string, string>;

export interface OutcomeImportTable {
  tenant_id: string;
  id: Generated<string>;
  kind: string;
  source: string;
  file_name: string | null;
  status: Generated<string>;
  mapping: Json<Record<string, string>>;
  options: Json<Record<string, unknown>>;
  content_hash: string | null;
  bytes_total: ColumnType<string | null, number | null, number | null>;
  bytes_read: ColumnType<string, number | undefined, number>;
  rows_parsed: Generated<number>;
  rows_invalid: Generated<number>;
  report: Json<unknown> | null;
  failure: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  staged_at: Date | null;
  accepted_by: string | null;
  accepted_at: Date | null;
  applied: Json<unknown> | null;
}

export interface OutcomeImportRowTable {
  tenant_id: string;
  import_id: string;
  row_number: number;
  employee_id: string | null;
  natural_key: string | null;
  valid: boolean;
  values: Json<Record<string, unknown>>;
  errors: Json<unknown> | null;
}

interface OutcomeProvenance {
  import_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface OutcomePayrollTable extends OutcomeProvenance {
  tenant_id: string;
  person_id: string;
  period: DateOnly;
  deferral_pct: NullableNumeric;
  employer_match_amount: NullableNumeric;
  contribution_amount: NullableNumeric;
}

export interface OutcomePlanParticipationTable extends OutcomeProvenance {
  tenant_id: string;
  person_id: string;
  as_of: DateOnly;
  participating: boolean;
  auto_enrolled: boolean | null;
  opted_out: boolean | null;
}

export interface OutcomeClaimTable extends OutcomeProvenance {
  tenant_id: string;
  claim_id: string;
  person_id: string;
  claim_type: string;
  cost: ColumnType<string, string, string>;
  service_date: DateOnly;
}

export interface OutcomeHrisTable extends OutcomeProvenance {
  tenant_id: string;
  person_id: string;
  period: DateOnly;
  absence_days: NullableNumeric;
  separation_date: DateOnly | null;
  separation_voluntary: boolean | null;
  productivity_index: NullableNumeric;
}

export interface LtiPlatformTable {
  tenant_id: string;
  id: Generated<string>;
  issuer: string;
  client_id: string;
  name: string;
  auth_url: string;
  token_url: string;
  jwks_url: string;
  status: 'active' | 'pending';
  source: LtiPlatformSource;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** One-time Dynamic Registration tokens (SHA-256 only); spent by /lti/register. */
export interface LtiRegistrationTokenTable {
  tenant_id: string;
  id: Generated<string>;
  token_hash: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
  used_at: Date | null;
}

export interface LtiPlatformRouteTable {
  issuer: string;
  client_id: string;
  tenant_id: string;
  platform_id: string;
}

export interface LtiDeploymentTable {
  tenant_id: string;
  platform_id: string;
  deployment_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface LtiLoginStateTable {
  state: string;
  nonce: string;
  issuer: string;
  client_id: string | null;
  /** The platform frame keeping state and nonce (lti_storage_target), when the login named one. */
  storage_target: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface LtiUsedNonceTable {
  issuer: string;
  nonce: string;
  expires_at: Date;
}

export interface LtiUserTable {
  tenant_id: string;
  id: Generated<string>;
  platform_id: string;
  sub: string;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  xapi_home_page: string;
  xapi_name: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface CourseContextTable {
  tenant_id: string;
  id: Generated<string>;
  platform_id: string;
  deployment_id: string;
  context_id: string;
  title: string | null;
  label: string | null;
  memberships_url: string | null;
  lineitems_url: string | null;
  roster_synced_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface EnrollmentTable {
  tenant_id: string;
  context_id: string;
  user_id: string;
  roles: string[];
  role_kind: RoleKind;
  status: 'active' | 'inactive';
  source: 'launch' | 'roster' | 'sample';
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  /** When a launch or roster sync first enrolled the learner (null: before dates were kept, migration 0156). */
  enrolled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When a roster sync last ended the enrollment (null while active). */
  ended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface LtiSessionTable {
  tenant_id: string;
  id: string;
  platform_id: string;
  user_id: string;
  context_id: string | null;
  role_kind: RoleKind;
  roles: string[];
  message_type: string;
  resource_link_id: string | null;
  launch: ColumnType<unknown, string, string>;
  expires_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
  /** Set when the user signed out (migration 0146): the session and its tokens stop working. */
  ended_at: ColumnType<Date | null, never, Date>;
}

/** Signed download links already used (migration 0086). */
export interface ExportLinkUseTable {
  tenant_id: string;
  nonce: string;
  expires_at: Date;
  used_at: ColumnType<Date, Date | undefined, never>;
}

export interface LtiGradePassbackTable {
  tenant_id: string;
  id: Generated<string>;
  platform_id: string;
  context_id: string;
  user_id: string;
  lineitem_url: string;
  score_given: number | null;
  score_maximum: number | null;
  activity_progress: string;
  grading_progress: string;
  score_timestamp: Date;
  status: 'queued' | 'sent' | 'failed';
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface LtiRetiredKeyTable {
  tenant_id: string;
  platform_id: string;
  kid: string;
  public_jwk: ColumnType<Record<string, unknown>, string, string>;
  retired_at: ColumnType<Date, Date | undefined, never>;
  published_until: Date;
}

export interface ModuleTable {
  tenant_id: string;
  id: Generated<string>;
  program_id: string | null;
  title: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ModuleVersionTable {
  tenant_id: string;
  module_id: string;
  version: number;
  status: 'draft' | 'published';
  /** ModuleContent as JSON (written as a JSON string). */
  content: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
  published_at: Date | null;
}

export interface ModuleLinkTable {
  tenant_id: string;
  /** course_context.id */
  context_id: string;
  resource_link_id: string;
  module_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ModuleExperimentTable {
  tenant_id: string;
  id: Generated<string>;
  module_id: string;
  name: string;
  arm_a_version: number;
  arm_b_version: number;
  allocation_a: number;
  /** bigint: read back as a string by node-postgres. */
  seed: ColumnType<string, string | number, string | number>;
  status: Generated<'running' | 'stopped'>;
  started_at: ColumnType<Date, Date | undefined, never>;
  stopped_at: Date | null;
}

export interface ModuleExperimentAssignmentTable {
  tenant_id: string;
  experiment_id: string;
  learner_key: string;
  arm: 'A' | 'B';
  version: number;
  assigned_at: ColumnType<Date, Date | undefined, never>;
}

export interface LearningAttemptTable {
  tenant_id: string;
  id: Generated<string>;
  module_id: string;
  version: number;
  user_id: string;
  context_id: string;
  resource_link_id: string;
  status: ColumnType<'open' | 'completed', 'open' | 'completed' | undefined, 'open' | 'completed'>;
  step: ColumnType<number, number | undefined, number>;
  /** AttemptResults as JSON (written as a JSON string). */
  results: ColumnType<unknown, string | undefined, string>;
  started_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  completed_at: Date | null;
}

export interface LearningSessionTable {
  tenant_id: string;
  id: Generated<string>;
  attempt_id: string;
  lti_session_id: string;
  status: ColumnType<LearningSessionStatus, LearningSessionStatus | undefined, LearningSessionStatus>;
  started_at: ColumnType<Date, Date | undefined, never>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  ended_at: Date | null;
  active_seconds: ColumnType<number, number | undefined, number>;
  estimated: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface LearningTimeTotalTable {
  tenant_id: string;
  user_id: string;
  module_id: string;
  seconds: number;
  sessions: number;
  estimated_sessions: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface LearningObservationTable {
  tenant_id: string;
  id: string;
  module_id: string;
  observer_user_id: string;
  learner_user_id: string;
  context_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type Cmi5SessionStatus = 'launched' | 'initialized' | 'terminated' | 'abandoned';

export interface Cmi5LaunchTable {
  tenant_id: string;
  id: Generated<string>;
  attempt_id: string;
  session_id: string;
  activity_id: string;
  agent_key: string;
  fetch_hash: string;
  secret_hash: string | null;
  fetched_at: Date | null;
  expires_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
  au_id: string | null;
  status: Generated<Cmi5SessionStatus>;
  last_statement_at: Date | null;
}

export interface ContentPackageTable {
  tenant_id: string;
  id: Generated<string>;
  module_id: string;
  module_version: number;
  course_id: string;
  title: string;
  sha256: string;
  file_count: number;
  total_bytes: ColumnType<string, number, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ContentPackageFileTable {
  tenant_id: string;
  package_id: string;
  path: string;
  content_type: string;
  bytes: Buffer;
}

export interface ProgramEffectPersonTable {
  tenant_id: string;
  program_id: string;
  outcome: string;
  person_id: string;
  improvement: number;
}

export interface ProgramForecastTable {
  tenant_id: string;
  program_id: string;
  version: number;
  created_at: ColumnType<Date, Date | undefined, never>;
  trigger: string;
  import_id: string | null;
  data_as_of: string | null;
  horizon_years: number;
  discount_rate: ColumnType<string, string | number, never>;
  effect_decay: ColumnType<string, string | number, never>;
  forecast: ColumnType<unknown, string, never>;
}

export interface ChartRenderCacheTable {
  tenant_id: string;
  model_hash: string;
  rendered: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** Learner x module KPI rollup (migration 0066), kept by triggers on kpi_statement; read by raw SQL. */
export interface KpiLearnerModuleTable {
  tenant_id: string;
  course_id: string | null;
  program_id: string | null;
  module_id: string | null;
  module_version: number | null;
  actor_home_page: string | null;
  actor_name: string | null;
  launched: number;
  initialized: number;
  completed: number;
  passed: number;
  failed: number;
  sessions: number;
  /** Summed session durations, whole microseconds (bigint: pg returns a string). */
  micros: string;
  estimated: number;
  first_launch_at: Date | null;
  last_activity_at: Date | null;
  day: string;
}

/** Each learner's latest post-test attempt per module version (migration 0067), kept by triggers. */
export interface KpiPostLatestTable {
  tenant_id: string;
  course_id: string | null;
  program_id: string | null;
  module_id: string;
  module_version: number | null;
  actor_home_page: string;
  actor_name: string;
  registration: string | null;
  last_at: Date;
  total: number;
  /** Parallel arrays, one element per question of the attempt. */
  items: string[];
  correct: boolean[];
  responses: (string | null)[];
  /** Another row of the actor, module and coalesce(version, 0) existed when this one was made. */
  split: boolean;
}

/** kpi_post_latest rows per scope, module version and total score (migration 0073). */
export interface KpiPostTotalTable {
  tenant_id: string;
  course_id: string | null;
  program_id: string | null;
  module_id: string;
  module_version: number | null;
  total: number;
  learners: number;
}

/** kpi_post_latest answers per scope, module version, question, response and total score (0073). */
export interface KpiPostOptionTable {
  tenant_id: string;
  course_id: string | null;
  program_id: string | null;
  module_id: string;
  module_version: number | null;
  item_id: string;
  response: string | null;
  total: number;
  learners: number;
  /** Of those learners, how many answered the question correctly. */
  correct: number;
}
