// `npm run cluster -- up`, then `node --import tsx deploy/cluster/measure.ts`: statement throughput
// through one app server and through both, on the running cluster (docs/scaling.md quotes its output).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { clusterLayout } from './layout.js';
import { readState } from './cluster.js';

const SECONDS = Number(process.env.MEASURE_SECONDS || 15);
const CLIENTS = Number(process.env.MEASURE_CLIENTS || 8);
const BATCH = Number(process.env.MEASURE_BATCH || 1);

const state = readState(clusterLayout());
if (!state) throw new Error('no cluster.json: run "npm run cluster -- up" first');
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = (args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, ['bin/yardstick.js', '--json', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...state.cliEnv },
      encoding: 'utf8',
    }),
  ) as Record<string, string>;
const tenant = `measure-${Date.now()}`;
cli(['tenant', 'create', tenant]);
const credential = cli(['lrs-credentials', 'create', '--tenant', tenant]);
const auth = `Basic ${Buffer.from(`${credential.key}:${credential.secret}`).toString('base64')}`;

async function run(
  targets: string[],
): Promise<{ perSecond: number; p50: number; p95: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let turn = 0;
  const until = Date.now() + SECONDS * 1000;
  const client = async (n: number) => {
    while (Date.now() < until) {
      const body = Array.from({ length: BATCH }, () => ({
        id: randomUUID(),
        actor: { mbox: `mailto:m${n}@measure.example.com` },
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id: 'http://measure.example.com/a' },
      }));
      const started = performance.now();
      const res = await fetch(`${targets[turn++ % targets.length]}/xapi/statements`, {
        method: 'POST',
        headers: {
          Authorization: auth,
          'X-Experience-API-Version': '1.0.3',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (res.status === 200) latencies.push(performance.now() - started);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.floor(p * (latencies.length - 1))] ?? 0);
  return { perSecond: Math.round((latencies.length * BATCH) / SECONDS), p50: q(0.5), p95: q(0.95), errors };
}

for (const [label, targets] of [
  ['one app server', [state.urls.apps.app1]],
  ['two app servers', [state.urls.apps.app1, state.urls.apps.app2]],
] as const) {
  const r = await run([...targets]);
  process.stdout.write(
    `${label}: ${r.perSecond} statements/s (${CLIENTS} clients, ${BATCH} per POST, ${SECONDS} s), p50 ${r.p50} ms, p95 ${r.p95} ms, errors ${r.errors}\n`,
  );
}
