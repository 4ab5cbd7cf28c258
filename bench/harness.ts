import os from 'node:os';
import { readFileSync } from 'node:fs';

/** One measured number. `better` tells the reader which direction is good. */
export interface Metric {
  metric: string;
  value: number;
  unit: string;
  /** The target from the issue, as text ("≥ 10,000/s"), when there is one. */
  target?: string;
  note?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  /** What was measured, how, and with which data. */
  method: string;
  metrics: Metric[];
  startedAt: string;
  machine: MachineInfo;
  postgres: string;
  /** 1-minute load average when the benchmark started and ended: above the core count, other work competed. */
  load?: { start: number; end: number };
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
}

export interface BenchContext {
  /** A maintenance connection URL of the benchmark's PostgreSQL server. */
  serverUrl: string;
  postgresVersion: string;
  /** Scale factor: 1 for the recorded runs, smaller for a quick smoke run (BENCH_SCALE). */
  scale: number;
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Omit<BenchResult, 'startedAt' | 'machine' | 'postgres' | 'name' | 'title'>>;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  let model = cpus[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.split(':')[1]!.trim();
  } catch {
    /* not Linux */
  }
  return {
    cpu: model,
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** Percentile of sorted samples, R type 7 (linear interpolation). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return (
    sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!)
  );
}

/** Runs `work(i)` for i in [0, total) on `concurrency` workers; each worker takes the next index. */
export async function runConcurrently(
  total: number,
  concurrency: number,
  work: (i: number, worker: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = next++; i < total; i = next++) await work(i, worker);
    }),
  );
}
