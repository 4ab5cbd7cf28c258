import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { createServices } from '../../../src/services.js';
import { SAMPLE_AUS, buildZip, samplePackage, samplePackageEntries } from '../../fixtures/cmi5-packages.js';

/** `npx yardstick content import` in a real process (seconds each): one import, one refusal. */
describe('the content import command', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let dir: string;

  before(async () => {
    await createServices({ db: testDb().db }).tenants.create('Globex');
    dir = await mkdtemp(path.join(tmpdir(), 'yardstick-cmi5-'));
  });

  const importZip = async (name: string, zip: Buffer, ...extra: string[]) => {
    const file = path.join(dir, name);
    await writeFile(file, zip);
    return runProcess(
      ['bin/yardstick.js', 'content', 'import', '--tenant', 'Globex', file, ...extra],
      childEnv({ DATABASE_URL: testDb().url }),
    );
  };

  it('imports a cmi5 zip and prints the module and its AUs (JSON and table)', async () => {
    const result = await importZip('forklift.zip', samplePackage(), '--json');
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.equal(out.module.title, 'Forklift safety');
    assert.equal(out.version, 1);
    assert.equal(out.createdModule, true);
    assert.deepEqual(
      out.aus.map((a: { title: string; blocks: string[] }) => [a.title, a.blocks]),
      SAMPLE_AUS.map((a) => [a.title, [a.block]]),
    );
    const newer = samplePackage({ replace: [['masteryScore="0.8"', 'masteryScore="0.85"']] });
    const again = await importZip('forklift-2.zip', newer);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Made a new version of module "Forklift safety" .* version 2/);
    assert.match(
      again.stdout,
      /Assessment\s+Final quiz\s+CompletedAndPassed\s+0\.85\s+OwnWindow\s+quiz\/index\.html/,
    );
  });

  it('exits non-zero with the reason on a refused package and stores nothing', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM content_package_file`.execute(
      testDb().db,
    );
    const result = await importZip(
      'evil.zip',
      buildZip([...samplePackageEntries(), { path: '../x.html', data: 'x' }]),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /yardstick: The zip entry "\.\.\/x\.html" climbs out of the package/);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM content_package_file`.execute(
      testDb().db,
    );
    assert.equal(after.rows[0]!.n, before.rows[0]!.n);
  });
});
