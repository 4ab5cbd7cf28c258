import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { childEnv, runProcess } from '../../support/spawn-process.js';

describe('yardstick platform (command line)', function () {
  this.timeout(120000);
  const testDb = useTestDatabase();
  const cli = (...args: string[]) =>
    runProcess(
      ['bin/yardstick.js', ...args],
      childEnv({
        DATABASE_URL: testDb().url,
        PUBLIC_URL: 'https://yardstick.example.org',
        LTI_DEV_LMS: 'false',
      }),
    );
  const add = (...extra: string[]) =>
    cli(
      'platform',
      'add',
      '--tenant',
      'Acme',
      '--issuer',
      'https://canvas.instructure.com',
      '--client-id',
      '10000000000123',
      '--deployment-id',
      '7:abc',
      '--deployment-id',
      '8:def',
      '--auth-url',
      'https://sso.canvaslms.com/api/lti/authorize_redirect',
      '--token-url',
      'https://sso.canvaslms.com/login/oauth2/token',
      '--jwks-url',
      'https://sso.canvaslms.com/api/lti/security/jwks',
      '--json',
      ...extra,
    );

  before(async () => {
    const created = await cli('tenant', 'create', 'Acme', '--json');
    assert.equal(created.code, 0, created.stderr);
  });

  it('registers a platform and prints the tool URLs to enter in the LMS', async () => {
    const result = await add();
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout);
    assert.deepEqual(body.tool, {
      loginUrl: 'https://yardstick.example.org/lti/login',
      launchUrl: 'https://yardstick.example.org/lti/launch',
      jwksUrl: 'https://yardstick.example.org/lti/keys',
      deepLinkingUrl: 'https://yardstick.example.org/lti/launch',
      dynamicRegistrationUrl: 'https://yardstick.example.org/lti/register',
    });
    assert.deepEqual(body.platform.deploymentIds, ['7:abc', '8:def']);
    assert.equal(body.platform.status, 'active');
  });

  it('prints a one-time dynamic registration URL and stores only its hash', async () => {
    const result = await cli('platform', 'registration-url', '--tenant', 'Acme', '--hours', '2', '--json');
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout);
    const token = new URL(body.url).searchParams.get('yardstick_token')!;
    assert.match(body.url, /^https:\/\/yardstick\.example\.org\/lti\/register\?yardstick_token=/);
    assert.equal(token.length, 54);
    const rows = await testDb().db.selectFrom('lti_registration_token').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.token_hash, token);
    assert.equal(rows[0]!.expires_at.toISOString(), body.expiresAt);
  });

  it('lists the tenant platforms', async () => {
    const listed = await cli('platform', 'list', '--tenant', 'acme', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout).map((p: { clientId: string }) => p.clientId),
      ['10000000000123'],
    );
  });

  it('refuses the same issuer and client id twice: a platform belongs to one tenant', async () => {
    const again = await add();
    assert.equal(again.code, 1);
    assert.equal(JSON.parse(again.stdout).error.code, 'conflict');
    assert.match(again.stderr, /exactly one tenant/);
  });

  it('names every bad URL at once', async () => {
    const bad = await cli(
      'platform',
      'add',
      '--tenant',
      'Acme',
      '--issuer',
      'nope',
      '--client-id',
      'x',
      '--deployment-id',
      '1',
      '--auth-url',
      'ftp://a',
      '--token-url',
      'https://t',
      '--jwks-url',
      'https://j',
      '--json',
    );
    assert.equal(bad.code, 1);
    const paths = JSON.parse(bad.stdout).error.details.map((d: { path: string }) => d.path);
    assert.deepEqual(paths, ['issuer', 'authUrl']);
  });

  it('adds a deployment to a registered platform', async () => {
    const res = await cli(
      'platform',
      'add-deployment',
      '--issuer',
      'https://canvas.instructure.com',
      '--client-id',
      '10000000000123',
      '--deployment-id',
      '9:ghi',
      '--json',
    );
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout).deploymentIds, ['7:abc', '8:def', '9:ghi']);
  });
});
