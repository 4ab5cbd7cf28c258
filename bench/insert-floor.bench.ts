import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { generateDataset } from '../src/dev/synthetic/dataset.js';
import { generateStatements } from '../src/dev/synthetic/statements.js';
import { createBenchDatabase, type BenchDatabase } from './bench-database.js';
import { runConcurrently, type Benchmark, type Metric } from './harness.js';

export const COLUMNS = [
  'tenant_id',
  'id',
  'stored',
  'timestamp',
  'verb_iri',
  'registration',
  'version',
  'statement',
] as const;
/** A statement row; registration (index 5) may be null. */
export type Row = [string, string, string, string, string, string | null, string, string];

/**
 * The floor later LRS numbers are compared to: raw multi-row INSERT and COPY of generated statement
 * rows into a table created `LIKE xapi_statement INCLUDING ALL` (the LRS's own columns, indexes and
 * identity), on a server with synchronous_commit on. No validation, no association rows, no HTTP.
 */
export const insertFloor: Benchmark = {
  name: 'insert-floor',
  title: 'Raw insert floor: 100,000 statement rows into the LRS statement table',
  async run(ctx) {
    const total = Math.round(100_000 * ctx.scale);
    const rows = await makeRows(total);
    const bytes = rows.reduce((n, r) => n + r[7].length, 0);
    const db = await createBenchDatabase(ctx, 'floor', 16);
    try {
      await sql`CREATE TABLE floor_statement (LIKE xapi_statement INCLUDING ALL)`.execute(db.db);
      const metrics: Metric[] = [];
      const measure = async (metric: string, note: string, work: () => Promise<void>) => {
        await sql`TRUNCATE floor_statement`.execute(db.db);
        await sql`CHECKPOINT`.execute(db.db);
        const t0 = performance.now();
        await work();
        const seconds = (performance.now() - t0) / 1000;
        const { rows: counted } = await sql<{ n: string }>`SELECT count(*) AS n FROM floor_statement`.execute(
          db.db,
        );
        if (Number(counted[0]!.n) !== total)
          throw new Error(`${metric}: expected ${total} rows, found ${counted[0]!.n}`);
        ctx.log(`${metric}: ${Math.round(total / seconds)} rows/s`);
        metrics.push({ metric, value: total / seconds, unit: 'rows/s', note });
      };
      const batches = chunk(rows, 100);
      await measure(
        'multi-row INSERT, 100 rows/statement, 8 clients',
        `${batches.length} commits, each durable`,
        () => runConcurrently(batches.length, 8, (i) => insertBatch(db, batches[i]!)),
      );
      await measure('multi-row INSERT, 100 rows/statement, 1 client', 'same, sequential', () =>
        runConcurrently(batches.length, 1, (i) => insertBatch(db, batches[i]!)),
      );
      await measure('COPY, 1 stream', 'one transaction', () => copyRows(db, rows));
      const eighths = chunk(rows, Math.ceil(rows.length / 8));
      await measure('COPY, 8 concurrent streams', '8 transactions', () =>
        runConcurrently(eighths.length, 8, (i) => copyRows(db, eighths[i]!)),
      );
      metrics.push({ metric: 'statement text per row (mean)', value: bytes / total, unit: 'bytes' });
      return {
        method: `${total.toLocaleString('en-US')} statements from the seeded generator (seed 42), serialized once before timing. Each method starts from an empty table after a CHECKPOINT and is checked by counting the rows afterwards. Association rows (agents, activities) are not part of the floor.`,
        metrics,
      };
    } finally {
      await db.drop();
    }
  },
};

async function makeRows(total: number): Promise<Row[]> {
  const dataset = generateDataset({
    seed: 42,
    coursesPerTenant: 8,
    learnersPerCourse: 400,
    modulesPerCourse: 4,
  });
  const tenant = dataset.tenants[0]!;
  const tenantId = '00000000-0000-4000-8000-000000000001';
  const rows: Row[] = [];
  const stored = new Date().toISOString();
  for (const s of generateStatements(tenant, { seed: 42, start: tenant.programs[0]!.launchDate })) {
    const full = {
      ...s,
      stored,
      version: '1.0.0',
      authority: { objectType: 'Agent', name: 'bench', mbox: 'mailto:bench@example.com' },
    };
    rows.push([
      tenantId,
      s.id,
      stored,
      s.timestamp,
      s.verb.id,
      s.context.registration,
      '1.0.0',
      JSON.stringify(full),
    ]);
    if (rows.length === total) return rows;
  }
  throw new Error(`the generator produced only ${rows.length} statements; raise learnersPerCourse`);
}

/** One multi-row INSERT of `batch` into floor_statement. */
export async function insertBatch(db: BenchDatabase, batch: Row[]): Promise<void> {
  const values = batch
    .map((_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(',')})`)
    .join(',');
  await db.pool.query(`INSERT INTO floor_statement (${COLUMNS.join(',')}) VALUES ${values}`, batch.flat());
}

/** COPY of `rows` into floor_statement, one stream. */
export async function copyRows(db: BenchDatabase, rows: Row[]): Promise<void> {
  const client = await db.pool.connect();
  try {
    const stream = client.query(copyFrom(`COPY floor_statement (${COLUMNS.join(',')}) FROM STDIN`));
    await pipeline(Readable.from(copyLines(rows)), stream);
  } finally {
    client.release();
  }
}

function* copyLines(rows: Row[]): Generator<string> {
  for (const row of rows) yield `${row.map(escapeCopy).join('\t')}\n`;
}

/** COPY text format escaping (PostgreSQL docs, COPY, "Text Format"). */
function escapeCopy(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
