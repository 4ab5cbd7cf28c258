import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { LtiSession } from '../model.js';

/** A download link that cannot be used (bad, expired, used, or its session ended): 403 with what to do. */
export class DownloadLinkError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export interface DownloadLinkService {
  /**
   * A token for `target` (a path with its query string, as URLSearchParams writes it) that stands in for
   * `session`'s cookie on one request: signed over tenant, session, user, target, expiry and a nonce.
   */
  mint(session: LtiSession, target: string): string;
  /**
   * The session that minted `token` for `target`, once: rejects a token that was altered, minted for
   * another target, expired, used before, or whose session has ended, with a DownloadLinkError.
   */
  redeem(token: string, target: string): Promise<LtiSession>;
}

interface Payload {
  t: string;
  s: string;
  u: string;
  /** Expiry, seconds since the epoch. */
  e: number;
  n: string;
}

const AGAIN = 'Go back to the report, reload it, and click the download link again.';

/**
 * Signed, short-lived, single-use download links (docs/kpi-reports.md, "Exports"). Inside an LMS iframe
 * a browser that blocks third-party cookies keeps the session cookie partitioned and does not send it
 * with a download, so report pages put a token in each export link instead. The token grants no more
 * than the session that minted it: the route resolves it to that session and applies the same role,
 * course and privacy checks as to a cookie.
 */
export function createDownloadLinkService(deps: {
  /** Secret the HMAC key is derived from (config lti.key). */
  secret: string;
  ttlSeconds: number;
  sessions: { find(tenantId: string, id: string): Promise<LtiSession | undefined> };
  uses: { claim(tenantId: string, nonce: string, expiresAt: Date): Promise<boolean> };
  now?: () => Date;
}): DownloadLinkService {
  const key = createHmac('sha256', deps.secret).update('yardstick download links v1').digest();
  const now = deps.now ?? (() => new Date());
  const sign = (payload: string, target: string) =>
    createHmac('sha256', key).update(`${payload}\n${target}`).digest();

  return {
    mint(session, target) {
      const payload: Payload = {
        t: session.tenantId,
        s: session.id,
        u: session.userId,
        e: Math.floor(now().getTime() / 1000) + deps.ttlSeconds,
        n: randomBytes(16).toString('base64url'),
      };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${sign(body, target).toString('base64url')}`;
    },

    async redeem(token, target) {
      const [body, signature, extra] = token.split('.');
      const given = Buffer.from(signature ?? '', 'base64url');
      const expected = body ? sign(body, target) : Buffer.alloc(0);
      if (
        !body ||
        extra !== undefined ||
        given.length !== expected.length ||
        !timingSafeEqual(given, expected)
      )
        throw new DownloadLinkError(`This download link is not valid for this file. ${AGAIN}`);
      const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      const expiresAt = new Date(p.e * 1000);
      if (expiresAt.getTime() <= now().getTime())
        throw new DownloadLinkError(
          `This download link has expired: links work for ${Math.round(deps.ttlSeconds / 60)} minutes after the report is shown. ${AGAIN}`,
        );
      const session = await deps.sessions.find(p.t, p.s);
      if (!session || session.userId !== p.u)
        throw new DownloadLinkError(
          'The LMS session that showed this report has ended. Open the report from the LMS again and click the download link there.',
        );
      if (!(await deps.uses.claim(p.t, p.n, expiresAt)))
        throw new DownloadLinkError(
          `This download link was already used; each link downloads once. ${AGAIN}`,
        );
      return session;
    },
  };
}
