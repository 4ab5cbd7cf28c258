import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Cmi5LaunchRepository } from '../../storage/repositories/cmi5-launch-repository.js';
import type { Cmi5Course } from '../module-content.js';
import { ACTIVITY_TYPES, CATEGORIES, VERBS, iri } from '../vocabulary.js';
import type { CaptureContext, StatementSequence } from '../flow/capture-statements.js';
import { auMeetsMoveOn, ausOf, satisfiedParts } from './move-on.js';

const en = (text: string) => ({ 'en-US': text });

/**
 * Adds to `seq` the LMS's satisfied statements (cmi5 9.3.9) for the blocks and course newly satisfied
 * in the registration `c.registration`, once each: an AU counts when it met its moveOn or was waived.
 */
export async function declareSatisfied(
  launches: Cmi5LaunchRepository,
  trx: Transaction<Database>,
  seq: StatementSequence,
  c: CaptureContext,
  course: Cmi5Course,
): Promise<void> {
  const { tenantId, registration: attemptId, moduleId } = c;
  const done = new Set(await launches.lmsObjects(trx, tenantId, attemptId, VERBS.satisfied));
  const waived = new Set(await launches.lmsObjects(trx, tenantId, attemptId, VERBS.waived));
  const met = new Set<string>();
  for (const au of ausOf(course.items)) {
    const verbs = await launches.definedVerbs(trx, {
      tenantId,
      attemptId,
      activityId: au.activityId,
      category: CATEGORIES.cmi5,
    });
    if (auMeetsMoveOn(au, new Set(verbs), waived.has(au.activityId))) met.add(au.id);
  }
  const parts = satisfiedParts(course, (au) => met.has(au.id));
  const declare = (id: string, type: string, name: string, publisherId: string) => {
    if (done.has(id)) return;
    seq.add(
      'satisfied',
      { objectType: 'Activity', id, definition: { type, name: en(name) } },
      { categories: [CATEGORIES.cmi5], grouping: [{ objectType: 'Activity', id: publisherId }] },
    );
  };
  for (const b of parts.blocks)
    declare(iri.cmi5Block(tenantId, moduleId, b.id), ACTIVITY_TYPES.cmi5Block, b.title, b.id);
  if (parts.course)
    declare(iri.cmi5Course(tenantId, moduleId), ACTIVITY_TYPES.cmi5Course, course.title, course.courseId);
}
