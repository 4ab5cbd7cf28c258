import { employeeIdField, type OutcomeKind } from './outcome-kind.js';

/** HRIS outcomes per employee and month: absence, separation and productivity. */
export const hrisKind: OutcomeKind = {
  name: 'hris',
  title: 'HRIS',
  description:
    'One row per employee and month: absence days, separation (date, voluntary or not), productivity index.',
  keyFields: ['employee_id', 'period'],
  fields: [
    employeeIdField,
    {
      name: 'period',
      type: 'month',
      required: true,
      notInFuture: true,
      description: 'The month, YYYY-MM (a date YYYY-MM-01 is accepted).',
      aliases: ['month'],
    },
    {
      name: 'absence_days',
      type: 'number',
      required: false,
      min: 0,
      max: 31,
      maxNullRate: 0.2,
      description: 'Days absent in the month, 0 to 31 (fractions allowed).',
      aliases: ['absences', 'absence', 'days_absent', 'sick_days'],
    },
    {
      name: 'separation_date',
      type: 'date',
      required: false,
      notInFuture: true,
      maxNullRate: 1,
      description: 'Date the employee left, YYYY-MM-DD; empty while employed.',
      aliases: ['termination_date', 'separated_on', 'exit_date'],
    },
    {
      name: 'separation_voluntary',
      type: 'boolean',
      required: false,
      maxNullRate: 1,
      description: 'Whether the separation was voluntary (yes/no); only with a separation date.',
      aliases: ['voluntary', 'voluntary_separation', 'voluntary_termination'],
    },
    {
      name: 'productivity_index',
      type: 'number',
      required: false,
      min: 0,
      max: 1000,
      maxNullRate: 0.5,
      description: 'Productivity index, baseline 100 (0 to 1000).',
      aliases: ['productivity', 'productivity_score'],
    },
  ],
  crossCheck(values) {
    if (values.separation_voluntary !== null && values.separation_date === null)
      return [{ field: 'separation_voluntary', problem: 'inconsistent' }];
    return [];
  },
};
