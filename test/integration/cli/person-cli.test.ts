import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { createServices } from '../../../src/services.js';
import { tenantWithPeople } from '../../fixtures/outcomes/outcome-builders.js';

describe('yardstick person export (issue #18)', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  const cli = (...args: string[]) =>
    runProcess(['bin/yardstick.js', ...args], childEnv({ DATABASE_URL: testDb().url }));
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'person-export-'));
    await tenantWithPeople(createServices({ db: testDb().db }), testDb().db, 'Exporters', 2);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('writes the JSON file and its readable HTML summary beside it', async () => {
    const out = path.join(dir, 'e002.json');
    const run = await cli(
      'person',
      'export',
      '--tenant',
      'Exporters',
      '--employee-id',
      'E002',
      '--out',
      out,
      '--json',
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { file: string; summary: string; items: number };
    assert.equal(result.summary, path.join(dir, 'e002.html'));
    const exported = JSON.parse(await readFile(out, 'utf8')) as { items: { source: string }[] };
    assert.deepEqual(
      exported.items.map((i) => i.source),
      ['person (people table)'],
    );
    const html = await readFile(result.summary, 'utf8');
    assert.match(html, /Your employee record \(1 record\)/);
    assert.match(html, /<dd>E002<\/dd>/);
  });
});
