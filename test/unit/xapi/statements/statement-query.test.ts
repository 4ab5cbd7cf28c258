import assert from 'node:assert/strict';
import { MAX_PAGE_SIZE, readStatementRequest } from '../../../../src/xapi/statements/statement-query.js';
import { mergeActivityDefinition } from '../../../../src/xapi/statements/activity-merge.js';
import { ValidationError } from '../../../../src/errors.js';

describe('GET /statements parameters (Communication 2.1.3)', () => {
  it('reads a filtered query with normalized values', () => {
    const q = readStatementRequest(
      {
        agent: '{"mbox":"mailto:Jo@Example.com"}',
        verb: 'http://example.com/v',
        registration: 'ABCDEF00-1111-4222-8333-444455556666',
        since: '2024-01-01T00:00:00+01:00',
        related_agents: 'true',
        limit: '0',
      },
      '1.0.3',
    );
    assert.equal(q.kind, 'query');
    if (q.kind !== 'query') return;
    assert.equal(q.registration, 'abcdef00-1111-4222-8333-444455556666');
    assert.equal(q.since, '2023-12-31T23:00:00.000Z');
    assert.equal(q.relatedAgents, true);
    assert.equal(q.limit, MAX_PAGE_SIZE);
    assert.match(q.agentKey!, /^mbox:mailto:/);
  });

  it('names every bad parameter at once', () => {
    assert.throws(
      () => readStatementRequest({ limit: '-1', format: 'full', ascending: 'yes', colour: 'blue' }, '1.0.3'),
      (err: ValidationError) =>
        ['limit', 'format', 'ascending', 'colour'].every((p) => err.details.some((d) => d.path === p)),
    );
  });

  it('rejects statementId with anything but format and attachments', () => {
    const id = 'abcdef00-1111-4222-8333-444455556666';
    assert.equal(readStatementRequest({ statementId: id, format: 'ids' }, '2.0.0').kind, 'single');
    assert.throws(() => readStatementRequest({ statementId: id, limit: '1' }, '2.0.0'), ValidationError);
    assert.throws(
      () => readStatementRequest({ statementId: id, voidedStatementId: id }, '2.0.0'),
      ValidationError,
    );
  });

  it('requires a time zone on since under 2.0 only', () => {
    assert.doesNotThrow(() => readStatementRequest({ since: '2024-01-01T00:00:00' }, '1.0.3'));
    assert.throws(() => readStatementRequest({ since: '2024-01-01T00:00:00' }, '2.0.0'), ValidationError);
  });
});

describe('canonical Activity definitions (Communication 2.5)', () => {
  it('merges language maps and extensions key by key; later values win', () => {
    const merged = mergeActivityDefinition(
      {
        name: { 'en-US': 'Old', fr: 'Vieux' },
        type: 'http://example.com/t1',
        extensions: { 'http://x/a': 1 },
      },
      {
        name: { 'en-US': 'New' },
        description: { en: 'D' },
        type: 'http://example.com/t2',
        extensions: { 'http://x/b': 2 },
      },
    );
    assert.deepEqual(merged, {
      name: { 'en-US': 'New', fr: 'Vieux' },
      type: 'http://example.com/t2',
      extensions: { 'http://x/a': 1, 'http://x/b': 2 },
      description: { en: 'D' },
    });
  });
});
