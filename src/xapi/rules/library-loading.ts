/**
 * xapi-validation's factory (dist/factory.js) looks every rule up with `require(file)` each time the
 * rule runs, not once: about 44 `require` calls per capture statement. A cached `require` is still a
 * resolution through Module._load, and under the tsx loader the server starts with (`npm start`) it
 * cost 0.8 µs each, more than half of the library's time per statement (issue #17 profile: 3.4 of
 * 6.1 ms per 100 capture statements). The factory module's own `require` is replaced here by one that
 * remembers each file's exports after its first load: the same objects Node's module cache returns,
 * since those modules set their exports once, when loaded.
 */
import { createRequire } from 'node:module';

interface CommonJsModule {
  require(id: string): unknown;
}

const require = createRequire(import.meta.url);

/** Makes the factory's per-call `require` a map lookup. Idempotent; call before validating. */
export function rememberLibraryRequires(): void {
  const path = require.resolve('xapi-validation/dist/factory.js');
  const factoryModule = require.cache[path] as (CommonJsModule & { rememberedRequires?: true }) | undefined;
  if (!factoryModule || factoryModule.rememberedRequires) return;
  const load = factoryModule.require.bind(factoryModule);
  const loaded = new Map<string, unknown>();
  factoryModule.require = (id: string) => {
    if (loaded.has(id)) return loaded.get(id);
    const exports = load(id);
    loaded.set(id, exports);
    return exports;
  };
  factoryModule.rememberedRequires = true;
}
