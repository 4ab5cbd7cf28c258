import assert from 'node:assert/strict';
import { aFullStatement, aStatement, aSubStatement } from '../../../fixtures/xapi/statements.js';
import { formatStatement } from '../../../../src/xapi/rules/format.js';
import { chooseLanguage, parseAcceptLanguage } from '../../../../src/xapi/rules/language-preference.js';
import type { JsonObject } from '../../../../src/xapi/rules/types.js';

const multilingual = () =>
  aStatement({
    verb: {
      id: 'http://adlnet.gov/expapi/verbs/attended',
      display: { 'en-GB': 'attended', 'en-US': 'attended', 'ja-JP': '出席した' },
    },
    object: {
      objectType: 'Activity',
      id: 'http://www.example.com/unicode',
      definition: {
        name: { en: 'Other', 'en-GB': 'attended (GB)', 'en-US': 'attended (US)', 'ko-KR': '참석' },
        description: {
          'en-US': 'On this map, please mark Franklin, TN',
          'en-GB': 'On this map, please mark Franklin, TN (GB)',
        },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: 'choice',
        choices: [{ id: 'a', description: { 'en-US': 'A', fr: 'A (fr)' } }],
        extensions: { 'http://example.com/x': { 'en-US': 'extension maps are left alone', de: 'x' } },
      },
    },
  });

describe('formatStatement', () => {
  it('returns an equal copy for format=exact', () => {
    const statement = aFullStatement();
    const exact = formatStatement(statement, { format: 'exact' });
    assert.deepEqual(exact, statement);
    assert.notEqual(exact, statement);
  });

  describe('ids', () => {
    it('reduces Agents to objectType and identifier, Activities and Verbs to their id', () => {
      const result = formatStatement(aFullStatement(), { format: 'ids' }) as JsonObject;
      assert.deepEqual(result.actor, { objectType: 'Agent', mbox: 'mailto:ada@example.com' });
      assert.deepEqual(result.verb, { id: 'http://adlnet.gov/expapi/verbs/attended' });
      assert.deepEqual(result.object, { id: 'http://www.example.com/meetings/occurances/34534' });
      const context = result.context as JsonObject;
      assert.deepEqual(context.instructor, { objectType: 'Agent', mbox: 'mailto:grace@example.com' });
      assert.deepEqual(context.team, { objectType: 'Group', mbox: 'mailto:teampb@example.com' });
      assert.deepEqual((context.contextActivities as JsonObject).category, [
        { id: 'http://www.example.com/meetings/categories/teammeeting' },
      ]);
      assert.equal(context.registration, 'ec531277-b57b-4c15-8d91-d292c5b2b8f7');
      assert.deepEqual(result.result, aFullStatement().result);
    });
    it('keeps the reduced members of an anonymous Group and drops the members of an identified one', () => {
      const anonymous = formatStatement(
        aStatement({
          actor: {
            objectType: 'Group',
            name: 'ad hoc',
            member: [
              { name: 'A', mbox: 'mailto:a@example.com' },
              { objectType: 'Agent', openid: 'http://openid.example.org/b' },
            ],
          },
        }),
        { format: 'ids' },
      ) as JsonObject;
      assert.deepEqual(anonymous.actor, {
        objectType: 'Group',
        member: [
          { objectType: 'Agent', mbox: 'mailto:a@example.com' },
          { objectType: 'Agent', openid: 'http://openid.example.org/b' },
        ],
      });
      const identified = formatStatement(
        aStatement({
          actor: {
            objectType: 'Group',
            name: 'T',
            mbox: 'mailto:t@example.com',
            member: [{ mbox: 'mailto:a@example.com' }],
          },
        }),
        { format: 'ids' },
      ) as JsonObject;
      assert.deepEqual(identified.actor, { objectType: 'Group', mbox: 'mailto:t@example.com' });
    });
    it('reduces inside a SubStatement and reduces the authority', () => {
      const result = formatStatement(
        aStatement({
          object: aSubStatement(),
          authority: { objectType: 'Agent', name: 'LRS', mbox: 'mailto:lrs@example.com' },
        }),
        { format: 'ids' },
      ) as JsonObject;
      const sub = result.object as JsonObject;
      assert.equal(sub.objectType, 'SubStatement');
      assert.deepEqual(sub.verb, { id: 'http://example.com/visited' });
      assert.deepEqual(sub.object, { id: 'http://example.com/website' });
      assert.deepEqual(result.authority, { objectType: 'Agent', mbox: 'mailto:lrs@example.com' });
    });
  });

  describe('canonical', () => {
    it('keeps one language per map, chosen by Accept-Language', () => {
      const result = formatStatement(multilingual(), {
        format: 'canonical',
        acceptLanguage: 'en-GB',
      }) as JsonObject;
      assert.deepEqual((result.verb as JsonObject).display, { 'en-GB': 'attended' });
      const definition = (result.object as JsonObject).definition as JsonObject;
      assert.deepEqual(definition.name, { 'en-GB': 'attended (GB)' });
      assert.deepEqual(definition.description, { 'en-GB': 'On this map, please mark Franklin, TN (GB)' });
      assert.deepEqual((definition.choices as JsonObject[])[0]!.description, { 'en-US': 'A' });
      assert.deepEqual(definition.extensions, {
        'http://example.com/x': { 'en-US': 'extension maps are left alone', de: 'x' },
      });
    });
    it('returns Agents and Groups exactly as stored', () => {
      const statement = aFullStatement();
      const result = formatStatement(statement, { format: 'canonical', acceptLanguage: 'de' }) as JsonObject;
      assert.deepEqual(result.actor, statement.actor);
      assert.deepEqual((result.context as JsonObject).team, (statement.context as JsonObject).team);
    });
    it('uses the LRS canonical definition and verb display when the caller has them', () => {
      const result = formatStatement(multilingual(), {
        format: 'canonical',
        acceptLanguage: 'fr',
        canonicalDefinition: (id) =>
          id === 'http://www.example.com/unicode'
            ? { name: { en: 'Canonical', fr: 'Canonique' } }
            : undefined,
        canonicalVerbDisplay: () => ({ 'fr-FR': 'a assisté', en: 'attended' }),
      }) as JsonObject;
      assert.deepEqual((result.object as JsonObject).definition, { name: { fr: 'Canonique' } });
      assert.deepEqual((result.verb as JsonObject).display, { 'fr-FR': 'a assisté' });
    });
    it('does not change the input statement', () => {
      const statement = multilingual();
      const before = structuredClone(statement);
      formatStatement(statement, { format: 'canonical', acceptLanguage: 'ja' });
      formatStatement(statement, { format: 'ids' });
      assert.deepEqual(statement, before);
    });
  });
});

describe('Accept-Language', () => {
  it('orders ranges by quality, then by position', () => {
    assert.deepEqual(
      parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.9, *;q=0.5').map((r) => r.range),
      ['fr-ch', 'fr', 'de', 'en', '*'],
    );
  });
  it('prefers an exact tag, then a tag the range is a prefix of', () => {
    assert.equal(chooseLanguage(['en-US', 'en-GB', 'en'], parseAcceptLanguage('en-GB')), 'en-GB');
    assert.equal(chooseLanguage(['de-DE', 'en-US'], parseAcceptLanguage('en')), 'en-US');
  });
  it('follows quality values across ranges', () => {
    assert.equal(chooseLanguage(['en-US', 'fr'], parseAcceptLanguage('en;q=0.2, fr;q=0.9')), 'fr');
  });
  it('falls back from en-GB to en when no en-GB entry exists', () => {
    assert.equal(chooseLanguage(['de', 'en'], parseAcceptLanguage('en-GB')), 'en');
  });
  it('falls back to en-US, then the first entry, when nothing matches', () => {
    assert.equal(chooseLanguage(['de', 'en-US'], parseAcceptLanguage('ja')), 'en-US');
    assert.equal(chooseLanguage(['de', 'fr'], parseAcceptLanguage('ja')), 'de');
    assert.equal(chooseLanguage(['de', 'fr'], []), 'de');
  });
  it('treats * as any language and never picks a language refused with q=0', () => {
    assert.equal(chooseLanguage(['de', 'fr'], parseAcceptLanguage('ja, *;q=0.1')), 'de');
    assert.equal(chooseLanguage(['en-US', 'fr'], parseAcceptLanguage('en;q=0, *')), 'fr');
  });
});
