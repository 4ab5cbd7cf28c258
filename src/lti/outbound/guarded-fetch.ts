import http from 'node:http';
import https from 'node:https';
import { checkOutboundUrl, guardedLookup, OutboundFetchError, type OutboundPolicy } from './address-guard.js';

export interface GuardedRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface GuardedResponse {
  status: number;
  ok: boolean;
  /** The URL that answered (after redirects). */
  url: string;
  text(): string;
  json(): unknown;
}

/** The one way LTI code fetches a URL an LMS (or anyone) gave it. */
export type GuardedFetch = (url: string, init?: GuardedRequest) => Promise<GuardedResponse>;

/**
 * A fetch that refuses private, loopback and link-local addresses (every address a name resolves to,
 * on every redirect), gives up after `timeoutMs` for the whole exchange, and stops reading past
 * `maxResponseBytes`. Built on node:http with a checking DNS lookup, so the address checked is the
 * address connected to.
 */
export function createGuardedFetch(policy: OutboundPolicy): GuardedFetch {
  const lookup = guardedLookup(policy);
  return async (url, init = {}) => {
    const deadline = Date.now() + policy.timeoutMs;
    let current = checkOutboundUrl(url, policy);
    let request = init;
    for (let hop = 0; ; hop++) {
      const res = await once(current, request, lookup, policy, deadline);
      if (res.location === undefined) return res.response;
      if (hop >= policy.maxRedirects)
        throw new OutboundFetchError(`${url} redirects more than ${policy.maxRedirects} times; refusing.`);
      current = checkOutboundUrl(new URL(res.location, current), policy);
      if (res.response.status === 303 || request.method === 'POST') request = { headers: init.headers };
    }
  };
}

function once(
  url: URL,
  init: GuardedRequest,
  lookup: ReturnType<typeof guardedLookup>,
  policy: OutboundPolicy,
  deadline: number,
): Promise<{ response: GuardedResponse; location?: string }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.body
          ? { ...init.headers, 'content-length': Buffer.byteLength(init.body) }
          : init.headers,
        lookup: lookup as never,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
          res.resume();
          return resolve({ response: respond(url, status, Buffer.alloc(0)), location: res.headers.location });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxResponseBytes) {
            req.destroy(
              new OutboundFetchError(
                `${url.href} answered more than ${policy.maxResponseBytes} bytes; Yardstick stopped reading.`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ response: respond(url, status, Buffer.concat(chunks)) }));
        res.on('error', reject);
      },
    );
    // The whole exchange, not the socket's idle time: a server dripping one byte at a time is cut too.
    const timer = setTimeout(
      () => req.destroy(new OutboundFetchError(`${url.href} did not answer within ${policy.timeoutMs} ms.`)),
      Math.max(1, deadline - Date.now()),
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(init.body);
  });
}

function respond(url: URL, status: number, body: Buffer): GuardedResponse {
  return {
    status,
    ok: status >= 200 && status < 300,
    url: url.href,
    text: () => body.toString('utf8'),
    json: () => JSON.parse(body.toString('utf8')) as unknown,
  };
}
