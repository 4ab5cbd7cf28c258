import type { AttemptPolicy, DenominatorRule, KpiRules } from '../../cohorts/model.js';
import { STALLED_AFTER_DAYS } from './model.js';

/**
 * The one source of the KPI definitions (issue #21): each entry's `text` is rendered into the
 * "Definitions" section of docs/kpi-reports.md (test/unit/reports/kpi/definitions.test.ts holds the doc
 * to it), and its `rule` is the one line a page, chart caption or CSV states about the rule it used.
 */
export interface KpiDefinition {
  id: string;
  name: string;
  /** The definition in the docs' words (Markdown, one paragraph): numerator, denominator, which attempt, which learners, which statements. */
  text: string;
  /** The rule a report used, in one line, given the rules it ran under. */
  rule(rules: KpiRules): string;
}

/** The attempt policies as a program's settings page offers them. */
export const ATTEMPT_POLICY_CHOICES: Record<AttemptPolicy, string> = {
  first: 'First completed attempt (default: retakes do not inflate scores)',
  best: 'Best attempt',
  latest: 'Latest completed attempt',
};

/** The denominator rules as a program's settings page offers them. */
export const DENOMINATOR_CHOICES: Record<DenominatorRule, string> = {
  assigned: 'Everyone assigned, withdrawn learners included (intention to treat; default)',
  'enrolled-now': 'Only learners enrolled now',
};

const ATTEMPT_WORDS: Record<AttemptPolicy, string> = {
  first: "each learner's first completed post-test attempt",
  best: "each learner's best post-test attempt",
  latest: "each learner's latest completed post-test attempt",
};

const DENOMINATOR_WORDS: Record<DenominatorRule, string> = {
  assigned: 'every learner assigned by the end of the range, withdrawn ones included (intention to treat)',
  'enrolled-now': 'learners enrolled now (withdrawn ones left out)',
};

const DENOMINATOR_SHORT: Record<DenominatorRule, string> = {
  assigned: 'intention to treat',
  'enrolled-now': 'enrolled now',
};

/** Who the report counts, in words ("every assigned learner, withdrawn ones included ..."). */
export const denominatorWords = (rules: KpiRules): string => DENOMINATOR_WORDS[rules.denominator];

/** The rule's short name for a card beside the full rule line ("intention to treat"). */
export const denominatorShortWords = (rules: KpiRules): string => DENOMINATOR_SHORT[rules.denominator];

/** Which post-test attempt counts, in words ("each learner's first completed post-test attempt"). */
export const attemptWords = (rules: KpiRules): string => ATTEMPT_WORDS[rules.attemptPolicy];

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    id: 'assigned',
    name: 'Assigned learners',
    text:
      "The denominator of every rate. A course's learners are its learner enrollments; a program's, its " +
      'cohort members linked to an LMS user (`person.lms_user_id`); narrowed by the cohort filter. Rule ' +
      '`assigned` (default, intention to treat): everyone ever assigned, including learners whose enrollment ' +
      'has ended since, so ending a non-completer cannot raise a past rate. Rule `enrolled-now`: only ' +
      'active enrollments (for a program: members with an active learner enrollment in a course of its ' +
      'modules). Either rule counts as of the end of the date range (now without one): a course counts the ' +
      'enrollments made before that date (`enrollment.enrolled_at`, set by the LTI launch or roster sync that ' +
      'first enrolled the learner; enrollments made before Yardstick kept the date count at any date), so a ' +
      "learner enrolled later is not in an earlier range's denominator; a program counts its cohort members " +
      'whatever the range. Either way the withdrawn (assigned, no longer enrolled) are shown as their own ' +
      'count. Only assigned learners are counted anywhere, so a stray actor never inflates a rate; a ' +
      're-enrolment reactivates the same enrollment (its start kept, the end a roster sync recorded in ' +
      '`ended_at` cleared), so a learner counts once.',
    rule: (r) => `Learners: ${denominatorWords(r)}.`,
  },
  {
    id: 'completion',
    name: 'Completion rate',
    text:
      'Assigned learners with a `completed` statement in the module / assigned learners, with a 95% Wilson ' +
      'interval (`reports/stats/wilson.ts`, R `prop.test(correct = FALSE)`). A voided completion counts as ' +
      'never sent; a learner who completed and then withdrew stays a completer under `assigned` and leaves ' +
      'numerator and denominator together under `enrolled-now`.',
    rule: (r) => `Completion = learners with a completed statement / ${denominatorWords(r)}.`,
  },
  {
    id: 'started',
    name: 'Started',
    text:
      'A learner started a module when they have a `launched` or `initialized` statement in it (module counts, ' +
      'the learner list, the export and the drill-down alike); a resumed module is started once. The weekly ' +
      "table counts a start in the week of the learner's first `launched` of the module.",
    rule: () => 'Started: a launched or initialized statement in the module, counted once.',
  },
  {
    id: 'mastery',
    name: 'Mastery rate',
    text:
      'Learners whose counted post-test attempt passed / learners with a completed post-test attempt (one ' +
      'with a `passed` or `failed` verdict, matched to its answers by the attempt registration). Which attempt ' +
      'counts is the program setting `attemptPolicy`: `first` (default) the first completed attempt, `best` ' +
      'passed in any attempt, `latest` the newest completed attempt. Attempts are ordered by their newest ' +
      'answer (ties: the higher registration is later), the same order the question analysis uses. Retakes ' +
      'are reported separately: learners with more than one completed attempt, those who passed on a retake ' +
      'after failing first, and those who failed a retake after passing.',
    rule: (r) => `Mastery counts ${attemptWords(r)}; learners: ${denominatorWords(r)}.`,
  },
  {
    id: 'pre-post',
    name: 'Pre/post scores',
    text:
      "An attempt's score is the share of its answers (phase pre or post) that are correct. A learner's pre " +
      'score comes from their first attempt with pre-test answers; the post score from the attempt the ' +
      '`attemptPolicy` picks among completed post-test attempts (`first` by default, so retaking until passing ' +
      'does not raise the post mean; `best` the highest score; `latest` the newest). Paired mean difference in ' +
      'percentage points with a Student t interval (R `t.test(paired = TRUE)`) over the learners with both.',
    rule: (r) => `Pre: first attempt; post: ${attemptWords(r)}.`,
  },
  {
    id: 'gain',
    name: 'Normalised gain',
    text:
      "Hake's normalised gain over the learners with both scores: the class gain (post mean - pre mean) / " +
      "(100 - pre mean), and the mean of the learners' gains (post - pre) / (100 - pre). A learner whose pre " +
      'score is 100% has no room to gain: they are counted "at ceiling", shown next to the gain, and left out ' +
      "of the mean learner gain only; the table's learner counts are the statistic's.",
    rule: () =>
      'Gain: Hake; learners at 100% on the pre-test are counted at ceiling, not in the mean learner gain.',
  },
  {
    id: 'time-on-task',
    name: 'Time on task',
    text:
      'Per learner, the total of the `result.duration` of their `terminated` and `abandoned` statements in the ' +
      'module (a total per learner, not per session); median and 90th percentile across learners with ' +
      '`percentile_cont` (= R type 7). A duration more than a second longer than its session lasted (from the `launched` or ' +
      '`initialized` statement with its session id, to it) counts as that span: the capture rules (gaps ' +
      'between statements, each capped at 300 s) cannot produce more, and the data-quality panel counts such ' +
      'sessions. A duration whose session start is unknown (no session id, or the start not stored before ' +
      'it) counts as stored. Sessions = those statements; estimated sessions = ' +
      'abandoned ones and those with `duration_estimated` true.',
    rule: () =>
      'Time: total per learner over their sessions, each capped at its span; median and 90th percentile across learners.',
  },
  {
    id: 'questions',
    name: 'Questions',
    text:
      "Post-test, per module version, each learner's latest post-test attempt (newest answer; ties to the " +
      'higher registration), unanswered = 0: difficulty (share correct), corrected point-biserial (item vs rest ' +
      'score), upper-lower 27% index, and option counts overall / upper / lower, as ' +
      '`reports/stats/item-analysis.ts` defines them.',
    rule: () => "Questions: each learner's latest post-test attempt.",
  },
  {
    id: 'surveys',
    name: 'Surveys',
    text:
      'Likert distributions (level counts, percentages, mean, top-two box), NPS (promoters 9-10, passives 7-8, ' +
      'detractors 0-6), free text with counts (escaped, never with a name). Where the respondent is known ' +
      '(`anonymous: false`) respondents are people: assigned learners, once each. Anonymous answers carry a ' +
      'fresh actor per response, so they are counted in responses, by course or program alone (a respondent ' +
      'who has since left is still counted), and left out when a cohort is chosen. Whether an item is anonymous ' +
      'follows its answers, not the newest module version. Under a version filter the items, their wording ' +
      "and the anonymity setting are that version's. Without one, an answered item is shown as worded in the " +
      'newest version its answers were given in (an item answered only in an older version is listed too), ' +
      'with the versions its answers span; when those versions word it differently the row says so and the ' +
      'counts pool the wordings (choose a version to see each). An answer is read as a level ' +
      'number ("4", 1-based; NPS "0"-"10") or as the label text; anything else is counted as unreadable.',
    rule: () => 'Surveys: people where the respondent is known, responses where anonymous.',
  },
  {
    id: 'observations',
    name: 'Observations',
    text: "Level 3: each observed assigned learner's latest rating per behaviour item.",
    rule: () => "Observations: each observed learner's latest rating.",
  },
  {
    id: 'enrollment-change',
    name: 'Enrollment change',
    text:
      'Learners whose first `launched` falls in the N days before the campaign date, out of those not started ' +
      'before that window, vs the same for the N days from the date (`reports.campaignWindowDays`, default ' +
      '14); two Wilson intervals and the difference in points.',
    rule: (r) => `Enrollment: first launches; learners: ${denominatorWords(r)}.`,
  },
  {
    id: 'learner-status',
    name: 'Learner status',
    text:
      "The course report's learner table and the per-learner export: completed = every module of the scope " +
      'completed (and there is one), in progress = some module started or completed, else not started; ' +
      `stalled = in progress with no launch or completion in the last ${STALLED_AFTER_DAYS} days; failed = a module with a ` +
      '`failed` verdict and no `passed` one. Classified in SQL (`kpi-learner-list-sql.ts`), so the table ' +
      'searches, filters, sorts and pages in the database; a last activity in a week withheld for privacy ' +
      'is not dated and sorts as none.',
    rule: () =>
      `Status: completed = every module completed; stalled = in progress, idle ${STALLED_AFTER_DAYS} days.`,
  },
  {
    id: 'weekly',
    name: 'Weekly',
    text:
      'Distinct assigned learners per ISO week (Monday, UTC) who started a module (their first `launched` of ' +
      'it falls in the week, so a module resumed later is not started again), completed one, or did anything.',
    rule: () => 'Weekly: distinct learners per ISO week; started = first launch of a module.',
  },
];

/** The definition with this id; throws for an unknown id (a typo in a caller). */
export function kpiDefinition(id: string): KpiDefinition {
  const d = KPI_DEFINITIONS.find((x) => x.id === id);
  if (!d) throw new Error(`no KPI definition "${id}"; see src/reports/kpi/definitions.ts`);
  return d;
}

/** The "Definitions" section of docs/kpi-reports.md, as the registry writes it (without its heading). */
export function definitionsMarkdown(): string {
  return KPI_DEFINITIONS.map((d) => wrap(`- **${d.name}** (\`${d.id}\`): ${d.text}`)).join('\n') + '\n';
}

/** Wraps a list item at 110 columns, continuation lines indented by two spaces. */
function wrap(item: string, width = 110): string {
  const lines: string[] = [];
  let line = '';
  for (const word of item.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (next.length > width && line) {
      lines.push(line);
      line = `  ${word}`;
    } else line = next;
  }
  lines.push(line);
  return lines.join('\n');
}
