import { sql, type Kysely } from 'kysely';

/**
 * Survey respondents without a DISTINCT over every answer. A survey item's respondents are its distinct
 * answering learners (anonymous ones by account name). Nearly every learner has one row of an item in the
 * survey-answer rollup (0068: one per course, program, version, response and day), so a row marked
 * `multi = false` stands for one respondent on its own, and only the few `multi` rows (an actor with
 * several rows of the item: two days, two responses, two versions) need the DISTINCT; so do rows with no
 * item or no account name, which are never flagged.
 *
 * `multi` is kept from a counter per (tenant, module, item, actor name) of the actor's rows with answers:
 * statement triggers on kpi_survey_answer add the rows a statement gave answers to and subtract those it
 * took them from, then set `multi` on the rows of the counters they touched. The counter row's lock
 * (INSERT ... ON CONFLICT DO UPDATE) queues concurrent writers of one actor's item, and the flags are set
 * in a later statement, which sees the rows a writer before it committed. Grouping by the account name
 * alone (not the home page) matches how anonymous respondents are told apart, and is conservative for
 * named ones (they are counted by user either way).
 */
const GROUP = ['tenant_id', 'module_id', 'item_id', 'actor_name'];

const SAME_GROUP = (a: string, b: string) =>
  `${a}.tenant_id = ${b}.tenant_id AND ${a}.module_id = ${b}.module_id AND ${a}.item_id = ${b}.item_id
        AND ${a}.actor_name = ${b}.actor_name`;

/** The statements following a change whose rows are `changes` (relation with `group columns, d`). */
const follow = (changes: string) => `
      WITH delta AS (
        SELECT ${GROUP.join(', ')}, sum(d)::int AS d FROM ${changes} GROUP BY ${GROUP.join(', ')}
        ORDER BY ${GROUP.join(', ')})
      INSERT INTO kpi_survey_actor_item AS g SELECT * FROM delta
      ON CONFLICT (tenant_id, module_id, item_id, actor_name) DO UPDATE SET answered_rows = g.answered_rows + excluded.answered_rows;
      PERFORM set_config('yardstick.kpi_survey_multi', 'on', true);
      UPDATE kpi_survey_answer s SET multi = g.answered_rows > 1
      FROM kpi_survey_actor_item g JOIN (SELECT DISTINCT ${GROUP.join(', ')} FROM ${changes}) k ON ${SAME_GROUP('g', 'k')}
      WHERE ${SAME_GROUP('s', 'g')} AND s.multi IS DISTINCT FROM (g.answered_rows > 1);
      PERFORM set_config('yardstick.kpi_survey_multi', 'off', true);
      DELETE FROM kpi_survey_actor_item g USING (SELECT DISTINCT ${GROUP.join(', ')} FROM ${changes}) k
      WHERE ${SAME_GROUP('g', 'k')} AND g.answered_rows = 0;`;

/** Rows with no item or no account name are never told apart as respondents here: the query takes them as multi. */
const counted = (rows: string, sign: string) =>
  `SELECT ${GROUP.join(', ')}, ${sign}(answers > 0)::int AS d FROM ${rows}
   WHERE item_id IS NOT NULL AND actor_name IS NOT NULL`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE kpi_survey_answer ADD COLUMN multi boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    CREATE TABLE kpi_survey_actor_item (
      tenant_id uuid NOT NULL,
      module_id uuid NOT NULL,
      item_id text NOT NULL,
      actor_name text NOT NULL,
      answered_rows integer NOT NULL
    )`.execute(db);
  await sql`
    CREATE UNIQUE INDEX kpi_survey_actor_item_key ON kpi_survey_actor_item (tenant_id, module_id, item_id, actor_name)`.execute(
    db,
  );
  await sql`
    CREATE INDEX kpi_survey_answer_actor_idx ON kpi_survey_answer (tenant_id, module_id, item_id, actor_name)`.execute(
    db,
  );
  await sql
    .raw(
      `
    CREATE FUNCTION kpi_survey_multi_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Its own flag updates change no answers.
      IF current_setting('yardstick.kpi_survey_multi', true) = 'on' THEN RETURN NULL; END IF;
      IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        ${follow(`(${counted('added', '')}) c`)}
      ELSIF TG_OP = 'DELETE' THEN
        ${follow(`(${counted('removed', '-')}) c`)}
      ELSE
        IF NOT EXISTS (SELECT 1 FROM added) THEN RETURN NULL; END IF;
        ${follow(`(${counted('added', '')} UNION ALL ${counted('removed', '-')}) c`)}
      END IF;
      RETURN NULL;
    END $$`,
    )
    .execute(db);
  for (const [event, refs] of [
    ['INSERT', 'NEW TABLE AS added'],
    ['UPDATE', 'NEW TABLE AS added OLD TABLE AS removed'],
    ['DELETE', 'OLD TABLE AS removed'],
  ] as const) {
    await sql
      .raw(
        `
      CREATE TRIGGER kpi_survey_multi_${event.toLowerCase()} AFTER ${event} ON kpi_survey_answer
        REFERENCING ${refs} FOR EACH STATEMENT EXECUTE FUNCTION kpi_survey_multi_follow()`,
      )
      .execute(db);
  }
  // The counters and flags of the rows already there.
  await sql
    .raw(
      `
    INSERT INTO kpi_survey_actor_item
    SELECT ${GROUP.join(', ')}, count(*) FROM kpi_survey_answer
    WHERE answers > 0 AND item_id IS NOT NULL AND actor_name IS NOT NULL GROUP BY ${GROUP.join(', ')}`,
    )
    .execute(db);
  await sql
    .raw(
      `
    UPDATE kpi_survey_answer s SET multi = true FROM kpi_survey_actor_item g
    WHERE ${SAME_GROUP('s', 'g')} AND g.answered_rows > 1`,
    )
    .execute(db);
  await sql`CREATE INDEX kpi_survey_answer_multi_idx ON kpi_survey_answer (tenant_id, module_id) WHERE multi`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const event of ['insert', 'update', 'delete']) {
    await sql.raw(`DROP TRIGGER kpi_survey_multi_${event} ON kpi_survey_answer`).execute(db);
  }
  await sql`DROP FUNCTION kpi_survey_multi_follow()`.execute(db);
  await sql`DROP INDEX kpi_survey_answer_multi_idx`.execute(db);
  await sql`DROP INDEX kpi_survey_answer_actor_idx`.execute(db);
  await sql`DROP TABLE kpi_survey_actor_item`.execute(db);
  await sql`ALTER TABLE kpi_survey_answer DROP COLUMN multi`.execute(db);
}
