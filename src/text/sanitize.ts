import sanitizeHtml from 'sanitize-html';

/**
 * Rich text that people type into Yardstick (evidence write-ups, content pages) reduced to a safe subset
 * of HTML: text formatting, lists, links (http, https, mailto; opened with rel=noopener) and tables. No
 * scripts, styles, event handlers or embedded frames survive.
 */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'strong',
      'b',
      'em',
      'i',
      'u',
      'ul',
      'ol',
      'li',
      'blockquote',
      'a',
      'h2',
      'h3',
      'h4',
      'code',
      'pre',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
    ],
    allowedAttributes: { a: ['href', 'title', 'rel', 'target'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  });
}
