import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ModuleExperimentTable } from '../schema.js';
import { mapDatabaseError } from '../db-errors.js';
import type { Arm, ArmAssignment, LearnerOutcome, ModuleExperiment } from '../../learning/model.js';

const toExperiment = (r: Selectable<ModuleExperimentTable>): ModuleExperiment => ({
  tenantId: r.tenant_id,
  id: r.id,
  moduleId: r.module_id,
  name: r.name,
  armAVersion: r.arm_a_version,
  armBVersion: r.arm_b_version,
  allocationA: r.allocation_a,
  seed: Number(r.seed),
  status: r.status,
  startedAt: r.started_at,
  stoppedAt: r.stopped_at,
});

/** SQL for content experiments and their arm assignments. Every query names its tenant. */
export function createModuleExperimentRepository(db: Kysely<Database>) {
  return {
    async insert(
      tenantId: string,
      e: Pick<ModuleExperiment, 'moduleId' | 'name' | 'armAVersion' | 'armBVersion' | 'allocationA' | 'seed'>,
    ): Promise<ModuleExperiment> {
      try {
        const row = await db
          .insertInto('module_experiment')
          .values({
            tenant_id: tenantId,
            module_id: e.moduleId,
            name: e.name,
            arm_a_version: e.armAVersion,
            arm_b_version: e.armBVersion,
            allocation_a: e.allocationA,
            seed: e.seed,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toExperiment(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    async findById(tenantId: string, id: string): Promise<ModuleExperiment | undefined> {
      const row = await db
        .selectFrom('module_experiment')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toExperiment(row);
    },

    async running(tenantId: string, moduleId: string): Promise<ModuleExperiment | undefined> {
      const row = await db
        .selectFrom('module_experiment')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return row && toExperiment(row);
    },

    async listForModule(tenantId: string, moduleId: string): Promise<ModuleExperiment[]> {
      const rows = await db
        .selectFrom('module_experiment')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('module_id', '=', moduleId)
        .orderBy('started_at', 'desc')
        .execute();
      return rows.map(toExperiment);
    },

    async stop(tenantId: string, id: string): Promise<ModuleExperiment | undefined> {
      const row = await db
        .updateTable('module_experiment')
        .set({ status: 'stopped', stopped_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'running')
        .returningAll()
        .executeTakeFirst();
      return row && toExperiment(row);
    },

    /**
     * Stores the learner's arm unless one is stored already; returns the stored one either way, so
     * concurrent first calls for one learner agree.
     */
    async assign(tenantId: string, a: Omit<ArmAssignment, 'assignedAt'>): Promise<ArmAssignment> {
      await db
        .insertInto('module_experiment_assignment')
        .values({
          tenant_id: tenantId,
          experiment_id: a.experimentId,
          learner_key: a.learnerKey,
          arm: a.arm,
          version: a.version,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'experiment_id', 'learner_key']).doNothing())
        .execute();
      const row = await db
        .selectFrom('module_experiment_assignment')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('experiment_id', '=', a.experimentId)
        .where('learner_key', '=', a.learnerKey)
        .executeTakeFirstOrThrow();
      return {
        experimentId: row.experiment_id,
        learnerKey: row.learner_key,
        arm: row.arm,
        version: row.version,
        assignedAt: row.assigned_at,
      };
    },

    async assignmentCounts(tenantId: string, experimentId: string): Promise<Record<Arm, number>> {
      const rows = await db
        .selectFrom('module_experiment_assignment')
        .select(['arm', (eb) => eb.fn.countAll<string>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('experiment_id', '=', experimentId)
        .groupBy('arm')
        .execute();
      const counts: Record<Arm, number> = { A: 0, B: 0 };
      for (const r of rows) counts[r.arm] = Number(r.n);
      return counts;
    },

    /**
     * Per learner and module version: completed, passed and the first scaled score, from the LRS
     * statements whose object is the module activity (`moduleIri`), that carry one of `versions` in the
     * MODULE_VERSION context extension (`versionExtension`), stored in [since, until), not voided.
     * Learners are identified by the actor's canonical agent key.
     */
    async armOutcomes(
      tenantId: string,
      q: {
        moduleIri: string;
        versionExtension: string;
        versions: number[];
        since: Date;
        until: Date | null;
        verbs: { launched: string; initialized: string; completed: string; passed: string; failed: string };
      },
    ): Promise<LearnerOutcome[]> {
      const { verbs } = q;
      const result = await sql<{
        version: number;
        learner: string;
        completed: boolean;
        passed: boolean;
        first_scaled: number | null;
      }>`
        WITH module_statements AS (
          SELECT s.seq, s.verb_iri, ag.agent_key, j.doc -> 'context' -> 'extensions' -> ${q.versionExtension} AS v,
                 j.doc #> '{result,score,scaled}' AS scaled
          FROM xapi_statement_activity a
          JOIN xapi_statement s ON s.tenant_id = a.tenant_id AND s.id = a.statement_id
          JOIN xapi_statement_agent ag
            ON ag.tenant_id = s.tenant_id AND ag.statement_id = s.id AND ag.usage = 'actor'
          CROSS JOIN LATERAL (SELECT s.statement::jsonb AS doc) j
          WHERE a.tenant_id = ${tenantId} AND a.activity_iri = ${q.moduleIri} AND a.usage = 'object'
            AND NOT s.voided
            AND s.verb_iri IN (${verbs.launched}, ${verbs.initialized}, ${verbs.completed}, ${verbs.passed}, ${verbs.failed})
            AND s.stored >= ${q.since}
            AND (${q.until}::timestamptz IS NULL OR s.stored < ${q.until}::timestamptz)
        )
        SELECT (v::text)::numeric::int AS version, agent_key AS learner,
               bool_or(verb_iri = ${verbs.completed}) AS completed,
               bool_or(verb_iri = ${verbs.passed}) AS passed,
               (array_agg((scaled::text)::float8 ORDER BY seq)
                  FILTER (WHERE verb_iri IN (${verbs.passed}, ${verbs.failed}) AND jsonb_typeof(scaled) = 'number'))[1]
                 AS first_scaled
        FROM module_statements
        WHERE jsonb_typeof(v) = 'number' AND (v::text)::numeric IN (${sql.join(q.versions)})
        GROUP BY 1, 2
        ORDER BY 1, 2`.execute(db);
      return result.rows.map((r) => ({
        version: Number(r.version),
        learner: r.learner,
        completed: r.completed,
        passed: r.passed,
        firstScaled: r.first_scaled === null ? null : Number(r.first_scaled),
      }));
    },
  };
}

export type ModuleExperimentRepository = ReturnType<typeof createModuleExperimentRepository>;
