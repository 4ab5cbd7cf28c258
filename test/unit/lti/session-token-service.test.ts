import assert from 'node:assert/strict';
import { createSessionTokenService } from '../../../src/lti/launch/session-token-service.js';
import type { LtiSession } from '../../../src/lti/model.js';

const session = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  id: 'session-hash',
  userId: '00000000-0000-4000-8000-000000000002',
  contextId: '00000000-0000-4000-8000-000000000003',
  roleKind: 'instructor',
} as LtiSession;

function service(clock: { now: Date }, stored: LtiSession | null = session, secret = 'a test secret') {
  return createSessionTokenService({
    secret,
    ttlSeconds: 1800,
    now: () => clock.now,
    sessions: {
      find: async (t, id) => (stored && t === stored.tenantId && id === stored.id ? stored : undefined),
    },
  });
}

describe('session tokens (the session where the cookie is not sent)', () => {
  const at = (iso: string) => ({ now: new Date(iso) });

  it('resolves a token to the session it was issued for', async () => {
    const tokens = service(at('2026-03-02T10:00:00Z'));
    assert.equal(await tokens.resolve(tokens.issue(session)), session);
  });

  it('stops working after its lifetime, while a token issued later (rotation) still works', async () => {
    const clock = at('2026-03-02T10:00:00Z');
    const tokens = service(clock);
    const first = tokens.issue(session);
    clock.now = new Date('2026-03-02T10:20:00Z');
    const rotated = tokens.issue(session);
    clock.now = new Date('2026-03-02T10:30:00Z');
    assert.equal(await tokens.resolve(first), undefined);
    assert.equal(await tokens.resolve(rotated), session);
  });

  it('refuses an altered token, a token signed under another secret, and garbage', async () => {
    const clock = at('2026-03-02T10:00:00Z');
    const tokens = service(clock);
    const token = tokens.issue(session);
    const [body, sig] = token.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, u: 'someone-else' })).toString('base64url');
    assert.equal(await tokens.resolve(`${forged}.${sig}`), undefined);
    assert.equal(await tokens.resolve(service(clock, session, 'another secret').issue(session)), undefined);
    for (const bad of ['', 'x', 'a.b.c', `${body}.`, undefined])
      assert.equal(await tokens.resolve(bad), undefined);
  });

  it('is bound to the user and context: a session row that no longer matches is refused', async () => {
    const clock = at('2026-03-02T10:00:00Z');
    const token = service(clock).issue(session);
    const otherContext = { ...session, contextId: '00000000-0000-4000-8000-000000000009' };
    assert.equal(await service(clock, otherContext).resolve(token), undefined);
    assert.equal(await service(clock, { ...session, userId: 'u2' }).resolve(token), undefined);
    assert.equal(await service(clock, null).resolve(token), undefined, 'an ended session');
  });
});
