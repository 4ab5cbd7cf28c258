import { sql, type Kysely } from 'kysely';

/**
 * Content A/B experiments (issue #8): a module's learners are split between two published versions.
 * The seed and allocation are recorded so every assignment can be recomputed and audited; each
 * learner's arm is stored on first assignment, and the primary key makes a second assignment of the
 * same learner in the same experiment impossible.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE module_experiment (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      module_id uuid NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      arm_a_version integer NOT NULL,
      arm_b_version integer NOT NULL,
      -- Share of learners sent to arm A, strictly between 0 and 1.
      allocation_a double precision NOT NULL CHECK (allocation_a > 0 AND allocation_a < 1),
      seed bigint NOT NULL,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped')),
      started_at timestamptz NOT NULL DEFAULT now(),
      stopped_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, module_id) REFERENCES module (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, module_id, arm_a_version)
        REFERENCES module_version (tenant_id, module_id, version),
      FOREIGN KEY (tenant_id, module_id, arm_b_version)
        REFERENCES module_version (tenant_id, module_id, version),
      CHECK (arm_a_version <> arm_b_version),
      CHECK ((status = 'stopped') = (stopped_at IS NOT NULL))
    )`.execute(db);
  // At most one running experiment per module: a learner's version must have one answer.
  await sql`
    CREATE UNIQUE INDEX module_experiment_one_running ON module_experiment (tenant_id, module_id)
      WHERE status = 'running'`.execute(db);

  await sql`
    CREATE TABLE module_experiment_assignment (
      tenant_id uuid NOT NULL,
      experiment_id uuid NOT NULL,
      learner_key text NOT NULL CHECK (length(learner_key) BETWEEN 1 AND 500),
      arm text NOT NULL CHECK (arm IN ('A', 'B')),
      version integer NOT NULL,
      assigned_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, experiment_id, learner_key),
      FOREIGN KEY (tenant_id, experiment_id) REFERENCES module_experiment (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE module_experiment_assignment`.execute(db);
  await sql`DROP TABLE module_experiment`.execute(db);
}
