import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { adminPagesApp } from '../../support/admin-pages-app.js';
import { insertPeople } from '../../fixtures/people.js';
import type { Services } from '../../../src/services.js';

/** Program setup through the admin pages' forms over real HTTP, as an admin in the LMS iframe posts them. */
describe('program setup pages', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let app: ReturnType<typeof adminPagesApp>['app'];
  let origin: string;
  let tenantId: string;
  let programId: string;

  const get = (path: string) => request(app).get(path).set('x-test-tenant', tenantId);
  const post = (path: string, form: Record<string, string | string[]>) =>
    request(app).post(path).set('x-test-tenant', tenantId).set('Origin', origin).type('form').send(form);

  before(async () => {
    ({ app, services, origin } = adminPagesApp(testDb()));
    tenantId = (await services.tenants.create('Setup Co')).id;
    await insertPeople(testDb().db, tenantId, 40, 9);
  });

  it('creates a program from the form and shows what it saved', async () => {
    const form = await get('/admin/programs/new').expect(200);
    assert.match(form.text, /<label for="name">Name<\/label>/);
    const res = await post('/admin/programs', {
      name: 'Match capture pilot',
      targetOutcomes: ['deferral_pct', 'employer_match_amount'],
      preStart: '2026-01-01',
      preEnd: '2026-03-31',
      postStart: '2026-04-01',
      postEnd: '2026-09-30',
      leadingCadence: 'weekly',
      laggingCadence: 'quarterly',
      moneyPerspective: 'employee',
      benefitHorizonYears: '3',
      discountRatePercent: '4',
      effectDecayPercent: '25',
    }).expect(303);
    programId = /\/admin\/programs\/([0-9a-f-]{36})\/edit/.exec(res.headers.location!)![1]!;
    const program = await services.programs.get(tenantId, programId);
    assert.deepEqual(program.targetOutcomes, ['deferral_pct', 'employer_match_amount']);
    assert.equal(program.moneyPerspective, 'employee');
    assert.equal(Number(program.discountRate), 0.04);
    assert.equal(Number(program.effectDecay), 0.25);
    const edit = await get(res.headers.location!).expect(200);
    assert.match(edit.text, /Program created/);
    assert.match(edit.text, /value="deferral_pct" checked/);
  });

  it('puts each problem beside its field and changes nothing', async () => {
    const res = await post(`/admin/programs/${programId}/edit`, {
      name: '',
      preStart: '2026-03-31',
      preEnd: '2026-01-01',
      benefitHorizonYears: '40',
    }).expect(400);
    assert.match(res.text, /role="alert"/);
    assert.match(res.text, /id="name-error">give the program a name/);
    assert.match(res.text, /id="preEnd-error">the window ends before it starts/);
    assert.match(res.text, /id="benefitHorizonYears-error">/);
    assert.match(res.text, /aria-invalid="true"/);
    assert.equal((await services.programs.get(tenantId, programId)).name, 'Match capture pilot');
  });

  it('refuses a form posted from another site', async () => {
    await request(app)
      .post('/admin/programs')
      .set('x-test-tenant', tenantId)
      .set('Origin', 'https://attacker.example')
      .type('form')
      .send({ name: 'Evil' })
      .expect(403);
  });

  it('randomizes with a seed and shows the balance table and the minimum detectable effect', async () => {
    const before = await get(`/admin/programs/${programId}/cohorts`).expect(200);
    assert.match(before.text, /id="seed" name="seed" type="number"/);
    const res = await post(`/admin/programs/${programId}/cohorts/randomize`, {
      arms: 'Treatment:1,Control:1',
      strata: 'site',
      blockSizes: '2,4',
      seed: '20260401',
    }).expect(303);
    assert.match(decodeURIComponent(res.headers.location!), /Randomized 40 people with seed 20260401/);
    const page = await get(`/admin/programs/${programId}/cohorts?outcomeSd=2.1`).expect(200);
    assert.match(page.text, /<h2>Balance<\/h2>/);
    assert.match(page.text, /tenure_years/);
    assert.match(page.text, /Minimum detectable effect/);
    assert.match(page.text, /outcome units/);
    const again = await post(`/admin/programs/${programId}/cohorts/randomize`, { seed: '1' }).expect(409);
    assert.match(again.text, /never redrawn/);
  });

  it('saves costs, an assumption and intangibles, with per-field errors for bad amounts', async () => {
    const bad = await post(`/admin/programs/${programId}/money/costs`, {
      delivery: 'lots',
      currency: 'usd',
    }).expect(400);
    assert.match(bad.text, /id="delivery-error">/);
    await post(`/admin/programs/${programId}/money/costs`, {
      currency: 'USD',
      delivery: '4,000',
      hoursPerParticipant: '2',
      hourlyWage: '40',
      benefitsLoadPercent: '30',
      participants: '20',
    }).expect(303);
    const noSource = await post(`/admin/programs/${programId}/money/assumptions`, {
      outcome: 'employer_match_amount',
      perspective: 'employee',
      label: 'Match captured',
      unit: 'dollar',
      valuePerUnit: '1',
      source: '',
      confidencePercent: '90',
    }).expect(400);
    assert.match(noSource.text, /say where the value comes from/);
    await post(`/admin/programs/${programId}/money/assumptions`, {
      outcome: 'employer_match_amount',
      perspective: 'employee',
      label: 'Match captured',
      unit: 'dollar',
      valuePerUnit: '1',
      source: 'Plan document',
      confidencePercent: '90',
    }).expect(303);
    await post(`/admin/programs/${programId}/money/intangibles`, {
      intangibles: 'Financial confidence\nFewer HR questions',
    }).expect(303);
    const page = await get(`/admin/programs/${programId}/money`).expect(200);
    assert.match(page.text, /name="delivery" type="text" value="4000"/);
    assert.match(page.text, /id="a-source" name="source"/);
    assert.match(page.text, /Plan document/);
    assert.match(page.text, /Fewer HR questions\nFinancial confidence/);
    const cost = await services.economics.costModel(tenantId, programId);
    assert.deepEqual(cost!.model.participantTime, {
      hoursPerParticipant: '2',
      hourlyWage: '40',
      benefitsLoad: '0.3',
      participants: 20,
    });
  });

  it('adds evidence (sanitized) and a confounding event, and lists them', async () => {
    await post(`/admin/programs/${programId}/evidence`, {
      kind: 'manager_note',
      title: 'Team lead',
      body: '<p>People <em>asked</em> about the match.</p><script>alert(1)</script>',
      author: 'Sam',
    }).expect(303);
    const bad = await post(`/admin/programs/${programId}/events`, {
      title: 'Plan change',
      startsOn: '2026-05-01',
      endsOn: '2026-04-01',
    }).expect(400);
    assert.match(bad.text, /the event ends before it starts/);
    await post(`/admin/programs/${programId}/events`, {
      title: 'Plan default raised',
      startsOn: '2026-05-01',
    }).expect(303);
    const page = await get(`/admin/programs/${programId}/context`).expect(200);
    assert.match(page.text, /<em>asked<\/em>/);
    assert.doesNotMatch(page.text, /<script>alert/);
    assert.match(page.text, /Plan default raised/);
  });
});
