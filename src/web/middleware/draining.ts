import type { RequestHandler } from 'express';

/**
 * A server's shutdown in two halves: first it drains (still serving, but telling the load balancer
 * to stop sending it work), then it closes its listener (src/web/graceful-close.ts).
 */
export interface Drain {
  readonly draining: boolean;
  begin(): void;
}

export function createDrain(): Drain {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    begin() {
      draining = true;
    },
  };
}

/**
 * While draining: `/readyz` answers 503 so the load balancer's health check takes the server out,
 * and every response says `Connection: close` so no client or proxy keeps a connection that the
 * server is about to close (a request sent on it as it closes is lost to the sender: a proxy does not
 * retry a POST it already sent). Requests keep being served until the listener closes.
 */
export function drainingMiddleware(drain: Drain): RequestHandler {
  return (req, res, next) => {
    if (!drain.draining) return next();
    res.set('Connection', 'close');
    if (req.path === '/readyz') {
      res.status(503).set('Retry-After', '5').json({ status: 'draining' });
      return;
    }
    next();
  };
}
