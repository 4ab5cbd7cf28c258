import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createDrain, drainingMiddleware } from '../../../src/web/middleware/draining.js';

describe('draining before shutdown', () => {
  it('keeps serving but fails /readyz and closes each connection once draining begins', async () => {
    const drain = createDrain();
    const app = express();
    app.use(drainingMiddleware(drain));
    app.get('/readyz', (_req, res) => res.json({ status: 'ready' }));
    app.post('/work', (_req, res) => res.send('done'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200);
      assert.notEqual(ready.headers.get('connection'), 'close');

      drain.begin();
      const draining = await fetch(`${base}/readyz`);
      assert.equal(draining.status, 503);
      assert.equal(draining.headers.get('retry-after'), '5');
      assert.deepEqual(await draining.json(), { status: 'draining' });
      const work = await fetch(`${base}/work`, { method: 'POST' });
      assert.equal(await work.text(), 'done', 'requests are still served');
      assert.equal(work.headers.get('connection'), 'close');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
