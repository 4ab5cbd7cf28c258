import type { ChoiceQuestion, ModuleContent, SurveyItem } from '../../learning/module-content.js';
import {
  ACTIVITY_TYPES,
  ANONYMOUS_HOME_PAGE,
  CATEGORIES,
  EXTENSIONS,
  VERBS,
  iri,
  type VerbName,
} from '../../learning/vocabulary.js';
import type { CourseWorld, WorldLearner, WorldModule } from './course-world.js';
import { isoDuration } from '../../xapi/rules/data-types/duration.js';
import { SeededRandom, clamp } from './random.js';

type Agent = { objectType: 'Agent'; name?: string; account: { homePage: string; name: string } };

/** A statement in the capture contract's shape (src/learning/vocabulary.ts). */
export interface CaptureStatement {
  id: string;
  actor: Agent;
  verb: { id: string; display: { 'en-US': string } };
  object: { objectType: 'Activity'; id: string; definition?: Record<string, unknown> };
  result?: Record<string, unknown>;
  context: {
    registration?: string;
    contextActivities: Record<string, { id: string; definition?: Record<string, unknown> }[]>;
    extensions: Record<string, unknown>;
  };
  timestamp: string;
}

export interface CaptureOptions {
  seed: number;
  /** Days after world.start over which learners start (default 42). */
  spreadDays?: number;
  /** Share of attempts whose first session is abandoned and resumed later (default 0.08). */
  abandonShare?: number;
  /** Share of learners who never start anything (default 0.1). */
  neverStartShare?: number;
  /** Data-quality faults to inject, each a share of statements (default 0). */
  faults?: { missingMetadata?: number; duplicates?: number; strangers?: number };
}

const CMI5_VERBS = new Set<VerbName>([
  'launched',
  'initialized',
  'passed',
  'failed',
  'completed',
  'terminated',
  'abandoned',
]);

/**
 * Every statement the learner modules (issue #6) would write for a course world: per learner and module
 * one attempt (registration) of one or two sessions: launched, initialized, pre-test answers, pages
 * experienced with progress, post-test answers, passed or failed, completed, terminated (or abandoned
 * with an estimated duration), the survey (anonymous actors when the survey is anonymous), and
 * managers' observations of some learners. Ability drives scores, diligence drives completion; starts
 * cluster after the campaign date. Deterministic for a seed.
 */
export function* generateCaptureStatements(
  world: CourseWorld,
  options: CaptureOptions,
): Generator<CaptureStatement> {
  const rnd = new SeededRandom(options.seed);
  const faults = options.faults ?? {};
  for (const learner of world.learners) {
    if (rnd.chance(options.neverStartShare ?? 0.1)) continue;
    for (const module of world.modules) {
      if (!rnd.chance(learner.diligence + 0.05)) continue;
      for (const s of attempt(rnd, world, learner, module, options)) {
        yield* withFaults(rnd, s, faults);
      }
    }
  }
}

function* withFaults(
  rnd: SeededRandom,
  s: CaptureStatement,
  faults: NonNullable<CaptureOptions['faults']>,
): Generator<CaptureStatement> {
  if (faults.missingMetadata && rnd.chance(faults.missingMetadata)) {
    const extensions = { ...s.context.extensions };
    delete extensions[rnd.pick([EXTENSIONS.moduleVersion, EXTENSIONS.assignmentId, EXTENSIONS.campaignId])];
    s = { ...s, context: { ...s.context, extensions } };
  }
  if (faults.strangers && rnd.chance(faults.strangers) && s.actor.account.homePage !== ANONYMOUS_HOME_PAGE) {
    s = { ...s, actor: { ...s.actor, account: { ...s.actor.account, name: `unknown-${rnd.int(1, 50)}` } } };
  }
  yield s;
  if (faults.duplicates && rnd.chance(faults.duplicates)) yield { ...s, id: rnd.uuid() };
}

function agentOf(world: CourseWorld, person: WorldLearner): Agent {
  return { objectType: 'Agent', name: person.name, account: { homePage: world.issuer, name: person.sub } };
}

function* attempt(
  rnd: SeededRandom,
  world: CourseWorld,
  learner: WorldLearner,
  module: WorldModule,
  options: CaptureOptions,
): Generator<CaptureStatement> {
  const version = rnd.chance(0.6) ? 1 : 2;
  const content = module.versions[version - 1]!;
  const moduleIri = iri.module(world.tenantId, module.id);
  const registration = rnd.uuid();
  const spread = (options.spreadDays ?? 42) * 86400000;
  // Starts before the campaign are rarer than after it (the campaign nudges learners).
  const offset = rnd.chance(0.3)
    ? rnd.next() * 14 * 86400000
    : 14 * 86400000 + rnd.next() * (spread - 14 * 86400000);
  let t = world.start.getTime() + offset;
  const minutes = clamp(rnd.logNormal(module.medianMinutes, 0.45), 2, 240);
  let sessionId = rnd.uuid();
  let sessionStart = t;
  const step = (minutes * 60000) / 30;
  const grouping = [{ id: iri.course(world.tenantId, world.courseId) }];
  if (world.programId) grouping.push({ id: iri.program(world.tenantId, world.programId) });
  const make = (
    verb: VerbName,
    objectId: string,
    extra: { result?: Record<string, unknown>; definition?: Record<string, unknown>; phase?: string } = {},
  ): CaptureStatement => {
    t += step * (0.5 + rnd.next());
    const contextActivities: CaptureStatement['context']['contextActivities'] = { grouping };
    if (objectId !== moduleIri) contextActivities.parent = [{ id: moduleIri }];
    if (CMI5_VERBS.has(verb)) contextActivities.category = [{ id: CATEGORIES.cmi5 }];
    const extensions: Record<string, unknown> = {
      [EXTENSIONS.sessionId]: sessionId,
      [EXTENSIONS.moduleVersion]: version,
      [EXTENSIONS.assignmentId]: module.resourceLinkId,
    };
    if (world.programId) extensions[EXTENSIONS.campaignId] = world.programId;
    if (extra.phase) extensions[EXTENSIONS.phase] = extra.phase;
    return {
      id: rnd.uuid(),
      actor: agentOf(world, learner),
      verb: { id: VERBS[verb], display: { 'en-US': verb } },
      object: {
        objectType: 'Activity',
        id: objectId,
        ...(extra.definition ? { definition: extra.definition } : {}),
      },
      ...(extra.result ? { result: extra.result } : {}),
      context: { registration, contextActivities, extensions },
      timestamp: new Date(Math.round(t)).toISOString(),
    };
  };
  const moduleDefinition = { type: ACTIVITY_TYPES.module, name: { 'en-US': module.title } };
  yield make('launched', moduleIri, { definition: moduleDefinition });
  yield make('initialized', moduleIri);
  const pre = clamp(rnd.normal(learner.ability, 0.12), 0, 1);
  yield* test(rnd, world, module, content, 'pre', pre, make);
  const pages = content.pages;
  for (const [i, page] of pages.entries()) {
    yield make('experienced', iri.page(world.tenantId, module.id, page.id), {
      definition: { type: ACTIVITY_TYPES.page, name: { 'en-US': page.title } },
    });
    yield make('progressed', moduleIri, {
      result: { extensions: { [EXTENSIONS.progress]: Math.round(((i + 1) / (pages.length + 2)) * 100) } },
    });
    if (i === 0 && rnd.chance(options.abandonShare ?? 0.08)) {
      // The tab closed: the next launch abandons this session with an estimated duration.
      const estimated = Math.min((t - sessionStart) / 1000, 30 * 60);
      t += 86400000 * rnd.next();
      yield make('abandoned', moduleIri, {
        result: { duration: isoDuration(estimated), extensions: { [EXTENSIONS.durationEstimated]: true } },
      });
      if (!rnd.chance(learner.diligence)) return;
      sessionId = rnd.uuid();
      sessionStart = t;
      yield make('launched', moduleIri);
      yield make('initialized', moduleIri);
    }
  }
  const post = clamp(pre + rnd.normal(0.15, 0.1), 0, 1);
  const postTest = content.postTest!;
  const raw = yield* test(rnd, world, module, content, 'post', post, make);
  const max = postTest.questions.length;
  const scaled = Math.round((raw / max) * 10000) / 10000;
  const passed = scaled >= postTest.masteryScore;
  yield make(passed ? 'passed' : 'failed', moduleIri, {
    result: { score: { scaled, raw, min: 0, max }, success: passed },
  });
  const completes = rnd.chance(learner.diligence);
  if (completes) {
    yield make('completed', moduleIri, { result: { completion: true } });
    if (content.survey) yield* survey(rnd, world, learner, module, content, make, t);
  }
  const idle = rnd.chance(0.05);
  const seconds = idle ? 30 * 60 : (t - sessionStart) / 1000;
  yield make('terminated', moduleIri, {
    result: {
      duration: isoDuration(seconds),
      ...(idle ? { extensions: { [EXTENSIONS.durationEstimated]: true } } : {}),
    },
  });
  if (completes && content.observation && rnd.chance(0.4)) {
    yield* observation(rnd, world, learner, module, content, t);
  }
}

type Make = (
  verb: VerbName,
  objectId: string,
  extra?: { result?: Record<string, unknown>; definition?: Record<string, unknown>; phase?: string },
) => CaptureStatement;

function* test(
  rnd: SeededRandom,
  world: CourseWorld,
  module: WorldModule,
  content: ModuleContent,
  phase: 'pre' | 'post',
  ability: number,
  make: Make,
): Generator<CaptureStatement, number> {
  const questions = (phase === 'pre' ? content.preTest : content.postTest)?.questions ?? [];
  let correct = 0;
  for (const [q, question] of questions.entries()) {
    const choice = question as ChoiceQuestion;
    const difficulty = (q % 3) * 0.08;
    const success = rnd.chance(clamp(ability - difficulty + rnd.normal(0, 0.1), 0.02, 0.98));
    if (success) correct++;
    const wrong = choice.choices.map((c) => c.id).filter((id) => !choice.correct.includes(id));
    const response = success ? choice.correct[0]! : rnd.pick(wrong);
    yield make('answered', iri.question(world.tenantId, module.id, phase, question.id), {
      phase,
      result: { response, success },
      definition: {
        type: ACTIVITY_TYPES.interaction,
        interactionType: 'choice',
        description: { 'en-US': question.prompt },
        correctResponsesPattern: [choice.correct.join('[,]')],
        choices: choice.choices.map((c) => ({ id: c.id, description: { 'en-US': c.text } })),
      },
    });
  }
  return correct;
}

const COMMENTS = [
  'Clear and short.',
  'More examples, please.',
  'I finally understand the match <b>formula</b>.',
  'Too long for a Friday.',
];

function* survey(
  rnd: SeededRandom,
  world: CourseWorld,
  learner: WorldLearner,
  module: WorldModule,
  content: ModuleContent,
  make: Make,
  at: number,
): Generator<CaptureStatement> {
  const s = content.survey!;
  const anonymousAccount = rnd.uuid();
  const anonymousSession = rnd.uuid();
  for (const item of s.items) {
    const response = surveyResponse(rnd, item, learner);
    if (response === null) continue;
    const statement = make('answered', iri.surveyItem(world.tenantId, module.id, item.id), {
      phase: 'survey',
      result: { response },
      definition: surveyDefinition(item),
    });
    if (s.anonymous) {
      // Nothing that links the answer to the learner: a fresh account and session, no registration.
      statement.actor = {
        objectType: 'Agent',
        account: { homePage: ANONYMOUS_HOME_PAGE, name: anonymousAccount },
      };
      delete statement.context.registration;
      statement.context.extensions[EXTENSIONS.sessionId] = anonymousSession;
      statement.timestamp = new Date(Math.floor(at / 86400000) * 86400000).toISOString();
    }
    yield statement;
  }
}

function surveyResponse(rnd: SeededRandom, item: SurveyItem, learner: WorldLearner): string | null {
  if (item.type === 'likert') {
    return String(clamp(Math.round(rnd.normal(3 + learner.ability * 1.5, 0.9)), 1, item.scale.labels.length));
  }
  if (item.type === 'nps') return String(clamp(Math.round(rnd.normal(7 + learner.ability * 2, 2)), 0, 10));
  return rnd.chance(0.3) ? rnd.pick(COMMENTS) : null;
}

function surveyDefinition(item: SurveyItem): Record<string, unknown> {
  const base = { type: ACTIVITY_TYPES.interaction, description: { 'en-US': item.prompt } };
  if (item.type === 'likert') {
    return {
      ...base,
      interactionType: 'likert',
      scale: item.scale.labels.map((label, i) => ({ id: String(i + 1), description: { 'en-US': label } })),
    };
  }
  if (item.type === 'nps') {
    return {
      ...base,
      interactionType: 'likert',
      scale: Array.from({ length: 11 }, (_, i) => ({ id: String(i), description: { 'en-US': String(i) } })),
    };
  }
  return { ...base, interactionType: 'long-fill-in' };
}

function* observation(
  rnd: SeededRandom,
  world: CourseWorld,
  learner: WorldLearner,
  module: WorldModule,
  content: ModuleContent,
  at: number,
): Generator<CaptureStatement> {
  const manager = world.managers[rnd.int(0, world.managers.length - 1)]!;
  const when = new Date(at + 21 * 86400000).toISOString();
  const sessionId = rnd.uuid();
  for (const item of content.observation!.items) {
    const grouping = [{ id: iri.course(world.tenantId, world.courseId) }];
    if (world.programId) grouping.push({ id: iri.program(world.tenantId, world.programId) });
    const extensions: Record<string, unknown> = {
      [EXTENSIONS.sessionId]: sessionId,
      [EXTENSIONS.moduleVersion]: 1,
      [EXTENSIONS.assignmentId]: module.resourceLinkId,
      [EXTENSIONS.phase]: 'observation',
      [EXTENSIONS.observedLearner]: agentOf(world, learner),
    };
    if (world.programId) extensions[EXTENSIONS.campaignId] = world.programId;
    yield {
      id: rnd.uuid(),
      actor: agentOf(world, manager),
      verb: { id: VERBS.answered, display: { 'en-US': 'answered' } },
      object: {
        objectType: 'Activity',
        id: iri.observationItem(world.tenantId, module.id, item.id),
        definition: {
          type: ACTIVITY_TYPES.interaction,
          interactionType: 'likert',
          description: { 'en-US': item.behaviour },
          scale: item.scale.labels.map((label, i) => ({
            id: String(i + 1),
            description: { 'en-US': label },
          })),
        },
      },
      result: {
        response: String(
          clamp(Math.round(rnd.normal(2.5 + learner.ability * 2, 0.8)), 1, item.scale.labels.length),
        ),
      },
      context: {
        contextActivities: { grouping, parent: [{ id: iri.module(world.tenantId, module.id) }] },
        extensions,
      },
      timestamp: when,
    };
  }
}
