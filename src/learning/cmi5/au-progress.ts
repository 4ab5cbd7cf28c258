import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Cmi5LaunchRepository } from '../../storage/repositories/cmi5-launch-repository.js';
import type { Cmi5Au, Cmi5Course } from '../module-content.js';
import { moveOnMissing } from './move-on.js';
import { CATEGORIES, VERBS, iri } from '../vocabulary.js';
import { auMeetsMoveOn, ausOf } from './move-on.js';

/** Where a learner's registration stands with a package's AUs and its course (cmi5 9.3.9, 10.2.5). */
export interface AuProgress {
  /** What the AU still has to report for its moveOn, in words; undefined when met (or waived). */
  missing(
    trx: Kysely<Database>,
    tenantId: string,
    attemptId: string,
    au: Cmi5Au,
  ): Promise<string | undefined>;
  /**
   * The course's grade once the LMS declared the course satisfied (grade passback follows the course's
   * satisfied statement): the mean of the latest scaled scores the AUs reported, or 1 when none reported
   * a score; undefined while the course is not satisfied.
   */
  courseGrade(
    trx: Kysely<Database>,
    tenantId: string,
    attemptId: string,
    moduleId: string,
    course: Cmi5Course,
  ): Promise<{ raw: number; max: number } | undefined>;
}

export function createAuProgress(launches: Cmi5LaunchRepository): AuProgress {
  return {
    async missing(trx, tenantId, attemptId, au) {
      const waived = await launches.lmsObjects(trx, tenantId, attemptId, VERBS.waived);
      const verbs = new Set(
        await launches.definedVerbs(trx, {
          tenantId,
          attemptId,
          activityId: au.activityId,
          category: CATEGORIES.cmi5,
        }),
      );
      if (auMeetsMoveOn(au, verbs, waived.includes(au.activityId))) return undefined;
      return moveOnMissing(au.moveOn, verbs) ?? 'met its moveOn';
    },

    async courseGrade(trx, tenantId, attemptId, moduleId, course) {
      const satisfied = await launches.lmsObjects(trx, tenantId, attemptId, VERBS.satisfied);
      if (!satisfied.includes(iri.cmi5Course(tenantId, moduleId))) return undefined;
      const scores = await launches.latestScores(trx, tenantId, attemptId);
      const scaled = ausOf(course.items)
        .map((au) => scores.get(au.activityId))
        .filter((x): x is number => x !== undefined);
      const mean = scaled.length ? scaled.reduce((a, b) => a + b, 0) / scaled.length : 1;
      return { raw: Math.round(mean * 10000) / 100, max: 100 };
    },
  };
}
