/**
 * The draft editor's form, both ways. Every input is named by the JSON path of the content field it
 * edits (`postTest.questions[1].choices[0].text`), so the schema's per-field errors land next to the
 * inputs that caused them. The form is read into a content-shaped draft that keeps what the author
 * typed (a number field holding "lots" stays the string "lots" and the schema says it must be a
 * number), and the page is rendered from that draft.
 */

export type FormFields = Record<string, string | string[] | undefined>;
type Draft = Record<string, unknown>;

export const QUESTION_TYPE_LABELS: Record<string, string> = {
  'single-choice': 'Single choice',
  'multiple-choice': 'Multiple choice',
  'true-false': 'True / false',
  numeric: 'Numeric',
  'fill-in': 'Fill in',
};
export const SURVEY_ITEM_LABELS: Record<string, string> = {
  likert: 'Likert scale',
  nps: 'Net promoter (0-10)',
  text: 'Free text',
};
export const TESTS = ['preTest', 'postTest'] as const;
export type TestKey = (typeof TESTS)[number];
const SECTIONS = ['external', 'preTest', 'postTest', 'survey', 'observation'] as const;
export type SectionKey = (typeof SECTIONS)[number];

const FIVE_POINT = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const lines = (v: string | undefined): string[] =>
  (v ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** A number when the text is one; blank -> undefined; anything else kept as typed for the schema to refuse. */
function numberOrText(v: string | undefined): number | string | undefined {
  const t = (v ?? '').trim();
  if (t === '') return undefined;
  return /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(t) ? Number(t) : t;
}

/** The indexes used under `prefix[i].` in the form, ascending (gaps from removed rows are closed). */
function indexes(fields: FormFields, prefix: string): number[] {
  const found = new Set<number>();
  const re = new RegExp(`^${prefix.replace(/[.[\]]/g, '\\$&')}\\[(\\d+)\\]`);
  for (const key of Object.keys(fields)) {
    const m = re.exec(key);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

const withoutUndefined = (o: Draft): Draft =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function questionFromForm(f: FormFields, p: string): Draft {
  const type = one(f[`${p}.type`]) ?? '';
  const base = {
    id: one(f[`${p}.id`]) ?? '',
    type,
    prompt: one(f[`${p}.prompt`]) ?? '',
    points: numberOrText(one(f[`${p}.points`])),
  };
  if (type === 'single-choice' || type === 'multiple-choice') {
    const choices = indexes(f, `${p}.choices`).map((k) => ({
      id: one(f[`${p}.choices[${k}].id`]) ?? '',
      text: one(f[`${p}.choices[${k}].text`]) ?? '',
      k,
    }));
    const chosen = new Set(many(f[`${p}.correct`]).map(Number));
    return withoutUndefined({
      ...base,
      choices: choices.map(({ id, text }) => ({ id, text })),
      correct: choices.filter((c) => chosen.has(c.k)).map((c) => c.id),
    });
  }
  if (type === 'true-false')
    return withoutUndefined({ ...base, correct: one(f[`${p}.correct`]) !== 'false' });
  if (type === 'numeric')
    return withoutUndefined({
      ...base,
      correct: numberOrText(one(f[`${p}.correct`])),
      tolerance: numberOrText(one(f[`${p}.tolerance`])),
    });
  return withoutUndefined({ ...base, correct: lines(one(f[`${p}.correct`])) });
}

function scaleFromForm(f: FormFields, p: string) {
  return { labels: lines(one(f[`${p}.scale.labels`])) };
}

/** Reads the posted editor form into a content-shaped draft (not yet validated). */
export function draftFromForm(f: FormFields): Draft {
  const present = new Set(many(f.sections));
  const draft: Draft = {
    pages: indexes(f, 'pages').map((i) => ({
      id: one(f[`pages[${i}].id`]) ?? '',
      title: one(f[`pages[${i}].title`]) ?? '',
      format: one(f[`pages[${i}].format`]) ?? 'markdown',
      body: one(f[`pages[${i}].body`]) ?? '',
    })),
  };
  if (present.has('external'))
    draft.external = withoutUndefined({
      url: one(f['external.url']) ?? '',
      activityId: one(f['external.activityId']) ?? '',
      moveOn: one(f['external.moveOn']) ?? 'Completed',
      masteryScore: numberOrText(one(f['external.masteryScore'])),
    });
  for (const t of TESTS)
    if (present.has(t))
      draft[t] = {
        masteryScore: numberOrText(one(f[`${t}.masteryScore`])),
        questions: indexes(f, `${t}.questions`).map((j) => questionFromForm(f, `${t}.questions[${j}]`)),
      };
  if (present.has('survey'))
    draft.survey = {
      anonymous: one(f['survey.anonymous']) === 'on',
      items: indexes(f, 'survey.items').map((j) => {
        const p = `survey.items[${j}]`;
        const type = one(f[`${p}.type`]) ?? '';
        const item: Draft = { id: one(f[`${p}.id`]) ?? '', type, prompt: one(f[`${p}.prompt`]) ?? '' };
        if (type === 'likert') item.scale = scaleFromForm(f, p);
        return item;
      }),
    };
  if (present.has('observation'))
    draft.observation = {
      items: indexes(f, 'observation.items').map((j) => {
        const p = `observation.items[${j}]`;
        return {
          id: one(f[`${p}.id`]) ?? '',
          behaviour: one(f[`${p}.behaviour`]) ?? '',
          scale: scaleFromForm(f, p),
        };
      }),
    };
  const attemptLimit = numberOrText(one(f.attemptLimit));
  if (attemptLimit !== undefined) draft.attemptLimit = attemptLimit;
  // The editor sends a hidden "off" before the checkbox ("on" when ticked). Default on: only an unticked
  // box is written down; a form without the field leaves the choice as it is.
  const review = f.reviewAfterFail === undefined ? [] : [f.reviewAfterFail].flat();
  if (review.length && !review.includes('on')) draft.reviewAfterFail = false;
  return draft;
}

const list = (v: unknown): Draft[] => (Array.isArray(v) ? (v as Draft[]) : []);
const nextId = (items: Draft[], prefix: string) => {
  let n = items.length + 1;
  while (items.some((i) => i.id === `${prefix}${n}`)) n++;
  return `${prefix}${n}`;
};

export function blankQuestion(type: string, existing: Draft[]): Draft {
  const id = nextId(existing, 'q');
  if (type === 'multiple-choice' || type === 'single-choice')
    return {
      id,
      type,
      prompt: '',
      choices: [
        { id: 'a', text: '' },
        { id: 'b', text: '' },
      ],
      correct: [],
    };
  if (type === 'true-false') return { id, type, prompt: '', correct: true };
  if (type === 'numeric') return { id, type, prompt: '', correct: '', tolerance: 0 };
  return { id, type: 'fill-in', prompt: '', correct: [] };
}

function blankSection(section: SectionKey): Draft {
  if (section === 'external') return { url: '', activityId: '', moveOn: 'Completed' };
  if (section === 'survey')
    return {
      anonymous: true,
      items: [{ id: 'useful', type: 'likert', prompt: '', scale: { labels: FIVE_POINT } }],
    };
  if (section === 'observation')
    return { items: [{ id: 'o1', behaviour: '', scale: { labels: FIVE_POINT } }] };
  return { masteryScore: 0.8, questions: [blankQuestion('single-choice', [])] };
}

/**
 * Applies an editor button (`add-page`, `add-question:postTest`, `add-choice:postTest.questions[1]`,
 * `add-item:survey`, `add-section:preTest`, `remove:<path>`) to the draft, in place. `types` holds the
 * chosen type of the item to add. Returns false for an unknown action.
 */
export function applyEditorAction(draft: Draft, action: string, types: FormFields): boolean {
  const [verb, arg = ''] = action.split(/:(.*)/s, 2) as [string, string?];
  if (verb === 'add-page') {
    const pages = list(draft.pages);
    pages.push({ id: nextId(pages, 'page-'), title: '', format: 'markdown', body: '' });
    draft.pages = pages;
    return true;
  }
  if (verb === 'add-section' && (SECTIONS as readonly string[]).includes(arg)) {
    draft[arg] ??= blankSection(arg as SectionKey);
    return true;
  }
  if (verb === 'add-question' && (TESTS as readonly string[]).includes(arg)) {
    const test = (draft[arg] ??= blankSection(arg as TestKey)) as Draft;
    const questions = list(test.questions);
    const type = one(types[`newType.${arg}`]) ?? 'single-choice';
    questions.push(blankQuestion(type in QUESTION_TYPE_LABELS ? type : 'single-choice', questions));
    test.questions = questions;
    return true;
  }
  if (verb === 'add-choice') {
    const q = at(draft, arg) as Draft | undefined;
    if (!q) return false;
    const choices = list(q.choices);
    let code = 97 + choices.length;
    while (choices.some((c) => c.id === String.fromCharCode(code))) code++;
    choices.push({ id: code <= 122 ? String.fromCharCode(code) : `c${choices.length + 1}`, text: '' });
    q.choices = choices;
    return true;
  }
  if (verb === 'add-item' && (arg === 'survey' || arg === 'observation')) {
    const section = (draft[arg] ??= blankSection(arg)) as Draft;
    const items = list(section.items);
    if (arg === 'observation')
      items.push({ id: nextId(items, 'o'), behaviour: '', scale: { labels: FIVE_POINT } });
    else {
      const type = one(types['newType.survey']) ?? 'likert';
      const item: Draft = {
        id: nextId(items, 'item-'),
        type: type in SURVEY_ITEM_LABELS ? type : 'likert',
        prompt: '',
      };
      if (item.type === 'likert') item.scale = { labels: FIVE_POINT };
      items.push(item);
    }
    section.items = items;
    return true;
  }
  if (verb === 'remove') return removeAt(draft, arg);
  return false;
}

/** `postTest.questions[1]` -> ['postTest', 'questions', 1]. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) out.push(m[1] ?? Number(m[2]));
  return out;
}

function at(root: unknown, path: string): unknown {
  let node = root;
  for (const key of pathSegments(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function removeAt(draft: Draft, path: string): boolean {
  const segments = pathSegments(path);
  const last = segments.pop();
  if (last === undefined) return false;
  const parent = segments.length
    ? at(
        draft,
        segments
          .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
          .join('')
          .replace(/^\./, ''),
      )
    : draft;
  if (Array.isArray(parent) && typeof last === 'number') {
    parent.splice(last, 1);
    return true;
  }
  if (parent && typeof parent === 'object' && typeof last === 'string') {
    delete (parent as Draft)[last];
    return true;
  }
  return false;
}
