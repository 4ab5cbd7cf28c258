import { sql, type Kysely, type Selectable } from 'kysely';
import { ConflictError } from '../../errors.js';
import { mapDatabaseError } from '../db-errors.js';
import type { Database, OutcomeImportTable } from '../schema.js';
import { withTransaction } from '../transaction.js';
import { outcomeTable, rowsDiffer, stagedSource, writtenColumns } from './outcome-tables.js';

export type ImportStatus = 'created' | 'staging' | 'staged' | 'failed' | 'accepted';

export interface OutcomeImport {
  tenantId: string;
  id: string;
  kind: string;
  source: 'csv' | 'json';
  fileName: string | null;
  status: ImportStatus;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
  contentHash: string | null;
  bytesTotal: number | null;
  bytesRead: number;
  rowsParsed: number;
  rowsInvalid: number;
  report: unknown;
  failure: string | null;
  createdBy: string;
  createdAt: Date;
  stagedAt: Date | null;
  acceptedBy: string | null;
  acceptedAt: Date | null;
  applied: AppliedCounts | null;
}

export interface AppliedCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  peopleCreated: number;
}

export interface StagedRow {
  rowNumber: number;
  employeeId: string | null;
  naturalKey: string | null;
  valid: boolean;
  values: Record<string, unknown>;
  errors: unknown[] | null;
}

/** How many staged rows one upsert statement covers during acceptance. */
const APPLY_CHUNK_ROWS = 25_000;
const EXAMPLES = 5;

const CHECK_VIOLATION = '23514';
const NOT_NULL_VIOLATION = '23502';

function toImport(r: Selectable<OutcomeImportTable>): OutcomeImport {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    kind: r.kind,
    source: r.source as OutcomeImport['source'],
    fileName: r.file_name,
    status: r.status as ImportStatus,
    mapping: r.mapping,
    options: r.options,
    contentHash: r.content_hash,
    bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
    bytesRead: Number(r.bytes_read),
    rowsParsed: r.rows_parsed,
    rowsInvalid: r.rows_invalid,
    report: r.report,
    failure: r.failure,
    createdBy: r.created_by,
    createdAt: r.created_at,
    stagedAt: r.staged_at,
    acceptedBy: r.accepted_by,
    acceptedAt: r.accepted_at,
    applied: r.applied as AppliedCounts | null,
  };
}

/** SQL for outcome import batches, their staging rows, and applying them to the outcome tables. */
export function createOutcomeImportRepository(db: Kysely<Database>) {
  return {
    ...outcomeImportQueries(db),
    /** Runs `work` in one transaction with queries bound to it: all of it commits or none. */
    transaction<T>(work: (tx: OutcomeImportQueries) => Promise<T>): Promise<T> {
      return withTransaction(db, (trx) => work(outcomeImportQueries(trx)));
    },
  };
}

export type OutcomeImportRepository = ReturnType<typeof createOutcomeImportRepository>;
export type OutcomeImportQueries = ReturnType<typeof outcomeImportQueries>;

function outcomeImportQueries(db: Kysely<Database>) {
  return {
    async create(input: {
      tenantId: string;
      kind: string;
      source: 'csv' | 'json';
      fileName: string | null;
      mapping: Record<string, string>;
      options: Record<string, unknown>;
      bytesTotal: number | null;
      createdBy: string;
    }): Promise<OutcomeImport> {
      try {
        const row = await db
          .insertInto('outcome_import')
          .values({
            tenant_id: input.tenantId,
            kind: input.kind,
            source: input.source,
            file_name: input.fileName,
            mapping: JSON.stringify(input.mapping),
            options: JSON.stringify(input.options),
            bytes_total: input.bytesTotal,
            created_by: input.createdBy,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toImport(row);
      } catch (err) {
        throw mapDatabaseError(err);
      }
    },

    async find(
      tenantId: string,
      id: string,
      options: { forUpdate?: boolean } = {},
    ): Promise<OutcomeImport | undefined> {
      let q = db
        .selectFrom('outcome_import')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id);
      if (options.forUpdate) q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row && toImport(row);
    },

    async list(tenantId: string, limit: number): Promise<OutcomeImport[]> {
      const rows = await db
        .selectFrom('outcome_import')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toImport);
    },

    /** Moves a created import to staging; false when it was not in `created` (already staged or staging). */
    async startStaging(tenantId: string, id: string, bytesTotal: number | null): Promise<boolean> {
      const r = await db
        .updateTable('outcome_import')
        .set({ status: 'staging', ...(bytesTotal !== null ? { bytes_total: bytesTotal } : {}) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'created')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async updateProgress(
      tenantId: string,
      id: string,
      p: { bytesRead: number; rowsParsed: number; rowsInvalid: number },
    ): Promise<void> {
      await db
        .updateTable('outcome_import')
        .set({ bytes_read: p.bytesRead, rows_parsed: p.rowsParsed, rows_invalid: p.rowsInvalid })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async insertRows(tenantId: string, importId: string, rows: StagedRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('outcome_import_row')
        .values(
          rows.map((r) => ({
            tenant_id: tenantId,
            import_id: importId,
            row_number: r.rowNumber,
            employee_id: r.employeeId,
            natural_key: r.naturalKey,
            valid: r.valid,
            values: JSON.stringify(r.values),
            errors: r.errors && r.errors.length ? JSON.stringify(r.errors) : null,
          })),
        )
        .execute();
    },

    /** Records the end of staging: the outcome (staged or failed), hash, report and final counts. */
    async finishStaging(
      tenantId: string,
      id: string,
      end: {
        status: 'staged' | 'failed';
        contentHash: string | null;
        mapping: Record<string, string>;
        report: unknown;
        failure: string | null;
        bytesRead: number;
        rowsParsed: number;
        rowsInvalid: number;
      },
    ): Promise<OutcomeImport> {
      const row = await db
        .updateTable('outcome_import')
        .set({
          status: end.status,
          content_hash: end.contentHash,
          mapping: JSON.stringify(end.mapping),
          report: end.report === null ? null : JSON.stringify(end.report),
          failure: end.failure,
          bytes_read: end.bytesRead,
          rows_parsed: end.rowsParsed,
          rows_invalid: end.rowsInvalid,
          staged_at: new Date(),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toImport(row);
    },

    /** Staged rows in row order after `after`, optionally only the invalid ones (keyset paging). */
    async stagedRows(
      tenantId: string,
      importId: string,
      page: { invalidOnly: boolean; after: number; limit: number },
    ): Promise<StagedRow[]> {
      let q = db
        .selectFrom('outcome_import_row')
        .select(['row_number', 'employee_id', 'natural_key', 'valid', 'values', 'errors'])
        .where('tenant_id', '=', tenantId)
        .where('import_id', '=', importId)
        .where('row_number', '>', page.after);
      if (page.invalidOnly) q = q.where('valid', '=', false);
      const rows = await q.orderBy('row_number').limit(page.limit).execute();
      return rows.map((r) => ({
        rowNumber: r.row_number,
        employeeId: r.employee_id,
        naturalKey: r.natural_key,
        valid: r.valid,
        values: r.values,
        errors: (r.errors as unknown[] | null) ?? null,
      }));
    },

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

    /** Valid staged rows whose natural key is already stored, and how many of those are identical. */
    async existingKeys(tenantId: string, importId: string, kind: string) {
      const t = outcomeTable(kind);
      const on = sql.join(
        ['tenant_id', ...t.key].map((k) => sql`${sql.ref(`t.${k}`)} = ${sql.ref(`s.${k}`)}`),
        sql` AND `,
      );
      const { rows } = await sql<{ keys: number; identical: number }>`
        SELECT count(*)::int AS keys, count(*) FILTER (WHERE NOT ${rowsDiffer(t, 't', 's')})::int AS identical
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

    async markAccepted(
      tenantId: string,
      id: string,
      acceptedBy: string,
      applied: AppliedCounts,
    ): Promise<OutcomeImport> {
      const row = await db
        .updateTable('outcome_import')
        .set({
          status: 'accepted',
          accepted_by: acceptedBy,
          accepted_at: new Date(),
          applied: JSON.stringify(applied),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toImport(row);
    },

    /** Staging rows are scaffolding: dropped once applied (the outcome rows keep the import id). */
    async deleteRows(tenantId: string, importId: string): Promise<void> {
      await db
        .deleteFrom('outcome_import_row')
        .where('tenant_id', '=', tenantId)
        .where('import_id', '=', importId)
        .execute();
    },
  };
}
