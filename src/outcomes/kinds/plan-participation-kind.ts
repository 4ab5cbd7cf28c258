import { employeeIdField, type OutcomeKind } from './outcome-kind.js';

/** Retirement-plan participation snapshots, including auto-enrollment and opt-outs. */
export const planParticipationKind: OutcomeKind = {
  name: 'plan_participation',
  title: 'Plan participation',
  description:
    'One row per employee and snapshot date: participating, auto-enrolled, opted out of auto-enrollment.',
  keyFields: ['employee_id', 'as_of'],
  fields: [
    employeeIdField,
    {
      name: 'as_of',
      type: 'date',
      required: true,
      notInFuture: true,
      description: 'The snapshot date, YYYY-MM-DD.',
      aliases: ['date', 'snapshot_date', 'as_of_date'],
    },
    {
      name: 'participating',
      type: 'boolean',
      required: true,
      description: 'Whether the employee participates in the plan on that date (yes/no).',
      aliases: ['participant', 'enrolled', 'is_participating'],
    },
    {
      name: 'auto_enrolled',
      type: 'boolean',
      required: false,
      maxNullRate: 0.5,
      description: 'Whether the employee was enrolled automatically (yes/no).',
      aliases: ['auto_enrollment', 'autoenrolled'],
    },
    {
      name: 'opted_out',
      type: 'boolean',
      required: false,
      maxNullRate: 0.5,
      description: 'Whether the employee opted out of automatic enrollment (yes/no).',
      aliases: ['opt_out', 'optout', 'opted_out_of_auto_enrollment'],
    },
  ],
  crossCheck(values) {
    // Only an automatic enrollment can be opted out of.
    if (values.opted_out === true && values.auto_enrolled === false)
      return [{ field: 'opted_out', problem: 'inconsistent' }];
    return [];
  },
};
