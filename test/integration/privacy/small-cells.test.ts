import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch, type CookieJar } from '../../support/lti-client.js';
import { htmlTables, type HtmlTable } from '../../support/html-tables.js';
import { visibleText } from '../../support/page-text.js';
import { insertCourseWorld, storeStatements, worldStatements } from '../../fixtures/course-world.js';
import type { CourseWorld } from '../../../src/dev/synthetic/course-world.js';
import type { CaptureStatement } from '../../../src/dev/synthetic/capture-statements.js';
import { formatDate } from '../../../src/web/presenters/format.js';
import { isoWeekOf } from '../../../src/reports/kpi/small-cell-guard.js';

const MINIMUM = 5;
/** Learners active in the course's usual weeks: fewer than 17, so no upper/lower 27% group reaches 5. */
const ACTIVE = 14;
const DAY = 86_400_000;

/** Columns whose numbers are a group's size: page headers and CSV headers. */
const GROUP_COLUMNS = new Set(
  [
    'Assigned',
    'Scored',
    'Learners',
    'Learners with both',
    'Respondents',
    'Learners observed',
    'Active',
    'Not yet started',
    'Chosen',
    'assigned_learners',
    'scored_learners',
    'learners',
    'learners_with_both',
    'respondents',
    'active_learners',
    'not_yet_started_learners',
    'chosen_count',
  ].map((h) => h.toLowerCase()),
);
/** Columns computed over the upper and lower 27% of a question's learners. */
const QUARTILE_COLUMNS = new Set(
  [
    'D (upper-lower)',
    'Upper group',
    'Lower group',
    'Upper 27%',
    'Lower 27%',
    'D',
    'upper_lower_index',
    'upper_group_count',
    'lower_group_count',
  ].map((h) => h.toLowerCase()),
);

const isNumber = (cell: string) => /^-?[\d,]+(\.\d+)?%?$/.test(cell.trim());
const asNumber = (cell: string) => Number(cell.replace(/[,%]/g, ''));

/**
 * Every group size a table shows is 0 or at least the minimum, and no number computed over a
 * question's upper or lower group (under 5 learners each here) is shown. Returns the problems found.
 */
function smallCells(where: string, t: HtmlTable): string[] {
  const problems: string[] = [];
  t.headers.forEach((header, col) => {
    const h = header.toLowerCase();
    for (const row of t.rows) {
      const cell = row[col] ?? '';
      if (GROUP_COLUMNS.has(h) && isNumber(cell) && asNumber(cell) > 0 && asNumber(cell) < MINIMUM)
        problems.push(`${where} "${t.caption}" column ${header}: ${cell} in ${JSON.stringify(row)}`);
      if (QUARTILE_COLUMNS.has(h) && isNumber(cell))
        problems.push(`${where} "${t.caption}" column ${header} (upper/lower group): ${cell}`);
    }
  });
  return problems;
}

/** A CSV download as a table (header row, then rows). */
function csvTable(id: string, text: string): HtmlTable {
  const [headers = [], ...rows] = parse(text, { bom: true }) as string[][];
  return { caption: `${id}.csv`, headers, rows };
}

/** The export links of a page, by table id. */
function exportLinks(html: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const m of html.matchAll(/<a href="([^"]+)" data-export="([^"]+)">/g))
    links.set(m[2]!, m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
  return links;
}

describe('Small cells withheld in every group a page shows (issue #18)', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let world: CourseWorld;
  let course: string;
  let instructor: CookieJar;
  let admin: CookieJar;
  /** The learner who was active alone, and the day and ISO week they were. */
  let lone: { sub: string; name: string };
  let loneDay: string;
  let loneWeek: string;

  const landing = async (person: string, c: string) => {
    const { res, jar } = await launch(h.devLms, person, c, `${c}-module-1`);
    assert.equal(res.status, 303, await res.clone().text());
    return { jar, location: res.headers.get('location')! };
  };

  const walked = new Map<string, Promise<{ html: string; tables: HtmlTable[] }>>();
  /** A page and every CSV it links, as tables (read once per test file). */
  function walk(path: string, jar: CookieJar): Promise<{ html: string; tables: HtmlTable[] }> {
    if (!walked.has(path)) walked.set(path, read(path, jar));
    return walked.get(path)!;
  }

  /** A page and every CSV it links, as tables; fails on a page that does not load. */
  async function read(path: string, jar: CookieJar): Promise<{ html: string; tables: HtmlTable[] }> {
    const res = await get(`${h.url}${path}`, jar);
    const html = await res.text();
    assert.equal(res.status, 200, `${path}: ${html.slice(0, 500)}`);
    const tables = htmlTables(html).map((t) => ({ ...t, caption: `${path} ${t.caption}` }));
    for (const [id, href] of exportLinks(html)) {
      const csv = await get(`${h.url}${href}`, jar, 'text/csv');
      assert.equal(csv.status, 200, `${id} of ${path}`);
      tables.push({ ...csvTable(id, await csv.text()), caption: `${path} ${id}.csv` });
    }
    return { html, tables };
  }

  before(async () => {
    h = await startLtiHarness(testDb());
    const a = await landing('ines', 'safety-101');
    instructor = a.jar;
    course = /\/courses\/([0-9a-f-]{36})\//.exec(a.location)![1]!;
    admin = (await landing('ada', 'safety-101')).jar;
    await landing('ana', 'safety-101');
    const db = testDb().db;
    const tenant = await h.services.tenants.getByName('Demo');
    const ana = await db
      .selectFrom('lti_user')
      .select(['id', 'platform_id', 'xapi_home_page'])
      .where('tenant_id', '=', tenant.id)
      .where('sub', '=', 'ana')
      .executeTakeFirstOrThrow();
    ({ world } = await insertCourseWorld(db, {
      seed: 18,
      learners: 40,
      modules: 2,
      existing: {
        tenantId: tenant.id,
        tenantName: 'Demo',
        platformId: ana.platform_id,
        issuer: ana.xapi_home_page,
        courseId: course,
        learners: [{ userId: ana.id, sub: 'ana', name: 'Ana Alvarez' }],
      },
    }));
    // A roster of 41; 14 learners active over the usual weeks, one more alone on one day two weeks
    // after everyone else stopped; managers' observations and anonymous survey actors left out.
    const all = worldStatements(world, { seed: 6, neverStartShare: 0 });
    const name = (s: CaptureStatement) => s.actor.account.name;
    const learnerNames = world.learners.map((l) => l.sub);
    const active = new Set(learnerNames.slice(1, 1 + ACTIVE));
    const loneLearner = world.learners[30]!;
    lone = { sub: loneLearner.sub, name: loneLearner.name };
    const usual = all.filter((s) => active.has(name(s)));
    const last = Math.max(...usual.map((s) => Date.parse(s.timestamp)));
    const monday = Math.floor((last + 3 * DAY) / (7 * DAY)) * 7 * DAY + 14 * DAY - 3 * DAY;
    loneWeek = new Date(monday).toISOString().slice(0, 10);
    loneDay = new Date(monday + DAY).toISOString().slice(0, 10);
    const alone = all
      .filter((s) => name(s) === lone.sub)
      .sort((x, y) => Date.parse(x.timestamp) - Date.parse(y.timestamp))
      .map((s, i) => ({
        ...s,
        timestamp: new Date(monday + DAY + 10 * 3600_000 + i * 60_000).toISOString(),
      }));
    assert.ok(alone.length > 0 && usual.length > 0);
    assert.equal(new Date(monday).getUTCDay(), 1, 'the lone week starts on a Monday');
    await storeStatements(h.services, 'Demo', [...usual, ...alone]);
  });
  after(async () => h?.close());

  it('finds no value over fewer than the minimum on the course, program and data-quality pages and their CSVs', async () => {
    const program = world.programId!;
    const cohorts = world.cohorts!;
    const pages: [string, CookieJar][] = [
      [`/courses/${course}/report`, instructor],
      [`/courses/${course}/report?from=${loneWeek}&to=${loneDay}`, instructor],
      [`/courses/${course}/report?cohort=${cohorts.treatmentId}`, instructor],
      [`/courses/${course}/report/quality`, instructor],
      [`/courses/${course}/report/quality?from=${loneWeek}&to=${loneDay}`, instructor],
      [`/admin/programs/${program}/kpis`, admin],
      [`/admin/programs/${program}/kpis?cohort=${cohorts.controlId}`, admin],
    ];
    const problems: string[] = [];
    let count = 0;
    for (const [path, jar] of pages) {
      const { tables } = await walk(path, jar);
      count += tables.length;
      for (const t of tables) problems.push(...smallCells(path, t));
    }
    assert.deepEqual(problems, []);
    assert.ok(count > 40, `walked only ${count} tables`);
  });

  it('withholds the week with one active learner in the weekly table, its CSV and its chart', async () => {
    const { html, tables } = await walk(`/courses/${course}/report`, instructor);
    const label = formatDate(loneWeek);
    const weekly = tables.find((t) => t.caption.endsWith('Weekly activity'))!;
    const row = weekly.rows.find((r) => r[0] === label);
    assert.ok(row, `the weekly table lists the week of ${label}`);
    assert.match(row[1]!, /fewer than 5/);
    assert.deepEqual(row.slice(2), ['', '']);
    const csv = tables.find((t) => t.caption.endsWith('weekly.csv'))!;
    assert.deepEqual(
      csv.rows.find((r) => r[0] === loneWeek),
      [loneWeek, 'withheld', '', '', ''],
    );
    const shownWeeks = csv.rows.filter((r) => r[1] === 'shown');
    assert.ok(shownWeeks.length > 0, 'other weeks are still shown');
    const chart = /<figure class="chart chart-trend" id="weekly"[\s\S]*?<\/figure>/.exec(html)![0];
    const chartText = visibleText(chart);
    assert.match(chartText, new RegExp(`Not shown: (the week of [^(]*, )?the week of ${label}`));
    for (const t of htmlTables(chart))
      assert.ok(!t.rows.some((r) => r[0] === label), 'the chart has no row for it');
  });

  it("does not date the lone learner's last activity in the learner list or its CSV", async () => {
    const res = await get(`${h.url}/courses/${course}/report?q=${encodeURIComponent(lone.sub)}`, instructor);
    const html = await res.text();
    const list = htmlTables(html).find((t) => t.caption.startsWith('Assigned learners'))!;
    assert.equal(list.rows.length, 1, JSON.stringify(list.rows));
    assert.match(list.rows[0]![4]!, /not shown/);
    assert.ok(!html.includes(formatDate(loneDay)), 'the lone day appears nowhere on the page');
    const href = exportLinks(html).get('learners')!;
    const csv = csvTable('learners', await (await get(`${h.url}${href}`, instructor, 'text/csv')).text());
    const at = csv.headers.indexOf('last_activity_date');
    const row = csv.rows.find((r) => r.includes(lone.sub))!;
    assert.equal(row[at], 'withheld');
    // A date is shown only in a week the weekly table shows (5 or more learners active).
    const weekly = csvTable(
      'weekly',
      await (await get(`${h.url}${exportLinks(html).get('weekly')!}`, instructor, 'text/csv')).text(),
    );
    const shownWeeks = new Set(weekly.rows.filter((r) => r[1] === 'shown').map((r) => r[0]));
    const dated = csv.rows.map((r) => r[at] ?? '').filter((d) => /^\d{4}-\d\d-\d\d$/.test(d));
    assert.ok(dated.length > 0, 'some learners keep their dates');
    for (const d of dated) assert.ok(shownWeeks.has(isoWeekOf(new Date(d))), `${d} is in a shown week`);
    const withheld = csv.rows.filter((r) => r[at] === 'withheld').length;
    assert.equal(dated.length + withheld, ACTIVE + 1, 'every active learner has a date or says withheld');
  });

  it('withholds the upper and lower 27% groups of a question answered by fewer than 17 learners', async () => {
    const { tables } = await walk(`/courses/${course}/report`, instructor);
    const questions = tables.find((t) => t.caption.endsWith('questions.csv'))!;
    const learners = questions.headers.indexOf('learners');
    const shown = questions.rows.filter((r) => r[1] === 'shown');
    assert.ok(shown.length > 0, 'the question analysis itself is shown');
    assert.ok(shown.every((r) => Number(r[learners]) >= MINIMUM && Number(r[learners]) < 17));
    const choices = tables.find((t) => t.caption.endsWith('answer-choices.csv'))!;
    assert.ok(choices.rows.length > 0);
    assert.ok(choices.rows.every((r) => r.at(-1) === '' && r.at(-2) === ''));
    const chosen = choices.rows.map((r) => r.at(-3)!);
    assert.ok(
      chosen.some((c) => c !== ''),
      'choices chosen by enough learners keep their counts',
    );
    assert.ok(
      chosen.some((c) => c === ''),
      'choices chosen by few learners are withheld',
    );
  });

  it("withholds the statement counts of the data-quality page for the lone learner's week", async () => {
    const { html, tables } = await walk(
      `/courses/${course}/report/quality?from=${loneWeek}&to=${loneDay}`,
      instructor,
    );
    assert.match(visibleText(html), /statement counts are not shown/);
    const csv = tables.find((t) => t.caption.endsWith('data-quality.csv'))!;
    // Every check but the learner one (counted over the enrolled learners) counts what few actors sent.
    const statementChecks = csv.rows.filter(
      (r) => !/^(Enrolled learners without events|Learners with events beyond)/.test(r[0]!),
    );
    assert.ok(statementChecks.length >= 4);
    for (const r of statementChecks) assert.deepEqual([r[1], r[2], r[5]], ['', '', 'withheld']);
    const whole = await walk(`/courses/${course}/report/quality`, instructor);
    const all = whole.tables.find((t) => t.caption.endsWith('data-quality.csv'))!;
    assert.ok(
      all.rows.every((r) => r[5] !== 'withheld'),
      'over the whole course the counts are shown',
    );
  });

  it('withholds a date range whose neighbour day, added or taken away, would show one learner', async () => {
    // The report up to and including the lone day, and the report up to the day before: their
    // difference is the lone learner's answers.
    const through = `/courses/${course}/report?export=survey&to=${loneDay}`;
    const before = new Date(Date.parse(loneDay) - DAY).toISOString().slice(0, 10);
    const page = await walk(`/courses/${course}/report?to=${loneDay}`, instructor);
    const survey = (tables: HtmlTable[]) => tables.find((t) => t.caption.endsWith('survey.csv'))!;
    const withLone = survey(page.tables);
    const status = withLone.headers.indexOf('item_status');
    assert.ok(
      withLone.rows.some((r) => r[status] === 'shown'),
      `${through}: survey items shown`,
    );
    const earlier = await walk(`/courses/${course}/report?to=${before}`, instructor);
    assert.ok(
      survey(earlier.tables).rows.every((r) => r[status] !== 'shown'),
      'the report ending the day before withholds every survey item',
    );
    assert.match(
      visibleText(earlier.html),
      /Withheld: fewer than 5 learners were active on the first active day after this date range/,
    );
  });
});
