import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { useTestDatabase } from '../support/test-database.js';
import { adminPagesApp } from '../support/admin-pages-app.js';
import { seedDemoPrograms, DEMO_PROGRAMS } from '../../src/dev/demo/demo-seed.js';
import { createDemoPeopleRepository } from '../../src/dev/demo/demo-people-repository.js';
import type { Services } from '../../src/services.js';

/** Pages of a PDF Chromium printed: its page objects (not the /Pages tree nodes). */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

/**
 * The board summary of each demo program printed by Chromium: print media, navigation hidden, one
 * page on A4 and on Letter. Access is the admin-pages stub (the tenant in a header).
 */
describe('the board summary in print', function () {
  this.timeout(180000);
  const testDb = useTestDatabase();
  let services: Services;
  let server: Server;
  let browser: Browser;
  let base: string;
  let tenantId: string;

  before(async () => {
    const built = adminPagesApp(testDb());
    services = built.services;
    tenantId = (await services.tenants.create('Demo')).id;
    await seedDemoPrograms({ services, people: createDemoPeopleRepository(testDb().db), tenantName: 'Demo' });
    server = built.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  for (const [key, name] of Object.entries(DEMO_PROGRAMS)) {
    it(`prints the ${key} demo's board summary on one page, A4 and Letter, without the navigation`, async () => {
      const program = await services.programs.get(tenantId, name);
      const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-tenant': tenantId } });
      try {
        const page = await context.newPage();
        await page.goto(`${base}/admin/programs/${program.id}/board`);
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('.program-nav').first().isVisible(), false);
        assert.equal(await page.getByRole('button', { name: 'Print this page' }).isVisible(), false);
        assert.ok(await page.locator('#verdict-sentence').isVisible());
        for (const format of ['A4', 'Letter']) {
          const pdf = await page.pdf({ format, preferCSSPageSize: false });
          assert.equal(pdfPages(pdf), 1, `${name} on ${format}: ${pdfPages(pdf)} pages`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
