import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { useTestDatabase } from '../../../support/test-database.js';
import { createServices } from '../../../../src/services.js';
import { EXTENSIONS } from '../../../../src/learning/vocabulary.js';
import { createKpiRepository } from '../../../../src/storage/repositories/kpi-repository.js';
import { captureStatement, insertCourseWorld, storeStatements } from '../../../fixtures/course-world.js';
import type { CaptureStatement } from '../../../../src/dev/synthetic/capture-statements.js';

/**
 * Session durations capped to the session's span as facts are written (migration 0155, issue #21), against
 * clients that send a duration no session could produce, or a session end without its start.
 */
describe('time on task capped to the session', () => {
  const database = useTestDatabase();

  it('caps an end to its launch, leaves an end without a known start as stored, and keeps the rollup equal to its facts', async () => {
    const { db } = database();
    const services = createServices({ db });
    const { world, tenantName } = await insertCourseWorld(db, { seed: 155, learners: 3, modules: 1 });
    const moduleId = world.modules[0]!.id;
    const at = (minutes: number) => new Date(world.start.getTime() + minutes * 60_000).toISOString();
    const session = (
      learner: number,
      ...parts: [Parameters<typeof captureStatement>[3], number, string?][]
    ) => {
      const id = randomUUID();
      const registration = randomUUID();
      return parts.map(([verb, minutes, duration]): CaptureStatement => {
        const s = captureStatement(world, world.learners[learner]!, moduleId, verb, {
          timestamp: at(minutes),
          registration,
          ...(duration ? { result: { duration } } : {}),
        });
        s.context.extensions[EXTENSIONS.sessionId] = id;
        return s;
      });
    };
    const capped = session(0, ['launched', 0], ['terminated', 10, 'PT1H']);
    const honest = session(0, ['launched', 60], ['abandoned', 70, 'PT9M59S']);
    const startless = session(1, ['terminated', 10, 'PT1H']);
    // An end timestamped before its own launch: no start at or before it is known, so it counts as stored.
    const backwards = session(2, ['launched', 30], ['terminated', 20, 'PT5M']);
    await storeStatements(services, tenantName, [...capped, ...honest, ...startless, ...backwards]);

    const { rows } = await sql<{ id: string; duration: number; stored: number | null }>`
      SELECT statement_id AS id, duration_seconds AS duration, stored_duration_seconds AS stored
      FROM kpi_statement WHERE tenant_id = ${world.tenantId} AND duration_seconds IS NOT NULL`.execute(db);
    const fact = (s: CaptureStatement) => rows.find((r) => r.id === s.id)!;
    assert.deepEqual(fact(capped[1]!), { id: capped[1]!.id, duration: 600, stored: 3600 });
    assert.deepEqual(fact(honest[1]!), { id: honest[1]!.id, duration: 599, stored: null });
    assert.deepEqual(fact(startless[0]!), { id: startless[0]!.id, duration: 3600, stored: null });
    assert.deepEqual(fact(backwards[1]!), { id: backwards[1]!.id, duration: 300, stored: null });

    const micros = () =>
      sql<{ actor: string; micros: string }>`
        SELECT actor_name AS actor, sum(micros)::text AS micros FROM kpi_learner_module
        WHERE tenant_id = ${world.tenantId} GROUP BY actor_name ORDER BY actor_name`.execute(db);
    const kept = (await micros()).rows;
    assert.deepEqual(
      Object.fromEntries(kept.map((r) => [r.actor, r.micros])),
      Object.fromEntries([
        [world.learners[0]!.sub, String(1199e6)],
        [world.learners[1]!.sub, String(3600e6)],
        [world.learners[2]!.sub, String(300e6)],
      ]),
    );
    await sql`SELECT kpi_learner_module_rebuild(${world.tenantId}::uuid)`.execute(db);
    assert.deepEqual((await micros()).rows, kept, 'a rebuild from the facts gives the same time');

    // The repository's counts: the report service withholds counts of fewer than five learners.
    const q = await createKpiRepository(db).quality({ tenantId: world.tenantId, courseId: world.courseId });
    // The panel flags all three that report more than their statements span (the start-less one spans
    // nothing), though time on task could cap only the one whose start it knew.
    assert.deepEqual([q.endedSessions, q.overlongSessions], [3, 3]);
  });
});
