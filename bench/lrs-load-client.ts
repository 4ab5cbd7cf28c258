/**
 * A load client process for the LRS benchmark (`lrs-load.ts` starts it): sends the request bodies of
 * a file (one JSON body a line) to an LRS on 127.0.0.1 from `concurrency` keep-alive connections and
 * prints one JSON line of results. Bounded: it stops after the file's bodies or `timeLimitMs`,
 * whichever comes first. Runs in its own process so that client work does not share the server's
 * event loop, as with clients in the outside world.
 */
import { readFileSync } from 'node:fs';
import { lrsClient } from './lrs-http-client.js';
import { runConcurrently } from './harness.js';

export interface LoadJob {
  port: number;
  authorization: string;
  /** File of request bodies, one a line. */
  file: string;
  concurrency: number;
  timeLimitMs: number;
}

export interface LoadOutcome {
  requests: number;
  /** Requests answered 200. */
  ok: number;
  /** Status -> count of the other answers (0: connection error). */
  failures: Record<string, number>;
  firstFailure?: string;
  seconds: number;
  /** Wall time of each request answered 200, ms. */
  latencies: number[];
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as LoadJob;
  const bodies = readFileSync(job.file, 'utf8').split('\n').filter(Boolean);
  const client = lrsClient(job.port, job.authorization, job.concurrency);
  const out: LoadOutcome = { requests: 0, ok: 0, failures: {}, seconds: 0, latencies: [] };
  const started = performance.now();
  const deadline = started + job.timeLimitMs;
  await runConcurrently(bodies.length, job.concurrency, async (i) => {
    if (performance.now() > deadline) return;
    out.requests++;
    const r = await client
      .request('POST', '/xapi/statements', bodies[i])
      .catch((err: Error) => ({ status: 0, body: err.message, ms: 0 }));
    if (r.status === 200) {
      out.ok++;
      out.latencies.push(r.ms);
    } else {
      out.failures[r.status] = (out.failures[r.status] ?? 0) + 1;
      out.firstFailure ??= `${r.status}: ${r.body.slice(0, 300)}`;
    }
  });
  out.seconds = (performance.now() - started) / 1000;
  client.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`load client: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
