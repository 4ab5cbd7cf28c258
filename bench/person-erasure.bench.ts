import { sql } from 'kysely';
import { createServices } from '../src/services.js';
import { generateCaptureStatements, type CaptureStatement } from '../src/dev/synthetic/capture-statements.js';
import { copyStatements, insertCourseWorld } from '../test/fixtures/course-world.js';
import { createBenchDatabase } from './bench-database.js';
import type { Benchmark, Metric } from './harness.js';

/**
 * Erasing one person (issue #18) among 1,000,000 statements, 100,000 of them theirs: the statements
 * are loaded by COPY (the KPI facts derived in one pass, the agent index filled set-based as the LRS
 * would have), then `person find` and `person erase` run through the privacy service as the CLI does.
 * The erasure is one transaction: every place naming the person, the foreign-table sweep, the
 * tenant's KPI rollups rebuilt and its chart cache emptied.
 */
export const personErasure: Benchmark = {
  name: 'person-erasure',
  title: 'Erasing a person: 100,000 of their statements among 1,000,000',
  async run(ctx) {
    const target = Math.round(1_000_000 * ctx.scale);
    const theirs = Math.round(target / 10);
    const learners = Math.max(40, Math.round(10_000 * ctx.scale));
    const bench = await createBenchDatabase(ctx, 'erasure', 4);
    try {
      const { world } = await insertCourseWorld(bench.db, { seed: 18, learners, modules: 5 });
      const person = world.learners[0]!;
      const agent = {
        objectType: 'Agent' as const,
        name: person.name,
        account: { homePage: world.issuer, name: person.sub },
      };
      // The generator's statements in order; the first `theirs` are rewritten as the person's.
      function* statements(): Generator<CaptureStatement> {
        let n = 0;
        for (const s of generateCaptureStatements(world, { seed: 18, neverStartShare: 0 }))
          yield n++ < theirs ? { ...s, actor: agent } : s;
      }
      const t0 = performance.now();
      const loaded = await copyStatements(bench.pool, world.tenantId, statements(), target);
      if (loaded < target)
        throw new Error(`the generator wrote only ${loaded} statements; raise the learners`);
      await sql`INSERT INTO xapi_statement_agent (tenant_id, agent_key, usage, seq, statement_id)
                SELECT tenant_id,
                       format('account:["%s","%s"]', statement::jsonb->'actor'->'account'->>'homePage',
                              statement::jsonb->'actor'->'account'->>'name'),
                       'actor', seq, id
                  FROM xapi_statement WHERE tenant_id = ${world.tenantId}`.execute(bench.db);
      await sql`VACUUM (ANALYZE)`.execute(bench.db);
      const t1 = performance.now();
      ctx.log(`loaded ${loaded} statements in ${((t1 - t0) / 1000).toFixed(1)} s`);

      const services = createServices({ db: bench.db });
      const selector = { kind: 'account' as const, homePage: world.issuer, name: person.sub };
      const t2 = performance.now();
      const found = await services.privacy.find(world.tenantId, selector);
      const t3 = performance.now();
      const result = await services.privacy.erase(world.tenantId, selector, {
        requestedBy: 'bench',
        approvedBy: 'bench',
      });
      const t4 = performance.now();
      const erasedStatements = result.erased
        .filter((e) => e.place.startsWith('xapi_statement'))
        .reduce((s, e) => s + e.count, 0);
      const { rows } = await sql<{ n: string }>`
        SELECT count(*) AS n FROM xapi_statement WHERE tenant_id = ${world.tenantId}`.execute(bench.db);
      const left = Number(rows[0]!.n);
      if (erasedStatements < theirs || left !== loaded - erasedStatements)
        throw new Error(`erased ${erasedStatements} statements of ${theirs}; ${left} left of ${loaded}`);
      const foundStatements = found.locations
        .filter((l) => l.place.startsWith('xapi_statement'))
        .reduce((s, l) => s + l.count, 0);
      ctx.log(`find ${((t3 - t2) / 1000).toFixed(2)} s, erase ${((t4 - t3) / 1000).toFixed(2)} s`);
      const metrics: Metric[] = [
        {
          metric: 'find (every place, with counts)',
          value: (t3 - t2) / 1000,
          unit: 's',
          note: `${foundStatements.toLocaleString('en-US')} statements found`,
        },
        {
          metric: 'erase (one transaction, rollups rebuilt)',
          value: (t4 - t3) / 1000,
          unit: 's',
          note: `${erasedStatements.toLocaleString('en-US')} statements, ${result.erased.length} places`,
        },
        {
          metric: 'statements erased per second',
          value: erasedStatements / ((t4 - t3) / 1000),
          unit: 'statements/s',
        },
        { metric: 'statements left (other learners)', value: left, unit: 'statements' },
      ];
      return {
        method: `${loaded.toLocaleString('en-US')} capture statements of one course (${learners.toLocaleString('en-US')} learners, 5 modules) loaded by COPY, the first ${theirs.toLocaleString('en-US')} of them rewritten to one learner's account; then the privacy service's find and erase for that account, in-process (no CLI process start).`,
        metrics,
      };
    } finally {
      await bench.drop();
    }
  },
};
