import assert from 'node:assert/strict';
import { renderPageHtml } from '../../../src/learning/render-page.js';

describe('content page rendering', () => {
  it('renders Markdown headings, emphasis and lists as HTML', () => {
    const html = renderPageHtml({
      format: 'markdown',
      body: '## Load limits\n\n*Never* exceed:\n\n- the plate\n- the mast',
    });
    assert.match(html, /<h2>Load limits<\/h2>/);
    assert.match(html, /<em>Never<\/em>/);
    assert.match(html, /<li>the plate<\/li>/);
  });

  it('strips scripts and event handlers from HTML pages', () => {
    const html = renderPageHtml({ format: 'html', body: '<p onclick="x()">Hi</p><script>alert(1)</script>' });
    assert.equal(html, '<p>Hi</p>');
  });

  it('strips raw HTML smuggled inside Markdown', () => {
    const html = renderPageHtml({
      format: 'markdown',
      body: 'Text <img src=x onerror=alert(1)> [a](javascript:alert(1))',
    });
    assert.doesNotMatch(html, /onerror|javascript:|<img/);
  });
});
