import { ValidationError } from '../../errors.js';
import { claimsKind } from './claims-kind.js';
import { hrisKind } from './hris-kind.js';
import { outcomeKindNames, type OutcomeKind, type OutcomeKindName } from './outcome-kind.js';
import { payrollKind } from './payroll-kind.js';
import { planParticipationKind } from './plan-participation-kind.js';

export { outcomeKindNames, type OutcomeKind, type OutcomeKindName } from './outcome-kind.js';

export const outcomeKinds: Record<OutcomeKindName, OutcomeKind> = {
  payroll: payrollKind,
  plan_participation: planParticipationKind,
  claims: claimsKind,
  hris: hrisKind,
};

/** The kind named `name`, or a ValidationError listing the kinds. */
export function getOutcomeKind(name: string): OutcomeKind {
  const kind = outcomeKinds[name as OutcomeKindName];
  if (!kind)
    throw new ValidationError(
      `"${name}" is not an outcome kind; use one of ${outcomeKindNames.join(', ')}.`,
      [{ path: 'kind', message: 'unknown outcome kind' }],
    );
  return kind;
}
