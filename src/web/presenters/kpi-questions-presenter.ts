import type { KpiReport } from '../../reports/kpi/kpi-report-service.js';
import { itemFlags } from '../../reports/kpi/item-flags.js';
import { formatCount, formatQuantity, formatRate } from './format.js';

/** One post-test question of the item analysis, as the course report shows it. */
export interface QuestionView {
  key: string;
  module: string;
  version: string;
  number: number;
  prompt: string;
  learners: string;
  difficulty: string;
  discrimination: string;
  upperLower: string;
  flags: string[];
  options: { label: string; correct: boolean; chosen: string; upper: string; lower: string }[];
}

/** A module's questions, or why they are withheld. */
export interface QuestionGroupView {
  module: string;
  withheld: string | null;
  questions: QuestionView[];
  flagged: number;
}

/**
 * The item analysis of a report per module: each question's text (from its module version's
 * content), difficulty as a share correct, discrimination, the flags of `itemFlags` in words, and the
 * answer choices (shown collapsed by the page).
 */
export function questionGroups(r: KpiReport): QuestionGroupView[] {
  const withheldGroups = `not shown (groups under ${r.minimumGroupSize})`;
  return r.modules.map((m) => {
    if (m.itemsSuppressed)
      return {
        module: m.module.title,
        withheld: `Withheld: a question of this module has fewer than ${r.minimumGroupSize} learners.`,
        questions: [],
        flagged: 0,
      };
    const numbers = new Map<string, number>();
    const questions = m.items.map((i): QuestionView => {
      const version = i.moduleVersion === null ? '' : String(i.moduleVersion);
      const number = (numbers.get(version) ?? 0) + 1;
      numbers.set(version, number);
      return {
        key: `${m.module.id}-${version}-${i.itemId}`,
        module: m.module.title,
        version: version ? `version ${version}` : '',
        number,
        prompt: i.prompt,
        learners: formatCount(i.learners),
        difficulty: formatRate(i.difficulty),
        discrimination: i.pointBiserial === null ? 'no variance' : formatQuantity(i.pointBiserial),
        upperLower: i.groupsSuppressed ? withheldGroups : formatQuantity(i.upperLowerIndex),
        flags: itemFlags(i).map((f) => f.reason),
        options: i.options.map((o) => ({
          label: o.label,
          correct: o.isKey,
          chosen: o.countSuppressed ? `fewer than ${r.minimumGroupSize}` : formatCount(o.count),
          upper: i.groupsSuppressed ? withheldGroups : formatCount(o.upperCount),
          lower: i.groupsSuppressed ? withheldGroups : formatCount(o.lowerCount),
        })),
      };
    });
    return {
      module: m.module.title,
      withheld: null,
      questions,
      flagged: questions.filter((q) => q.flags.length).length,
    };
  });
}
