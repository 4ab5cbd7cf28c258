import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tsFilesUnder } from './import-graph.js';
import type { AppRoute } from './app-routes.js';

/** A route as a router file declares it: method and path (constants expanded), and the file. */
interface Declaration {
  method: string;
  path: string;
  file: string;
}

const CONST = /(?:export\s+)?const\s+(\w+)\s*=\s*(['`])([^'`]*)\2\s*;/g;
const DECLARATION = /\.(get|post|put|delete|patch|all|options)\(\s*(?:(['`])([^'`]*)\2|(\w+))\s*,/g;

/** Expands `${NAME}` from the file's own string constants, then from every file's. */
function expand(template: string, own: Map<string, string>, all: Map<string, string>, depth = 0): string {
  if (depth > 5) return template;
  return template.replace(/\$\{(\w+)\}/g, (m, name: string) => {
    const value = own.get(name) ?? all.get(name);
    return value === undefined ? m : expand(value, own, all, depth + 1);
  });
}

/** The router sources: src/web/routes and src/dev, with their text. */
function routeSources(root: string): { file: string; text: string }[] {
  return [
    ...tsFilesUnder(path.join(root, 'src/web/routes')),
    ...tsFilesUnder(path.join(root, 'src/dev')),
  ].map((f) => ({ file: path.relative(root, f), text: readFileSync(f, 'utf8') }));
}

/** Every route declaration in src/web/routes and src/dev, with string constants resolved. */
function routeDeclarations(files: { file: string; text: string }[]): Declaration[] {
  const consts = files.map((f) => new Map([...f.text.matchAll(CONST)].map((m) => [m[1]!, m[3]!])));
  const all = new Map(consts.flatMap((m) => [...m]));
  return files.flatMap((f, i) =>
    [...f.text.matchAll(DECLARATION)].map((m) => {
      const raw = m[3] ?? consts[i]!.get(m[4]!) ?? all.get(m[4]!) ?? `?${m[4]}`;
      return { method: m[1]!.toUpperCase(), path: expand(raw, consts[i]!, all), file: f.file };
    }),
  );
}

/**
 * The file that declares a route: the declaration with its method whose path is the route's, or its
 * longest tail (routers mounted under a prefix, like /xapi, declare only the rest).
 */
export function routeFile(
  route: AppRoute,
  declarations: Declaration[],
  files: { file: string; text: string }[],
): string | undefined {
  const matches = declarations.filter(
    (d) =>
      d.method === route.method &&
      (d.path === route.path || (route.path.endsWith(d.path) && d.path.startsWith('/'))),
  );
  const declared = matches.sort((a, b) => b.path.length - a.path.length)[0]?.file;
  if (declared) return declared;
  // Paths built in a loop (the xAPI document resources): the file naming the longest tail as a string.
  for (let i = 0; i < route.path.length; i++) {
    if (route.path[i] !== '/') continue;
    const tail = `'${route.path.slice(i)}'`;
    const hit = files.find((f) => f.text.includes(tail));
    if (hit) return hit.file;
  }
  return undefined;
}

/** The route table of docs/architecture.md, one row a route, as markdown. */
export function routeTable(root: string, routes: AppRoute[]): string {
  const files = routeSources(root);
  const declarations = routeDeclarations(files);
  const rows = routes.map(
    (r) => `| ${r.method} | \`${r.path}\` | \`${routeFile(r, declarations, files) ?? '?'}\` |`,
  );
  return ['| method | path | file |', '| --- | --- | --- |', ...rows].join('\n');
}
