import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LtiSession } from '../model.js';

export interface SessionTokenService {
  /**
   * A short-lived token that stands in for `session`'s cookie: signed over tenant, session, user,
   * context and expiry (base64url payload "." base64url HMAC). Pages carry a fresh one in their links
   * and forms, so each page the user sees extends it by one lifetime (rotation).
   */
  issue(session: LtiSession): string;
  /**
   * The session `token` was issued for, when the token is intact, unexpired, and the session still
   * exists with the same tenant, user and context; undefined otherwise (a token never throws: a
   * request without a usable one is simply a request without a session).
   */
  resolve(token: string | undefined): Promise<LtiSession | undefined>;
}

interface Payload {
  t: string;
  s: string;
  u: string;
  c: string | null;
  /** Expiry, seconds since the epoch. */
  e: number;
}

/**
 * Session tokens for browsers that do not send Yardstick's cookie inside the LMS frame (Safari, and
 * Chromium with third-party cookies blocked): see docs/lti.md, "Launches without third-party cookies".
 * The token is a bearer credential for `ttlSeconds`, so it is kept out of Referer headers and logs by
 * the web layer; CSRF tokens are still required on every unsafe request, since they are derived from
 * the session id, not carried by the URL alone.
 */
export function createSessionTokenService(deps: {
  /** Secret the HMAC key is derived from (config lti.key). */
  secret: string;
  ttlSeconds: number;
  sessions: { find(tenantId: string, id: string): Promise<LtiSession | undefined> };
  now?: () => Date;
}): SessionTokenService {
  const key = createHmac('sha256', deps.secret).update('yardstick session tokens v1').digest();
  const now = deps.now ?? (() => new Date());
  const sign = (body: string) => createHmac('sha256', key).update(body).digest();

  const payloadOf = (token: string): Payload | undefined => {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    const given = Buffer.from(signature, 'base64url');
    const expected = sign(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      return undefined;
    }
  };

  return {
    issue(session) {
      const payload: Payload = {
        t: session.tenantId,
        s: session.id,
        u: session.userId,
        c: session.contextId,
        e: Math.floor(now().getTime() / 1000) + deps.ttlSeconds,
      };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${sign(body).toString('base64url')}`;
    },

    async resolve(token) {
      if (!token) return undefined;
      const p = payloadOf(token);
      if (!p || typeof p.e !== 'number' || p.e * 1000 <= now().getTime()) return undefined;
      if (typeof p.t !== 'string' || !/^[0-9a-f-]{36}$/.test(p.t) || typeof p.s !== 'string')
        return undefined;
      const session = await deps.sessions.find(p.t, p.s);
      if (!session || session.userId !== p.u || session.contextId !== p.c) return undefined;
      return session;
    },
  };
}
