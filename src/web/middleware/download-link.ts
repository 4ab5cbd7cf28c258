import type { RequestHandler } from 'express';
import type { DownloadLinkService } from '../../lti/launch/download-link-service.js';
import { DownloadLinkError } from '../../lti/launch/download-link-service.js';
import type { LtiSession, RoleKind } from '../../lti/model.js';
import { ForbiddenError } from '../../errors.js';
import type { PageGuard } from './page-access.js';
import { SESSION_TOKEN_PARAM } from './session-token.js';

/**
 * A path with its query as a download link signs it: `link` (and a session token a page may have added)
 * left out, the query as URLSearchParams writes it.
 */
export function linkTarget(url: string): string {
  const u = new URL(url, 'http://target.invalid');
  u.searchParams.delete('link');
  u.searchParams.delete(SESSION_TOKEN_PARAM);
  const query = u.searchParams.toString();
  return query ? `${u.pathname}?${query}` : u.pathname;
}

/** `path?query` with a signed, single-use `link` token for `session` appended. */
export function signedHref(
  links: Pick<DownloadLinkService, 'mint'>,
  session: LtiSession,
  path: string,
  query: URLSearchParams,
): string {
  const target = linkTarget(`${path}?${query.toString()}`);
  const token = links.mint(session, target);
  return `${target}${target.includes('?') ? '&' : '?'}link=${encodeURIComponent(token)}`;
}

/** True when this request was let in by a signed download link rather than the session cookie. */
export const viaDownloadLink = (res: { locals: Record<string, unknown> }): boolean =>
  res.locals.viaDownloadLink === true;

/**
 * Guards for pages with exports: a request with `?link=` (a signed download link, which must name an
 * `export`) stands for the session that minted it, once; any other request needs the session cookie
 * (`guard`). Either way the session must have one of `kinds`, and the route then applies its own course
 * and privacy checks to it, so a link never grants more than its session could see.
 */
export function sessionOrDownloadLink(deps: {
  guard: PageGuard;
  links: Pick<DownloadLinkService, 'redeem'>;
}): PageGuard {
  return (...kinds: RoleKind[]): RequestHandler => {
    const cookie = deps.guard(...kinds);
    return (req, res, next) => {
      if (req.query.link === undefined) return cookie(req, res, next);
      if (typeof req.query.link !== 'string' || typeof req.query.export !== 'string') {
        next(
          new DownloadLinkError('A download link works for a CSV export only. Open the report from the LMS.'),
        );
        return;
      }
      deps.links
        .redeem(req.query.link, linkTarget(req.originalUrl))
        .then((session) => {
          if (!kinds.includes(session.roleKind))
            throw new ForbiddenError(
              `This file is for ${kinds.join(' or ')} roles; you launched as ${session.roleKind}.`,
            );
          res.locals.ltiSession = session;
          res.locals.viaDownloadLink = true;
          next();
        })
        .catch(next);
    };
  };
}
