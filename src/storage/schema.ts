import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of the schema. Every table of tenant data leads its keys with `tenant_id`, the
 * distribution column when the schema runs on Citus. Keep in step with migrations/.
 */
export interface Database {
  tenant: TenantTable;
  xapi_statement: XapiStatementTable;
  xapi_statement_agent: XapiStatementAgentTable;
  xapi_statement_activity: XapiStatementActivityTable;
  lti_platform: LtiPlatformTable;
  lti_platform_route: LtiPlatformRouteTable;
  lti_deployment: LtiDeploymentTable;
  lti_login_state: LtiLoginStateTable;
  lti_used_nonce: LtiUsedNonceTable;
  lti_user: LtiUserTable;
  course_context: CourseContextTable;
  enrollment: EnrollmentTable;
  lti_session: LtiSessionTable;
  lti_grade_passback: LtiGradePassbackTable;
  lti_retired_key: LtiRetiredKeyTable;
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
  source: 'cli' | 'admin' | 'dynamic' | 'dev-lms';
  created_at: ColumnType<Date, Date | undefined, never>;
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

export type RoleKind = 'learner' | 'instructor' | 'admin' | 'other';

export interface EnrollmentTable {
  tenant_id: string;
  context_id: string;
  user_id: string;
  roles: string[];
  role_kind: RoleKind;
  status: 'active' | 'inactive';
  source: 'launch' | 'roster';
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
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
