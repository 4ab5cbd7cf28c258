import type { Request, RequestHandler, Response } from 'express';
import type { LaunchService } from '../../lti/launch/launch-service.js';
import type { SessionTokenService } from '../../lti/launch/session-token-service.js';
import type { LtiSession } from '../../lti/model.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';

/**
 * The session without a third-party cookie (docs/lti.md, "Launches without third-party cookies"): a
 * launch through platform storage lands on its first page with `?yst=<token>` (SessionTokenService),
 * and every page rendered for a session that arrived that way carries a fresh token in its same-origin
 * links, forms and redirects. The cookie, when the browser sends it, is used first; the token is the
 * fallback. Tokens are bearer credentials for minutes: pages that carry them send
 * `Referrer-Policy: same-origin` (no Referer leaves Yardstick), and the request log redacts them.
 */
export const SESSION_TOKEN_PARAM = 'yst';
export const SESSION_TOKEN_HEADER = 'x-yardstick-session';

const presented = new WeakMap<Request, string>();

/** The session token a request presents: `?yst=` (taken off req.query for the routes) or the header. */
export function presentedSessionToken(req: Request): string | undefined {
  const kept = presented.get(req);
  if (kept) return kept;
  const header = req.get(SESSION_TOKEN_HEADER);
  const query = req.query?.[SESSION_TOKEN_PARAM];
  const token = typeof query === 'string' ? query : header;
  if (token) presented.set(req, token);
  return token;
}

export interface SessionSources {
  launches: Pick<LaunchService, 'findSession'>;
  sessionTokens: Pick<SessionTokenService, 'resolve'>;
}

/** The launch session of a request, from its cookie, else its session token; `viaToken` says which. */
export async function findRequestSession(
  deps: SessionSources,
  req: Request,
): Promise<{ session: LtiSession; viaToken: boolean } | undefined> {
  const fromCookie = await deps.launches.findSession(readCookie(req, SESSION_COOKIE));
  if (fromCookie) return { session: fromCookie, viaToken: false };
  const fromToken = await deps.sessionTokens.resolve(presentedSessionToken(req));
  return fromToken ? { session: fromToken, viaToken: true } : undefined;
}

/** Marks this response as one that carries `token` (set by the session guard when the cookie was missing). */
export function carryToken(res: Response, token: string): void {
  res.locals.sessionToken = token;
  res.set('Referrer-Policy', 'same-origin');
}

const withParam = (url: string, token: string, amp: string) => {
  const hash = url.indexOf('#');
  const [path, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  return `${path}${path.includes('?') ? amp : '?'}${SESSION_TOKEN_PARAM}=${token}${fragment}`;
};

/**
 * Public addresses that never take the token: static files, cmi5 package files and fetch URLs (package
 * content must never see a credential in its own address), the LRS, the LTI endpoints, the development
 * LMS, health. A new public area whose pages link out of the session pages belongs here.
 */
const PUBLIC_PREFIXES = [
  '/static/',
  '/content/',
  '/cmi5/',
  '/xapi',
  '/lti/',
  '/dev-lms',
  '/healthz',
  '/readyz',
];

/** A Yardstick session page address the token should ride on (not public, not a signed download). */
const carries = (url: string) =>
  url.startsWith('/') &&
  !url.startsWith('//') &&
  !PUBLIC_PREFIXES.some((p) => url.startsWith(p)) &&
  !/[?&;]link=/.test(url);

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;
const FORM = /<form\b[^>]*>/gi;
const ACTION = /(\baction\s*=\s*)(?:"([^"]*)"|'([^']*)')/i;
const POST = /\bmethod\s*=\s*["']?post\b/i;

/**
 * Writes `token` into a page: every same-origin link's query, every post form's action (its body is
 * read only by the route), a hidden field in every get form (whose action query the browser replaces)
 * and a `<meta name="yardstick-session">` for scripts (public/learner.js, public/outcome-import.js).
 */
export function withSessionToken(html: string, token: string): string {
  const field = `<input type="hidden" name="${SESSION_TOKEN_PARAM}" value="${token}">`;
  // An attribute, double- or single-quoted, with the token added to its address when it carries one.
  // Its value is HTML text (Handlebars writes `=` as `&#x3D;`): decoded to read the address, then escaped.
  const attribute = (all: string, open: string, double?: string, single?: string) => {
    const url = decodeEntities(double ?? single ?? '');
    const q = double === undefined ? "'" : '"';
    return carries(url) ? `${open}${q}${escapeAttribute(withParam(url, token, '&'))}${q}` : all;
  };
  return html
    .replace(HREF, attribute)
    .replace(FORM, (tag) => (POST.test(tag) ? tag.replace(ACTION, attribute) : tag + field))
    .replace(/<head>/i, (head) => `${head}<meta name="yardstick-session" content="${token}">`);
}

const NAMED: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/** The text of an HTML attribute value (character references resolved). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (ref, name: string) => {
    if (name[0] !== '#') return NAMED[name.toLowerCase()] ?? ref;
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
}

const escapeAttribute = (value: string) => value.replace(/[&"'<>]/g, (c) => `&#${c.charCodeAt(0)};`);

type RenderCallback = (err: Error, html: string) => void;

/**
 * Mounted in front of every session router (src/web/session-routes.ts): takes the token off the
 * routes' query, and when the session guard decided the page carries a token (`carryToken`), writes it
 * into the rendered page and into same-origin redirects.
 */
export function carrySessionToken(): RequestHandler {
  return (req, res, next) => {
    if (presentedSessionToken(req) !== undefined && req.query) delete req.query[SESSION_TOKEN_PARAM];
    const token = () => res.locals.sessionToken as string | undefined;
    const render = res.render.bind(res) as (view: string, options?: object, cb?: RenderCallback) => void;
    res.render = ((view: string, options?: object | RenderCallback, cb?: RenderCallback) => {
      const opts = typeof options === 'function' ? {} : options;
      const done = typeof options === 'function' ? options : cb;
      render(view, opts, (err, html) => {
        if (err) return done ? done(err, html) : req.next?.(err);
        const t = token();
        const out = t ? withSessionToken(html, t) : html;
        if (done) done(err, out);
        else res.send(out);
      });
    }) as Response['render'];
    const redirect = res.redirect.bind(res) as (a: unknown, b?: unknown) => void;
    res.redirect = ((a: unknown, b?: unknown) => {
      const t = token();
      const url = typeof a === 'number' ? b : a;
      if (!t || typeof url !== 'string' || !carries(url)) return redirect(a, b);
      const carried = withParam(url, t, '&');
      return typeof a === 'number' ? redirect(a, carried) : redirect(carried);
    }) as Response['redirect'];
    next();
  };
}
