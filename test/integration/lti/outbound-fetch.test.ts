import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createGuardedFetch } from '../../../src/lti/outbound/guarded-fetch.js';
import {
  DEFAULT_OUTBOUND_POLICY,
  isPrivateAddress,
  type OutboundPolicy,
} from '../../../src/lti/outbound/address-guard.js';
import { guardGot } from '../../../src/lti/ltijs/ltijs-http-guard.js';

const require = createRequire(import.meta.url);

describe('outbound LTI fetches (issue #16)', function () {
  this.timeout(20000);
  let server: http.Server;
  let base: string;
  let hits: string[];

  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url!);
      if (req.url === '/jwks')
        return void res.setHeader('content-type', 'application/json').end('{"keys":[]}');
      if (req.url === '/to-metadata')
        return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (req.url === '/big') return void res.end('x'.repeat(64 * 1024));
      if (req.url === '/silent') return; // never answers
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (hits = []));
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const off: OutboundPolicy = { ...DEFAULT_OUTBOUND_POLICY, allowPrivateNetwork: false };
  /** Private fetches off, but this test server's own address counts as public, so redirects can be tested. */
  const onlyServerPublic: OutboundPolicy = {
    ...off,
    isPrivate: (a) => a !== '127.0.0.1' && isPrivateAddress(a),
  };

  it('refuses a loopback JWKS URL when private fetches are off, by address and by name', async () => {
    const fetch = createGuardedFetch(off);
    await assert.rejects(fetch(`${base}/jwks`), /127\.0\.0\.1 is a private, loopback or link-local address/);
    await assert.rejects(
      fetch(base.replace('127.0.0.1', 'localhost') + '/jwks'),
      /localhost resolves to (127\.0\.0\.1|::1)/,
    );
    await assert.rejects(fetch('http://[::ffff:127.0.0.1]/jwks'), /private, loopback or link-local/);
    assert.deepEqual(hits, []);
  });

  it("refuses a loopback JWKS URL in ltijs' own HTTP client when private fetches are off", async () => {
    const got = guardGot(require('ltijs/dist/Utils/Http.js'), off);
    await assert.rejects(got.get(`${base}/jwks`).json(), /private, loopback or link-local/);
    await assert.rejects(got.get(base.replace('127.0.0.1', 'localhost') + '/jwks').json(), /resolves to/);
    assert.deepEqual(hits, []);
  });

  it('refuses a redirect to a private address', async () => {
    const fetch = createGuardedFetch(onlyServerPublic);
    await assert.rejects(fetch(`${base}/to-metadata`), /169\.254\.169\.254 is a private/);
    const got = guardGot(require('ltijs/dist/Utils/Http.js'), onlyServerPublic);
    await assert.rejects(got.get(`${base}/to-metadata`).json(), /169\.254\.169\.254 is a private/);
    assert.deepEqual(hits, ['/to-metadata', '/to-metadata']);
  });

  it('stops reading a response larger than the limit', async () => {
    const small = { ...onlyServerPublic, maxResponseBytes: 1024 };
    await assert.rejects(createGuardedFetch(small)(`${base}/big`), /more than 1024 bytes/);
    await assert.rejects(guardGot(require('ltijs/dist/Utils/Http.js'), small).get(`${base}/big`).text());
  });

  it('gives up on a server that does not answer', async () => {
    const impatient = { ...onlyServerPublic, timeoutMs: 200 };
    await assert.rejects(createGuardedFetch(impatient)(`${base}/silent`), /did not answer within 200 ms/);
  });

  it('fetches private addresses when lti.allowPrivateNetworkFetch is on', async () => {
    const res = await createGuardedFetch({ ...off, allowPrivateNetwork: true })(`${base}/jwks`);
    assert.deepEqual(res.json(), { keys: [] });
  });

  it('counts private, loopback, link-local and mapped addresses as private, public ones not', () => {
    for (const a of [
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ])
      assert.equal(isPrivateAddress(a), true, a);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isPrivateAddress(a), false, a);
  });
});
