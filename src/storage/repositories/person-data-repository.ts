import { CompiledQuery, type Kysely } from 'kysely';
import type { IdentityLtiUser, IdentityPerson, PersonIdentity, PersonLocation } from '../../privacy/model.js';
import { rebuildKpiRollupsSql } from '../rollups/index.js';
import { attachmentSha2sSql } from './statement-attachment-sql.js';
import type { Database } from '../schema.js';
import { withTransaction } from '../transaction.js';

/**
 * Where one person's data lives, as SQL: every table of Yardstick's schema that names a person by an
 * LTI user id, a person id, an xAPI agent key or an employee id. Parameters of every `where`:
 * $1 tenant, $2 LTI user ids, $3 person ids, $4 agent keys, $5 employee ids.
 *
 * The order is the erasure order: statements that void or refer to the person's statements before
 * the statements themselves; children before the rows they cascade from, so counts are exact.
 */
/** Types every parameter, since a place's query uses only some of them. */
const TYPED = `WITH params AS (SELECT $1::uuid, $2::uuid[], $3::uuid[], $4::text[], $5::text[]) `;
const OWN_STATEMENTS = `SELECT statement_id FROM xapi_statement_agent WHERE tenant_id = $1 AND agent_key = ANY($4)`;

/** The xAPI accounts among the agent keys ($4): `account:["homePage","name"]`. */
const ACCOUNTS = `SELECT substr(k, 9)::jsonb ->> 0 AS home_page, substr(k, 9)::jsonb ->> 1 AS name
                    FROM unnest($4::text[]) k WHERE k LIKE 'account:%'`;
const OBSERVED = `https://w3id.org/yardstick/xapi/extensions/observed_learner`;
/**
 * Observations by others about the person: statements naming them as the observed learner in a
 * context extension (src/learning/flow/observation-service.ts), which the agent index does not hold.
 * Found through the KPI facts (migration 0140 indexes them), and among statements still in the capture
 * outbox (no facts yet) by reading the statement.
 */
const OBSERVATIONS_OF = `SELECT f.statement_id FROM kpi_statement f JOIN (${ACCOUNTS}) a
      ON f.observed_name = a.name AND f.observed_home_page = a.home_page WHERE f.tenant_id = $1
    UNION ALL
    SELECT s.id FROM xapi_statement_outbox o CROSS JOIN LATERAL unnest(o.seqs) q(seq)
      JOIN xapi_statement s ON s.tenant_id = o.tenant_id AND s.seq = q.seq
      JOIN (${ACCOUNTS}) a
        ON s.statement::jsonb #>> '{context,extensions,${OBSERVED},account,name}' = a.name
       AND s.statement::jsonb #>> '{context,extensions,${OBSERVED},account,homePage}' = a.home_page
     WHERE o.tenant_id = $1 AND s.statement LIKE '%observed_learner%'`;
/** Statements by or about the person: theirs in any agent position, and observations of them. */
const PERSON_STATEMENTS = `${OWN_STATEMENTS} UNION ALL ${OBSERVATIONS_OF}`;

/** Ids of the person's statements and of the statements voiding or referring to them: what erasure deletes. */
const ERASED_IDS = `${PERSON_STATEMENTS} UNION ALL SELECT v.id FROM xapi_statement v WHERE v.tenant_id = $1
    AND (v.voiding_target IN (${PERSON_STATEMENTS}) OR v.ref_target IN (${PERSON_STATEMENTS}))`;

interface Place {
  place: string;
  table: string;
  where: string;
  /** Columns of the export (default every column, as JSON). */
  exported?: string;
}

const PLACES: readonly Place[] = [
  {
    // Attachments are stored once per tenant and hash (migration 0004): one declared only by statements
    // that erasure deletes goes with them; one another kept statement also declares stays. Before the
    // statements, whose rows say which hashes are the person's.
    place: 'xapi_attachment (files attached to their statements)',
    table: 'xapi_attachment',
    where: `t.tenant_id = $1 AND t.sha2 IN (${attachmentSha2sSql('s', `s.id IN (${ERASED_IDS})`)})
            AND NOT EXISTS (SELECT 1 FROM (${attachmentSha2sSql(
              'k',
              `k.statement ILIKE '%' || t.sha2 || '%'
                                AND k.id NOT IN (${ERASED_IDS})`,
            )}) kept(sha2) WHERE kept.sha2 = t.sha2)`,
    exported: `to_jsonb(t) - 'content' || jsonb_build_object('content_base64', encode(t.content, 'base64'))`,
  },
  {
    place: 'xapi_statement (voiding or referring to their statements)',
    table: 'xapi_statement',
    where: `t.tenant_id = $1 AND (t.voiding_target IN (${PERSON_STATEMENTS}) OR t.ref_target IN (${PERSON_STATEMENTS}))
            AND t.id NOT IN (${PERSON_STATEMENTS})`,
    exported: `jsonb_build_object('id', t.id, 'stored', t.stored, 'voided', t.voided, 'statement', t.statement)`,
  },
  {
    place: 'xapi_statement (observations of them by others)',
    table: 'xapi_statement',
    where: `t.tenant_id = $1 AND t.id IN (${OBSERVATIONS_OF}) AND t.id NOT IN (${OWN_STATEMENTS})`,
    exported: `jsonb_build_object('id', t.id, 'stored', t.stored, 'voided', t.voided, 'statement', t.statement)`,
  },
  {
    place: 'xapi_statement (as actor, object or in context)',
    table: 'xapi_statement',
    where: `t.tenant_id = $1 AND t.id IN (${OWN_STATEMENTS})`,
    exported: `jsonb_build_object('id', t.id, 'stored', t.stored, 'voided', t.voided, 'statement', t.statement)`,
  },
  {
    place: 'xapi_document (state and agent profile)',
    table: 'xapi_document',
    where: `t.tenant_id = $1 AND t.agent_key = ANY($4)`,
    exported: `to_jsonb(t) - 'content' || jsonb_build_object('content_base64', encode(t.content, 'base64'))`,
  },
  {
    place: 'cmi5_launch',
    table: 'cmi5_launch',
    where: `t.tenant_id = $1 AND (t.agent_key = ANY($4) OR t.attempt_id IN
            (SELECT id FROM learning_attempt WHERE tenant_id = $1 AND user_id = ANY($2)))`,
    exported: `to_jsonb(t) - 'fetch_hash' - 'secret_hash'`,
  },
  {
    place: 'learning_session',
    table: 'learning_session',
    where: `t.tenant_id = $1 AND t.attempt_id IN (SELECT id FROM learning_attempt WHERE tenant_id = $1 AND user_id = ANY($2))`,
  },
  {
    place: 'learning_attempt (attempts and scores)',
    table: 'learning_attempt',
    where: `t.tenant_id = $1 AND t.user_id = ANY($2)`,
  },
  {
    place: 'learning_time_total',
    table: 'learning_time_total',
    where: `t.tenant_id = $1 AND t.user_id = ANY($2)`,
  },
  {
    place: 'learning_observation (as learner or observer)',
    table: 'learning_observation',
    where: `t.tenant_id = $1 AND (t.learner_user_id = ANY($2) OR t.observer_user_id = ANY($2))`,
  },
  {
    place: 'module_experiment_assignment',
    table: 'module_experiment_assignment',
    where: `t.tenant_id = $1 AND t.learner_key = ANY($2::text[])`,
  },
  {
    place: 'lti_grade_passback (grades sent)',
    table: 'lti_grade_passback',
    where: `t.tenant_id = $1 AND t.user_id = ANY($2)`,
  },
  { place: 'lti_session', table: 'lti_session', where: `t.tenant_id = $1 AND t.user_id = ANY($2)` },
  { place: 'enrollment', table: 'enrollment', where: `t.tenant_id = $1 AND t.user_id = ANY($2)` },
  {
    place: 'cohort_member (cohort assignments)',
    table: 'cohort_member',
    where: `t.tenant_id = $1 AND t.person_id = ANY($3)`,
    exported: `to_jsonb(t) || jsonb_build_object('cohort', (SELECT c.name FROM cohort c WHERE c.tenant_id = t.tenant_id AND c.id = t.cohort_id))`,
  },
  {
    place: 'program_effect_person',
    table: 'program_effect_person',
    where: `t.tenant_id = $1 AND t.person_id = ANY($3)`,
  },
  { place: 'outcome_payroll', table: 'outcome_payroll', where: `t.tenant_id = $1 AND t.person_id = ANY($3)` },
  {
    place: 'outcome_plan_participation',
    table: 'outcome_plan_participation',
    where: `t.tenant_id = $1 AND t.person_id = ANY($3)`,
  },
  { place: 'outcome_claim', table: 'outcome_claim', where: `t.tenant_id = $1 AND t.person_id = ANY($3)` },
  { place: 'outcome_hris', table: 'outcome_hris', where: `t.tenant_id = $1 AND t.person_id = ANY($3)` },
  {
    place: 'outcome_import_row (staged, not yet accepted)',
    table: 'outcome_import_row',
    where: `t.tenant_id = $1 AND t.employee_id = ANY($5)`,
  },
  { place: 'person (people table)', table: 'person', where: `t.tenant_id = $1 AND t.id = ANY($3)` },
  { place: 'lti_user', table: 'lti_user', where: `t.tenant_id = $1 AND t.id = ANY($2)` },
];

/** Schemas Yardstick owns and erases table by table above; every other schema is swept by value. */
const APP_SCHEMAS = ['public', 'analytics', 'analytics_private'];

export interface PlaceRows {
  place: string;
  rows: Record<string, unknown>[];
}

export function createPersonDataRepository(db: Kysely<Database>) {
  const run = async <R>(q: Kysely<Database>, text: string, params: unknown[]) =>
    (await q.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const params = (id: PersonIdentity) => [
    id.tenantId,
    id.ltiUsers.map((u) => u.id),
    id.people.map((p) => p.id),
    id.agentKeys,
    id.employeeIds,
  ];

  /** Tables outside Yardstick's own schemas (ltijs' tables, pg-boss' jobs and archive). */
  const foreignTables = (q: Kysely<Database>) =>
    run<{ schema: string; name: string }>(
      q,
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema <> ALL($1)
          AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'
        ORDER BY 1, 2`,
      [APP_SCHEMAS],
    );
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  /** A row matches when any string in it (nested JSON included) equals one of the values. */
  const sweepWhere = `EXISTS (SELECT 1 FROM jsonb_path_query(to_jsonb(t), 'strict $.**') v
                       WHERE jsonb_typeof(v) = 'string' AND (v #>> '{}') = ANY($1))`;

  /** The sweep's values plus the person's passback ids, which pg-boss job payloads carry. */
  const sweepValuesOf = async (q: Kysely<Database>, identity: PersonIdentity) => {
    const passbacks = await run<{ id: string }>(
      q,
      `SELECT id::text FROM lti_grade_passback WHERE tenant_id = $1 AND user_id = ANY($2::uuid[])`,
      [identity.tenantId, identity.ltiUsers.map((u) => u.id)],
    );
    return [...identity.sweepValues, ...passbacks.map((p) => p.id)];
  };

  return {
    /** The LTI users and people rows reachable from the given identifiers, as one person. */
    async resolve(
      tenantId: string,
      seed: { emails: string[]; accounts: { homePage: string; name: string }[]; employeeIds: string[] },
    ): Promise<{ ltiUsers: IdentityLtiUser[]; people: IdentityPerson[] }> {
      const emails = new Set(seed.emails.map((e) => e.toLowerCase()));
      const employeeIds = new Set(seed.employeeIds);
      const userIds = new Set<string>();
      let ltiUsers: IdentityLtiUser[] = [];
      let people: IdentityPerson[] = [];
      // Two rounds reach everything: person <-> LTI user links are one step, emails join the rest.
      for (let round = 0; round < 3; round++) {
        ltiUsers = await run<IdentityLtiUser>(
          db,
          `SELECT id, platform_id AS "platformId", sub, name, email, xapi_home_page AS "xapiHomePage",
                  xapi_name AS "xapiName"
             FROM lti_user
            WHERE tenant_id = $1 AND (id = ANY($2) OR lower(email) = ANY($3)
               OR (xapi_home_page, xapi_name) IN (SELECT * FROM unnest($4::text[], $5::text[])))
            ORDER BY created_at, id`,
          [
            tenantId,
            [...userIds],
            [...emails],
            seed.accounts.map((a) => a.homePage),
            seed.accounts.map((a) => a.name),
          ],
        );
        people = await run<IdentityPerson>(
          db,
          `SELECT id, employee_id AS "employeeId", lms_user_id AS "lmsUserId", email, display_name AS "displayName"
             FROM person
            WHERE tenant_id = $1 AND (employee_id = ANY($2) OR lms_user_id = ANY($3) OR lower(email) = ANY($4))
            ORDER BY created_at, id`,
          [tenantId, [...employeeIds], ltiUsers.map((u) => u.id), [...emails]],
        );
        const before = userIds.size + emails.size + employeeIds.size;
        for (const u of ltiUsers) {
          userIds.add(u.id);
          if (u.email) emails.add(u.email.toLowerCase());
        }
        for (const p of people) {
          if (p.lmsUserId) userIds.add(p.lmsUserId);
          if (p.email) emails.add(p.email.toLowerCase());
          if (p.employeeId) employeeIds.add(p.employeeId);
        }
        if (userIds.size + emails.size + employeeIds.size === before) break;
      }
      return { ltiUsers, people };
    },

    /** Rows naming the person, per place, and per foreign table (`schema.table`) of the sweep. */
    async locate(identity: PersonIdentity): Promise<PersonLocation[]> {
      const out: PersonLocation[] = [];
      for (const p of PLACES) {
        const [row] = await run<{ n: string }>(
          db,
          `${TYPED}SELECT count(*) AS n FROM ${p.table} t WHERE ${p.where}`,
          params(identity),
        );
        out.push({ place: p.place, count: Number(row!.n) });
      }
      for (const t of await foreignTables(db)) {
        const [row] = await run<{ n: string }>(
          db,
          `SELECT count(*) AS n FROM ${quote(t.schema)}.${quote(t.name)} t WHERE ${sweepWhere}`,
          [await sweepValuesOf(db, identity)],
        );
        out.push({ place: `${t.schema}.${t.name}`, count: Number(row!.n) });
      }
      return out;
    },

    /** Every row naming the person, per place, as JSON (document bodies in base64). */
    async rows(identity: PersonIdentity): Promise<PlaceRows[]> {
      const out: PlaceRows[] = [];
      for (const p of PLACES) {
        const rows = await run<{ r: Record<string, unknown> }>(
          db,
          `${TYPED}SELECT ${p.exported ?? 'to_jsonb(t)'} AS r FROM ${p.table} t WHERE ${p.where}`,
          params(identity),
        );
        out.push({ place: p.place, rows: rows.map((x) => x.r) });
      }
      for (const t of await foreignTables(db)) {
        const rows = await run<{ r: Record<string, unknown> }>(
          db,
          `SELECT to_jsonb(t) AS r FROM ${quote(t.schema)}.${quote(t.name)} t WHERE ${sweepWhere}`,
          [await sweepValuesOf(db, identity)],
        );
        out.push({ place: `${t.schema}.${t.name}`, rows: rows.map((x) => x.r) });
      }
      return out;
    },

    /**
     * Erases the person in one transaction: every place above, the rows of foreign tables naming them,
     * then the tenant's KPI rollups are rebuilt from the remaining facts and its chart cache emptied.
     * `record` runs last in the same transaction (the privacy request and tombstones).
     */
    async erase<T>(
      identity: PersonIdentity,
      record: (trx: Kysely<Database>, erased: PersonLocation[]) => Promise<T>,
    ): Promise<{ erased: PersonLocation[]; recorded: T }> {
      return withTransaction(db, async (trx) => {
        const erased: PersonLocation[] = [];
        // Passback ids ride in pg-boss job payloads; find them before their rows go.
        const sweepValues = await sweepValuesOf(trx, identity);
        for (const p of PLACES) {
          const result = await trx.executeQuery(
            CompiledQuery.raw(`${TYPED}DELETE FROM ${p.table} t WHERE ${p.where}`, params(identity)),
          );
          erased.push({ place: p.place, count: Number(result.numAffectedRows ?? 0) });
        }
        for (const t of await foreignTables(trx)) {
          const result = await trx.executeQuery(
            CompiledQuery.raw(`DELETE FROM ${quote(t.schema)}.${quote(t.name)} t WHERE ${sweepWhere}`, [
              sweepValues,
            ]),
          );
          erased.push({ place: `${t.schema}.${t.name}`, count: Number(result.numAffectedRows ?? 0) });
        }
        // Statements still in the KPI capture outbox are captured by a later drain; no drain of the
        // tenant may run beside the rebuild (it takes every part's lock, migration 0092).
        await trx.executeQuery(CompiledQuery.raw(`SELECT kpi_outbox_lock_all($1)`, [identity.tenantId]));
        await trx.executeQuery(CompiledQuery.raw(rebuildKpiRollupsSql(), [identity.tenantId]));
        const charts = await trx.executeQuery(
          CompiledQuery.raw(`DELETE FROM chart_render_cache WHERE tenant_id = $1`, [identity.tenantId]),
        );
        erased.push({
          place: 'chart_render_cache (whole tenant)',
          count: Number(charts.numAffectedRows ?? 0),
        });
        const recorded = await record(trx, erased);
        return { erased, recorded };
      });
    },
  };
}

export type PersonDataRepository = ReturnType<typeof createPersonDataRepository>;
