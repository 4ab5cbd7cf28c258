import { renderPageHtml } from '../../learning/render-page.js';
import type { FieldError } from '../../learning/authoring/module-content-schema.js';
import { QUESTION_TYPE_LABELS, SURVEY_ITEM_LABELS, TESTS } from './module-form.js';

/** One labelled input of the draft editor, with the errors that belong to it. */
export interface FieldView {
  kind: 'text' | 'textarea' | 'select' | 'checkbox';
  id: string;
  name: string;
  label: string;
  hint?: string;
  value: string;
  checked?: boolean;
  rows?: number;
  options?: { value: string; label: string; selected: boolean }[];
  errors: string[];
  inputmode?: string;
  /** Ids of the hint and error texts, for aria-describedby. */
  describedBy?: string;
}

type Draft = Record<string, unknown>;
const obj = (v: unknown): Draft => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Draft) : {});
const arr = (v: unknown): Draft[] => (Array.isArray(v) ? (v as Draft[]) : []);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** A stable, valid HTML id for a field path. */
export const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;

/**
 * Builds the editor's view model. Errors are matched to fields by JSON path: a field shows the errors
 * at its path and below it (`postTest.questions[0].correct[1]` shows on the `correct` input); errors
 * no field claims show on the enclosing group, and all of them in the summary at the top.
 */
export function presentDraftEditor(draft: Draft, errors: FieldError[]) {
  const claimed = new Set<FieldError>();
  const errorsAt = (path: string, exact = false) => {
    const found = errors.filter(
      (e) => e.path === path || (!exact && (e.path.startsWith(`${path}[`) || e.path.startsWith(`${path}.`))),
    );
    found.forEach((e) => claimed.add(e));
    return found.map((e) => e.message);
  };
  const field = (
    kind: FieldView['kind'],
    name: string,
    label: string,
    value: unknown,
    extra: Partial<FieldView> = {},
  ): FieldView => {
    const id = fieldId(name);
    const errs = errorsAt(name);
    const describedBy = [extra.hint ? `${id}-hint` : '', errs.length ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    return {
      kind,
      id,
      name,
      label,
      value: str(value),
      errors: errs,
      ...extra,
      ...(describedBy ? { describedBy } : {}),
    };
  };
  const select = (name: string, label: string, value: unknown, options: Record<string, string>) =>
    field('select', name, label, value, {
      options: Object.entries(options).map(([v, l]) => ({ value: v, label: l, selected: v === str(value) })),
    });
  const labelsText = (scale: unknown) => arr(obj(scale).labels).map(str).join('\n');

  const pages = arr(draft.pages).map((p, i) => {
    const path = `pages[${i}]`;
    let preview = '';
    try {
      preview = str(p.body).trim()
        ? renderPageHtml({ format: p.format === 'html' ? 'html' : 'markdown', body: str(p.body) })
        : '';
    } catch {
      preview = '';
    }
    return {
      number: i + 1,
      path,
      fields: [
        field('text', `${path}.title`, 'Title', p.title),
        field('text', `${path}.id`, 'Id', p.id, { hint: 'Stable across versions; letters, digits, - _ .' }),
        select(`${path}.format`, 'Format', p.format, { markdown: 'Markdown', html: 'HTML' }),
        field('textarea', `${path}.body`, 'Body', p.body, { rows: 8 }),
      ],
      preview,
    };
  });

  const external = draft.external
    ? {
        fields: [
          field('text', 'external.url', 'Launch URL', obj(draft.external).url, { inputmode: 'url' }),
          field('text', 'external.activityId', 'Activity id (IRI)', obj(draft.external).activityId),
          select('external.moveOn', 'Move on when (cmi5 moveOn)', obj(draft.external).moveOn, {
            Completed: 'Completed',
            Passed: 'Passed',
            CompletedAndPassed: 'Completed and passed',
            CompletedOrPassed: 'Completed or passed',
            NotApplicable: 'Not applicable',
          }),
          field(
            'text',
            'external.masteryScore',
            'Mastery score (optional, 0.8 = 80%)',
            obj(draft.external).masteryScore,
            {
              inputmode: 'decimal',
            },
          ),
        ],
      }
    : null;

  const tests = TESTS.map((t) => {
    const test = draft[t] ? obj(draft[t]) : null;
    const title = t === 'preTest' ? 'Pre-test' : 'Post-test';
    if (!test) return { key: t, title, present: false };
    const questions = arr(test.questions).map((q, j) => question(t, q, j));
    return {
      key: t,
      title,
      present: true,
      mastery: field('text', `${t}.masteryScore`, 'Mastery score (0.8 = 80% of points)', test.masteryScore, {
        inputmode: 'decimal',
      }),
      questionsErrors: errorsAt(`${t}.questions`, true),
      questions,
      typeSelect: select(`newType.${t}`, 'Type of the new question', 'single-choice', QUESTION_TYPE_LABELS),
    };
  });

  function question(t: string, q: Draft, j: number) {
    const path = `${t}.questions[${j}]`;
    const type = str(q.type);
    const fields = [
      field('textarea', `${path}.prompt`, 'Question', q.prompt, { rows: 2 }),
      field('text', `${path}.id`, 'Id', q.id),
      field('text', `${path}.points`, 'Points (default 1)', q.points, { inputmode: 'decimal' }),
    ];
    let choices = null;
    if (type === 'single-choice' || type === 'multiple-choice') {
      const correct = new Set(arr(q.correct).map(str));
      choices = {
        inputType: type === 'single-choice' ? 'radio' : 'checkbox',
        legend:
          type === 'single-choice'
            ? 'Choices (mark the one correct choice)'
            : 'Choices (tick every correct choice)',
        errors: [...errorsAt(`${path}.correct`), ...errorsAt(`${path}.choices`, true)],
        items: arr(q.choices).map((c, k) => ({
          number: k + 1,
          correctName: `${path}.correct`,
          correctId: fieldId(`${path}.correct-${k}`),
          index: k,
          checked: correct.has(str(c.id)) && str(c.id) !== '',
          id: field('text', `${path}.choices[${k}].id`, `Choice ${k + 1} id`, c.id),
          text: field('text', `${path}.choices[${k}].text`, `Choice ${k + 1} text`, c.text),
          removePath: `${path}.choices[${k}]`,
        })),
        addAction: `add-choice:${path}`,
      };
    } else if (type === 'true-false') {
      fields.push(
        select(`${path}.correct`, 'Correct answer', str(q.correct) || 'true', {
          true: 'True',
          false: 'False',
        }),
      );
    } else if (type === 'numeric') {
      fields.push(field('text', `${path}.correct`, 'Correct answer', q.correct, { inputmode: 'decimal' }));
      fields.push(
        field('text', `${path}.tolerance`, 'Tolerance (accepted absolute difference)', q.tolerance, {
          inputmode: 'decimal',
        }),
      );
    } else {
      fields.push(
        field(
          'textarea',
          `${path}.correct`,
          'Accepted answers, one per line (compared ignoring case)',
          arr(q.correct).map(str).join('\n'),
          { rows: 3 },
        ),
      );
    }
    return {
      number: j + 1,
      path,
      type,
      typeLabel: QUESTION_TYPE_LABELS[type] ?? type,
      typeErrors: errorsAt(`${path}.type`),
      fields,
      choices,
      errors: errorsAt(path, true),
    };
  }

  const survey = draft.survey
    ? {
        anonymous: field(
          'checkbox',
          'survey.anonymous',
          'Anonymous: answers are never tied to a person',
          '',
          {
            checked: obj(draft.survey).anonymous !== false,
          },
        ),
        itemsErrors: errorsAt('survey.items', true),
        items: arr(obj(draft.survey).items).map((item, j) => {
          const path = `survey.items[${j}]`;
          const type = str(item.type);
          const fields = [
            field('textarea', `${path}.prompt`, 'Prompt', item.prompt, { rows: 2 }),
            field('text', `${path}.id`, 'Id', item.id),
          ];
          if (type === 'likert')
            fields.push(
              field(
                'textarea',
                `${path}.scale.labels`,
                'Scale labels, lowest first, one per line (2 to 11)',
                labelsText(item.scale),
                { rows: 5 },
              ),
            );
          return {
            number: j + 1,
            path,
            type,
            typeLabel: SURVEY_ITEM_LABELS[type] ?? type,
            typeErrors: errorsAt(`${path}.type`),
            fields,
          };
        }),
        typeSelect: select('newType.survey', 'Type of the new item', 'likert', SURVEY_ITEM_LABELS),
      }
    : null;

  const observation = draft.observation
    ? {
        itemsErrors: errorsAt('observation.items', true),
        items: arr(obj(draft.observation).items).map((item, j) => {
          const path = `observation.items[${j}]`;
          return {
            number: j + 1,
            path,
            fields: [
              field('textarea', `${path}.behaviour`, 'Behaviour the manager rates', item.behaviour, {
                rows: 2,
              }),
              field('text', `${path}.id`, 'Id', item.id),
              field(
                'textarea',
                `${path}.scale.labels`,
                'Scale labels, lowest first, one per line (2 to 11)',
                labelsText(item.scale),
                { rows: 5 },
              ),
            ],
          };
        }),
      }
    : null;

  const sections = ['external', 'preTest', 'postTest', 'survey', 'observation'].filter(
    (s) => draft[s] !== undefined,
  );
  const attemptLimit = field(
    'text',
    'attemptLimit',
    'Attempt limit (blank for unlimited)',
    draft.attemptLimit,
    { inputmode: 'numeric' },
  );
  const reviewAfterFail = field(
    'checkbox',
    'reviewAfterFail',
    'After a failed post-test, show the learner which answers were wrong and the right ones',
    '',
    { checked: draft.reviewAfterFail !== false },
  );
  const pagesErrors = errorsAt('pages', true);
  // Whatever no field claimed (unknown fields, the root) is listed in the summary only.
  const summary = errors.map((e) => ({
    path: e.path || '(module)',
    message: e.message,
    anchor: claimed.has(e) ? fieldId(anchorPath(e.path)) : null,
  }));
  return {
    pages,
    pagesErrors,
    external,
    tests,
    survey,
    observation,
    sections,
    attemptLimit,
    reviewAfterFail,
    summary,
  };
}

/** The input an error is shown at: `...correct[1]` -> `...correct`, `...labels[0]` -> `...scale.labels`. */
function anchorPath(path: string): string {
  return path.replace(/\.(correct|labels)\[\d+\]$/, '.$1');
}
