import { Marked } from 'marked';
import { sanitizeRichText } from '../text/sanitize.js';
import type { ContentPage } from './module-content.js';

const markdown = new Marked({ gfm: true, breaks: false, async: false });

/**
 * A content page as safe HTML: Markdown is rendered (GitHub-flavoured), then both Markdown and HTML
 * sources pass the same sanitizer, so raw HTML inside Markdown is as safe as an HTML page. Used by the
 * learner flow and by the authoring preview, so learners see exactly what authors previewed.
 */
export function renderPageHtml(page: Pick<ContentPage, 'format' | 'body'>): string {
  const html = page.format === 'markdown' ? (markdown.parse(page.body) as string) : page.body;
  return sanitizeRichText(html);
}
