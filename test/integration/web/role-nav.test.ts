import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { get, launch } from '../../support/lti-client.js';

/** The addresses and names of the links inside the role menu of a page. */
function menuOf(html: string): Array<{ href: string; label: string }> {
  const nav = /<nav class="role-nav" aria-label="[^"]+">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => ({
    href: m[1]!,
    label: m[2]!,
  }));
}

const logoOf = (html: string) => /<a class="brand" href="([^"]+)"/.exec(html)?.[1];

describe('the role menu inside the LMS frame', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  before(async () => {
    h = await startLtiHarness(testDb());
  });
  after(async () => h?.close());

  it('gives an admin every admin page, each of which opens, and a logo to the admin home', async () => {
    const { jar } = await launch(h.devLms, 'ada', 'safety-101', 'safety-101-module-1');
    const html = await (await get(`${h.url}/admin`, jar)).text();
    const menu = menuOf(html);
    assert.deepEqual(
      menu.map((m) => m.label),
      ['Home', 'Programs', 'Modules', 'Outcome imports', 'LRS credentials', 'Privacy', 'LMS platforms'],
    );
    assert.equal(logoOf(html), '/admin');
    assert.doesNotMatch(html, /not built yet/);
    for (const { href } of menu) {
      assert.equal((await get(`${h.url}${href}`, jar)).status, 200, href);
      if (href !== '/admin')
        assert.match(html, new RegExp(`<dt><a href='${href}'>`), `the admin home lists ${href}`);
    }
  });

  it('leads from an admin sub-page back to the admin home by breadcrumbs', async () => {
    const { jar } = await launch(h.devLms, 'ada', 'safety-101', 'safety-101-module-1');
    const html = await (await get(`${h.url}/admin/lrs-credentials`, jar)).text();
    assert.match(
      html,
      /<nav class="crumbs" aria-label="Breadcrumb">[\s\S]*<a href="\/admin">Admin home<\/a>/,
    );
    assert.match(html, /<a href="\/admin\/lrs-credentials" aria-current="page">LRS credentials<\/a>/);
  });

  it('gives an instructor the launch course pages only, each of which opens', async () => {
    const { res, jar } = await launch(h.devLms, 'ines', 'safety-101', 'safety-101-module-1');
    const report = res.headers.get('location')!;
    const html = await (await get(`${h.url}${report}`, jar)).text();
    const menu = menuOf(html);
    assert.deepEqual(
      menu.map((m) => m.label),
      ['Course report', 'Learner progress', 'Data quality', 'Grade passbacks'],
    );
    assert.equal(logoOf(html), report);
    for (const { href } of menu) assert.equal((await get(`${h.url}${href}`, jar)).status, 200, href);
    assert.equal((await get(`${h.url}/admin`, jar)).status, 403);
  });

  it('gives a learner their module and nothing else', async () => {
    const { jar } = await launch(h.devLms, 'ana', 'safety-101', 'safety-101-module-1');
    const html = await (await get(`${h.url}/learn/safety-101-module-1`, jar)).text();
    assert.deepEqual(menuOf(html), [{ href: '/learn/safety-101-module-1', label: 'My module' }]);
    assert.equal(logoOf(html), '/learn/safety-101-module-1');
  });

  it('keeps the bare landing page outside a launch without a menu, pointing to the development LMS', async () => {
    const html = await (await fetch(`${h.url}/`)).text();
    assert.deepEqual(menuOf(html), []);
    assert.equal(logoOf(html), '/');
    assert.match(html, /<a class="button" href="\/dev-lms">Open the development LMS<\/a>/);
  });
});
