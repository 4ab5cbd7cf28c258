import assert from 'node:assert/strict';
import { admitAuStatements, type AuSessionState } from '../../../../src/learning/cmi5/session-rules.js';
import { auMeetsMoveOn, satisfiedParts } from '../../../../src/learning/cmi5/move-on.js';
import { CATEGORIES, EXTENSIONS, VERBS } from '../../../../src/learning/vocabulary.js';
import type { Cmi5Au, Cmi5CourseItem } from '../../../../src/learning/module-content.js';
import { durationSeconds } from '../../../../src/xapi/rules/data-types/duration.js';
import type { JsonObject } from '../../../../src/xapi/rules/index.js';

const AU = 'https://w3id.org/yardstick/xapi/tenants/t/modules/m/aus/a';
const state = (over: Partial<AuSessionState> = {}): AuSessionState => ({
  sessionId: 's-1',
  registration: 'r-1',
  activityId: AU,
  status: 'launched',
  sessionVerbs: new Set(),
  registrationVerbs: new Set(),
  ...over,
});
const st = (
  verb: keyof typeof VERBS,
  result?: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  ({
    verb: { id: VERBS[verb] },
    object: { id: AU },
    context: {
      contextActivities: { category: [{ id: CATEGORIES.cmi5 }] },
      extensions: { [EXTENSIONS.sessionId]: 's-1' },
    },
    ...(result ? { result } : {}),
    ...extra,
  }) as unknown as JsonObject;
const refusedWith = (rule: string) => (err: unknown) => {
  assert.match(String((err as Error).message), new RegExp(`cmi5 ${rule.replace(/\./g, '\\.')}:`));
  return true;
};

describe('cmi5 AU session rules (pure)', () => {
  it('admits initialized, completed and terminated in order and ends the session', () => {
    const after = admitAuStatements(state(), [
      st('initialized'),
      st('completed', { completion: true, duration: 'PT1M' }),
      st('terminated', { duration: 'PT2M' }),
    ]);
    assert.equal(after.status, 'terminated');
    assert.ok(after.registrationVerbs.has(VERBS.completed));
  });

  it('refuses a first statement other than initialized (9.3.2)', () => {
    assert.throws(
      () => admitAuStatements(state(), [st('completed', { completion: true, duration: 'PT1S' })]),
      refusedWith('9.3.2'),
    );
  });

  it('refuses anything after terminated (9.3.8), also later in the same batch', () => {
    assert.throws(
      () =>
        admitAuStatements(state(), [
          st('initialized'),
          st('terminated', { duration: 'PT1S' }),
          st('progressed'),
        ]),
      refusedWith('9.3.8'),
    );
    assert.throws(
      () => admitAuStatements(state({ status: 'abandoned' }), [st('initialized')]),
      refusedWith('9.3.6'),
    );
  });

  it('refuses a statement of another session (9.6.3.1)', () => {
    const other = st('initialized');
    (other.context as { extensions: Record<string, string> }).extensions[EXTENSIONS.sessionId] = 's-2';
    assert.throws(() => admitAuStatements(state(), [other]), refusedWith('9.6.3.1'));
  });

  it('refuses a second completed in the registration (9.3.3) and failed after passed (9.3)', () => {
    const initialized = state({ status: 'initialized', sessionVerbs: new Set([VERBS.initialized]) });
    assert.throws(
      () =>
        admitAuStatements({ ...initialized, registrationVerbs: new Set([VERBS.completed]) }, [
          st('completed', { completion: true, duration: 'PT1S' }),
        ]),
      refusedWith('9.3.3'),
    );
    assert.throws(
      () =>
        admitAuStatements({ ...initialized, registrationVerbs: new Set([VERBS.passed]) }, [
          st('failed', { success: false, duration: 'PT1S' }),
        ]),
      refusedWith('9.3'),
    );
  });

  it('judges scores against masteryScore (9.3.4, 9.3.5) and wants the result flags (9.5.2) and durations (9.5.4.1)', () => {
    const s = state({ status: 'initialized', masteryScore: 0.8 });
    assert.throws(
      () =>
        admitAuStatements(s, [st('passed', { success: true, score: { scaled: 0.79 }, duration: 'PT1S' })]),
      refusedWith('9.3.4'),
    );
    assert.throws(
      () =>
        admitAuStatements(s, [st('failed', { success: false, score: { scaled: 0.8 }, duration: 'PT1S' })]),
      refusedWith('9.3.5'),
    );
    assert.throws(
      () => admitAuStatements(s, [st('passed', { score: { scaled: 0.9 }, duration: 'PT1S' })]),
      refusedWith('9.5.2'),
    );
    assert.throws(() => admitAuStatements(s, [st('terminated', {})]), refusedWith('9.5.4.1'));
    assert.equal(
      admitAuStatements(s, [st('passed', { success: true, score: { scaled: 0.8 }, duration: 'PT1S' })])
        .status,
      'initialized',
    );
  });

  it('refuses LMS verbs from an AU (9.3) and a defined statement about another activity (9.4)', () => {
    const s = state({ status: 'initialized' });
    assert.throws(() => admitAuStatements(s, [st('satisfied')]), refusedWith('9.3'));
    assert.throws(
      () =>
        admitAuStatements(s, [
          st('completed', { completion: true, duration: 'PT1S' }, { object: { id: 'https://elsewhere' } }),
        ]),
      refusedWith('9.4'),
    );
  });

  it('lets cmi5 allowed statements (no cmi5 category) through the session rules only', () => {
    const allowed = st('completed');
    (allowed.context as { contextActivities: unknown }).contextActivities = {};
    assert.equal(
      admitAuStatements(state({ status: 'initialized' }), [allowed, allowed]).status,
      'initialized',
    );
  });
});

describe('cmi5 moveOn and satisfied (pure)', () => {
  const au = (id: string, moveOn: Cmi5Au['moveOn']): Cmi5Au => ({
    kind: 'au',
    id,
    activityId: `act:${id}`,
    title: id,
    url: `${id}.html`,
    launchMethod: 'AnyWindow',
    moveOn,
  });
  const items: Cmi5CourseItem[] = [
    { kind: 'block', id: 'b1', title: 'B1', items: [au('a', 'Completed'), au('b', 'NotApplicable')] },
    { kind: 'block', id: 'b2', title: 'B2', items: [au('c', 'CompletedAndPassed')] },
  ];

  it('applies each moveOn; waived meets any', () => {
    const v = (...verbs: (keyof typeof VERBS)[]) => new Set(verbs.map((x) => VERBS[x]));
    assert.equal(auMeetsMoveOn({ moveOn: 'Passed' }, v('completed')), false);
    assert.equal(auMeetsMoveOn({ moveOn: 'CompletedOrPassed' }, v('passed')), true);
    assert.equal(auMeetsMoveOn({ moveOn: 'CompletedAndPassed' }, v('completed', 'failed')), false);
    assert.equal(auMeetsMoveOn({ moveOn: 'CompletedAndPassed' }, v('completed', 'passed')), true);
    assert.equal(auMeetsMoveOn({ moveOn: 'NotApplicable' }, v()), true);
    assert.equal(auMeetsMoveOn({ moveOn: 'Passed' }, v(), true), true);
  });

  it('satisfies a block when all its AUs met their moveOn, the course when all did', () => {
    const met = (ids: string[]) => (a: Cmi5Au) => ids.includes(a.id) || a.moveOn === 'NotApplicable';
    assert.deepEqual(
      satisfiedParts({ items }, met([])).blocks.map((b) => b.id),
      [],
    );
    const some = satisfiedParts({ items }, met(['a']));
    assert.deepEqual([some.blocks.map((b) => b.id), some.course], [['b1'], false]);
    const all = satisfiedParts({ items }, met(['a', 'c']));
    assert.deepEqual([all.blocks.map((b) => b.id), all.course], [['b1', 'b2'], true]);
  });

  it('reads ISO 8601 durations as seconds', () => {
    assert.equal(durationSeconds('PT4M'), 240);
    assert.equal(durationSeconds('PT1H2M5.5S'), 3725.5);
    assert.equal(durationSeconds('P1DT1S'), 86401);
    assert.equal(durationSeconds('P1W'), 604800);
    assert.equal(durationSeconds('4 minutes'), undefined);
  });
});
