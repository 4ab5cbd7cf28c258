/* eslint-disable @typescript-eslint/no-explicit-any -- got (ltijs' HTTP client) is untyped here; this file is the boundary */
import type { createRequire } from 'node:module';
import {
  checkOutboundUrl,
  guardedLookup,
  OutboundFetchError,
  type OutboundPolicy,
} from '../outbound/address-guard.js';

const GUARDED = Symbol.for('yardstick.ltijs.guarded');

/**
 * ltijs fetches platform keysets (every launch), access tokens, AGS and NRPS itself, through one got
 * instance its modules share (`ltijs/dist/Utils/Http.js`, `got.extend(...)` with frozen defaults), and
 * it takes no fetch function or agent. Before ltijs is first required, this replaces that module's
 * export with a guarded extension of it: the same DNS check as {@link createGuardedFetch} (every
 * address, every redirect), literal IPs checked before the request and on each redirect, a timeout for
 * the whole request and a response size limit. Must run before `require('ltijs')`; idempotent.
 */
export function guardLtijsHttp(require: ReturnType<typeof createRequire>, policy: OutboundPolicy): void {
  const path = require.resolve('ltijs/dist/Utils/Http.js');
  const base = require(path);
  if (base[GUARDED]) return;
  const guarded = guardGot(base, policy);
  Object.defineProperty(guarded, GUARDED, { value: true });
  const cached = require.cache[path];
  if (!cached) throw new Error(`ltijs' HTTP module ${path} is not in the require cache; cannot guard it.`);
  cached.exports = guarded;
}

/** A got instance (ltijs' client) extended with the outbound checks of `policy`. */
export function guardGot(base: any, policy: OutboundPolicy): any {
  const check = (options: any) => void checkOutboundUrl(options.url, policy);
  return base.extend({
    lookup: guardedLookup(policy),
    timeout: { request: policy.timeoutMs },
    maxRedirects: policy.maxRedirects,
    hooks: { beforeRequest: [check], beforeRedirect: [check] },
    handlers: [
      (options: any, next: (o: any) => any) => {
        const result = next(options);
        result.on?.('downloadProgress', (progress: { transferred: number }) => {
          if (progress.transferred > policy.maxResponseBytes) {
            const error = new OutboundFetchError(
              `${String(options.url)} answered more than ${policy.maxResponseBytes} bytes; Yardstick stopped reading.`,
            );
            if (typeof result.cancel === 'function') result.cancel(error.message);
            else result.destroy?.(error);
          }
        });
        return result;
      },
    ],
  });
}
