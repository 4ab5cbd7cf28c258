import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { LearningRepository } from '../../storage/repositories/learning-repository.js';
import type { LearningModule } from '../model.js';
import type { EnrollmentRow, LtiSession } from '../../lti/model.js';
import type { StatementService } from '../../xapi/statements/statement-service.js';
import type { ObservationForm } from '../module-content.js';
import { EXTENSIONS } from '../vocabulary.js';
import { readObservation } from './survey-answers.js';
import type { Answers } from './scoring.js';
import { StatementSequence, observationItemActivity, type Agent } from './capture-statements.js';
import { captureStore } from './capture-store.js';
import { actorOf } from './learner-flow-service.js';

export interface ObservationFormView {
  module: LearningModule;
  version: number;
  form: ObservationForm;
  /** Active learners of the course roster. */
  learners: { userId: string; name: string }[];
  /** One-time id of this form; the submission carries it back (a replay is refused). */
  observationId: string;
}

export interface ObservationService {
  form(session: LtiSession, linkId: string): Promise<ObservationFormView>;
  submit(
    session: LtiSession,
    linkId: string,
    input: { observationId: string; learnerUserId: string; ratings: Answers },
  ): Promise<{ learnerName: string }>;
}

/**
 * Level-3 manager observation: an instructor or admin rates a learner of the course roster on each
 * behaviour of the module's observation form. Statements: the manager is the actor, the learner goes
 * in the OBSERVED_LEARNER extension, phase 'observation'; registration and session id are the form's
 * one-time id (one observation = one registration).
 */
export function createObservationService(deps: {
  db: Kysely<Database>;
  modules: ModuleRepository;
  learning: LearningRepository;
  statements: StatementService;
  roster: (tenantId: string, contextId: string) => Promise<EnrollmentRow[]>;
}): ObservationService {
  const store = captureStore(deps.statements);

  async function load(session: LtiSession, linkId: string) {
    if (session.roleKind !== 'instructor' && session.roleKind !== 'admin')
      throw new ForbiddenError('Only an instructor or an admin (a manager) can observe learners.');
    if (!session.contextId || session.resourceLinkId !== linkId)
      throw new ForbiddenError('Open the observation form from its own link in the LMS course.');
    const module = await deps.modules.moduleForLink(session.tenantId, session.contextId, linkId);
    if (!module) throw new PreconditionFailedError('This link has no module yet; choose one first.');
    const version = await deps.modules.latestPublished(session.tenantId, module.id);
    const form = version?.content.observation;
    if (!version || !form?.items.length)
      throw new PreconditionFailedError(`The module "${module.title}" has no observation form.`);
    const roster = await deps.roster(session.tenantId, session.contextId);
    const learners = roster
      .filter((r) => r.roleKind === 'learner' && r.status === 'active')
      .map((r) => ({ userId: r.userId, name: r.name ?? r.email ?? r.sub, sub: r.sub }));
    return { module, version, form, learners, contextId: session.contextId };
  }

  return {
    async form(session, linkId) {
      const { module, version, form, learners } = await load(session, linkId);
      return {
        module,
        version: version.version,
        form,
        learners: learners.map(({ userId, name }) => ({ userId, name })),
        observationId: randomUUID(),
      };
    },

    async submit(session, linkId, input) {
      const { module, version, form, learners, contextId } = await load(session, linkId);
      const learner = learners.find((l) => l.userId === input.learnerUserId);
      if (!learner)
        throw new NotFoundError(
          'That person is not an active learner of this course; pick one from the list.',
        );
      const ratings = readObservation(form, input.ratings);
      const agent = await deps.learning.agentOf(session.tenantId, learner.userId);
      if (!agent) throw new NotFoundError('That learner has no record in Yardstick yet.');
      const observed: Agent = {
        objectType: 'Agent',
        ...(agent.name ? { name: agent.name } : {}),
        account: { homePage: agent.homePage, name: agent.accountName },
      };
      await withTransaction(deps.db, async (trx) => {
        const fresh = await deps.learning.insertObservation(trx, {
          tenantId: session.tenantId,
          id: input.observationId,
          moduleId: module.id,
          observerUserId: session.userId,
          learnerUserId: learner.userId,
          contextId,
        });
        if (!fresh)
          throw new ConflictError(
            'This observation was submitted already; open the form again for a new one.',
          );
        const c = {
          tenantId: session.tenantId,
          moduleId: module.id,
          moduleTitle: module.title,
          version: version.version,
          programId: module.programId,
          courseContextId: contextId,
          resourceLinkId: linkId,
          registration: input.observationId,
          sessionId: input.observationId,
          actor: actorOf(session),
        };
        const seq = new StatementSequence(c, new Date());
        for (const r of ratings)
          seq.add('answered', observationItemActivity(c, r.item), {
            result: { response: r.response },
            phase: 'observation',
            parent: true,
            extensions: { [EXTENSIONS.observedLearner]: observed },
          });
        await store(trx, session.tenantId, seq.statements);
      });
      return { learnerName: learner.name };
    },
  };
}
