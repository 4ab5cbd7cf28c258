import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../../support/test-database.js';
import { adminPagesApp } from '../../support/admin-pages-app.js';
import { developerText, visibleText } from '../../support/page-text.js';
import { seedDemoPrograms, DEMO_PROGRAMS } from '../../../src/dev/demo/demo-seed.js';
import { createDemoPeopleRepository } from '../../../src/dev/demo/demo-people-repository.js';
import type { Services } from '../../../src/services.js';

/**
 * The program page and the board summary of each demo program, read as a board member reads them:
 * no developer-style numbers (long decimals, NaN), no raw timestamps or dates, no snake_case codes.
 */
describe('program pages in plain numbers', () => {
  const testDb = useTestDatabase();
  let services: Services;
  let app: ReturnType<typeof adminPagesApp>['app'];
  let tenantId: string;
  const text = async (path: string) =>
    visibleText((await request(app).get(path).set('x-test-tenant', tenantId).expect(200)).text);

  before(async function () {
    this.timeout(120000);
    ({ app, services } = adminPagesApp(testDb()));
    tenantId = (await services.tenants.create('Demo')).id;
    await seedDemoPrograms({ services, people: createDemoPeopleRepository(testDb().db), tenantName: 'Demo' });
  });

  for (const [key, name] of Object.entries(DEMO_PROGRAMS)) {
    it(`shows the ${key} demo's program page and board summary without developer-style text`, async () => {
      const program = await services.programs.get(tenantId, name);
      for (const path of [`/admin/programs/${program.id}`, `/admin/programs/${program.id}/board`]) {
        const page = await text(path);
        if (process.env.DUMP_PAGES) console.log(`\n=== ${path}\n${page}`);
        assert.deepEqual(developerText(page), [], path);
      }
    });
  }
});
