import assert from 'node:assert/strict';
import { pageOf, pagerView } from '../../../src/web/presenters/pager.js';

describe('pageOf', () => {
  const href = (page: number) => `?page=${page}`;

  it('reads the requested page and links to its neighbours', () => {
    const { limit, offset, pager } = pageOf(120, 2, href, 50);
    assert.deepEqual({ limit, offset }, { limit: 50, offset: 50 });
    assert.deepEqual(pager, {
      page: 2,
      pages: 3,
      total: 120,
      from: 51,
      to: 100,
      previousHref: '?page=1',
      nextHref: '?page=3',
    });
  });

  it('shows the last page for a page past the end, and the first when none is asked for', () => {
    assert.equal(pageOf(120, 9, href, 50).pager.page, 3);
    assert.equal(pageOf(120, 9, href, 50).pager.to, 120);
    assert.equal(pageOf(120, undefined, href, 50).offset, 0);
    assert.equal(pageOf(120, 1, href, 50).pager.previousHref, null);
  });

  it('has one empty page when there is nothing to list', () => {
    const { pager } = pageOf(0, 1, href, 50);
    assert.deepEqual([pager.pages, pager.from, pager.to, pager.nextHref], [1, 0, 0, null]);
  });

  it('says which rows it shows, counts with thousands separators', () => {
    assert.equal(pagerView(pageOf(10_000, 3, href, 50).pager).summary, 'Showing 101–150 of 10,000');
    assert.equal(pagerView(pageOf(0, 1, href, 50).pager).summary, 'None yet');
  });
});
