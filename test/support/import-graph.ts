import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** What one source file names as its modules. */
export interface FileImports {
  /** Relative specifiers of `import ... from` and `export ... from` (type-only ones included). */
  staticRelative: string[];
  /** Every module specifier: static, `import()` and `require()`, relative or a package. */
  all: string[];
}

/** Reads a TypeScript file's module specifiers from its syntax tree (no type checking). */
export function importsOf(file: string): FileImports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const staticSpecifiers: string[] = [];
  const all: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    )
      staticSpecifiers.push(statement.moduleSpecifier.text);
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
    all: [...staticSpecifiers, ...all],
  };
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
