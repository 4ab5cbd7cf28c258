import { Router, type Express } from 'express';
import { injectNav } from './middleware/nav.js';
import { csrfTokenGuard, injectCsrfToken, originGuard, type FindSession } from './middleware/csrf.js';
import { carrySessionToken } from './middleware/session-token.js';

export interface SessionRouteDefences {
  /** Yardstick's own address (config server.publicUrl): the only origin an unsafe request may come from. */
  publicUrl: string;
  /** The secret CSRF tokens are an HMAC under (config lti.key). */
  csrfSecret: string;
  /**
   * The launch session a request's cookie (or session token) names; without it (tests' own guards) no
   * CSRF token is asked.
   */
  findSession?: FindSession;
}

/**
 * Mounts, in order, every router a launch session's cookie reaches (the pages inside the LMS frame),
 * all behind one router that applies the CSRF defence (src/web/middleware/csrf.ts) to every one of
 * them: the origin check and the session's token on every unsafe request, and the token written into
 * every post form they render. A route added to any of these routers is covered without a line of its
 * own. A session that arrived by its session token rather than the cookie (a browser that blocks
 * third-party cookies) gets the token carried on in its pages' links, forms and redirects
 * (src/web/middleware/session-token.ts). Public routes (health, xAPI, the admin API, /lti endpoints, the development LMS) authenticate
 * each request themselves, read no session cookie, and are mounted outside it.
 */
export function mountSessionRoutes(app: Express, routers: Router[], defences: SessionRouteDefences): void {
  const session = Router();
  session.use(carrySessionToken());
  session.use(originGuard(defences.publicUrl));
  if (defences.findSession)
    session.use(csrfTokenGuard({ findSession: defences.findSession, secret: defences.csrfSecret }));
  session.use(injectCsrfToken(defences.csrfSecret));
  session.use(injectNav());
  for (const router of routers) session.use(router);
  app.use(session);
}
