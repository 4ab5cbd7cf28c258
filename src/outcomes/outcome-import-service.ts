import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import type { OutcomeImportRepository } from '../storage/repositories/outcome-import-repository.js';
import { resolveColumnMapping, type ColumnMapping } from './column-mapping.js';
import { streamCsv, type SourceRecord } from './csv-source.js';
import { describeProblem, utcToday } from './fields.js';
import { getOutcomeKind, type OutcomeKind } from './kinds/index.js';
import { buildQualityReport, RowTally, type QualityOptions, type QualityReport } from './quality-report.js';
import { validateRow, type RowError, type ValidatedRow } from './row-validation.js';
import {
  NO_ERASED_EMPLOYEE_IDS,
  type ErasedEmployeeIds,
  type OutcomeImport,
  type StagedRow,
} from './model.js';

/** Rows written to staging per INSERT, and how often progress is saved. */
export const STAGE_BATCH_ROWS = 1000;

/** Options of one import: quality thresholds and whether to create people for unknown employee ids. */
export type ImportOptions = QualityOptions;

export interface CreateImportInput {
  tenantId: string;
  kind: string;
  source: 'csv' | 'json';
  fileName?: string | null;
  /** header -> field (or "-" to ignore); unmapped headers are matched by name. */
  mapping?: Record<string, string>;
  options?: ImportOptions;
  /** Size of the upload when known (Content-Length, file size), for the progress fraction. */
  bytesTotal?: number | null;
  /** Who did it: "cli:alice", "api:admin". */
  actor: string;
}

export interface OutcomeImportService {
  /** Registers an import (status `created`) so a client can poll it while the file uploads. */
  create(input: CreateImportInput): Promise<OutcomeImport>;
  /**
   * Stage phase for a CSV: stream-parses `input`, validates every row, writes rows to staging in
   * batches of STAGE_BATCH_ROWS (saving progress each batch), then computes the data-quality report.
   * Mapping problems and malformed CSV mark the import failed and throw a ValidationError.
   */
  stageCsv(
    tenantId: string,
    importId: string,
    input: Readable,
    bytesTotal?: number | null,
  ): Promise<OutcomeImport>;
  /** Stage phase for JSON rows (objects keyed by header or field name); row 1 is the first object. */
  stageRows(tenantId: string, importId: string, rows: Record<string, unknown>[]): Promise<OutcomeImport>;
  get(tenantId: string, importId: string): Promise<OutcomeImport>;
  /**
   * Staged rows with their errors spelled out, in row order after row `after` (keyset paging; at most
   * 1,000 per page). Staging rows are dropped on acceptance, so an accepted import has none.
   */
  rows(
    tenantId: string,
    importId: string,
    page: { invalidOnly?: boolean; after?: number; limit?: number },
  ): Promise<StagedRowView[]>;
  list(tenantId: string, limit?: number): Promise<OutcomeImport[]>;
  /**
   * Accept phase: applies every valid staged row in ONE transaction (people for unknown employee ids
   * first, when allowed), upserting by natural key so identical rows change nothing. Refused
   * (precondition_failed) when the report has blocking problems. Accepting an accepted import returns
   * it unchanged.
   */
  accept(tenantId: string, importId: string, actor: string): Promise<OutcomeImport>;
}

export interface StagedRowView {
  rowNumber: number;
  valid: boolean;
  /** Normalized values of a valid row; the cells as written (by header) of an invalid one. */
  values: Record<string, unknown>;
  errors: { field: string; problem: string; message: string }[];
}

/** Fraction of the upload staged so far (0..1), or null when the size is unknown. */
export function progressFraction(imp: OutcomeImport): number | null {
  if (imp.status === 'staged' || imp.status === 'accepted') return 1;
  if (!imp.bytesTotal) return null;
  return Math.min(1, imp.bytesRead / imp.bytesTotal);
}

export function createOutcomeImportService(deps: {
  imports: OutcomeImportRepository;
  now?: () => Date;
  /**
   * Runs after an import is accepted and committed (not when an accepted import is accepted again):
   * the rolling forecasts of programs that use this kind of outcome are re-estimated here.
   */
  afterAccept?: (tenantId: string, accepted: OutcomeImport) => Promise<void>;
  /** Tombstoned employee ids (issue #18): their rows are refused, and nothing of them is staged. */
  erased?: ErasedEmployeeIds;
}): OutcomeImportService {
  const { imports } = deps;
  const erased = deps.erased ?? NO_ERASED_EMPLOYEE_IDS;
  const now = deps.now ?? (() => new Date());

  async function load(tenantId: string, importId: string): Promise<OutcomeImport> {
    const imp = await imports.find(tenantId, importId);
    if (!imp)
      throw new NotFoundError(
        `There is no outcome import ${importId} in this tenant; list them with GET .../imports.`,
      );
    return imp;
  }

  async function begin(
    tenantId: string,
    importId: string,
    bytesTotal: number | null,
    source: 'csv' | 'json',
  ): Promise<OutcomeImport> {
    const imp = await load(tenantId, importId);
    if (imp.source !== source)
      throw new ValidationError(
        `Import ${importId} was created for ${imp.source === 'csv' ? 'a CSV file' : 'JSON rows'}; send that, or create a new import.`,
      );
    if (!(await imports.startStaging(tenantId, importId, bytesTotal)))
      throw new AppError(
        'conflict',
        `Import ${importId} is ${imp.status}; a file can be staged once per import. Create a new import for another file.`,
      );
    return imp;
  }

  /** Runs the stage phase over header + records, whatever their source. */
  async function stage(
    imp: OutcomeImport,
    run: (
      consume: (header: string[], records: AsyncIterable<SourceRecord>) => Promise<void>,
      onBytes: (bytesRead: number) => void,
    ) => Promise<{ sha256: string; bytes: number }>,
  ): Promise<OutcomeImport> {
    const kind = getOutcomeKind(imp.kind);
    const options = imp.options as ImportOptions;
    const today = utcToday(now());
    const tally = new RowTally();
    let mapping: ColumnMapping | undefined;
    let bytes = 0;
    const progress = () => ({ bytesRead: bytes, rowsParsed: tally.total, rowsInvalid: tally.invalid });
    try {
      const end = await run(
        async (header, records) => {
          mapping = resolveColumnMapping(kind, header, imp.mapping);
          await writeStaging(imp, kind, mapping, header, records, tally, today, progress);
        },
        (n) => (bytes = n),
      );
      bytes = end.bytes;
      const report = await qualityReport(kind, mapping!, tally, imp, end.sha256, options);
      return await imports.finishStaging(imp.tenantId, imp.id, {
        status: 'staged',
        contentHash: end.sha256,
        mapping: mapping!.applied,
        report,
        failure: null,
        ...progress(),
      });
    } catch (err) {
      await recordFailure(imp, err, mapping?.applied ?? imp.mapping, progress());
      throw err;
    }
  }

  /** Validates every record and writes it to staging in batches, saving progress after each batch. */
  async function writeStaging(
    imp: OutcomeImport,
    kind: OutcomeKind,
    mapping: ColumnMapping,
    header: string[],
    records: AsyncIterable<SourceRecord>,
    tally: RowTally,
    today: string,
    progress: () => { bytesRead: number; rowsParsed: number; rowsInvalid: number },
  ): Promise<void> {
    let batch: { row: ValidatedRow; cells: unknown[] }[] = [];
    const flush = async () => {
      const ids = [...new Set(batch.flatMap(({ row }) => (row.employeeId ? [row.employeeId] : [])))];
      const gone = new Set(await erased.tombstoned(imp.tenantId, ids));
      const staged = batch.map(({ row, cells }): StagedRow => {
        if (row.employeeId && gone.has(row.employeeId)) {
          // An erased person's row is refused, and none of its cells is kept, not even in staging.
          const refused = { ...row, errors: [{ field: 'employee_id', problem: 'erased' as const }] };
          tally.add(refused);
          return {
            rowNumber: row.rowNumber,
            employeeId: null,
            naturalKey: null,
            valid: false,
            values: {},
            errors: refused.errors,
          };
        }
        tally.add(row);
        const valid = row.errors.length === 0;
        return {
          rowNumber: row.rowNumber,
          employeeId: row.employeeId,
          naturalKey: row.naturalKey,
          valid,
          values: valid ? row.values : rawValues(header, cells),
          errors: valid ? null : row.errors,
        };
      });
      await imports.insertRows(imp.tenantId, imp.id, staged);
      batch = [];
      await imports.updateProgress(imp.tenantId, imp.id, progress());
    };
    for await (const record of records) {
      const row = validateRow(kind, mapping, record.cells, record.rowNumber, today, header.length);
      batch.push({ row, cells: record.cells });
      if (batch.length >= STAGE_BATCH_ROWS) await flush();
    }
    await flush();
  }

  /** Marks a staging that stopped as failed (its partial staging rows dropped); never throws. */
  async function recordFailure(
    imp: OutcomeImport,
    err: unknown,
    mapping: Record<string, string>,
    progress: { bytesRead: number; rowsParsed: number; rowsInvalid: number },
  ): Promise<void> {
    const message = err instanceof AppError ? err.message : 'staging stopped by an unexpected error';
    await imports.deleteRows(imp.tenantId, imp.id).catch(() => {});
    await imports
      .finishStaging(imp.tenantId, imp.id, {
        status: 'failed',
        contentHash: null,
        mapping,
        report:
          err instanceof AppError ? { blocking: [{ check: 'file', message }], details: err.details } : null,
        failure: message,
        ...progress,
      })
      .catch(() => {});
  }

  async function qualityReport(
    kind: OutcomeKind,
    mapping: ColumnMapping,
    tally: RowTally,
    imp: OutcomeImport,
    sha256: string,
    options: ImportOptions,
  ): Promise<QualityReport> {
    await imports.analyze(kind.name);
    const [duplicateKeys, unmatched, existing, identicalTo] = await Promise.all([
      imports.duplicateKeys(imp.tenantId, imp.id),
      imports.unmatchedEmployeeIds(imp.tenantId, imp.id),
      imports.existingKeys(imp.tenantId, imp.id, kind.name),
      imports.acceptedWithHash(imp.tenantId, kind.name, sha256, imp.id),
    ]);
    return buildQualityReport(
      kind,
      mapping,
      tally,
      { duplicateKeys, unmatched, existing, identicalTo },
      options,
    );
  }

  return {
    async create(input) {
      const kind = getOutcomeKind(input.kind);
      checkOptions(kind, input.options ?? {});
      return imports.create({
        tenantId: input.tenantId,
        kind: kind.name,
        source: input.source,
        fileName: input.fileName ?? null,
        mapping: input.mapping ?? {},
        options: { ...(input.options ?? {}) },
        bytesTotal: input.bytesTotal ?? null,
        createdBy: input.actor,
      });
    },

    async stageCsv(tenantId, importId, input, bytesTotal = null) {
      const imp = await begin(tenantId, importId, bytesTotal, 'csv');
      return stage(imp, (consume, onBytes) => streamCsv(input, consume, onBytes));
    },

    async stageRows(tenantId, importId, rows) {
      const imp = await begin(tenantId, importId, null, 'json');
      const body = Buffer.from(JSON.stringify(rows));
      const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return stage(imp, async (consume) => {
        await consume(header, jsonRecords(rows, header));
        return { sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length };
      });
    },

    get: load,

    async rows(tenantId, importId, page) {
      const imp = await load(tenantId, importId);
      const kind = getOutcomeKind(imp.kind);
      const rows = await imports.stagedRows(tenantId, importId, {
        invalidOnly: page.invalidOnly ?? false,
        after: page.after ?? 0,
        limit: Math.min(Math.max(page.limit ?? 100, 1), 1000),
      });
      return rows.map((r) => ({
        rowNumber: r.rowNumber,
        valid: r.valid,
        values: r.values,
        errors: ((r.errors ?? []) as RowError[]).map((e) => ({
          ...e,
          message: `${e.field === '*' ? 'the row' : `the column ${e.field}`} ${describeProblem(
            e.problem,
            kind.fields.find((f) => f.name === e.field),
          )}`,
        })),
      }));
    },

    list: (tenantId, limit = 50) => imports.list(tenantId, Math.min(Math.max(limit, 1), 500)),

    async accept(tenantId, importId, actor) {
      let applied = false;
      const result = await imports.transaction(async (tx) => {
        const imp = await tx.find(tenantId, importId, { forUpdate: true });
        if (!imp) throw new NotFoundError(`There is no outcome import ${importId} in this tenant.`);
        if (imp.status === 'accepted') return imp;
        applied = true;
        if (imp.status !== 'staged')
          throw new AppError(
            'precondition_failed',
            `Import ${importId} is ${imp.status}, not staged; only a staged import with a clean report can be accepted.`,
          );
        const options = imp.options as ImportOptions;
        const report = imp.report as QualityReport;
        // Unknown employee ids are re-checked now: people may have been imported since staging.
        const blocking = report.blocking.filter((b) => b.check !== 'unmatched');
        const unmatched = await tx.unmatchedEmployeeIds(tenantId, importId);
        if (unmatched.count > 0 && !options.createMissingPeople)
          blocking.push({
            check: 'unmatched',
            message: `${unmatched.count} employee ids match no person (e.g. ${unmatched.examples.join(', ')}); import the employee-id mapping first or allow creating people`,
          });
        if (blocking.length)
          throw new AppError(
            'precondition_failed',
            `Import ${importId} cannot be accepted; nothing was applied. Fix the file and stage it again: ${blocking.map((b) => b.message).join('; ')}.`,
            blocking.map((b) => ({ path: b.check, message: b.message })),
          );
        const peopleCreated = options.createMissingPeople
          ? await tx.createMissingPeople(tenantId, importId)
          : 0;
        const { inserted, updated } = await tx.applyStaged(tenantId, importId, imp.kind);
        const valid = await tx.countValidRows(tenantId, importId);
        await tx.deleteRows(tenantId, importId);
        return tx.markAccepted(tenantId, importId, actor, {
          inserted,
          updated,
          unchanged: valid - inserted - updated,
          peopleCreated,
        });
      });
      if (applied && deps.afterAccept) await deps.afterAccept(tenantId, result);
      return result;
    },
  };
}

/** The cells of an invalid row as header -> text, kept in staging so the row can be shown. */
function rawValues(header: string[], cells: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  cells.forEach((c, i) => (out[header[i] ?? `column_${i + 1}`] = c));
  return out;
}

async function* jsonRecords(rows: Record<string, unknown>[], header: string[]): AsyncGenerator<SourceRecord> {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    yield { rowNumber: i + 1, cells: header.map((h) => row[h] ?? null) };
  }
}

function checkOptions(kind: OutcomeKind, options: ImportOptions): void {
  const bad = Object.entries(options.nullRateThresholds ?? {}).filter(
    ([field, v]) => !kind.fields.some((f) => f.name === field) || !(v >= 0 && v <= 1),
  );
  if (bad.length)
    throw new ValidationError(
      `Null-rate thresholds are shares from 0 to 1 for ${kind.name} fields; these are not: ${bad.map(([f, v]) => `${f}=${v}`).join(', ')}.`,
      bad.map(([f]) => ({ path: `options.nullRateThresholds.${f}`, message: 'invalid threshold' })),
    );
}
