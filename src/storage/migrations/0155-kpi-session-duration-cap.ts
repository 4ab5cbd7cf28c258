import { sql, type Kysely } from 'kysely';

/**
 * Time on task capped by the session (issue #21, docs/kpi-reports.md "Definitions", `time-on-task`): a
 * session's `terminated` or `abandoned` statement cannot count more time than has passed since the session
 * started (its `launched` or `initialized` statement with the same session id; the learner flow counts
 * gaps between statements, each capped at the idle limit, so its durations never exceed that span). The
 * fact keeps the counted time in `duration_seconds`, which every time-on-task figure (the learner x module
 * rollup, the facts path, the learner list) already sums, and the statement's own duration in
 * `stored_duration_seconds` when it was capped, for the data-quality panel. Only a duration longer by
 * more than a second is capped, as the panel counts (timestamps in milliseconds and durations in their own
 * rounding may differ by less). The start must be stored before the end (a session's statements share a
 * registration, so they drain in one outbox part, in order); an end whose session start is not known is
 * counted as stored: a part of a session never caps it.
 * Existing facts are capped here and the learner x module rollup rebuilt for the tenants that had any.
 */
const CAP = String.raw`
CREATE FUNCTION kpi_statement_cap_duration()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
    DECLARE span double precision;
    BEGIN
      SELECT extract(epoch FROM NEW."timestamp" - min(s."timestamp")) INTO span
      FROM kpi_statement s
      WHERE s.tenant_id = NEW.tenant_id AND s.session_id = NEW.session_id AND NOT s.voided
        AND s.verb IN ('launched', 'initialized') AND s."timestamp" <= NEW."timestamp";
      IF span IS NOT NULL AND NEW.duration_seconds > span + 1 THEN
        NEW.stored_duration_seconds := NEW.duration_seconds;
        NEW.duration_seconds := span;
      END IF;
      RETURN NEW;
    END $function$;

CREATE TRIGGER kpi_statement_cap_duration BEFORE INSERT ON kpi_statement FOR EACH ROW
  WHEN (NEW.session_id IS NOT NULL AND NEW.duration_seconds IS NOT NULL AND NOT NEW.voided
        AND NEW.verb IN ('terminated', 'abandoned'))
  EXECUTE FUNCTION kpi_statement_cap_duration();
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE kpi_statement ADD COLUMN stored_duration_seconds double precision`.execute(db);
  // A session's start, found by the cap for each session end (launches only: a small index).
  await sql`
    CREATE INDEX kpi_statement_session_idx ON kpi_statement (tenant_id, session_id, "timestamp")
      WHERE session_id IS NOT NULL AND NOT voided AND verb IN ('launched', 'initialized')`.execute(db);
  await sql.raw(CAP).execute(db);
  await sql`
    WITH capped AS (
      SELECT e.tenant_id, e.statement_id,
             (SELECT extract(epoch FROM e."timestamp" - min(s."timestamp")) FROM kpi_statement s
              WHERE s.tenant_id = e.tenant_id AND s.session_id = e.session_id AND NOT s.voided
                AND s.verb IN ('launched', 'initialized') AND s."timestamp" <= e."timestamp") AS span
      FROM kpi_statement e
      WHERE e.session_id IS NOT NULL AND e.duration_seconds IS NOT NULL AND NOT e.voided
        AND e.verb IN ('terminated', 'abandoned'))
    UPDATE kpi_statement f SET stored_duration_seconds = f.duration_seconds, duration_seconds = c.span
    FROM capped c
    WHERE f.tenant_id = c.tenant_id AND f.statement_id = c.statement_id AND f.duration_seconds > c.span + 1`.execute(
    db,
  );
  await sql`
    SELECT kpi_learner_module_rebuild(t.tenant_id)
    FROM (SELECT DISTINCT tenant_id FROM kpi_statement WHERE stored_duration_seconds IS NOT NULL) t`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER kpi_statement_cap_duration ON kpi_statement`.execute(db);
  await sql`DROP FUNCTION kpi_statement_cap_duration()`.execute(db);
  await sql`
    UPDATE kpi_statement SET duration_seconds = stored_duration_seconds
    WHERE stored_duration_seconds IS NOT NULL`.execute(db);
  await sql`
    SELECT kpi_learner_module_rebuild(t.tenant_id)
    FROM (SELECT DISTINCT tenant_id FROM kpi_statement WHERE stored_duration_seconds IS NOT NULL) t`.execute(
    db,
  );
  await sql`DROP INDEX kpi_statement_session_idx`.execute(db);
  await sql`ALTER TABLE kpi_statement DROP COLUMN stored_duration_seconds`.execute(db);
}
