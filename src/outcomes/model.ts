/**
 * The outcomes area's model: imports of lagging outcomes, the people they are about, and the metrics
 * attribution estimates effects on (outcomes/metrics.ts lists them).
 */

export type ImportStatus = 'created' | 'staging' | 'staged' | 'failed' | 'accepted';

export interface OutcomeImport {
  tenantId: string;
  id: string;
  kind: string;
  source: 'csv' | 'json';
  fileName: string | null;
  status: ImportStatus;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
  contentHash: string | null;
  bytesTotal: number | null;
  bytesRead: number;
  rowsParsed: number;
  rowsInvalid: number;
  report: unknown;
  failure: string | null;
  createdBy: string;
  createdAt: Date;
  stagedAt: Date | null;
  acceptedBy: string | null;
  acceptedAt: Date | null;
  applied: AppliedCounts | null;
}

export interface AppliedCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  peopleCreated: number;
}

/**
 * Employee ids erased on request and not lifted (issue #18, src/privacy): imports refuse their rows.
 * Returns the given ids that are tombstoned.
 */
export interface ErasedEmployeeIds {
  tombstoned(tenantId: string, employeeIds: string[]): Promise<string[]>;
}

/** No tombstones: for callers without privacy requests (tests of the import alone). */
export const NO_ERASED_EMPLOYEE_IDS: ErasedEmployeeIds = { tombstoned: async () => [] };

export interface StagedRow {
  rowNumber: number;
  employeeId: string | null;
  naturalKey: string | null;
  valid: boolean;
  values: Record<string, unknown>;
  errors: unknown[] | null;
}

export interface Person {
  id: string;
  employeeId: string | null;
  lmsUserId: string | null;
  email: string | null;
  displayName: string | null;
}

export interface PersonPatch {
  employeeId?: string;
  lmsUserId?: string;
  email?: string;
  displayName?: string;
}

export interface PersonValue {
  personId: string;
  value: number;
}

/** How one person's values of a metric over a window become one number (see outcomes/metrics.ts). */
export type MetricAggregation = 'mean' | 'annualized-sum' | 'annualized-events' | 'flag';

export interface MetricDefinition {
  name: string;
  label: string;
  /** The unit of one person's value; effects are in this unit (per year for annualized metrics). */
  unit: string;
  source: 'payroll' | 'plan_participation' | 'claims' | 'hris';
  aggregation: MetricAggregation;
  /** Which direction is an improvement; effects are reported as improvements (positive = better). */
  betterWhen: 'higher' | 'lower';
}
