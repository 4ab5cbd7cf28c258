import { sql, type Kysely } from 'kysely';

/**
 * Learner attempts at modules (issue #6). An attempt is one learner's pass through one published
 * module version from one LMS link; its id is the xAPI registration. `step` is the index of the next
 * step the learner must answer (see src/learning/flow/step-plan.ts); a submission names the step it
 * answers and is applied only while `step` still has that value, so replays change nothing.
 *
 * A learning session (cmi5 session) runs from one launch's initialized to its terminated (or
 * abandoned); `active_seconds` grows with heartbeats, each gap capped at the idle cap.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE learning_attempt (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      module_id uuid NOT NULL,
      version integer NOT NULL,
      user_id uuid NOT NULL,
      context_id uuid NOT NULL,
      resource_link_id text NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
      step integer NOT NULL DEFAULT 0 CHECK (step >= 0),
      results jsonb NOT NULL DEFAULT '{}',
      started_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, module_id, version) REFERENCES module_version (tenant_id, module_id, version),
      FOREIGN KEY (tenant_id, user_id) REFERENCES lti_user (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, context_id) REFERENCES course_context (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // One open attempt per learner per link: a relaunch resumes it, two tabs cannot start two.
  await sql`
    CREATE UNIQUE INDEX learning_attempt_one_open ON learning_attempt (tenant_id, user_id, context_id, resource_link_id)
      WHERE status = 'open'`.execute(db);
  // Reports and the attempt limit count a learner's attempts at a module.
  await sql`CREATE INDEX learning_attempt_module ON learning_attempt (tenant_id, module_id, user_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE learning_session (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      attempt_id uuid NOT NULL,
      lti_session_id text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated', 'abandoned')),
      started_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      active_seconds double precision NOT NULL DEFAULT 0 CHECK (active_seconds >= 0),
      estimated boolean NOT NULL DEFAULT false,
      PRIMARY KEY (tenant_id, id),
      FOREIGN KEY (tenant_id, attempt_id) REFERENCES learning_attempt (tenant_id, id) ON DELETE CASCADE
    )`.execute(db);
  // A page load finds its launch's active session (reloading keeps it; a relaunch starts another).
  await sql`CREATE INDEX learning_session_attempt ON learning_session (tenant_id, attempt_id, status)`.execute(
    db,
  );
  // The abandon job finds a tenant's stale active sessions.
  await sql`
    CREATE INDEX learning_session_active ON learning_session (tenant_id, last_seen_at) WHERE status = 'active'`.execute(
    db,
  );

  await sql`
    CREATE TABLE learning_time_total (
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      module_id uuid NOT NULL,
      seconds double precision NOT NULL DEFAULT 0,
      sessions integer NOT NULL DEFAULT 0,
      estimated_sessions integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id, module_id)
    )`.execute(db);

  // One row per submitted manager observation: its id is the form's one-time token, so a replayed
  // form is refused instead of stored twice.
  await sql`
    CREATE TABLE learning_observation (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      module_id uuid NOT NULL,
      observer_user_id uuid NOT NULL,
      learner_user_id uuid NOT NULL,
      context_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE learning_observation`.execute(db);
  await sql`DROP TABLE learning_time_total`.execute(db);
  await sql`DROP TABLE learning_session`.execute(db);
  await sql`DROP TABLE learning_attempt`.execute(db);
}
