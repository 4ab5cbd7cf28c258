import type { Cmi5Au, Cmi5Block, Cmi5Course, Cmi5CourseItem, ExternalActivity } from '../module-content.js';
import { VERBS } from '../vocabulary.js';

/**
 * What the content still has to report before the learner moves on (cmi5 moveOn, 13.1.4), in words;
 * undefined when the criterion is met.
 */
export function moveOnMissing(moveOn: ExternalActivity['moveOn'], verbs: Set<string>): string | undefined {
  const completed = verbs.has(VERBS.completed);
  const passed = verbs.has(VERBS.passed);
  switch (moveOn) {
    case 'Completed':
      return completed ? undefined : 'completed it';
    case 'Passed':
      return passed ? undefined : 'passed it';
    case 'CompletedAndPassed':
      return completed && passed
        ? undefined
        : !completed && !passed
          ? 'completed and passed it'
          : !completed
            ? 'completed it'
            : 'passed it';
    case 'CompletedOrPassed':
      return completed || passed ? undefined : 'completed or passed it';
    case 'NotApplicable':
      return undefined;
  }
}

/** The AUs of a course in course-structure order (blocks flattened): the module's AU steps. */
export function ausOf(items: Cmi5CourseItem[]): Cmi5Au[] {
  return items.flatMap((i) => (i.kind === 'au' ? [i] : ausOf(i.items)));
}

/** Every block of a course, outer blocks before the blocks inside them. */
export function blocksOf(items: Cmi5CourseItem[]): Cmi5Block[] {
  return items.flatMap((i) => (i.kind === 'block' ? [i, ...blocksOf(i.items)] : []));
}

/**
 * Whether an AU has met its moveOn (cmi5 10.2.5, 13.1.4) given the verbs of the cmi5 defined statements
 * it sent in the registration: NotApplicable always; a waived AU always (cmi5 9.3.9).
 */
export function auMeetsMoveOn(
  au: Pick<Cmi5Au, 'moveOn'>,
  verbs: ReadonlySet<string>,
  waived = false,
): boolean {
  return waived || moveOnMissing(au.moveOn, new Set(verbs)) === undefined;
}

/**
 * What the LMS may now declare satisfied (cmi5 9.3.9): the blocks all of whose AUs met their moveOn, and
 * the course when all its AUs did. `met` says it per AU (publisher id).
 */
export function satisfiedParts(
  course: Pick<Cmi5Course, 'items'>,
  met: (au: Cmi5Au) => boolean,
): { blocks: Cmi5Block[]; course: boolean } {
  const allMet = (items: Cmi5CourseItem[]) => ausOf(items).every(met);
  return { blocks: blocksOf(course.items).filter((b) => allMet(b.items)), course: allMet(course.items) };
}
