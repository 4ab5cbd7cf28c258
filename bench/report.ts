import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './harness.js';

const fmt = (v: number) =>
  Math.abs(v) >= 1000
    ? Math.round(v).toLocaleString('en-US')
    : Number.isInteger(v)
      ? String(v)
      : v.toFixed(Math.abs(v) < 10 ? 2 : 1);

/** Prints one result as a table on stdout. */
export function printResult(result: BenchResult): void {
  const rows = result.metrics.map((m) => [
    m.metric,
    `${fmt(m.value)} ${m.unit}`,
    m.target ?? '',
    m.note ?? '',
  ]);
  const headers = ['metric', 'value', 'target', 'note'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  process.stdout.write(
    `\n${result.title}\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`,
  );
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

/** Rewrites docs/benchmarks.md from every result file in bench/results (one file per benchmark). */
export function writeMarkdown(resultsDir: string, markdownFile: string): void {
  const results = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8')) as BenchResult);
  const parts = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (do not edit by hand): each benchmark writes `bench/results/<name>.json`, and',
    'this page is regenerated from all of them. Timings are never asserted in tests; they live here, with the',
    'machine that produced them. Run one benchmark with `npm run bench -- <name>`.',
    '',
  ];
  for (const r of results) {
    parts.push(`## ${r.title}`, '');
    parts.push(
      `Run ${r.startedAt} on ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}; Node ${r.machine.node}; PostgreSQL ${r.postgres}.${r.load ? ` Load average ${r.load.start.toFixed(1)} at the start, ${r.load.end.toFixed(1)} at the end${r.load.end > r.machine.cores || r.load.start > r.machine.cores ? ' (other work shared the cores: pessimistic numbers)' : ''}.` : ''}`,
      '',
      r.method,
      '',
      '| metric | value | target | note |',
      '| --- | --- | --- | --- |',
    );
    for (const m of r.metrics)
      parts.push(`| ${m.metric} | ${fmt(m.value)} ${m.unit} | ${m.target ?? ''} | ${m.note ?? ''} |`);
    parts.push('');
    // Hand-written context for a benchmark (comparisons across runs, quick runs): bench/notes/<name>.md.
    const notes = path.join(resultsDir, '..', 'notes', `${r.name}.md`);
    if (existsSync(notes)) parts.push(readFileSync(notes, 'utf8').trim(), '');
  }
  writeFileSync(markdownFile, `${parts.join('\n')}\n`);
}
