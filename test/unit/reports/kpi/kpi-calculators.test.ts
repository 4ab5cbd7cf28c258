import assert from 'node:assert/strict';
import { learnerRate } from '../../../../src/reports/kpi/rates.js';
import { isSuppressed } from '../../../../src/reports/kpi/privacy.js';
import { likertFromCounts, likertLevel, npsFromCounts } from '../../../../src/reports/kpi/survey-items.js';
import { scoreChange } from '../../../../src/reports/kpi/score-change.js';
import { qualityChecks } from '../../../../src/reports/kpi/quality-checks.js';
import { toCsv } from '../../../../src/web/presenters/csv.js';
import { wilsonInterval } from '../../../../src/reports/stats/wilson.js';

const labels = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

describe('KPI calculators', () => {
  it('withholds a rate over fewer learners than the minimum, and calls an empty group empty', () => {
    assert.deepEqual(learnerRate(2, 4, 5), { status: 'suppressed', minimum: 5 });
    assert.deepEqual(learnerRate(0, 0, 5), { status: 'empty', successes: 0, trials: 0 });
    const shown = learnerRate(3, 5, 5);
    assert.equal(shown.status, 'shown');
    assert.deepEqual(shown, { status: 'shown', ...wilsonInterval(3, 5) });
    assert.equal(isSuppressed(0, 5), false);
    assert.equal(isSuppressed(4, 5), true);
  });

  it('reads Likert answers as level numbers or label text, and counts the rest as unreadable', () => {
    assert.equal(likertLevel('4', labels), 4);
    assert.equal(likertLevel(' agree ', labels), 4);
    assert.equal(likertLevel('0', labels), null);
    assert.equal(likertLevel('6', labels), null);
    const { summary, unreadable } = likertFromCounts(
      [
        { response: '5', count: 2 },
        { response: 'Disagree', count: 1 },
        { response: 'maybe', count: 3 },
      ],
      labels,
    );
    assert.deepEqual(summary!.counts, [0, 1, 0, 0, 2]);
    assert.equal(unreadable, 3);
  });

  it('computes NPS from answer counts', () => {
    const { nps } = npsFromCounts([
      { response: '10', count: 3 },
      { response: '7', count: 1 },
      { response: '3', count: 1 },
    ]);
    assert.equal(nps!.score, 40);
    assert.deepEqual([nps!.promoters, nps!.passives, nps!.detractors], [3, 1, 1]);
  });

  it('gives no interval for one pair or identical changes, and says why', () => {
    const one = scoreChange([{ pre: 0.2, post: 0.6 }], 1);
    assert.equal(one.paired, null);
    assert.match(one.pairedNote!, /at least 2/);
    const same = scoreChange(
      [
        { pre: 0.2, post: 0.4 },
        { pre: 0.4, post: 0.6 },
      ],
      1,
    );
    assert.equal(same.paired, null);
    assert.match(same.pairedNote!, /same amount/);
    assert.equal(scoreChange([{ pre: null, post: 0.5 }], 1).pairs, 0);
  });

  it('flags null rates over the threshold, any session longer than stored, and a learner gap over the tolerance', () => {
    const checks = qualityChecks(
      {
        statements: 100,
        missingModuleVersion: 3,
        missingAssignmentId: 0,
        missingCampaignId: 1,
        unmatchedActorStatements: 0,
        unmatchedActors: 0,
        duplicateStatements: 0,
        learnersWithEvents: 7,
        enrolledLearners: 10,
        endedSessions: 40,
        overlongSessions: 1,
      },
      { maxNullRate: 0.02, learnerTolerance: 0.2 },
    );
    assert.deepEqual(
      checks.map((c) => c.ok),
      [false, true, true, true, true, false, false],
    );
    assert.equal(checks[5]!.rate, 1 / 40);
  });

  it('counts in the learner-gap row what its name says, so count / out of = rate (37 of 41 active: 4 without)', () => {
    const counts = {
      statements: 100,
      missingModuleVersion: 0,
      missingAssignmentId: 0,
      missingCampaignId: 0,
      unmatchedActorStatements: 0,
      unmatchedActors: 0,
      duplicateStatements: 0,
      endedSessions: 0,
      overlongSessions: 0,
    };
    const thresholds = { maxNullRate: 0.02, learnerTolerance: 0.2 };
    const fewer = qualityChecks({ ...counts, learnersWithEvents: 37, enrolledLearners: 41 }, thresholds).at(
      -1,
    )!;
    assert.deepEqual(
      { name: fewer.name, count: fewer.count, of: fewer.of, rate: fewer.rate },
      { name: 'Enrolled learners without events', count: 4, of: 41, rate: 4 / 41 },
    );
    const more = qualityChecks({ ...counts, learnersWithEvents: 45, enrolledLearners: 41 }, thresholds).at(
      -1,
    )!;
    assert.deepEqual(
      { name: more.name, count: more.count, rate: more.rate },
      { name: 'Learners with events beyond the enrolled learners', count: 4, rate: 4 / 41 },
    );
  });

  it('writes RFC 4180 CSV and defuses spreadsheet formulas in text cells only', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=SUM(A1)', '-12.5'],
          ['line\nbreak', '@cmd'],
          [-2.1, 19.7],
          [1234567.25, null],
          [0.1 + 0.2, -0],
        ],
      ),
      'a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),\'-12.5\r\n"line\nbreak",\'@cmd\r\n' +
        '-2.1,19.7\r\n1234567.25,\r\n0.3,0\r\n',
    );
  });
});
