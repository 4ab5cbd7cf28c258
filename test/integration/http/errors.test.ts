import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { createTestApp } from '../../support/test-app.js';
import { errorHandler } from '../../../src/web/middleware/error-handler.js';
import { route } from '../../../src/web/async-route.js';
import { ConflictError, UnavailableError, ValidationError } from '../../../src/errors.js';

/** A small app wired with the real error handler and body parser, for error shapes. */
function appThrowing(err: unknown) {
  const app = express();
  app.use(express.json({ limit: 2048 }));
  app.post('/echo', (req, res) => res.json(req.body));
  app.get(
    '/boom',
    route(async () => {
      throw err;
    }),
  );
  app.use(errorHandler);
  return app;
}

describe('errors', () => {
  const testDb = useTestDatabase();

  it('answers an unknown route with JSON naming the path and an error id', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app).get('/nope').set('Accept', 'application/json').expect(404);
    assert.equal(res.body.error.code, 'not_found');
    assert.match(res.body.error.message, /GET \/nope/);
    assert.match(res.body.error.errorId, /^[0-9a-f]{12}$/);
  });

  it('answers a browser with a rendered page carrying the error id', async () => {
    const { app } = createTestApp(testDb());
    const res = await request(app).get('/nope').set('Accept', 'text/html').expect(404);
    assert.match(res.text, /<html/);
    assert.match(res.text, /error id <code>[0-9a-f]{12}<\/code>/);
    assert.doesNotMatch(res.text, /at .*\.ts:\d+/);
  });

  it('maps domain codes to statuses with details', async () => {
    const res = await request(appThrowing(new ValidationError('bad', [{ path: 'a.b', message: 'missing' }]))).get('/boom').expect(400);
    assert.deepEqual(res.body.error.details, [{ path: 'a.b', message: 'missing' }]);
    await request(appThrowing(new ConflictError('taken'))).get('/boom').expect(409);
  });

  it('answers 503 with Retry-After when the database is unavailable', async () => {
    const res = await request(appThrowing(new UnavailableError('db down', 7))).get('/boom').expect(503);
    assert.equal(res.headers['retry-after'], '7');
  });

  it('maps a lost database connection to 503', async () => {
    const lost = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const res = await request(appThrowing(lost)).get('/boom').expect(503);
    assert.equal(res.body.error.code, 'unavailable');
  });

  it('hides internals of unexpected errors behind an error id', async () => {
    const res = await request(appThrowing(new TypeError('secret internals'))).get('/boom').expect(500);
    assert.equal(res.body.error.code, 'internal');
    assert.doesNotMatch(JSON.stringify(res.body), /secret internals/);
    assert.match(res.body.error.message, new RegExp(res.body.error.errorId));
  });

  it('rejects malformed JSON with 400 naming the position', async () => {
    const res = await request(appThrowing(null))
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send('{"a": 1,, "b": 2}')
      .expect(400);
    assert.match(res.body.error.message, /not valid JSON.*position 8/);
  });

  it('rejects an oversized body with 413', async () => {
    const res = await request(appThrowing(null))
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(5000) }))
      .expect(413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });
});
