import assert from 'node:assert/strict';
import { isIsoDuration } from '../../../../src/xapi/rules/data-types/duration.js';
import { isWellFormedLanguageTag } from '../../../../src/xapi/rules/data-types/language-tag.js';
import { mboxSha1sum, normalizeMbox } from '../../../../src/xapi/rules/data-types/mbox.js';
import { parseTimestamp } from '../../../../src/xapi/rules/data-types/timestamp.js';
import { canonicalNumber, LosslessNumber } from '../../../../src/xapi/rules/json.js';
import { formatPath } from '../../../../src/xapi/rules/json-path.js';

describe('isWellFormedLanguageTag (RFC 5646)', () => {
  it('accepts language, extlang, script, region, variant, extension and private-use tags', () => {
    for (const tag of [
      'de',
      'en-US',
      'zh-Hant',
      'sr-Latn-RS',
      'cmn',
      'ase',
      'es-419',
      'zh-Hans-CN',
      'de-CH-1996',
      'sl-rozaj-biske',
      'en-a-bbb-x-a-ccc',
      'x-whatever',
      'i-klingon',
      'zh-yue-HK',
      'EN-us',
    ]) {
      assert.ok(isWellFormedLanguageTag(tag), tag);
    }
  });
  it('rejects subtags longer than 8 characters, empty subtags and non-strings', () => {
    for (const tag of [
      'something',
      'zh-something-ccc',
      'en-something-AU',
      's-something',
      'a12345',
      'en--US',
      '',
      'en-',
      12,
    ]) {
      assert.ok(!isWellFormedLanguageTag(tag), String(tag));
    }
  });
  it('rejects a repeated extension singleton or a repeated variant', () => {
    assert.ok(!isWellFormedLanguageTag('zh-z-aaa-z-bbb-c-ccc'));
    assert.ok(!isWellFormedLanguageTag('de-1996-1996'));
  });
  it('rejects an extension singleton with no subtag after it', () => {
    assert.ok(!isWellFormedLanguageTag('en-a'));
    assert.ok(!isWellFormedLanguageTag('en-x'));
  });
});

describe('parseTimestamp (xAPI Data 4.5)', () => {
  it('gives equal instants for the same time written in different zones and formats', () => {
    const a = parseTimestamp('2015-11-18T12:17:00+01:00', '2.0.0');
    const b = parseTimestamp('2015-11-18T11:17:00Z', '2.0.0');
    const c = parseTimestamp('20151118T111700.000Z', '2.0.0');
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.instant, '2015-11-18T11:17:00.000Z');
    assert.equal(b.instant, a.instant);
    assert.equal(c.instant, a.instant);
  });
  it('keeps digits beyond milliseconds and drops trailing zeros', () => {
    const parsed = parseTimestamp('2015-11-18T11:17:00.123456700Z', '2.0.0');
    assert.ok(parsed.ok);
    assert.equal(parsed.instant, '2015-11-18T11:17:00.1234567Z');
    assert.equal(parsed.epochMs, Date.UTC(2015, 10, 18, 11, 17, 0, 123));
  });
  it('crosses the date line when the offset requires it', () => {
    const parsed = parseTimestamp('2016-01-01T01:30:00+02:00', '1.0.3');
    assert.ok(parsed.ok);
    assert.equal(parsed.instant, '2015-12-31T23:30:00.000Z');
  });
  it('reads a timestamp without zone as UTC in 1.0.3', () => {
    const parsed = parseTimestamp('2015-11-18T11:17', '1.0.3');
    assert.ok(parsed.ok);
    assert.equal(parsed.hasZone, false);
    assert.equal(parsed.instant, '2015-11-18T11:17:00.000Z');
  });
  it('rejects impossible dates and times', () => {
    for (const text of [
      '2015-02-29T00:00:00Z',
      '2015-13-01T00:00:00Z',
      '2015-01-01T24:00:00Z',
      '2015-01-01T10:60:00Z',
      '2015-01-01T10:00:00+25:00',
    ]) {
      assert.ok(!parseTimestamp(text, '2.0.0').ok, text);
    }
    assert.ok(parseTimestamp('2016-02-29T00:00:00Z', '2.0.0').ok);
  });
});

describe('isIsoDuration (xAPI Data 4.6)', () => {
  it('allows a fraction only on the last component', () => {
    assert.ok(isIsoDuration('PT1.5H'));
    assert.ok(!isIsoDuration('PT1.5H30M'));
  });
  it('rejects negative durations and the alternative format', () => {
    assert.ok(!isIsoDuration('-P1D'));
    assert.ok(!isIsoDuration('P0003-06-04T12:30:05'));
    assert.ok(!isIsoDuration('P'));
  });
});

describe('mbox helpers', () => {
  it('lowercases the domain and the scheme but keeps the local part', () => {
    assert.equal(normalizeMbox('MAILTO:Jo.Smith@Example.COM'), 'mailto:Jo.Smith@example.com');
  });
  it('computes mbox_sha1sum over the canonical mbox', () => {
    assert.equal(mboxSha1sum('mailto:test@example.com'), mboxSha1sum('mailto:test@EXAMPLE.com'));
    assert.match(mboxSha1sum('mailto:test@example.com'), /^[0-9a-f]{40}$/);
  });
});

describe('canonicalNumber', () => {
  it('gives one form for every spelling of a number', () => {
    const forms = ['1', '1.0', '10e-1', '0.1E1', '1.000'].map((n) => canonicalNumber(new LosslessNumber(n)));
    assert.deepEqual(new Set(forms), new Set(['1e0']));
    assert.equal(canonicalNumber(new LosslessNumber('-0')), '0');
    assert.equal(canonicalNumber(0.5), canonicalNumber(new LosslessNumber('5e-1')));
  });
  it('distinguishes numbers that differ beyond double precision', () => {
    assert.notEqual(
      canonicalNumber(new LosslessNumber('12345678901234567890123')),
      canonicalNumber(new LosslessNumber('12345678901234567890124')),
    );
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets and quotes names that are not identifiers', () => {
    assert.equal(
      formatPath(['statement', 'context', 'contextActivities', 'parent', 0, 'id']),
      'statement.context.contextActivities.parent[0].id',
    );
    assert.equal(formatPath(['statement', 'verb', 'display', 'en-US']), 'statement.verb.display["en-US"]');
    assert.equal(formatPath(['statements', '2', 'id']), 'statements[2].id');
  });
});
