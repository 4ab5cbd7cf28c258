import { employeeIdField, type OutcomeKind } from './outcome-kind.js';

/** Benefit claims: one row per claim, keyed by the claim id the insurer or TPA assigns. */
export const claimsKind: OutcomeKind = {
  name: 'claims',
  title: 'Claims',
  description: 'One row per claim: type, cost and date of service.',
  keyFields: ['claim_id'],
  fields: [
    employeeIdField,
    {
      name: 'claim_id',
      type: 'text',
      required: true,
      description: 'The claim identifier from the claims system; unique per tenant.',
      aliases: ['claim', 'claim_number', 'claim_no'],
    },
    {
      name: 'claim_type',
      type: 'text',
      required: true,
      description: 'The claim category, e.g. er_minor, urgent_care, primary_care, pharmacy.',
      aliases: ['type', 'category', 'claim_category'],
    },
    {
      name: 'cost',
      type: 'number',
      required: true,
      min: 0,
      description: 'Allowed cost of the claim in the plan currency, at least 0.',
      aliases: ['amount', 'claim_cost', 'allowed_amount', 'paid_amount'],
    },
    {
      name: 'service_date',
      type: 'date',
      required: true,
      notInFuture: true,
      description: 'Date of service, YYYY-MM-DD.',
      aliases: ['date', 'date_of_service', 'service_dt'],
    },
  ],
};
