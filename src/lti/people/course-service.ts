import { NotFoundError } from '../../errors.js';
import type { LtiPeopleRepository } from '../../storage/repositories/lti-people-repository.js';
import type { CourseContext, EnrollmentRow } from '../model.js';

export interface CourseService {
  get(tenantId: string, contextId: string): Promise<CourseContext>;
  list(tenantId: string): Promise<CourseContext[]>;
  /** The course's enrollments by name; with `page`, that page of them. */
  roster(
    tenantId: string,
    contextId: string,
    page?: { limit: number; offset: number },
  ): Promise<EnrollmentRow[]>;
  rosterCounts(tenantId: string, contextId: string): Promise<{ total: number; active: number }>;
  /** User ids of the course's sample learners (generated demo data, marked as such on pages). */
  sampleUserIds(tenantId: string, contextId: string): Promise<Set<string>>;
}

/** Course contexts and their enrollments, as launches and roster syncs recorded them. */
export function createCourseService(deps: { people: LtiPeopleRepository }): CourseService {
  return {
    async get(tenantId, contextId) {
      const c = await deps.people.findContext(tenantId, contextId);
      if (!c)
        throw new NotFoundError(
          'This course is not known to Yardstick; launch Yardstick from the course in the LMS first.',
        );
      return c;
    },
    list: (tenantId) => deps.people.listContexts(tenantId),
    roster: (tenantId, contextId, page) => deps.people.listEnrollments(tenantId, contextId, page),
    rosterCounts: (tenantId, contextId) => deps.people.countEnrollments(tenantId, contextId),
    sampleUserIds: async (tenantId, contextId) =>
      new Set(await deps.people.sampleUserIds(tenantId, contextId)),
  };
}
