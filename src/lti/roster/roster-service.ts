import { PreconditionFailedError } from '../../errors.js';
import type { JobQueue } from '../../storage/job-queue.js';
import type { LtiPeopleRepository } from '../../storage/repositories/lti-people-repository.js';
import type { RoleKind } from '../model.js';
import type { AdvantageClient } from '../advantage/advantage-client.js';
import type { PlatformService } from '../platforms/platform-service.js';
import { classifyRoles } from '../launch/roles.js';

export const ROSTER_QUEUE = 'lti-nrps-sync';
export const ROSTER_SCHEDULE_QUEUE = 'lti-nrps-sync-all';

/** What a roster sync changed, in people's names (sorted), so the page can say it. */
export interface RosterSyncResult {
  /** Members the LMS listed as active. */
  active: number;
  /** Enrollments this sync made inactive (= left.length). */
  deactivated: number;
  /** Active now and not before the sync. */
  joined: string[];
  /** Active before, made inactive because the LMS no longer lists them. */
  left: string[];
  /** Active before and after. */
  unchanged: number;
  /** Demo sample learners: no LMS lists them, and a sync leaves them active. */
  samples: number;
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
      const before = await deps.people.activeEnrollments(tenantId, contextId);
      const members = await deps.client.members(platform, context.membershipsUrl, {
        role: options.role,
        limit: deps.pageSize,
      });
      const keep: string[] = [];
      const names = new Map<string, string>();
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
        names.set(user.id, user.name ?? user.email ?? user.sub);
      }
      const scope: RoleKind[] = options.role ? [...kinds] : ['learner', 'instructor', 'admin', 'other'];
      const left = scope.length ? await deps.people.deactivateOthers(tenantId, contextId, keep, scope) : [];
      await deps.people.markRosterSynced(tenantId, contextId);
      const was = new Map(before.map((b) => [b.userId, b.name]));
      const sorted = (xs: string[]) => xs.sort((a, b) => a.localeCompare(b));
      return {
        active: keep.length,
        deactivated: left.length,
        joined: sorted(keep.filter((id) => !was.has(id)).map((id) => names.get(id)!)),
        left: sorted(left.map((id) => was.get(id) ?? id)),
        unchanged: keep.filter((id) => was.has(id)).length,
        samples: before.filter((b) => b.source === 'sample').length,
      };
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
