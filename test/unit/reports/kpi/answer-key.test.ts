import assert from 'node:assert/strict';
import { isKeyResponse } from '../../../../src/reports/kpi/answer-key.js';
import type { Question } from '../../../../src/learning/module-content.js';

describe('isKeyResponse: the answers the item analysis marks as keys', () => {
  const single: Question = {
    id: 'q',
    type: 'single-choice',
    prompt: 'p',
    choices: [
      { id: 'a', text: 'A' },
      { id: 'b', text: 'B' },
    ],
    correct: ['a'],
  };
  const multiple: Question = { ...single, type: 'multiple-choice', correct: ['a', 'b'] };

  it('marks a correct choice id, each correct choice of a multiple-choice question, and a whole response only when it is exactly the correct set', () => {
    assert.equal(isKeyResponse(single, 'a'), true);
    assert.equal(isKeyResponse(single, 'b'), false);
    assert.equal(isKeyResponse(multiple, 'a[,]b'), true);
    assert.equal(isKeyResponse(multiple, 'b[,]a'), true);
    assert.equal(isKeyResponse(multiple, 'a'), true);
    assert.equal(isKeyResponse({ ...multiple, correct: ['a'] }, 'b'), false);
    assert.equal(isKeyResponse(multiple, 'a[,]a'), false);
    assert.equal(isKeyResponse({ ...multiple, correct: ['a'] }, 'a[,]b'), false);
  });

  it('reads true/false keys (booleans in the content) and never throws on them', () => {
    const tf: Question = { id: 't', type: 'true-false', prompt: 'p', correct: false };
    assert.equal(isKeyResponse(tf, 'false'), true);
    assert.equal(isKeyResponse(tf, 'true'), false);
  });

  it('accepts a numeric answer within the tolerance, as the score did', () => {
    const n: Question = { id: 'n', type: 'numeric', prompt: 'p', correct: 15, tolerance: 5 };
    assert.equal(isKeyResponse(n, '18'), true);
    assert.equal(isKeyResponse(n, '20'), true);
    assert.equal(isKeyResponse(n, '20.5'), false);
    assert.equal(isKeyResponse(n, 'abc'), false);
    assert.equal(isKeyResponse({ ...n, tolerance: undefined }, '15'), true);
  });

  it('compares fill-in answers trimmed and ignoring case; an unknown question has no key', () => {
    const f: Question = { id: 'f', type: 'fill-in', prompt: 'p', correct: ['Triangle'] };
    assert.equal(isKeyResponse(f, ' triangle '), true);
    assert.equal(isKeyResponse(f, 'square'), false);
    assert.equal(isKeyResponse(undefined, 'a'), false);
  });
});
