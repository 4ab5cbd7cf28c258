/**
 * The programs area's model: programs, their cohorts and people pools, economics (assumptions, effects,
 * events, evidence, ROI snapshots) and forecasts. Repositories take and return these types.
 */

export interface Program {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  targetOutcomes: string[];
  preWindow: { start: string | null; end: string | null };
  postWindow: { start: string | null; end: string | null };
  leadingCadence: string;
  laggingCadence: string;
  moneyPerspective: string;
  benefitHorizonYears: number;
  /** Annual discount rate of the multi-year forecast, a fraction as exact decimal text ("0.05" = 5%). */
  discountRate: string;
  /** Share of the effect lost each year after the first, exact decimal text ("0.2" = 20%). */
  effectDecay: string;
  /** How the program's KPIs count attempts and learners (docs/kpi-reports.md, "Definitions"). */
  kpiRules: KpiRules;
  createdAt: Date;
}

/**
 * Which post-test attempt counts for mastery and the post score: `first` = the learner's first completed
 * attempt (one with a passed or failed verdict), `best` = the completed attempt with the highest score
 * (mastered when any attempt passed), `latest` = the newest completed attempt. Pre scores always come from
 * the first attempt.
 */
export type AttemptPolicy = 'first' | 'best' | 'latest';

/**
 * Who a rate divides by: `assigned` = every learner ever assigned (cohort members, learner enrollments
 * whether still active or ended: intention to treat); `enrolled-now` = only those still enrolled.
 */
export type DenominatorRule = 'assigned' | 'enrolled-now';

export interface KpiRules {
  attemptPolicy: AttemptPolicy;
  denominator: DenominatorRule;
}

/** The rules of a program that never chose (and of a course whose modules belong to no one program). */
export const DEFAULT_KPI_RULES: KpiRules = { attemptPolicy: 'first', denominator: 'assigned' };

export interface NewProgram {
  name: string;
  description?: string;
  targetOutcomes?: string[];
  preWindow?: { start: string | null; end: string | null };
  postWindow?: { start: string | null; end: string | null };
  leadingCadence?: string;
  laggingCadence?: string;
  moneyPerspective?: string;
  benefitHorizonYears?: number;
  discountRate?: number;
  effectDecay?: number;
  kpiRules?: KpiRules;
}

export interface PoolMember {
  personId: string;
  employeeId: string | null;
  attributes: Record<string, unknown>;
}

export interface CohortSummary {
  id: string;
  name: string;
  arm: string;
  source: string;
  members: number;
}

export interface CohortMemberRow extends PoolMember {
  cohortId: string;
  arm: string;
  stratum: string | null;
}

export interface RandomizationRow {
  algorithm: string;
  seed: string;
  record: unknown;
  participantCount: number;
  createdAt: Date;
}

export interface AssumptionRow {
  outcome: string;
  perspective: 'employer' | 'employee';
  label: string;
  unit: string;
  /** Exact decimal text, as PostgreSQL numeric returns it. */
  valuePerUnit: string;
  source: string;
  confidence: string;
}

export interface EffectRow {
  outcome: string;
  unitsPerParticipant: string;
  lower: string | null;
  upper: string | null;
  participants: number;
  method: 'randomized' | 'did' | 'psm' | 'trend' | 'manual';
  note: string;
  estimatedAt: Date;
  /** The estimation options (caliper, clusterAttribute, level) to repeat on a re-estimate. */
  options?: EffectOptions;
}

export interface EffectOptions {
  caliper?: number;
  clusterAttribute?: string;
  level?: number;
}

export interface EventRow {
  id: string;
  programId: string | null;
  startsOn: string;
  endsOn: string | null;
  title: string;
  description: string;
}

export interface EvidenceRow {
  id: string;
  kind: string;
  title: string;
  bodyHtml: string;
  author: string;
  recordedOn: string;
}

/** One participant's improvement over the comparison, in the outcome's unit (positive = better). */
export interface PersonImprovement {
  personId: string;
  improvement: number;
}

export type SnapshotKind = 'manual' | 'leading' | 'lagging' | 'demo';

export interface SnapshotRow {
  id: string;
  takenAt: Date;
  kind: SnapshotKind;
  /** The day a scheduled refresh ran for; null for other snapshots. */
  scheduledFor: string | null;
  /** The latest outcome date the report rests on, when known. */
  dataAsOf: string | null;
  report: unknown;
}

export interface NewSnapshot {
  kind?: SnapshotKind;
  scheduledFor?: string | null;
  dataAsOf?: string | null;
}

export interface ForecastVersion {
  version: number;
  createdAt: Date;
  trigger: 'import' | 'schedule' | 'manual' | 'demo';
  importId: string | null;
  dataAsOf: string | null;
  horizonYears: number;
  discountRate: string;
  effectDecay: string;
  forecast: unknown;
}

export type NewForecast = Omit<ForecastVersion, 'version' | 'createdAt'>;
