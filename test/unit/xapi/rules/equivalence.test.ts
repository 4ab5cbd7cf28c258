import assert from 'node:assert/strict';
import { aFullStatement, aStatement } from '../../../fixtures/xapi/statements.js';
import { areStatementsEquivalent, compareStatements } from '../../../../src/xapi/rules/equivalence.js';
import { parseJsonLossless } from '../../../../src/xapi/rules/json.js';
import type { JsonObject } from '../../../../src/xapi/rules/types.js';

const lossless = (text: string): unknown => {
  const parsed = parseJsonLossless(text);
  assert.ok(parsed.ok);
  return parsed.value;
};

describe('compareStatements (xAPI Data 2.3.1 Statement Comparison Requirements)', () => {
  const stored = () =>
    aFullStatement({
      stored: '2015-11-18T12:18:00.000Z',
      authority: { objectType: 'Agent', mbox: 'mailto:lrs@example.com' },
      version: '1.0.0',
    });

  it('treats a statement as equivalent to itself', () => {
    assert.deepEqual(compareStatements(stored(), stored()), { equivalent: true });
  });
  it('ignores stored, authority and attachments', () => {
    const received = aFullStatement({
      stored: '2020-01-01T00:00:00Z',
      authority: { mbox: 'mailto:other@example.com' },
    });
    delete received.attachments;
    assert.ok(areStatementsEquivalent(stored(), received));
  });
  it('ignores id, timestamp and version when only one side has them', () => {
    const received = aFullStatement();
    delete received.id;
    delete received.timestamp;
    assert.ok(areStatementsEquivalent(stored(), received));
  });
  it('compares timestamps as instants', () => {
    assert.ok(
      areStatementsEquivalent(stored(), aFullStatement({ timestamp: '2015-11-18T13:17:00.000+01:00' })),
    );
    const result = compareStatements(stored(), aFullStatement({ timestamp: '2015-11-18T12:17:01Z' }));
    assert.ok(!result.equivalent);
    assert.equal(result.differences[0]!.path, 'statement.timestamp');
  });
  it('ignores Activity definitions and Verb displays', () => {
    const received = aFullStatement();
    (received.object as JsonObject).definition = { name: { fr: 'réunion' } };
    (received.verb as JsonObject).display = { fr: 'assisté' };
    assert.ok(areStatementsEquivalent(stored(), received));
  });
  it('ignores the order of Group members', () => {
    const a = aStatement({
      actor: {
        objectType: 'Group',
        member: [{ mbox: 'mailto:a@example.com' }, { mbox: 'mailto:b@example.com' }],
      },
    });
    const b = aStatement({
      actor: {
        objectType: 'Group',
        member: [{ mbox: 'mailto:b@example.com' }, { mbox: 'mailto:a@example.com' }],
      },
    });
    assert.ok(areStatementsEquivalent(a, b));
  });
  it('ignores case where values are case-insensitive', () => {
    const upper = aFullStatement({
      id: 'FD41C918-B88B-4B20-A0A5-A4C32391AAA0',
      actor: { objectType: 'Agent', name: 'Ada Learner', mbox: 'mailto:ada@EXAMPLE.com' },
    });
    (upper.context as JsonObject).registration = 'EC531277-B57B-4C15-8D91-D292C5B2B8F7';
    (upper.context as JsonObject).language = 'TLH';
    assert.ok(areStatementsEquivalent(stored(), upper));
  });
  it('does not ignore case in the local part of an mbox', () => {
    assert.ok(
      !areStatementsEquivalent(
        stored(),
        aFullStatement({
          actor: { objectType: 'Agent', name: 'Ada Learner', mbox: 'mailto:ADA@example.com' },
        }),
      ),
    );
  });
  it('treats a single context Activity like an array holding it, and a missing objectType like its default', () => {
    const a = aStatement({
      actor: { mbox: 'mailto:a@example.com' },
      object: { id: 'http://example.com/a' },
      context: { contextActivities: { parent: { id: 'http://example.com/p' } } },
    });
    const b = aStatement({
      actor: { objectType: 'Agent', mbox: 'mailto:a@example.com' },
      object: { objectType: 'Activity', id: 'http://example.com/a' },
      context: { contextActivities: { parent: [{ id: 'http://example.com/p' }] } },
    });
    assert.ok(areStatementsEquivalent(a, b));
  });
  it('compares numbers by value, exactly, whatever their spelling', () => {
    const a = lossless(
      '{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},"result":{"score":{"raw":1.0},"extensions":{"http://example.com/n":12345678901234567890123}}}',
    );
    const b = lossless(
      '{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},"result":{"score":{"raw":1},"extensions":{"http://example.com/n":1.2345678901234567890123e22}}}',
    );
    const c = lossless(
      '{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/a"},"result":{"score":{"raw":1},"extensions":{"http://example.com/n":12345678901234567890124}}}',
    );
    assert.ok(areStatementsEquivalent(a, b));
    const result = compareStatements(a, c);
    assert.ok(!result.equivalent);
    assert.equal(result.differences[0]!.path, 'statement.result.extensions["http://example.com/n"]');
  });
  it('compares result.duration as a string', () => {
    const a = aStatement({ result: { duration: 'PT1H' } });
    const b = aStatement({ result: { duration: 'PT60M' } });
    assert.ok(!areStatementsEquivalent(a, b));
  });
  it('ignores result.duration precision beyond 0.01 s (Data 4.6)', () => {
    const full = aStatement({ result: { duration: 'P1DT12H36M0.1237S' } });
    const short = aStatement({ result: { duration: 'P1DT12H36M0.12S' } });
    const other = aStatement({ result: { duration: 'P1DT12H36M0.13S' } });
    assert.ok(areStatementsEquivalent(full, short));
    assert.ok(!areStatementsEquivalent(full, other));
    assert.ok(
      areStatementsEquivalent(
        aStatement({ result: { duration: 'PT1.00S' } }),
        aStatement({ result: { duration: 'PT1S' } }),
      ),
    );
  });
  it('reports every difference with both values', () => {
    const received = aFullStatement({
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      result: { success: false },
    });
    const result = compareStatements(stored(), received);
    assert.ok(!result.equivalent);
    const paths = result.differences.map((d) => d.path);
    assert.ok(paths.includes('statement.verb.id'));
    assert.ok(paths.includes('statement.result.score'));
    const verb = result.differences.find((d) => d.path === 'statement.verb.id')!;
    assert.match(
      verb.message,
      /attended.*in the stored statement but .*completed.* in the received statement/,
    );
  });
  it('finds differences in extensions and arrays of different length', () => {
    const a = aStatement({ context: { extensions: { 'http://example.com/x': [1, 2] } } });
    const b = aStatement({ context: { extensions: { 'http://example.com/x': [1, 2, 3] } } });
    const result = compareStatements(a, b);
    assert.ok(!result.equivalent);
    assert.match(result.differences[0]!.message, /2 entries .* 3/);
  });
});
