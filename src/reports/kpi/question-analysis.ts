import type { ChoiceQuestion, ModuleContent } from '../../learning/module-content.js';
import type { ItemRow, OptionRow } from './model.js';
import { isKeyResponse } from './answer-key.js';
import { isSuppressed } from './privacy.js';

export interface ItemKpi {
  moduleVersion: number | null;
  itemId: string;
  prompt: string;
  learners: number;
  difficulty: number;
  pointBiserial: number | null;
  upperLowerIndex: number;
  /** Set when the upper and lower groups are smaller than the privacy minimum (small-cells.ts). */
  groupsSuppressed?: boolean;
  options: {
    option: string;
    label: string;
    isKey: boolean;
    count: number;
    upperCount: number;
    lowerCount: number;
    /** Set when few learners chose it (count then 0; small-cells.ts). */
    countSuppressed?: boolean;
  }[];
  omitted: number;
  omittedSuppressed?: boolean;
}

/**
 * One module's post-test questions from the item analysis rows: prompts, choice labels and answer keys
 * from the content of each row's module version (`contentOf`), every listed choice shown (chosen or
 * not), then responses the content does not list; by version, then in the test's question order. The whole analysis is withheld when any question has
 * fewer learners than `minimumGroupSize`.
 */
export function questionAnalysis(
  moduleId: string,
  analysis: { items: ItemRow[]; options: OptionRow[] },
  contentOf: (version: number | null) => ModuleContent | undefined,
  minimumGroupSize: number,
): { items: ItemKpi[]; itemsSuppressed: boolean } {
  const moduleItems = analysis.items.filter((i) => i.moduleId === moduleId);
  if (moduleItems.some((i) => isSuppressed(i.learners, minimumGroupSize)))
    return { items: [], itemsSuppressed: true };
  const items = moduleItems.map((i): ItemKpi => {
    const question = contentOf(i.moduleVersion)?.postTest?.questions.find((q) => q.id === i.itemId);
    const choices = (question as ChoiceQuestion | undefined)?.choices ?? [];
    const counted = analysis.options.filter(
      (o) => o.moduleId === moduleId && o.moduleVersion === i.moduleVersion && o.itemId === i.itemId,
    );
    const listed = choices.map((c) => c.id);
    const extra = counted
      .map((o) => o.response)
      .filter((r): r is string => r !== null && !listed.includes(r));
    return {
      moduleVersion: i.moduleVersion,
      itemId: i.itemId,
      prompt: question?.prompt ?? i.itemId,
      learners: i.learners,
      difficulty: i.difficulty,
      pointBiserial: i.pointBiserial,
      upperLowerIndex: i.upperLowerIndex,
      options: [...listed, ...extra].map((option) => {
        const o = counted.find((c) => c.response === option);
        return {
          option,
          label: choices.find((c) => c.id === option)?.text ?? option,
          isKey: isKeyResponse(question, option),
          count: o?.count ?? 0,
          upperCount: o?.upperCount ?? 0,
          lowerCount: o?.lowerCount ?? 0,
        };
      }),
      omitted: counted.find((c) => c.response === null)?.count ?? 0,
    };
  });
  // In the test's own order (the rows come in item-id order), so "Q3" is the third question learners saw.
  const position = (item: ItemKpi) => {
    const at = contentOf(item.moduleVersion)?.postTest?.questions.findIndex((q) => q.id === item.itemId);
    return at === undefined || at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  items.sort(
    (a, b) =>
      (a.moduleVersion ?? 0) - (b.moduleVersion ?? 0) ||
      position(a) - position(b) ||
      a.itemId.localeCompare(b.itemId),
  );
  return { items, itemsSuppressed: false };
}
