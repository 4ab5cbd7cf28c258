import { z } from 'zod';
import type { Cmi5CourseItem, ModuleContent } from '../module-content.js';

/**
 * The one zod schema for ModuleContent (src/learning/module-content.ts). Every rule reports its own
 * error at the JSON path of the field at fault (`postTest.questions[2].correct`), so the authoring
 * pages can show each message next to its field and the API can list them all at once.
 */

/** Ids appear in activity IRIs and form field names: short, URL-safe, stable across versions. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const id = z
  .string({ error: 'give an id (letters, digits, "-", "_" or ".")' })
  .regex(ID_PATTERN, 'use 1 to 64 letters, digits, "-", "_" or ".", starting with a letter or digit');

const text = (what: string, max: number) =>
  z
    .string({ error: `give the ${what}` })
    .refine((s) => s.trim().length > 0, `the ${what} is empty`)
    .refine((s) => s.length <= max, `the ${what} is longer than ${max} characters`);

const share = (what: string) =>
  z
    .number({ error: `${what} must be a number between 0 and 1, e.g. 0.8 for 80%` })
    .gt(0, `${what} must be above 0 (0.8 means 80%)`)
    .lte(1, `${what} must be at most 1 (0.8 means 80%)`);

const httpUrl = z.string({ error: 'give the launch URL' }).refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'use an absolute http:// or https:// URL');

const absoluteIri = z.string({ error: 'give the activity id (an IRI)' }).refine((s) => {
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}, 'use an absolute IRI, e.g. https://example.com/activities/forklift-101');

/** Adds an error at `items[i].id` for every id seen before in the same list. */
function uniqueIds(list: unknown, ctx: z.RefinementCtx, what: string): void {
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  list.forEach((item: unknown, i) => {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    if (seen.has(id))
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${what} id "${id}" is used twice` });
    seen.add(id);
  });
}

/** Cross-field rules run even when a field inside already failed, so every problem shows at once. */
const always = { when: () => true };

const page = z.strictObject({
  id,
  title: text('page title', 200),
  format: z.enum(['markdown', 'html'], { error: 'format must be "markdown" or "html"' }),
  body: text('page body', 200_000),
});

const external = z.strictObject({
  url: httpUrl,
  activityId: absoluteIri,
  moveOn: z.enum(['Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed', 'NotApplicable'], {
    error: 'moveOn must be Passed, Completed, CompletedAndPassed, CompletedOrPassed or NotApplicable',
  }),
  masteryScore: share('the mastery score').optional(),
});

const moveOn = external.shape.moveOn;

/** A cmi5 course imported from a package (cmi5 13.1; src/learning/cmi5/course-structure.ts). */
const cmi5Au = z.strictObject({
  kind: z.literal('au'),
  id: absoluteIri,
  activityId: absoluteIri,
  title: text('AU title', 500),
  url: text('AU url', 2000),
  launchMethod: z.enum(['AnyWindow', 'OwnWindow'], { error: 'launchMethod must be AnyWindow or OwnWindow' }),
  moveOn,
  masteryScore: z
    .number({ error: 'the mastery score must be a number from 0 to 1' })
    .min(0, 'the mastery score must be from 0 to 1')
    .max(1, 'the mastery score must be from 0 to 1')
    .optional(),
  launchParameters: z.string().max(10_000).optional(),
  entitlementKey: z.string().max(1000).optional(),
  activityType: z.string().max(1000).optional(),
});
const cmi5Item: z.ZodType<Cmi5CourseItem> = z.lazy(() => z.union([cmi5Au, cmi5Block]));
const cmi5Block = z.strictObject({
  kind: z.literal('block'),
  id: absoluteIri,
  title: text('block title', 500),
  items: z.array(cmi5Item).min(1, 'a block holds at least one AU or block'),
});
const cmi5Course = z.strictObject({
  packageId: z.string().uuid('the package id is a uuid'),
  courseId: absoluteIri,
  title: text('course title', 500),
  description: z.string().max(10_000),
  items: z.array(cmi5Item).min(1, 'a course holds at least one AU'),
});

const points = z
  .number({ error: 'points must be a number' })
  .positive('points must be above 0')
  .max(1000, 'points must be at most 1000')
  .optional();

const choice = z.strictObject({ id, text: text('choice text', 1000) });
const choices = z
  .array(choice, { error: 'give the choices as a list' })
  .min(2, 'give at least 2 choices')
  .max(20, 'give at most 20 choices')
  .superRefine((list, ctx) => uniqueIds(list, ctx, 'choice'), always);

const questionBase = { id, prompt: text('question', 2000), points };

const singleChoice = z
  .strictObject({
    ...questionBase,
    type: z.literal('single-choice'),
    choices,
    correct: z.array(z.string(), { error: 'list the id of the correct choice' }),
  })
  .superRefine((q, ctx) => {
    const correct = listOf(q.correct);
    if (correct && correct.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['correct'],
        message: `a single-choice question needs exactly one correct choice (it has ${correct.length})`,
      });
    correctAmongChoices(q, ctx);
  }, always);

const multipleChoice = z
  .strictObject({
    ...questionBase,
    type: z.literal('multiple-choice'),
    choices,
    correct: z.array(z.string(), { error: 'list the ids of the correct choices' }),
  })
  .superRefine((q, ctx) => {
    const correct = listOf(q.correct);
    if (correct?.length === 0)
      ctx.addIssue({ code: 'custom', path: ['correct'], message: 'mark at least one choice as correct' });
    if (correct && new Set(correct).size !== correct.length)
      ctx.addIssue({ code: 'custom', path: ['correct'], message: 'a correct choice is listed twice' });
    correctAmongChoices(q, ctx);
  }, always);

const listOf = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

function correctAmongChoices(q: { choices: unknown; correct: unknown }, ctx: z.RefinementCtx): void {
  const choiceList = listOf(q.choices);
  const correct = listOf(q.correct);
  if (!choiceList || !correct) return;
  const ids = new Set(choiceList.map((c) => (c as { id?: unknown } | null)?.id));
  correct.forEach((c, i) => {
    if (typeof c === 'string' && !ids.has(c))
      ctx.addIssue({
        code: 'custom',
        path: ['correct', i],
        message: `"${c}" is not one of this question's choice ids`,
      });
  });
}

const trueFalse = z.strictObject({
  ...questionBase,
  type: z.literal('true-false'),
  correct: z.boolean({ error: 'correct must be true or false' }),
});

const numeric = z.strictObject({
  ...questionBase,
  type: z.literal('numeric'),
  correct: z.number({ error: 'the correct answer must be a number' }),
  tolerance: z
    .number({ error: 'the tolerance must be a number' })
    .min(0, 'the tolerance must be 0 or more (the accepted absolute difference)')
    .optional(),
});

const fillIn = z.strictObject({
  ...questionBase,
  type: z.literal('fill-in'),
  correct: z
    .array(text('accepted answer', 500), { error: 'list the accepted answers' })
    .min(1, 'give at least one accepted answer'),
});

export const QUESTION_TYPES = [
  'single-choice',
  'multiple-choice',
  'true-false',
  'numeric',
  'fill-in',
] as const;

const question = z.discriminatedUnion('type', [singleChoice, multipleChoice, trueFalse, numeric, fillIn], {
  error: `type must be one of ${QUESTION_TYPES.join(', ')}`,
});

const test = z.strictObject({
  questions: z
    .array(question, { error: 'give the questions as a list' })
    .min(1, 'a test needs at least one question')
    .max(200, 'a test has at most 200 questions')
    .superRefine((list, ctx) => uniqueIds(list, ctx, 'question'), always),
  masteryScore: share('the mastery score'),
});

const likertScale = z.strictObject({
  labels: z
    .array(text('scale label', 100), { error: 'list the scale labels, lowest first' })
    .min(2, 'a scale needs 2 to 11 labels')
    .max(11, 'a scale needs 2 to 11 labels'),
});

const prompt = text('prompt', 2000);
const surveyItem = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ id, type: z.literal('likert'), prompt, scale: likertScale }),
    z.strictObject({ id, type: z.literal('nps'), prompt }),
    z.strictObject({ id, type: z.literal('text'), prompt }),
  ],
  { error: 'type must be one of likert, nps, text' },
);

const survey = z.strictObject({
  anonymous: z.boolean({ error: 'anonymous must be true or false' }).default(true),
  items: z
    .array(surveyItem, { error: 'give the survey items as a list' })
    .min(1, 'a survey needs at least one item')
    .max(100, 'a survey has at most 100 items')
    .superRefine((list, ctx) => uniqueIds(list, ctx, 'survey item'), always),
});

const observation = z.strictObject({
  items: z
    .array(z.strictObject({ id, behaviour: text('behaviour', 2000), scale: likertScale }), {
      error: 'give the observation items as a list',
    })
    .min(1, 'an observation form needs at least one item')
    .max(100, 'an observation form has at most 100 items')
    .superRefine((list, ctx) => uniqueIds(list, ctx, 'observation item'), always),
});

/** ModuleContent, checked field by field (see the rules above and docs/modules.md). */
export const moduleContentSchema = z
  .strictObject(
    {
      pages: z
        .array(page, { error: 'give the pages as a list' })
        .max(200, 'a module has at most 200 pages')
        .superRefine((list, ctx) => uniqueIds(list, ctx, 'page'), always),
      external: external.optional(),
      cmi5: cmi5Course.optional(),
      preTest: test.optional(),
      postTest: test.optional(),
      survey: survey.optional(),
      observation: observation.optional(),
      attemptLimit: z
        .number({ error: 'the attempt limit must be a whole number' })
        .int('the attempt limit must be a whole number')
        .min(1, 'the attempt limit must be at least 1 (leave it out for unlimited attempts)')
        .max(100, 'the attempt limit must be at most 100')
        .optional(),
      reviewAfterFail: z.boolean({ error: 'reviewAfterFail must be true or false' }).optional(),
    },
    { error: 'the module content must be a JSON object with at least "pages"' },
  )
  .superRefine((c, ctx) => pagesOrExternal(c).forEach((e) => ctx.addIssue({ code: 'custom', ...e })), always);

/**
 * Built-in pages, an external activity or a cmi5 course: exactly one of them (runs on raw input too).
 */
function pagesOrExternal(c: unknown): { path: string[]; message: string }[] {
  if (typeof c !== 'object' || c === null || !Array.isArray((c as { pages?: unknown }).pages)) return [];
  const { pages, external, cmi5 } = c as { pages: unknown[]; external?: unknown; cmi5?: unknown };
  if (cmi5 !== undefined && (external !== undefined || pages.length > 0))
    return [
      {
        path: ['cmi5'],
        message:
          'a module made from a cmi5 package has no built-in pages and no other external activity; remove them',
      },
    ];
  if (cmi5 !== undefined) return [];
  if (external === undefined && pages.length === 0)
    return [
      {
        path: ['pages'],
        message: 'add at least one content page, or point the module to an external activity',
      },
    ];
  if (external !== undefined && pages.length > 0)
    return [
      {
        path: ['pages'],
        message:
          'a module with an external activity has no built-in pages; remove the pages or the external activity',
      },
    ];
  return [];
}

/** A problem with one field: `path` is a JSON path from the content root (`''` for the root). */
export interface FieldError {
  path: string;
  message: string;
}

export type ContentCheck = { ok: true; content: ModuleContent } | { ok: false; errors: FieldError[] };

/** `['postTest', 'questions', 2, 'correct']` -> `postTest.questions[2].correct`. */
export function jsonPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * Checks authored content. Never throws for bad input: returns every problem with its path, in
 * document order (a missing root object is one error at path `''`).
 */
export function checkModuleContent(input: unknown): ContentCheck {
  const parsed = moduleContentSchema.safeParse(input);
  if (parsed.success) return { ok: true, content: parsed.data as ModuleContent };
  const errors = parsed.error.issues.map((i) => ({
    path: jsonPath(i.path),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  return { ok: false, errors };
}
