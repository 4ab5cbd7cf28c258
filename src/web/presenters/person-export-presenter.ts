import type { ExportItem, PersonExport } from '../../privacy/model.js';
import { formatCount, formatDate, formatDateTime } from './format.js';

/** Rows of one store shown in the readable summary; the JSON file always holds every row. */
export const SUMMARY_ROWS_PER_SECTION = 1000;
/** A cell longer than this is cut in the summary (the JSON file holds it whole). */
const CELL_CHARS = 400;

export interface ExportSectionView {
  id: string;
  title: string;
  explanation: string;
  count: string;
  columns: string[];
  rows: string[][];
  /** "The other 1,234 rows are in the JSON file." when the section is cut. */
  more: string | null;
}

export interface PersonExportView {
  title: string;
  exportedAt: string;
  who: { label: string; values: string[] }[];
  sections: ExportSectionView[];
  notes: string[];
}

/** Each store in the words of the person it is about; unknown stores fall back to `OTHER`. */
const STORES: Record<string, { title: string; explanation: string }> = {
  'person (people table)': {
    title: 'Your employee record',
    explanation: 'The row your employer imported for you: employee id, email and name.',
  },
  lti_user: {
    title: 'Your accounts on learning platforms',
    explanation: 'One per learning platform (LMS) you opened Yardstick from.',
  },
  enrollment: { title: 'Course enrolments', explanation: 'Courses you were enrolled in, and in which role.' },
  'xapi_statement (as actor, object or in context)': {
    title: 'Learning records that name you',
    explanation:
      'Each record is one thing that happened: a page viewed, a question answered, a module completed.',
  },
  'xapi_statement (voiding or referring to their statements)': {
    title: 'Learning records that refer to yours',
    explanation: 'Records by others (or by the system) that cancel or point to one of your records.',
  },
  xapi_attachment: {
    title: 'Files attached to your learning records',
    explanation: 'Files sent with your records, such as certificates; their contents are in the JSON file.',
  },
  'xapi_document (state and agent profile)': {
    title: 'Saved progress and profile documents',
    explanation: 'What a course saved to resume where you left off, and profile data about you.',
  },
  cmi5_launch: {
    title: 'Course launches',
    explanation: 'Each time a packaged course was started for you.',
  },
  learning_session: { title: 'Learning sessions', explanation: 'When you were working in a module.' },
  'learning_attempt (attempts and scores)': {
    title: 'Quiz and module attempts, with scores',
    explanation: 'Each attempt at a module or quiz and its result.',
  },
  learning_time_total: {
    title: 'Time spent per module',
    explanation: 'Totals of time spent in each module.',
  },
  'learning_observation (as learner or observer)': {
    title: 'Manager observations',
    explanation: 'Observations made about you, or made by you about someone else.',
  },
  module_experiment_assignment: {
    title: 'Module versions you were shown',
    explanation: 'When a module was being compared in two versions, which one you saw.',
  },
  'lti_grade_passback (grades sent)': {
    title: 'Grades sent to your learning platform',
    explanation: 'Scores Yardstick sent back to the LMS gradebook.',
  },
  lti_session: {
    title: 'Sign-in sessions',
    explanation: 'Sessions opened when you launched Yardstick from your LMS.',
  },
  'cohort_member (cohort assignments)': {
    title: 'Program groups you were assigned to',
    explanation: 'The group (cohort) of a training program you were placed in, and when.',
  },
  program_effect_person: {
    title: 'Program effect records',
    explanation: 'Your row in the calculation of a training program’s effect.',
  },
  outcome_payroll: {
    title: 'Payroll records',
    explanation: 'Retirement-plan deferrals and contributions, by month.',
  },
  outcome_plan_participation: {
    title: 'Benefit plan participation',
    explanation: 'Whether you were in a benefit plan, by date.',
  },
  outcome_claim: { title: 'Benefit claims', explanation: 'Claims with their type, cost and date.' },
  outcome_hris: {
    title: 'HR records',
    explanation: 'Absence days, separation and productivity, by month.',
  },
  'outcome_import_row (staged, not yet accepted)': {
    title: 'Imported HR rows awaiting review',
    explanation: 'Rows of an outcome file that an administrator has not accepted yet.',
  },
  'pgboss.job': { title: 'Queued background tasks', explanation: 'Tasks waiting to run that name you.' },
};
const OTHER = {
  title: 'Other stored records',
  explanation: 'Records kept by the software Yardstick is built on that name you.',
};

/** Columns that say nothing to the person (keys, hashes of secrets). */
const HIDDEN = /^(tenant_id|.*_hash|content_base64)$/;

/**
 * The readable summary of an access-request export (GDPR art. 15): one section per store with its
 * count and rows in words (dates as "Dec 7, 2026", yes/no, no column or table code names), then what
 * the export leaves out and why. Strings are left as they are: the template escapes them.
 */
export function personExportView(exported: PersonExport): PersonExportView {
  const bySource = new Map<string, ExportItem[]>();
  for (const item of exported.items) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
  const sections = [...bySource].map(([source, items], i) => section(`store-${i + 1}`, source, items));
  return {
    title: 'What Yardstick holds about you',
    exportedAt: formatDateTime(new Date(exported.exportedAt)),
    who: whoRows(exported),
    sections,
    notes: exported.notes,
  };
}

function whoRows(exported: PersonExport): PersonExportView['who'] {
  const { ltiUsers, people } = exported.identity;
  const values = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];
  return [
    { label: 'Names', values: values([...people.map((p) => p.displayName), ...ltiUsers.map((u) => u.name)]) },
    {
      label: 'Email addresses',
      values: values([...people.map((p) => p.email), ...ltiUsers.map((u) => u.email)]),
    },
    { label: 'Employee ids', values: values(people.map((p) => p.employeeId)) },
    {
      label: 'Learning platform accounts',
      values: values(ltiUsers.map((u) => `${u.xapiName} at ${u.xapiHomePage}`)),
    },
  ].filter((r) => r.values.length > 0);
}

function section(id: string, source: string, items: ExportItem[]): ExportSectionView {
  const store = STORES[source] ?? (source.startsWith('pgboss.') ? STORES['pgboss.job']! : OTHER);
  const shown = items.slice(0, SUMMARY_ROWS_PER_SECTION);
  const more = items.length - shown.length;
  const table = source.startsWith('xapi_statement') ? statementTable(shown) : genericTable(shown);
  return {
    id,
    ...store,
    count: `${formatCount(items.length)} ${items.length === 1 ? 'record' : 'records'}`,
    ...table,
    more: more > 0 ? `The other ${formatCount(more)} records are in the JSON file.` : null,
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** A statement as a sentence's parts: when, what, which activity, with what result. */
function statementTable(items: ExportItem[]) {
  return {
    columns: ['When', 'What happened', 'Activity', 'Result', 'Cancelled'],
    rows: items.map((item) => {
      const row = obj(item.data);
      const s = obj(row.statement);
      const verb = obj(s.verb);
      const object = obj(s.object);
      const definition = obj(object.definition);
      return [
        cell(s.timestamp ?? row.stored),
        text(firstLanguage(verb.display) ?? lastSegment(verb.id)),
        text(firstLanguage(definition.name) ?? object.id ?? object.name ?? object.objectType),
        resultText(obj(s.result)),
        row.voided === true ? 'yes' : 'no',
      ];
    }),
  };
}

function resultText(result: Json): string {
  const parts: string[] = [];
  const score = obj(result.score);
  if (typeof score.scaled === 'number') parts.push(`score ${Math.round(score.scaled * 100)}%`);
  else if (typeof score.raw === 'number')
    parts.push(`score ${score.raw}${typeof score.max === 'number' ? ` of ${score.max}` : ''}`);
  if (typeof result.success === 'boolean') parts.push(result.success ? 'passed' : 'not passed');
  if (result.completion === true) parts.push('completed');
  if (typeof result.response === 'string') parts.push(`answer: ${result.response}`);
  return text(parts.join('; '));
}

/** Any other store: its columns in words, its values formatted for people. */
function genericTable(items: ExportItem[]) {
  const keys = [...new Set(items.flatMap((i) => Object.keys(obj(i.data))))].filter((k) => !HIDDEN.test(k));
  return {
    columns: keys.map(columnLabel),
    rows: items.map((item) => keys.map((k) => cell(obj(item.data)[k]))),
  };
}

/** `score_given` -> "Score given"; `lti_user_id` -> "LMS user id". */
export function columnLabel(key: string): string {
  const words = key
    .replace(/_at$/, '')
    .split('_')
    .map((w) => ({ lti: 'LMS', lms: 'LMS', xapi: 'xAPI', id: 'id', pct: '%', iri: 'address' })[w] ?? w);
  const label = words.join(' ');
  return label[0]!.toUpperCase() + label.slice(1);
}

/** A stored value in words: dates and moments for people, yes/no, nested data as compact JSON. */
export function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (/^\d{4}-\d\d-\d\d$/.test(value)) return formatDate(value);
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) && !Number.isNaN(Date.parse(value)))
      return formatDateTime(new Date(value));
    return text(value);
  }
  return text(JSON.stringify(value));
}

function text(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return s.length > CELL_CHARS ? `${s.slice(0, CELL_CHARS)}… (the whole value is in the JSON file)` : s;
}

function firstLanguage(map: unknown): string | undefined {
  const m = obj(map);
  const value = m['en-US'] ?? m.en ?? Object.values(m)[0];
  return typeof value === 'string' ? value : undefined;
}

function lastSegment(iri: unknown): string {
  return typeof iri === 'string' ? (iri.split(/[/#]/).pop() ?? iri) : '';
}
