import type { MetricDefinition } from './model.js';

/**
 * The lagging outcomes attribution can estimate effects on, and how each is measured per person over a
 * window. Period tables (payroll, HRIS) are monthly: sums are annualized over the months a person was
 * observed; claims are events: counts and costs are annualized over the window's length, and a person
 * with no claims counts as zero. Percentages and indexes are averaged.
 */
export const METRICS: readonly MetricDefinition[] = [
  {
    name: 'deferral_pct',
    label: '401(k) deferral rate',
    unit: 'percentage point',
    source: 'payroll',
    aggregation: 'mean',
    betterWhen: 'higher',
  },
  {
    name: 'employer_match_amount',
    label: 'Employer match captured',
    unit: 'dollar per year',
    source: 'payroll',
    aggregation: 'annualized-sum',
    betterWhen: 'higher',
  },
  {
    name: 'contribution_amount',
    label: 'Employee contributions',
    unit: 'dollar per year',
    source: 'payroll',
    aggregation: 'annualized-sum',
    betterWhen: 'higher',
  },
  {
    name: 'plan_participation',
    label: 'Plan participation',
    unit: 'participant',
    source: 'plan_participation',
    aggregation: 'flag',
    betterWhen: 'higher',
  },
  {
    name: 'claims_count',
    label: 'Claims',
    unit: 'claim per year',
    source: 'claims',
    aggregation: 'annualized-events',
    betterWhen: 'lower',
  },
  {
    name: 'claims_cost',
    label: 'Claims cost',
    unit: 'dollar per year',
    source: 'claims',
    aggregation: 'annualized-sum',
    betterWhen: 'lower',
  },
  {
    name: 'absence_days',
    label: 'Absence days',
    unit: 'day per year',
    source: 'hris',
    aggregation: 'annualized-sum',
    betterWhen: 'lower',
  },
  {
    name: 'voluntary_separation',
    label: 'Voluntary separation',
    unit: 'separation',
    source: 'hris',
    aggregation: 'flag',
    betterWhen: 'lower',
  },
  {
    name: 'productivity_index',
    label: 'Productivity index',
    unit: 'point',
    source: 'hris',
    aggregation: 'mean',
    betterWhen: 'higher',
  },
];

/** The metric named `name`, or undefined. */
export function findMetric(name: string): MetricDefinition | undefined {
  return METRICS.find((m) => m.name === name);
}

/** Window length in days, both ends included. */
export function windowDays(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86400000) + 1;
}
