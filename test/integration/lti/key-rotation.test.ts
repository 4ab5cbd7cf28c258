import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { launch } from '../../support/lti-client.js';

describe('LTI tool key rotation with overlap', function () {
  this.timeout(90000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb(), { lti: { passback: { retryLimit: 1, retryDelaySeconds: 1 } } });
  });
  after(async () => h?.close());

  const kids = async () =>
    ((await (await fetch(`${h.url}/lti/keys`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

  it('publishes old and new key during the overlap, signs with the new one, and drops the old one after', async () => {
    const platform = (await h.services.lti.platforms.findByIssuer(h.devLms.issuer, h.devLms.clientId))!;
    const rotated = await h.services.lti.platforms.rotateKey(platform.tenantId, platform.id, 48);
    const during = await kids();
    assert.ok(during.includes(rotated.oldKid) && during.includes(rotated.newKid));

    // A grade call after the rotation: the development LMS verifies a client assertion signed with the new kid.
    const { res, jar } = await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    assert.equal(res.status, 303);
    const cookie = decodeURIComponent(
      jar
        .header()
        .split('; ')
        .find((c) => c.startsWith('yardstick_lti='))!
        .slice('yardstick_lti='.length),
    );
    const session = (await h.services.lti.launches.findSession(cookie))!;
    const tokensBefore = h.devLms.calls.token;
    const id = await h.services.lti.grades.submit(session, {
      scoreGiven: 1,
      scoreMaximum: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    for (let i = 0; i < 120; i++) {
      const row = (await h.services.lti.grades.log(session.tenantId, session.contextId!)).find(
        (p) => p.id === id,
      );
      if (row?.status === 'sent') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(
      (await h.services.lti.grades.log(session.tenantId, session.contextId!)).find((p) => p.id === id)
        ?.status,
      'sent',
    );
    assert.ok(h.devLms.calls.token > tokensBefore, 'a fresh access token was requested with the new key');

    await sql`UPDATE lti_retired_key SET published_until = now() - interval '1 second'`.execute(testDb().db);
    const after = await kids();
    assert.ok(!after.includes(rotated.oldKid));
    assert.ok(after.includes(rotated.newKid));
  });
});
