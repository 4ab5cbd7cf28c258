/**
 * Turns vega's SVG string into an accessible, fluid figure: role="img" on the root with `<title>` and
 * `<desc>` as its first children (WAI-ARIA Graphics / SVG-AAM: aria-labelledby names the image,
 * aria-describedby describes it), width 100% with the viewBox kept so it scales down to the container,
 * inner ARIA roles removed (the image is described once, by its root), and any ids vega emitted prefixed with the chart id so several charts can share one page.
 */

/** Escapes text for XML/HTML character data and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Chart ids become SVG element ids, so they are kept to a safe, predictable alphabet. */
export function assertChartId(id: string): void {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,80}$/.test(id)) {
    throw new Error(
      `chart id "${id}" must start with a letter and use only letters, digits and dashes (at most 81 characters).`,
    );
  }
}

export interface AccessibleSvgInput {
  /** Unique id prefix for this SVG on the page (chart id plus layout name). */
  idPrefix: string;
  title: string;
  description: string;
  /** Extra CSS class on the root, e.g. the layout name. */
  className: string;
}

/**
 * Rewrites the root `<svg>` element of a vega SVG and inserts `<title>`/`<desc>`.
 *
 * @throws Error when the input does not start with an `<svg` root (vega changed its output format).
 */
export function makeAccessibleSvg(svg: string, input: AccessibleSvgInput): string {
  const match = /^<svg\b([^>]*)>/.exec(svg);
  if (!match) throw new Error('vega returned no <svg> root; the chart cannot be made accessible.');
  const attrs = match[1] ?? '';
  const viewBox = /\sviewBox="([^"]*)"/.exec(attrs)?.[1];
  if (!viewBox) throw new Error('vega SVG has no viewBox; it would not scale to the container.');
  const titleId = `${input.idPrefix}-title`;
  const descId = `${input.idPrefix}-desc`;
  const root =
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg ${escapeXml(input.className)}"` +
    ` width="100%" viewBox="${viewBox}" preserveAspectRatio="xMinYMin meet"` +
    ` role="img" aria-labelledby="${titleId}" aria-describedby="${descId}" focusable="false">` +
    `<title id="${titleId}">${escapeXml(input.title)}</title>` +
    `<desc id="${descId}">${escapeXml(input.description)}</desc>`;
  const body = svg.slice(match[0].length);
  return root + prefixIds(stripInnerRoles(body), input.idPrefix);
}

/**
 * Removes the ARIA roles and labels vega puts on mark groups (even with `aria: false` it keeps some,
 * e.g. role="graphics-symbol" on rule and rect containers). Inside role="img" they would be announced as
 * unnamed graphics (axe: svg-img-alt); the root's <title> and <desc> already say what the chart shows.
 */
function stripInnerRoles(body: string): string {
  return hoverTitles(body).replace(/\s(?:role|aria-roledescription|aria-label)="[^"]*"/g, '');
}

/**
 * A mark's label (a chart kind's `description` encoding, e.g. a trend point's exact value) as its
 * `<title>` child, which browsers show on hover; the label was escaped by vega.
 */
function hoverTitles(body: string): string {
  return body.replace(
    /<path([^>]*?)\saria-label="([^"]*)"([^>]*?)\/>/g,
    '<path$1$3><title>$2</title></path>',
  );
}

/** Prefixes every id="x" and its url(#x) / href="#x" references, keeping them unique on the page. */
function prefixIds(body: string, prefix: string): string {
  return body
    .replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}
