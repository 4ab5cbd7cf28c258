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
  person: PersonTable;
  program: ProgramTable;
  program_randomization: ProgramRandomizationTable;
  cohort: CohortTable;
  cohort_member: CohortMemberTable;
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
