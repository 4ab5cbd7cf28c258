/**
 * LRS benchmark (issue #4): batch ingest, single-statement latency, filtered GETs, memory.
 *
 * Runs Yardstick in this process over a temporary embedded PostgreSQL (or DATABASE_URL), served on
 * a local port and driven over real HTTP with keep-alive clients. Sizes come from env vars:
 *   LRS_BENCH_BATCH_STATEMENTS (default 100000), LRS_BENCH_BATCH_SIZE (100), LRS_BENCH_BATCH_CLIENTS (8),
 *   LRS_BENCH_SINGLE_REQUESTS (5000), LRS_BENCH_SINGLE_CLIENTS (32), LRS_BENCH_GET_REQUESTS (500).
 * Usage: node --import tsx bench/lrs-statements.bench.ts   (prints one JSON document)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openYardstick } from '../src/bootstrap.js';
import { createApp } from '../src/app.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

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

const AGENTS = 5000;
const VERBS = 20;
const ACTIVITIES = 1000;
const COURSES = 50;

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

interface Client {
  request(method: string, path: string, body?: string): Promise<{ status: number; body: string; ms: number }>;
}

function client(port: number, auth: string, sockets: number): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return {
    request(method, path, body) {
      const started = process.hrtime.bigint();
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: {
              Authorization: auth,
              'X-Experience-API-Version': '1.0.3',
              ...(body
                ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
                : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                ms: Number(process.hrtime.bigint() - started) / 1e6,
              }),
            );
          },
        );
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
      });
    },
  };
}

/** Runs `total` jobs with `concurrency` workers; returns each job's latency (ms). */
async function pool(
  total: number,
  concurrency: number,
  job: (i: number) => Promise<number>,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) latencies.push(await job(next++));
    }),
  );
  return latencies;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)) * 100) / 100;
}

async function main(): Promise<void> {
  const config = loadConfig({
    env: { ...process.env, NODE_ENV: 'test' },
    overrides: { database: { poolSize: 20 } },
  });
  const logger = createLogger({ level: 'silent', pretty: false });
  const y = await openYardstick({ config, logger, temporary: true, applicationName: 'yardstick-bench' });
  const server = http.createServer(
    createApp({
      config,
      logger,
      services: y.services,
      database: { serverVersion: y.database.serverVersion, source: y.database.source },
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    await y.services.tenants.create('bench');
    const cred = await y.services.lrsCredentials.create({
      tenant: 'bench',
      scopes: ['all'],
      homePage: 'http://bench',
    });
    const auth = `Basic ${Buffer.from(`${cred.key}:${cred.secret}`).toString('base64')}`;
    const rand = prng(42);
    const results: Record<string, unknown> = {
      serverVersion: y.database.serverVersion,
      node: process.version,
    };

    // 1. Batch ingest.
    const total = env('LRS_BENCH_BATCH_STATEMENTS', 100000);
    const size = env('LRS_BENCH_BATCH_SIZE', 100);
    const batchClients = env('LRS_BENCH_BATCH_CLIENTS', 8);
    const batchCount = Math.ceil(total / size);
    // Batches are built as they are sent: a million statements of JSON would not fit in memory.
    const makeBatch = () => JSON.stringify(Array.from({ length: size }, () => makeStatement(rand)));
    const bc = client(port, auth, batchClients);
    let started = Date.now();
    const batchLat = await pool(batchCount, batchClients, async () => {
      const r = await bc.request('POST', '/xapi/statements', makeBatch());
      if (r.status !== 200) throw new Error(`batch POST answered ${r.status}: ${r.body.slice(0, 300)}`);
      return r.ms;
    });
    const seconds = (Date.now() - started) / 1000;
    results.batchIngest = {
      statements: batchCount * size,
      batchSize: size,
      clients: batchClients,
      seconds,
      statementsPerSecond: Math.round((batchCount * size) / seconds),
      requestP50ms: quantile(batchLat, 0.5),
      requestP99ms: quantile(batchLat, 0.99),
    };

    // 2. Single-statement POST latency.
    const singles = env('LRS_BENCH_SINGLE_REQUESTS', 5000);
    const singleClients = env('LRS_BENCH_SINGLE_CLIENTS', 32);
    const sc = client(port, auth, singleClients);
    const bodies = Array.from({ length: singles }, () => JSON.stringify(makeStatement(rand)));
    started = Date.now();
    const singleLat = await pool(singles, singleClients, async (i) => {
      const r = await sc.request('POST', '/xapi/statements', bodies[i]);
      if (r.status !== 200) throw new Error(`POST answered ${r.status}: ${r.body.slice(0, 300)}`);
      return r.ms;
    });
    results.singlePost = {
      requests: singles,
      clients: singleClients,
      perSecond: Math.round(singles / ((Date.now() - started) / 1000)),
      p50ms: quantile(singleLat, 0.5),
      p99ms: quantile(singleLat, 0.99),
    };

    // 3. Filtered GETs (one client at a time and 8 concurrent).
    const gets = env('LRS_BENCH_GET_REQUESTS', 500);
    const gc = client(port, auth, 8);
    const filtered = (i: number) => {
      const a = i % AGENTS;
      return `/xapi/statements?agent=${encodeURIComponent(JSON.stringify({ mbox: `mailto:learner${a}@example.com` }))}&verb=${encodeURIComponent(`http://example.com/verbs/v${i % VERBS}`)}&activity=${encodeURIComponent(`http://example.com/activities/a${i % ACTIVITIES}`)}&limit=50`;
    };
    const related = (i: number) =>
      `/xapi/statements?activity=${encodeURIComponent(`http://example.com/courses/c${i % COURSES}`)}&related_activities=true&limit=50`;
    for (const [name, path] of [
      ['getAgentVerbActivity', filtered],
      ['getRelatedActivities', related],
      [
        'getVerbOnly',
        (i: number) =>
          `/xapi/statements?verb=${encodeURIComponent(`http://example.com/verbs/v${i % VERBS}`)}&limit=50`,
      ],
    ] as const) {
      let firstMore: string | undefined;
      const lat = await pool(gets, 8, async (i) => {
        const r = await gc.request('GET', path(i));
        if (r.status !== 200) throw new Error(`GET answered ${r.status}: ${r.body.slice(0, 300)}`);
        const more = (JSON.parse(r.body) as { more: string }).more;
        if (more && !firstMore) firstMore = more;
        return r.ms;
      });
      let moreMs: number | undefined;
      if (firstMore) moreMs = (await gc.request('GET', firstMore)).ms;
      results[name] = {
        requests: gets,
        clients: 8,
        p50ms: quantile(lat, 0.5),
        p95ms: quantile(lat, 0.95),
        firstMorePageMs: moreMs,
      };
    }
    const mem = process.memoryUsage();
    results.memoryAfterLoadMB = {
      rss: Math.round(mem.rss / 2 ** 20),
      heapUsed: Math.round(mem.heapUsed / 2 ** 20),
    };
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    server.close();
    await y.close();
  }
}

await main();
