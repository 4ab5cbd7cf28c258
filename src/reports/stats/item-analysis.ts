import { StatsInputError } from './stats-input-error.js';

/** Classical test theory statistics of one question. */
export interface ItemStatistics {
  /** Position of the item (column) in the score matrix. */
  index: number;
  /** Difficulty index: proportion of learners who answered correctly (higher = easier), 0..1. */
  difficulty: number;
  /**
   * Corrected item-total (point-biserial) correlation: Pearson r between the item score and the total
   * score without this item. Null when either has no variance (everyone right, everyone wrong, or the
   * rest scores are all equal): the item then carries no ranking information.
   */
  correctedPointBiserial: number | null;
  /** Upper-lower discrimination index D = p(upper 27%) - p(lower 27%), -1..1. */
  upperLowerIndex: number;
}

/** Options of a multiple-choice question. */
export interface ChoiceItem {
  id: string;
  /** The correct option. */
  key: string;
  /** All options shown, in display order; a chosen value not listed here is an input error. */
  options: readonly string[];
}

/** How often one option was chosen, overall and in the upper and lower 27% groups. */
export interface OptionCount {
  option: string;
  isKey: boolean;
  count: number;
  /** Share of all learners (including those who skipped), 0..1. */
  proportion: number;
  upperCount: number;
  lowerCount: number;
}

/** Item statistics plus the distractor table for a multiple-choice question. */
export interface ChoiceItemAnalysis extends ItemStatistics {
  id: string;
  options: OptionCount[];
  /** Learners who did not answer (null); scored as wrong. */
  omitted: number;
}

/**
 * Share of learners in each of the upper and lower groups: 27% (Kelley 1939), which maximises the
 * difference between groups while keeping them large enough for a normal-shaped total score.
 */
export const UPPER_LOWER_SHARE = 0.27;

/**
 * Difficulty and discrimination of every item of a dichotomously scored test.
 *
 * Groups for the upper-lower index: learners sorted by total score, highest first; each group has
 * max(1, round(0.27 n)) learners. Learners tied on total at a group boundary are taken in input order
 * (a stable sort), so shuffle the input beforehand if the order carries meaning.
 *
 * @param scored one row per learner, one column per item, each 0 (wrong or skipped) or 1 (correct).
 * @throws StatsInputError for fewer than 2 learners, no items, ragged rows, or a score other than 0/1.
 */
export function itemStatistics(scored: readonly (readonly number[])[]): ItemStatistics[] {
  const { totals, itemCount } = validateScores(scored);
  const { upper, lower } = upperLowerGroups(totals);
  const result: ItemStatistics[] = [];
  for (let j = 0; j < itemCount; j += 1) {
    const item = scored.map((row) => row[j]!);
    const rest = item.map((v, i) => totals[i]! - v);
    const groupShare = (group: number[]): number => group.reduce((s, i) => s + item[i]!, 0) / group.length;
    result.push({
      index: j,
      difficulty: item.reduce((s, v) => s + v, 0) / item.length,
      correctedPointBiserial: pearson(item, rest),
      upperLowerIndex: groupShare(upper) - groupShare(lower),
    });
  }
  return result;
}

/**
 * Full analysis of multiple-choice answers: scores each answer (chosen option equals the key), then
 * {@link itemStatistics} per item, and a distractor table that counts how often each option was chosen
 * overall and in the upper and lower groups. A distractor that attracts more upper-group than
 * lower-group learners usually points to an ambiguous question or a wrong key.
 *
 * @param items the questions, in column order of `answers`.
 * @param answers one row per learner; each cell is the chosen option or null when skipped.
 * @throws StatsInputError for ragged rows, an option that the item does not list, or too few learners.
 */
export function analyzeChoiceItems(
  items: readonly ChoiceItem[],
  answers: readonly (readonly (string | null)[])[],
): ChoiceItemAnalysis[] {
  answers.forEach((row, i) => {
    if (row.length !== items.length) {
      throw new StatsInputError(
        'answers',
        `answers[${i}] has ${row.length} cells but there are ${items.length} items.`,
      );
    }
    row.forEach((choice, j) => {
      if (choice !== null && !items[j]!.options.includes(choice)) {
        throw new StatsInputError(
          'answers',
          `answers[${i}][${j}] = "${choice}" is not an option of item ${items[j]!.id}; check the answer key export.`,
        );
      }
    });
  });
  const scored = answers.map((row) => row.map((choice, j) => (choice === items[j]!.key ? 1 : 0)));
  const stats = itemStatistics(scored);
  const { upper, lower } = upperLowerGroups(validateScores(scored).totals);
  const n = answers.length;
  return items.map((item, j) => {
    const countIn = (rows: readonly number[], option: string): number =>
      rows.reduce((s, i) => s + (answers[i]![j] === option ? 1 : 0), 0);
    const all = answers.map((_, i) => i);
    const options = item.options.map((option) => {
      const count = countIn(all, option);
      return {
        option,
        isKey: option === item.key,
        count,
        proportion: count / n,
        upperCount: countIn(upper, option),
        lowerCount: countIn(lower, option),
      };
    });
    const omitted = answers.reduce((s, row) => s + (row[j] === null ? 1 : 0), 0);
    return { ...stats[j]!, id: item.id, options, omitted };
  });
}

/** Row indices of the upper and lower 27% groups by total score (see {@link itemStatistics}). */
export function upperLowerGroups(totals: readonly number[]): { upper: number[]; lower: number[] } {
  const n = totals.length;
  const size = Math.max(1, Math.round(UPPER_LOWER_SHARE * n));
  const order = totals.map((_, i) => i);
  const descending = [...order].sort((a, b) => totals[b]! - totals[a]!);
  const ascending = [...order].sort((a, b) => totals[a]! - totals[b]!);
  return { upper: descending.slice(0, size), lower: ascending.slice(0, size) };
}

function validateScores(scored: readonly (readonly number[])[]): { totals: number[]; itemCount: number } {
  if (scored.length < 2) {
    throw new StatsInputError('scored', `item analysis needs at least 2 learners, got ${scored.length}.`);
  }
  const itemCount = scored[0]!.length;
  if (itemCount === 0) throw new StatsInputError('scored', 'the score matrix has no items.');
  const totals = scored.map((row, i) => {
    if (row.length !== itemCount) {
      throw new StatsInputError('scored', `row ${i} has ${row.length} items but row 0 has ${itemCount}.`);
    }
    return row.reduce((s, v, j) => {
      if (v !== 0 && v !== 1) {
        throw new StatsInputError('scored', `scored[${i}][${j}] = ${v}; item scores must be 0 or 1.`);
      }
      return s + v;
    }, 0);
  });
  return { totals, itemCount };
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
