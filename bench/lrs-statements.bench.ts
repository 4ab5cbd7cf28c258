import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import * as m0090 from '../src/storage/migrations/0090-kpi-capture-per-statement.js';
import * as m0091 from '../src/storage/migrations/0091-kpi-fact-outbox.js';
import * as m0092 from '../src/storage/migrations/0092-kpi-outbox-parts.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/app.js';
import { createServices } from '../src/services.js';
import { createBenchDatabase } from './bench-database.js';
import { createKpiOutboxRepository } from '../src/storage/repositories/kpi-outbox-repository.js';
import { percentile, runConcurrently, type Benchmark, type Metric } from './harness.js';
import { lrsClient, type LrsClient } from './lrs-http-client.js';
import { runLoad } from './lrs-load.js';
import { chunk as chunkOf, copyRows, insertBatch, type Row } from './insert-floor.bench.js';
import { generateCaptureStatements, type CaptureStatement } from '../src/dev/synthetic/capture-statements.js';
import { insertCourseWorld } from '../src/dev/synthetic/course-world-repository.js';
import type { BenchDatabase } from './bench-database.js';

const AGENTS = 5000;
const VERBS = 20;
const ACTIVITIES = 1000;
const COURSES = 50;

/** A seeded generator so runs are comparable (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic statement: agent, verb, activity with definition, parent course, registration, result. */
function makeStatement(rand: () => number): Record<string, unknown> {
  const a = Math.floor(rand() * AGENTS);
  const v = Math.floor(rand() * VERBS);
  const act = Math.floor(rand() * ACTIVITIES);
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: `Learner ${a}`, mbox: `mailto:learner${a}@example.com` },
    verb: { id: `http://example.com/verbs/v${v}`, display: { 'en-US': `verb ${v}` } },
    object: {
      id: `http://example.com/activities/a${act}`,
      definition: {
        name: { 'en-US': `Activity ${act}` },
        type: 'http://adlnet.gov/expapi/activities/assessment',
      },
    },
    result: { score: { scaled: Math.round(rand() * 100) / 100 }, success: rand() > 0.3, duration: 'PT4M30S' },
    context: {
      registration: randomUUID(),
      contextActivities: { parent: [{ id: `http://example.com/courses/c${act % COURSES}` }] },
    },
    timestamp: new Date().toISOString(),
  };
}

const q = (values: number[], p: number) =>
  percentile(
    [...values].sort((a, b) => a - b),
    p,
  );
const mib = (bytes: number) => bytes / 2 ** 20;

/**
 * `total` statements of the capture contract (learners taking modules: registrations, context
 * activities, results, extensions) for a course world inserted into `db`, so the KPI triggers match
 * them as they would in production.
 */
async function captureStatements(
  db: BenchDatabase,
  total: number,
): Promise<{ tenantName: string; tenantId: string; statements: CaptureStatement[] }> {
  const { world, tenantName } = await insertCourseWorld(db.db, {
    seed: 17,
    learners: Math.max(60, Math.ceil(total / 60)),
    modules: 5,
  });
  const statements: CaptureStatement[] = [];
  for (const s of generateCaptureStatements(world, { seed: 17 })) {
    statements.push(s);
    if (statements.length === total) return { tenantName, tenantId: world.tenantId, statements };
  }
  throw new Error(`the capture generator wrote only ${statements.length} statements; raise the learners`);
}

/**
 * The generator writes one learner's statements after another; concurrent clients of a real LRS are
 * different learners. Round robin over actors keeps each learner's order, while neighbouring requests
 * (and 32 concurrent ones) come from different learners, as they would, instead of all waiting for
 * the same learner's KPI rollup row.
 */
function interleaveByActor(statements: CaptureStatement[]): CaptureStatement[] {
  const byActor = new Map<string, CaptureStatement[]>();
  for (const s of statements) {
    const key = s.actor.account.name;
    byActor.set(key, [...(byActor.get(key) ?? []), s]);
  }
  const queues = [...byActor.values()];
  const out: CaptureStatement[] = [];
  for (let round = 0; out.length < statements.length; round++)
    for (const q of queues) if (round < q.length) out.push(q[round]!);
  return out;
}

/**
 * The floor of the same run: the batch phase's statements, as the LRS stores them (stored, version,
 * authority set), by multi-row INSERT (100 rows a statement, 8 clients) and by one COPY into a table
 * like xapi_statement (its columns, indexes and identity); no association rows, triggers or HTTP.
 */
async function measureFloor(
  db: BenchDatabase,
  tenantId: string,
  statements: CaptureStatement[],
): Promise<{ insert: number; copy: number }> {
  const stored = new Date().toISOString();
  const authority = { objectType: 'Agent', name: 'bench', mbox: 'mailto:bench@example.com' };
  const rows: Row[] = statements.map((s) => [
    tenantId,
    s.id,
    stored,
    s.timestamp,
    s.verb.id,
    s.context.registration ?? null,
    '1.0.0',
    JSON.stringify({ ...s, stored, version: '1.0.0', authority }),
  ]);
  await sql`CREATE TABLE floor_statement (LIKE xapi_statement INCLUDING ALL)`.execute(db.db);
  const time = async (work: () => Promise<void>) => {
    await sql`TRUNCATE floor_statement`.execute(db.db);
    await sql`CHECKPOINT`.execute(db.db);
    const t0 = performance.now();
    await work();
    return rows.length / ((performance.now() - t0) / 1000);
  };
  const batches = chunkOf(rows, 100);
  const insert = await time(() => runConcurrently(batches.length, 8, (i) => insertBatch(db, batches[i]!)));
  const copy = await time(() => copyRows(db, rows));
  await sql`DROP TABLE floor_statement`.execute(db.db);
  return { insert, copy };
}

/**
 * Runs `work` with the KPI capture as it was before issue #17: migration 0060's row trigger inline in
 * the storing transaction (0092's and 0091's outbox and 0090's statement trigger undone, then redone).
 */
async function withInlineCapture<T>(db: BenchDatabase, work: () => Promise<T>): Promise<T> {
  const owner = db.db as unknown as Kysely<unknown>;
  await m0092.down(owner);
  await m0091.down(owner);
  await m0090.down(owner);
  try {
    return await work();
  } finally {
    await m0090.up(owner);
    await m0091.up(owner);
    await m0092.up(owner);
  }
}

/** Posts `total` statements in batches of `size` from `clients` concurrent clients; returns seconds. */
async function ingest(
  client: LrsClient,
  rand: () => number,
  total: number,
  size: number,
  clients: number,
  latencies?: number[],
): Promise<number> {
  const started = performance.now();
  await runConcurrently(Math.ceil(total / size), clients, async () => {
    // Batches are built as they are sent: a million statements of JSON would not fit in memory.
    const body = JSON.stringify(Array.from({ length: size }, () => makeStatement(rand)));
    const r = await client.request('POST', '/xapi/statements', body);
    if (r.status !== 200) throw new Error(`batch POST answered ${r.status}: ${r.body.slice(0, 300)}`);
    latencies?.push(r.ms);
  });
  return (performance.now() - started) / 1000;
}

/** GETs `paths(i)` `total` times from `clients` clients; latencies (ms) and the first `more` page time. */
async function query(
  client: LrsClient,
  total: number,
  clients: number,
  paths: (i: number) => string,
): Promise<{ latencies: number[]; moreMs?: number }> {
  const latencies: number[] = [];
  let firstMore: string | undefined;
  await runConcurrently(total, clients, async (i) => {
    const r = await client.request('GET', paths(i));
    if (r.status !== 200) throw new Error(`GET answered ${r.status}: ${r.body.slice(0, 300)}`);
    const more = (JSON.parse(r.body) as { more: string }).more;
    if (more && !firstMore) firstMore = more;
    latencies.push(r.ms);
  });
  return { latencies, moreMs: firstMore ? (await client.request('GET', firstMore)).ms : undefined };
}

/**
 * The LRS over real HTTP (issue #4): Yardstick's app served in this process on a local port, on a fresh
 * database of the run's PostgreSQL; clients are keep-alive HTTP agents in the same process, so client
 * work shares the two cores with the server and PostgreSQL.
 */
export const lrsStatements: Benchmark = {
  name: 'lrs-statements',
  title: 'LRS: batch ingest, single-statement latency, filtered GETs at 1,000,000 statements, memory',
  async run(ctx) {
    const batchTotal = Math.round(100_000 * ctx.scale);
    const stored = Math.round(1_000_000 * ctx.scale);
    const singles = Math.round(5_000 * ctx.scale);
    const gets = Math.max(50, Math.round(500 * ctx.scale));
    const db = await createBenchDatabase(ctx, 'lrs', 20);
    const config = loadConfig({ env: { ...process.env, NODE_ENV: 'test' } });
    const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'silent', pretty: false });
    const services = createServices({ db: db.db });
    const serve = async (groupCommit: boolean) => {
      const app = createApp({
        config,
        logger,
        services: groupCommit ? services : createServices({ db: db.db, statementGroupCommit: false }),
        database: { serverVersion: ctx.postgresVersion, source: 'embedded' },
      });
      const listening = http.createServer(app);
      await new Promise<void>((r) => listening.listen(0, '127.0.0.1', r));
      return listening;
    };
    // The same app twice: with group commit (the default) and without, for the before/after of #17.
    const server = await serve(true);
    const serverAlone = await serve(false);
    const port = (server.address() as AddressInfo).port;
    const portAlone = (serverAlone.address() as AddressInfo).port;
    const clients: LrsClient[] = [];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yardstick-lrs-bench-'));
    const timeLimitMs = Math.max(60_000, 900_000 * ctx.scale);
    try {
      const capture = await captureStatements(db, 2 * batchTotal + 2 * singles);
      const captureCred = await services.lrsCredentials.create({
        tenant: capture.tenantName,
        scopes: ['all'],
        homePage: 'http://bench',
      });
      const captureAuth = `Basic ${Buffer.from(`${captureCred.key}:${captureCred.secret}`).toString('base64')}`;
      // Batches in the generator's order (one learner's session after another, as a client would batch
      // them); single statements round robin over learners (32 concurrent learners).
      const batchStatements = capture.statements.slice(0, batchTotal);
      const singleStatements = interleaveByActor(
        capture.statements.slice(batchTotal, batchTotal + 2 * singles),
      );
      const inlineStatements = capture.statements.slice(batchTotal + 2 * singles);

      // 0. The floor, on the same rows as the batch phase, in this run.
      const floor = await measureFloor(db, capture.tenantId, batchStatements);
      ctx.log(`floor: INSERT ${Math.round(floor.insert)} rows/s, COPY ${Math.round(floor.copy)} rows/s`);

      // 0b. Before #17's capture changes, in this run: the same batch phase on other statements of the
      // generator with the KPI work inline (migration 0060's row trigger; 0091 and 0090 undone for it).
      const batchInline = await withInlineCapture(db, () =>
        runLoad(dir, {
          label: 'batch-inline',
          port: portAlone,
          authorization: captureAuth,
          concurrency: 8,
          timeLimitMs,
          bodies: chunkOf(inlineStatements, 100).map((b) => JSON.stringify(b)),
        }),
      );
      const batchInlineRate = (batchInline.ok * 100) / batchInline.seconds;
      ctx.log(`batch ingest, KPI capture inline (before #17): ${Math.round(batchInlineRate)} statements/s`);

      // 1. Batch ingest: 100 statements a request, 8 clients in another process.
      const batchRun = await runLoad(dir, {
        label: 'batch',
        port,
        authorization: captureAuth,
        concurrency: 8,
        timeLimitMs,
        bodies: chunkOf(batchStatements, 100).map((b) => JSON.stringify(b)),
      });
      const batchLatencies = batchRun.latencies;
      const batchRate = (batchRun.ok * 100) / batchRun.seconds;
      ctx.log(`batch ingest ${Math.round(batchRate)} statements/s`);
      // KPI capture runs behind ingest (the outbox, issue #17): how far, and how long to catch up.
      const behind = await createKpiOutboxRepository(db.db).pendingStatements();
      const t0 = performance.now();
      await services.kpiFacts.drain(capture.tenantId);
      const catchUpSeconds = (performance.now() - t0) / 1000;
      ctx.log(`KPI capture ${behind} statements behind, caught up in ${catchUpSeconds.toFixed(1)} s`);

      // 2. Single-statement POSTs from 32 clients in another process: each commits alone, then grouped.
      const singleRun = async (label: string, to: number, from: number) => {
        const r = await runLoad(dir, {
          label,
          port: to,
          authorization: captureAuth,
          concurrency: 32,
          timeLimitMs,
          bodies: singleStatements.slice(from, from + singles).map((st) => JSON.stringify(st)),
        });
        ctx.log(`${label}: ${Math.round(r.ok / r.seconds)}/s, p99 ${q(r.latencies, 0.99).toFixed(1)} ms`);
        return { latencies: r.latencies, rate: r.ok / r.seconds };
      };
      // Before #17: each request its own transaction, KPI capture inline.
      const alone = await withInlineCapture(db, () => singleRun('single-alone', portAlone, 0));
      const grouped = await singleRun('single-grouped', port, singles);
      const singleLatencies = grouped.latencies;

      // The capture statements are done with: released, so the RSS samples below measure the server
      // and not the benchmark's own inputs: at full scale the 210,000 generated statements are 0.45 GiB
      // of heap (2.3 KiB each), held to the end in the lead's run of 2026-12-08 (RSS 1.36 GiB, flat
      // through sustained ingest, heap 574 MiB at the end).
      for (const list of [capture.statements, batchStatements, singleStatements, inlineStatements])
        list.length = 0;

      await services.tenants.create('bench');
      const cred = await services.lrsCredentials.create({
        tenant: 'bench',
        scopes: ['all'],
        homePage: 'http://bench',
      });
      const auth = `Basic ${Buffer.from(`${cred.key}:${cred.secret}`).toString('base64')}`;
      const client = (sockets: number) => {
        const c = lrsClient(port, auth, sockets);
        clients.push(c);
        return c;
      };
      const rand = prng(42);
      const batch = client(8);

      // 3. Sustained ingest up to the stored total, RSS sampled after every tenth of it.
      const rss: number[] = [process.memoryUsage().rss];
      let count = 2 * batchTotal + 2 * singles;
      const chunk = Math.max(1000, Math.round(stored / 10 / 100) * 100);
      let fillSeconds = 0;
      while (count < stored) {
        const n = Math.min(chunk, stored - count);
        fillSeconds += await ingest(batch, rand, n, 100, 8);
        count += n;
        rss.push(process.memoryUsage().rss);
        ctx.log(`${count.toLocaleString('en-US')} statements stored, RSS ${mib(rss.at(-1)!).toFixed(0)} MiB`);
      }

      // 4. Queries over the stored statements.
      // Autovacuum analyzes the statement tables after 2% new rows (migration 0006); the benchmark does
      // not wait for it to get round to the last load, it analyzes once, as autovacuum would.
      await sql`ANALYZE xapi_statement, xapi_statement_agent, xapi_statement_activity`.execute(db.db);
      const reader = client(8);
      const agentVerbActivity = (i: number) =>
        `/xapi/statements?agent=${encodeURIComponent(JSON.stringify({ mbox: `mailto:learner${i % AGENTS}@example.com` }))}&verb=${encodeURIComponent(`http://example.com/verbs/v${i % VERBS}`)}&activity=${encodeURIComponent(`http://example.com/activities/a${i % ACTIVITIES}`)}&limit=50`;
      const related = (i: number) =>
        `/xapi/statements?activity=${encodeURIComponent(`http://example.com/courses/c${i % COURSES}`)}&related_activities=true&limit=50`;
      const q1 = await query(reader, gets, 1, agentVerbActivity);
      const q8 = await query(reader, gets, 8, agentVerbActivity);
      const r1 = await query(reader, gets, 1, related);
      const r8 = await query(reader, gets, 8, related);
      const mem = process.memoryUsage();

      const fixed = (n: number | undefined) => (n === undefined ? 'n/a' : n.toFixed(1));
      const metrics: Metric[] = [
        {
          metric: 'batch POST (100 a request, 8 clients)',
          value: batchRate,
          unit: 'statements/s',
          target: '≥ 10,000/s',
          note: `request p50 ${q(batchLatencies, 0.5).toFixed(0)} ms, p99 ${q(batchLatencies, 0.99).toFixed(0)} ms`,
        },
        {
          metric: 'batch POST before #17 (KPI capture inline, row trigger of 0060)',
          value: batchInlineRate,
          unit: 'statements/s',
          note: `same run, other statements of the generator: ${(batchInlineRate / floor.insert).toFixed(3)} × INSERT floor, ${(batchInlineRate / floor.copy).toFixed(3)} × COPY floor; request p50 ${q(batchInline.latencies, 0.5).toFixed(0)} ms, p99 ${q(batchInline.latencies, 0.99).toFixed(0)} ms`,
        },
        {
          metric: 'batch POST / multi-row INSERT floor',
          value: batchRate / floor.insert,
          unit: 'ratio',
          target: '≥ 0.5',
          note: `floor ${Math.round(floor.insert)} rows/s (100 rows a statement, 8 clients), same rows, same run`,
        },
        {
          metric: 'batch POST / COPY floor',
          value: batchRate / floor.copy,
          unit: 'ratio',
          note: `floor ${Math.round(floor.copy)} rows/s (one COPY stream), same rows, same run`,
        },
        {
          metric: 'KPI capture behind at the end of the batch phase',
          value: behind,
          unit: 'statements',
          note: `caught up ${catchUpSeconds.toFixed(1)} s later (outbox drained; ingest + capture: ${Math.round((batchRun.ok * 100) / (batchRun.seconds + catchUpSeconds))} statements/s)`,
        },
        {
          metric: 'single POST, 32 clients, each alone: statements/s',
          value: alone.rate,
          unit: 'statements/s',
          note: `group commit off, KPI capture inline (before #17): p50 ${q(alone.latencies, 0.5).toFixed(1)} ms, p99 ${q(alone.latencies, 0.99).toFixed(1)} ms`,
        },
        {
          metric: 'single POST, 32 clients, group commit: statements/s',
          value: grouped.rate,
          unit: 'statements/s',
          target: '≥ 3,000/s',
        },
        { metric: 'single POST, 32 clients, group commit: p50', value: q(singleLatencies, 0.5), unit: 'ms' },
        {
          metric: 'single POST, 32 clients, group commit: p99',
          value: q(singleLatencies, 0.99),
          unit: 'ms',
          target: '< 20 ms',
        },
        {
          metric: 'sustained batch ingest to the stored total',
          value: (stored - 2 * batchTotal - 2 * singles) / fillSeconds,
          unit: 'statements/s',
        },
        {
          metric: 'GET agent+verb+activity, 1 client: p50',
          value: q(q1.latencies, 0.5),
          unit: 'ms',
        },
        {
          metric: 'GET agent+verb+activity, 1 client: p95',
          value: q(q1.latencies, 0.95),
          unit: 'ms',
          target: '< 25 ms',
          note: `first more page ${fixed(q1.moreMs)} ms`,
        },
        {
          metric: 'GET agent+verb+activity, 8 clients: p95',
          value: q(q8.latencies, 0.95),
          unit: 'ms',
          target: '< 25 ms',
        },
        {
          metric: 'GET related_activities=true, 1 client: p50',
          value: q(r1.latencies, 0.5),
          unit: 'ms',
        },
        {
          metric: 'GET related_activities=true, 1 client: p95',
          value: q(r1.latencies, 0.95),
          unit: 'ms',
          target: '< 25 ms',
          note: `first more page ${fixed(r1.moreMs)} ms`,
        },
        {
          metric: 'GET related_activities=true, 8 clients: p95',
          value: q(r8.latencies, 0.95),
          unit: 'ms',
          target: '< 25 ms',
        },
        {
          metric: 'RSS after the load',
          value: mib(mem.rss),
          unit: 'MiB',
          note: `heap used ${mib(mem.heapUsed).toFixed(0)} MiB; the server process (GET clients in it too)`,
        },
        {
          metric: 'RSS growth over the last half of sustained ingest',
          value: mib(rss.at(-1)! - rss[Math.floor(rss.length / 2)]!),
          unit: 'MiB',
          note: `samples: ${rss.map((b) => mib(b).toFixed(0)).join(', ')} MiB`,
        },
      ];
      return {
        method: `${(2 * batchTotal + 2 * singles).toLocaleString('en-US')} statements of the capture generator (src/dev/synthetic, seed 17: registrations, context activities, results, extensions; a course world inserted first so the KPI triggers fire). The floor in the same run: the batch phase's ${batchTotal.toLocaleString('en-US')} rows by multi-row INSERT (100 rows a statement, 8 clients) and by one COPY into a table like xapi_statement. Then, from load client processes on 127.0.0.1 (bench/lrs-load-client.ts, keep-alive, bounded by count and ${Math.round(timeLimitMs / 1000)} s): as before #17 (migrations 0091 and 0090 undone, KPI capture inline in the storing transaction, no group commit) ${batchTotal.toLocaleString('en-US')} other statements in batches of 100 from 8 clients; then with the current code the ${batchTotal.toLocaleString('en-US')} statements in batches of 100 (generator order) from 8 clients; ${singles.toLocaleString('en-US')} single-statement POSTs from 32 clients (round robin over learners) as before #17, then ${singles.toLocaleString('en-US')} more with it on (the default). Then, in process, batches of simple statements until ${stored.toLocaleString('en-US')} are stored (${AGENTS} agents, ${VERBS} verbs, ${ACTIVITIES} activities under ${COURSES} parent courses, seeded), ANALYZE (as autovacuum would) and ${gets} GETs per query shape, sequentially and from 8 clients, each with limit=50. Every statement acknowledged only after a durable commit.`,
        metrics,
      };
    } finally {
      for (const c of clients) c.close();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => serverAlone.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  },
};
