import { z } from 'zod';
import type { ModuleContent } from '../module-content.js';
import { checkModuleContent, jsonPath, type FieldError } from './module-content-schema.js';

/**
 * The module exchange format, version 1 (docs/modules.md). A file carries one module version:
 *
 * ```json
 * { "format": "yardstick-module/1", "title": "Forklift safety", "version": 3,
 *   "exportedAt": "2026-11-25T10:00:00.000Z", "content": { "pages": [...], ... } }
 * ```
 *
 * `format` and `title` and `content` are required on import; `version`, `status`, `moduleId` and
 * `exportedAt` describe where the file came from and are not imported (an import always makes a new
 * draft). A later, incompatible layout gets a new format name (`yardstick-module/2`), never a change
 * to this one.
 */
export const MODULE_FORMAT = 'yardstick-module/1';

export interface ModuleExport {
  format: typeof MODULE_FORMAT;
  title: string;
  /** The exported version's number and state in the source tenant (informative). */
  version: number;
  status: 'draft' | 'published';
  moduleId: string;
  exportedAt: string;
  content: ModuleContent;
}

const envelope = z.object(
  {
    format: z.literal(MODULE_FORMAT, {
      error: `format must be "${MODULE_FORMAT}" (export the module from Yardstick to get a file in this format)`,
    }),
    title: z
      .string({ error: 'give the module title' })
      .trim()
      .min(1, 'the module title is empty')
      .max(200, 'the module title is longer than 200 characters'),
    version: z.unknown().optional(),
    status: z.unknown().optional(),
    moduleId: z.unknown().optional(),
    exportedAt: z.unknown().optional(),
    content: z.unknown(),
  },
  { error: 'the file must hold one JSON object in the yardstick-module/1 format' },
);

export type ParsedImport =
  { ok: true; title: string; content: ModuleContent } | { ok: false; errors: FieldError[] };

/**
 * Reads an import: JSON text or an already parsed value. Every problem is reported with its JSON path
 * from the file's root (`content.postTest.questions[0].correct`); unknown top-level fields are errors.
 */
export function parseModuleImport(input: unknown): ParsedImport {
  let value = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    try {
      value = JSON.parse(input.toString());
    } catch (err) {
      return {
        ok: false,
        errors: [{ path: '', message: `the file is not valid JSON (${(err as Error).message})` }],
      };
    }
  }
  const top = envelope.strict().safeParse(value);
  const errors: FieldError[] = top.success
    ? []
    : top.error.issues.map((i) => ({
        path: jsonPath(i.path),
        message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
      }));
  const content = checkModuleContent((value as { content?: unknown } | null)?.content);
  if (!content.ok && typeof value === 'object' && value !== null)
    errors.push(
      ...content.errors.map((e) => ({
        path: e.path ? `content.${e.path}` : 'content',
        message: e.message,
      })),
    );
  if (errors.length > 0 || !top.success || !content.ok) return { ok: false, errors };
  return { ok: true, title: top.data.title, content: content.content };
}
