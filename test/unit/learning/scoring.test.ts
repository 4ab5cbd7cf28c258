import assert from 'node:assert/strict';
import { scoreTest } from '../../../src/learning/flow/scoring.js';
import type { Test } from '../../../src/learning/module-content.js';
import { ValidationError } from '../../../src/errors.js';

const test: Test = {
  masteryScore: 0.6,
  questions: [
    {
      id: 'one',
      type: 'single-choice',
      prompt: 'Pick a',
      choices: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
      ],
      correct: ['a'],
      points: 2,
    },
    {
      id: 'many',
      type: 'multiple-choice',
      prompt: 'Pick a and c',
      choices: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
        { id: 'c', text: 'C' },
      ],
      correct: ['a', 'c'],
    },
    { id: 'tf', type: 'true-false', prompt: 'True?', correct: true },
    { id: 'num', type: 'numeric', prompt: '10 +- 0.5', correct: 10, tolerance: 0.5 },
    { id: 'fill', type: 'fill-in', prompt: 'Name', correct: ['Triangle', 'delta'] },
  ],
};

const right = { one: 'a', many: ['c', 'a'], tf: 'true', num: '10.5', fill: '  TRIANGLE ' };

function problems(answers: Record<string, string | string[]>): string[] {
  try {
    scoreTest(test, answers);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.details.map((d) => `${d.path}: ${d.message}`);
  }
  return [];
}

describe('scoreTest: server-side scoring of the five question types', () => {
  it('scores all right answers, with points, tolerance and trimmed case-insensitive fill-in', () => {
    const s = scoreTest(test, right);
    assert.equal(s.raw, 6);
    assert.equal(s.max, 6);
    assert.equal(s.scaled, 1);
    assert.equal(s.passed, true);
    assert.deepEqual(
      s.outcomes.map((o) => o.response),
      ['a', 'a[,]c', 'true', '10.5', 'TRIANGLE'],
    );
  });

  it('gives no partial credit and fails below the mastery score', () => {
    const s = scoreTest(test, { ...right, one: 'b', many: ['a'], num: '10.6' });
    assert.deepEqual(
      s.outcomes.map((o) => o.success),
      [false, false, true, false, true],
    );
    assert.equal(s.raw, 2);
    assert.equal(s.scaled, 2 / 6);
    assert.equal(s.passed, false);
  });

  it('passes exactly at the mastery score', () => {
    const s = scoreTest({ ...test, masteryScore: 4 / 6 }, { ...right, one: 'b' });
    assert.equal(s.raw, 4);
    assert.equal(s.passed, true);
  });

  it('refuses unknown questions and choices, and lists every missing answer', () => {
    assert.deepEqual(problems({ ...right, ghost: 'x' }), [
      'ghost: is not a question of this test; reload the page and answer again',
    ]);
    assert.equal(problems({ ...right, one: 'z' }).length, 1);
    assert.equal(problems({ ...right, many: ['a', 'a'] }).length, 1);
    assert.equal(problems({ ...right, one: ['a', 'b'] }).length, 1);
    assert.equal(problems({ ...right, tf: 'yes' }).length, 1);
    assert.equal(problems({ ...right, num: '1e400' }).length, 1);
    assert.equal(problems({ ...right, num: 'ten' }).length, 1);
    assert.deepEqual(
      problems({}).map((p) => p.split(':')[0]),
      ['one', 'many', 'tf', 'num', 'fill'],
    );
  });
});
