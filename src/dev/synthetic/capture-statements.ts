import type { ModuleContent, Question, SurveyItem } from '../../learning/module-content.js';
import { ANONYMOUS_HOME_PAGE, EXTENSIONS } from '../../learning/vocabulary.js';
import {
  StatementSequence,
  launchExtensions,
  moduleActivity,
  observationItemActivity,
  pageActivity,
  sessionDurationResult,
  type CaptureContext,
} from '../../learning/flow/capture-statements.js';
import { captureSurvey, captureTest } from '../../learning/flow/step-capture.js';
import { progressPercent, stepsOf, type Step } from '../../learning/flow/step-plan.js';
import type { Answers } from '../../learning/flow/scoring.js';
import { readObservation } from '../../learning/flow/survey-answers.js';
import { addActiveGap, type ActiveTime } from '../../learning/flow/time-on-task.js';
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
  /** The idle cap of time on task, seconds (learning.idleCapSeconds; default 300). */
  idleCapSeconds?: number;
  /** Share of completed attempts a manager observes afterwards (default 0.4). */
  observedShare?: number;
  /** Data-quality faults to inject, each a share of statements (default 0). */
  faults?: { missingMetadata?: number; duplicates?: number; strangers?: number };
}

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

/** The statements of a sequence, in the shape the builders give them (the capture contract). */
function shaped(seq: StatementSequence): CaptureStatement[] {
  return seq.statements as unknown as CaptureStatement[];
}

function agentOf(world: CourseWorld, person: WorldLearner): Agent {
  return { objectType: 'Agent', name: person.name, account: { homePage: world.issuer, name: person.sub } };
}

/** The page's heartbeat interval while the learner is active (src/web/routes/learn/learner-pages.ts). */
const HEARTBEAT_MS = 30_000;

/**
 * The time on task of one session as the learner flow measures it (time-on-task.ts): while the
 * learner works the page sends a heartbeat every 30 s, so working time counts in full; time away
 * sends nothing, so that gap counts up to the idle cap and marks the duration estimated.
 */
class SessionClock {
  time: ActiveTime = { activeSeconds: 0, estimated: false };
  constructor(
    public t: number,
    private readonly idleCapSeconds: number,
  ) {}

  work(ms: number): void {
    const end = this.t + ms;
    while (this.t < end) this.signal(Math.min(end, this.t + HEARTBEAT_MS));
  }

  away(ms: number): void {
    this.signal(this.t + ms);
  }

  private signal(at: number): void {
    this.time = addActiveGap(this.time, new Date(this.t), new Date(at), this.idleCapSeconds);
    this.t = at;
  }
}

/**
 * One attempt as the learner flow (learner-flow-service.ts, step-capture.ts) writes it, through the
 * same builders: launched and initialized, each step's statements then progressed, completed and
 * terminated after the last step. A learner who stops before the last step exits (terminated
 * without completed); a closed tab is abandoned at the next launch, or by the stale-session job
 * when the learner never returns.
 */
function* attempt(
  rnd: SeededRandom,
  world: CourseWorld,
  learner: WorldLearner,
  module: WorldModule,
  options: CaptureOptions,
): Generator<CaptureStatement> {
  // Always drawn, so a one-version module leaves the stream (and every later draw) as it was.
  const version = rnd.chance(0.6) || module.versions.length < 2 ? 1 : 2;
  const content = module.versions[version - 1]!;
  const registration = rnd.uuid();
  const spread = (options.spreadDays ?? 42) * 86400000;
  // Starts before the campaign are rarer than after it (the campaign nudges learners).
  const offset = rnd.chance(0.3)
    ? rnd.next() * 14 * 86400000
    : 14 * 86400000 + rnd.next() * (spread - 14 * 86400000);
  const clock = new SessionClock(world.start.getTime() + offset, options.idleCapSeconds ?? 300);
  const minutes = clamp(rnd.logNormal(module.medianMinutes, 0.45), 2, 240);
  const pace = (minutes * 60000) / 30;
  const newId = () => rnd.uuid();
  const contextOf = (sessionId: string): CaptureContext => ({
    tenantId: world.tenantId,
    moduleId: module.id,
    moduleTitle: module.title,
    version,
    programId: world.programId,
    courseContextId: world.courseId,
    resourceLinkId: module.resourceLinkId,
    registration,
    sessionId,
    actor: agentOf(world, learner),
  });
  let c = contextOf(rnd.uuid());
  let seq = new StatementSequence(c, new Date(clock.t), newId);
  const launch = () => {
    seq.cmi5('launched', { extensions: launchExtensions(content) });
    seq.cmi5('initialized');
  };
  launch();
  const steps = stepsOf(content);
  const completes = rnd.chance(learner.diligence);
  const idle = rnd.chance(0.05);
  const pre = clamp(rnd.normal(learner.ability, 0.12), 0, 1);
  const post = clamp(pre + rnd.normal(0.15, 0.1), 0, 1);
  let abandonable = true;
  for (const [i, step] of steps.entries()) {
    const last = i === steps.length - 1;
    if (last && !completes) break;
    // Work through the step, then submit it (a signal of activity, like every answer).
    clock.work(pace * stepWeight(content, step) * (0.5 + rnd.next()));
    if (idle && last) clock.away((20 + rnd.next() * 40) * 60000);
    seq.at(new Date(Math.round(clock.t)));
    if (step.kind === 'test') {
      const answers = testAnswers(rnd, content, step.phase, step.phase === 'pre' ? pre : post);
      captureTest(c, seq, step.phase, content, answers);
    } else if (step.kind === 'page') {
      seq.add('experienced', pageActivity(c, content.pages[step.index]!), { parent: true });
    } else if (step.kind === 'survey') {
      captureSurvey(c, seq, content, surveyAnswers(rnd, content, learner), true);
    }
    seq.add('progressed', moduleActivity(c), {
      result: { extensions: { [EXTENSIONS.progress]: progressPercent(i + 1, steps.length) } },
    });
    if (last) {
      seq.cmi5('completed', {
        result: { completion: true, duration: isoDuration(clock.time.activeSeconds) },
      });
      seq.cmi5('terminated', { result: sessionDurationResult(clock.time) });
    }
    if (step.kind === 'page' && abandonable && rnd.chance(options.abandonShare ?? 0.08)) {
      // The tab closed: the session stays open until the next launch (or the stale-session job)
      // ends it as abandoned with the active time counted so far, estimated.
      abandonable = false;
      const abandoned = { activeSeconds: clock.time.activeSeconds, estimated: true };
      const closed = c.sessionId;
      const away = 86400000 * rnd.next();
      if (!rnd.chance(learner.diligence)) {
        seq.cmi5('abandoned', { sessionId: closed, result: sessionDurationResult(abandoned) });
        yield* shaped(seq);
        return;
      }
      yield* shaped(seq);
      clock.t += away;
      clock.time = { activeSeconds: 0, estimated: false };
      c = contextOf(rnd.uuid());
      seq = new StatementSequence(c, new Date(Math.round(clock.t)), newId);
      seq.cmi5('abandoned', { sessionId: closed, result: sessionDurationResult(abandoned) });
      launch();
    }
  }
  if (!completes || steps.length === 0) {
    // Stopped before the last step: the learner exits, which ends the session as terminated.
    clock.work(pace * (0.5 + rnd.next()));
    if (idle) clock.away((20 + rnd.next() * 40) * 60000);
    seq.at(new Date(Math.round(clock.t)));
    seq.cmi5('terminated', { result: sessionDurationResult(clock.time) });
  }
  yield* shaped(seq);
  if (completes && content.observation && rnd.chance(options.observedShare ?? 0.4)) {
    yield* observation(rnd, world, learner, module, content, clock.t);
  }
}

/** Statements a step writes, a proxy for the time it takes. */
function stepWeight(content: ModuleContent, step: Step): number {
  if (step.kind === 'test')
    return (step.phase === 'pre' ? content.preTest : content.postTest)!.questions.length + 1;
  if (step.kind === 'survey') return content.survey!.items.length + 1;
  return 2;
}

/**
 * A test's answers as the form posts them, for every question kind (scoring.ts reads them): right
 * with a chance that falls with the item's difficulty; wrong answers are plausible ones (another
 * choice, the other truth value, a number outside the tolerance, a near-miss word).
 */
function testAnswers(
  rnd: SeededRandom,
  content: ModuleContent,
  phase: 'pre' | 'post',
  ability: number,
): Answers {
  const questions = (phase === 'pre' ? content.preTest : content.postTest)?.questions ?? [];
  const answers: Answers = {};
  for (const [q, question] of questions.entries()) {
    const difficulty = (q % 3) * 0.08;
    const success = rnd.chance(clamp(ability - difficulty + rnd.normal(0, 0.1), 0.02, 0.98));
    answers[question.id] = answerTo(rnd, question, success);
  }
  return answers;
}

const NEAR_MISSES = ['square', 'circle', 'base', 'zone'];

/** One question's answer in the form's shape, right when `success`. */
function answerTo(rnd: SeededRandom, question: Question, success: boolean): string | string[] {
  switch (question.type) {
    case 'single-choice':
    case 'multiple-choice': {
      const wrong = question.choices.map((ch) => ch.id).filter((id) => !question.correct.includes(id));
      const picked = success ? question.correct : [rnd.pick(wrong)];
      return question.type === 'multiple-choice' ? picked : picked[0]!;
    }
    case 'true-false':
      return String(success === question.correct);
    case 'numeric': {
      // Right: whole units within the tolerance (truncated, so never past it); wrong: at least half a
      // unit past it, on either side.
      const tolerance = question.tolerance ?? 0;
      const sign = rnd.chance(0.5) ? 1 : -1;
      const offset = success
        ? Math.trunc((rnd.next() * 2 - 1) * tolerance)
        : sign * Math.round(tolerance + 1 + Math.abs(question.correct) * 0.5 * rnd.next());
      return String(question.correct + offset);
    }
    case 'fill-in': {
      const right = rnd.pick(question.correct);
      if (success) return rnd.chance(0.2) ? ` ${right.toUpperCase()} ` : right;
      const wrong = NEAR_MISSES.filter((w) => !question.correct.some((c) => c.toLowerCase() === w));
      return rnd.pick(wrong.length ? wrong : ['not sure']);
    }
  }
}

const COMMENTS = [
  'Clear and short.',
  'More examples, please.',
  'I finally understand the match <b>formula</b>.',
  'Too long for a Friday.',
];

/** A learner's survey answers as the form posts them (free text mostly left empty). */
function surveyAnswers(rnd: SeededRandom, content: ModuleContent, learner: WorldLearner): Answers {
  const answers: Answers = {};
  for (const item of content.survey!.items) {
    const response = surveyResponse(rnd, item, learner);
    if (response !== null) answers[item.id] = response;
  }
  return answers;
}

function surveyResponse(rnd: SeededRandom, item: SurveyItem, learner: WorldLearner): string | null {
  if (item.type === 'likert') {
    return String(clamp(Math.round(rnd.normal(3 + learner.ability * 1.5, 0.9)), 1, item.scale.labels.length));
  }
  if (item.type === 'nps') return String(clamp(Math.round(rnd.normal(7 + learner.ability * 2, 2)), 0, 10));
  return rnd.chance(0.3) ? rnd.pick(COMMENTS) : null;
}

/** A manager's observation of the learner three weeks later, as observation-service.ts writes it. */
function* observation(
  rnd: SeededRandom,
  world: CourseWorld,
  learner: WorldLearner,
  module: WorldModule,
  content: ModuleContent,
  at: number,
): Generator<CaptureStatement> {
  const manager = world.managers[rnd.int(0, world.managers.length - 1)]!;
  const observationId = rnd.uuid();
  const c: CaptureContext = {
    tenantId: world.tenantId,
    moduleId: module.id,
    moduleTitle: module.title,
    version: 1,
    programId: world.programId,
    courseContextId: world.courseId,
    resourceLinkId: module.resourceLinkId,
    registration: observationId,
    sessionId: observationId,
    actor: agentOf(world, manager),
  };
  const form = content.observation!;
  const answers: Answers = {};
  for (const item of form.items)
    answers[item.id] = String(
      clamp(Math.round(rnd.normal(2.5 + learner.ability * 2, 0.8)), 1, item.scale.labels.length),
    );
  const seq = new StatementSequence(c, new Date(at + 21 * 86400000), () => rnd.uuid());
  for (const r of readObservation(form, answers))
    seq.add('answered', observationItemActivity(c, r.item), {
      result: { response: r.response },
      phase: 'observation',
      parent: true,
      extensions: { [EXTENSIONS.observedLearner]: agentOf(world, learner) },
    });
  yield* shaped(seq);
}
