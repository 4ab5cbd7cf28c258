import { visibleText } from './page-text.js';

/** One HTML table as a reader sees it: caption, column headers and the text of each body cell. */
export interface HtmlTable {
  caption: string;
  headers: string[];
  rows: string[][];
}

/**
 * Every `<table>` of a page (chart data tables included), cells as visible text. Row headers
 * (`<th scope="row">`) are cells like any other. Enough for the pages Yardstick renders; not a parser
 * for arbitrary HTML; a nested table is read on its own and left out of its parent.
 */
export function htmlTables(html: string): HtmlTable[] {
  const tables: HtmlTable[] = [];
  // Innermost tables first, each cut out before its enclosing table is read.
  const innermost = /<table\b(?:(?!<table\b)[\s\S])*?<\/table>/gi;
  let rest = html;
  for (;;) {
    const found = [...rest.matchAll(innermost)].map(([t]) => t);
    if (!found.length) return tables;
    for (const table of found) {
      tables.push(tableOf(table));
      rest = rest.replace(table, '');
    }
  }
}

function tableOf(table: string): HtmlTable {
  const caption = visibleText(/<caption\b[\s\S]*?<\/caption>/i.exec(table)?.[0] ?? '');
  const head = /<thead\b[\s\S]*?<\/thead>/i.exec(table)?.[0] ?? '';
  const headers = [...head.matchAll(/<th\b[\s\S]*?<\/th>/gi)].map(([th]) => visibleText(th));
  const body = /<tbody\b[\s\S]*?<\/tbody>/i.exec(table)?.[0] ?? table.replace(head, '');
  const rows = [...body.matchAll(/<tr\b[\s\S]*?<\/tr>/gi)].map(([tr]) =>
    [...tr.matchAll(/<t[hd]\b[\s\S]*?<\/t[hd]>/gi)].map(([cell]) => visibleText(cell)),
  );
  return { caption, headers, rows };
}
