import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/app.js';
import { createServices } from '../src/services.js';
import { createBenchDatabase } from './bench-database.js';
import { percentile, type Benchmark, type Metric } from './harness.js';
import { lrsClient } from './lrs-http-client.js';

/**
 * Rates per second (every scale): single POSTs, batches of BATCH statements, GETs; about a tenth of
 * what the server sustains on the quiet 2-core machine, so latency shows the steady state, not a queue.
 */
const SINGLES_PER_S = 50;
const BATCHES_PER_S = 0.5;
const BATCH = 100;
const GETS_PER_S = 10;
/** Requests in flight beyond which the load skips its turn (and counts it) instead of queueing. */
const MAX_IN_FLIGHT = 256;
const SAMPLES = 30;
const LEARNERS = 2000;
const ACTIVITIES = 200;
const COURSES = 20;

/** A statement like a course's: agent, verb, activity with definition, parent course, registration, result. */
function statement(i: number): Record<string, unknown> {
  const learner = (i * 7919) % LEARNERS;
  const activity = (i * 104729) % ACTIVITIES;
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: `Learner ${learner}`, mbox: `mailto:soak${learner}@example.com` },
    verb: {
      id: `http://adlnet.gov/expapi/verbs/${i % 3 ? 'answered' : 'completed'}`,
      display: { 'en-US': 'did' },
    },
    object: {
      id: `http://example.com/soak/activities/a${activity}`,
      definition: {
        name: { 'en-US': `Activity ${activity}` },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      },
    },
    result: { score: { scaled: (i % 100) / 100 }, success: i % 4 !== 0, duration: 'PT1M5S' },
    context: {
      registration: randomUUID(),
      contextActivities: { parent: [{ id: `http://example.com/soak/courses/c${activity % COURSES}` }] },
    },
    timestamp: new Date().toISOString(),
  };
}

interface Window {
  rssMiB: number;
  heapMiB: number;
  post: number[];
  get: number[];
  skipped: number;
}

const p99 = (values: number[]) =>
  values.length
    ? percentile(
        [...values].sort((a, b) => a - b),
        0.99,
      )
    : NaN;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The soak of issue #17: mixed ingest and queries at a steady rate for 30 minutes (× BENCH_SCALE), with
 * the server's RSS and the p99 of POSTs and GETs sampled in 30 windows (a minute each at full scale,
 * after one window of warm-up). A latency counts in the window its response arrives in.
 * Nothing may grow: RSS within 5% from the first window to the last, p99 of the last five windows
 * within 20% of the first five's.
 */
export const lrsSoak: Benchmark = {
  name: 'lrs-soak',
  title: 'LRS soak: steady mixed ingest and queries, RSS and p99 over time',
  async run(ctx) {
    const durationMs = 30 * 60_000 * ctx.scale;
    const windowMs = durationMs / SAMPLES;
    const db = await createBenchDatabase(ctx, 'soak', 20);
    const config = loadConfig({ env: { ...process.env, NODE_ENV: 'test' } });
    const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'silent', pretty: false });
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
    await services.tenants.create('soak');
    const cred = await services.lrsCredentials.create({
      tenant: 'soak',
      scopes: ['all'],
      homePage: 'http://soak',
    });
    const client = lrsClient(
      port,
      `Basic ${Buffer.from(`${cred.key}:${cred.secret}`).toString('base64')}`,
      64,
    );
    const windows: Window[] = [];
    let current: Window = { rssMiB: 0, heapMiB: 0, post: [], get: [], skipped: 0 };
    let inFlight = 0;
    let failures = 0;
    let firstFailure = '';
    let n = 0;
    let g = 0;
    const send = (method: string, path: string, body: string | undefined, into: 'post' | 'get') => {
      if (inFlight >= MAX_IN_FLIGHT) {
        current.skipped++;
        return;
      }
      inFlight++;
      client
        .request(method, path, body)
        .then((r) => {
          if (r.status >= 300) {
            failures++;
            firstFailure ||= `${method} ${path}: ${r.status} ${r.body.slice(0, 200)}`;
          } else current[into].push(r.ms);
        })
        .catch((err: unknown) => {
          failures++;
          firstFailure ||= String(err);
        })
        .finally(() => inFlight--);
    };
    const query = (i: number) =>
      i % 2
        ? `/xapi/statements?agent=${encodeURIComponent(JSON.stringify({ mbox: `mailto:soak${i % LEARNERS}@example.com` }))}&activity=${encodeURIComponent(`http://example.com/soak/activities/a${i % ACTIVITIES}`)}&limit=50`
        : `/xapi/statements?activity=${encodeURIComponent(`http://example.com/soak/courses/c${i % COURSES}`)}&related_activities=true&limit=50`;

    // The load: every 100 ms a tenth of each per-second rate (fractions carried over).
    const tickMs = 100;
    let debt = { singles: 0, batches: 0, gets: 0 };
    const tick = () => {
      debt = {
        singles: debt.singles + SINGLES_PER_S / 10,
        batches: debt.batches + BATCHES_PER_S / 10,
        gets: debt.gets + GETS_PER_S / 10,
      };
      for (; debt.singles >= 1; debt.singles--)
        send('POST', '/xapi/statements', JSON.stringify(statement(n++)), 'post');
      for (; debt.batches >= 1; debt.batches--)
        send(
          'POST',
          '/xapi/statements',
          JSON.stringify(Array.from({ length: BATCH }, () => statement(n++))),
          'post',
        );
      for (; debt.gets >= 1; debt.gets--) send('GET', query(g++), undefined, 'get');
    };
    const load = setInterval(tick, tickMs);
    try {
      // One window of warm-up (JIT, pools, caches), not sampled.
      await new Promise((r) => setTimeout(r, windowMs));
      current = { rssMiB: 0, heapMiB: 0, post: [], get: [], skipped: 0 };
      const started = performance.now();
      for (let w = 0; w < SAMPLES; w++) {
        await new Promise((r) => setTimeout(r, started + (w + 1) * windowMs - performance.now()));
        const mem = process.memoryUsage();
        current.rssMiB = mem.rss / 2 ** 20;
        current.heapMiB = mem.heapUsed / 2 ** 20;
        windows.push(current);
        ctx.log(
          `window ${w + 1}/${SAMPLES}: RSS ${current.rssMiB.toFixed(0)} MiB, heap ${current.heapMiB.toFixed(0)} MiB, POST p99 ${p99(current.post).toFixed(1)} ms (${current.post.length}), GET p99 ${p99(current.get).toFixed(1)} ms (${current.get.length}), skipped ${current.skipped}`,
        );
        current = { rssMiB: 0, heapMiB: 0, post: [], get: [], skipped: 0 };
      }
    } finally {
      clearInterval(load);
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
      client.close();
      await new Promise<void>((r) => server.close(() => r()));
      await db.drop();
    }
    if (failures) throw new Error(`${failures} soak requests failed, first: ${firstFailure}`);

    const first = windows.slice(0, 5);
    const last = windows.slice(-5);
    const firstPost = p99(first.flatMap((w) => w.post));
    const lastPost = p99(last.flatMap((w) => w.post));
    const firstGet = p99(first.flatMap((w) => w.get));
    const lastGet = p99(last.flatMap((w) => w.get));
    const rssGrowth = (windows.at(-1)!.rssMiB - windows[0]!.rssMiB) / windows[0]!.rssMiB;
    const skipped = windows.reduce((a, w) => a + w.skipped, 0);
    const metrics: Metric[] = [
      {
        metric: 'RSS growth, first window to last',
        value: 100 * rssGrowth,
        unit: '%',
        target: '< 5%',
        note: `samples: ${windows.map((w) => w.rssMiB.toFixed(0)).join(', ')} MiB; heap ${windows.map((w) => w.heapMiB.toFixed(0)).join(', ')} MiB`,
      },
      {
        metric: 'POST p99, last 5 windows / first 5',
        value: lastPost / firstPost,
        unit: 'ratio',
        target: '≤ 1.2',
        note: `${firstPost.toFixed(1)} -> ${lastPost.toFixed(1)} ms; per window ${windows.map((w) => p99(w.post).toFixed(0)).join(', ')} ms`,
      },
      {
        metric: 'GET p99, last 5 windows / first 5',
        value: lastGet / firstGet,
        unit: 'ratio',
        target: '≤ 1.2',
        note: `${firstGet.toFixed(1)} -> ${lastGet.toFixed(1)} ms; per window ${windows.map((w) => p99(w.get).toFixed(0)).join(', ')} ms`,
      },
      {
        metric: 'statements stored',
        value: n,
        unit: 'statements',
        note: `mean POST p99 per window ${mean(windows.map((w) => p99(w.post))).toFixed(1)} ms; turns skipped at ${MAX_IN_FLIGHT} requests in flight: ${skipped}`,
      },
    ];
    return {
      method: `${(durationMs / 60_000).toFixed(1)} minutes at a steady rate from keep-alive clients in the server's process (so the RSS is the server's plus a small client): every 100 ms a tenth of ${SINGLES_PER_S} single-statement POSTs, ${BATCHES_PER_S} batch of ${BATCH} and ${GETS_PER_S} GETs a second (agent+activity and related_activities, limit=50, alternating); statements generated as sent (${LEARNERS} learners, ${ACTIVITIES} activities under ${COURSES} courses, registration and result each), never held. After one window of warm-up, RSS, heap and the p99 of POSTs and GETs (by arrival of the response) sampled in ${SAMPLES} windows of ${(windowMs / 1000).toFixed(1)} s. A turn is skipped, not queued, while ${MAX_IN_FLIGHT} requests are in flight (counted), so a slow server cannot make the client grow.`,
      metrics,
    };
  },
};
