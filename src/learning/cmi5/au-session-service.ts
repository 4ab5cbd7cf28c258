import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { LtiSession } from '../../lti/model.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { Cmi5LaunchRepository } from '../../storage/repositories/cmi5-launch-repository.js';
import type { LearningRepository } from '../../storage/repositories/learning-repository.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { DocumentService } from '../../xapi/documents/document-service.js';
import type { StatementService, StoreInput } from '../../xapi/statements/statement-service.js';
import { agentKey } from '../../xapi/rules/index.js';
import { durationSeconds, isoDuration } from '../../xapi/rules/data-types/duration.js';
import type { Attempt, Cmi5Launch } from '../model.js';
import type { Cmi5Au } from '../module-content.js';
import { CATEGORIES, EXTENSIONS, VERBS } from '../vocabulary.js';
import { StatementSequence, type Agent } from '../flow/capture-statements.js';
import { captureStore } from '../flow/capture-store.js';
import { actorOf, type LearnerFlowService } from '../flow/learner-flow-service.js';
import { ausOf } from './move-on.js';
import { declareSatisfied } from './satisfied-statements.js';
import { admitAuStatements, type AuSessionState } from './session-rules.js';
import { captureContext } from '../flow/capture-context.js';

export interface AuSessionService {
  /**
   * Launches the AU of the learner's current step (cmi5 8.1): abandons the registration's open AU
   * session (9.3.6), writes LMS.LaunchData (10), records the launch and its `launched` statement (9.3.1),
   * declares satisfied what NotApplicable AUs already satisfy (9.6.1), and returns the AU's URL with
   * endpoint, fetch, actor, registration and activityId.
   */
  launch(session: LtiSession, linkId: string, urls: { publicUrl: string }): Promise<string>;
  /**
   * Stores an AU's statements (a request authenticated with the token of one of its launches) if they
   * keep the cmi5 session rules (session-rules.ts; else ValidationError naming the rule, nothing
   * stored), then the LMS's satisfied statements for the blocks and course they complete (9.3.9), all in
   * one transaction.
   */
  storeAuStatements(input: StoreInput): Promise<string[]>;
  /**
   * The job (cmi5 9.3.6 without waiting for the next launch): abandons the tenant's AU sessions launched
   * and neither terminated nor heard from for the idle timeout, exactly once each (the launch row is
   * locked and its status checked again), with the same abandoned statement a relaunch issues. At most
   * IDLE_BATCH per call (the next tick takes the rest). Returns how many it abandoned.
   */
  abandonIdle(tenantId: string, now?: Date): Promise<number>;
}

/** AU sessions one job run abandons per tenant at most; the next tick takes the rest. */
const IDLE_BATCH = 500;

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const en = (text: string) => ({ 'en-US': text });

export function createAuSessionService(deps: {
  db: Kysely<Database>;
  flow: LearnerFlowService;
  launches: Cmi5LaunchRepository;
  learning: LearningRepository;
  modules: ModuleRepository;
  documents: DocumentService;
  statements: StatementService;
  /** An open AU session not heard from for this long is abandoned by the job, in seconds. */
  idleTimeoutSeconds: number;
}): AuSessionService {
  const { launches } = deps;
  const store = captureStore(deps.statements);

  const auActivity = (au: Cmi5Au) => ({
    objectType: 'Activity',
    id: au.activityId,
    definition: { name: en(au.title), ...(au.activityType ? { type: au.activityType } : {}) },
  });
  const publisher = (id: string) => [{ objectType: 'Activity', id }];

  /** abandoned (cmi5 9.3.6) for a session the AU never terminated: from launch to its last statement. */
  function abandon(seq: StatementSequence, open: Cmi5Launch, au: Cmi5Au | undefined): void {
    const end = open.lastStatementAt ?? open.createdAt;
    const seconds = Math.max(0, (end.getTime() - open.createdAt.getTime()) / 1000);
    seq.add('abandoned', au ? auActivity(au) : { objectType: 'Activity', id: open.activityId }, {
      categories: [CATEGORIES.cmi5],
      sessionId: open.sessionId,
      grouping: publisher(open.auId!),
      result: { duration: isoDuration(seconds), extensions: { [EXTENSIONS.durationEstimated]: true } },
    });
  }

  /**
   * Time on task of an AU session: the AU ran in the module page's place (no heartbeats meanwhile), so
   * the duration it reported when it terminated counts on the learner's module session, and the gap
   * since the page was last seen is closed (not counted again).
   */
  async function addAuTime(trx: Transaction<Database>, attempt: Attempt, seconds: number, now: Date) {
    const [active] = await deps.learning.activeSessions(trx, attempt.tenantId, attempt.id);
    if (active)
      await deps.learning.touchSession(
        trx,
        { ...active, activeSeconds: active.activeSeconds + seconds },
        now,
      );
  }

  return {
    async launch(session, linkId, urls) {
      const state = await deps.flow.enter(session, linkId);
      if (state.kind !== 'step' || state.step.kind !== 'au' || !state.content.cmi5)
        throw new ConflictError(
          'This step of the module is not an AU of a cmi5 course; reload the module page.',
        );
      const course = state.content.cmi5;
      const au = ausOf(course.items)[state.step.index]!;
      const { module, attempt } = state;
      const actor = actorOf(session);
      const cmi5Actor = { objectType: 'Agent', account: actor.account };
      const key = agentKey(cmi5Actor)!;
      const sessionId = randomUUID();
      const absolute = /^https?:\/\//i.test(au.url);
      const auUrl = new URL(
        absolute ? au.url : `${urls.publicUrl}/content/${session.tenantId}/${course.packageId}/${au.url}`,
      );
      const c = captureContext(module, attempt, sessionId, actor);
      const seq = new StatementSequence(c, new Date());
      const launched = seq.add('launched', auActivity(au), {
        categories: [CATEGORIES.cmi5],
        grouping: publisher(au.id),
        extensions: {
          [EXTENSIONS.launchMode]: 'Normal',
          [EXTENSIONS.launchUrl]: auUrl.toString(),
          [EXTENSIONS.moveOn]: au.moveOn,
          [EXTENSIONS.publisherId]: au.id,
          ...(au.masteryScore !== undefined ? { [EXTENSIONS.masteryScore]: au.masteryScore } : {}),
          ...(au.launchParameters !== undefined
            ? { [EXTENSIONS.launchParameters]: au.launchParameters }
            : {}),
        },
      });
      const context = launched.context as { contextActivities: { grouping: unknown[] } };
      // cmi5 10.2.1: what every cmi5 defined statement of the AU carries; the grouping keeps the course
      // (and program) so the AU's statements land in the course's reports.
      const launchData = {
        contextTemplate: {
          contextActivities: { grouping: context.contextActivities.grouping },
          extensions: {
            [EXTENSIONS.sessionId]: sessionId,
            [EXTENSIONS.moduleVersion]: attempt.version,
            [EXTENSIONS.assignmentId]: attempt.resourceLinkId,
            ...(module.programId ? { [EXTENSIONS.campaignId]: module.programId } : {}),
          },
        },
        launchMode: 'Normal',
        moveOn: au.moveOn,
        ...(au.masteryScore !== undefined ? { masteryScore: au.masteryScore } : {}),
        ...(au.launchParameters !== undefined ? { launchParameters: au.launchParameters } : {}),
        ...(au.entitlementKey !== undefined
          ? { entitlementKey: { courseStructure: au.entitlementKey } }
          : {}),
        returnURL: `${urls.publicUrl}/learn/${encodeURIComponent(linkId)}`,
      };
      await deps.documents.put(
        session.tenantId,
        {
          kind: 'state',
          activityIri: au.activityId,
          agentKey: key,
          registration: attempt.id,
          documentId: 'LMS.LaunchData',
        },
        { content: Buffer.from(JSON.stringify(launchData)), contentType: 'application/json' },
        {},
        'optional',
      );
      const token = randomBytes(32).toString('base64url');
      const launchId = await withTransaction(deps.db, async (trx) => {
        const all = ausOf(course.items);
        const ended = new StatementSequence(c, new Date(Date.now() - 1));
        for (const open of await launches.openAuSessions(trx, session.tenantId, attempt.id)) {
          abandon(
            ended,
            open,
            all.find((a) => a.id === open.auId),
          );
          await launches.setStatus(trx, session.tenantId, open.id, 'abandoned');
        }
        const id = await launches.insert(
          {
            tenantId: session.tenantId,
            attemptId: attempt.id,
            sessionId,
            activityId: au.activityId,
            agentKey: key,
            fetchHash: hash(token),
            expiresAt: session.expiresAt,
            auId: au.id,
          },
          trx,
        );
        await declareSatisfied(launches, trx, seq, c, course);
        await store(trx, session.tenantId, [...ended.statements, ...seq.statements]);
        return id;
      });
      auUrl.searchParams.set('endpoint', `${urls.publicUrl}/xapi/`);
      auUrl.searchParams.set(
        'fetch',
        `${urls.publicUrl}/cmi5/fetch/${session.tenantId}/${launchId}/${token}`,
      );
      auUrl.searchParams.set('actor', JSON.stringify(cmi5Actor));
      auUrl.searchParams.set('registration', attempt.id);
      auUrl.searchParams.set('activityId', au.activityId);
      return auUrl.toString();
    },

    async storeAuStatements(input) {
      const tenantId = input.principal.tenantId;
      const launchId = input.principal.launch!.auLaunchId!;
      return withTransaction(deps.db, async (trx) => {
        const launch = await launches.lock(trx, tenantId, launchId);
        const attempt = launch && (await deps.learning.findAttempt(tenantId, launch.attemptId, trx));
        const module = attempt && (await deps.modules.findById(tenantId, attempt.moduleId));
        const version = module && (await deps.modules.findVersion(tenantId, module.id, attempt.version));
        const course = version?.content.cmi5;
        const au = course && launch && ausOf(course.items).find((a) => a.id === launch.auId);
        if (!launch || !attempt || !module || !course || !au)
          throw new NotFoundError('This AU launch no longer exists; relaunch the AU from the LMS.');
        const verbs = (only?: string) =>
          launches.definedVerbs(trx, {
            tenantId,
            attemptId: attempt.id,
            activityId: au.activityId,
            category: CATEGORIES.cmi5,
            launchId: only,
          });
        const before: AuSessionState = {
          sessionId: launch.sessionId,
          registration: attempt.id,
          activityId: au.activityId,
          status: launch.status,
          masteryScore: au.masteryScore,
          sessionVerbs: new Set(await verbs(launch.id)),
          registrationVerbs: new Set(await verbs()),
        };
        let after = before;
        let seconds: number | undefined;
        const ids = await deps.statements.storeWithin(trx, input, (statements) => {
          after = admitAuStatements(before, statements);
          const terminated = statements.find((st) => (st.verb as { id?: unknown }).id === VERBS.terminated);
          seconds = durationSeconds((terminated?.result as { duration?: unknown } | undefined)?.duration);
        });
        const now = new Date();
        await launches.setStatus(trx, tenantId, launch.id, after.status, now);
        if (seconds !== undefined) await addAuTime(trx, attempt, seconds, now);
        const agent = await deps.learning.agentOf(tenantId, attempt.userId);
        if (!agent) return ids;
        const actor: Agent = {
          objectType: 'Agent',
          ...(agent.name ? { name: agent.name } : {}),
          account: { homePage: agent.homePage, name: agent.accountName },
        };
        const c = captureContext(module, attempt, launch.sessionId, actor);
        const seq = new StatementSequence(c, now);
        await declareSatisfied(launches, trx, seq, c, course);
        await store(trx, tenantId, seq.statements);
        return ids;
      });
    },

    async abandonIdle(tenantId, now = new Date()) {
      const before = new Date(now.getTime() - deps.idleTimeoutSeconds * 1000);
      let ended = 0;
      for (const idle of await launches.idleAuSessions(tenantId, before, IDLE_BATCH)) {
        const done = await withTransaction(deps.db, async (trx) => {
          const open = await launches.lock(trx, tenantId, idle.id);
          if (!open || (open.status !== 'launched' && open.status !== 'initialized')) return false;
          // Heard from (or relaunched and abandoned) since the list was read: not idle any more.
          if ((open.lastStatementAt ?? open.createdAt) >= before) return false;
          await launches.setStatus(trx, tenantId, open.id, 'abandoned');
          const attempt = await deps.learning.findAttempt(tenantId, open.attemptId, trx);
          const module = attempt && (await deps.modules.findById(tenantId, attempt.moduleId));
          const version = module && (await deps.modules.findVersion(tenantId, module.id, attempt.version));
          const agent = attempt && (await deps.learning.agentOf(tenantId, attempt.userId));
          // Nothing left to speak for (the learner or module erased): the session just closes.
          if (!attempt || !module || !agent) return true;
          const actor: Agent = {
            objectType: 'Agent',
            ...(agent.name ? { name: agent.name } : {}),
            account: { homePage: agent.homePage, name: agent.accountName },
          };
          const seq = new StatementSequence(captureContext(module, attempt, open.sessionId, actor), now);
          const au =
            version?.content.cmi5 && ausOf(version.content.cmi5.items).find((a) => a.id === open.auId);
          abandon(seq, open, au);
          await store(trx, tenantId, seq.statements);
          return true;
        });
        if (done) ended++;
      }
      return ended;
    },
  };
}

/** The LRS's statements with AU launches' requests judged and followed up by the AU session service. */
export function withAuSessions(
  base: StatementService,
  sessions: Pick<AuSessionService, 'storeAuStatements'>,
): StatementService {
  return {
    ...base,
    store: (input) =>
      input.principal.launch?.auLaunchId ? sessions.storeAuStatements(input) : base.store(input),
  };
}
