import type {
  GroupKpi,
  KpiOverview,
  KpiReport,
  ModuleOverview,
  QualityReport,
} from './kpi-report-service.js';
import type { ItemKpi } from './question-analysis.js';
import type { ScoreChange } from './score-change.js';
import type { Rate } from './rates.js';
import type { WeekRow } from './model.js';
import { isSuppressed } from './privacy.js';

/**
 * The small-cell rule at every level a report shows (issue #18): the KPI calculators withhold an
 * aggregate whose own denominator is small; these functions withhold the groups they do not see (a
 * week, a cohort column, the upper and lower 27% of a question, the learners behind a data-quality
 * count) and whole reports that another request of the same role would turn into a small group by
 * subtraction (docs/privacy.md, "Differencing"). Pure: the facts come from the caller.
 */

/**
 * Learners in each of the upper and lower groups of an item analysis over `n` learners: max(1,
 * round half up of 0.27 n), as src/storage/repositories/kpi-item-analysis.ts computes them.
 */
export function upperLowerGroupSize(n: number): number {
  return Math.max(1, Math.floor((27 * n + 50) / 100));
}

/** A week row with its counts zeroed and marked withheld. */
function withheldWeek(w: WeekRow): WeekRow {
  return { week: w.week, started: 0, completed: 0, active: 0, suppressed: true };
}

/** Weeks whose active learners are fewer than the minimum are withheld, counts and all. */
export function withholdSmallWeeks(weekly: readonly WeekRow[], minimum: number): WeekRow[] {
  return weekly.map((w) => (isSuppressed(w.active, minimum) ? withheldWeek(w) : w));
}

/**
 * Which answer choices of a question to withhold: every choice chosen by 1 to `minimum - 1` learners,
 * and, since the question's learners minus the choices shown give the withheld ones' total, further
 * choices (smallest first) until that total is 0 or at least `minimum`. Keys are option ids; `null`
 * stands for the omitted count.
 */
export function withheldChoices(
  learners: number,
  counts: readonly { option: string | null; count: number }[],
  minimum: number,
): Set<string | null> {
  const withheld = new Set(counts.filter((c) => isSuppressed(c.count, minimum)).map((c) => c.option));
  const hiddenTotal = () => counts.filter((c) => withheld.has(c.option)).reduce((s, c) => s + c.count, 0);
  const shownTotal = () => counts.filter((c) => !withheld.has(c.option)).reduce((s, c) => s + c.count, 0);
  // What the learners minus the shown counts leave: the withheld choices, plus any the counts miss.
  const leftOver = () => Math.max(hiddenTotal(), learners - shownTotal());
  for (const c of [...counts].sort((a, b) => a.count - b.count)) {
    if (!isSuppressed(leftOver(), minimum)) break;
    if (c.count > 0) withheld.add(c.option);
  }
  return withheld;
}

/**
 * The question analysis held to the minimum at each level it shows: a choice chosen by few learners
 * (and its complement, see `withheldChoices`) loses its count; a question whose upper and lower 27%
 * groups have fewer than `minimum` learners each loses the numbers computed over those groups (the
 * upper and lower counts of every choice and the index D).
 */
export function withholdSmallItemGroups(items: readonly ItemKpi[], minimum: number): ItemKpi[] {
  return items.map((i) => {
    const counts = [
      ...i.options.map((o) => ({ option: o.option as string | null, count: o.count })),
      { option: null, count: i.omitted },
    ];
    const choices = withheldChoices(i.learners, counts, minimum);
    const groups = isSuppressed(upperLowerGroupSize(i.learners), minimum);
    return {
      ...i,
      ...(groups ? { upperLowerIndex: 0, groupsSuppressed: true } : {}),
      omitted: choices.has(null) ? 0 : i.omitted,
      omittedSuppressed: choices.has(null) || undefined,
      options: i.options.map((o) => ({
        ...o,
        ...(choices.has(o.option) ? { count: 0, countSuppressed: true } : {}),
        ...(groups ? { upperCount: 0, lowerCount: 0 } : {}),
      })),
    };
  });
}

const suppressedRate = (minimum: number): Rate => ({ status: 'suppressed', minimum });
const keepEmpty = (rate: Rate, minimum: number): Rate =>
  rate.status === 'empty' ? rate : suppressedRate(minimum);

function suppressedScores(_s?: ScoreChange): ScoreChange {
  return {
    pairs: 0,
    prePercentMean: null,
    postPercentMean: null,
    paired: null,
    pairedNote: null,
    gain: null,
    suppressed: true,
  };
}

function withheldGroup(g: GroupKpi, minimum: number): GroupKpi {
  return {
    ...g,
    assigned: 0,
    sizeSuppressed: true,
    modules: g.modules.map((m) => ({
      moduleId: m.moduleId,
      completion: keepEmpty(m.completion, minimum),
      mastery: keepEmpty(m.mastery, minimum),
      scores: suppressedScores(m.scores),
    })),
  };
}

/**
 * Cohort columns: a cohort with fewer than `minimum` members is withheld; and since the report's
 * whole (`assigned`) minus the cohorts shown is a group too, further cohorts are withheld, smallest
 * first, until what is left over is empty or at least `minimum` (complementary suppression).
 */
export function withholdSmallGroups(
  groups: readonly GroupKpi[],
  assigned: number,
  minimum: number,
): GroupKpi[] {
  const withheld = new Set(groups.filter((g) => isSuppressed(g.assigned, minimum)).map((g) => g.cohortId));
  const leftOver = () =>
    assigned - groups.filter((g) => !withheld.has(g.cohortId)).reduce((sum, g) => sum + g.assigned, 0);
  const bySize = [...groups].sort((a, b) => a.assigned - b.assigned);
  for (const g of bySize) {
    if (!isSuppressed(leftOver(), minimum)) break;
    withheld.add(g.cohortId);
  }
  return groups.map((g) => (withheld.has(g.cohortId) ? withheldGroup(g, minimum) : g));
}

/** What another request of the same role would show beside this report (see `differencingRisk`). */
export interface DifferencingFacts {
  /** Learners the report would assign without its cohort filter; null without a cohort filter. */
  assignedWithoutCohort: number | null;
  /**
   * Learners active on the nearest day with any activity before the report's `from` and on or after
   * its `to` (scope otherwise unchanged); null when the bound is open or no such day exists.
   */
  activeBeforeFrom: number | null;
  activeFromTo: number | null;
}

/**
 * Why the report must be withheld as a whole, or null: when subtracting it from a report the same
 * role can request leaves a group of 1 to `minimum - 1` learners. Covered: the same report without
 * the cohort filter (its assigned learners minus these), and a date range widened by any number of
 * days at either end (the smallest such difference is the nearest active day's learners, since
 * widening only adds learners).
 */
export function differencingRisk(assigned: number, facts: DifferencingFacts, minimum: number): string | null {
  const small = (n: number | null) => n !== null && isSuppressed(n, minimum);
  if (facts.assignedWithoutCohort !== null && small(facts.assignedWithoutCohort - assigned))
    return `Withheld: the whole course or program minus this cohort is fewer than ${minimum} learners, so the two reports side by side would show their results.`;
  if (small(facts.activeBeforeFrom))
    return `Withheld: fewer than ${minimum} learners were active on the last active day before this date range, so this report and one starting a day earlier would show their results by subtraction.`;
  if (small(facts.activeFromTo))
    return `Withheld: fewer than ${minimum} learners were active on the first active day after this date range, so this report and one ending a day later would show their results by subtraction.`;
  return null;
}

function withheldModule<M extends ModuleOverview>(m: M, minimum: number): M {
  const items = 'items' in m ? { items: [] as ItemKpi[], itemsSuppressed: true } : {};
  return {
    ...m,
    started: 0,
    completion: keepEmpty(m.completion, minimum),
    mastery: keepEmpty(m.mastery, minimum),
    time: null,
    timeSuppressed: m.time !== null || m.timeSuppressed,
    scores: suppressedScores(m.scores),
    survey: m.survey.map((i) => withheldItem(i)),
    observations: m.observations.map((i) => withheldItem(i)),
    ...items,
  };
}

function withheldItem(i: ModuleOverview['survey'][number]): ModuleOverview['survey'][number] {
  return { ...i, respondents: 0, suppressed: true, likert: null, nps: null, texts: [], unreadable: 0 };
}

/** Every number of the report withheld (its modules and assigned learners still listed), with why. */
export function withholdWholeReport<R extends KpiOverview>(r: R, reason: string): R {
  const min = r.minimumGroupSize;
  return {
    ...r,
    withheldReason: reason,
    modules: r.modules.map((m) => withheldModule(m, min)),
    weekly: r.weekly.map(withheldWeek),
    weeklySuppressed: true,
    enrollment: r.enrollment
      ? {
          ...r.enrollment,
          before: keepEmpty(r.enrollment.before, min),
          after: keepEmpty(r.enrollment.after, min),
          changePoints: null,
        }
      : null,
    groups: r.groups.map((g) => withheldGroup(g, min)),
  };
}

/**
 * The report with every group it shows held to the minimum: small weeks, small cohort columns (and
 * their complement), small upper/lower question groups; withheld whole when `facts` say another
 * request would expose a small group by subtraction.
 */
export function withholdSmallCells<R extends KpiOverview>(r: R, facts: DifferencingFacts): R {
  const min = r.minimumGroupSize;
  const reason = differencingRisk(r.assigned, facts, min);
  if (reason) return withholdWholeReport(r, reason);
  return {
    ...r,
    weekly: withholdSmallWeeks(r.weekly, min),
    groups: withholdSmallGroups(r.groups, r.assigned, min),
    modules: r.modules.map((m) =>
      'items' in m
        ? { ...m, items: withholdSmallItemGroups((m as KpiReport['modules'][number]).items, min) }
        : m,
    ),
  };
}

/** Names of the checks of quality-checks.ts this rule treats apart. */
const LEARNER_CHECKS = new Set([
  'Enrolled learners without events',
  'Learners with events beyond the enrolled learners',
]);
const UNMATCHED_CHECK = 'Statements from actors matched to no learner';
/**
 * The data-quality counts over statements are counts over the actors who sent them: when those
 * (learners with events plus unmatched actors) are fewer than `minimum`, the statement and session
 * checks show no numbers. The learner check counts over the enrolled learners and stays.
 */
export function withholdSmallQuality(q: QualityReport, minimum: number): QualityReport {
  const actors = q.counts.learnersWithEvents + q.counts.unmatchedActors;
  const statementsWithheld = isSuppressed(actors, minimum);
  const unmatchedWithheld = isSuppressed(q.counts.unmatchedActors, minimum);
  if (!statementsWithheld && !unmatchedWithheld) return q;
  const hide = (c: QualityReport['checks'][number]) => ({
    ...c,
    count: 0,
    of: 0,
    rate: 0,
    ok: true,
    withheld: true,
  });
  return {
    ...q,
    countsWithheld: statementsWithheld,
    counts: statementsWithheld
      ? {
          ...q.counts,
          statements: 0,
          missingModuleVersion: 0,
          missingAssignmentId: 0,
          missingCampaignId: 0,
          unmatchedActorStatements: 0,
          unmatchedActors: 0,
          duplicateStatements: 0,
          endedSessions: 0,
          overlongSessions: 0,
        }
      : { ...q.counts, unmatchedActorStatements: 0, unmatchedActors: 0 },
    checks: q.checks.map((c) =>
      LEARNER_CHECKS.has(c.name) ? c : statementsWithheld || c.name === UNMATCHED_CHECK ? hide(c) : c,
    ),
  };
}
