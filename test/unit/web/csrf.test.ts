import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import {
  checkCsrfToken,
  csrfToken,
  csrfTokenGuard,
  originGuard,
  withCsrfToken,
} from '../../../src/web/middleware/csrf.js';

describe('CSRF defence', () => {
  describe('originGuard', () => {
    const app = express();
    app.use(originGuard('http://yardstick.example'));
    app.all('/x', (_req, res) => void res.send('done'));
    app.use(
      (err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
        void res.status(403).send(err.message),
    );

    it('lets a post from Yardstick’s own origin through', async () => {
      const res = await request(app).post('/x').set('Origin', 'http://yardstick.example');
      assert.equal(res.status, 200);
    });
    it('refuses a post from a foreign origin', async () => {
      const res = await request(app).post('/x').set('Origin', 'https://attacker.example');
      assert.equal(res.status, 403);
      assert.match(res.text, /not Yardstick's/);
    });
    it('refuses a post without an Origin header', async () => {
      const res = await request(app).post('/x');
      assert.equal(res.status, 403);
      assert.match(res.text, /no Origin/);
    });
    it('refuses Origin: null (sandboxed frames, data: URLs)', async () => {
      const res = await request(app).post('/x').set('Origin', 'null');
      assert.equal(res.status, 403);
    });
    it('refuses a cross-site Sec-Fetch-Site even with a matching Origin', async () => {
      const res = await request(app)
        .post('/x')
        .set('Origin', 'http://yardstick.example')
        .set('Sec-Fetch-Site', 'cross-site');
      assert.equal(res.status, 403);
    });
    it('leaves GET alone', async () => {
      const res = await request(app).get('/x').set('Origin', 'https://attacker.example');
      assert.equal(res.status, 200);
    });
  });

  describe('tokens', () => {
    it('differ between sessions and between secrets', () => {
      const a = csrfToken('secret-one', 'session-1');
      assert.notEqual(a, csrfToken('secret-one', 'session-2'));
      assert.notEqual(a, csrfToken('secret-two', 'session-1'));
      assert.equal(a, csrfToken('secret-one', 'session-1'));
    });
    it('are written into every post form and a meta tag, and into no get form', () => {
      const html =
        '<html><head><title>t</title></head><body><form method="post" action="/a"></form>' +
        '<form class="x" action="/b" method=POST></form><form method="get" action="/c"></form></body></html>';
      const out = withCsrfToken(html, 'TOKEN');
      assert.equal(out.match(/name="_csrf" value="TOKEN"/g)?.length, 2);
      assert.match(out, /<head><meta name="csrf-token" content="TOKEN">/);
      assert.match(out, /<form method="get" action="\/c"><\/form>/);
    });
    it('hand the route a form without the token field, so routes that refuse unknown fields accept it', async () => {
      const app = express();
      app.post('/steps', (req, res, next) =>
        checkCsrfToken(req, res, 'secret', 'session-1').then(() => res.json(req.body), next),
      );
      const res = await request(app)
        .post('/steps')
        .type('form')
        .send({ _csrf: csrfToken('secret', 'session-1'), 'a.q1': 'b' });
      assert.deepEqual([res.status, res.body], [200, { 'a.q1': 'b' }]);
    });
  });
});

describe('CSRF token guard', () => {
  const secret = 'test-secret';
  const app = express();
  app.use(csrfTokenGuard({ findSession: async () => ({ id: 'session-1' }), secret }));
  app.post('/form', express.urlencoded({ extended: false }), (req, res) => void res.json(req.body));
  app.use(
    (err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      void res.status(403).send(err.message),
  );

  it('takes the token from the form and hands the route the form without it', async () => {
    const res = await request(app)
      .post('/form')
      .type('form')
      .send({ _csrf: csrfToken(secret, 'session-1'), 'a.q1': 'yes' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { 'a.q1': 'yes' });
  });
  it('refuses a form with another session’s token', async () => {
    const res = await request(app)
      .post('/form')
      .type('form')
      .send({ _csrf: csrfToken(secret, 'session-2') });
    assert.equal(res.status, 403);
  });
});
