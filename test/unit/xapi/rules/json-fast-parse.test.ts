import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isLosslessNumber, parse } from 'lossless-json';
import { parseJsonFast } from '../../../../src/xapi/rules/json-fast-parse.js';
import { parseJsonLossless } from '../../../../src/xapi/rules/json.js';
import { generateCourseWorld } from '../../../../src/dev/synthetic/course-world.js';
import { generateCaptureStatements } from '../../../../src/dev/synthetic/capture-statements.js';

/** Deep equality that tells LosslessNumbers (by source text) from numbers and checks prototypes. */
function assertSameJson(actual: unknown, expected: unknown, at = '$'): void {
  if (isLosslessNumber(expected)) {
    assert.ok(isLosslessNumber(actual), `${at}: expected a LosslessNumber`);
    assert.equal(actual.value, expected.value, at);
    return;
  }
  if (typeof expected !== 'object' || expected === null) {
    assert.equal(actual, expected, at);
    return;
  }
  assert.equal(Object.getPrototypeOf(actual), Object.getPrototypeOf(expected), `${at}: prototype`);
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  assert.deepEqual(Object.keys(a), Object.keys(e), `${at}: keys`);
  for (const key of Object.keys(e)) assertSameJson(a[key], e[key], `${at}.${key}`);
}

/** The fast path gives lossless-json's value, or declines (undefined) for lossless-json to decide. */
function assertAgrees(text: string): 'fast' | 'declined' {
  const fast = parseJsonFast(text);
  if (fast === undefined) return 'declined';
  assertSameJson(fast, parse(text));
  return 'fast';
}

/** A seeded generator (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  '0',
  '-0',
  '1',
  '1.0',
  '1e2',
  '1E+2',
  '-1.5e-7',
  '0.1000000000000000055511151231257827',
  '12345678901234567890123',
  '1e400',
  '-12',
  '3.14159',
  '100',
];
const STRINGS = [
  '',
  'a:b',
  '"quoted" 12',
  '\\ back\\slash 3.5',
  'tab\t-1',
  '\u0000 nul',
  'é 9',
  '\ud83d\ude00',
];
const KEYS = ['id', 'a:b', 'k-1', '12abc', '-x', 'e', 'with "quote"', '__proto__x', 'score'];

function randomJson(rand: () => number, depth: number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const r = rand();
  if (depth > 3 || r < 0.3) return pick(NUMBERS);
  if (r < 0.45) return JSON.stringify(pick(STRINGS));
  if (r < 0.5) return pick(['true', 'false', 'null']);
  if (r < 0.75) {
    const items = Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(rand, depth + 1));
    return `[ ${items.join(' ,\n')} ]`;
  }
  const keys = [...new Set(Array.from({ length: Math.floor(rand() * 5) }, () => pick(KEYS)))];
  return `{${keys.map((k) => `${JSON.stringify(k)} : ${randomJson(rand, depth + 1)}`).join(',')}}`;
}

describe('parseJsonFast', () => {
  it('gives the capture statements exactly as lossless-json does, numbers as LosslessNumbers', () => {
    const world = generateCourseWorld({
      seed: 3,
      tenantId: randomUUID(),
      platformId: randomUUID(),
      learners: 8,
      modules: 2,
    });
    let count = 0;
    for (const statement of generateCaptureStatements(world, { seed: 3 })) {
      assert.equal(assertAgrees(JSON.stringify(statement)), 'fast');
      if (++count === 300) break;
    }
  });

  it('keeps the source text of every number: trailing zeros, exponents, long and huge numbers, negative zero', () => {
    for (const n of NUMBERS) {
      assert.equal(assertAgrees(`{"result":{"score":{"raw":${n}}},"list":[${n},${n}]}`), 'fast');
      assert.equal(assertAgrees(n), 'fast');
    }
  });

  it('skips digits, colons and minus signs inside strings and keys', () => {
    for (const s of STRINGS)
      assert.equal(assertAgrees(`{${JSON.stringify(s)}:${JSON.stringify(s)},"n":7}`), 'fast');
  });

  it('declines repeated keys, with equal or different values, so lossless-json accepts or rejects them', () => {
    assert.equal(parseJsonFast('{"a":1,"a":2}'), undefined);
    assert.equal(parseJsonFast('{"a":{"b":1},"a":{"b":1}}'), undefined);
    assert.equal(parseJsonFast('[{"x":"1","x":"1"}]'), undefined);
  });

  it('declines objects with array-index keys, whose order JavaScript does not keep', () => {
    assert.equal(parseJsonFast('{"b":1.0,"2":3.0}'), undefined);
    assert.equal(parseJsonFast('{"extensions":{"0":"a"}}'), undefined);
    assert.equal(assertAgrees('{"b":1.0,"02":3.0,"-1":4}'), 'fast');
  });

  it('declines invalid JSON, for lossless-json to report', () => {
    for (const text of ['', '{', '{"a":}', '[1,]', '01', '{"a":1}x', '"\u0001"', '\ufeff{}'])
      assert.equal(parseJsonFast(text), undefined, text);
  });

  it('keeps a "__proto__" key an own property, as lossless-json and JSON.parse do', () => {
    const value = parseJsonFast('{"__proto__":5,"x":{"__proto__":{"polluted":1}}}') as Record<
      string,
      unknown
    >;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.ok(Object.hasOwn(value, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assertAgrees('{"__proto__":5,"x":{"__proto__":{"polluted":1}}}');
  });

  it('declines nesting deeper than the stack instead of throwing', () => {
    const deep = `${'['.repeat(200_000)}1${']'.repeat(200_000)}`;
    assert.equal(parseJsonFast(deep), undefined);
    const result = parseJsonLossless(deep);
    assert.equal(result.ok, false);
  });

  it('agrees with lossless-json on 2,000 random documents', () => {
    const rand = prng(17);
    let fast = 0;
    for (let i = 0; i < 2000; i++) if (assertAgrees(randomJson(rand, 0)) === 'fast') fast++;
    assert.ok(fast > 1000, `the fast path took only ${fast} of 2,000`);
  });
});
