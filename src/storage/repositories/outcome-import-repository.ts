import type { Kysely, Selectable } from 'kysely';
import { mapDatabaseError } from '../db-errors.js';
import type { Database, OutcomeImportTable } from '../schema.js';
import { withTransaction } from '../transaction.js';
import { outcomeStagingQueries } from './outcome-staging-queries.js';
import type { AppliedCounts, ImportStatus, OutcomeImport, StagedRow } from '../../outcomes/model.js';

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
    ...outcomeStagingQueries(db),
    /** Runs `work` in one transaction with queries bound to it: all of it commits or none. */
    transaction<T>(work: (tx: OutcomeImportQueries) => Promise<T>): Promise<T> {
      return withTransaction(db, (trx) =>
        work({ ...outcomeImportQueries(trx), ...outcomeStagingQueries(trx) }),
      );
    },
  };
}

export type OutcomeImportRepository = ReturnType<typeof createOutcomeImportRepository>;
export type OutcomeImportQueries = ReturnType<typeof outcomeImportQueries> &
  ReturnType<typeof outcomeStagingQueries>;

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
