import assert from 'node:assert/strict';
import { addActiveGap } from '../../../src/learning/flow/time-on-task.js';
import { isoDuration } from '../../../src/xapi/rules/data-types/duration.js';
import { progressPercent, stepsOf } from '../../../src/learning/flow/step-plan.js';
import { moveOnMissing } from '../../../src/learning/flow/learner-flow-service.js';
import { VERBS } from '../../../src/learning/vocabulary.js';

describe('time on task', () => {
  const t0 = new Date('2026-01-01T10:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  it('counts gaps up to the idle cap in full', () => {
    assert.deepEqual(addActiveGap({ activeSeconds: 10, estimated: false }, t0, at(30), 300), {
      activeSeconds: 40,
      estimated: false,
    });
  });

  it('caps a longer gap and marks the duration estimated', () => {
    assert.deepEqual(addActiveGap({ activeSeconds: 0, estimated: false }, t0, at(3600), 300), {
      activeSeconds: 300,
      estimated: true,
    });
  });

  it('adds nothing for a negative gap (clock skew between servers)', () => {
    assert.deepEqual(addActiveGap({ activeSeconds: 5, estimated: false }, at(10), t0, 300), {
      activeSeconds: 5,
      estimated: false,
    });
  });

  it('writes ISO 8601 durations', () => {
    assert.equal(isoDuration(0), 'PT0S');
    assert.equal(isoDuration(3725.5), 'PT1H2M5.5S');
    assert.equal(isoDuration(59.999), 'PT1M0S');
  });
});

describe('step plan', () => {
  it('orders pre-test, pages, post-test, survey and skips what a module lacks', () => {
    const page = { id: 'p', title: 'P', format: 'markdown' as const, body: '' };
    const test = {
      masteryScore: 1,
      questions: [{ id: 'q', type: 'true-false' as const, prompt: 'q', correct: true }],
    };
    assert.deepEqual(
      stepsOf({
        pages: [page, page],
        preTest: test,
        postTest: test,
        survey: { anonymous: true, items: [{ id: 'n', type: 'nps', prompt: 'n' }] },
      }).map((s) => s.kind + ('phase' in s ? `:${s.phase}` : 'index' in s ? `:${s.index}` : '')),
      ['test:pre', 'page:0', 'page:1', 'test:post', 'survey'],
    );
    assert.deepEqual(stepsOf({ pages: [page], preTest: { masteryScore: 1, questions: [] } }).length, 1);
    assert.equal(progressPercent(1, 3), 33);
    assert.equal(progressPercent(0, 0), 100);
  });
});

describe('cmi5 moveOn of external content', () => {
  const done = (...verbs: ('completed' | 'passed')[]) => new Set(verbs.map((v) => VERBS[v]));
  it('asks for what the criterion still needs', () => {
    assert.equal(moveOnMissing('Completed', done()), 'completed it');
    assert.equal(moveOnMissing('Completed', done('completed')), undefined);
    assert.equal(moveOnMissing('Passed', done('completed')), 'passed it');
    assert.equal(moveOnMissing('CompletedAndPassed', done('passed')), 'completed it');
    assert.equal(moveOnMissing('CompletedAndPassed', done('passed', 'completed')), undefined);
    assert.equal(moveOnMissing('CompletedOrPassed', done('passed')), undefined);
    assert.equal(moveOnMissing('NotApplicable', done()), undefined);
  });
});
