import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { Cmi5LaunchRepository } from '../../storage/repositories/cmi5-launch-repository.js';
import type { LearningRepository } from '../../storage/repositories/learning-repository.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { StatementService } from '../../xapi/statements/statement-service.js';
import type { Attempt } from '../model.js';
import type { Cmi5Au, Cmi5Course } from '../module-content.js';
import { CATEGORIES, EXTENSIONS, VERBS } from '../vocabulary.js';
import { StatementSequence, type Agent } from '../flow/capture-statements.js';
import { captureContext } from '../flow/capture-context.js';
import { captureStore } from '../flow/capture-store.js';
import { auMeetsMoveOn, ausOf, moveOnMissing } from './move-on.js';
import { declareSatisfied } from './satisfied-statements.js';

/** The reasons cmi5 allows on a waived statement (cmi5 9.5.5.2, result extension `reason`). */
export const WAIVER_REASONS = [
  'Tested Out',
  'Equivalent AU',
  'Equivalent Outside Activity',
  'Administrative',
] as const;
export type WaiverReason = (typeof WAIVER_REASONS)[number];

/** Where one AU of a learner's registration stands, for the page that offers the waiver. */
export interface AuStanding {
  auId: string;
  title: string;
  /** 'met' (its moveOn), 'waived', or 'open' (still to do: `missing` says what). */
  state: 'met' | 'waived' | 'open';
  missing?: string;
}

/** A learner's registration (attempt) at a module made from a cmi5 package. */
export interface Cmi5Registration {
  registration: string;
  moduleTitle: string;
  version: number;
  startedAt: Date;
  aus: AuStanding[];
}

export interface AuWaiverInput {
  tenantId: string;
  /** The course (course_context id) the waiver is given in. */
  contextId: string;
  learnerUserId: string;
  /** The attempt id: the cmi5 registration. */
  registration: string;
  /** The AU's publisher id (`au@id` in cmi5.xml). */
  auId: string;
  reason: WaiverReason;
  /** Who waived it: recorded as the statement's context.instructor. */
  by?: Agent;
}

export interface AuWaiverResult {
  auTitle: string;
  /** Names of the blocks and course the waiver made satisfied (cmi5 9.3.9). */
  satisfied: string[];
}

export interface AuWaiverService {
  /** The learner's registrations in the course at cmi5 modules, newest first, AU by AU. */
  registrations(
    tenantId: string,
    contextId: string,
    learnerUserId: string,
  ): Promise<{ learnerName: string; registrations: Cmi5Registration[] }>;
  /**
   * Waives an AU for a learner (cmi5 9.3.7): stores the LMS's `waived` statement (result success and
   * completion true, the reason extension) with Yardstick's capture authority, then the satisfied
   * statements for the blocks and course the waiver completes, in one transaction. Refuses (nothing
   * stored) a learner not enrolled in the course, a registration that is not the learner's in this
   * course, an AU not in the registration's course, and an AU already waived or already met.
   */
  waive(input: AuWaiverInput): Promise<AuWaiverResult>;
  /**
   * The same waiver for an operator who knows only the registration (the CLI): the course and learner
   * are the registration's own; the same refusals apply.
   */
  waiveRegistration(
    input: Pick<AuWaiverInput, 'tenantId' | 'registration' | 'auId' | 'reason'>,
  ): Promise<AuWaiverResult>;
}

/** At most this many registrations are listed for one learner (newest first). */
const REGISTRATION_LIMIT = 50;

export function createAuWaiverService(deps: {
  db: Kysely<Database>;
  launches: Cmi5LaunchRepository;
  learning: LearningRepository;
  modules: ModuleRepository;
  statements: StatementService;
}): AuWaiverService {
  const { launches, learning, modules } = deps;
  const store = captureStore(deps.statements);

  async function courseOf(a: Attempt): Promise<{ title: string; course: Cmi5Course } | undefined> {
    const module = await modules.findById(a.tenantId, a.moduleId);
    const version = module && (await modules.findVersion(a.tenantId, module.id, a.version));
    const course = version?.content.cmi5;
    return module && course ? { title: module.title, course } : undefined;
  }

  async function standing(trx: Kysely<Database>, a: Attempt, au: Cmi5Au, waived: Set<string>) {
    if (waived.has(au.activityId)) return { state: 'waived' as const };
    const verbs = new Set(
      await launches.definedVerbs(trx, {
        tenantId: a.tenantId,
        attemptId: a.id,
        activityId: au.activityId,
        category: CATEGORIES.cmi5,
      }),
    );
    if (auMeetsMoveOn(au, verbs)) return { state: 'met' as const };
    return { state: 'open' as const, missing: moveOnMissing(au.moveOn, verbs) };
  }

  async function enrolled(tenantId: string, contextId: string, userId: string) {
    if (!(await learning.isEnrolled(tenantId, contextId, userId)))
      throw new NotFoundError(
        'That learner is not enrolled in this course; pick one from the course report (sync the roster if they joined recently).',
      );
  }

  const service: AuWaiverService = {
    async registrations(tenantId, contextId, learnerUserId) {
      await enrolled(tenantId, contextId, learnerUserId);
      const out: Cmi5Registration[] = [];
      for (const a of await learning.attemptsInCourse(
        tenantId,
        contextId,
        learnerUserId,
        REGISTRATION_LIMIT,
      )) {
        const found = await courseOf(a);
        if (!found) continue;
        const waived = new Set(await launches.lmsObjects(deps.db, tenantId, a.id, VERBS.waived));
        const aus: AuStanding[] = [];
        for (const au of ausOf(found.course.items))
          aus.push({ auId: au.id, title: au.title, ...(await standing(deps.db, a, au, waived)) });
        out.push({
          registration: a.id,
          moduleTitle: found.title,
          version: a.version,
          startedAt: a.startedAt,
          aus,
        });
      }
      const agent = await learning.agentOf(tenantId, learnerUserId);
      return { learnerName: agent?.name ?? agent?.accountName ?? 'This learner', registrations: out };
    },

    async waive(input) {
      const { tenantId } = input;
      await enrolled(tenantId, input.contextId, input.learnerUserId);
      return withTransaction(deps.db, async (trx: Transaction<Database>) => {
        // Locked: two waivers of one registration are judged one after the other (one waived per AU).
        const attempt = await learning.lockAttempt(trx, tenantId, input.registration);
        if (!attempt || attempt.contextId !== input.contextId || attempt.userId !== input.learnerUserId)
          throw new NotFoundError(
            "That registration is not this learner's in this course; pick it from the learner's waiver page.",
          );
        const found = await courseOf(attempt);
        if (!found)
          throw new NotFoundError(
            'That registration is not at a module made from a cmi5 package; only AUs of cmi5 courses can be waived.',
          );
        const all = ausOf(found.course.items);
        const au = all.find((a) => a.id === input.auId);
        if (!au)
          throw new NotFoundError(
            `The AU ${input.auId} is not in the course "${found.course.title}"; its AUs are ${all.map((a) => a.id).join(', ')}.`,
          );
        const waived = new Set(await launches.lmsObjects(trx, tenantId, attempt.id, VERBS.waived));
        const now = await standing(trx, attempt, au, waived);
        // cmi5 9.3.7: one waived statement per AU in a registration; an AU already met needs none.
        if (now.state !== 'open')
          throw new ConflictError(
            `"${au.title}" is already ${now.state === 'waived' ? 'waived' : 'done (it met its moveOn)'} for this learner; nothing to waive.`,
          );
        const agent = await learning.agentOf(tenantId, attempt.userId);
        const module = await modules.findById(tenantId, attempt.moduleId);
        if (!agent || !module) throw new NotFoundError('That learner no longer exists in Yardstick.');
        const actor: Agent = {
          objectType: 'Agent',
          ...(agent.name ? { name: agent.name } : {}),
          account: { homePage: agent.homePage, name: agent.accountName },
        };
        // cmi5 9.6.3.1: every cmi5 defined statement has a session id; a waiver is a session of its own.
        const c = captureContext(module, attempt, randomUUID(), actor);
        const seq = new StatementSequence(c, new Date());
        const st = seq.add(
          'waived',
          {
            objectType: 'Activity',
            id: au.activityId,
            definition: {
              name: { 'en-US': au.title },
              ...(au.activityType ? { type: au.activityType } : {}),
            },
          },
          {
            categories: [CATEGORIES.cmi5, CATEGORIES.moveOn],
            grouping: [{ objectType: 'Activity', id: au.id }],
            result: { success: true, completion: true, extensions: { [EXTENSIONS.reason]: input.reason } },
          },
        );
        if (input.by) (st.context as Record<string, unknown>).instructor = input.by;
        await store(trx, tenantId, seq.statements);
        // Stored first: the satisfied rule reads the registration's waivers, this one included. cmi5
        // 9.3.7: the waiver's session id carries only it and the satisfied statements that follow.
        const then = new StatementSequence(c, new Date(Date.parse(st.timestamp as string) + 1));
        await declareSatisfied(launches, trx, then, c, found.course);
        await store(trx, tenantId, then.statements);
        const satisfied = then.statements.map(
          (s) => (s.object as { definition: { name: { 'en-US': string } } }).definition.name['en-US'],
        );
        return { auTitle: au.title, satisfied };
      });
    },

    async waiveRegistration(input) {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      const attempt =
        uuid.test(input.registration) && (await learning.findAttempt(input.tenantId, input.registration));
      if (!attempt)
        throw new NotFoundError(
          `There is no registration ${input.registration} in this tenant; copy it from the learner's waiver page or an xAPI statement's context.registration.`,
        );
      return service.waive({ ...input, contextId: attempt.contextId, learnerUserId: attempt.userId });
    },
  };
  return service;
}
