import type { ModuleContent } from '../module-content.js';
import { ausOf } from '../cmi5/move-on.js';

/** One step of an attempt, in the order learners meet them. */
export type Step =
  | { kind: 'test'; phase: 'pre' | 'post' }
  | { kind: 'page'; index: number }
  | { kind: 'survey' }
  | { kind: 'external' }
  /** The `index`th AU (course-structure order) of a module made from a cmi5 package. */
  | { kind: 'au'; index: number };

/**
 * The steps of a module version: pre-test, content pages (or the external activity, or the AUs of a
 * cmi5 package), post-test,
 * survey. An attempt's `step` indexes this list; `step === steps.length` means the results page.
 * A version is immutable once published, so the plan of an attempt never changes under it.
 */
export function stepsOf(content: ModuleContent): Step[] {
  const steps: Step[] = [];
  if (content.preTest?.questions.length) steps.push({ kind: 'test', phase: 'pre' });
  if (content.external) steps.push({ kind: 'external' });
  else if (content.cmi5) ausOf(content.cmi5.items).forEach((_au, index) => steps.push({ kind: 'au', index }));
  else content.pages.forEach((_p, index) => steps.push({ kind: 'page', index }));
  if (content.postTest?.questions.length) steps.push({ kind: 'test', phase: 'post' });
  if (content.survey?.items.length) steps.push({ kind: 'survey' });
  return steps;
}

/** Progress after `done` of `total` steps, as the integer percent cmi5's progress extension wants (0-100). */
export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round((100 * done) / total)));
}
