import type { Express } from 'express';

/** One route of an express app: its method (upper case, or ALL) and full path pattern. */
export interface AppRoute {
  method: string;
  path: string;
}

interface Layer {
  name: string;
  regexp: RegExp & { fast_slash?: boolean };
  keys: { name: string }[];
  handle: { stack?: Layer[] };
  route?: { path: string | RegExp; methods: Record<string, boolean> };
}

/** The path a router was mounted at, read back from express 4's layer regexp. */
function mountPath(layer: Layer): string {
  if (layer.regexp.fast_slash) return '';
  let keyIndex = 0;
  return layer.regexp.source
    .replace(/^\^/, '')
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, '')
    .replace(/\(\?:\(\[\^\\\/\]\+\?\)\)/g, () => `:${layer.keys[keyIndex++]?.name ?? 'param'}`)
    .replace(/\\\//g, '/');
}

/**
 * Every route the app answers, walking express 4's router stack (nested routers included), in mount
 * order. Middleware without a route (use) is left out; `all` routes are listed as ALL.
 */
export function appRoutes(app: Express): AppRoute[] {
  const out: AppRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = prefix + String(layer.route.path);
        const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
        for (const m of methods) out.push({ method: m === '_all' ? 'ALL' : m.toUpperCase(), path });
      } else if (layer.name === 'router' && layer.handle.stack) {
        walk(layer.handle.stack, prefix + mountPath(layer));
      }
    }
  };
  walk((app as unknown as { _router: { stack: Layer[] } })._router.stack, '');
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
