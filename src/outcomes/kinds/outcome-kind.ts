import type { FieldSpec, FieldValue, Problem } from '../fields.js';

export const outcomeKindNames = ['payroll', 'plan_participation', 'claims', 'hris'] as const;
export type OutcomeKindName = (typeof outcomeKindNames)[number];

export interface CrossFieldProblem {
  field: string;
  problem: Problem;
}

/**
 * One kind of lagging outcome: its fields (the import's columns), its natural key (what makes two
 * rows "the same fact", so a re-import updates instead of adding) and rules across fields.
 */
export interface OutcomeKind {
  name: OutcomeKindName;
  title: string;
  description: string;
  fields: FieldSpec[];
  /** Field names forming the natural key; employee_id stands for the person. */
  keyFields: string[];
  crossCheck?(values: Record<string, FieldValue>): CrossFieldProblem[];
}

/** The employee id every kind carries: the join key to `person.employee_id`. */
export const employeeIdField: FieldSpec = {
  name: 'employee_id',
  type: 'text',
  required: true,
  description: 'The employee id used by payroll, benefits and HRIS; matched to person.employee_id.',
  aliases: ['employee', 'emp_id', 'empid', 'employee_number', 'employee_no', 'worker_id', 'personnel_number'],
};
