import { employeeIdField, type OutcomeKind } from './outcome-kind.js';

/** Monthly payroll contributions: 401(k) deferral rate, employer match and employee contribution. */
export const payrollKind: OutcomeKind = {
  name: 'payroll',
  title: 'Payroll contributions',
  description: 'One row per employee and month: deferral rate (%), employer match and contribution amounts.',
  keyFields: ['employee_id', 'period'],
  fields: [
    employeeIdField,
    {
      name: 'period',
      type: 'month',
      required: true,
      notInFuture: true,
      description: 'The payroll month, YYYY-MM (a date YYYY-MM-01 is accepted).',
      aliases: ['month', 'pay_period', 'payroll_month'],
    },
    {
      name: 'deferral_pct',
      type: 'number',
      required: false,
      min: 0,
      max: 100,
      maxNullRate: 0.2,
      description: 'Elective deferral as a percentage of pay, 0 to 100 (6 means 6%).',
      aliases: ['deferral', 'deferral_percent', 'deferral_rate', 'contribution_rate', 'contribution_pct'],
    },
    {
      name: 'employer_match_amount',
      type: 'number',
      required: false,
      min: 0,
      maxNullRate: 0.5,
      description: 'Employer match paid in the month, in the plan currency, at least 0.',
      aliases: ['employer_match', 'match', 'match_amount'],
    },
    {
      name: 'contribution_amount',
      type: 'number',
      required: false,
      min: 0,
      maxNullRate: 0.5,
      description: 'Employee contribution paid in the month, in the plan currency, at least 0.',
      aliases: ['contribution', 'employee_contribution', 'deferral_amount'],
    },
  ],
};
