import type { ItemKpi } from './question-analysis.js';

/** Why a post-test question deserves a look. */
export interface ItemFlag {
  kind: 'too-easy' | 'too-hard' | 'weak-discrimination';
  /** The reason in words, with the number that tripped it. */
  reason: string;
}

/** Classical test theory rules of thumb (difficulty p = share correct; corrected point-biserial). */
export const ITEM_FLAG_LIMITS = { easyAbove: 0.9, hardBelow: 0.3, discriminationBelow: 0.2 } as const;

const pct = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The flags of one question: too easy (more than 90% correct), too hard (fewer than 30%) or
 * discriminating poorly (point-biserial below 0.2: strong and weak learners answer it alike, or a
 * wrong key). A question every learner answered the same way has no point-biserial and is flagged
 * by its difficulty only.
 */
export function itemFlags(item: Pick<ItemKpi, 'difficulty' | 'pointBiserial'>): ItemFlag[] {
  const flags: ItemFlag[] = [];
  const p = item.difficulty;
  if (p > ITEM_FLAG_LIMITS.easyAbove)
    flags.push({
      kind: 'too-easy',
      reason: `Too easy: ${pct(p)} answered correctly.`,
    });
  if (p < ITEM_FLAG_LIMITS.hardBelow)
    flags.push({
      kind: 'too-hard',
      reason: `Too hard: only ${pct(p)} answered correctly; check the key and the teaching.`,
    });
  if (item.pointBiserial !== null && item.pointBiserial < ITEM_FLAG_LIMITS.discriminationBelow)
    flags.push({
      kind: 'weak-discrimination',
      reason: `Discriminates poorly (${item.pointBiserial.toFixed(2)}, below 0.2): strong and weak learners answer it alike; check the wording and the key.`,
    });
  return flags;
}
