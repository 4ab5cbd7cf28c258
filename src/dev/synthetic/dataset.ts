import { SeededRandom, clamp } from './random.js';
import { iri } from '../../learning/vocabulary.js';

export interface SyntheticLearner {
  /** LTI `sub` and xAPI account name. */
  sub: string;
  name: string;
  email: string;
  employeeId: string;
  /** Baseline ability on the 0..1 score scale; drives quiz scores. */
  ability: number;
  /** Probability of finishing what is assigned. */
  diligence: number;
}

export interface SyntheticModule {
  id: string;
  title: string;
  version: number;
  activityIri: string;
  questionCount: number;
  masteryScore: number;
  /** Median minutes a learner spends. */
  medianMinutes: number;
}

export interface SyntheticCohort {
  id: string;
  name: string;
  arm: 'treatment' | 'control';
  learnerSubs: string[];
}

export interface SyntheticCourse {
  id: string;
  title: string;
  modules: SyntheticModule[];
  learners: SyntheticLearner[];
}

export interface SyntheticProgram {
  id: string;
  name: string;
  campaignId: string;
  courseIds: string[];
  cohorts: SyntheticCohort[];
  launchDate: Date;
}

export interface SyntheticTenant {
  name: string;
  issuer: string;
  courses: SyntheticCourse[];
  programs: SyntheticProgram[];
}

export interface SyntheticDataset {
  seed: number;
  tenants: SyntheticTenant[];
}

export interface DatasetOptions {
  seed: number;
  tenants?: number;
  coursesPerTenant?: number;
  learnersPerCourse?: number;
  modulesPerCourse?: number;
  /** Date the first program launches; statements fall in the weeks after it. */
  start?: Date;
}

const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Eli',
  'Fatima',
  'Gus',
  'Hana',
  'Ivan',
  'Jia',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zane',
];
const LAST = [
  'Abbott',
  'Banerjee',
  'Castillo',
  'Dube',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Mensah',
  'Nguyen',
  'Okafor',
  'Park',
  'Reyes',
  'Schmidt',
  'Tanaka',
  'Varga',
  'Walsh',
  'Yilmaz',
];
const TOPICS = [
  '401(k) auto-escalation',
  'Employer match basics',
  'Benefits navigation',
  'Choosing the right care',
  'Emotional intelligence',
  'Managing stress',
  'Financial wellbeing',
  'Giving feedback',
];

/**
 * A deterministic synthetic organisation: tenants, courses, learners, modules, programs and randomized
 * cohorts. The same seed and options always give the same data set (tests, the demo and benchmarks rely
 * on it).
 */
export function generateDataset(options: DatasetOptions): SyntheticDataset {
  const rnd = new SeededRandom(options.seed);
  const tenantCount = options.tenants ?? 1;
  const start = options.start ?? new Date('2026-01-05T09:00:00Z');
  const tenants: SyntheticTenant[] = [];
  for (let t = 0; t < tenantCount; t++) {
    const slug = `tenant${t + 1}`;
    const issuer = `https://lms.${slug}.example`;
    const courses: SyntheticCourse[] = [];
    for (let c = 0; c < (options.coursesPerTenant ?? 2); c++) {
      const courseId = `${slug}-course-${c + 1}`;
      const modules = Array.from({ length: options.modulesPerCourse ?? 4 }, (_, m) => {
        const title = TOPICS[(c * 3 + m) % TOPICS.length]!;
        return {
          id: `${courseId}-module-${m + 1}`,
          title,
          version: 1 + (m % 2),
          activityIri: iri.module(slug, `${courseId}-module-${m + 1}`),
          questionCount: rnd.int(5, 10),
          masteryScore: 0.8,
          medianMinutes: Math.round(rnd.logNormal(18, 0.3)),
        };
      });
      const learners = Array.from({ length: options.learnersPerCourse ?? 30 }, (_, l) => {
        const first = rnd.pick(FIRST);
        const last = rnd.pick(LAST);
        const n = c * 100000 + l + 1;
        return {
          sub: `${slug}-user-${n}`,
          name: `${first} ${last}`,
          email: `${first}.${last}.${n}@${slug}.example`.toLowerCase(),
          employeeId: `E${String(n).padStart(6, '0')}`,
          ability: clamp(rnd.normal(0.55, 0.15), 0.2, 0.9),
          diligence: clamp(rnd.normal(0.8, 0.15), 0.3, 0.98),
        };
      });
      courses.push({
        id: courseId,
        title: `${TOPICS[c % TOPICS.length]} (course ${c + 1})`,
        modules,
        learners,
      });
    }
    const programs: SyntheticProgram[] = courses.map((course, p) => {
      const shuffled = rnd.shuffle(course.learners);
      const half = Math.ceil(shuffled.length / 2);
      return {
        id: `${slug}-program-${p + 1}`,
        name: `${course.title} pilot`,
        campaignId: `${slug}-campaign-${p + 1}`,
        courseIds: [course.id],
        launchDate: new Date(start.getTime() + p * 7 * 86400000),
        cohorts: [
          {
            id: `${slug}-program-${p + 1}-treatment`,
            name: 'Treatment',
            arm: 'treatment',
            learnerSubs: shuffled.slice(0, half).map((l) => l.sub),
          },
          {
            id: `${slug}-program-${p + 1}-control`,
            name: 'Control',
            arm: 'control',
            learnerSubs: shuffled.slice(half).map((l) => l.sub),
          },
        ],
      };
    });
    tenants.push({ name: `Demo Org ${t + 1}`, issuer, courses, programs });
  }
  return { seed: options.seed, tenants };
}
