import assert from 'node:assert/strict';
import {
  aFullStatement,
  aStatement,
  aSubStatement,
  anInteraction,
} from '../../../fixtures/xapi/statements.js';
import { parseJsonLossless } from '../../../../src/xapi/rules/json.js';
import { validateStatement, validateStatementBatch } from '../../../../src/xapi/rules/validate-statement.js';
import { assertAccepted, assertRejectedAt, errorsOf, VERSIONS } from './validate-helpers.js';

const SHA1 = 'cd9b00a5611f94eaa7b1661edab976068e364975';

for (const version of VERSIONS) {
  describe(`validateStatement (xAPI ${version})`, () => {
    describe('whole statements', () => {
      it('accepts the simplest statement from the specification', () => {
        assertAccepted(
          {
            actor: { mbox: 'mailto:xapi@adlnet.gov' },
            verb: { id: 'http://adlnet.gov/expapi/verbs/created', display: { 'en-US': 'created' } },
            object: { id: 'http://example.adlnet.gov/xapi/example/activity' },
          },
          version,
        );
      });
      it('accepts a statement using result, context, attachments and every context activity type', () => {
        assertAccepted(aFullStatement(), version);
      });
      it('accepts a statement whose numbers are LosslessNumbers from the lossless parser', () => {
        const parsed = parseJsonLossless(
          JSON.stringify(aFullStatement()).replace('"raw":95', '"raw":95.000000000000000000001'),
        );
        assert.ok(parsed.ok);
        assertAccepted(parsed.value, version);
      });
      it('rejects a statement that is not a JSON object', () => {
        assertRejectedAt([aStatement()], version, 'statement', 'JSON object');
        assertRejectedAt('statement', version, 'statement', 'JSON object');
      });
      it('rejects a statement without actor, verb or object', () => {
        for (const key of ['actor', 'verb', 'object']) {
          const statement = aStatement();
          delete statement[key];
          assertRejectedAt(statement, version, `statement.${key}`, 'required');
        }
      });
      it('rejects a property the specification does not define', () => {
        assertRejectedAt(
          aStatement({ mood: 'happy' }),
          version,
          'statement.mood',
          'not a property xAPI allows',
        );
      });
      it('rejects a property name in the wrong case and names the right one', () => {
        const statement = aStatement();
        statement.Verb = statement.verb;
        delete statement.verb;
        assertRejectedAt(statement, version, 'statement.Verb', 'write "verb"');
      });
      it('rejects null values outside extensions', () => {
        assertRejectedAt(aStatement({ context: null }), version, 'statement.context', 'null');
        assertRejectedAt(aStatement({ actor: null }), version, 'statement.actor', 'null');
      });
      it('collects every error instead of stopping at the first', () => {
        const statement = aStatement({ timestamp: 'yesterday', id: 'not-a-uuid' });
        (statement.actor as Record<string, unknown>).mbox = 'ada@example.com';
        const paths = errorsOf(statement, version).map((e) => e.path);
        assert.deepEqual(paths.sort(), ['statement.actor.mbox', 'statement.id', 'statement.timestamp']);
      });
    });

    describe('actor (xAPI Data 2.4.2)', () => {
      it('rejects a statement whose actor has two identifiers', () => {
        assertRejectedAt(
          aStatement({ actor: { mbox: 'mailto:a@example.com', openid: 'http://openid.example.org/1' } }),
          version,
          'statement.actor',
          'exactly one',
        );
      });
      it('rejects an Agent with no identifier', () => {
        assertRejectedAt(
          aStatement({ actor: { objectType: 'Agent', name: 'Nobody' } }),
          version,
          'statement.actor',
          'no identifier',
        );
      });
      it('accepts each of the four identifiers', () => {
        for (const ifi of [
          { mbox: 'mailto:a@example.com' },
          { mbox_sha1sum: SHA1 },
          { openid: 'http://openid.example.org/12345' },
          { account: { homePage: 'http://www.example.com', name: '1625378' } },
        ]) {
          assertAccepted(aStatement({ actor: ifi }), version);
        }
      });
      it('rejects an mbox that is not a mailto IRI', () => {
        assertRejectedAt(
          aStatement({ actor: { mbox: 'http://should.fail.com' } }),
          version,
          'statement.actor.mbox',
          'mailto',
        );
        assertRejectedAt(
          aStatement({ actor: { mbox: 'mailto:should.fail.com' } }),
          version,
          'statement.actor.mbox',
        );
      });
      it('rejects an mbox_sha1sum that is not 40 hex digits', () => {
        assertRejectedAt(
          aStatement({ actor: { mbox_sha1sum: 'cd9b0' } }),
          version,
          'statement.actor.mbox_sha1sum',
          'SHA-1',
        );
        assertRejectedAt(
          aStatement({ actor: { mbox_sha1sum: 12345 } }),
          version,
          'statement.actor.mbox_sha1sum',
        );
      });
      it('rejects an openid that is not a URI', () => {
        assertRejectedAt(
          aStatement({ actor: { openid: 'ab=c://should.fail.com' } }),
          version,
          'statement.actor.openid',
          'IRI',
        );
      });
      it('rejects an account without homePage or name, or with a homePage that is not an IRL', () => {
        assertRejectedAt(
          aStatement({ actor: { account: { name: 'x' } } }),
          version,
          'statement.actor.account.homePage',
          'required',
        );
        assertRejectedAt(
          aStatement({ actor: { account: { homePage: 'http://example.com' } } }),
          version,
          'statement.actor.account.name',
          'required',
        );
        assertRejectedAt(
          aStatement({ actor: { account: { homePage: 'ab=c://x', name: 'x' } } }),
          version,
          'statement.actor.account.homePage',
        );
      });
      it('rejects an actor objectType other than Agent or Group, including wrong case', () => {
        assertRejectedAt(
          aStatement({ actor: { objectType: 'agent', mbox: 'mailto:a@example.com' } }),
          version,
          'statement.actor.objectType',
          'Agent or Group',
        );
      });
      it('rejects an Agent name that is not a string', () => {
        assertRejectedAt(
          aStatement({ actor: { mbox: 'mailto:a@example.com', name: 123 } }),
          version,
          'statement.actor.name',
          'string',
        );
      });
      it('rejects an anonymous Group without members', () => {
        assertRejectedAt(
          aStatement({ actor: { objectType: 'Group', name: 'ad hoc' } }),
          version,
          'statement.actor',
          'member',
        );
      });
      it('accepts an anonymous Group with members and an identified Group without members', () => {
        assertAccepted(
          aStatement({
            actor: {
              objectType: 'Group',
              member: [
                { mbox: 'mailto:a@example.com' },
                { account: { homePage: 'http://example.com', name: 'b' } },
              ],
            },
          }),
          version,
        );
        assertAccepted(
          aStatement({ actor: { objectType: 'Group', mbox: 'mailto:team@example.com' } }),
          version,
        );
      });
      it('rejects an identified Group with two identifiers', () => {
        assertRejectedAt(
          aStatement({
            actor: {
              objectType: 'Group',
              mbox: 'mailto:t@example.com',
              openid: 'http://openid.example.org/t',
            },
          }),
          version,
          'statement.actor',
          'exactly one',
        );
      });
      it('rejects a Group that has a Group among its members', () => {
        const inner = { objectType: 'Group', mbox: 'mailto:inner@example.com' };
        assertRejectedAt(
          aStatement({ actor: { objectType: 'Group', mbox: 'mailto:t@example.com', member: [inner] } }),
          version,
          'statement.actor.member[0].objectType',
          'cannot be a member',
        );
      });
    });

    describe('verb (xAPI Data 2.4.3)', () => {
      it('rejects a verb id that is not an IRI', () => {
        assertRejectedAt(
          aStatement({ verb: { id: 'ab=c://should.fail.com' } }),
          version,
          'statement.verb.id',
          'IRI',
        );
      });
      it('rejects a verb without id', () => {
        assertRejectedAt(
          aStatement({ verb: { display: { en: 'x' } } }),
          version,
          'statement.verb.id',
          'required',
        );
      });
      it('rejects a display that is not a language map', () => {
        assertRejectedAt(
          aStatement({ verb: { id: 'http://example.com/v', display: 'a12345 attended' } }),
          version,
          'statement.verb.display',
          'JSON object',
        );
      });
      it('rejects a display key that is not an RFC 5646 language tag', () => {
        assertRejectedAt(
          aStatement({ verb: { id: 'http://example.com/v', display: { something: 'x' } } }),
          version,
          'statement.verb.display.something',
          'RFC 5646',
        );
        assertRejectedAt(
          aStatement({ verb: { id: 'http://example.com/v', display: { 'zh-z-aaa-z-bbb-c-ccc': 'x' } } }),
          version,
          'statement.verb.display["zh-z-aaa-z-bbb-c-ccc"]',
        );
      });
      it('rejects a voiding statement whose object is not a StatementRef', () => {
        assertRejectedAt(
          aStatement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' } }),
          version,
          'statement.object',
          'StatementRef',
        );
      });
      it('accepts a voiding statement with a StatementRef object', () => {
        assertAccepted(
          aStatement({
            verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
            object: { objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' },
          }),
          version,
        );
      });
    });

    describe('object (xAPI Data 2.4.4)', () => {
      it('rejects an objectType that is not one of the five, in exact case', () => {
        assertRejectedAt(
          aStatement({ object: { objectType: 'activity', id: 'http://example.com/a' } }),
          version,
          'statement.object.objectType',
          'SubStatement or StatementRef',
        );
      });
      it('rejects an objectType naming an Object.prototype member without failing', () => {
        assertRejectedAt(
          aStatement({ object: { objectType: 'constructor' } }),
          version,
          'statement.object.objectType',
          '"constructor"',
        );
      });
      it('rejects an Agent used as the object without objectType, with one clear error', () => {
        const errors = errorsOf(aStatement({ object: { mbox: 'mailto:b@example.com' } }), version);
        assert.equal(errors.length, 1);
        assert.equal(errors[0]!.path, 'statement.object');
        assert.match(errors[0]!.message, /objectType/);
      });
      it('accepts an Agent or Group object with objectType', () => {
        assertAccepted(
          aStatement({ object: { objectType: 'Agent', mbox: 'mailto:b@example.com' } }),
          version,
        );
        assertAccepted(
          aStatement({ object: { objectType: 'Group', member: [{ mbox: 'mailto:b@example.com' }] } }),
          version,
        );
      });
      it('rejects an Activity id that is not an IRI, and an Activity without id', () => {
        assertRejectedAt(
          aStatement({ object: { id: 'should error' } }),
          version,
          'statement.object.id',
          'IRI',
        );
        assertRejectedAt(
          aStatement({ object: { objectType: 'Activity' } }),
          version,
          'statement.object.id',
          'required',
        );
      });
      it('rejects a definition type or moreInfo that is not an IRI', () => {
        assertRejectedAt(
          aStatement({ object: { id: 'http://example.com/a', definition: { type: 'meeting' } } }),
          version,
          'statement.object.definition.type',
        );
        assertRejectedAt(
          aStatement({ object: { id: 'http://example.com/a', definition: { moreInfo: 'ab=c://x' } } }),
          version,
          'statement.object.definition.moreInfo',
        );
      });
      it('rejects a StatementRef whose id is not a UUID', () => {
        assertRejectedAt(
          aStatement({ object: { objectType: 'StatementRef', id: 'should fail' } }),
          version,
          'statement.object.id',
          'UUID',
        );
      });
    });

    describe('interaction activities (xAPI Data 2.4.4.1)', () => {
      const components = { choices: [{ id: 'a', description: { en: 'A' } }, { id: 'b' }] };
      for (const type of ['true-false', 'fill-in', 'long-fill-in', 'numeric', 'other']) {
        it(`accepts interactionType ${type} with a correctResponsesPattern`, () => {
          assertAccepted(
            aStatement({ object: anInteraction(type, { correctResponsesPattern: ['true'] }) }),
            version,
          );
        });
      }
      const lists: Record<string, Record<string, unknown>> = {
        choice: components,
        sequencing: components,
        likert: { scale: [{ id: 'likert_0' }, { id: 'likert_1' }] },
        matching: { source: [{ id: 's1' }], target: [{ id: 't1' }] },
        performance: { steps: [{ id: 'pong' }, { id: 'dg' }] },
      };
      for (const [type, extra] of Object.entries(lists)) {
        it(`accepts interactionType ${type} with its component lists`, () => {
          assertAccepted(aStatement({ object: anInteraction(type, extra) }), version);
        });
      }
      it('rejects an interactionType in the wrong case', () => {
        assertRejectedAt(
          aStatement({ object: anInteraction('true-faLse') }),
          version,
          'statement.object.definition.interactionType',
          'lowercase',
        );
      });
      it('rejects a component list the interactionType does not support', () => {
        assertRejectedAt(
          aStatement({ object: anInteraction('likert', components) }),
          version,
          'statement.object.definition',
          'choices cannot be used with interactionType "likert"',
        );
      });
      it('rejects a correctResponsesPattern without interactionType', () => {
        assertRejectedAt(
          aStatement({
            object: { id: 'http://example.com/q', definition: { correctResponsesPattern: ['a'] } },
          }),
          version,
          'statement.object.definition',
          'interactionType',
        );
      });
      it('rejects two interaction components with the same id in one list', () => {
        assertRejectedAt(
          aStatement({ object: anInteraction('choice', { choices: [{ id: 'a' }, { id: 'a' }] }) }),
          version,
          'statement.object.definition.choices[1].id',
          'distinct',
        );
      });
      it('rejects an interaction component description with an invalid language tag', () => {
        assertRejectedAt(
          aStatement({
            object: anInteraction('choice', {
              choices: [{ id: 'a', description: { 'en-something-AU': 'x' } }],
            }),
          }),
          version,
          'statement.object.definition.choices[0].description["en-something-AU"]',
        );
      });
    });

    describe('SubStatement (xAPI Data 2.4.4.3)', () => {
      it('accepts the specification\'s "planned to visit" SubStatement', () => {
        assertAccepted(
          aStatement({
            verb: { id: 'http://example.com/planned', display: { 'en-US': 'planned' } },
            object: aSubStatement(),
          }),
          version,
        );
      });
      it('rejects a SubStatement that contains a SubStatement', () => {
        assertRejectedAt(
          aStatement({ object: aSubStatement({ object: aSubStatement() }) }),
          version,
          'statement.object.object',
          'cannot contain another SubStatement',
        );
      });
      for (const [key, value] of Object.entries({
        id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
        stored: '2015-11-18T12:17:00Z',
        version: '1.0.0',
        authority: { mbox: 'mailto:a@example.com' },
      })) {
        it(`rejects a SubStatement with "${key}"`, () => {
          assertRejectedAt(
            aStatement({ object: aSubStatement({ [key]: value }) }),
            version,
            `statement.object.${key}`,
            'SubStatement must not have',
          );
        });
      }
      it('validates the SubStatement as a statement (missing verb)', () => {
        const sub = aSubStatement();
        delete sub.verb;
        assertRejectedAt(aStatement({ object: sub }), version, 'statement.object.verb', 'required');
      });
      it('rejects an invalid timestamp inside a SubStatement', () => {
        assertRejectedAt(
          aStatement({ object: aSubStatement({ timestamp: '01/011/2015' }) }),
          version,
          'statement.object.timestamp',
        );
      });
    });

    describe('result (xAPI Data 2.4.5)', () => {
      const withScore = (score: Record<string, unknown>) => aStatement({ result: { score } });
      it('accepts scaled at -1 and 1', () => {
        assertAccepted(withScore({ scaled: -1 }), version);
        assertAccepted(withScore({ scaled: 1.0 }), version);
      });
      it('rejects scaled outside -1..1', () => {
        assertRejectedAt(withScore({ scaled: 1.01 }), version, 'statement.result.score.scaled', '-1 to 1');
        assertRejectedAt(withScore({ scaled: -1.00001 }), version, 'statement.result.score.scaled');
      });
      it('rejects raw above max or below min', () => {
        assertRejectedAt(
          withScore({ raw: 11, min: 0, max: 10 }),
          version,
          'statement.result.score',
          'above max',
        );
        assertRejectedAt(
          withScore({ raw: -1, min: 0, max: 10 }),
          version,
          'statement.result.score',
          'below min',
        );
      });
      it('rejects min greater than or equal to max', () => {
        assertRejectedAt(withScore({ min: 10, max: 5 }), version, 'statement.result.score', 'less than max');
        assertRejectedAt(withScore({ min: 5, max: 5 }), version, 'statement.result.score', 'less than max');
      });
      it('rejects strings where numbers or booleans are required', () => {
        assertRejectedAt(withScore({ raw: '95' }), version, 'statement.result.score.raw', 'number');
        assertRejectedAt(
          aStatement({ result: { success: 'true' } }),
          version,
          'statement.result.success',
          'true or false',
        );
        assertRejectedAt(
          aStatement({ result: { score: 'high' } }),
          version,
          'statement.result.score',
          'JSON object',
        );
      });
      it('accepts ISO 8601 durations from the specification', () => {
        for (const duration of ['PT4H35M59.14S', 'P3Y1M29DT4H35M59.14S', 'P3Y', 'P4W', 'PT1H0M0.1S']) {
          assertAccepted(aStatement({ result: { duration } }), version);
        }
      });
      it('rejects durations that are not ISO 8601 section 4.4.3.2', () => {
        for (const duration of ['P4W1D', 'PA1H0M0S', 'should fail', 'P0003-06-04T12:30:05', 'PT']) {
          assertRejectedAt(
            aStatement({ result: { duration } }),
            version,
            'statement.result.duration',
            'ISO 8601 duration',
          );
        }
      });
      it('rejects an extension key that is not an IRI', () => {
        assertRejectedAt(
          aStatement({ result: { extensions: { 'should fail': true } } }),
          version,
          'statement.result.extensions',
        );
      });
      it('accepts extension values of any JSON type, null included', () => {
        assertAccepted(
          aStatement({
            result: {
              extensions: {
                'http://example.com/a': null,
                'http://example.com/b': {},
                'http://example.com/c': [1, 'x'],
                'http://example.com/d': '',
              },
            },
          }),
          version,
        );
      });
    });

    describe('context (xAPI Data 2.4.6)', () => {
      it('rejects revision or platform when the object is not an Activity', () => {
        const agentObject = { objectType: 'Agent', mbox: 'mailto:b@example.com' };
        assertRejectedAt(
          aStatement({ object: agentObject, context: { revision: 'r1' } }),
          version,
          'statement.context',
          'revision',
        );
        assertRejectedAt(
          aStatement({
            object: { objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' },
            context: { platform: 'p' },
          }),
          version,
          'statement.context',
          'platform',
        );
      });
      it('accepts revision and platform when the object is an Activity without objectType', () => {
        assertAccepted(
          aStatement({ object: { id: 'http://example.com/a' }, context: { revision: 'r1', platform: 'p' } }),
          version,
        );
      });
      it('rejects a registration that is not a UUID', () => {
        assertRejectedAt(
          aStatement({ context: { registration: 'should fail' } }),
          version,
          'statement.context.registration',
          'UUID',
        );
      });
      it('rejects a team that is an Agent', () => {
        assertRejectedAt(
          aStatement({ context: { team: { objectType: 'Agent', mbox: 'mailto:a@example.com' } } }),
          version,
          'statement.context.team.objectType',
          'Group',
        );
      });
      it('accepts a single Activity as a contextActivities value', () => {
        assertAccepted(
          aStatement({ context: { contextActivities: { parent: { id: 'http://example.com/p' } } } }),
          version,
        );
      });
      it('rejects a contextActivities key other than parent, grouping, category, other', () => {
        assertRejectedAt(
          aStatement({ context: { contextActivities: { sibling: [{ id: 'http://example.com/p' }] } } }),
          version,
          'statement.context.contextActivities.sibling',
          'parent, grouping',
        );
      });
      it('rejects a contextActivities array holding something that is not an Activity', () => {
        assertRejectedAt(
          aStatement({
            context: { contextActivities: { other: [{ id: 'http://example.com/p' }, { key: 'x' }] } },
          }),
          version,
          'statement.context.contextActivities.other[1].id',
        );
      });
      it('rejects a context.language that is not a language tag', () => {
        assertRejectedAt(
          aStatement({ context: { language: 'something' } }),
          version,
          'statement.context.language',
          'RFC 5646',
        );
      });
      it('rejects a context.statement that is not a StatementRef', () => {
        assertRejectedAt(
          aStatement({
            context: {
              statement: { objectType: 'statementref', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' },
            },
          }),
          version,
          'statement.context.statement.objectType',
        );
        assertRejectedAt(
          aStatement({ context: { statement: { objectType: 'StatementRef', id: 'x' } } }),
          version,
          'statement.context.statement.id',
          'UUID',
        );
      });
    });

    describe('timestamp and stored (xAPI Data 2.4.7, 2.4.8, 4.5)', () => {
      it('rejects negative zero offsets', () => {
        for (const timestamp of [
          '2008-09-15T15:53:00.601-00',
          '2008-09-15T15:53:00.601-0000',
          '2008-09-15T15:53:00.601-00:00',
        ]) {
          assertRejectedAt(aStatement({ timestamp }), version, 'statement.timestamp', 'offset unknown');
        }
      });
      it('accepts RFC 3339 timestamps, basic format and a future time', () => {
        for (const timestamp of [
          '2008-09-15T15:53:00.601+00:00',
          '2013-05-18T05:32:34.804Z',
          '20130518T053234Z',
          '2099-01-01T00:00:00Z',
        ]) {
          assertAccepted(aStatement({ timestamp }), version);
        }
      });
      it('rejects a date without a time, and strings that are not dates', () => {
        for (const timestamp of ['2013-05-18', '01/011/2015', 'should fail', '2013-02-30T00:00:00Z']) {
          assertRejectedAt(aStatement({ timestamp }), version, 'statement.timestamp');
        }
      });
      it('rejects an invalid stored value', () => {
        assertRejectedAt(aStatement({ stored: 'now' }), version, 'statement.stored');
      });
    });

    describe('id (xAPI Data 2.4.1, 4.4)', () => {
      it("accepts the specification's example id, which is not an RFC 4122 variant", () => {
        assertAccepted(aStatement({ id: '12345678-1234-5678-1234-567812345678' }), version);
      });
      it('rejects ids that are not UUIDs in standard string form', () => {
        for (const id of [
          'AA97B177-9383-4934-8543-0F91A7A028368',
          'MA97B177-9383-4934-8543-0F91A7A02836',
          '{12345678-1234-5678-8234-567812345678}',
          12345,
        ]) {
          assertRejectedAt(aStatement({ id }), version, 'statement.id', 'UUID');
        }
      });
    });

    describe('authority (xAPI Data 2.4.9)', () => {
      const oauthPair = [
        { account: { homePage: 'http://example.com/xAPI/OAuth/Token', name: 'oauth_consumer_x75db' } },
        { mbox: 'mailto:bob@example.com' },
      ];
      it('accepts an Agent authority and a two-Agent Group authority', () => {
        assertAccepted(
          aStatement({ authority: { objectType: 'Agent', mbox: 'mailto:lrs@example.com' } }),
          version,
        );
        assertAccepted(aStatement({ authority: { objectType: 'Group', member: oauthPair } }), version);
      });
      it('rejects a Group authority with one or three members', () => {
        assertRejectedAt(
          aStatement({ authority: { objectType: 'Group', member: oauthPair.slice(0, 1) } }),
          version,
          'statement.authority',
          'exactly two',
        );
        assertRejectedAt(
          aStatement({
            authority: { objectType: 'Group', member: [...oauthPair, { mbox: 'mailto:c@example.com' }] },
          }),
          version,
          'statement.authority',
          'exactly two',
        );
      });
      it('rejects an identified Group authority', () => {
        assertRejectedAt(
          aStatement({ authority: { objectType: 'Group', mbox: 'mailto:g@example.com', member: oauthPair } }),
          version,
          'statement.authority.mbox',
        );
      });
    });

    describe('attachments (xAPI Data 2.4.11)', () => {
      const attachment = (aFullStatement().attachments as Record<string, unknown>[])[0]!;
      const withAttachment = (overrides: Record<string, unknown>) =>
        aStatement({ attachments: [{ ...attachment, ...overrides }] });
      it('rejects attachments that are not an array', () => {
        assertRejectedAt(aStatement({ attachments: attachment }), version, 'statement.attachments', 'array');
      });
      it('rejects a usageType or fileUrl that is not an IRI', () => {
        assertRejectedAt(
          withAttachment({ usageType: 'should fail' }),
          version,
          'statement.attachments[0].usageType',
        );
        assertRejectedAt(
          withAttachment({ fileUrl: 'should fail' }),
          version,
          'statement.attachments[0].fileUrl',
        );
      });
      it('rejects a contentType that is not a media type', () => {
        assertRejectedAt(
          withAttachment({ contentType: 12345 }),
          version,
          'statement.attachments[0].contentType',
        );
      });
      it('rejects a length that is not a non-negative whole number', () => {
        assertRejectedAt(
          withAttachment({ length: 'should fail' }),
          version,
          'statement.attachments[0].length',
        );
        assertRejectedAt(
          withAttachment({ length: 2.5 }),
          version,
          'statement.attachments[0].length',
          'whole number',
        );
        assertRejectedAt(
          withAttachment({ length: -1 }),
          version,
          'statement.attachments[0].length',
          'negative',
        );
      });
      it('rejects a sha2 that is missing, not a string, or not a hex SHA-2 digest', () => {
        const missing = { ...attachment };
        delete missing.sha2;
        assertRejectedAt(
          aStatement({ attachments: [missing] }),
          version,
          'statement.attachments[0].sha2',
          'required',
        );
        assertRejectedAt(withAttachment({ sha2: 12345 }), version, 'statement.attachments[0].sha2');
        assertRejectedAt(withAttachment({ sha2: 'abc' }), version, 'statement.attachments[0].sha2', 'SHA-2');
      });
      it('rejects a display that is not a language map', () => {
        assertRejectedAt(
          withAttachment({ display: 'should error' }),
          version,
          'statement.attachments[0].display',
        );
      });
      it('rejects a signature attachment whose contentType is not application/octet-stream', () => {
        assertRejectedAt(
          withAttachment({ usageType: 'http://adlnet.gov/expapi/attachments/signature' }),
          version,
          'statement.attachments[0].contentType',
          'application/octet-stream',
        );
      });
    });
  });
}

describe('validateStatement: differences between 1.0.3 and 2.0', () => {
  it('accepts a timestamp without a time zone in 1.0.3 and rejects it in 2.0', () => {
    assertAccepted(aStatement({ timestamp: '2013-05-18T05:32:34.804' }), '1.0.3');
    assertRejectedAt(
      aStatement({ timestamp: '2013-05-18T05:32:34.804' }),
      '2.0.0',
      'statement.timestamp',
      'time zone',
    );
  });
  it('accepts version 1.0 and 1.0.x in both, and 2.0.x only in 2.0', () => {
    for (const version of ['1.0', '1.0.0', '1.0.9']) {
      assertAccepted(aStatement({ version }), '1.0.3');
      assertAccepted(aStatement({ version }), '2.0.0');
    }
    assertAccepted(aStatement({ version: '2.0.0' }), '2.0.0');
    assertRejectedAt(aStatement({ version: '2.0.0' }), '1.0.3', 'statement.version', '1.0');
  });
  it('rejects versions that start with neither 1.0 nor 2.0', () => {
    for (const version of ['1.1.0', '0.9.9', '3.0.0', 'should fail']) {
      assertRejectedAt(aStatement({ version }), '1.0.3', 'statement.version');
      assertRejectedAt(aStatement({ version }), '2.0.0', 'statement.version');
    }
  });
  it('rejects contextAgents and contextGroups in a 1.0.3 request', () => {
    assertRejectedAt(
      aStatement({ context: { contextAgents: [] } }),
      '1.0.3',
      'statement.context.contextAgents',
      'xAPI 2.0',
    );
    assertRejectedAt(
      aStatement({ context: { contextGroups: [] } }),
      '1.0.3',
      'statement.context.contextGroups',
      'xAPI 2.0',
    );
  });
});

describe('validateStatement: contextAgents and contextGroups (xAPI 2.0)', () => {
  const contextAgent = {
    objectType: 'contextAgent',
    agent: { objectType: 'Agent', mbox: 'mailto:player-1@example.com' },
    relevantTypes: ['https://example.com/xapi/activity-types/player'],
  };
  const contextGroup = {
    objectType: 'contextGroup',
    group: {
      objectType: 'Group',
      mbox: 'mailto:team-1@example.com',
      member: [{ mbox: 'mailto:player-1@example.com' }],
    },
    relevantTypes: ['https://example.com/xapi/activity-types/team'],
  };
  it('accepts valid contextAgents and contextGroups, in a statement and in a SubStatement', () => {
    assertAccepted(
      aStatement({ context: { contextAgents: [contextAgent], contextGroups: [contextGroup] } }),
      '2.0.0',
    );
    assertAccepted(
      aStatement({ object: aSubStatement({ context: { contextAgents: [contextAgent] } }) }),
      '2.0.0',
    );
  });
  it('accepts a contextAgent without relevantTypes', () => {
    assertAccepted(
      aStatement({ context: { contextAgents: [{ objectType: 'contextAgent', agent: contextAgent.agent }] } }),
      '2.0.0',
    );
  });
  it('rejects an objectType other than contextAgent or contextGroup', () => {
    assertRejectedAt(
      aStatement({ context: { contextAgents: [{ ...contextAgent, objectType: 'Should fail' }] } }),
      '2.0.0',
      'statement.context.contextAgents[0].objectType',
      '"contextAgent"',
    );
    assertRejectedAt(
      aStatement({ context: { contextGroups: [{ ...contextGroup, objectType: 'contextAgent' }] } }),
      '2.0.0',
      'statement.context.contextGroups[0].objectType',
      '"contextGroup"',
    );
  });
  it('rejects an invalid agent', () => {
    assertRejectedAt(
      aStatement({
        context: { contextAgents: [{ objectType: 'contextAgent', agent: { key: 'Should fail' } }] },
      }),
      '2.0.0',
      'statement.context.contextAgents[0].agent.key',
    );
    assertRejectedAt(
      aStatement({ object: aSubStatement({ context: { contextAgents: [{ objectType: 'contextAgent' }] } }) }),
      '2.0.0',
      'statement.object.context.contextAgents[0].agent',
      'required',
    );
  });
  it('rejects empty relevantTypes and relevantTypes that are not IRIs', () => {
    assertRejectedAt(
      aStatement({ context: { contextAgents: [{ ...contextAgent, relevantTypes: [] }] } }),
      '2.0.0',
      'statement.context.contextAgents[0].relevantTypes',
      'non-empty',
    );
    assertRejectedAt(
      aStatement({ context: { contextAgents: [{ ...contextAgent, relevantTypes: ['abc'] }] } }),
      '2.0.0',
      'statement.context.contextAgents[0].relevantTypes[0]',
      'IRI',
    );
  });
  it('rejects a contextGroup whose group has a Group member', () => {
    const group = { ...contextGroup.group, member: [{ objectType: 'Group', mbox: 'mailto:x@example.com' }] };
    assertRejectedAt(
      aStatement({ context: { contextGroups: [{ ...contextGroup, group }] } }),
      '2.0.0',
      'statement.context.contextGroups[0].group.member[0].objectType',
    );
  });
  it('rejects contextAgents that is not an array, and unknown properties in an entry', () => {
    assertRejectedAt(
      aStatement({ context: { contextAgents: contextAgent } }),
      '2.0.0',
      'statement.context.contextAgents',
      'array',
    );
    assertRejectedAt(
      aStatement({ context: { contextAgents: [{ ...contextAgent, role: 'x' }] } }),
      '2.0.0',
      'statement.context.contextAgents[0].role',
    );
  });
});

describe('validateStatementBatch', () => {
  it('names each error with the statement index', () => {
    const result = validateStatementBatch([aStatement(), aStatement({ timestamp: 'x' })], {
      version: '2.0.0',
    });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((e) => e.path),
      ['statements[1].timestamp'],
    );
  });
  it('rejects a batch with two statements sharing an id, whatever the case', () => {
    const id = 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0';
    const result = validateStatementBatch([aStatement({ id }), aStatement({ id: id.toUpperCase() })], {
      version: '1.0.3',
    });
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'statements[1].id');
    assert.match(result.errors[0]!.message, /statements\[0\]/);
  });
  it('validates a single statement body as a statement', () => {
    assert.deepEqual(validateStatementBatch(aStatement(), { version: '2.0.0' }), { ok: true });
  });
  it('passes the root option through to every path', () => {
    const result = validateStatement(aStatement({ id: 'x' }), { version: '2.0.0', root: ['statements', 3] });
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'statements[3].id');
  });
});
