// `LTI_ALLOW_PRIVATE_NETWORK_FETCH=true npm run cluster -- up`, then
// `node --import tsx bench/cluster-throughput.ts [--record]`: statements/s (batch POSTs) and course
// reports/s through one app server and through both, on the running reference cluster. The test LMS
// runs in this process on loopback, hence the variable (the app servers must fetch its keys).
// --record writes bench/results/clusterThroughput.json and regenerates docs/benchmarks.md: only on a
// quiet machine (docs/scaling.md).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineInfo, type BenchResult, type Metric } from './harness.js';
import { writeMarkdown } from './report.js';
import { randomUUID } from 'node:crypto';
import { clusterLayout } from '../deploy/cluster/layout.js';
import { readState } from '../deploy/cluster/cluster.js';
import { runProcess } from '../test/support/spawn-process.js';
import { get, type CookieJar } from '../test/support/lti-client.js';
import { launchAcross, startTestPlatform } from '../test/cluster/support/test-platform.js';

const SECONDS = Number(process.env.MEASURE_SECONDS || 15);
const CLIENTS = Number(process.env.MEASURE_CLIENTS || 4);
const BATCH = Number(process.env.MEASURE_BATCH || 50);
const record = process.argv.includes('--record');

const layout = clusterLayout();
const found = readState(layout);
if (!found)
  throw new Error('no cluster.json: run "LTI_ALLOW_PRIVATE_NETWORK_FETCH=true npm run cluster -- up" first');
const state = found;
const apps = [state.urls.apps.app1, state.urls.apps.app2];

const cli = async (args: string[]) => {
  const r = await runProcess(['bin/yardstick.js', '--json', ...args], { ...process.env, ...state.cliEnv });
  if (r.code !== 0) throw new Error(`yardstick ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>;
};
const tenantName = `measure-${Date.now()}`;
const tenant = await cli(['tenant', 'create', tenantName]);
const credential = await cli(['lrs-credentials', 'create', '--tenant', tenantName]);
const auth = `Basic ${Buffer.from(`${credential.key}:${credential.secret}`).toString('base64')}`;

interface Rate {
  perSecond: number;
  p50: number;
  p95: number;
  errors: number;
}

/** `clients` loops calling `once` round robin over `targets` for SECONDS; `once` says how many items it did. */
async function rate(targets: string[], once: (target: string) => Promise<number>): Promise<Rate> {
  const latencies: number[] = [];
  let items = 0;
  let errors = 0;
  let turn = 0;
  const until = Date.now() + SECONDS * 1000;
  const client = async () => {
    while (Date.now() < until) {
      const started = performance.now();
      const done = await once(targets[turn++ % targets.length]!).catch(() => 0);
      if (done > 0) {
        latencies.push(performance.now() - started);
        items += done;
      } else errors++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, () => client()));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.floor(p * (latencies.length - 1))] ?? 0);
  return { perSecond: Math.round((items / SECONDS) * 10) / 10, p50: q(0.5), p95: q(0.95), errors };
}

async function postStatements(target: string): Promise<number> {
  const body = Array.from({ length: BATCH }, (_, i) => ({
    id: randomUUID(),
    actor: { mbox: `mailto:m${i}@measure.example.com` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { id: 'http://measure.example.com/a' },
  }));
  const res = await fetch(`${target}/xapi/statements`, {
    method: 'POST',
    headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status === 200 ? BATCH : 0;
}

/**
 * An instructor's session on the dev course safety-101 (the learners' module attempts are its data),
 * and the address of its course report.
 */
async function instructorReport(): Promise<{ jar: CookieJar; path: string }> {
  const platform = await startTestPlatform({
    layout,
    state,
    lrs: { tenantId: tenant.id!, tenantName, auth },
  });
  const launch = (person: string) =>
    launchAcross(
      platform.lms,
      state.urls.front,
      apps[0]!,
      apps[1]!,
      person,
      'safety-101',
      'safety-101-module-1',
    );
  for (const learner of ['ana', 'ben', 'cara']) {
    const { res } = await launch(learner);
    if (res.status !== 303)
      throw new Error(
        `the launch answered ${res.status}; was the cluster started with LTI_ALLOW_PRIVATE_NETWORK_FETCH=true? ${await res.text()}`,
      );
  }
  const { res, jar } = await launch('ines');
  const landing = await get(new URL(res.headers.get('location')!, apps[0]).href, jar);
  const html = await landing.text();
  const path = /href="(\/courses\/[^"/]+\/report)"/.exec(html)?.[1];
  if (!path) throw new Error(`no course report link on the instructor's page (${landing.status})`);
  return { jar, path };
}

const report = await instructorReport();
const getReport = async (target: string) => {
  const res = await get(`${target}${report.path}`, report.jar);
  await res.arrayBuffer();
  return res.status === 200 ? 1 : 0;
};

const loadAtStart = os.loadavg()[0]!;
const startedAt = new Date().toISOString();
const metrics: Metric[] = [];
for (const [label, targets] of [
  ['one app server', apps.slice(0, 1)],
  ['two app servers', apps],
] as const) {
  const statements = await rate([...targets], postStatements);
  const reports = await rate([...targets], getReport);
  for (const [what, unit, r] of [
    ['statements', 'statements/s', statements],
    ['course reports', 'reports/s', reports],
  ] as const)
    metrics.push({
      metric: `${what}, ${label}`,
      value: r.perSecond,
      unit,
      note: `p50 ${r.p50} ms, p95 ${r.p95} ms${r.errors ? `, ${r.errors} errors` : ''}`,
    });
}
for (const m of metrics) process.stdout.write(`${m.metric}: ${m.value} ${m.unit} (${m.note})\n`);

if (record) {
  const result: BenchResult = {
    name: 'clusterThroughput',
    title: 'Reference cluster: statements and course reports with one and two app servers',
    method: `The running \`npm run cluster\` (two app servers, Patroni primary with a synchronous standby, PgBouncer, reports from the replica): ${CLIENTS} clients for ${SECONDS} s each, round robin over one or both app servers; statements in POSTs of ${BATCH}; the course report of the development course safety-101 (three learners' module attempts) for its instructor, a small course, so the cost per request (docs/scaling.md says what limits the second server on 2 cores).`,
    metrics,
    startedAt,
    machine: machineInfo(),
    postgres: '15 (Patroni, synchronous_mode)',
    load: { start: loadAtStart, end: os.loadavg()[0]! },
  };
  const resultsDir = path.resolve(import.meta.dirname, 'results');
  writeFileSync(path.join(resultsDir, `${result.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeMarkdown(resultsDir, path.resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md'));
  process.stdout.write('recorded in bench/results and docs/benchmarks.md\n');
}
process.exit(0);
