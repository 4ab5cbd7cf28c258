import assert from 'node:assert/strict';
import { readZip } from '../../../../src/learning/cmi5/zip-reader.js';
import { DEFAULT_PACKAGE_LIMITS } from '../../../../src/learning/cmi5/package-limits.js';
import { parseCourseStructure } from '../../../../src/learning/cmi5/course-structure.js';
import { buildZip, sampleCourseXml } from '../../../fixtures/cmi5-packages.js';

describe('reading cmi5 packages (pure)', () => {
  it('reads stored and deflated files back byte for byte, skipping directories', () => {
    const zip = buildZip([
      { path: 'a/', data: '' },
      { path: 'a/one.txt', data: 'one', method: 'store' },
      { path: 'a/two.txt', data: 'two two two two' },
    ]);
    const files = readZip(zip, DEFAULT_PACKAGE_LIMITS);
    assert.deepEqual(
      files.map((f) => [f.path, f.data.toString()]),
      [
        ['a/one.txt', 'one'],
        ['a/two.txt', 'two two two two'],
      ],
    );
  });

  it('refuses more files, or more bytes, than the limits allow', () => {
    const zip = buildZip([
      { path: 'a.txt', data: 'aaaa' },
      { path: 'b.txt', data: 'bbbb' },
    ]);
    assert.throws(
      () => readZip(zip, { ...DEFAULT_PACKAGE_LIMITS, maxFiles: 1 }),
      /holds 2 files; .* limited to 1/,
    );
    const big = buildZip([
      { path: 'a.txt', data: 'a'.repeat(1000) },
      { path: 'b.txt', data: 'b'.repeat(1000) },
    ]);
    assert.ok(big.length < 1500);
    assert.throws(
      () => readZip(big, { ...DEFAULT_PACKAGE_LIMITS, maxTotalBytes: 1500 }),
      /add up to more than/,
    );
  });

  it('takes defaults for moveOn and launchMethod, and the en-US langstring', () => {
    const xml = sampleCourseXml({
      replace: [
        ['moveOn="Completed" launchMethod="AnyWindow"', ''],
        [
          '<title><langstring lang="en-US">Introduction</langstring></title>',
          '<title><langstring lang="de-DE">Einführung</langstring><langstring lang="en-US">Introduction</langstring></title>',
        ],
      ],
    });
    const au = parseCourseStructure(xml).items[0]!;
    assert.equal(au.kind, 'block');
    const first = au.kind === 'block' ? au.items[0]! : au;
    assert.deepEqual([first.title, (first as { moveOn?: string }).moveOn], ['Introduction', 'NotApplicable']);
    assert.equal((first as { launchMethod?: string }).launchMethod, 'AnyWindow');
  });

  it('ignores extension elements of other namespaces but names unknown cmi5 elements with their line', () => {
    const withExtension = sampleCourseXml({
      replace: [
        [
          '<url>intro/index.html</url>',
          '<url>intro/index.html</url><x:hint xmlns:x="urn:vendor">ok</x:hint>',
        ],
      ],
    });
    assert.equal(parseCourseStructure(withExtension).courseId, 'https://example.com/courses/forklift-safety');
    const typo = sampleCourseXml({
      replace: [['<url>intro/index.html</url>', '<url>intro/index.html</url><urll/>']],
    });
    assert.throws(() => parseCourseStructure(typo), /<urll> on line 13 is not allowed inside <au>/);
  });

  it('refuses a DOCTYPE (no entity expansion) and a SCORM manifest by name', () => {
    assert.throws(
      () => parseCourseStructure('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<courseStructure/>'),
      /DOCTYPE declaration .* on line 2/,
    );
    assert.throws(
      () => parseCourseStructure('<manifest identifier="scorm"/>'),
      /starts with <manifest> on line 1/,
    );
  });
});
