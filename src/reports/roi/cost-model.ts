import { StatsInputError } from '../stats/stats-input-error.js';
import {
  add,
  compare,
  divide,
  multiply,
  rational,
  sum,
  toRational,
  ZERO,
  type DecimalInput,
  type Rational,
} from './exact.js';

/** Cost categories of a fully loaded program cost (Phillips). */
export type CostCategory =
  'development' | 'delivery' | 'platform' | 'facilitation' | 'participantTime' | 'evaluation' | 'other';

/** Inputs of a fully loaded cost for one offering (cohort) of a program; money in one currency. */
export interface CostModelInput {
  /** One-time design and build cost, spread evenly over the offerings expected to use it. */
  development?: { total: DecimalInput; offerings: number };
  /** Delivery: materials, LMS seats, facilities, travel for this offering. */
  delivery?: DecimalInput;
  /** Platform share (LMS, authoring tool, hosting) charged to this offering. */
  platform?: DecimalInput;
  /** Facilitator and coach time, including their loaded pay. */
  facilitation?: DecimalInput;
  /**
   * Participants' time away from work: hours per participant x hourly wage x (1 + benefits load) x
   * participants. `benefitsLoad` is a fraction: 0.3 means benefits add 30% to wages.
   */
  participantTime?: {
    hoursPerParticipant: DecimalInput;
    hourlyWage: DecimalInput;
    benefitsLoad: DecimalInput;
    participants: number;
  };
  /** Evaluation and reporting cost (including this ROI study). */
  evaluation?: DecimalInput;
  /** Anything else, each with a label the report shows. */
  other?: { label: string; amount: DecimalInput }[];
}

/** One line of the breakdown. */
export interface CostLine {
  category: CostCategory;
  label: string;
  amount: Rational;
}

/** Per-category lines (only categories that were given) and their exact total. */
export interface CostBreakdown {
  lines: CostLine[];
  total: Rational;
}

/**
 * Fully loaded cost of one offering, the denominator of ROI. Phillips' guidance is to include every
 * cost (conservative): prorated development, delivery, platform, facilitation, the loaded value of
 * participants' time, and evaluation. Omitted categories are treated as zero and do not appear in the
 * breakdown, so a report can show which costs were considered.
 *
 *   development line = total / offerings
 *   participant time = hours x wage x (1 + benefits load) x participants
 *
 * @throws StatsInputError for a negative amount, zero offerings, or a participant count that is not a
 *   whole number.
 */
export function fullyLoadedCost(input: CostModelInput): CostBreakdown {
  const lines: CostLine[] = [];
  const push = (category: CostCategory, label: string, amount: Rational): void => {
    if (compare(amount, ZERO) < 0) {
      throw new StatsInputError(category, `${label} cannot be negative; enter costs as positive amounts.`);
    }
    lines.push({ category, label, amount });
  };
  if (input.development) {
    const { total, offerings } = input.development;
    if (!Number.isInteger(offerings) || offerings < 1) {
      throw new StatsInputError(
        'development',
        `development.offerings must be a whole number of at least 1, got ${offerings}.`,
      );
    }
    push(
      'development',
      `Development prorated over ${offerings} offering(s)`,
      divide(toRational(total, 'development.total'), rational(BigInt(offerings))),
    );
  }
  const simple: [CostCategory, string, DecimalInput | undefined][] = [
    ['delivery', 'Delivery', input.delivery],
    ['platform', 'Platform', input.platform],
    ['facilitation', 'Facilitation', input.facilitation],
  ];
  for (const [category, label, value] of simple) {
    if (value !== undefined) push(category, label, toRational(value, category));
  }
  if (input.participantTime) {
    const t = input.participantTime;
    if (!Number.isInteger(t.participants) || t.participants < 0) {
      throw new StatsInputError(
        'participantTime',
        `participants must be a whole number, got ${t.participants}.`,
      );
    }
    const loaded = multiply(
      toRational(t.hourlyWage, 'hourlyWage'),
      add(rational(1n), toRational(t.benefitsLoad, 'benefitsLoad')),
    );
    const amount = multiply(
      multiply(toRational(t.hoursPerParticipant, 'hoursPerParticipant'), loaded),
      rational(BigInt(t.participants)),
    );
    push('participantTime', 'Participant time (loaded wages)', amount);
  }
  if (input.evaluation !== undefined)
    push('evaluation', 'Evaluation', toRational(input.evaluation, 'evaluation'));
  for (const item of input.other ?? []) push('other', item.label, toRational(item.amount, item.label));
  return { lines, total: sum(lines.map((l) => l.amount)) };
}
