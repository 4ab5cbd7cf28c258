import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { createLtiPlatformRepository } from '../../../src/storage/repositories/lti-platform-repository.js';
import { createTenantRepository } from '../../../src/storage/repositories/tenant-repository.js';

describe('the LTI platform route (a reference table under sharding, no foreign key)', function () {
  const database = useTestDatabase();

  it('deletes the route with its platform, so the issuer can be registered again', async () => {
    const { db } = database();
    const tenant = await createTenantRepository(db).insert('route-tenant');
    const platforms = createLtiPlatformRepository(db);
    const platform = {
      tenantId: tenant.id,
      issuer: 'https://lms.route.example.com',
      clientId: 'client-1',
      name: 'Route LMS',
      authUrl: 'https://lms.route.example.com/auth',
      tokenUrl: 'https://lms.route.example.com/token',
      jwksUrl: 'https://lms.route.example.com/jwks',
      status: 'active' as const,
      source: 'cli' as const,
      deploymentIds: ['d1'],
    };
    const created = await platforms.insert(platform);
    assert.equal((await platforms.findByIssuer(platform.issuer, platform.clientId))?.id, created.id);

    await platforms.delete(tenant.id, created.id);
    assert.equal(await platforms.findByIssuer(platform.issuer, platform.clientId), undefined);
    const again = await platforms.insert(platform);
    assert.equal((await platforms.findByIssuer(platform.issuer, platform.clientId))?.id, again.id);
  });
});
