import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { closeGracefully } from '../../../src/web/graceful-close.js';

describe('graceful close', () => {
  it('lets a request in flight finish, then refuses new connections', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const app = express();
    app.get('/slow', async (_req, res) => {
      arrived();
      await released;
      res.send('finished');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;

    const slow = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.text());
    await inFlight;
    const closing = closeGracefully(server, 10000);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/slow`), 'new connections are refused while closing');
    release();
    assert.equal(await slow, 'finished');
    await closing;
  });

  it('cuts connections still open after the grace period', async () => {
    const app = express();
    app.get('/never', () => {});
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const hanging = fetch(`http://127.0.0.1:${port}/never`).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 50));
    await closeGracefully(server, 100);
    assert.ok((await hanging) instanceof Error);
  });
});
