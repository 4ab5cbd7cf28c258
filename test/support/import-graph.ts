import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** What one source file names as its modules. */
export interface FileImports {
  /** Relative specifiers of `import ... from` and `export ... from` (type-only ones included). */
  staticRelative: string[];
  /** The same without the type-only ones: the modules that loading this file loads. */
  valueRelative: string[];
  /** Every module specifier: static, `import()` and `require()`, relative or a package. */
  all: string[];
}

/** Reads a TypeScript file's module specifiers from its syntax tree (no type checking). */
export function importsOf(file: string): FileImports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const staticSpecifiers: string[] = [];
  const valueSpecifiers: string[] = [];
  const all: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      staticSpecifiers.push(statement.moduleSpecifier.text);
      if (!isTypeOnly(statement)) valueSpecifiers.push(statement.moduleSpecifier.text);
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]!)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) all.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return {
    staticRelative: staticSpecifiers.filter((s) => s.startsWith('.')),
    valueRelative: valueSpecifiers.filter((s) => s.startsWith('.')),
    all: [...staticSpecifiers, ...all],
  };
}

/** `import type ...`, `export type ...`, or an import whose every name is `type X`: loads nothing. */
function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) return statement.isTypeOnly;
  const clause = statement.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The file a relative specifier names: `./x.js` is `./x.ts` in the sources (or `./x/index.ts`). */
export function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')];
  const found = candidates.find((c) => c.endsWith('.ts') && existsSync(c));
  if (!found)
    throw new Error(`${path.relative(process.cwd(), from)} imports ${specifier}, which is not there`);
  return found;
}

/**
 * Every file the entry files reach through static imports, transitively (what loading them loads;
 * `import()` expressions are not followed). Returns each reached file with the chain that reached it.
 */
export function staticClosure(entries: string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>(entries.map((e) => [path.resolve(e), [path.resolve(e)]]));
  const queue = [...reached.keys()];
  while (queue.length) {
    const file = queue.shift()!;
    for (const specifier of importsOf(file).staticRelative) {
      const target = resolveRelative(file, specifier);
      if (reached.has(target)) continue;
      reached.set(target, [...reached.get(file)!, target]);
      queue.push(target);
    }
  }
  return reached;
}

/** Every .ts file under `dir`, recursively, sorted. */
export function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFilesUnder(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** The value-level import graph of the .ts files under `dir` (type-only imports and `import()` left out). */
export function importGraph(dir: string): { files: string[]; edges: Map<string, string[]> } {
  const files = tsFilesUnder(dir);
  const edges = new Map(files.map((f) => [f, importsOf(f).valueRelative.map((s) => resolveRelative(f, s))]));
  return { files, edges };
}

/** The import cycles of a graph: its strongly connected components of more than one file (Tarjan). */
export function importCycles(graph: { files: string[]; edges: Map<string, string[]> }): string[][] {
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
    if (low.get(v) !== idx.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.edges.get(v) ?? []).includes(v)) cycles.push(scc.sort());
  };
  for (const f of graph.files) if (!idx.has(f)) visit(f);
  return cycles;
}
