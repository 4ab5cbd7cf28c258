import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/app.js';
import { createServices } from '../src/services.js';
import { createBenchDatabase } from './bench-database.js';
import { percentile, runConcurrently, type Benchmark, type Metric } from './harness.js';
import { lrsClient, type LrsClient } from './lrs-http-client.js';

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

/** The raw insert floor recorded by the insert-floor benchmark (8 clients), when it has run. */
function insertFloor(): number | undefined {
  const file = path.resolve(import.meta.dirname, 'results', 'insert-floor.json');
  if (!existsSync(file)) return undefined;
  const result = JSON.parse(readFileSync(file, 'utf8')) as { metrics: { metric: string; value: number }[] };
  return result.metrics.find((m) => m.metric.startsWith('multi-row INSERT') && m.metric.includes('8 clients'))
    ?.value;
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
    const logger = createLogger({ level: 'silent', pretty: false });
    const services = createServices({ db: db.db });
    const app = createApp({
      config,
      logger,
      services,
      database: { serverVersion: ctx.postgresVersion, source: 'embedded' },
    });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const clients: LrsClient[] = [];
    try {
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

      // 1. Batch ingest: 100 statements a request, 8 clients.
      const batchLatencies: number[] = [];
      const batchSeconds = await ingest(batch, rand, batchTotal, 100, 8, batchLatencies);
      const batchRate = batchTotal / batchSeconds;
      ctx.log(`batch ingest ${Math.round(batchRate)} statements/s`);

      // 2. Single-statement POSTs at 32 clients.
      const single = client(32);
      const bodies = Array.from({ length: singles }, () => JSON.stringify(makeStatement(rand)));
      const singleLatencies: number[] = [];
      const singleStarted = performance.now();
      await runConcurrently(singles, 32, async (i) => {
        const r = await single.request('POST', '/xapi/statements', bodies[i]);
        if (r.status !== 200) throw new Error(`POST answered ${r.status}: ${r.body.slice(0, 300)}`);
        singleLatencies.push(r.ms);
      });
      const singleRate = singles / ((performance.now() - singleStarted) / 1000);
      ctx.log(`single POST p99 ${q(singleLatencies, 0.99).toFixed(1)} ms`);

      // 3. Sustained ingest up to the stored total, RSS sampled after every tenth of it.
      const rss: number[] = [process.memoryUsage().rss];
      let count = batchTotal + singles;
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

      const floor = insertFloor();
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
          metric: 'batch POST / raw insert floor (8 clients)',
          value: floor ? batchRate / floor : NaN,
          unit: 'ratio',
          target: '≥ 0.5',
          note: floor ? `floor ${Math.round(floor)} rows/s` : 'run insert-floor first',
        },
        { metric: 'single POST, 32 clients: p50', value: q(singleLatencies, 0.5), unit: 'ms' },
        {
          metric: 'single POST, 32 clients: p99',
          value: q(singleLatencies, 0.99),
          unit: 'ms',
          target: '< 20 ms',
          note: `${Math.round(singleRate)} statements/s`,
        },
        {
          metric: 'sustained batch ingest to the stored total',
          value: (stored - batchTotal - singles) / fillSeconds,
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
          note: `heap used ${mib(mem.heapUsed).toFixed(0)} MiB; server and clients in one process`,
        },
        {
          metric: 'RSS growth over the last half of sustained ingest',
          value: mib(rss.at(-1)! - rss[Math.floor(rss.length / 2)]!),
          unit: 'MiB',
          note: `samples: ${rss.map((b) => mib(b).toFixed(0)).join(', ')} MiB`,
        },
      ];
      return {
        method: `${batchTotal.toLocaleString('en-US')} statements POSTed in batches of 100 by 8 keep-alive clients; then ${singles.toLocaleString('en-US')} single-statement POSTs by 32 clients; then batches until ${stored.toLocaleString('en-US')} statements are stored (${AGENTS} agents, ${VERBS} verbs, ${ACTIVITIES} activities under ${COURSES} parent courses, seeded); then ANALYZE (as autovacuum would) and ${gets} GETs per query shape, sequentially and from 8 clients, each with limit=50. Server, clients and RSS in one Node process; every statement acknowledged only after a durable commit.`,
        metrics,
      };
    } finally {
      for (const c of clients) c.close();
      await new Promise<void>((r) => server.close(() => r()));
      await db.drop();
    }
  },
};
