import { sql, type Kysely } from 'kysely';
import { ConflictError } from '../../errors.js';
import { mapDatabaseError } from '../db-errors.js';
import type { Database } from '../schema.js';
import { outcomeTable, rowsDiffer, stagedSource, writtenColumns } from './outcome-tables.js';

/** How many staged rows one upsert statement covers during acceptance. */
const APPLY_CHUNK_ROWS = 25_000;
const EXAMPLES = 5;

const CHECK_VIOLATION = '23514';
const NOT_NULL_VIOLATION = '23502';

/**
 * SQL over one import's staging rows: the facts of its data-quality report, and applying it to the
 * outcome tables at acceptance (call those inside a transaction; see createOutcomeImportRepository).
 */
export function outcomeStagingQueries(db: Kysely<Database>) {
  return {
    /**
     * Refreshes planner statistics of the staging table and the kind's outcome table. Without it a
     * freshly staged batch looks empty to the planner, which then nests loops over 100,000 rows.
     */
    async analyze(kind: string): Promise<void> {
      await sql`ANALYZE outcome_import_row`.execute(db);
      await sql`ANALYZE ${sql.table(outcomeTable(kind).table)}`.execute(db);
    },

    /** Staged rows sharing a natural key: how many keys, how many rows, the first few with their rows. */
    async duplicateKeys(tenantId: string, importId: string) {
      const dupes = db
        .selectFrom('outcome_import_row')
        .select(['natural_key', sql<number>`count(*)::int`.as('n'), sql<number>`min(row_number)`.as('first')])
        .where('tenant_id', '=', tenantId)
        .where('import_id', '=', importId)
        .where('natural_key', 'is not', null)
        .groupBy('natural_key')
        .having(sql`count(*)`, '>', 1);
      const totals = await db
        .selectFrom(dupes.as('d'))
        .select([sql<number>`count(*)::int`.as('keys'), sql<number>`coalesce(sum(n), 0)::int`.as('rows')])
        .executeTakeFirstOrThrow();
      const examples = await db
        .selectFrom('outcome_import_row as r')
        .innerJoin(dupes.orderBy('first').limit(EXAMPLES).as('d'), 'd.natural_key', 'r.natural_key')
        .select([
          'r.natural_key',
          sql<number[]>`(array_agg(r.row_number ORDER BY r.row_number))[1:10]`.as('rows'),
        ])
        .where('r.tenant_id', '=', tenantId)
        .where('r.import_id', '=', importId)
        .groupBy('r.natural_key')
        .orderBy(sql`min(r.row_number)`)
        .execute();
      return {
        count: totals.keys,
        rows: totals.rows,
        examples: examples.map((e) => ({ key: e.natural_key!, rows: e.rows })),
      };
    },

    /** Employee ids of staged rows that match no person. */
    async unmatchedEmployeeIds(tenantId: string, importId: string) {
      const unmatched = db
        .selectFrom('outcome_import_row as r')
        .where('r.tenant_id', '=', tenantId)
        .where('r.import_id', '=', importId)
        .where('r.employee_id', 'is not', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('person as p')
                .select(sql`1`.as('one'))
                .whereRef('p.tenant_id', '=', 'r.tenant_id')
                .whereRef('p.employee_id', '=', 'r.employee_id'),
            ),
          ),
        );
      const totals = await unmatched
        .select([
          sql<number>`count(DISTINCT r.employee_id)::int`.as('ids'),
          sql<number>`count(*)::int`.as('rows'),
        ])
        .executeTakeFirstOrThrow();
      const examples = await unmatched
        .select('r.employee_id')
        .distinct()
        .orderBy('r.employee_id')
        .limit(EXAMPLES)
        .execute();
      return { count: totals.ids, rows: totals.rows, examples: examples.map((e) => e.employee_id!) };
    },

    /**
     * Valid staged rows whose natural key is already stored: how many, how many are identical, and how
     * many are stored for another person (possible only for claims, keyed by claim id).
     */
    async existingKeys(tenantId: string, importId: string, kind: string) {
      const t = outcomeTable(kind);
      const on = sql.join(
        ['tenant_id', ...t.key].map((k) => sql`${sql.ref(`t.${k}`)} = ${sql.ref(`s.${k}`)}`),
        sql` AND `,
      );
      const { rows } = await sql<{ keys: number; identical: number; otherPerson: number }>`
        SELECT count(*)::int AS keys, count(*) FILTER (WHERE NOT ${rowsDiffer(t, 't', 's')})::int AS identical,
               count(*) FILTER (WHERE t.person_id <> s.person_id)::int AS "otherPerson"
        FROM (${stagedSource(t, tenantId, importId)}) s
        JOIN ${sql.table(t.table)} t ON ${on}`.execute(db);
      return rows[0]!;
    },

    /** The latest accepted import of the same kind with the same content hash, if any. */
    async acceptedWithHash(tenantId: string, kind: string, hash: string, exceptId: string) {
      const row = await db
        .selectFrom('outcome_import')
        .select(['id', 'accepted_at'])
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('content_hash', '=', hash)
        .where('status', '=', 'accepted')
        .where('id', '!=', exceptId)
        .orderBy('accepted_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? { importId: row.id, acceptedAt: row.accepted_at!.toISOString() } : null;
    },

    /** Creates a person (employee id only) for every unmatched employee id of the import. */
    async createMissingPeople(tenantId: string, importId: string): Promise<number> {
      const { numAffectedRows } = await sql`
        INSERT INTO person (tenant_id, employee_id)
        SELECT DISTINCT r.tenant_id, r.employee_id
        FROM outcome_import_row r
        WHERE r.tenant_id = ${tenantId} AND r.import_id = ${importId} AND r.valid AND r.employee_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM person p WHERE p.tenant_id = r.tenant_id AND p.employee_id = r.employee_id)
        ON CONFLICT (tenant_id, employee_id) WHERE employee_id IS NOT NULL DO NOTHING`.execute(db);
      return Number(numAffectedRows ?? 0);
    },

    /**
     * Upserts the import's valid staged rows into the kind's table by natural key, in chunks of row
     * numbers (call inside a transaction: a failing chunk must take the earlier ones with it). Rows
     * whose values are all unchanged are not written. A CHECK or NOT NULL violation becomes a
     * ConflictError naming the rule.
     */
    async applyStaged(tenantId: string, importId: string, kind: string) {
      const t = outcomeTable(kind);
      const cols = writtenColumns(t);
      const bounds = await db
        .selectFrom('outcome_import_row')
        .select([sql<number | null>`min(row_number)`.as('lo'), sql<number | null>`max(row_number)`.as('hi')])
        .where('tenant_id', '=', tenantId)
        .where('import_id', '=', importId)
        .executeTakeFirstOrThrow();
      let inserted = 0;
      let updated = 0;
      if (bounds.lo === null || bounds.hi === null) return { inserted, updated };
      const target = sql.join(['tenant_id', ...cols, 'import_id'].map((c) => sql.ref(c)));
      const conflict = sql.join(['tenant_id', ...t.key].map((c) => sql.ref(c)));
      const assignments = sql.join(
        [...cols, 'import_id'].map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`),
      );
      for (let from = bounds.lo; from <= bounds.hi; from += APPLY_CHUNK_ROWS) {
        const range = { from, to: from + APPLY_CHUNK_ROWS - 1 };
        try {
          const { rows } = await sql<{ inserted: number; updated: number }>`
            WITH up AS (
              INSERT INTO ${sql.table(t.table)} AS t (${target})
              SELECT s.tenant_id, ${sql.join(cols.map((c) => sql.ref(`s.${c}`)))}, ${importId}::uuid
              FROM (${stagedSource(t, tenantId, importId, range)}) s
              ON CONFLICT (${conflict}) DO UPDATE SET ${assignments}, updated_at = now()
              WHERE ${rowsDiffer(t, 't', 'excluded')}
              RETURNING (xmax = 0) AS fresh
            )
            SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated
            FROM up`.execute(db);
          inserted += rows[0]!.inserted;
          updated += rows[0]!.updated;
        } catch (err) {
          const e = err as { code?: string; constraint?: string; column?: string; detail?: string };
          if (e.code === CHECK_VIOLATION || e.code === NOT_NULL_VIOLATION)
            throw new ConflictError(
              `Nothing was applied: a staged row breaks the rule ${e.constraint ?? e.column ?? 'of the outcome table'} of ${t.table}. Stage the corrected file again.`,
              [{ path: e.constraint ?? e.column, message: e.detail ?? 'constraint violated' }],
              { cause: err },
            );
          throw mapDatabaseError(err);
        }
      }
      return { inserted, updated };
    },

    /** How many staged rows are valid (the rows acceptance applies). */
    async countValidRows(tenantId: string, importId: string): Promise<number> {
      const r = await db
        .selectFrom('outcome_import_row')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('tenant_id', '=', tenantId)
        .where('import_id', '=', importId)
        .where('valid', '=', true)
        .executeTakeFirstOrThrow();
      return r.n;
    },
  };
}
