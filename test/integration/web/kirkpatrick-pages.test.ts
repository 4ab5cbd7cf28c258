import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { adminPagesApp } from '../../support/admin-pages-app.js';
import type { Services } from '../../../src/services.js';
import { wilsonInterval } from '../../../src/reports/stats/wilson.js';
import { insertWorldWithStatements, type InsertedWorld } from '../../fixtures/course-world.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const levelSection = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start > 0, `section ${id} is on the page`);
  return html.slice(start, html.indexOf('</section>', start));
};

/** The Kirkpatrick L1-L5 page and the board summary's strip, over real HTTP and PostgreSQL. */
describe('Kirkpatrick pages', () => {
  const database = useTestDatabase();
  let app: ReturnType<typeof adminPagesApp>['app'];
  let services: Services;
  let big: InsertedWorld;
  let small: InsertedWorld;

  before(async function () {
    this.timeout(120000);
    ({ app, services } = adminPagesApp(database()));
    big = await insertWorldWithStatements(
      database().db,
      services,
      { seed: 31, learners: 16, modules: 1 },
      { seed: 7 },
    );
    small = await insertWorldWithStatements(
      database().db,
      services,
      { seed: 32, learners: 3, modules: 1 },
      { seed: 8 },
    );
  });

  const get = (tenantId: string, path: string) =>
    request(app).get(path).set('x-test-tenant', tenantId).set('Accept', 'text/html');

  it('shows the five levels with data-as-of, denominators and methods, mastery as the KPI service computes it', async function () {
    this.timeout(60000);
    const { tenantId, programId } = big.world;
    const res = await get(tenantId, `/admin/programs/${programId!}/kirkpatrick`).expect(200);
    for (const h of [
      'Level 1: Reaction',
      'Level 2: Learning',
      'Level 3: Behaviour',
      'Level 4: Results',
      'Level 5: Return on investment',
    ])
      assert.match(res.text, new RegExp(`<h2[^>]*>${h}</h2>`));
    assert.equal((res.text.match(/<dt>Data as of<\/dt>/g) ?? []).length, 5);
    assert.equal((res.text.match(/<dt>Denominator<\/dt>/g) ?? []).length, 5);
    assert.equal((res.text.match(/<caption>/g) ?? []).length >= 3, true);
    const kpis = await services.kpiReports.build({ tenantId, programId: programId! });
    const m = kpis.modules[0]!;
    assert.equal(m.mastery.status, 'shown');
    if (m.mastery.status === 'shown') {
      const w = wilsonInterval(m.mastery.successes, m.mastery.trials);
      const l2 = levelSection(res.text, 'level-2');
      assert.ok(
        l2.includes(`${pct(w.estimate)} (95% CI ${pct(w.lower)} to ${pct(w.upper)})`),
        'mastery with Wilson CI',
      );
      assert.ok(
        l2.includes(`${m.mastery.successes} of ${m.mastery.trials} learner(s) with a scored post-test`),
      );
      assert.match(l2, /Wilson score interval/);
      assert.match(l2, /paired mean difference/);
      assert.match(l2, /normalized gain/);
    }
    const l1 = levelSection(res.text, 'level-1');
    const nps = m.survey.find((i) => i.type === 'nps' && i.nps);
    if (nps)
      assert.ok(
        l1.includes(`NPS ${nps.nps!.score >= 0 ? '+' : ''}${nps.nps!.score.toFixed(0)}`),
        'NPS shown',
      );
    assert.match(l1, /Likert mean|No survey answers yet/);
    assert.ok(
      levelSection(res.text, 'level-1').includes(
        new Date(kpis.freshness.newestStored!).toISOString().slice(0, 10),
      ),
    );
    // No effects and no costs yet: L4 and L5 say so, and L4 shows the leading indicators.
    const l4 = levelSection(res.text, 'level-4');
    assert.match(l4, /No lagging outcome has an attributed effect yet/);
    assert.match(l4, /Leading indicators while lagging outcomes mature/);
    assert.match(levelSection(res.text, 'level-5'), /No ROI yet: .*no cost model yet/);
    assert.match(res.text, /href="\/admin\/programs\/[^"]+\/kirkpatrick" aria-current="page"/);
  });

  it('shows values over fewer learners than the privacy minimum as suppressed, never as zero', async function () {
    this.timeout(60000);
    const { tenantId, programId } = small.world;
    const res = await get(tenantId, `/admin/programs/${programId!}/kirkpatrick`).expect(200);
    const l2 = levelSection(res.text, 'level-2');
    assert.match(l2, /Suppressed \(fewer than 5 learners\)/);
    assert.doesNotMatch(l2, /0\.0%/);
    assert.doesNotMatch(levelSection(res.text, 'level-1'), /NPS [+-]?\d|mean \d/);
  });

  it('names the attribution method and data date of each effect, and headlines the conservative ROI', async function () {
    this.timeout(60000);
    const { tenantId, programId } = big.world;
    await services.economics.setCostModel(tenantId, programId!, { delivery: 10000 });
    await services.economics.setAssumption(tenantId, programId!, {
      outcome: 'absenteeism',
      label: 'Absence days avoided',
      unit: 'dollar',
      valuePerUnit: 1,
      source: 'Finance 2026',
      confidencePercent: 100,
    });
    await services.economics.recordEffect(tenantId, programId!, {
      outcome: 'absenteeism',
      unitsPerParticipant: 2000,
      participants: 10,
      method: 'did',
      lower: 1500,
      upper: 2500,
    });
    const res = await get(tenantId, `/admin/programs/${programId!}/kirkpatrick`).expect(200);
    const l4 = levelSection(res.text, 'level-4');
    assert.match(l4, /difference-in-differences/);
    assert.match(l4, /10 participant\(s\)/);
    assert.match(l4, /outcome data as of unknown \(entered by hand\)/);
    const l5 = levelSection(res.text, 'level-5');
    // 2000 x 10 = 20,000 against 10,000 -> ROI 100%; every effect at its low or high end: 50% to 150%.
    assert.match(l5, /id="kp-roi-headline">100% \(range 50% to 150%\)</);
    assert.match(l5, /Paid off: every \$1 spent returned \$2\.00; even the cautious estimate is 50%/);
    assert.match(l5, /100\.0%/);

    const board = await get(tenantId, `/admin/programs/${programId!}/board`).expect(200);
    assert.match(board.text, /Kirkpatrick levels at a glance/);
    for (const l of [
      'Level 1: Reaction',
      'Level 2: Learning',
      'Level 3: Behaviour',
      'Level 4: Results',
      'Level 5: ROI',
    ])
      assert.ok(board.text.includes(`<th scope="row">${l}</th>`), l);
    assert.match(board.text, /<td>100% \(range 50% to 150%\)<\/td>/);
  });

  it('does not show another tenant’s program', async () => {
    await get(small.world.tenantId, `/admin/programs/${big.world.programId!}/kirkpatrick`).expect(404);
  });
});
