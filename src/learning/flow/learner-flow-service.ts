import type { Kysely, Transaction } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { LearningRepository } from '../../storage/repositories/learning-repository.js';
import type { Attempt, LearningModule, LearningSession, ModuleVersion } from '../model.js';
import type { LtiSession } from '../../lti/model.js';
import type { StatementService } from '../../xapi/statements/statement-service.js';
import type { GradeService } from '../../lti/grades/grade-service.js';
import type { ModuleContent } from '../module-content.js';
import { EXTENSIONS } from '../vocabulary.js';
import type { Cmi5LaunchRepository } from '../../storage/repositories/cmi5-launch-repository.js';
import { newestPublished, type VersionChooser } from './choose-version.js';
import { progressPercent, stepsOf, type Step } from './step-plan.js';
import type { Answers } from './scoring.js';
import { isoDuration } from '../../xapi/rules/data-types/duration.js';
import { addActiveGap } from './time-on-task.js';
import {
  StatementSequence,
  launchExtensions,
  moduleActivity,
  sessionDurationResult,
  type Agent,
} from './capture-statements.js';
import { captureStore } from './capture-store.js';
import { captureStep } from './step-capture.js';
import type { AuProgress } from '../cmi5/au-progress.js';
import { captureContext } from './capture-context.js';

export { moveOnMissing } from '../cmi5/move-on.js';

export interface LearningSettings {
  /** Longest gap between two signs of activity that counts in full as time on task, in seconds. */
  idleCapSeconds: number;
  /** An active session not seen for this long is ended as abandoned by the job, in seconds. */
  abandonAfterSeconds: number;
  /**
   * A cmi5 AU session launched and neither terminated nor heard from (no statement) for this long is
   * abandoned by the job, in seconds (cmi5 9.3.6). Generous: many AUs say nothing between initialized
   * and terminated, and an abandoned session's later statements are refused.
   */
  auSessionTimeoutSeconds: number;
}

export const DEFAULT_LEARNING_SETTINGS: LearningSettings = {
  idleCapSeconds: 300,
  abandonAfterSeconds: 1800,
  auSessionTimeoutSeconds: 10800,
};

/** Where a learner is in a module. */
export type LearnerState =
  | { kind: 'unbound'; mayBind: boolean; modules: LearningModule[] }
  | {
      kind: 'step';
      module: LearningModule;
      content: ModuleContent;
      attempt: Attempt;
      session: LearningSession;
      step: Step;
      stepNumber: number;
      steps: Step[];
    }
  | {
      kind: 'results';
      module: LearningModule;
      content: ModuleContent;
      attempt: Attempt;
      attemptsUsed: number;
      /** null: unlimited. */
      attemptsLeft: number | null;
    };

export interface Submission {
  attemptId: string;
  /** The step number the form answered (the attempt's `step` when the page was drawn). */
  step: number;
  answers: Answers;
}

export interface LearnerFlowService {
  /** A launch opens its link: binds from `yardstick_module_id` when unbound, opens or resumes the attempt. */
  enter(session: LtiSession, linkId: string): Promise<LearnerState>;
  /** An instructor or admin binds an unbound link to a module with a published version. */
  bind(session: LtiSession, linkId: string, moduleId: string): Promise<void>;
  /** Starts another attempt after a completed one, within the attempt limit. */
  startNew(session: LtiSession, linkId: string): Promise<void>;
  /** Answers one step; all progress and its statements commit together or not at all. */
  submit(session: LtiSession, linkId: string, submission: Submission): Promise<{ gradeError?: string }>;
  /** "Save and exit": ends this session (terminated); the attempt stays open for a later launch. */
  exit(session: LtiSession, linkId: string, attemptId: string): Promise<void>;
  /** The page's heartbeat: counts time on task. 409 once the session has ended. */
  heartbeat(session: LtiSession, attemptId: string): Promise<void>;
  /** The job: ends active sessions not seen for `abandonAfterSeconds` as abandoned. Returns how many. */
  abandonStale(tenantId: string, now?: Date): Promise<number>;
  timeTotal: LearningRepository['timeTotal'];
}

export interface LearnerFlowDeps {
  db: Kysely<Database>;
  modules: ModuleRepository;
  learning: LearningRepository;
  statements: StatementService;
  /** The grade outbox: a learner's score is stored and queued in the transaction of the step that earns it. */
  grades?: Pick<GradeService, 'queue' | 'cannotGrade'>;
  /** External content's own statements, judged against its moveOn. */
  cmi5Launches?: Pick<Cmi5LaunchRepository, 'reportedVerbs'>;
  /** AUs of cmi5 packages: their moveOn, and the course's grade once it is satisfied. */
  auProgress?: AuProgress;
  settings: LearningSettings;
  /** Which version a new attempt gets; the newest published one when absent. */
  chooseVersion?: VersionChooser;
}

/** The launch's actor: its LTI account, with the learner's name when the LMS sent one. */
export function actorOf(session: LtiSession): Agent {
  const launch = session.launch as { actor?: Agent; name?: string | null };
  if (!launch.actor)
    throw new PreconditionFailedError('This launch carries no learner identity; relaunch from the LMS.');
  return { ...launch.actor, ...(launch.name ? { name: launch.name } : {}) };
}

export function createLearnerFlowService(deps: LearnerFlowDeps): LearnerFlowService {
  const { db, modules, learning, settings } = deps;
  const store = captureStore(deps.statements);
  const chooseVersion = deps.chooseVersion ?? newestPublished(modules);

  function linkOf(session: LtiSession, linkId: string): { contextId: string; linkId: string } {
    if (!session.contextId)
      throw new PreconditionFailedError(
        'This launch came from outside a course; open the module from a course in the LMS.',
      );
    if (session.resourceLinkId !== linkId)
      throw new ForbiddenError(
        'This launch opened another LMS link; open this module from its own link in the LMS.',
      );
    return { contextId: session.contextId, linkId };
  }

  async function versionOf(attempt: Attempt): Promise<ModuleVersion> {
    const v = await modules.findVersion(attempt.tenantId, attempt.moduleId, attempt.version);
    if (!v) throw new NotFoundError('The module version of this attempt no longer exists.');
    return v;
  }

  /** Ends a session: its last gap counted (capped), the terminated/abandoned statement, the learner's total. */
  async function endSession(
    trx: Transaction<Database>,
    seq: StatementSequence,
    s: LearningSession,
    how: 'terminated' | 'abandoned',
    attempt: Attempt,
    now: Date,
  ): Promise<void> {
    const time =
      how === 'terminated'
        ? addActiveGap(s, s.lastSeenAt, now, settings.idleCapSeconds)
        : { activeSeconds: s.activeSeconds, estimated: true };
    if (!(await learning.touchSession(trx, { ...s, ...time }, now, how)))
      throw new ConflictError('This session has already ended; relaunch the module from the LMS.');
    seq.cmi5(how, {
      sessionId: s.id,
      result: sessionDurationResult(time),
    });
    await learning.addTime(trx, {
      tenantId: attempt.tenantId,
      userId: attempt.userId,
      moduleId: attempt.moduleId,
      seconds: time.activeSeconds,
      estimated: time.estimated,
    });
  }

  async function resolveModule(session: LtiSession, linkId: string): Promise<LearningModule | undefined> {
    const { contextId } = linkOf(session, linkId);
    const bound = await modules.moduleForLink(session.tenantId, contextId, linkId);
    if (bound) return bound;
    const custom = (session.launch as { custom?: Record<string, unknown> | null }).custom;
    const wanted = custom?.yardstick_module_id;
    if (typeof wanted !== 'string' || !/^[0-9a-f-]{36}$/i.test(wanted)) return undefined;
    const module = await modules.findById(session.tenantId, wanted);
    if (!module || !(await modules.latestPublished(session.tenantId, module.id))) return undefined;
    await modules.link(session.tenantId, contextId, linkId, module.id);
    return module;
  }

  async function results(
    module: LearningModule,
    attempt: Attempt,
    content: ModuleContent,
  ): Promise<LearnerState> {
    const used = (await learning.attemptsOf(attempt.tenantId, attempt.userId, module.id)).length;
    const limit = content.attemptLimit;
    return {
      kind: 'results',
      module,
      content,
      attempt,
      attemptsUsed: used,
      attemptsLeft: limit === undefined ? null : Math.max(0, limit - used),
    };
  }

  /** Opens a new attempt when the limit allows; undefined when it does not. */
  async function openAttempt(
    session: LtiSession,
    module: LearningModule,
    linkId: string,
  ): Promise<Attempt | undefined> {
    const version = await chooseVersion({
      tenantId: session.tenantId,
      moduleId: module.id,
      userId: session.userId,
    });
    if (!version)
      throw new PreconditionFailedError(
        `The module "${module.title}" has no published version yet; ask its author to publish it.`,
      );
    const used = (await learning.attemptsOf(session.tenantId, session.userId, module.id)).length;
    if (version.content.attemptLimit !== undefined && used >= version.content.attemptLimit) return undefined;
    const inserted = await learning.insertAttempt(db, {
      tenantId: session.tenantId,
      moduleId: module.id,
      version: version.version,
      userId: session.userId,
      contextId: session.contextId!,
      resourceLinkId: linkId,
    });
    return (
      inserted ??
      (await learning.findOpenAttempt(session.tenantId, session.userId, session.contextId!, linkId))
    );
  }

  /** The launch's active session of the attempt; a new one (launched, initialized) when it has none. */
  async function ensureSession(
    session: LtiSession,
    module: LearningModule,
    attemptId: string,
    now = new Date(),
  ) {
    return withTransaction(db, async (trx) => {
      const attempt = await learning.lockAttempt(trx, session.tenantId, attemptId);
      if (!attempt || attempt.status !== 'open') return undefined;
      const mine = await learning.sessionForLaunch(session.tenantId, attempt.id, session.id, trx);
      if (mine) return { attempt, session: mine };
      const version = await versionOf(attempt);
      const actor = actorOf(session);
      const created = await learning.insertSession(trx, {
        tenantId: session.tenantId,
        attemptId: attempt.id,
        ltiSessionId: session.id,
        now,
      });
      const seq = new StatementSequence(captureContext(module, attempt, created.id, actor), now);
      // cmi5: a new launch while another session is open means that one was abandoned.
      for (const other of await learning.activeSessions(trx, session.tenantId, attempt.id))
        if (other.id !== created.id) await endSession(trx, seq, other, 'abandoned', attempt, now);
      seq.cmi5('launched', { extensions: launchExtensions(version.content) });
      seq.cmi5('initialized');
      await store(trx, session.tenantId, seq.statements);
      return { attempt, session: created };
    });
  }

  return {
    async enter(session, linkId) {
      const module = await resolveModule(session, linkId);
      if (!module) {
        const mayBind = session.roleKind === 'instructor' || session.roleKind === 'admin';
        const all = mayBind ? await modules.list(session.tenantId) : [];
        const published: LearningModule[] = [];
        for (const m of all) if (await modules.latestPublished(session.tenantId, m.id)) published.push(m);
        return { kind: 'unbound', mayBind, modules: published };
      }
      let attempt = await learning.findOpenAttempt(
        session.tenantId,
        session.userId,
        session.contextId!,
        linkId,
      );
      if (!attempt) {
        // A finished attempt from this link: its results (and a button for another, within the limit).
        const previous = (await learning.attemptsOf(session.tenantId, session.userId, module.id)).filter(
          (a) => a.contextId === session.contextId && a.resourceLinkId === linkId,
        );
        if (previous[0]) return results(module, previous[0], (await versionOf(previous[0])).content);
        attempt = await openAttempt(session, module, linkId);
        if (!attempt) throw new PreconditionFailedError('No attempts are allowed at this module.');
      }
      const opened = await ensureSession(session, module, attempt.id);
      if (!opened) return this.enter(session, linkId);
      const content = (await versionOf(opened.attempt)).content;
      const steps = stepsOf(content);
      const stepNumber = opened.attempt.step;
      if (stepNumber >= steps.length) return results(module, opened.attempt, content);
      return {
        kind: 'step',
        module,
        content,
        attempt: opened.attempt,
        session: opened.session,
        step: steps[stepNumber]!,
        stepNumber,
        steps,
      };
    },

    async bind(session, linkId, moduleId) {
      if (session.roleKind !== 'instructor' && session.roleKind !== 'admin')
        throw new ForbiddenError('Only an instructor or an admin can choose the module of a link.');
      const { contextId } = linkOf(session, linkId);
      const module = await modules.findById(session.tenantId, moduleId);
      if (!module)
        throw new NotFoundError('There is no such module in this organisation; pick one from the list.');
      if (!(await modules.latestPublished(session.tenantId, moduleId)))
        throw new PreconditionFailedError(
          `The module "${module.title}" has no published version yet; publish it first.`,
        );
      await modules.link(session.tenantId, contextId, linkId, moduleId);
    },

    async startNew(session, linkId) {
      const module = await resolveModule(session, linkId);
      if (!module) throw new PreconditionFailedError('This link has no module yet.');
      const open = await learning.findOpenAttempt(
        session.tenantId,
        session.userId,
        session.contextId!,
        linkId,
      );
      if (open) return;
      if (!(await openAttempt(session, module, linkId)))
        throw new ConflictError(
          'You have used all attempts at this module; ask your instructor if you need another.',
        );
    },

    async submit(session, linkId, submission) {
      const module = await resolveModule(session, linkId);
      if (!module) throw new PreconditionFailedError('This link has no module yet.');
      const now = new Date();
      let gradeScore: { raw: number; max: number } | undefined;
      // The grade outbox: the score and its delivery job commit with the step that earns it, or not at all.
      const queueGrade = (trx: Parameters<GradeService['queue']>[0], score: { raw: number; max: number }) =>
        deps.grades && !deps.grades.cannotGrade(session)
          ? deps.grades.queue(trx, session, {
              scoreGiven: score.raw,
              scoreMaximum: score.max,
              activityProgress: 'Completed',
              gradingProgress: 'FullyGraded',
              timestamp: now,
            })
          : Promise.resolve(undefined);
      await withTransaction(db, async (trx) => {
        const attempt = await learning.lockAttempt(trx, session.tenantId, submission.attemptId);
        if (!attempt || attempt.userId !== session.userId || attempt.moduleId !== module.id)
          throw new NotFoundError(
            'There is no such attempt for you at this module; relaunch it from the LMS.',
          );
        if (attempt.status !== 'open')
          throw new ConflictError('This attempt has ended, so it takes no more answers; see your results.');
        if (submission.step !== attempt.step)
          throw new ConflictError(
            `This step was answered already (you sent step ${submission.step + 1}, the attempt is at step ${attempt.step + 1}); continue where you left off.`,
          );
        const current = await learning.sessionForLaunch(session.tenantId, attempt.id, session.id, trx);
        if (!current)
          throw new ConflictError('This session has ended; relaunch the module from the LMS to continue.');
        const content = (await versionOf(attempt)).content;
        const steps = stepsOf(content);
        const step = steps[attempt.step];
        if (!step) throw new ConflictError('This attempt has no step left to answer; see your results.');
        const c = captureContext(module, attempt, current.id, actorOf(session));
        const seq = new StatementSequence(c, now);

        const captured = await captureStep({
          c,
          seq,
          step,
          content,
          answers: submission.answers,
          results: attempt.results,
          anonymousSurveys: session.roleKind === 'learner',
          reportedVerbs: () =>
            deps.cmi5Launches
              ? deps.cmi5Launches.reportedVerbs(
                  trx,
                  session.tenantId,
                  attempt.id,
                  content.external!.activityId,
                )
              : Promise.resolve(undefined),
          auMissing: (au) =>
            deps.auProgress
              ? deps.auProgress.missing(trx, session.tenantId, attempt.id, au)
              : Promise.resolve(undefined),
        });
        const resultsSoFar = captured.results;
        const next = attempt.step + 1;
        const finished = next >= steps.length;
        if (captured.postScore && session.roleKind === 'learner') gradeScore = captured.postScore;
        // A cmi5 course: the grade follows the course's satisfied statement (cmi5 9.3.9), when the last AU is done.
        const courseGrade =
          finished && content.cmi5 && deps.auProgress
            ? await deps.auProgress.courseGrade(trx, session.tenantId, attempt.id, module.id, content.cmi5)
            : undefined;
        if (courseGrade) {
          const scaled = courseGrade.raw / courseGrade.max;
          resultsSoFar.post = { raw: courseGrade.raw, max: courseGrade.max, scaled, passed: true };
          seq.cmi5('passed', {
            result: { score: { scaled, raw: courseGrade.raw, min: 0, max: courseGrade.max }, success: true },
          });
          if (session.roleKind === 'learner') gradeScore = courseGrade;
        }
        const passbackId = gradeScore && (await queueGrade(trx, gradeScore));
        if (passbackId) resultsSoFar.passbackId = passbackId;

        seq.add('progressed', moduleActivity(c), {
          result: { extensions: { [EXTENSIONS.progress]: progressPercent(next, steps.length) } },
        });
        const time = addActiveGap(current, current.lastSeenAt, now, settings.idleCapSeconds);
        if (finished) {
          seq.cmi5('completed', { result: { completion: true, duration: isoDuration(time.activeSeconds) } });
          await endSession(trx, seq, current, 'terminated', attempt, now);
        } else if (!(await learning.touchSession(trx, { ...current, ...time }, now))) {
          throw new ConflictError('This session has ended; relaunch the module from the LMS to continue.');
        }
        await learning.saveProgress(trx, session.tenantId, attempt.id, {
          step: next,
          results: resultsSoFar,
          completed: finished,
        });
        await store(trx, session.tenantId, seq.statements);
        return;
      });

      const gradeError = gradeScore && deps.grades?.cannotGrade(session);
      return gradeError ? { gradeError } : {};
    },

    async exit(session, linkId, attemptId) {
      const module = await resolveModule(session, linkId);
      if (!module) throw new PreconditionFailedError('This link has no module yet.');
      const now = new Date();
      await withTransaction(db, async (trx) => {
        const attempt = await learning.lockAttempt(trx, session.tenantId, attemptId);
        if (!attempt || attempt.userId !== session.userId)
          throw new NotFoundError('There is no such attempt for you; relaunch the module from the LMS.');
        const current = await learning.sessionForLaunch(session.tenantId, attempt.id, session.id, trx);
        if (!current || attempt.status !== 'open') throw new ConflictError('This session has ended already.');
        const seq = new StatementSequence(captureContext(module, attempt, current.id, actorOf(session)), now);
        await endSession(trx, seq, current, 'terminated', attempt, now);
        await store(trx, session.tenantId, seq.statements);
      });
    },

    async heartbeat(session, attemptId) {
      const now = new Date();
      await withTransaction(db, async (trx) => {
        const attempt = await learning.lockAttempt(trx, session.tenantId, attemptId);
        if (!attempt || attempt.userId !== session.userId)
          throw new NotFoundError('There is no such attempt for you.');
        const current = await learning.sessionForLaunch(session.tenantId, attempt.id, session.id, trx);
        if (!current) throw new ConflictError('This session has ended; relaunch the module from the LMS.');
        const time = addActiveGap(current, current.lastSeenAt, now, settings.idleCapSeconds);
        await learning.touchSession(trx, { ...current, ...time }, now);
      });
    },

    async abandonStale(tenantId, now = new Date()) {
      const before = new Date(now.getTime() - settings.abandonAfterSeconds * 1000);
      const stale = await learning.staleSessions(tenantId, before, 500);
      let ended = 0;
      for (const s of stale) {
        const done = await withTransaction(db, async (trx) => {
          const attempt = await learning.lockAttempt(trx, tenantId, s.attemptId);
          const fresh = attempt && (await learning.findSession(tenantId, s.id, trx));
          if (!attempt || !fresh || fresh.status !== 'active' || fresh.lastSeenAt >= before) return false;
          const module = await modules.findById(tenantId, attempt.moduleId);
          const agent = await learning.agentOf(tenantId, attempt.userId);
          if (!module || !agent) return false;
          const actor: Agent = {
            objectType: 'Agent',
            ...(agent.name ? { name: agent.name } : {}),
            account: { homePage: agent.homePage, name: agent.accountName },
          };
          // The session ended when it was last seen; the statement says so.
          const seq = new StatementSequence(
            captureContext(module, attempt, fresh.id, actor),
            fresh.lastSeenAt,
          );
          await endSession(trx, seq, fresh, 'abandoned', attempt, fresh.lastSeenAt);
          await store(trx, tenantId, seq.statements);
          return true;
        });
        if (done) ended++;
      }
      return ended;
    },

    timeTotal: (tenantId, userId, moduleId) => learning.timeTotal(tenantId, userId, moduleId),
  };
}
