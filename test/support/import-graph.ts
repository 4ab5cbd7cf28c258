import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One file's relative imports that exist at run time (not `import type`), as absolute .ts paths. */
export interface ImportGraph {
  files: string[];
  edges: Map<string, string[]>;
}

const STATIC_IMPORT = /^\s*(import|export)\s+(?!type\b)([^'";]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every .ts file under `dir`, recursively. */
export function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFilesUnder(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out.sort();
}

/**
 * The static, value-level import graph of the .ts files under `dir`: `import type` and dynamic
 * `import()` are left out, since neither loads a module when the importer loads.
 */
export function importGraph(dir: string): ImportGraph {
  const files = tsFilesUnder(dir);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const clause = m[2] ?? '';
      // `import { type A, type B } from` loads nothing either.
      const names = /\{([^}]*)\}/.exec(clause)?.[1];
      if (
        names &&
        !clause.replace(/\{[^}]*\}/, '').match(/\w/) &&
        names.split(',').every((n) => /^\s*(type\s|$)/.test(n))
      )
        continue;
      const spec = m[3]!;
      targets.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
    }
    edges.set(file, targets);
  }
  return { files, edges };
}

/** Every file reachable from `roots` through static imports. */
export function reachableFrom(graph: ImportGraph, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...(graph.edges.get(f) ?? []));
  }
  return seen;
}

/** The import cycles (strongly connected components of more than one file, or a self-import). */
export function importCycles(graph: ImportGraph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.edges.get(v) ?? []) {
      if (!graph.edges.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.edges.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const f of graph.files) if (!idx.has(f)) visit(f);
  return cycles;
}
