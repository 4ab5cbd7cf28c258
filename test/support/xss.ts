import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';

/**
 * Text an attacker controls, carrying every way out of a Handlebars page we test: a script element, a
 * quoted attribute broken open into an event handler (which also opens a dialog), a `</script>` that
 * would end an inline JSON block, an SVG with onload, and `{{...}}` that a second template pass would run.
 * Each part sets `window.__xss` when it runs.
 */
export const XSS_PAYLOAD =
  `Eve<script>window.__xss=1</script>"><img src=x onerror="window.__xss=1;alert(1)">` +
  `'><svg onload=window.__xss=1></svg></script><script>window.__xss=1</script>{{constructor.name}}`;

/** A link target that runs script when followed or when a page lets it into an href. */
export const XSS_URL = 'javascript:window.__xss=1';

/** Marks in raw HTML that only appear when the payload was written unescaped. */
const RAW_MARKS = [
  /<script>window\.__xss/i,
  /<img[^>]*onerror/i,
  /<svg[^>]*onload/i,
  /href=["']?\s*javascript:/i,
];

/** Counts the dialogs (alert, confirm, prompt) a page and its frames open; each is dismissed. */
export function countDialogs(page: Page): { opened: number } {
  const counter = { opened: 0 };
  page.on('dialog', (dialog) => {
    counter.opened++;
    void dialog.dismiss();
  });
  return counter;
}

/**
 * Asserts the attack failed on the page `frame` shows now: no `window.__xss`, no dialog, and no
 * element the payload could have made (an inline script, an event-handler attribute, a `javascript:`
 * link or frame). Layouts load scripts only from files, so any inline script but a JSON data block is
 * foreign.
 */
export async function assertCleanFrame(
  frame: Frame,
  dialogs: { opened: number },
  where: string,
): Promise<void> {
  assert.equal(
    await frame.evaluate(() => (window as { __xss?: unknown }).__xss),
    undefined,
    `script ran on ${where}`,
  );
  assert.equal(dialogs.opened, 0, `${where} opened a dialog`);
  const foreign = await frame.evaluate(() =>
    [...document.querySelectorAll('*')]
      .filter(
        (el) =>
          (el.tagName === 'SCRIPT' &&
            !el.hasAttribute('src') &&
            el.getAttribute('type') !== 'application/json') ||
          [...el.attributes].some(
            (a) =>
              /^on/i.test(a.name) ||
              (/^(href|src|action|formaction)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)),
          ),
      )
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(foreign, [], `${where} holds elements the payload made`);
}

/**
 * Opens `url` in `frame` and asserts the attack failed there: status 200, no payload mark in the HTML
 * as sent, and a clean page (`assertCleanFrame`). When `shown` is given, that text must be on the page
 * as text (the payload was escaped, not dropped). Returns the HTML as sent.
 */
export async function assertNoXss(
  frame: Frame,
  dialogs: { opened: number },
  url: string,
  shown?: string,
): Promise<string> {
  const res = await frame.goto(url, { waitUntil: 'load' });
  assert.equal(res?.status(), 200, `${url} answered ${res?.status()}`);
  const html = await res!.text();
  for (const mark of RAW_MARKS) assert.doesNotMatch(html, mark, `${url} writes the payload unescaped`);
  await assertCleanFrame(frame, dialogs, url);
  if (shown !== undefined) {
    const text = await frame.evaluate(() => document.body.textContent ?? '');
    assert.ok(text.includes(shown), `${url} does not show ${JSON.stringify(shown)} as text`);
  }
  return html;
}
