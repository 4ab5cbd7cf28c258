import type { Request, Response } from 'express';
import { platformOrigin, storageKeys } from '../../../lti/launch/platform-storage.js';
import type { StorageCheck } from '../../../lti/launch/launch-service.js';
import { originGuard } from '../../middleware/csrf.js';
import { setFrameAncestors } from '../../middleware/frame-ancestors.js';

/**
 * The two pages of a launch through platform storage (docs/lti.md, "Launches without third-party
 * cookies"; the browser side is public/lti-storage.js): the login page stores state and nonce in the
 * LMS's frame, the launch page reads them back and posts the launch again with `lti_storage_checked`.
 */

/** The form field the launch page adds once it has read state and nonce back from platform storage. */
const STORAGE_CHECKED = 'lti_storage_checked';

/** True for the launch page's own post (the values were read back), not the platform's first post. */
export const storageLaunchChecked = (body: Record<string, unknown>): boolean => body[STORAGE_CHECKED] === '1';

/** Renders a view with the mounting app (ltijs' re-prototyped `res` has no view engine). */
export function pageRenderer(req: Request): (view: string, locals: object) => Promise<string> {
  const app = req.app;
  return (view, locals) =>
    new Promise((resolve, reject) =>
      app.render(view, locals, (err: Error | null, html?: string) =>
        err ? reject(err) : resolve(html ?? ''),
      ),
    );
}

/** Headers of the platform storage pages: framed by the LMS, never cached, no Referer with their data. */
function storagePageHeaders(res: Response): void {
  setFrameAncestors(res, '*');
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'same-origin');
}

/**
 * Answers the login with the page that stores state and nonce (lti.put_data) and then goes to
 * `authUrl`; replies are trusted from the auth URL's origin only.
 */
export async function storageLoginPage(
  res: Response,
  render: (view: string, locals: object) => Promise<string>,
  s: { target: string; authUrl: string; state: string; nonce: string },
): Promise<void> {
  storagePageHeaders(res);
  const html = await render('pages/lti/storage-login', {
    layout: false,
    target: s.target,
    origin: platformOrigin(s.authUrl),
    keys: storageKeys(s.state, s.nonce),
    state: s.state,
    nonce: s.nonce,
    authUrl: s.authUrl,
  });
  res.type('html').send(html);
}

/** Answers the platform's launch post with the page that reads state and nonce back (lti.get_data). */
export function renderStorageLaunch(res: Response, check: StorageCheck, idToken: unknown): void {
  storagePageHeaders(res);
  res.render('pages/lti/storage-launch', { layout: false, ...check, idToken, checkedField: STORAGE_CHECKED });
}

/** The checked launch must come from Yardstick's own launch page (its origin), never from another site. */
export function requireOwnOrigin(publicUrl: string, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    originGuard(publicUrl)(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
  );
}
