import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import {
  CookieJar,
  get,
  postForm,
  startLaunch,
  followAuth,
  type StartedLaunch,
} from '../../support/lti-client.js';
import { generateSigningKey, signJwt } from '../../../src/dev/lms/jwt.js';
import { CLAIM } from '../../../src/lti/launch/launch-checks.js';

type Claims = Record<string, unknown>;

describe('LTI launch: invalid launches are refused with a page saying what to do', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  /** Starts a real login, then posts a token built from the LMS's genuine claims after `tamper`. */
  async function launchWith(
    tamper: (c: Claims) => void,
    options: {
      sign?: (c: Claims) => string | Promise<string>;
      state?: (s: StartedLaunch) => string;
      jar?: CookieJar;
    } = {},
  ) {
    const started = await startLaunch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const claims = h.devLms.launchClaims(
      'ana',
      'safety-101',
      'safety-101-module-1',
      'LtiResourceLinkRequest',
      started.nonce,
    );
    tamper(claims);
    const token = options.sign ? await options.sign(claims) : await h.devLms.signIdToken(claims);
    return postForm(
      h.devLms.tool.launchUrl,
      { id_token: token, state: options.state ? options.state(started) : started.state },
      options.jar ?? started.jar,
    );
  }

  async function assertRefused(res: Response, reason: string, text: RegExp) {
    const html = await res.text();
    assert.equal(res.status, 403, html);
    assert.match(html, new RegExp(`Refused launch \\(${reason}\\)`));
    assert.match(html, text);
    assert.match(html, /error id\s*<code>[0-9a-f]{12}<\/code>/);
    assert.doesNotMatch(html, /at [A-Za-z.]+ \(/, 'no stack trace');
  }

  it('accepts the untampered launch (the baseline every case below changes one thing of)', async () => {
    const res = await launchWith(() => {});
    assert.equal(res.status, 303);
  });

  it('refuses a bad signature', async () => {
    const other = generateSigningKey();
    const res = await launchWith(() => {}, { sign: (c) => signJwt(c, other, h.devLms.key.kid) });
    await assertRefused(res, 'bad_signature', /keyset URL/);
  });

  it('refuses an unknown kid after fetching the platform keyset again', async () => {
    const res = await launchWith(() => {}, { sign: (c) => h.devLms.signIdToken(c, 'no-such-kid') });
    await assertRefused(res, 'unknown_kid', /fetched again/);
  });

  it('refuses a wrong iss', async () => {
    const res = await launchWith((c) => (c.iss = 'https://lms.other.example'));
    await assertRefused(res, 'wrong_issuer', /different LMS/);
  });

  it('refuses a wrong aud as an unregistered platform, naming issuer and client id', async () => {
    const res = await launchWith((c) => (c.aud = 'some-other-tool'));
    await assertRefused(res, 'unregistered_platform', /some-other-tool/);
  });

  it('refuses several aud without azp', async () => {
    const res = await launchWith((c) => (c.aud = [h.devLms.clientId, 'another-tool']));
    await assertRefused(res, 'multiple_audiences_without_azp', /azp/);
  });

  it('accepts several aud when azp names Yardstick', async () => {
    const res = await launchWith((c) => {
      c.aud = [h.devLms.clientId, 'another-tool'];
      c.azp = h.devLms.clientId;
    });
    assert.equal(res.status, 303);
  });

  it('refuses an azp that is not among the audiences', async () => {
    const res = await launchWith((c) => {
      c.aud = [h.devLms.clientId, 'another-tool'];
      c.azp = 'a-third-tool';
    });
    await assertRefused(res, 'azp_mismatch', /azp/);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await launchWith((c) => {
      c.iat = now - 120;
      c.exp = now - 60;
    });
    await assertRefused(res, 'expired', /open the link again/);
  });

  it('refuses an iat in the future beyond the leeway, and accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const leeway = h.config.lti.clockLeewaySeconds;
    const late = await launchWith((c) => (c.iat = now + leeway + 30));
    await assertRefused(late, 'issued_in_future', /clock/);
    const within = await launchWith((c) => (c.iat = now + leeway - 2));
    assert.equal(within.status, 303);
  });

  it('refuses a replayed id_token (same nonce)', async () => {
    const started = await startLaunch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const posted = await followAuth(started);
    const first = await postForm(
      posted.action,
      { id_token: posted.id_token, state: posted.state },
      started.jar,
    );
    assert.equal(first.status, 303);
    const again = await postForm(
      posted.action,
      { id_token: posted.id_token, state: posted.state },
      started.jar,
    );
    await assertRefused(again, 'nonce_replay', /already used/);
  });

  it('refuses a nonce other than the one Yardstick sent', async () => {
    const res = await launchWith((c) => (c.nonce = 'not-the-nonce-we-sent'));
    await assertRefused(res, 'nonce_mismatch', /nonce/);
  });

  it('refuses a state Yardstick never issued', async () => {
    const res = await launchWith(() => {}, { state: () => 'forged-state' });
    await assertRefused(res, 'state_mismatch', /cookies/);
  });

  it('refuses a launch whose state cookie did not come back (blocked third-party cookie)', async () => {
    const res = await launchWith(() => {}, { jar: new CookieJar() });
    await assertRefused(res, 'state_mismatch', /cookies/);
  });

  it('refuses a missing deployment_id', async () => {
    const res = await launchWith((c) => delete c[CLAIM.deploymentId]);
    await assertRefused(res, 'missing_deployment_id', /deployment_id/);
  });

  it('refuses an unknown deployment_id, telling the admin to add it', async () => {
    const res = await launchWith((c) => (c[CLAIM.deploymentId] = 'deployment-nobody-registered'));
    await assertRefused(res, 'unknown_deployment', /deployment-nobody-registered/);
  });

  it('refuses a wrong LTI version', async () => {
    const res = await launchWith((c) => (c[CLAIM.version] = '1.1'));
    await assertRefused(res, 'wrong_version', /1\.3/);
  });

  it('refuses an unsupported message type', async () => {
    const res = await launchWith((c) => (c[CLAIM.messageType] = 'LtiSubmissionReviewRequest'));
    await assertRefused(res, 'unsupported_message_type', /LtiSubmissionReviewRequest/);
  });

  it('refuses a missing sub', async () => {
    const res = await launchWith((c) => delete c.sub);
    await assertRefused(res, 'missing_sub', /user id/);
  });

  it('refuses a missing resource link id', async () => {
    const res = await launchWith((c) => (c[CLAIM.resourceLink] = { title: 'no id' }));
    await assertRefused(res, 'missing_resource_link', /resource_link/);
  });

  it('refuses a login from an unregistered platform with what the LMS admin must do', async () => {
    const url = new URL(h.devLms.tool.loginUrl);
    url.search = new URLSearchParams({
      iss: 'https://canvas.unknown.example',
      login_hint: 'x',
      target_link_uri: h.devLms.tool.launchUrl,
      client_id: '10000000000042',
    }).toString();
    const res = await get(url.toString(), new CookieJar());
    await assertRefused(res, 'unregistered_platform', /npx yardstick platform add/);
  });

  it('answers JSON clients with the reason and error id', async () => {
    const started = await startLaunch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const res = await fetch(h.devLms.tool.launchUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        cookie: started.jar.header(),
      },
      body: new URLSearchParams({ id_token: 'not.a.jwt', state: started.state }),
    });
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: { reason: string; errorId: string } };
    assert.equal(body.error.reason, 'malformed_token');
    assert.match(body.error.errorId, /^[0-9a-f]{12}$/);
  });
});
