/**
 * The text a reader sees on a rendered HTML page: scripts, styles and tags dropped, the common
 * entities decoded, whitespace collapsed. Attribute values (links, ids, classes) are not text.
 */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a number or label for people must never look like, each with the reason it is named. */
const DEVELOPER_TEXT: readonly { name: string; pattern: RegExp }[] = [
  { name: 'a long decimal', pattern: /\d\.\d{3,}/g },
  { name: 'NaN', pattern: /\bNaN\b/g },
  { name: 'undefined', pattern: /\bundefined\b/g },
  { name: 'null', pattern: /\bnull\b/g },
  { name: 'an ISO timestamp', pattern: /\d{4}-\d\d-\d\dT\d\d:\d\d/g },
  { name: 'an ISO date', pattern: /\b\d{4}-\d\d-\d\d\b/g },
  { name: 'a snake_case code', pattern: /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g },
];

/** Every developer-style fragment in a page's text, with some context, e.g. "a long decimal: 0.8245358". */
export function developerText(text: string): string[] {
  const found: string[] = [];
  for (const { name, pattern } of DEVELOPER_TEXT) {
    for (const m of text.matchAll(pattern)) {
      const at = m.index ?? 0;
      found.push(`${name}: "${m[0]}" in "…${text.slice(Math.max(0, at - 40), at + m[0].length + 40)}…"`);
    }
  }
  return found;
}
