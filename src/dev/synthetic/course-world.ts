import type { ModuleContent, Question } from '../../learning/module-content.js';
import { SeededRandom, clamp } from './random.js';
import { QUESTION_BANK } from './question-bank.js';

/**
 * A generated course as the database holds it: ids are uuids because activity IRIs carry
 * `course_context.id`, `module.id` and `program.id` (src/learning/vocabulary.ts). The fixture in
 * test/fixtures/course-world.ts inserts it; src/dev/synthetic/capture-statements.ts writes its statements.
 */
export interface WorldLearner {
  /** lti_user.id */
  userId: string;
  /** LTI sub = xAPI account name (lti_user.xapi_name). */
  sub: string;
  name: string;
  email: string;
  /** Baseline share of questions answered right, 0..1. */
  ability: number;
  /** Probability of finishing what is started. */
  diligence: number;
  /** person.id when the learner is in the program's cohorts. */
  personId: string;
  arm: 'treatment' | 'control';
}

export interface WorldModule {
  id: string;
  title: string;
  /** LTI resource link id of the assignment (module_link.resource_link_id). */
  resourceLinkId: string;
  /** Published versions, 1-based; content per version. */
  versions: ModuleContent[];
  /** Median minutes per attempt. */
  medianMinutes: number;
}

export interface CourseWorld {
  tenantId: string;
  /** lti_platform.issuer = xapi_home_page of every learner. */
  issuer: string;
  platformId: string;
  courseId: string;
  lmsContextId: string;
  title: string;
  programId: string | null;
  cohorts: { treatmentId: string; controlId: string } | null;
  /** Date a campaign (reminder e-mail) went out, for the enrollment-change KPI. */
  campaignDate: Date;
  start: Date;
  learners: WorldLearner[];
  /** Managers who fill in observation forms (enrolled as instructors). */
  managers: WorldLearner[];
  modules: WorldModule[];
}

/** What a generated module is about: its title, and optionally its own questions, pages and behaviours. */
export interface WorldTopic {
  title: string;
  /** The LTI resource link id the module is assigned under (`link-<n>` when absent). */
  linkId?: string;
  /** Per question: the prompt, the right answer, then the wrong ones (three). All are asked. */
  questions?: readonly (readonly string[])[];
  /** The module's pages (three placeholder pages when absent). */
  pages?: readonly { title: string; body: string }[];
  /** Behaviours managers observe afterwards (the benefits pair when absent). */
  behaviours?: readonly string[];
}

export interface CourseWorldOptions {
  seed: number;
  tenantId: string;
  platformId: string;
  issuer?: string;
  learners: number;
  modules?: number;
  /** Make a program with treatment/control cohorts (default true). */
  program?: boolean;
  /** First day statements can fall on. */
  start?: Date;
  /** Module topics, one per module (the benefits topics and question bank when absent). */
  topics?: readonly WorldTopic[];
  /** Put before the LMS subs ("learner-1", "manager-1"), so several worlds share one platform. */
  subPrefix?: string;
}

const FIRST = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena'];
const LAST = ['Abbott', 'Banerjee', 'Castillo', 'Dube', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito'];
const TOPICS = ['Employer match basics', 'Benefits navigation', 'Managing stress', 'Giving feedback'];
const AGREE = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

/** A deterministic course world: the same options always give the same ids, people and content. */
export function generateCourseWorld(options: CourseWorldOptions): CourseWorld {
  const rnd = new SeededRandom(options.seed);
  const start = options.start ?? new Date('2026-01-05T09:00:00Z');
  const person = (i: number, role: string): WorldLearner => {
    const first = rnd.pick(FIRST);
    const last = rnd.pick(LAST);
    const prefix = `${options.subPrefix ?? ''}${role}`;
    return {
      userId: rnd.uuid(),
      personId: rnd.uuid(),
      sub: `${prefix}-${i + 1}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${prefix}${i + 1}@example.com`.toLowerCase(),
      ability: clamp(rnd.normal(0.55, 0.15), 0.2, 0.9),
      diligence: clamp(rnd.normal(0.8, 0.15), 0.3, 0.98),
      arm: rnd.chance(0.5) ? 'treatment' : 'control',
    };
  };
  const learners = Array.from({ length: options.learners }, (_, i) => person(i, 'learner'));
  const managers = Array.from({ length: Math.max(1, Math.ceil(options.learners / 25)) }, (_, i) =>
    person(i, 'manager'),
  );
  const topics = options.topics;
  const modules = Array.from({ length: topics?.length ?? options.modules ?? 3 }, (_, m) => ({
    id: rnd.uuid(),
    title: topics
      ? topics[m]!.title
      : `${TOPICS[m % TOPICS.length]!}${m >= TOPICS.length ? ` ${m + 1}` : ''}`,
    resourceLinkId: topics?.[m]?.linkId ?? `link-${m + 1}`,
    versions: topics
      ? [topicContent(rnd, m, topics[m]!), topicContent(rnd, m, topics[m]!)]
      : [moduleContent(rnd, m, 1), moduleContent(rnd, m, 2)],
    medianMinutes: Math.round(rnd.logNormal(18, 0.3)),
  }));
  const program = options.program ?? true;
  return {
    tenantId: options.tenantId,
    issuer: options.issuer ?? 'https://lms.world.example',
    platformId: options.platformId,
    courseId: rnd.uuid(),
    lmsContextId: `course-${options.seed}`,
    title: `Benefits essentials (seed ${options.seed})`,
    programId: program ? rnd.uuid() : null,
    cohorts: program ? { treatmentId: rnd.uuid(), controlId: rnd.uuid() } : null,
    campaignDate: new Date(start.getTime() + 14 * 86400000),
    start,
    learners,
    managers,
    modules,
  };
}

function moduleContent(rnd: SeededRandom, m: number, version: number): ModuleContent {
  const questions = (phase: string): Question[] =>
    Array.from({ length: 5 + ((m + version) % 3) }, (_, q) => {
      const ids = ['a', 'b', 'c', 'd'];
      const correct = rnd.pick(ids);
      const bank = m < TOPICS.length ? QUESTION_BANK[m]?.[q] : undefined;
      // The right answer sits at the key's place, the wrong ones fill the others in order.
      const wrong = bank ? bank.slice(2) : [];
      const text = (id: string) =>
        !bank ? `Option ${id.toUpperCase()}` : id === correct ? bank[1] : wrong.shift()!;
      return {
        id: `${phase}-q${q + 1}`,
        type: 'single-choice' as const,
        prompt: bank?.[0] ?? `Question ${q + 1} of module ${m + 1}`,
        choices: ids.map((id) => ({ id, text: text(id) })),
        correct: [correct],
      };
    });
  return {
    pages: [1, 2, 3].map((p) => ({ id: `p${p}`, title: `Page ${p}`, format: 'markdown', body: `Page ${p}` })),
    preTest: { questions: questions('k'), masteryScore: 0.8 },
    postTest: { questions: questions('k'), masteryScore: 0.8 },
    survey: {
      anonymous: m % 2 === 0,
      items: [
        { id: 'useful', type: 'likert', prompt: 'The module was useful', scale: { labels: AGREE } },
        { id: 'clear', type: 'likert', prompt: 'The module was clear', scale: { labels: AGREE } },
        { id: 'recommend', type: 'nps', prompt: 'How likely are you to recommend it?' },
        { id: 'comment', type: 'text', prompt: 'Anything else?' },
      ],
    },
    observation: {
      items: [
        { id: 'applies', behaviour: 'Applies the checklist with clients', scale: { labels: AGREE } },
        { id: 'explains', behaviour: 'Explains the match to colleagues', scale: { labels: AGREE } },
      ],
    },
  };
}

/** A module on a given topic: its own questions (choices in a seeded order), pages and behaviours. */
function topicContent(rnd: SeededRandom, m: number, topic: WorldTopic): ModuleContent {
  const base = moduleContent(rnd, m, 1);
  const bank = topic.questions;
  // One set of questions asked before and after, so an item id always has the same answer key.
  const questions: Question[] = bank
    ? bank.map(([prompt, right, ...wrong], q) => {
        const ids = ['a', 'b', 'c', 'd'];
        const correct = rnd.pick(ids);
        const others = [...wrong];
        return {
          id: `k-q${q + 1}`,
          type: 'single-choice' as const,
          prompt: prompt!,
          choices: ids.map((id) => ({ id, text: id === correct ? right! : others.shift()! })),
          correct: [correct],
        };
      })
    : base.preTest!.questions;
  return {
    ...base,
    pages: topic.pages
      ? topic.pages.map((p, i) => ({
          id: `p${i + 1}`,
          title: p.title,
          format: 'markdown' as const,
          body: p.body,
        }))
      : base.pages,
    preTest: { questions, masteryScore: 0.8 },
    postTest: { questions, masteryScore: 0.8 },
    observation: topic.behaviours
      ? {
          items: topic.behaviours.map((behaviour, i) => ({
            id: `behaviour-${i + 1}`,
            behaviour,
            scale: { labels: AGREE },
          })),
        }
      : base.observation,
  };
}
