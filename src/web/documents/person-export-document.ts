import path from 'node:path';
import { create } from 'express-handlebars';
import type { PersonExport } from '../../privacy/model.js';
import { personExportView } from '../presenters/person-export-presenter.js';

const template = path.resolve(import.meta.dirname, '../../../views/documents/person-export.hbs');
const handlebars = create({ extname: '.hbs' });

/**
 * The readable HTML summary of an access-request export: one self-contained document (inline style,
 * no script, no outside resource, and a Content-Security-Policy that forbids both), to hand to the
 * person beside the JSON file. Every value is escaped by Handlebars: statement text a client sent
 * cannot add markup.
 */
export async function renderPersonExportHtml(exported: PersonExport): Promise<string> {
  const view: Record<string, unknown> = { ...personExportView(exported) };
  return handlebars.render(template, view, { cache: true });
}

/** The summary's file name beside a JSON export's: `a/b.json` -> `a/b.html`, `a/b` -> `a/b.html`. */
export function htmlSiblingOf(file: string): string {
  return file.replace(/\.json$/i, '') + '.html';
}
