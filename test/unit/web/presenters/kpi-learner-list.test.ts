import assert from 'node:assert/strict';
import { attemptHistory, learnerList } from '../../../../src/web/presenters/kpi-learner-list.js';
import type { LearnerAttempt } from '../../../../src/reports/kpi/kpi-report-service.js';
import type { LearnerExportRow } from '../../../../src/reports/kpi/learner-list.js';

const now = new Date('2026-12-07T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86400000);

const row = (over: Partial<LearnerExportRow>): LearnerExportRow => ({
  userId: over.displayName ?? 'u',
  displayName: 'Learner',
  email: null,
  lmsUserId: 'sub',
  status: 'in progress',
  stalled: false,
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
  row({ displayName: 'Ana Alvarez', email: 'ana@example.com', postPercent: 80, stalled: true }),
  row({ displayName: 'Ana Alvarez', email: null, lmsUserId: 'ana-2', status: 'completed', postPercent: 95 }),
  row({ displayName: 'Ben Brown', status: 'not started', lastActivity: null }),
  row({ displayName: 'Cy Chen', postPercent: 40.5, modulesFailing: 1, lastActivityWithheld: true }),
];
const page = { total: 120, matching: 4, rows };
const href = (p: number) => `?page=${p}`;

describe('learner list presenter', () => {
  it('tells equal names apart by email, or LMS id without one', () => {
    assert.deepEqual(
      learnerList(page, {}, href).rows.map((r) => `${r.name} ${r.identity}`),
      [
        'Ana Alvarez ana@example.com',
        'Ana Alvarez LMS id ana-2',
        'Ben Brown LMS id sub',
        'Cy Chen LMS id sub',
      ],
    );
  });

  it('shows each row as read: status (stalled apart), failing, modules, score and last activity', () => {
    const [ana, ana2, ben, cy] = learnerList(page, {}, href).rows;
    assert.deepEqual(
      [ana, ana2, ben, cy].map((r) => r!.status),
      ['Stalled', 'Completed', 'Not started', 'In progress'],
    );
    assert.deepEqual(
      [ana, ana2, ben, cy].map((r) => r!.failing),
      [false, false, false, true],
    );
    assert.equal(ana!.modules, '0 of 2 completed');
    assert.equal(ben!.score, 'no post-test yet');
    assert.equal(ben!.last, 'no activity yet');
    assert.equal(cy!.last, 'not shown (a week with few active learners)');
    assert.equal(ana2!.last, 'Dec 6, 2026');
  });

  it('counts everyone, marks sample learners and says when the list is narrowed', () => {
    const list = learnerList(page, { q: 'ana', show: 'stalled' }, href, new Set(['Ben Brown']));
    assert.equal(list.total, '120');
    assert.equal(list.narrowed, true);
    assert.equal(learnerList(page, {}, href).narrowed, false);
    assert.deepEqual(
      list.rows.map((r) => r.sample),
      [false, false, true, false],
    );
    assert.equal(list.filters.find((f) => f.selected)!.value, 'stalled');
  });

  it('pages by the learners the search and filter leave, and keeps the page in range', () => {
    const list = learnerList({ total: 300, matching: 120, rows: [] }, { page: 9 }, href);
    assert.equal(list.pager.summary, 'Showing 101–120 of 120');
    assert.equal(list.pager.previousHref, '?page=2');
    assert.equal(list.pager.nextHref, null);
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
