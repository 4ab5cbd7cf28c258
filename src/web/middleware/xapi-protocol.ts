import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError, ValidationError } from '../../errors.js';
import type { XapiVersion } from '../../xapi/rules/index.js';

/** Headers browser content may read from responses (CORS, xAPI Communication 1.4 and 2.1.3). */
const EXPOSED_HEADERS = [
  'ETag',
  'Last-Modified',
  'Content-Type',
  'Content-Length',
  'X-Experience-API-Version',
  'X-Experience-API-Consistent-Through',
].join(', ');

const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Content-Length',
  'If-Match',
  'If-None-Match',
  'X-Experience-API-Version',
  'X-Requested-With',
  'Accept-Language',
].join(', ');

/** The request's negotiated xAPI version, set by {@link negotiateVersion}. */
export function xapiVersionOf(res: Response): XapiVersion {
  return (res.locals.xapiVersion as XapiVersion | undefined) ?? '2.0.0';
}

/**
 * CORS for browser content and the version header on every response, errors included
 * (xAPI Communication 3.3: "The LRS MUST include the X-Experience-API-Version header in every
 * response"). Before the request's version is known (missing or unsupported header) the header says
 * `unversionedResponseVersion` (config xapi.unversionedResponseVersion). Preflight requests are
 * answered here, before authentication.
 */
export function xapiResponseHeaders(unversionedResponseVersion: XapiVersion): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.set('Access-Control-Allow-Origin', origin ?? '*');
    if (origin) res.vary('Origin');
    res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    // Answer in the request's version even if reading its body fails (413, 400).
    res.set(
      'X-Experience-API-Version',
      versionOf(req.headers['x-experience-api-version']) ?? unversionedResponseVersion,
    );
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST, DELETE, OPTIONS');
      res.set(
        'Access-Control-Allow-Headers',
        req.headers['access-control-request-headers'] ?? ALLOWED_HEADERS,
      );
      res.set('Access-Control-Allow-Credentials', 'true');
      res.set('Access-Control-Max-Age', '86400');
      res.status(204).end();
      return;
    }
    next();
  };
}

/** 1.0 or 1.0.x -> 1.0.3; 2.0 or 2.0.x -> 2.0.0; anything else undefined. */
function versionOf(header: string | string[] | undefined): XapiVersion | undefined {
  const value = typeof header === 'string' ? header.trim() : undefined;
  if (value === undefined) return undefined;
  if (/^1\.0(\.\d+)?$/.test(value)) return '1.0.3';
  if (/^2\.0(\.\d+)?$/.test(value)) return '2.0.0';
  return undefined;
}

/** Headers the alternate request syntax may carry as form fields (xAPI 1.0.3 Communication 1.3). */
const FORM_HEADERS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
]);

/**
 * xAPI 1.0.3 alternate request syntax (Communication 1.3): `POST ...?method=PUT` with a
 * form-urlencoded body whose fields are headers, `content` (the body) and query parameters. Rewrites
 * the request in place. xAPI 2.0 removed it; {@link negotiateVersion} rejects it there.
 */
export const alternateRequestSyntax: RequestHandler = (req, res, next) => {
  const method = req.query.method;
  if (req.method !== 'POST' || method === undefined) return next();
  const fail = (message: string) => next(new ValidationError(message, [{ path: 'method', message }]));
  if (typeof method !== 'string' || !['GET', 'PUT', 'POST', 'DELETE'].includes(method.toUpperCase())) {
    return fail(`method=${String(method)} is not one of GET, PUT, POST, DELETE (alternate request syntax)`);
  }
  const others = Object.keys(req.query).filter((k) => k !== 'method');
  if (others.length > 0) {
    return fail(
      `an alternate-syntax request may carry only "method" in its query string, not ${others.join(', ')}; put the other parameters in the form body (xAPI Communication 1.3)`,
    );
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    return fail('an alternate-syntax request must have Content-Type application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
  const query: Record<string, string> = {};
  let content = Buffer.alloc(0);
  delete req.headers['content-type'];
  for (const [name, value] of form) {
    const lower = name.toLowerCase();
    if (FORM_HEADERS.has(lower)) req.headers[lower] = value;
    else if (name === 'content') content = Buffer.from(value, 'utf8');
    else query[name] = value;
  }
  // The content of an alternate-syntax request is JSON unless a Content-Type field says otherwise.
  req.headers['content-type'] ??= 'application/json';
  req.method = method.toUpperCase();
  req.query = query;
  req.body = content;
  res.locals.alternateSyntax = true;
  next();
};

/**
 * Reads X-Experience-API-Version: 1.0 or 1.0.x -> 1.0.3 rules, 2.0 or 2.0.x -> 2.0 rules; missing or
 * other -> 400 (Communication 3.3). `optional` lets GET /about through without the header.
 */
export function negotiateVersion(options: { optional?: (req: Request) => boolean } = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers['x-experience-api-version'];
    const value = typeof header === 'string' ? header.trim() : undefined;
    if (value === undefined || value === '') {
      if (options.optional?.(req)) return next();
      return next(
        new ValidationError(
          'The X-Experience-API-Version header is missing; send 1.0.3 or 2.0.0 (xAPI Communication 3.3).',
          [{ path: 'X-Experience-API-Version', message: 'missing' }],
        ),
      );
    }
    const version = versionOf(value);
    if (!version) {
      return next(
        new ValidationError(
          `X-Experience-API-Version ${JSON.stringify(value)} is not supported; this LRS speaks 1.0.3 and 2.0.0.`,
          [{ path: 'X-Experience-API-Version', message: 'unsupported version' }],
        ),
      );
    }
    res.locals.xapiVersion = version;
    res.set('X-Experience-API-Version', version);
    if (version === '2.0.0' && res.locals.alternateSyntax) {
      return next(
        new AppError(
          'invalid',
          'xAPI 2.0 removed the alternate request syntax (method=...); send the request with its own HTTP method and headers.',
          [{ path: 'method', message: 'alternate request syntax is not part of xAPI 2.0' }],
        ),
      );
    }
    next();
  };
}
