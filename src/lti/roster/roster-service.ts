import { PreconditionFailedError } from '../../errors.js';
import type { JobQueue } from '../../storage/job-queue.js';
import type { LtiPeopleRepository } from '../../storage/repositories/lti-people-repository.js';
import type { RoleKind } from '../model.js';
import type { AdvantageClient } from '../advantage/advantage-client.js';
import type { PlatformService } from '../platforms/platform-service.js';
import { classifyRoles } from '../launch/roles.js';

export const ROSTER_QUEUE = 'lti-nrps-sync';
export const ROSTER_SCHEDULE_QUEUE = 'lti-nrps-sync-all';

export interface RosterSyncResult {
  active: number;
  deactivated: number;
}

export interface RosterService {
  /**
   * Reads the course's memberships over NRPS (every page) and upserts users and enrollments; members
   * no longer listed (or listed Inactive/Deleted) become inactive. With `role` (an LIS role URI or
   * short name) only members of that role are read and only their enrollments can be deactivated.
   */
  sync(tenantId: string, contextId: string, options?: { role?: string }): Promise<RosterSyncResult>;
  /** The scheduled job: queues a sync of every course that has an NRPS endpoint. */
  queueAll(): Promise<number>;
}

export function createRosterService(deps: {
  people: LtiPeopleRepository;
  platforms: PlatformService;
  client: AdvantageClient;
  jobs?: JobQueue;
  pageSize?: number;
}): RosterService {
  return {
    async sync(tenantId, contextId, options = {}) {
      const context = await deps.people.findContext(tenantId, contextId);
      if (!context?.membershipsUrl) {
        throw new PreconditionFailedError(
          'The LMS did not offer the Names and Role Provisioning service for this course; enable it for the tool in the LMS, then launch again.',
        );
      }
      const platform = await deps.platforms.get(tenantId, context.platformId);
      const members = await deps.client.members(platform, context.membershipsUrl, {
        role: options.role,
        limit: deps.pageSize,
      });
      const keep: string[] = [];
      const kinds = new Set<RoleKind>();
      for (const m of members) {
        const roleKind = classifyRoles(m.roles ?? [], { sub: m.user_id, email: m.email });
        kinds.add(roleKind);
        if (m.status && m.status !== 'Active') continue;
        const user = await deps.people.upsertUser({
          tenantId,
          platformId: platform.id,
          sub: m.user_id,
          name: m.name ?? null,
          givenName: m.given_name ?? null,
          familyName: m.family_name ?? null,
          email: m.email ?? null,
          xapiHomePage: platform.issuer,
          xapiName: m.user_id,
        });
        await deps.people.upsertEnrollment({
          tenantId,
          contextId,
          userId: user.id,
          roles: m.roles ?? [],
          roleKind,
          source: 'roster',
        });
        keep.push(user.id);
      }
      const scope: RoleKind[] = options.role ? [...kinds] : ['learner', 'instructor', 'admin', 'other'];
      const deactivated = scope.length
        ? await deps.people.deactivateOthers(tenantId, contextId, keep, scope)
        : 0;
      await deps.people.markRosterSynced(tenantId, contextId);
      return { active: keep.length, deactivated };
    },
    async queueAll() {
      if (!deps.jobs) return 0;
      const contexts = await deps.people.listSyncableContexts();
      for (const c of contexts)
        await deps.jobs.send(ROSTER_QUEUE, c, {
          retryLimit: 3,
          retryDelaySeconds: 60,
          singletonKey: `${c.tenantId}:${c.contextId}`,
        });
      return contexts.length;
    },
  };
}
