import express, { Router, type CookieOptions, type NextFunction, type Request, type Response } from 'express';
import { route } from '../../async-route.js';
import type { LaunchService, CheckedLaunch } from '../../../lti/launch/launch-service.js';
import { LaunchError } from '../../../lti/launch/launch-error.js';
import { ValidationError } from '../../../errors.js';
import type { LtijsHandlers, LtijsProvider } from '../../../lti/ltijs/ltijs-provider.js';
import { launchErrorFromLtijs } from '../../../lti/ltijs/ltijs-errors.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../middleware/cookies.js';
import { launchErrorHandler } from './launch-error-page.js';
import { setFrameAncestors } from '../../middleware/frame-ancestors.js';
import type { SessionTokenService } from '../../../lti/launch/session-token-service.js';
import { parseStorageTarget } from '../../../lti/launch/platform-storage.js';
import { vouchForLaunchState } from '../../../lti/ltijs/ltijs-state-cookie.js';
import {
  pageRenderer,
  renderStorageLaunch,
  storageLoginPage,
  storageLaunchChecked,
  requireOwnOrigin,
} from './platform-storage-pages.js';
import { readCookie } from '../../middleware/cookies.js';
import { SESSION_TOKEN_PARAM } from '../../middleware/session-token.js';

export interface LtiRouteDeps {
  lti: LtijsProvider;
  launches: LaunchService;
  /** Yardstick's JWKS: the current tool keys plus retired ones inside their overlap. */
  keyset: () => Promise<{ keys: Record<string, unknown>[] }>;
  /**
   * LTI Dynamic Registration (GET /lti/register?yardstick_token=...&openid_configuration=...): spends
   * the one-time token an admin created, then registers with the LMS.
   */
  register: (q: {
    yardstickToken?: string;
    openidConfiguration: string;
    registrationToken?: string;
  }) => Promise<{ name: string; issuer: string }>;
  cookie: {
    sameSite: 'None' | 'Lax' | 'Strict';
    secure: boolean;
    partitioned: boolean;
    sessionHours: number;
  };
  /** Yardstick's address (config server.publicUrl): the only origin a checked storage launch may post from. */
  publicUrl: string;
  /** The key ltijs signs its cookies with (config lti.key). */
  ltijsKey: string;
  /** Session tokens for the first page of a launch through platform storage (no cookie assumed). */
  sessionTokens: Pick<SessionTokenService, 'issue'>;
}

/**
 * The LTI endpoints under /lti: login initiation, launch, keyset (served by ltijs), with Yardstick's
 * checks before ltijs and its session after. Flow (LTI Security Framework 5.1.1):
 *   LMS -> /lti/login (ltijs redirects to the LMS auth URL; we record state + nonce)
 *   LMS -> POST /lti/launch (our checks -> ltijs verifies the signature -> our session) -> 303 by role
 * With platform storage (login names `lti_storage_target`; docs/lti.md), the login answers a page that
 * stores state and nonce in the LMS's frame (lti.put_data) before going to the auth URL, and a launch
 * that arrives without the state cookie answers a page that reads them back (lti.get_data) and posts
 * the launch again from Yardstick's own origin with `lti_storage_checked`; only that post is checked.
 */
export function ltiRoutes(deps: LtiRouteDeps): Router {
  const router = Router();
  const handlers: LtijsHandlers = {
    onLaunch: (token, req, res, next) => {
      void completeLaunch(deps, token, req, res).catch(next);
    },
    // Inside ltijs' app `res` has ltijs' express prototype (no view engine): hand the error back out.
    onRefused: (details, _req, _res, next) => next(launchErrorFromLtijs(details)),
  };

  router.use('/lti', (_req, res, next) => {
    res.locals.yardstickLti = handlers;
    if (deps.cookie.partitioned) partitionCookies(res);
    next();
  });

  router.all(
    '/lti/login',
    express.urlencoded({ extended: false }),
    route(async (req, res, next) => {
      const params = { ...req.query, ...(req.body ?? {}) } as Record<string, unknown>;
      const issuer = typeof params.iss === 'string' ? params.iss : '';
      const clientId = typeof params.client_id === 'string' ? params.client_id : undefined;
      if (!issuer || typeof params.login_hint !== 'string' || typeof params.target_link_uri !== 'string') {
        throw new LaunchError(
          'malformed_token',
          { issuer },
          'The login request needs iss, login_hint and target_link_uri (LTI Core 4.1.1).',
        );
      }
      await deps.launches.checkLogin(issuer, clientId);
      const storageTarget = parseStorageTarget(params.lti_storage_target);
      const render = pageRenderer(req);
      captureAuthRedirect(res, next, async (url, state, nonce) => {
        await deps.launches.rememberLoginState({
          state,
          nonce,
          issuer,
          clientId: clientId ?? null,
          storageTarget,
        });
        if (!storageTarget) return false;
        await storageLoginPage(res, render, { target: storageTarget, authUrl: url, state, nonce });
        return true;
      });
      next();
    }),
  );

  router.get(
    '/lti/keys',
    route(async (_req, res) => {
      res.set('Cache-Control', 'public, max-age=300').json(await deps.keyset());
    }),
  );

  router.get(
    '/lti/register',
    route(async (req, res) => {
      const q = req.query as Record<string, string | undefined>;
      if (!q.openid_configuration) {
        throw new ValidationError(
          "Dynamic registration needs the LMS's openid_configuration parameter: paste the registration URL from Yardstick's admin page 'LMS platforms' into the LMS, which adds it.",
        );
      }
      const platform = await deps.register({
        yardstickToken: typeof q.yardstick_token === 'string' ? q.yardstick_token : undefined,
        openidConfiguration: q.openid_configuration,
        registrationToken: q.registration_token,
      });
      setFrameAncestors(res, '*');
      res.render('pages/lti/registered', { title: 'Yardstick registered', platform });
    }),
  );

  router.post(
    '/lti/launch',
    express.urlencoded({ extended: false }),
    route(async (req, res, next) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!body.id_token) throw new LaunchError('malformed_token', {}, 'No id_token was posted.');
      const state = typeof body.state === 'string' ? body.state : '';
      const cookieSent = state !== '' && readCookie(req, `state${state}`) !== undefined;
      const storage = cookieSent ? null : await deps.launches.storageCheck(body.id_token, state);
      if (storage && !storageLaunchChecked(body)) return renderStorageLaunch(res, storage, body.id_token);
      if (storage) await requireOwnOrigin(deps.publicUrl, req, res);
      const checked = await deps.launches.check(body.id_token, state);
      res.locals.yardstickCheck = checked;
      if (storage) {
        // Yardstick checked the state twice (its single-use login row, and the browser read it back from
        // the LMS's frame); ltijs still verifies the token's signature, issuer and age.
        vouchForLaunchState(req, { state, issuer: checked.platform.issuer, key: deps.ltijsKey });
        res.locals.yardstickStorageLaunch = true;
      }
      next();
    }),
  );

  router.use('/lti', (req, res, next) => {
    // Called as a function (not mounted), ltijs' app re-prototypes req/res to its own express copy;
    // restore ours when it hands back, as express does for mounted apps.
    const requestProto = Object.getPrototypeOf(req);
    const responseProto = Object.getPrototypeOf(res);
    deps.lti.app(req, res, (err?: unknown) => {
      Object.setPrototypeOf(req, requestProto);
      Object.setPrototypeOf(res, responseProto);
      next(err);
    });
  });
  router.use('/lti', launchErrorHandler);
  return router;
}

/**
 * ltijs builds the auth request (state, nonce) and redirects; the nonce is never exposed otherwise.
 * Wrapping `res.redirect` lets Yardstick store state -> nonce first, so the launch can require the
 * nonce it sent (ltijs alone only checks that a nonce is not reused). `answer` records them and may
 * answer the response itself (true: the platform storage page) instead of the redirect.
 */
function captureAuthRedirect(
  res: Response,
  next: NextFunction,
  answer: (url: string, state: string, nonce: string) => Promise<boolean>,
): void {
  const original = res.redirect.bind(res) as (url: string) => void;
  (res as unknown as { redirect: (url: string) => void }).redirect = (url: string) => {
    const query = new URL(url, 'http://placeholder').searchParams;
    const state = query.get('state');
    const nonce = query.get('nonce');
    if (!state || !nonce) return original(url);
    setFrameAncestors(res, '*');
    answer(url, state, nonce).then((answered) => (answered ? undefined : original(url)), next);
  };
}

async function completeLaunch(
  deps: LtiRouteDeps,
  token: { iss?: string; user?: string },
  req: Request,
  res: Response,
): Promise<void> {
  const checked = res.locals.yardstickCheck as CheckedLaunch | undefined;
  if (!checked || token.iss !== checked.platform.issuer || token.user !== checked.claims.sub) {
    throw new LaunchError(
      'malformed_token',
      {},
      'The verified token does not match the one Yardstick checked.',
    );
  }
  const done = await deps.launches.complete(checked);
  res.cookie(
    SESSION_COOKIE,
    done.cookieValue,
    sessionCookieOptions({ ...deps.cookie, maxAgeMs: deps.cookie.sessionHours * 3600_000 }),
  );
  const storageLaunch = res.locals.yardstickStorageLaunch === true;
  req.log?.info(
    {
      tenantId: done.session.tenantId,
      roleKind: done.session.roleKind,
      messageType: done.session.messageType,
      platformStorage: storageLaunch,
    },
    'LTI launch',
  );
  // A browser that needed platform storage will not send the cookie either: the first page gets the
  // session token (src/web/middleware/session-token.ts), which its links and forms then carry on.
  const destination = storageLaunch
    ? `${done.destination}${done.destination.includes('?') ? '&' : '?'}${SESSION_TOKEN_PARAM}=${deps.sessionTokens.issue(done.session)}`
    : done.destination;
  res.redirect(303, destination);
}

/**
 * Adds `Partitioned` (CHIPS) to every SameSite=None cookie set on this response, ltijs' state cookie
 * included (ltijs offers no such option). Browsers that block third-party cookies (Chromium does in
 * its current default configuration) still keep partitioned ones, keyed by the LMS's site, which is
 * exactly the iframe case. Set as an own property so it survives ltijs' re-prototyping of `res`.
 */
function partitionCookies(res: Response): void {
  const original = res.cookie as (
    this: Response,
    name: string,
    value: unknown,
    options: CookieOptions,
  ) => Response;
  const cookie = function (this: Response, name: string, value: unknown, options: CookieOptions = {}) {
    const opts =
      String(options.sameSite).toLowerCase() === 'none' && options.secure
        ? { ...options, partitioned: true }
        : options;
    return original.call(this, name, value, opts);
  };
  Object.defineProperty(res, 'cookie', { value: cookie, writable: true, configurable: true });
}
