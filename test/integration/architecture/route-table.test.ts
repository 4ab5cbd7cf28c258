import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { appRoutes } from '../../support/app-routes.js';
import { routeTable } from '../../support/route-files.js';
import { repoRoot } from '../../support/spawn-process.js';

const START = '<!-- routes:start -->';
const END = '<!-- routes:end -->';

/** docs/architecture.md's route -> file table is the app's: every route, in mount order, with its file. */
describe('docs/architecture.md route table', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it('lists every route the app answers, with the file that declares it', async () => {
    const expected = routeTable(repoRoot, appRoutes(h.app));
    const out = path.join(repoRoot, 'test-artifacts', 'route-table.md');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${expected}\n`);
    const unknown = expected.split('\n').filter((row) => row.includes('| `?` |'));
    assert.deepEqual(unknown, [], 'routes whose declaring file could not be found');
    const doc = await readFile(path.join(repoRoot, 'docs', 'architecture.md'), 'utf8');
    const actual = doc.slice(doc.indexOf(START) + START.length, doc.indexOf(END)).trim();
    assert.ok(
      actual === expected,
      `docs/architecture.md's route table is out of date; the current one is in ${out}`,
    );
  });
});
