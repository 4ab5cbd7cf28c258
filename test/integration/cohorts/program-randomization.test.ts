import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { insertPeople } from '../../fixtures/people.js';
import { createServices, type Services } from '../../../src/services.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors.js';

describe('pilot programs and randomized cohorts', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let tenantId: string;
  let otherTenantId: string;

  before(async () => {
    services = createServices({ db: testDb().db });
    tenantId = (await services.tenants.create('Acme')).id;
    otherTenantId = (await services.tenants.create('Globex')).id;
    await insertPeople(testDb().db, tenantId, 240, 11);
    await insertPeople(testDb().db, otherTenantId, 30, 12);
  });

  it('creates a program with defaults and finds it by name, case-insensitively', async () => {
    const created = await services.programs.create(tenantId, {
      name: '401(k) auto-escalation pilot',
      targetOutcomes: ['deferral_pct', 'employer_match_capture'],
      preWindow: { start: '2026-01-01', end: '2026-03-31' },
      postWindow: { start: '2026-04-01', end: '2026-12-31' },
    });
    assert.equal(created.leadingCadence, 'weekly');
    assert.equal(created.laggingCadence, 'quarterly');
    assert.equal(created.moneyPerspective, 'employer');
    assert.deepEqual(created.preWindow, { start: '2026-01-01', end: '2026-03-31' });
    const found = await services.programs.get(tenantId, '401(K) AUTO-ESCALATION PILOT');
    assert.equal(found.id, created.id);
  });

  it('refuses a program whose windows run backwards, naming the field', async () => {
    await assert.rejects(
      services.programs.create(tenantId, {
        name: 'Backwards',
        postWindow: { start: '2026-05-01', end: '2026-04-01' },
      }),
      (err: unknown) =>
        err instanceof ValidationError && /postWindow: the window ends before it starts/.test(err.message),
    );
  });

  it('does not show one tenant the programs of another', async () => {
    const program = await services.programs.create(otherTenantId, { name: 'Globex only' });
    await assert.rejects(services.programs.get(tenantId, program.id), NotFoundError);
    assert.ok((await services.programs.list(tenantId)).every((p) => p.tenantId === tenantId));
  });

  it('randomizes a stratified pool into treatment and control, records the seed, and never redraws', async () => {
    const program = await services.programs.create(tenantId, { name: 'Claims navigation' });
    const outcome = await services.cohorts.randomize(tenantId, program.id, {
      seed: 20260401,
      strata: ['department', 'site'],
      blockSizes: [2, 4],
    });
    assert.equal(outcome.participantCount, 240);
    assert.equal(outcome.seed, 20260401);
    assert.deepEqual(
      outcome.cohorts.map((c) => [c.name, c.arm]),
      [
        ['Control', 'control'],
        ['Treatment', 'treatment'],
      ],
    );
    const [control, treatment] = outcome.cohorts;
    assert.ok(
      Math.abs(control!.members - treatment!.members) <= 8,
      `${control!.members} vs ${treatment!.members}`,
    );
    await assert.rejects(
      services.cohorts.randomize(tenantId, program.id, { seed: 1 }),
      (err: unknown) => err instanceof ConflictError && /seed 20260401/.test(err.message),
    );
  });

  it('reproduces the same assignments from the recorded seed in another program', async () => {
    const a = await services.programs.create(tenantId, { name: 'Repro A' });
    const b = await services.programs.create(tenantId, { name: 'Repro B' });
    await services.cohorts.randomize(tenantId, a.id, { seed: 7, strata: ['site'] });
    await services.cohorts.randomize(tenantId, b.id, { seed: 7, strata: ['site'] });
    const balanceA = await services.designAnalysis.balance(tenantId, a.id);
    const balanceB = await services.designAnalysis.balance(tenantId, b.id);
    assert.deepEqual(
      balanceA.rows.map((r) => r.standardizedMeanDifference),
      balanceB.rows.map((r) => r.standardizedMeanDifference),
    );
  });

  it('randomizes only the people matching criteria or listed by employee id', async () => {
    const bySite = await services.programs.create(tenantId, { name: 'Leeds only' });
    const outcome = await services.cohorts.randomize(tenantId, bySite.id, {
      seed: 3,
      pool: { criteria: { site: 'Leeds' } },
    });
    const members = outcome.cohorts.reduce((n, c) => n + c.members, 0);
    assert.ok(members > 60 && members < 180, `${members} Leeds people`);

    const listed = await services.programs.create(tenantId, { name: 'Listed' });
    await assert.rejects(
      services.cohorts.randomize(tenantId, listed.id, {
        seed: 3,
        pool: { employeeIds: ['E000001', 'E000002', 'E999999'] },
      }),
      (err: unknown) => err instanceof ValidationError && /E999999/.test(err.message),
    );
    const ok = await services.cohorts.randomize(tenantId, listed.id, {
      seed: 3,
      pool: { employeeIds: ['E000001', 'E000002', 'E000003', 'E000004'] },
    });
    assert.equal(ok.participantCount, 4);
  });

  it('leaves nothing behind when randomization fails', async () => {
    const program = await services.programs.create(tenantId, { name: 'Bad blocks' });
    await assert.rejects(
      services.cohorts.randomize(tenantId, program.id, { seed: 1, blockSizes: [3] }),
      (err: unknown) => err instanceof ValidationError && /multiple of the ratio total 2/.test(err.message),
    );
    assert.deepEqual(await services.cohorts.cohorts(tenantId, program.id), []);
  });

  it('builds a balance table with pooled-SD SMDs for every covariate and level', async () => {
    const program = await services.programs.get(tenantId, 'Claims navigation');
    const balance = await services.designAnalysis.balance(tenantId, program.id);
    const names = balance.rows.map((r) => r.name);
    for (const expected of ['department=Sales', 'site=Leeds', 'tenure_years', 'remote'])
      assert.ok(names.includes(expected), names.join(','));
    assert.equal(balance.treatment.n + balance.control.n, 240);
    const stratified = balance.rows.find((r) => r.name === 'site=Leeds')!;
    assert.ok(
      Math.abs(stratified.standardizedMeanDifference!) < 0.1,
      'a stratification variable is balanced',
    );
  });

  it('computes the minimum detectable effect for the planned arm sizes, individually and clustered', async () => {
    const program = await services.programs.get(tenantId, 'Claims navigation');
    const power = await services.designAnalysis.plannedPower(tenantId, program.id, {
      outcomeSd: 2,
      clusterSize: 10,
      icc: 0.05,
    });
    assert.equal(power.nTreatment + power.nControl, 240);
    // pwr.t.test(n = 120, power = 0.8) gives d = 0.3637 for equal arms of 120.
    assert.ok(Math.abs(power.mdeD - 0.3637) < 0.01, String(power.mdeD));
    assert.ok(Math.abs(power.mdeOutcomeUnits! - 2 * power.mdeD) < 1e-12);
    assert.ok(power.clustered!.mdeD > power.mdeD, 'clustering costs precision');
    assert.ok(Math.abs(power.clustered!.designEffect - 1.45) < 1e-12);
  });
});
