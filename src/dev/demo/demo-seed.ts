import type { Services } from '../../services.js';
import type { DemoPeopleRepository, DemoPerson } from './demo-people-repository.js';
import type { Program } from '../../cohorts/model.js';
import { SeededRandom } from '../synthetic/random.js';
import { claimRows, demoPeople, firstSitesPeople, hrisRows, monthRange, payrollRows } from './demo-data.js';

export const DEMO_PROGRAMS = {
  retirement: '401(k) auto-escalation pilot',
  claims: 'Claims navigation pilot',
  wellbeing: 'Wellbeing program',
} as const;

/**
 * Fixed program ids: the report's bootstrap seeds itself from the program id, so these keep the demo's
 * intervals the same on every fresh start.
 */
const PROGRAM_IDS = {
  retirement: '0d3f5a10-4b1e-4c2a-8f00-000000000401',
  claims: '0d3f5a10-4b1e-4c2a-8f00-0000000000c1',
  wellbeing: '0d3f5a10-4b1e-4c2a-8f00-0000000000e1',
} as const;

interface Ctx {
  services: Services;
  tenantId: string;
  people: DemoPerson[];
}

/** Stages JSON rows and accepts them through the outcome importer, as an admin's upload would. */
async function importRows(
  ctx: Ctx,
  kind: string,
  fileName: string,
  rows: Record<string, unknown>[],
  nullRateThresholds: Record<string, number> = {},
): Promise<void> {
  const { services, tenantId } = ctx;
  const created = await services.outcomeImports.create({
    tenantId,
    kind,
    source: 'json',
    fileName,
    options: { nullRateThresholds },
    actor: 'demo-seed',
  });
  await services.outcomeImports.stageRows(tenantId, created.id, rows);
  await services.outcomeImports.accept(tenantId, created.id, 'demo-seed');
}

async function finish(
  ctx: Ctx,
  program: Program,
  extras: {
    intangibles: string[];
    evidence: {
      kind: 'manager_note' | 'case_study' | 'quote';
      title: string;
      body: string;
      author: string;
      recordedOn: string;
    };
    event: { startsOn: string; endsOn?: string; title: string; description: string };
  },
) {
  const { services, tenantId } = ctx;
  await services.economics.setIntangibles(tenantId, program.id, extras.intangibles);
  await services.economics.addEvidence(tenantId, program.id, extras.evidence);
  await services.economics.addEvent(tenantId, program.id, extras.event);
}

async function snapshot(ctx: Ctx, program: Program): Promise<void> {
  await ctx.services.forecasts.run(ctx.tenantId, program, 'demo');
  await ctx.services.roiReports.snapshot(ctx.tenantId, program, 'demo');
}

/** Case A: a randomized 401(k) pilot (deferral and employer match, employee perspective). */
async function retirementPilot(ctx: Ctx): Promise<void> {
  const { services, tenantId } = ctx;
  const program = await services.programs.create(
    tenantId,
    {
      name: DEMO_PROGRAMS.retirement,
      description:
        'Four modules on auto-escalation and match optimisation, randomized against a wait-list control.',
      targetOutcomes: ['deferral_pct', 'employer_match_amount'],
      preWindow: { start: '2025-01-01', end: '2025-03-31' },
      postWindow: { start: '2025-04-01', end: '2025-09-30' },
      moneyPerspective: 'employee',
      benefitHorizonYears: 1,
    },
    { id: PROGRAM_IDS.retirement },
  );
  const pool = firstSitesPeople(ctx.people).slice(0, 400);
  await services.cohorts.randomize(tenantId, program.id, {
    seed: 20250401,
    strata: ['department'],
    blockSizes: [2, 4],
    pool: { employeeIds: pool.map((p) => p.employeeId) },
  });
  const members = await services.cohorts.members(tenantId, program.id);
  const treated = new Set(members.filter((m) => m.arm === 'treatment').map((m) => m.employeeId!));
  await importRows(
    ctx,
    'payroll',
    'payroll-2025-01-to-09.csv',
    payrollRows(pool, treated, monthRange('2025-01', '2025-09')),
  );
  for (const outcome of ['deferral_pct', 'employer_match_amount'])
    await services.attribution.estimate(tenantId, program, { outcome, method: 'randomized', record: true });
  await services.economics.setCostModel(tenantId, program.id, {
    currency: 'USD',
    development: { total: 14000, offerings: 1 },
    platform: 3000,
    facilitation: 2000,
    participantTime: {
      hoursPerParticipant: 0.5,
      hourlyWage: 38,
      benefitsLoad: 0.3,
      participants: treated.size,
    },
    evaluation: 1000,
  });
  await services.economics.setAssumption(tenantId, program.id, {
    outcome: 'deferral_pct',
    perspective: 'employee',
    label: 'Retirement savings from a higher deferral',
    unit: 'percentage point',
    valuePerUnit: 480,
    source: 'Payroll: 1% of the average salary ($48,000) saved per deferral point per year',
    confidencePercent: 60,
  });
  await services.economics.setAssumption(tenantId, program.id, {
    outcome: 'employer_match_amount',
    perspective: 'employee',
    label: 'Employer match captured',
    unit: 'dollar',
    valuePerUnit: 1,
    source: 'Plan document: 50% match up to 6% of salary, paid through payroll',
    confidencePercent: 100,
  });
  await finish(ctx, program, {
    intangibles: ['Financial confidence', 'Fewer benefits questions to HR'],
    evidence: {
      kind: 'manager_note',
      title: 'Questions about the match went up',
      body: '<p>After module 2 several people on my team asked how to reach the full match; two changed their deferral the same day.</p>',
      author: 'Operations team lead',
      recordedOn: '2025-05-14',
    },
    event: {
      startsOn: '2025-05-01',
      endsOn: '2025-05-31',
      title: 'Open-enrollment email campaign',
      description: 'Sent to everyone, trained or not: may lift both arms.',
    },
  });
  await snapshot(ctx, program);
}

/** Case B: a claims-navigation module taken by volunteers, matched to similar non-takers (PSM). */
async function claimsPilot(ctx: Ctx): Promise<void> {
  const { services, tenantId } = ctx;
  const program = await services.programs.create(
    tenantId,
    {
      name: DEMO_PROGRAMS.claims,
      description: 'A benefits-navigation module and decision flowchart: where to go for minor conditions.',
      targetOutcomes: ['claims_count'],
      preWindow: { start: '2025-01-01', end: '2025-06-30' },
      postWindow: { start: '2025-07-01', end: '2025-12-31' },
      moneyPerspective: 'employer',
    },
    { id: PROGRAM_IDS.claims },
  );
  // Volunteers: more likely with longer tenure and in Austin, so a naive comparison would be biased.
  const rnd = new SeededRandom(5);
  const takers = ctx.people.filter((p) => {
    const tenure = Number(p.attributes.tenure_years);
    const odds = -1.9 + 0.12 * tenure + (p.attributes.site === 'Austin' ? 0.4 : 0);
    return rnd.chance(1 / (1 + Math.exp(-odds)));
  });
  await services.cohorts.enroll(tenantId, program.id, {
    name: 'Module takers',
    pool: { employeeIds: takers.map((p) => p.employeeId) },
    source: 'roster',
  });
  const treated = new Set(takers.map((p) => p.employeeId));
  await importRows(ctx, 'claims', 'claims-2025.csv', claimRows(ctx.people, treated));
  await services.attribution.estimate(tenantId, program, {
    outcome: 'claims_count',
    method: 'psm',
    caliper: 0.2,
    record: true,
  });
  await services.economics.setCostModel(tenantId, program.id, {
    currency: 'USD',
    development: { total: 22000, offerings: 1 },
    platform: 6000,
    participantTime: {
      hoursPerParticipant: 0.25,
      hourlyWage: 40,
      benefitsLoad: 0.3,
      participants: takers.length,
    },
    evaluation: 5000,
  });
  await services.economics.setAssumption(tenantId, program.id, {
    outcome: 'claims_count',
    perspective: 'employer',
    label: 'Minor ER claims avoided',
    unit: 'claim',
    valuePerUnit: 1250,
    source:
      'Claims data 2024: average minor ER claim ($1,450) minus the urgent-care visit that replaces it ($200)',
    confidencePercent: 100,
  });
  await finish(ctx, program, {
    intangibles: ['Employees know where to go for care'],
    evidence: {
      kind: 'quote',
      title: 'From the module survey',
      body: '<p>"I used the flowchart at 11pm and went to urgent care instead of the ER."</p>',
      author: 'Anonymous participant',
      recordedOn: '2025-08-03',
    },
    event: {
      startsOn: '2025-09-01',
      title: 'Urgent-care copay lowered to $25',
      description: 'Plan rule change for everyone; it pushes claims down for takers and non-takers alike.',
    },
  });
  await snapshot(ctx, program);
}

/** Examples 4 and 5: a wellbeing program for everyone at one site; no comparison group, so the trend line. */
async function wellbeingProgram(ctx: Ctx): Promise<void> {
  const { services, tenantId } = ctx;
  const program = await services.programs.create(
    tenantId,
    {
      name: DEMO_PROGRAMS.wellbeing,
      description:
        'Six weeks of resilience and emotional-intelligence modules, offered to everyone in Leeds.',
      targetOutcomes: ['absence_days', 'productivity_index'],
      preWindow: { start: '2024-01-01', end: '2024-12-31' },
      postWindow: { start: '2025-01-01', end: '2025-06-30' },
      moneyPerspective: 'employer',
      benefitHorizonYears: 2,
      effectDecay: 0.3,
    },
    { id: PROGRAM_IDS.wellbeing },
  );
  await services.cohorts.enroll(tenantId, program.id, {
    name: 'Leeds',
    pool: { criteria: { site: 'Leeds' } },
  });
  const leeds = ctx.people.filter((p) => p.attributes.site === 'Leeds');
  await importRows(ctx, 'hris', 'hris-2024-2025.csv', hrisRows(leeds, monthRange('2024-01', '2025-06')));
  for (const outcome of ['absence_days', 'productivity_index'])
    await services.attribution.estimate(tenantId, program, { outcome, method: 'trend', record: true });
  await services.economics.setCostModel(tenantId, program.id, {
    currency: 'USD',
    delivery: 12000,
    platform: 4000,
    facilitation: 6000,
  });
  await services.economics.setAssumption(tenantId, program.id, {
    outcome: 'absence_days',
    label: 'Absence days avoided',
    unit: 'day',
    valuePerUnit: 100,
    source: 'Finance: loaded daily wage x share of absences that need cover',
    confidencePercent: 80,
  });
  await services.economics.setAssumption(tenantId, program.id, {
    outcome: 'productivity_index',
    label: 'Productivity gain',
    unit: 'index point',
    valuePerUnit: 30,
    source: 'Operations: output value of one index point per employee per year',
    confidencePercent: 60,
  });
  await finish(ctx, program, {
    intangibles: ['Job satisfaction', 'Team climate'],
    evidence: {
      kind: 'case_study',
      title: 'Returning after a long absence',
      body: '<p>A warehouse supervisor used the resilience module while returning from leave and now runs the peer check-ins.</p>',
      author: 'HR business partner',
      recordedOn: '2025-04-20',
    },
    event: {
      startsOn: '2025-01-10',
      endsOn: '2025-02-28',
      title: 'Flu season',
      description: 'Absence rose everywhere for seven weeks.',
    },
  });
  await snapshot(ctx, program);
}

/**
 * Seeds the demo tenant with three programs that tell the worked examples' stories, with people,
 * cohorts, imported outcomes, costs, assumptions, effects, forecasts and snapshots. Idempotent: a
 * program that already exists (by name) is left alone, and people are added only when missing.
 *
 * @returns the names of the programs created this time.
 */
export async function seedDemoPrograms(deps: {
  services: Services;
  people: DemoPeopleRepository;
  tenantName: string;
}): Promise<string[]> {
  const tenant = await deps.services.tenants.getByName(deps.tenantName);
  const existing = new Set((await deps.services.programs.list(tenant.id)).map((p) => p.name));
  const todo = Object.entries({
    [DEMO_PROGRAMS.retirement]: retirementPilot,
    [DEMO_PROGRAMS.claims]: claimsPilot,
    [DEMO_PROGRAMS.wellbeing]: wellbeingProgram,
  }).filter(([name]) => !existing.has(name));
  if (todo.length === 0) return [];
  const people = demoPeople();
  await deps.people.insertMissing(tenant.id, people);
  const ctx = { services: deps.services, tenantId: tenant.id, people };
  for (const [, seed] of todo) await seed(ctx);
  return todo.map(([name]) => name);
}
