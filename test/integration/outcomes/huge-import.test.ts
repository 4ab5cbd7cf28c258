import assert from 'node:assert/strict';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { createServices } from '../../../src/services.js';
import type { QualityReport } from '../../../src/outcomes/quality-report.js';
import { PAYROLL_HEADER, countRows } from '../../fixtures/outcomes/outcome-builders.js';

const PEOPLE = 10_000;
const MONTHS = 10;

/** Writes PEOPLE x MONTHS payroll rows to `file` through a stream (the test never holds them all). */
async function writePayrollFile(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${PAYROLL_HEADER.join(',')}\n`);
  for (let m = 1; m <= MONTHS; m++)
    for (let p = 1; p <= PEOPLE; p++) {
      const line = `P${p},2024-${String(m).padStart(2, '0')},${(p * 7 + m) % 16}.5,${(p % 90) + 10}.25,${200 + m}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
  out.end();
  await once(out, 'finish');
}

describe('a 100,000-row payroll import', function () {
  this.timeout(300_000);
  const testDb = useTestDatabase();
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'yardstick-outcomes-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stages and applies every row exactly, with progress visible while it stages', async () => {
    const services = createServices({ db: testDb().db });
    const tenant = await services.tenants.create('Huge Co');
    await sql`INSERT INTO person (tenant_id, employee_id)
              SELECT ${tenant.id}, 'P' || g FROM generate_series(1, ${PEOPLE}) g`.execute(testDb().db);
    const file = path.join(dir, 'payroll.csv');
    await writePayrollFile(file);
    const size = (await stat(file)).size;

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const progress: number[] = [];
    try {
      const created = await services.outcomeImports.create({
        tenantId: tenant.id,
        kind: 'payroll',
        source: 'csv',
        fileName: 'payroll.csv',
        bytesTotal: size,
        actor: 'test',
      });
      const poller = setInterval(() => {
        void services.outcomeImports.get(tenant.id, created.id).then((i) => progress.push(i.rowsParsed));
      }, 200);
      const staged = await services.outcomeImports
        .stageCsv(tenant.id, created.id, createReadStream(file, { highWaterMark: 64 * 1024 }), size)
        .finally(() => clearInterval(poller));
      assert.equal(staged.rowsParsed, PEOPLE * MONTHS);
      assert.equal(staged.bytesRead, size);
      const report = staged.report as QualityReport;
      assert.deepEqual(report.blocking, []);
      assert.deepEqual(report.rows, { total: 100_000, valid: 100_000, invalid: 0 });
      const accepted = await services.outcomeImports.accept(tenant.id, created.id, 'test');
      assert.deepEqual(accepted.applied, { inserted: 100_000, updated: 0, unchanged: 0, peopleCreated: 0 });
    } finally {
      clearInterval(sampler);
    }
    assert.equal(await countRows(testDb().db, 'outcome_payroll', tenant.id), 100_000);
    const { rows } = await sql<{ total: string }>`
      SELECT sum(deferral_pct)::text AS total FROM outcome_payroll WHERE tenant_id = ${tenant.id}`.execute(
      testDb().db,
    );
    let expected = 0;
    for (let m = 1; m <= MONTHS; m++) for (let p = 1; p <= PEOPLE; p++) expected += ((p * 7 + m) % 16) + 0.5;
    assert.equal(Number(rows[0]!.total), expected, 'every value landed exactly');

    const deltaMiB = (peak - baseline) / 2 ** 20;
    assert.ok(
      progress.some((n) => n > 0 && n < 100_000),
      `progress was visible while staging (polled: ${progress.join(', ')})`,
    );
    // Reported, not timed: the file is ${size} bytes; staging holds one batch of rows at a time.
    console.log(
      `      file ${(size / 2 ** 20).toFixed(1)} MiB; peak RSS delta ${deltaMiB.toFixed(1)} MiB; progress polls ${progress.length}`,
    );
    // Memory is measured by `npm run bench -- outcome-import` (docs/benchmarks.md), not asserted here: the
    // RSS of a test process shared with 1,000 other tests says more about them than about the import.
  });
});
