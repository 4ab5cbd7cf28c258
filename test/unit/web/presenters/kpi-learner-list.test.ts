import assert from 'node:assert/strict';
import { attemptHistory, learnerList } from '../../../../src/web/presenters/kpi-learner-list.js';
import type { LearnerAttempt, LearnerExportRow } from '../../../../src/reports/kpi/kpi-report-service.js';

const now = new Date('2026-12-07T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86400000);

const row = (over: Partial<LearnerExportRow>): LearnerExportRow => ({
  userId: over.displayName ?? 'u',
  displayName: 'Learner',
  email: null,
  lmsUserId: 'sub',
  status: 'in progress',
  modulesInScope: 2,
  modulesStarted: 1,
  modulesCompleted: 0,
  prePercent: null,
  postPercent: null,
  minutes: null,
  lastActivity: daysAgo(1),
  modulesFailing: 0,
  ...over,
});

const rows = [
  row({ displayName: 'Ana Alvarez', email: 'ana@example.com', postPercent: 80, lastActivity: daysAgo(20) }),
  row({ displayName: 'Ana Alvarez', email: null, lmsUserId: 'ana-2', status: 'completed', postPercent: 95 }),
  row({ displayName: 'Ben Brown', status: 'not started', lastActivity: null }),
  row({ displayName: 'Cy Chen', postPercent: 40, modulesFailing: 1, lastActivity: daysAgo(3) }),
];
const names = (list: ReturnType<typeof learnerList>) => list.rows.map((r) => `${r.name} ${r.identity}`);
const href = (p: number) => `?page=${p}`;

describe('learner list presenter', () => {
  it('tells equal names apart by email, or LMS id without one', () => {
    assert.deepEqual(
      names(learnerList(rows, {}, now, href))
        .slice(0, 2)
        .sort(),
      ['Ana Alvarez LMS id ana-2', 'Ana Alvarez ana@example.com'],
    );
  });

  it('searches names, emails and LMS ids, ignoring case', () => {
    assert.deepEqual(names(learnerList(rows, { q: 'ANA@' }, now, href)), ['Ana Alvarez ana@example.com']);
    assert.deepEqual(names(learnerList(rows, { q: 'ana-2' }, now, href)), ['Ana Alvarez LMS id ana-2']);
    assert.equal(learnerList(rows, { q: 'nobody' }, now, href).rows.length, 0);
  });

  it('filters stalled (in progress, no activity in 14 days), failed, not started and completed learners', () => {
    const show = (s: Parameters<typeof learnerList>[1]['show']) =>
      learnerList(rows, { show: s }, now, href).rows.map((r) => r.identity);
    assert.deepEqual(show('stalled'), ['ana@example.com']);
    assert.deepEqual(show('failed'), ['LMS id sub']);
    assert.deepEqual(show('not-started'), ['LMS id sub']);
    assert.deepEqual(show('completed'), ['LMS id ana-2']);
    assert.equal(learnerList(rows, { show: 'stalled' }, now, href).rows[0]!.status, 'Stalled');
  });

  it('sorts by score (highest first, none last) and by last activity (most recent first)', () => {
    assert.deepEqual(
      learnerList(rows, { sort: 'score' }, now, href).rows.map((r) => r.score),
      ['95%', '80%', '40%', 'no post-test yet'],
    );
    assert.deepEqual(
      learnerList(rows, { sort: 'last' }, now, href).rows.map((r) => r.name),
      ['Ana Alvarez', 'Cy Chen', 'Ana Alvarez', 'Ben Brown'],
    );
  });

  it('pages the filtered list and keeps the page in range', () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      row({ displayName: `L${String(i).padStart(3, '0')}` }),
    );
    const list = learnerList(many, { page: 3 }, now, href);
    assert.equal(list.rows.length, 20);
    assert.equal(list.pager.summary, 'Showing 101–120 of 120');
    assert.equal(list.pager.previousHref, '?page=2');
  });

  it('lists attempts newest first with the answers given in words', () => {
    const attempt = (phase: 'pre' | 'post', day: number): LearnerAttempt => ({
      module: { id: 'm', title: 'Load limits' },
      moduleVersion: 1,
      phase,
      startedAt: daysAgo(day),
      answered: 2,
      correct: 1,
      verdict: phase === 'post' ? 'failed' : null,
      scoreScaled: 0.5,
      answers: [
        { itemId: 'q1', prompt: 'Max load?', response: '1,000 kg', correct: true },
        { itemId: 'q2', prompt: 'Tilt?', response: 'Forward', correct: false },
      ],
    });
    const [newest, older] = attemptHistory([attempt('pre', 5), attempt('post', 4)]);
    assert.equal(newest!.test, 'Post-test');
    assert.equal(newest!.verdict, 'Not passed');
    assert.equal(newest!.score, '1 of 2 correct (50%)');
    assert.equal(older!.date, 'Dec 2, 2026');
    assert.deepEqual(
      newest!.answers.map((a) => a.result),
      ['Correct', 'Incorrect'],
    );
  });
});
