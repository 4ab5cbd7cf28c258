import assert from 'node:assert/strict';
import { withSessionToken } from '../../../src/web/middleware/session-token.js';
import { redactUrl } from '../../../src/web/middleware/request-logger.js';

describe('carrying the session token in a page', () => {
  const token = 'eyJ0.abc-_';

  it('adds the token to same-origin links, double- or single-quoted, keeping query and fragment', () => {
    const html = withSessionToken(
      `<a href="/courses/c/report">a</a><a class='x' href='/learn/l?step&#x3D;2#top'>b</a>`,
      token,
    );
    assert.match(html, /href="\/courses\/c\/report\?yst=eyJ0\.abc-_"/);
    assert.match(html, /href='\/learn\/l\?step=2&#38;yst=eyJ0\.abc-_#top'/);
  });

  it('leaves other sites, public addresses (static files, package content, the LRS) and signed download links alone', () => {
    const page = [
      '<a href="https://lms.example/course">lms</a>',
      '<a href="//cdn.example/x">cdn</a>',
      '<a href="/static/app.css">css</a>',
      '<a href="/content/t/p/index.html?endpoint=x">cmi5 content</a>',
      '<a href="/xapi/about">lrs</a>',
      '<a href="/courses/c/report?export&#x3D;modules&amp;link&#x3D;abc.def">csv</a>',
    ].join('');
    assert.equal(withSessionToken(page, token), page);
  });

  it("puts the token in a post form's action and a hidden field in a get form", () => {
    const html = withSessionToken(
      `<form method='post' action='/learn/l/steps'></form><form class="kpi-filters" method="get"></form>`,
      token,
    );
    assert.match(html, /<form method='post' action='\/learn\/l\/steps\?yst=eyJ0\.abc-_'><\/form>/);
    assert.match(html, /method="get"><input type="hidden" name="yst" value="eyJ0\.abc-_"><\/form>/);
  });

  it('gives scripts the token in a meta tag', () => {
    assert.match(
      withSessionToken('<head></head>', token),
      /<meta name="yardstick-session" content="eyJ0\.abc-_">/,
    );
  });
});

describe('the request log', () => {
  it('never writes a session token', () => {
    assert.equal(redactUrl('/learn/l?yst=abc.def&x=1'), '/learn/l?yst=[redacted]&x=1');
    assert.equal(redactUrl('/a?b=1&yst=abc'), '/a?b=1&yst=[redacted]');
    assert.equal(redactUrl('/a?byst=1'), '/a?byst=1');
  });
});
