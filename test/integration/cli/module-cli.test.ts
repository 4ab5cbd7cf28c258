import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';
import { createServices } from '../../../src/services.js';
import { fullModuleContent } from '../../fixtures/modules.js';

/** One CLI process (they take seconds each): import a file and publish it, checked in the database. */
describe('the module commands', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();

  it('imports a yardstick-module/1 file and publishes it, printing JSON', async () => {
    const services = createServices({ db: testDb().db });
    const tenant = await services.tenants.create('Globex');
    const dir = await mkdtemp(path.join(tmpdir(), 'yardstick-module-'));
    const file = path.join(dir, 'forklift.json');
    await writeFile(
      file,
      JSON.stringify({ format: 'yardstick-module/1', title: 'Forklift 101', content: fullModuleContent() }),
    );
    const result = await runProcess(
      ['bin/yardstick.js', 'module', 'import', '--tenant', 'Globex', '--file', file, '--publish', '--json'],
      childEnv({ DATABASE_URL: testDb().url }),
    );
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.equal(out.module.title, 'Forklift 101');
    assert.equal(out.published.version, 1);
    const exported = await services.modules.exportVersion(tenant.id, out.module.id);
    assert.deepEqual(exported.content, fullModuleContent());
  });
});
