import type { ModuleContent, SurveyItem } from '../../learning/module-content.js';
import type { KpiRepository } from '../../storage/repositories/kpi-repository.js';
import { isSuppressed } from './privacy.js';
import { questionAnalysis, type ItemKpi } from './question-analysis.js';
import { learnerRate, type Rate } from './rates.js';
import { scoreChange, scoreChangeFromMoments, scoreMoments, type ScoreChange } from './score-change.js';
import { likertFromCounts, npsFromCounts } from './survey-items.js';
import { qualityChecks, type QualityCheck, type QualityThresholds } from './quality-checks.js';
import type { LikertSummary } from '../stats/likert.js';
import type { NetPromoterScore } from '../stats/nps.js';
import { DEFAULT_KPI_RULES } from '../../cohorts/model.js';
import {
  exportRow,
  type LearnerExportRow,
  type LearnerPageQuery,
  type LearnerPageRows,
} from './learner-list.js';
import type {
  KpiRules,
  KpiScope,
  LearnerAnswerRow,
  MasteryCounts,
  ModuleCounts,
  ModuleRef,
  QualityCounts,
  RosterPage,
  ScoreMoments,
  ScorePair,
  VersionRange,
  WeekRow,
} from './model.js';

export interface KpiSettings {
  /** Aggregates over fewer learners are withheld (default 5). */
  minimumGroupSize: number;
  quality: QualityThresholds;
  /** Days on each side of a campaign date for the enrollment change. */
  campaignWindowDays: number;
}

export interface TimeOnTask {
  learners: number;
  medianMinutes: number;
  p90Minutes: number;
  sessions: number;
  estimatedSessions: number;
}

export type { ItemKpi } from './question-analysis.js';

export interface SurveyItemKpi {
  itemId: string;
  prompt: string;
  type: 'likert' | 'nps' | 'text' | 'observation';
  /** People (a known respondent counts once) or, for anonymous answers, responses. */
  respondents: number;
  countedIn: 'people' | 'responses';
  anonymous: boolean;
  suppressed: boolean;
  labels: string[];
  likert: LikertSummary | null;
  nps: NetPromoterScore | null;
  /** Free-text answers with how often each was given (never with a name). */
  texts: { text: string; count: number }[];
  unreadable: number;
  /** Without a version filter, the module versions the item's answers were given in (null: none). */
  answeredIn: VersionRange | null;
  /** Those versions word the item differently: the counts pool wordings (filter by version to split). */
  wordingChanged: boolean;
}

/** A module's KPIs but its question analysis: what the report's charts draw. */
export interface ModuleOverview {
  module: ModuleRef;
  started: number;
  completion: Rate;
  /** Under the report's attempt policy (`rules.attemptPolicy`). */
  mastery: Rate;
  /** Retake outcomes, reported apart from mastery (never suppressed: counts of learners who retook). */
  retakes: Retakes;
  time: TimeOnTask | null;
  timeSuppressed: boolean;
  scores: ScoreChange;
  survey: SurveyItemKpi[];
  observations: SurveyItemKpi[];
}

export interface Retakes {
  /** Learners with more than one completed post-test attempt. */
  retook: number;
  passedOnRetake: number;
  failedAfterPass: number;
}

export interface ModuleKpi extends ModuleOverview {
  items: ItemKpi[];
  itemsSuppressed: boolean;
}

export interface EnrollmentChange {
  date: Date;
  days: number;
  before: Rate;
  after: Rate;
  /** after - before in percentage points, when both are shown. */
  changePoints: number | null;
}

export interface GroupKpi {
  cohortId: string;
  name: string;
  arm: string;
  assigned: number;
  /** Set when the cohort, or what it leaves over, is smaller than the privacy minimum (issue #18). */
  sizeSuppressed?: boolean;
  modules: { moduleId: string; completion: Rate; mastery: Rate; scores: ScoreChange }[];
}

export interface Freshness {
  newestStored: Date | null;
  generatedAt: Date;
  source: 'primary' | 'replica';
  replicaLagSeconds: number | null;
  /** Why a report meant for the replica read the primary (replica down or too far behind); else null. */
  fallbackReason: string | null;
}

/** Where report queries go right now: the reporting replica, or the primary (and why). */
export interface ReportSourceStatus {
  source: 'primary' | 'replica';
  replicaLagSeconds: number | null;
  fallbackReason: string | null;
}

/** The source of a deployment without a replica. */
export const PRIMARY_SOURCE = (): ReportSourceStatus => ({
  source: 'primary',
  replicaLagSeconds: null,
  fallbackReason: null,
});

/** A report but its question analysis (the slowest query): what the report's charts draw. */
export interface KpiOverview {
  scope: KpiScope;
  /** The rules the report ran under (the program's, or the defaults). */
  rules: KpiRules;
  minimumGroupSize: number;
  /** The denominator under `rules.denominator`. */
  assigned: number;
  /** Assigned learners no longer enrolled, shown as their own count whichever rule is used. */
  withdrawn: number;
  modules: ModuleOverview[];
  weekly: WeekRow[];
  weeklySuppressed: boolean;
  enrollment: EnrollmentChange | null;
  groups: GroupKpi[];
  freshness: Freshness;
  /** Set when the whole report is withheld against differencing, saying why (small-cells.ts). */
  withheldReason?: string;
}

export interface KpiReport extends KpiOverview {
  modules: ModuleKpi[];
}

export interface BuildOptions {
  campaignDate?: Date;
  cohorts?: { id: string; name: string; arm: string }[];
}

export interface LearnerReport {
  scope: KpiScope;
  modules: {
    module: ModuleRef;
    started: boolean;
    completed: boolean;
    passed: boolean;
    bestPercent: number | null;
    prePercent: number | null;
    postPercent: number | null;
    minutes: number | null;
    sessions: number;
    lastActivity: Date | null;
  }[];
  /** Every pre- and post-test attempt, oldest first, with the answers given. */
  attempts: LearnerAttempt[];
  freshness: Freshness;
}

/** One pre- or post-test attempt of a learner: the latest answer to each question, and the verdict. */
export interface LearnerAttempt {
  module: ModuleRef;
  moduleVersion: number | null;
  phase: 'pre' | 'post';
  startedAt: Date;
  answered: number;
  correct: number;
  /** 'passed' or 'failed' for a post-test with a verdict; null otherwise. */
  verdict: 'passed' | 'failed' | null;
  /** The verdict's scaled score (0..1), when sent. */
  scoreScaled: number | null;
  answers: { itemId: string; prompt: string; response: string; correct: boolean | null }[];
}

export type { LearnerExportRow } from './learner-list.js';

export interface QualityReport {
  counts: QualityCounts;
  checks: QualityCheck[];
  freshness: Freshness;
  /** Set when the statement counts cover fewer actors than the privacy minimum (issue #18). */
  countsWithheld?: boolean;
}

export interface KpiReportService {
  /** Course or program report for the scope (courseId or programId set). */
  build(scope: KpiScope, options?: BuildOptions): Promise<KpiReport>;
  /**
   * The same report in two steps, both started at once: `overview` resolves as soon as every query but
   * the question analysis has, so a page draws its charts while that query still runs; `report` is the
   * complete report. Both reject if any query fails.
   */
  buildInStages(
    scope: KpiScope,
    options?: BuildOptions,
  ): { overview: Promise<KpiOverview>; report: Promise<KpiReport> };
  learner(scope: KpiScope & { learnerUserId: string }): Promise<LearnerReport>;
  quality(scope: KpiScope): Promise<QualityReport>;
  roster(scope: KpiScope): ReturnType<KpiRepository['roster']>;
  modules(scope: KpiScope): Promise<ModuleRef[]>;
  programs(scope: KpiScope): ReturnType<KpiRepository['programsOf']>;
  /** The drill-down list: every assigned learner, or one page of them in display-name order. */
  learnerSummaries(scope: KpiScope, page?: RosterPage): ReturnType<KpiRepository['learnerSummaries']>;
  /** How many learners the scope assigns (the drill-down list's length). */
  learnerCount(scope: KpiScope): Promise<number>;
  /**
   * Every assigned learner with what the drill-down shows of them (never survey answers): status
   * (completed = every module of the scope completed), modules started and completed, pre and post
   * scores (each the mean over the learner's modules with that score), minutes on task, last activity.
   */
  learnerExport(scope: KpiScope): Promise<LearnerExportRow[]>;
  /**
   * One page of the course report's learner table: the learners `query` searches for and shows, in its
   * order, with the counts its pager needs; rows as learnerExport gives them. Reads the activity of every
   * learner only when filtering by status or sorting by other than name, and scores of the page's only.
   */
  learnerPage(scope: KpiScope, query: LearnerPageQuery): Promise<LearnerPageRows<LearnerExportRow>>;
}

/**
 * KPI reports from the statement facts: every rate names its denominator and carries a Wilson interval,
 * times are type-7 quantiles, pre/post change is paired, and aggregates over fewer learners than the
 * privacy minimum are withheld. `source` says whether the repository reads the primary or a replica now.
 */
export function createKpiReportService(deps: {
  kpis: KpiRepository;
  settings: KpiSettings;
  source: () => ReportSourceStatus;
  /**
   * Brings the tenant's facts and rollups up to date with everything committed (the capture outbox,
   * kpi-fact-drainer.ts); every call of the service waits for one drain first, so a report includes
   * every statement committed before it started.
   */
  facts?: { drain(tenantId: string): Promise<void> };
}): KpiReportService {
  const { settings } = deps;
  const { kpis } = deps;
  const min = settings.minimumGroupSize;

  async function freshness(scope: KpiScope): Promise<Freshness> {
    // Read the source before the query: the query ran where the source pointed then (or the primary,
    // if the replica failed in between, which the next report will say).
    const src = deps.source();
    const f = await kpis.freshness(scope);
    return {
      newestStored: f.newestStored,
      generatedAt: f.now,
      source: src.source,
      // The router's lag is measured against the primary's WAL position; the query's own (time since
      // the last replayed commit) overstates it when the primary is idle.
      replicaLagSeconds: src.source === 'replica' ? (src.replicaLagSeconds ?? f.replicaLagSeconds) : null,
      fallbackReason: src.fallbackReason,
    };
  }

  async function contents(tenantId: string, modules: ModuleRef[]): Promise<Map<string, ModuleContent>> {
    const rows = await kpis.moduleContents(
      tenantId,
      modules.map((m) => m.id),
    );
    return new Map(rows.map((r) => [`${r.moduleId}/${r.version}`, r.content as ModuleContent]));
  }

  /** The newest published content of a module (item prompts and types rarely change between versions). */
  function latest(
    all: Map<string, ModuleContent>,
    moduleId: string,
    version?: number | null,
  ): ModuleContent | undefined {
    if (version) return all.get(`${moduleId}/${version}`);
    for (let v = 50; v >= 1; v--) {
      const c = all.get(`${moduleId}/${v}`);
      if (c) return c;
    }
    return undefined;
  }

  /** Pre/post change per module from per-learner pairs (a cohort's: the course's, filtered). */
  const changesFromPairs =
    (pairs: ScorePair[]) =>
    (moduleId: string): ScoreChange =>
      scoreChange(
        pairs.filter((p) => p.moduleId === moduleId),
        min,
      );

  /** Pre/post change per module from the moments summed in SQL (KpiRepository.scoreMoments). */
  const changesFromMoments = (rows: ({ moduleId: string } & ScoreMoments)[]) => {
    const byModule = new Map(rows.map((r) => [r.moduleId, r]));
    return (moduleId: string): ScoreChange =>
      scoreChangeFromMoments(byModule.get(moduleId) ?? scoreMoments([]), min);
  };

  /** Completion, mastery and pre/post change per module, from the scope's counts and changes. */
  async function moduleRates(
    assigned: number,
    counts: Promise<ModuleCounts[]>,
    mastery: Promise<MasteryCounts[]>,
    changes: Promise<(moduleId: string) => ScoreChange>,
  ) {
    const [counted, mastered, change] = await Promise.all([counts, mastery, changes]);
    const byModule = new Map(counted.map((c) => [c.moduleId, c]));
    const masteryOf = new Map(mastered.map((c) => [c.moduleId, c]));
    return (moduleId: string) => {
      const c = byModule.get(moduleId);
      const m = masteryOf.get(moduleId);
      return {
        started: c?.started ?? 0,
        completion: learnerRate(c?.completed ?? 0, assigned, min),
        mastery: learnerRate(m?.passed ?? 0, m?.scored ?? 0, min),
        retakes: {
          retook: m?.retook ?? 0,
          passedOnRetake: m?.passedOnRetake ?? 0,
          failedAfterPass: m?.failedAfterPass ?? 0,
        },
        scores: change(moduleId),
      };
    };
  }

  /**
   * The scope with the rules it runs under: its own, else its program's (the scope's program, or the one
   * program the course's modules belong to), else the defaults.
   */
  async function withRules(scope: KpiScope): Promise<KpiScope & { rules: KpiRules }> {
    if (scope.rules) return { ...scope, rules: scope.rules };
    const programs = await kpis.programsOf(scope);
    const own = scope.programId ? programs.find((p) => p.id === scope.programId) : undefined;
    const rules = own?.rules ?? (programs.length === 1 ? programs[0]!.rules : DEFAULT_KPI_RULES);
    return { ...scope, rules };
  }

  /**
   * Treatment and control columns: each cohort's size, counts and pre/post changes, its pairs the
   * scope's own kept for the cohort's members.
   */
  function cohortColumns(
    scope: KpiScope,
    cohorts: { id: string; name: string; arm: string }[],
    pairs: Promise<ScorePair[]>,
  ) {
    const members = kpis.cohortMembers(
      scope,
      cohorts.map((c) => c.id),
    );
    return Promise.all(
      cohorts.map(async (cohort) => {
        const inCohort = new Set(
          (await members).filter((m) => m.cohortId === cohort.id).map((m) => m.userId),
        );
        const changes = pairs.then((all) => changesFromPairs(all.filter((p) => inCohort.has(p.userId))));
        return {
          cohort,
          size: inCohort.size,
          rates: await moduleRates(
            inCohort.size,
            kpis.moduleCounts({ ...scope, cohortId: cohort.id }),
            kpis.masteryCounts({ ...scope, cohortId: cohort.id }),
            changes,
          ),
        };
      }),
    );
  }

  /** Learners starting before and after a campaign date, when the report has one. */
  function enrollmentChange(
    date: Date | undefined,
    around: Awaited<ReturnType<KpiRepository['enrollmentAround']>> | null,
  ): EnrollmentChange | null {
    if (!date || !around) return null;
    const before = learnerRate(around.before.started, around.before.eligible, min);
    const after = learnerRate(around.after.started, around.after.eligible, min);
    return {
      date,
      days: settings.campaignWindowDays,
      before,
      after,
      changePoints:
        before.status === 'shown' && after.status === 'shown'
          ? (after.estimate - before.estimate) * 100
          : null,
    };
  }

  /** The report's queries, all started at once, for a scope whose rules are known. */
  function stages(
    scope: KpiScope & { rules: KpiRules },
    options: BuildOptions,
  ): { overview: Promise<KpiOverview>; report: Promise<KpiReport> } {
    // Every query starts at once (the pool and the database run them side by side); only the
    // module contents wait for the module list.
    const moduleList = kpis.modules(scope);
    const modulesWithContent = moduleList.then(
      async (list) => [list, await contents(scope.tenantId, list)] as const,
    );
    const around = options.campaignDate
      ? kpis.enrollmentAround(scope, options.campaignDate, settings.campaignWindowDays)
      : Promise.resolve(null);
    // With cohorts, the per-learner score pairs: a cohort's are the scope's own, kept for the
    // cohort's members. Without, only their moments per module, summed in SQL.
    const cohortList = options.cohorts ?? [];
    const pairs = cohortList.length ? kpis.scorePairs(scope) : null;
    // Without cohorts, the moments and the mastery counts come from one read of the attempts.
    const outcomes = pairs ? null : kpis.moduleOutcomes(scope);
    const changes = outcomes
      ? outcomes.then((o) => changesFromMoments(o.moments))
      : pairs!.then(changesFromPairs);
    const cohortGroups = pairs ? cohortColumns(scope, cohortList, pairs) : Promise.resolve([]);
    const assignedCount = kpis.rosterSize(scope);
    const withdrawnCount = kpis.withdrawnCount(scope);
    const activity = kpis.moduleActivity(scope);
    const mastery = outcomes ? outcomes.then((o) => o.mastery) : kpis.masteryCounts(scope);
    // Only the report's modules are shown: their questions, in two halves side by side.
    const analysis = moduleList.then((list) =>
      kpis.itemAnalysis(
        scope,
        list.map((m) => m.id),
      ),
    );
    const overview = (async (): Promise<KpiOverview> => {
      const [
        [modules, content],
        assigned,
        rates,
        time,
        survey,
        observed,
        weekly,
        fresh,
        aroundCounts,
        cohorts,
        withdrawn,
      ] = await Promise.all([
        modulesWithContent,
        assignedCount,
        assignedCount.then((n) =>
          moduleRates(
            n,
            activity.then((a) => a.counts),
            mastery,
            changes,
          ),
        ),
        activity.then((a) => a.time),
        kpis.surveyAnswers(scope),
        kpis.observations(scope),
        kpis.weekly(scope),
        freshness(scope),
        around,
        cohortGroups,
        withdrawnCount,
      ]);
      const moduleKpis = modules.map((m): ModuleOverview => {
        const t = time.find((r) => r.moduleId === m.id);
        const timeSuppressed = t ? isSuppressed(t.learners, min) : false;
        return {
          module: m,
          ...rates(m.id),
          time:
            t && !timeSuppressed
              ? {
                  learners: t.learners,
                  medianMinutes: t.medianSeconds / 60,
                  p90Minutes: t.p90Seconds / 60,
                  sessions: t.sessions,
                  estimatedSessions: t.estimatedSessions,
                }
              : null,
          timeSuppressed,
          survey: surveyItems(content, m.id, survey, scope.moduleVersion),
          observations: observationItems(latest(content, m.id), m.id, observed),
        };
      });
      const groups: GroupKpi[] = cohorts.map(({ cohort, size, rates: cohortRates }) => ({
        cohortId: cohort.id,
        name: cohort.name,
        arm: cohort.arm,
        assigned: size,
        modules: modules.map((m) => ({ moduleId: m.id, ...cohortRates(m.id) })),
      }));
      return {
        scope,
        rules: scope.rules,
        minimumGroupSize: min,
        assigned,
        withdrawn,
        modules: moduleKpis,
        weekly,
        weeklySuppressed: isSuppressed(assigned, min),
        enrollment: enrollmentChange(options.campaignDate, aroundCounts),
        groups,
        freshness: fresh,
      };
    })();
    const report = Promise.all([overview, modulesWithContent, analysis]).then(
      ([o, [, content], items]): KpiReport => ({
        ...o,
        modules: o.modules.map((m) => ({
          ...m,
          ...questionAnalysis(m.module.id, items, (v) => latest(content, m.module.id, v), min),
        })),
      }),
    );
    return { overview, report };
  }

  const service: KpiReportService = {
    build(scope, options) {
      return service.buildInStages(scope, options).report;
    },

    buildInStages(unruled, options = {}) {
      const staged = withRules(unruled).then((scope) => stages(scope, options));
      const overview = staged.then((s) => s.overview);
      const report = staged.then((s) => s.report);
      // Each is awaited by its caller; a failure is reported there, once.
      overview.catch(() => {});
      return { overview, report };
    },

    async learner(unruled) {
      const scope = { ...(await withRules(unruled)), learnerUserId: unruled.learnerUserId };
      const [modules, rows, pairs, fresh, answers] = await Promise.all([
        kpis.modules({ ...scope, learnerUserId: undefined }),
        kpis.learnerModules(scope),
        kpis.scorePairs(scope),
        freshness(scope),
        kpis.learnerAnswers(scope),
      ]);
      const content = await contents(scope.tenantId, modules);
      return {
        scope,
        attempts: learnerAttempts(modules, answers, (m, v) => latest(content, m, v)),
        modules: modules.map((m) => {
          const r = rows.find((x) => x.moduleId === m.id);
          const p = pairs.find((x) => x.moduleId === m.id);
          return {
            module: m,
            started: r?.started ?? false,
            completed: r?.completed ?? false,
            passed: r?.passed ?? false,
            bestPercent: r?.bestScaled === null || r?.bestScaled === undefined ? null : r.bestScaled * 100,
            prePercent: p?.pre === null || p?.pre === undefined ? null : p.pre * 100,
            postPercent: p?.post === null || p?.post === undefined ? null : p.post * 100,
            minutes: r?.seconds === null || r?.seconds === undefined ? null : r.seconds / 60,
            sessions: r?.sessions ?? 0,
            lastActivity: r?.lastActivity ?? null,
          };
        }),
        freshness: fresh,
      };
    },

    async quality(scope) {
      const [counts, fresh] = await Promise.all([kpis.quality(scope), freshness(scope)]);
      return { counts, checks: qualityChecks(counts, settings.quality), freshness: fresh };
    },

    // The lists count the learners the report counts (the scope's rules, else its program's).
    roster: async (scope) => kpis.roster(await withRules(scope)),
    modules: (scope) => kpis.modules(scope),
    programs: (scope) => kpis.programsOf(scope),
    learnerSummaries: async (scope, page) => kpis.learnerSummaries(await withRules(scope), page),
    learnerCount: async (scope) => kpis.rosterSize(await withRules(scope)),

    async learnerExport(unruled) {
      const scope = await withRules(unruled);
      const modules = await kpis.modules(scope);
      const [rows, pairs] = await Promise.all([
        kpis.learnerActivity(scope, { modules: modules.length, now: new Date() }),
        kpis.scorePairs(scope),
      ]);
      return rows.map(exportRow(modules.length, pairs));
    },

    async learnerPage(unruled, query) {
      const scope = await withRules(unruled);
      const modules = await kpis.modules(scope);
      const page = await kpis.learnerPage(scope, query, { modules: modules.length, now: query.now });
      // The scores of the page's learners only.
      const pairs = page.rows.length
        ? await kpis.scorePairs({ ...scope, learnerUserIds: page.rows.map((r) => r.userId) })
        : [];
      return { ...page, rows: page.rows.map(exportRow(modules.length, pairs)) };
    },
  };
  return deps.facts ? drainedFirst(service, deps.facts) : service;

  /**
   * A module's survey items, as the answers were given: under a version filter that version's items;
   * otherwise the newest version's, then any item answered only in an older version. An answered item is
   * shown as worded in the newest version its answers were given in, and `wordingChanged` says when the
   * versions its answers span word it differently (prompt, type or scale), so the pooled counts mix
   * wordings and the version filter tells them apart. Whether an item counts people or responses follows
   * its answers (an anonymous answer carries the anonymous actor it was given with), else the shown
   * version's setting.
   */
  function surveyItems(
    all: Map<string, ModuleContent>,
    moduleId: string,
    answers: Awaited<ReturnType<KpiRepository['surveyAnswers']>>,
    version?: number,
  ): SurveyItemKpi[] {
    const content = latest(all, moduleId, version);
    const answeredIn = new Map(
      answers.respondents.filter((r) => r.moduleId === moduleId).map((r) => [r.itemId, r.versions ?? null]),
    );
    const items = [...(content?.survey?.items ?? [])];
    if (version === undefined) {
      for (let v = 50; v >= 1; v--) {
        for (const item of all.get(`${moduleId}/${v}`)?.survey?.items ?? []) {
          if (answeredIn.has(item.id) && !items.some((i) => i.id === item.id)) items.push(item);
        }
      }
    }
    /** The item as worded in each version of `range` that has it, newest first. */
    const wordings = (itemId: string, range: VersionRange) => {
      const found: { version: number; item: SurveyItem; anonymous: boolean }[] = [];
      for (let v = range.last; v >= range.first; v--) {
        const c = all.get(`${moduleId}/${v}`);
        const item = c?.survey?.items.find((i) => i.id === itemId);
        if (item) found.push({ version: v, item, anonymous: c!.survey!.anonymous !== false });
      }
      return found;
    };
    return items.map((listed) => {
      const range = version === undefined ? answeredIn.get(listed.id) : null;
      const worded = range ? wordings(listed.id, range) : [];
      const item = worded[0]?.item ?? listed;
      const wordingChanged = worded.some((w) => wordingOf(w.item) !== wordingOf(item));
      const shownAnonymous = worded[0]?.anonymous ?? content?.survey?.anonymous !== false;
      const counts = answers.counts.filter((c) => c.moduleId === moduleId && c.itemId === item.id);
      const who = answers.respondents.find((r) => r.moduleId === moduleId && r.itemId === item.id);
      const respondents = who?.respondents ?? 0;
      const anonymous = who ? who.anonymous : shownAnonymous;
      const suppressed = isSuppressed(respondents, min);
      const labels = item.type === 'likert' ? item.scale.labels : [];
      const likert = item.type === 'likert' && !suppressed ? likertFromCounts(counts, labels) : null;
      const nps = item.type === 'nps' && !suppressed ? npsFromCounts(counts) : null;
      return {
        itemId: item.id,
        prompt: item.prompt,
        type: item.type,
        respondents,
        countedIn: anonymous ? 'responses' : 'people',
        anonymous,
        suppressed,
        labels,
        likert: likert?.summary ?? null,
        nps: nps?.nps ?? null,
        texts:
          item.type === 'text' && !suppressed
            ? counts
                .map((c) => ({ text: c.response, count: c.count }))
                .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
            : [],
        unreadable: likert?.unreadable ?? nps?.unreadable ?? 0,
        answeredIn: range ?? null,
        wordingChanged,
      };
    });
  }

  function observationItems(
    content: ModuleContent | undefined,
    moduleId: string,
    answers: Awaited<ReturnType<KpiRepository['observations']>>,
  ): SurveyItemKpi[] {
    return (content?.observation?.items ?? []).map((item) => {
      const counts = answers.counts.filter((c) => c.moduleId === moduleId && c.itemId === item.id);
      const respondents =
        answers.respondents.find((r) => r.moduleId === moduleId && r.itemId === item.id)?.respondents ?? 0;
      const suppressed = isSuppressed(respondents, min);
      const likert = suppressed ? null : likertFromCounts(counts, item.scale.labels);
      return {
        itemId: item.id,
        prompt: item.behaviour,
        type: 'observation' as const,
        respondents,
        countedIn: 'people' as const,
        anonymous: false,
        suppressed,
        labels: item.scale.labels,
        likert: likert?.summary ?? null,
        nps: null,
        texts: [],
        unreadable: likert?.unreadable ?? 0,
        answeredIn: null,
        wordingChanged: false,
      };
    });
  }
}

/** What makes two versions of a survey item the same question: its prompt, type and scale. */
function wordingOf(item: SurveyItem): string {
  return JSON.stringify([item.prompt, item.type, item.type === 'likert' ? item.scale.labels : null]);
}

/**
 * A learner's answers grouped into attempts (module, registration and phase), oldest first: the latest
 * answer to each question, prompts and choice labels from the attempt's module version.
 */
function learnerAttempts(
  modules: ModuleRef[],
  rows: LearnerAnswerRow[],
  contentOf: (moduleId: string, version: number | null) => ModuleContent | undefined,
): LearnerAttempt[] {
  const attempts = new Map<
    string,
    LearnerAttempt & { byItem: Map<string, LearnerAttempt['answers'][number]> }
  >();
  const verdicts = rows.filter((r) => r.verb === 'passed' || r.verb === 'failed');
  for (const r of rows) {
    const module = modules.find((m) => m.id === r.moduleId);
    if (r.verb !== 'answered' || !module || !r.itemId || (r.phase !== 'pre' && r.phase !== 'post')) continue;
    const key = `${r.moduleId}/${r.registration ?? ''}/${r.phase}`;
    let a = attempts.get(key);
    if (!a) {
      a = {
        module,
        moduleVersion: r.moduleVersion,
        phase: r.phase,
        startedAt: r.timestamp,
        answered: 0,
        correct: 0,
        verdict: null,
        scoreScaled: null,
        answers: [],
        byItem: new Map(),
      };
      attempts.set(key, a);
    }
    const test = contentOf(r.moduleId, r.moduleVersion)?.[r.phase === 'pre' ? 'preTest' : 'postTest'];
    const question = test?.questions.find((q) => q.id === r.itemId);
    const choices = question && 'choices' in question ? question.choices : [];
    const label = (response: string) =>
      response
        .split('[,]')
        .map((id) => choices.find((c) => c.id === id)?.text ?? id)
        .join(', ');
    a.byItem.set(r.itemId, {
      itemId: r.itemId,
      prompt: question?.prompt ?? r.itemId,
      response: r.response === null ? 'no answer' : label(r.response),
      correct: r.success,
    });
  }
  return [...attempts.entries()].map(([key, { byItem, ...a }]) => {
    const [moduleId, registration] = key.split('/');
    const verdict =
      a.phase === 'post'
        ? verdicts.filter((v) => v.moduleId === moduleId && (v.registration ?? '') === registration).at(-1)
        : undefined;
    const answers = [...byItem.values()];
    return {
      ...a,
      answers,
      answered: answers.length,
      correct: answers.filter((x) => x.correct === true).length,
      verdict: verdict ? (verdict.verb as 'passed' | 'failed') : null,
      scoreScaled: verdict?.scoreScaled ?? null,
    };
  });
}

/**
 * `service` whose every call first drains the capture outbox of its scope's tenant, once per call (not
 * once per repository read: a report runs dozens of reads, and each drain is a round of transactions
 * even on an empty outbox). Everything committed before the call is then in the facts and rollups.
 */
function drainedFirst(
  service: KpiReportService,
  facts: { drain(tenantId: string): Promise<void> },
): KpiReportService {
  const wrapped: Record<string, unknown> = {};
  for (const [name, call] of Object.entries(service) as [string, (...args: unknown[]) => unknown][]) {
    wrapped[name] = async (...args: unknown[]) => {
      await facts.drain((args[0] as KpiScope).tenantId);
      return call(...args);
    };
  }
  return {
    ...(wrapped as unknown as KpiReportService),
    // Synchronous: both stages start once the drain is done.
    buildInStages(scope, options) {
      const staged = facts.drain(scope.tenantId).then(() => service.buildInStages(scope, options));
      const overview = staged.then((s) => s.overview);
      overview.catch(() => {}); // awaited by its caller, as in the service itself
      return { overview, report: staged.then((s) => s.report) };
    },
  };
}
