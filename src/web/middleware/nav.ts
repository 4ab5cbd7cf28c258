import type { RequestHandler, Response } from 'express';
import type { LtiSession } from '../../lti/model.js';
import { presentNav } from '../presenters/nav-presenter.js';

/**
 * Gives every page rendered for a launch session the role's menu, breadcrumbs and logo target
 * (views/partials/role-nav.hbs, used by the layout). The session is known only once a route's guard
 * has run, so the model is built when the page renders, not when this middleware runs.
 */
export function injectNav(): RequestHandler {
  return (req, res, next) => {
    const render = res.render.bind(res) as Response['render'];
    res.render = ((view: string, options?: object, cb?: (err: Error, html: string) => void) => {
      const session = res.locals.ltiSession as LtiSession | undefined;
      if (!session || typeof options === 'function') return render(view, options as never, cb);
      const title = (options as { title?: string } | undefined)?.title;
      return render(view, { roleNav: presentNav(session, pathOf(req.originalUrl), title), ...options }, cb);
    }) as Response['render'];
    next();
  };
}

/** The path of a request's address, without its query. */
function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}
