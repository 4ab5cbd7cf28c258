import { wilsonInterval, type ProportionInterval } from '../../reports/stats/wilson.js';
import {
  meanDifference,
  proportionDifference,
  type MeanDifference,
  type ProportionDifference,
} from '../../reports/stats/two-sample.js';
import { StatsInputError } from '../../reports/stats/stats-input-error.js';
import type { Arm, LearnerOutcome, ModuleExperiment } from '../model.js';

export interface ArmResult {
  arm: Arm;
  version: number;
  /** Learners assigned to the arm (stored assignments). */
  assigned: number;
  /** Learners with statements on this version during the experiment: the denominator below. */
  learners: number;
  completed: number;
  passed: number;
  /** Share who completed, Wilson interval; null without learners. */
  completion: ProportionInterval | null;
  /** Share who passed (reached the post-test mastery score), Wilson interval; null without learners. */
  mastery: ProportionInterval | null;
  /** First post-test scaled score (0..1) per learner. */
  scores: { n: number; mean: number | null };
}

export interface ExperimentResults {
  experiment: ModuleExperiment;
  confidence: number;
  arms: [ArmResult, ArmResult];
  /** Differences are arm B minus arm A; null with a reason in `notes` when they cannot be computed. */
  completionDifference: ProportionDifference | null;
  masteryDifference: ProportionDifference | null;
  /** Welch interval of the mean first scaled post-test score, B minus A (0.05 = 5 points of 100). */
  scoreDifference: MeanDifference | null;
  notes: string[];
}

/**
 * Reduces learner outcomes to per-arm rates and B-minus-A differences with intervals: Wilson for each
 * arm's rates, Newcombe for their differences, Welch for the post-test score. Too few learners give
 * null and a note instead of an interval.
 */
export function summarizeArms(
  experiment: ModuleExperiment,
  outcomes: LearnerOutcome[],
  assigned: Record<Arm, number>,
  confidence: number,
): ExperimentResults {
  const notes: string[] = [];
  const arm = (name: Arm, version: number): ArmResult & { scoreValues: number[] } => {
    const rows = outcomes.filter((o) => o.version === version);
    const completed = rows.filter((r) => r.completed).length;
    const passed = rows.filter((r) => r.passed).length;
    const scoreValues = rows.map((r) => r.firstScaled).filter((s): s is number => s !== null);
    return {
      arm: name,
      version,
      assigned: assigned[name],
      learners: rows.length,
      completed,
      passed,
      completion: rows.length ? wilsonInterval(completed, rows.length, confidence) : null,
      mastery: rows.length ? wilsonInterval(passed, rows.length, confidence) : null,
      scores: {
        n: scoreValues.length,
        mean: scoreValues.length ? scoreValues.reduce((a, b) => a + b, 0) / scoreValues.length : null,
      },
      scoreValues,
    };
  };
  const a = arm('A', experiment.armAVersion);
  const b = arm('B', experiment.armBVersion);
  const bothHaveLearners = a.learners > 0 && b.learners > 0;
  if (!bothHaveLearners) notes.push('Each arm needs learners with statements before rates can be compared.');
  let scoreDifference: MeanDifference | null = null;
  try {
    scoreDifference = meanDifference(b.scoreValues, a.scoreValues, { confidence });
  } catch (err) {
    if (!(err instanceof StatsInputError)) throw err;
    notes.push(
      'The post-test score difference needs at least 2 scored learners per arm and some spread in scores.',
    );
  }
  const strip = ({ scoreValues: _unused, ...rest }: ArmResult & { scoreValues: number[] }): ArmResult => rest;
  return {
    experiment,
    confidence,
    arms: [strip(a), strip(b)],
    completionDifference: bothHaveLearners
      ? proportionDifference(b.completed, b.learners, a.completed, a.learners, { confidence })
      : null,
    masteryDifference: bothHaveLearners
      ? proportionDifference(b.passed, b.learners, a.passed, a.learners, { confidence })
      : null,
    scoreDifference,
    notes,
  };
}
