import type { ModuleDetail, ModuleSummary } from '../../learning/authoring/module-authoring-service.js';
import type { ExperimentResults } from '../../learning/experiments/experiment-results.js';
import type { FieldError } from '../../learning/authoring/module-content-schema.js';
import type { Program } from '../../cohorts/model.js';
import type { ProportionInterval } from '../../reports/stats/wilson.js';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const rate = (p: ProportionInterval | null) =>
  p
    ? `${pct(p.estimate)} (${pct(p.lower)} to ${pct(p.upper)}; ${p.successes} of ${p.trials})`
    : 'no learners yet';
const diff = (d: { estimate: number; lower: number; upper: number } | null, points = 100) =>
  d
    ? `${(points * d.estimate).toFixed(1)} points (${(points * d.lower).toFixed(1)} to ${(points * d.upper).toFixed(1)})`
    : 'not enough data yet';

const errorsFor = (errors: FieldError[] | undefined, path: string) =>
  (errors ?? []).filter((e) => e.path === path).map((e) => e.message);

const programOptions = (programs: Program[], selected: string | null | undefined) => [
  { value: '', label: 'No program', selected: !selected },
  ...programs.map((p) => ({ value: p.id, label: p.name, selected: p.id === selected })),
];

/** The module list page: modules with their published and draft versions, the create and import forms. */
export function presentModuleList(
  modules: ModuleSummary[],
  programs: Program[],
  extra: Record<string, unknown>,
) {
  const typed = extra.typed as { title?: string; programId?: string | null } | undefined;
  const createErrors = extra.createErrors as FieldError[] | undefined;
  return {
    title: 'Learner modules',
    modules: modules.map((m) => ({
      id: m.id,
      title: m.title,
      program: programs.find((p) => p.id === m.programId)?.name ?? '',
      published: m.publishedVersion === null ? 'not yet' : `version ${m.publishedVersion}`,
      draft: m.draftVersion === null ? '' : `version ${m.draftVersion}`,
    })),
    create: {
      title: typed?.title ?? '',
      titleErrors: errorsFor(createErrors, 'title'),
      programErrors: errorsFor(createErrors, 'programId'),
      message: extra.createMessage,
      programs: programOptions(programs, typed?.programId),
    },
    importForm: importView(extra),
  };
}

function importView(extra: Record<string, unknown>) {
  return {
    message: extra.importMessage,
    errors:
      (extra.importErrors as FieldError[] | undefined)?.map((e) => ({
        path: e.path || '(file)',
        message: e.message,
      })) ?? [],
    text: extra.importText ?? '',
  };
}

/** A module's page: metadata form, versions with export links, publish, import, links and experiments. */
export function presentModulePage(
  detail: ModuleDetail,
  programs: Program[],
  experiments: ExperimentResults[],
  links: { contextId: string; resourceLinkId: string; createdAt: Date }[],
  extra: Record<string, unknown>,
) {
  const { module, versions } = detail;
  const typed = extra.typed as { title?: string; programId?: string | null } | undefined;
  const metadataErrors = extra.metadataErrors as FieldError[] | undefined;
  const published = versions.filter((v) => v.status === 'published');
  const draft = versions.find((v) => v.status === 'draft');
  const typedExperiment = extra.typedExperiment as Record<string, unknown> | undefined;
  const experimentErrors = extra.experimentErrors as FieldError[] | undefined;
  const versionOptions = (selected: unknown, fallback: number | undefined) =>
    published.map((v) => ({
      value: v.version,
      label: `Version ${v.version}`,
      selected: String(selected ?? fallback) === String(v.version),
    }));
  return {
    title: module.title,
    module,
    justPublished: extra.published,
    metadata: {
      title: typed?.title ?? module.title,
      titleErrors: errorsFor(metadataErrors, 'title'),
      programErrors: errorsFor(metadataErrors, 'programId'),
      message: extra.metadataMessage,
      programs: programOptions(programs, typed ? typed.programId : module.programId),
    },
    versions: [...versions].reverse().map((v) => ({
      version: v.version,
      status: v.status,
      created: day(v.createdAt),
      published: day(v.publishedAt),
      pages: v.content.external ? 'external activity' : String(v.content.pages.length),
      tests:
        [v.content.preTest ? 'pre' : '', v.content.postTest ? 'post' : ''].filter(Boolean).join(' + ') ||
        'none',
    })),
    draft: draft ? { version: draft.version } : null,
    latestPublished: published.at(-1)?.version ?? null,
    publish: {
      message: extra.publishMessage,
      errors: (extra.publishErrors as FieldError[] | undefined) ?? [],
    },
    importForm: importView(extra),
    importAction: `/admin/modules/${module.id}/import`,
    links: links.map((l) => ({ ...l, created: day(l.createdAt) })),
    canExperiment: published.length >= 2,
    experimentForm: {
      name: typedExperiment?.name ?? '',
      armA: versionOptions(typedExperiment?.armAVersion, published.at(-2)?.version),
      armB: versionOptions(typedExperiment?.armBVersion, published.at(-1)?.version),
      allocationA: typedExperiment?.allocationA ?? '0.5',
      seed: typedExperiment?.seed ?? '',
      message: extra.experimentMessage,
      fieldErrors: {
        name: errorsFor(experimentErrors, 'name'),
        armAVersion: errorsFor(experimentErrors, 'armAVersion'),
        armBVersion: errorsFor(experimentErrors, 'armBVersion'),
        allocationA: errorsFor(experimentErrors, 'allocationA'),
        seed: errorsFor(experimentErrors, 'seed'),
      },
    },
    experiments: experiments.map((r) => ({
      id: r.experiment.id,
      name: r.experiment.name,
      running: r.experiment.status === 'running',
      status: r.experiment.status === 'running' ? 'running' : `stopped ${day(r.experiment.stoppedAt)}`,
      started: day(r.experiment.startedAt),
      seed: r.experiment.seed,
      allocation: `${pct(r.experiment.allocationA)} to arm A`,
      confidence: pct(r.confidence),
      arms: r.arms.map((a) => ({
        arm: a.arm,
        version: a.version,
        assigned: a.assigned,
        learners: a.learners,
        completion: rate(a.completion),
        mastery: rate(a.mastery),
        score:
          a.scores.mean === null
            ? 'no scores yet'
            : `${(100 * a.scores.mean).toFixed(1)} (n = ${a.scores.n})`,
      })),
      completionDifference: diff(r.completionDifference),
      masteryDifference: diff(r.masteryDifference),
      scoreDifference: diff(r.scoreDifference),
      notes: r.notes,
    })),
  };
}
