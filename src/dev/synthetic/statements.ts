import { isoDuration } from '../../xapi/rules/data-types/duration.js';
import { SeededRandom, clamp } from './random.js';
import type { SyntheticCourse, SyntheticLearner, SyntheticModule, SyntheticTenant } from './dataset.js';

import { CATEGORIES, EXTENSIONS, VERBS, iri } from '../../learning/vocabulary.js';

export { EXTENSIONS, VERBS };

export interface SyntheticStatement {
  id: string;
  actor: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
  verb: { id: string; display: { 'en-US': string } };
  object: { objectType: 'Activity'; id: string; definition?: Record<string, unknown> };
  result?: Record<string, unknown>;
  context: {
    registration: string;
    contextActivities: Record<string, { id: string }[]>;
    extensions: Record<string, unknown>;
  };
  timestamp: string;
}

export interface StatementStreamOptions {
  seed: number;
  /** Campaign id per course (from the program), written on every statement. */
  campaignByCourse?: Record<string, string>;
  /** When learners start: the program launch. */
  start: Date;
  /** Days over which learners start their modules. */
  spreadDays?: number;
}

/**
 * Streams realistic xAPI statements for every learner of every course of a tenant: per module attempt
 * launched -> initialized -> pre-test answers -> experienced pages -> post-test answers -> passed/failed
 * -> completed (most) -> terminated with a log-normal duration. Ability drives scores, diligence drives
 * completion; a few attempts are abandoned (abandoned with an estimated duration, no terminated). Object
 * and grouping IRIs come from `iri.*` with the data set's string ids (for uuid ids and the database, see
 * course-world.ts and capture-statements.ts). Deterministic for a seed.
 */
export function* generateStatements(
  tenant: SyntheticTenant,
  options: StatementStreamOptions,
): Generator<SyntheticStatement> {
  const rnd = new SeededRandom(options.seed);
  for (const course of tenant.courses) {
    for (const learner of course.learners) {
      for (const module of course.modules) {
        if (!rnd.chance(learner.diligence + 0.1)) continue; // never started
        yield* attempt(rnd, tenant, course, learner, module, options);
      }
    }
  }
}

function* attempt(
  rnd: SeededRandom,
  tenant: SyntheticTenant,
  course: SyntheticCourse,
  learner: SyntheticLearner,
  module: SyntheticModule,
  options: StatementStreamOptions,
): Generator<SyntheticStatement> {
  const registration = rnd.uuid();
  const sessionId = rnd.uuid();
  let t = options.start.getTime() + rnd.next() * (options.spreadDays ?? 28) * 86400000;
  const minutes = clamp(rnd.logNormal(module.medianMinutes, 0.45), 2, 240);
  const step = (minutes * 60000) / (module.questionCount * 2 + 6);
  const base = {
    actor: {
      objectType: 'Agent' as const,
      name: learner.name,
      account: { homePage: tenant.issuer, name: learner.sub },
    },
    context: {
      registration,
      contextActivities: { grouping: [{ id: iri.course(tenantSlug(tenant), course.id) }] } as Record<
        string,
        { id: string }[]
      >,
      extensions: {
        [EXTENSIONS.moduleVersion]: module.version,
        [EXTENSIONS.assignmentId]: `${course.id}/${module.id}`,
        ...(options.campaignByCourse?.[course.id]
          ? { [EXTENSIONS.campaignId]: options.campaignByCourse[course.id] }
          : {}),
        [EXTENSIONS.sessionId]: sessionId,
      } as Record<string, unknown>,
    },
  };
  const make = (
    verb: keyof typeof VERBS,
    objectId: string,
    extra: Partial<SyntheticStatement> = {},
  ): SyntheticStatement => {
    t += step * (0.5 + rnd.next());
    const contextActivities = { ...base.context.contextActivities };
    if (objectId !== module.activityIri) contextActivities.parent = [{ id: module.activityIri }];
    if (CMI5.has(verb)) contextActivities.category = [{ id: CATEGORIES.cmi5 }];
    return {
      id: rnd.uuid(),
      ...base,
      context: { ...base.context, contextActivities },
      verb: { id: VERBS[verb], display: { 'en-US': verb } },
      object: { objectType: 'Activity', id: objectId },
      timestamp: new Date(Math.round(t)).toISOString(),
      ...extra,
    };
  };
  yield make('launched', module.activityIri);
  yield make('initialized', module.activityIri);
  const pre = clamp(rnd.normal(learner.ability, 0.12), 0, 1);
  yield* quiz(rnd, make, module, 'pre', pre);
  for (let page = 1; page <= 4; page++) yield make('experienced', `${module.activityIri}/pages/p${page}`);
  if (rnd.chance(0.06)) {
    // The tab closed: the next launch abandons the session with an estimated duration.
    yield make('abandoned', module.activityIri, {
      result: { duration: isoDuration(minutes * 30), extensions: { [EXTENSIONS.durationEstimated]: true } },
    });
    return;
  }
  const post = clamp(pre + rnd.normal(0.15, 0.1), 0, 1);
  const postScore = yield* quiz(rnd, make, module, 'post', post);
  const scaled = postScore / module.questionCount;
  const score = { scaled: round(scaled), raw: postScore, min: 0, max: module.questionCount };
  yield make(scaled >= module.masteryScore ? 'passed' : 'failed', module.activityIri, {
    result: { score, success: scaled >= module.masteryScore },
  });
  if (rnd.chance(learner.diligence))
    yield make('completed', module.activityIri, { result: { completion: true } });
  yield make('terminated', module.activityIri, { result: { duration: isoDuration(minutes * 60) } });
}

function* quiz(
  rnd: SeededRandom,
  make: (
    verb: keyof typeof VERBS,
    objectId: string,
    extra?: Partial<SyntheticStatement>,
  ) => SyntheticStatement,
  module: SyntheticModule,
  phase: 'pre' | 'post',
  ability: number,
): Generator<SyntheticStatement, number> {
  let correct = 0;
  for (let q = 1; q <= module.questionCount; q++) {
    const success = rnd.chance(clamp(ability + rnd.normal(0, 0.1), 0.02, 0.98));
    if (success) correct++;
    const choice = success ? 'a' : rnd.pick(['b', 'c', 'd']);
    const s = make('answered', `${module.activityIri}/${phase}-test/q${q}`, {
      result: { success, response: choice },
    });
    s.object.definition = {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'choice',
      correctResponsesPattern: ['a'],
      choices: ['a', 'b', 'c', 'd'].map((id) => ({
        id,
        description: { 'en-US': `Option ${id.toUpperCase()}` },
      })),
    };
    s.context.extensions = { ...s.context.extensions, [EXTENSIONS.phase]: phase };
    yield s;
  }
  return correct;
}

const CMI5 = new Set(['launched', 'initialized', 'passed', 'failed', 'completed', 'terminated', 'abandoned']);

/** The tenant segment of this data set's IRIs (a slug of the issuer; the data set has no tenant ids). */
function tenantSlug(tenant: SyntheticTenant): string {
  return new URL(tenant.issuer).hostname.split('.')[1] ?? 'tenant';
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
