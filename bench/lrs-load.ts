import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadJob, LoadOutcome } from './lrs-load-client.js';

/**
 * Sends `bodies` (JSON request bodies) to the LRS on 127.0.0.1:`port` from a load client in another
 * process (lrs-load-client.ts); resolves with its results. The bodies go through a file in `dir`.
 */
export async function runLoad(
  dir: string,
  job: Omit<LoadJob, 'file'> & { bodies: string[]; label: string },
): Promise<LoadOutcome> {
  const file = path.join(dir, `${job.label}.ndjson`);
  writeFileSync(file, `${job.bodies.join('\n')}\n`);
  const args: LoadJob = {
    port: job.port,
    authorization: job.authorization,
    file,
    concurrency: job.concurrency,
    timeLimitMs: job.timeLimitMs,
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'lrs-load-client.ts'), JSON.stringify(args)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load client ${job.label} exited with ${code}: ${stderr}`);
  const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadOutcome;
  if (outcome.ok !== outcome.requests)
    throw new Error(
      `load client ${job.label}: ${outcome.requests - outcome.ok} requests failed, first ${outcome.firstFailure}`,
    );
  return outcome;
}
