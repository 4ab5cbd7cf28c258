import assert from 'node:assert/strict';
import request from 'supertest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createAdminApp } from '../../fixtures/outcomes/admin-app.js';
import {
  COURSE_ID,
  SAMPLE_AUS,
  buildZip,
  samplePackage,
  samplePackageEntries,
} from '../../fixtures/cmi5-packages.js';
import { AppError } from '../../../src/errors.js';
import type { Cmi5Block } from '../../../src/learning/module-content.js';

/** Importing cmi5 packages through the service, and serving their files over HTTP (real PostgreSQL). */
describe('cmi5 content packages', function () {
  this.timeout(30000);
  const testDb = useTestDatabase();
  let app: ReturnType<typeof createAdminApp>['app'];
  let services: ReturnType<typeof createAdminApp>['services'];
  let tenantId: string;

  before(async () => {
    ({ app, services } = createAdminApp(testDb()));
    tenantId = (await services.tenants.create('Acme')).id;
  });

  const counts = async () => {
    const row = await sql<{ modules: number; versions: number; packages: number; files: number }>`
      SELECT (SELECT count(*)::int FROM module) AS modules,
             (SELECT count(*)::int FROM module_version) AS versions,
             (SELECT count(*)::int FROM content_package) AS packages,
             (SELECT count(*)::int FROM content_package_file) AS files`.execute(testDb().db);
    return row.rows[0]!;
  };

  it('makes a published module whose content is the course: blocks around AUs, in order', async () => {
    const result = await services.contentPackages.importPackage(tenantId, samplePackage());
    assert.equal(result.module.title, 'Forklift safety');
    assert.equal(result.createdModule, true);
    assert.equal(result.version.version, 1);
    assert.equal(result.version.status, 'published');
    assert.equal(result.package.fileCount, 6);
    const course = result.version.content.cmi5!;
    assert.equal(course.courseId, COURSE_ID);
    assert.deepEqual(result.version.content.pages, []);
    assert.deepEqual(
      course.items.map((b) => [b.title, (b as Cmi5Block).items.map((a) => a.title)]),
      [
        ['Basics', ['Introduction', 'Load limits']],
        ['Assessment', ['Final quiz']],
      ],
    );
    assert.deepEqual(
      result.aus.map((a) => [a.id, a.url, a.moveOn, a.masteryScore, a.launchMethod, a.blocks]),
      [
        [SAMPLE_AUS[0].id, 'intro/index.html', 'Completed', undefined, 'AnyWindow', ['Basics']],
        [SAMPLE_AUS[1].id, 'loads/index.html', 'Completed', undefined, 'AnyWindow', ['Basics']],
        [SAMPLE_AUS[2].id, 'quiz/index.html', 'CompletedAndPassed', 0.8, 'OwnWindow', ['Assessment']],
      ],
    );
    // Yardstick's own activity id per AU (cmi5 9.6.2.3), under the module's IRI.
    assert.match(result.aus[0]!.activityId, new RegExp(`/modules/${result.module.id}/aus/`));
    assert.notEqual(result.aus[0]!.activityId, SAMPLE_AUS[0].id);
  });

  it('serves each AU file with its type, nosniff and a sandbox without same-origin', async () => {
    const pkg = (
      await services.contentPackages.importPackage(
        tenantId,
        samplePackage({ courseTitle: 'Serve me', replace: [[COURSE_ID, `${COURSE_ID}/served`]] }),
      )
    ).package;
    for (const au of SAMPLE_AUS) {
      const res = await request(app).get(`/content/${tenantId}/${pkg.id}/${au.url}`).expect(200);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const csp = res.headers['content-security-policy']!;
      assert.match(csp, /^sandbox /);
      assert.match(csp, /allow-scripts/);
      assert.doesNotMatch(csp, /allow-same-origin/);
      assert.match(res.text, new RegExp(`<h1>${au.title}</h1>`));
    }
    const css = await request(app).get(`/content/${tenantId}/${pkg.id}/shared/style.css`).expect(200);
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    const js = await request(app).get(`/content/${tenantId}/${pkg.id}/shared/player.js`).expect(200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    const missing = await request(app).get(`/content/${tenantId}/${pkg.id}/nope.html`).expect(404);
    assert.equal(missing.headers['content-security-policy'], css.headers['content-security-policy']);
    const other = (await services.tenants.create('Other')).id;
    await request(app).get(`/content/${other}/${pkg.id}/intro/index.html`).expect(404);
  });

  it('makes the next version of the same module when a newer package of the course is imported', async () => {
    const first = await services.contentPackages.importPackage(
      tenantId,
      samplePackage({ courseTitle: 'Versioned', replace: [[COURSE_ID, `${COURSE_ID}/versioned`]] }),
    );
    const newer = samplePackage({
      courseTitle: 'Versioned (renamed)',
      replace: [
        [COURSE_ID, `${COURSE_ID}/versioned`],
        ['masteryScore="0.8"', 'masteryScore="0.9"'],
      ],
    });
    const second = await services.contentPackages.importPackage(tenantId, newer);
    assert.equal(second.module.id, first.module.id);
    assert.equal(second.createdModule, false);
    assert.equal(second.version.version, 2);
    assert.equal(second.aus[2]!.masteryScore, 0.9);
    assert.equal(second.aus[2]!.activityId, first.aus[2]!.activityId);
    const detail = await services.modules.get(tenantId, first.module.id);
    assert.deepEqual(
      detail.versions.map((v) => [v.version, v.status]),
      [
        [1, 'published'],
        [2, 'published'],
      ],
    );
    const packages = await services.contentPackages.packagesOfModule(tenantId, first.module.id);
    assert.deepEqual(
      packages.map((p) => p.moduleVersion),
      [1, 2],
    );
    await assert.rejects(
      services.contentPackages.importPackage(tenantId, newer),
      /imported before, as version 2/,
    );
  });

  /** Each refused package: the message to expect, and nothing stored. */
  const refused: [string, () => Buffer, RegExp][] = [
    ['a zip without cmi5.xml', () => buildZip(samplePackageEntries().slice(1)), /has no cmi5\.xml/],
    [
      'cmi5.xml in a folder',
      () => buildZip(samplePackageEntries().map((e) => ({ ...e, path: `Course/${e.path}` }))),
      /not at the root of the zip but at "Course\/cmi5\.xml"/,
    ],
    [
      'invalid XML',
      () =>
        buildZip([
          {
            path: 'cmi5.xml',
            data: '<?xml version="1.0"?>\n<courseStructure>\n  <course id="x">\n</courseStructure>\n',
          },
        ]),
      /cmi5\.xml is not well-formed XML: .* on line 4/,
    ],
    [
      'an AU id used twice',
      () => buildZip(samplePackageEntries({ replace: [[SAMPLE_AUS[1].id, SAMPLE_AUS[0].id]] })),
      /the id "https:\/\/example\.com\/aus\/intro" of <au> on line \d+ is already used on line \d+/,
    ],
    [
      'a launch URL outside the package',
      () =>
        buildZip(samplePackageEntries({ replace: [['<url>loads/index.html', '<url>../loads/index.html']] })),
      /<au> "Load limits" on line \d+ points outside the package/,
    ],
    [
      'a launch URL naming a missing file',
      () => buildZip(samplePackageEntries({ replace: [['<url>quiz/index.html', '<url>quiz/start.html']] })),
      /names "quiz\/start\.html", which is not in the package/,
    ],
    [
      'an AU without a url and a bad moveOn',
      () =>
        buildZip(
          samplePackageEntries({
            replace: [
              ['<url>intro/index.html</url>', ''],
              ['moveOn="Completed" launchMethod', 'moveOn="Finished" launchMethod'],
            ],
          }),
        ),
      /<au> on line \d+ needs a <url>.*moveOn="Finished" on line \d+ is not one of/,
    ],
    [
      'a zip with ../ paths',
      () => buildZip([...samplePackageEntries(), { path: '../../evil.html', data: 'x' }]),
      /"\.\.\/\.\.\/evil\.html" climbs out of the package/,
    ],
    [
      'an absolute path',
      () => buildZip([...samplePackageEntries(), { path: '/etc/cron.d/x', data: 'x' }]),
      /"\/etc\/cron\.d\/x" has an absolute path/,
    ],
    [
      'a symbolic link',
      () =>
        buildZip([...samplePackageEntries(), { path: 'shared/passwd', data: '/etc/passwd', symlink: true }]),
      /"shared\/passwd" is a symbolic link/,
    ],
    [
      'a zip bomb',
      () =>
        buildZip([
          ...samplePackageEntries(),
          { path: 'media/zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) },
        ]),
      /"media\/zeros\.bin" expands \d+ times .* zip bombs/,
    ],
    [
      'a header that hides a bomb',
      () =>
        buildZip([
          ...samplePackageEntries(),
          { path: 'media/small.bin', data: Buffer.alloc(4 * 1024 * 1024), declaredSize: 1000 },
        ]),
      /"media\/small\.bin" cannot be decompressed or is larger than its header says/,
    ],
    ['a file that is not a zip', () => Buffer.from('<html>not a zip</html>'), /not a readable zip package/],
  ];
  for (const [what, zip, message] of refused)
    it(`refuses ${what} with a clear message and stores nothing`, async () => {
      const before = await counts();
      await assert.rejects(services.contentPackages.importPackage(tenantId, zip()), (err: unknown) => {
        assert.ok(err instanceof AppError, String(err));
        assert.equal(err.code, 'invalid');
        assert.match(err.message, message);
        return true;
      });
      assert.deepEqual(await counts(), before);
    });

  it('refuses a new course titled like another module, naming --title, and stores nothing', async () => {
    await services.modules.create(tenantId, { title: 'Hand-made module' });
    const before = await counts();
    const zip = samplePackage({
      courseTitle: 'Hand-made module',
      replace: [[COURSE_ID, `${COURSE_ID}/clash`]],
    });
    await assert.rejects(services.contentPackages.importPackage(tenantId, zip), /already exists .* --title/);
    assert.deepEqual(await counts(), before);
    const renamed = await services.contentPackages.importPackage(tenantId, zip, { title: 'Imported module' });
    assert.equal(renamed.module.title, 'Imported module');
  });

  it('judges bombs by their compression ratio: the same zeros stored uncompressed are imported', async () => {
    const entries = samplePackageEntries({
      courseTitle: 'Stored zeros',
      replace: [[COURSE_ID, `${COURSE_ID}/stored-zeros`]],
    });
    const zip = buildZip([
      ...entries,
      { path: 'media/zeros.bin', data: Buffer.alloc(2 * 1024 * 1024), method: 'store' },
    ]);
    const result = await services.contentPackages.importPackage(tenantId, zip);
    assert.equal(result.package.fileCount, 7);
    const file = await services.contentPackages.file(tenantId, result.package.id, 'media/zeros.bin');
    assert.equal(file.bytes.length, 2 * 1024 * 1024);
    assert.equal(file.contentType, 'application/octet-stream');
  });
});
