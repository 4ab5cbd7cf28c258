import assert from 'node:assert/strict';
import { aFullStatement, aStatement, aSubStatement } from '../../../fixtures/xapi/statements.js';
import { parseJsonLossless, serializeJson } from '../../../../src/xapi/rules/json.js';
import {
  defaultStatementVersion,
  prepareStatement,
  prepareStatementsText,
} from '../../../../src/xapi/rules/prepare.js';
import type { PrepareContext, PreparedStatement } from '../../../../src/xapi/rules/prepare.js';
import type { JsonObject } from '../../../../src/xapi/rules/types.js';

const NOW = new Date('2024-03-01T09:30:00.123Z');
const AUTHORITY = { objectType: 'Agent', account: { homePage: 'https://lrs.example.com', name: 'client-7' } };
const context = (overrides: Partial<PrepareContext> = {}): PrepareContext => ({
  version: '2.0.0',
  authority: AUTHORITY,
  now: NOW,
  generateId: () => '0b5ef1a2-4d3c-4e5f-8a7b-9c8d7e6f5a4b',
  ...overrides,
});

function prepareOne(text: string, overrides: Partial<PrepareContext> = {}): PreparedStatement {
  const result = prepareStatementsText(text, context(overrides));
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.equal(result.prepared.length, 1);
  return result.prepared[0]!;
}

describe('prepareStatementsText', () => {
  it('assigns an id, stored, timestamp, authority and version to a statement without them', () => {
    const { statement, keys } = prepareOne(JSON.stringify(aStatement()));
    assert.equal(statement.id, '0b5ef1a2-4d3c-4e5f-8a7b-9c8d7e6f5a4b');
    assert.equal(statement.stored, '2024-03-01T09:30:00.123Z');
    assert.equal(statement.timestamp, '2024-03-01T09:30:00.123Z');
    assert.deepEqual(statement.authority, AUTHORITY);
    assert.equal(statement.version, '2.0.0');
    assert.equal(keys.stored, '2024-03-01T09:30:00.123Z');
  });
  it('generates a random version 4 UUID by default', () => {
    const { statement } = prepareOne(JSON.stringify(aStatement()), { generateId: undefined });
    assert.match(
      String(statement.id),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
  it('sets version 1.0.0 under xAPI 1.0.3 and keeps a version the statement has', () => {
    assert.equal(prepareOne(JSON.stringify(aStatement()), { version: '1.0.3' }).statement.version, '1.0.0');
    assert.equal(prepareOne(JSON.stringify(aStatement({ version: '1.0.3' }))).statement.version, '1.0.3');
    assert.equal(defaultStatementVersion('2.0.0'), '2.0.0');
  });
  it('keeps a given id and timestamp and overwrites stored and authority', () => {
    const { statement } = prepareOne(
      JSON.stringify(
        aFullStatement({ stored: '2000-01-01T00:00:00Z', authority: { mbox: 'mailto:forged@example.com' } }),
      ),
    );
    assert.equal(statement.id, 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0');
    assert.equal(statement.timestamp, '2015-11-18T12:17:00+00:00');
    assert.equal(statement.stored, '2024-03-01T09:30:00.123Z');
    assert.deepEqual(statement.authority, AUTHORITY);
  });
  it('keeps a submitted authority only when the caller trusts the submitter', () => {
    const submitted = { objectType: 'Agent', mbox: 'mailto:importer@example.com' };
    const { statement } = prepareOne(JSON.stringify(aStatement({ authority: submitted })), {
      keepSubmittedAuthority: true,
    });
    assert.deepEqual(statement.authority, submitted);
  });
  it('returns every context activity value as an array, in the statement and its SubStatement', () => {
    const single = { id: 'http://example.com/parent' };
    const { statement } = prepareOne(
      JSON.stringify(
        aStatement({
          context: { contextActivities: { parent: single } },
          object: aSubStatement({ context: { contextActivities: { other: single } } }),
        }),
      ),
    );
    assert.deepEqual((statement.context as JsonObject).contextActivities, { parent: [single] });
    assert.deepEqual(((statement.object as JsonObject).context as JsonObject).contextActivities, {
      other: [single],
    });
  });
  it('round-trips very large and very precise numbers digit for digit', () => {
    const text = JSON.stringify(aStatement()).replace(
      /}$/,
      ',"result":{"score":{"raw":0.1000000000000000055511151231257827,"min":-1e-400,"max":12345678901234567890123.5},"extensions":{"http://example.com/big":123456789012345678901234567890,"http://example.com/exp":6.02214076E23}}}',
    );
    const { storedText } = prepareOne(text);
    assert.ok(storedText.includes('"raw":0.1000000000000000055511151231257827'));
    assert.ok(storedText.includes('"min":-1e-400'));
    assert.ok(storedText.includes('"max":12345678901234567890123.5'));
    assert.ok(storedText.includes('"http://example.com/big":123456789012345678901234567890'));
    assert.ok(storedText.includes('"http://example.com/exp":6.02214076E23'));
  });
  it('round-trips strings holding NUL and other control characters as JSON escapes', () => {
    const text = JSON.stringify(
      aStatement({
        result: { response: 'a\u0000b\u001f\u2028c', extensions: { 'http://example.com/s': '\u0000' } },
      }),
    );
    const { storedText } = prepareOne(text);
    assert.ok(!storedText.includes('\u0000'), 'the stored text must not contain a raw NUL byte');
    assert.ok(storedText.includes('"response":"a\\u0000b\\u001f'));
    const reparsed = parseJsonLossless(storedText);
    assert.ok(reparsed.ok);
    assert.equal(((reparsed.value as JsonObject).result as JsonObject).response, 'a\u0000b\u001f\u2028c');
  });
  it('keeps extension values of any shape unchanged', () => {
    const extensions = { 'http://example.com/x': { nested: [1, { deep: null }, 'two', true], empty: {} } };
    const { statement } = prepareOne(JSON.stringify(aStatement({ context: { extensions } })));
    const reparsed = parseJsonLossless(serializeJson((statement.context as JsonObject).extensions));
    assert.ok(reparsed.ok);
    assert.equal(serializeJson(reparsed.value), JSON.stringify(extensions));
  });
  it('rejects invalid statements with the validation errors', () => {
    const result = prepareStatementsText(JSON.stringify(aStatement({ timestamp: 'soon' })), context());
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'statement.timestamp');
  });
  it('rejects a body that is not JSON, repeats a property, or is an empty array', () => {
    for (const text of [
      '{"actor":',
      '{"actor":{"mbox":"mailto:a@example.com"},"actor":{"mbox":"mailto:b@example.com"}}',
      '[]',
    ]) {
      const result = prepareStatementsText(text, context());
      assert.ok(!result.ok, text);
    }
  });
  it('prepares a batch with one stored time and rejects the whole batch when one statement fails', () => {
    const good = prepareStatementsText(
      JSON.stringify([aStatement(), aStatement({ id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' })]),
      context(),
    );
    assert.ok(good.ok);
    assert.equal(good.prepared.length, 2);
    assert.equal(good.prepared[0]!.statement.stored, good.prepared[1]!.statement.stored);
    const bad = prepareStatementsText(JSON.stringify([aStatement(), aStatement({ verb: {} })]), context());
    assert.ok(!bad.ok);
    assert.equal(bad.errors[0]!.path, 'statements[1].verb.id');
  });
});

describe('prepareStatement query keys', () => {
  it('extracts verb, registration, timestamp instant and every agent and activity with its usage', () => {
    const prepared = prepareStatement(
      aFullStatement({
        actor: {
          objectType: 'Group',
          mbox: 'mailto:team@Example.com',
          member: [{ mbox: 'mailto:a@example.com' }],
        },
        timestamp: '2015-11-18T13:17:00+01:00',
      }),
      context(),
    );
    assert.ok(prepared.ok);
    const { keys } = prepared.prepared;
    assert.equal(keys.verb, 'http://adlnet.gov/expapi/verbs/attended');
    assert.equal(keys.registration, 'ec531277-b57b-4c15-8d91-d292c5b2b8f7');
    assert.equal(keys.timestamp, '2015-11-18T12:17:00.000Z');
    assert.deepEqual(keys.agents, [
      { key: 'mbox:mailto:team@example.com', usage: 'actor', member: false },
      { key: 'mbox:mailto:a@example.com', usage: 'actor', member: true },
      { key: 'account:["https://lrs.example.com","client-7"]', usage: 'authority', member: false },
      { key: 'mbox:mailto:grace@example.com', usage: 'context_instructor', member: false },
      { key: 'mbox:mailto:teampb@example.com', usage: 'context_team', member: false },
    ]);
    assert.deepEqual(
      keys.activities.map((a) => a.usage),
      ['object', 'parent', 'grouping', 'category', 'other'],
    );
    assert.deepEqual(
      keys.activityDefinitions.map((d) => d.id),
      [
        'http://www.example.com/meetings/occurances/34534',
        'http://www.example.com/meetings/categories/teammeeting',
      ],
    );
    assert.deepEqual(keys.verbDisplays, [
      {
        id: 'http://adlnet.gov/expapi/verbs/attended',
        display: { 'en-GB': 'attended', 'en-US': 'attended' },
      },
    ]);
    assert.deepEqual(keys.attachments, [
      {
        sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
        contentType: 'text/plain; charset=ascii',
        length: 27,
        usageType: 'http://example.com/attachment-usage/test',
        fileUrl: 'http://over.there.com/file.txt',
      },
    ]);
    assert.equal(keys.voidedTarget, null);
  });
  it('records the voided statement of a voiding statement and the target of a StatementRef', () => {
    const voiding = prepareStatement(
      aStatement({
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: 'E05AA883-ACAF-40AD-BF54-02C8CE485FB0' },
      }),
      context(),
    );
    assert.ok(voiding.ok);
    assert.equal(voiding.prepared.keys.voidedTarget, 'e05aa883-acaf-40ad-bf54-02c8ce485fb0');
    assert.equal(voiding.prepared.keys.statementRefTarget, 'e05aa883-acaf-40ad-bf54-02c8ce485fb0');
    const comment = prepareStatement(
      aStatement({
        verb: { id: 'http://example.com/commented' },
        object: { objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' },
      }),
      context(),
    );
    assert.ok(comment.ok);
    assert.equal(comment.prepared.keys.voidedTarget, null);
    assert.equal(comment.prepared.keys.statementRefTarget, 'e05aa883-acaf-40ad-bf54-02c8ce485fb0');
  });
  it('marks SubStatement agents and activities with sub_ usages, and context agents and groups (2.0)', () => {
    const prepared = prepareStatement(
      aStatement({
        object: aSubStatement({
          context: {
            instructor: { mbox: 'mailto:i@example.com' },
            contextActivities: { parent: [{ id: 'http://example.com/p' }] },
          },
        }),
        context: {
          contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:ca@example.com' } }],
          contextGroups: [
            {
              objectType: 'contextGroup',
              group: { objectType: 'Group', openid: 'http://openid.example.org/g' },
            },
          ],
        },
      }),
      context(),
    );
    assert.ok(prepared.ok);
    const usages = prepared.prepared.keys.agents.map((a) => `${a.usage}:${a.key}`);
    assert.ok(usages.includes('sub_actor:mbox:mailto:test@example.com'));
    assert.ok(usages.includes('sub_instructor:mbox:mailto:i@example.com'));
    assert.ok(usages.includes('context_agent:mbox:mailto:ca@example.com'));
    assert.ok(usages.includes('context_group:openid:http://openid.example.org/g'));
    assert.deepEqual(prepared.prepared.keys.activities, [
      { iri: 'http://example.com/website', usage: 'sub_object' },
      { iri: 'http://example.com/p', usage: 'sub_parent' },
    ]);
  });
});
