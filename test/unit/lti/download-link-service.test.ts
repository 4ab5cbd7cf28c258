import assert from 'node:assert/strict';
import { createDownloadLinkService } from '../../../src/lti/launch/download-link-service.js';
import type { LtiSession } from '../../../src/lti/model.js';

const session = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  id: 'session-hash',
  userId: '00000000-0000-4000-8000-000000000002',
  roleKind: 'instructor',
} as LtiSession;

function service(clock: { now: Date }, live = true) {
  const used = new Set<string>();
  return createDownloadLinkService({
    secret: 'a test secret of enough length for hmac',
    ttlSeconds: 300,
    now: () => clock.now,
    sessions: {
      find: async (t, id) => (live && t === session.tenantId && id === session.id ? session : undefined),
    },
    uses: { claim: async (t, n) => !used.has(`${t}/${n}`) && Boolean(used.add(`${t}/${n}`)) },
  });
}

describe('signed download links', () => {
  const target = '/courses/c/report?export=modules';

  it('stands for the minting session once, then refuses the same link', async () => {
    const links = service({ now: new Date('2026-03-02T10:00:00Z') });
    const token = links.mint(session, target);
    assert.equal(await links.redeem(token, target), session);
    await assert.rejects(links.redeem(token, target), /already used/);
  });

  it('refuses a link after its five minutes', async () => {
    const clock = { now: new Date('2026-03-02T10:00:00Z') };
    const links = service(clock);
    const token = links.mint(session, target);
    clock.now = new Date('2026-03-02T10:05:00Z');
    await assert.rejects(links.redeem(token, target), /expired: links work for 5 minutes/);
  });

  it('refuses a link presented for another address or with an altered payload', async () => {
    const links = service({ now: new Date('2026-03-02T10:00:00Z') });
    const token = links.mint(session, target);
    await assert.rejects(links.redeem(token, '/courses/c/report?export=learners'), /not valid/);
    const [body, sig] = token.split('.');
    const altered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), e: 9999999999 }),
    ).toString('base64url');
    await assert.rejects(links.redeem(`${altered}.${sig}`, target), /not valid/);
  });

  it('refuses a link whose session has ended', async () => {
    const links = service({ now: new Date('2026-03-02T10:00:00Z') }, false);
    await assert.rejects(
      links.redeem(links.mint(session, target), target),
      /session that showed this report has ended/,
    );
  });
});
