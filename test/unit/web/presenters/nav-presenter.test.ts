import assert from 'node:assert/strict';
import { presentNav, ADMIN_PAGES } from '../../../../src/web/presenters/nav-presenter.js';

const course = '7d8c1f7e-2c4b-4e1b-9a55-0f1f5d2e9b11';
const admin = { roleKind: 'admin' as const, contextId: null, resourceLinkId: null };
const instructor = { roleKind: 'instructor' as const, contextId: course, resourceLinkId: 'link-1' };
const learner = { roleKind: 'learner' as const, contextId: course, resourceLinkId: 'link 1' };

describe('presentNav', () => {
  it('gives an admin every admin page and the admin home as the logo target', () => {
    const nav = presentNav(admin, '/admin');
    assert.equal(nav.home, '/admin');
    assert.deepEqual(
      nav.items.map((i) => i.href),
      ADMIN_PAGES.map((p) => p.href),
    );
    assert.equal(nav.items.find((i) => i.current)?.label, 'Home');
    assert.deepEqual(nav.crumbs, []);
  });

  it('marks the section of an admin sub-page and leads back to the admin home', () => {
    const nav = presentNav(admin, '/admin/programs/abc/roi', 'ROI');
    assert.deepEqual(
      nav.items.filter((i) => i.current).map((i) => i.label),
      ['Programs'],
    );
    assert.deepEqual(nav.crumbs, [
      { label: 'Admin home', href: '/admin' },
      { label: 'Programs', href: '/admin/programs' },
      { label: 'ROI' },
    ]);
  });

  it('does not link a section page to itself in its breadcrumbs', () => {
    assert.deepEqual(presentNav(admin, '/admin/modules', 'Modules').crumbs, [
      { label: 'Admin home', href: '/admin' },
      { label: 'Modules' },
    ]);
  });

  it('gives an instructor the pages of the launch course only, and none of the admin pages', () => {
    const nav = presentNav(instructor, `/courses/${course}/report/quality`);
    assert.equal(nav.home, `/courses/${course}/report`);
    assert.deepEqual(
      nav.items.map((i) => i.label),
      ['Course report', 'Learner progress', 'Data quality', 'Grade passbacks'],
    );
    assert.equal(
      nav.items.every((i) => i.href.startsWith(`/courses/${course}/`)),
      true,
    );
    assert.equal(nav.items.find((i) => i.current)?.label, 'Data quality');
  });

  it('leads from a learner drill-down back to the course report', () => {
    const nav = presentNav(instructor, `/courses/${course}/report/learners/u1`, 'Lee in Forklift');
    assert.deepEqual(nav.crumbs, [
      { label: 'Course report', href: `/courses/${course}/report` },
      { label: 'Lee in Forklift' },
    ]);
  });

  it('gives a learner their module only, with its link id escaped', () => {
    const nav = presentNav(learner, '/learn/link%201');
    assert.deepEqual(nav.items, [{ label: 'My module', href: '/learn/link%201', current: true }]);
    assert.equal(nav.home, '/learn/link%201');
  });

  it('gives an instructor launched outside a course no menu and the root as home', () => {
    const nav = presentNav({ ...instructor, contextId: null }, '/deep-link');
    assert.deepEqual(nav, { home: '/', label: 'Instructor menu', items: [], crumbs: [] });
  });
});
