import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { ForbiddenError } from '../../errors.js';

/**
 * Cross-site request forgery defence for every route a cookie session reaches (OWASP CSRF Prevention
 * Cheat Sheet: verify the origin with standard headers, plus a synchronizer token). The LTI session
 * cookie is SameSite=None so it works inside the LMS iframe, which also means a browser sends it with a
 * form that any other site posts; these two checks are what stop such a post.
 *
 * 1. `originGuard` (mounted once, in front of every session router): an unsafe request must come from
 *    one of Yardstick's own pages: `Sec-Fetch-Site`, when the browser sends it, is `same-origin`, and
 *    `Origin` is present, not `null`, and Yardstick's own origin.
 * 2. `csrfTokenGuard` (mounted beside it): an unsafe request that names a session carries the
 *    session's token, an HMAC of the session id, in the form field `_csrf`, the header `X-CSRF-Token`
 *    or (multipart uploads) the query parameter `_csrf`. `injectCsrfToken` writes it into every
 *    `<form method="post">` and a `<meta name="csrf-token">` of the pages a session renders, so a new
 *    form cannot forget it. Both are mounted by mountSessionRoutes (src/web/session-routes.ts).
 */

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const refused = (why: string) =>
  new ForbiddenError(
    `This request was not sent from a Yardstick page (${why}); reload the page from the LMS and try again.`,
  );

/** True for methods that change nothing (RFC 9110 9.2.1): the only ones that skip the checks. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Refuses an unsafe request whose `Origin` is missing, `null` or foreign, or whose `Sec-Fetch-Site` is
 * anything but `same-origin`. `publicUrl` is Yardstick's own address (config server.publicUrl).
 */
export function originGuard(publicUrl: string): RequestHandler {
  const allowed = new URL(publicUrl).origin;
  return (req, _res, next) => {
    if (isSafeMethod(req.method)) return next();
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin') return next(refused(`Sec-Fetch-Site is ${site}`));
    const origin = req.get('origin');
    if (!origin) return next(refused('no Origin header'));
    if (origin === 'null') return next(refused('Origin is null'));
    const own = `${req.protocol}://${req.get('host')}`;
    if (origin !== allowed && origin !== own) return next(refused(`Origin ${origin} is not Yardstick's`));
    next();
  };
}

/** The CSRF token of a session: an HMAC of its id under the server's secret (base64url). */
export function csrfToken(secret: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

const parseForm = express.urlencoded({ extended: false, limit: '1mb' });

/** The token a request presents, from the header, the form body (parsed here if urlencoded) or the query. */
async function presentedToken(req: Request, res: Response): Promise<string | undefined> {
  const header = req.get(CSRF_HEADER);
  if (header) return header;
  if (req.is('application/x-www-form-urlencoded')) {
    // body-parser marks the body read, so the route's own urlencoded parser does not read it again.
    await new Promise<void>((resolve, reject) =>
      parseForm(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
    );
    const body = req.body as Record<string, unknown> | undefined;
    const field = body?.[CSRF_FIELD];
    // Routes see their own fields only: a form route that refuses unknown fields (the learner steps)
    // would otherwise refuse every browser post.
    if (body) delete body[CSRF_FIELD];
    if (typeof field === 'string') return field;
  }
  const query = req.query[CSRF_FIELD];
  return typeof query === 'string' ? query : undefined;
}

/**
 * Resolves when an unsafe request carries the token of `sessionId`; rejects with ForbiddenError
 * otherwise. Safe requests pass untouched.
 */
export async function checkCsrfToken(
  req: Request,
  res: Response,
  secret: string,
  sessionId: string,
): Promise<void> {
  if (isSafeMethod(req.method)) return;
  const presented = await presentedToken(req, res);
  if (!presented) throw refused('no CSRF token');
  const expected = Buffer.from(csrfToken(secret, sessionId));
  const given = Buffer.from(presented);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw refused('wrong CSRF token');
}

const POST_FORM = /<form\b(?=[^>]*\bmethod\s*=\s*["']?post\b)[^>]*>/gi;
const MULTIPART = /\benctype\s*=\s*["']?multipart\/form-data/i;
const ACTION = /\baction\s*=\s*"([^"]*)"/i;

/**
 * Adds the token to every post form and a meta tag (for scripts that post with fetch) of an HTML page.
 * A multipart form also carries it in its action's query, since its body is read only by the route.
 */
export function withCsrfToken(html: string, token: string): string {
  const field = `<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
  const meta = `<meta name="csrf-token" content="${token}">`;
  const tagged = (tag: string) =>
    MULTIPART.test(tag)
      ? tag.replace(
          ACTION,
          (_a, url: string) => `action="${url}${url.includes('?') ? '&amp;' : '?'}${CSRF_FIELD}=${token}"`,
        )
      : tag;
  return html.replace(POST_FORM, (tag) => tagged(tag) + field).replace(/<head>/i, (head) => head + meta);
}

/** Finds the session a request's cookie names (undefined when there is none). */
export type FindSession = (req: Request) => Promise<{ id: string } | undefined>;

/**
 * The token check, mounted once in front of every session router: an unsafe request whose cookie names
 * a session must carry that session's token. A request without a session passes on to its route,
 * whose guard refuses it (so nothing it could forge acts as anyone).
 */
export function csrfTokenGuard(deps: { findSession: FindSession; secret: string }): RequestHandler {
  return (req, res, next) => {
    if (isSafeMethod(req.method)) return next();
    deps
      .findSession(req)
      .then((session) => (session ? checkCsrfToken(req, res, deps.secret, session.id) : undefined))
      .then(() => next(), next);
  };
}

type RenderCallback = (err: Error, html: string) => void;

/**
 * Wraps `res.render` so that a page rendered for a launch session (`res.locals.ltiSession`, set by the
 * session guard) carries the session's token in every post form; mounted in front of every session
 * router, so a new form cannot forget it.
 */
export function injectCsrfToken(secret: string): RequestHandler {
  return (req, res, next) => {
    const render = res.render.bind(res) as (view: string, options?: object, cb?: RenderCallback) => void;
    res.render = ((view: string, options?: object | RenderCallback, cb?: RenderCallback) => {
      const opts = typeof options === 'function' ? {} : options;
      const done = typeof options === 'function' ? options : cb;
      render(view, opts, (err, html) => {
        if (err) return done ? done(err, html) : req.next?.(err);
        const session = res.locals.ltiSession as { id: string } | undefined;
        const out = session ? withCsrfToken(html, csrfToken(secret, session.id)) : html;
        if (done) done(err, out);
        else res.send(out);
      });
    }) as Response['render'];
    next();
  };
}
