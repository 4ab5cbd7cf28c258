/// <reference lib="dom" />
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** The first three offending elements' selectors. */
  targets: string[];
}

/** Runs axe-core in a page or frame (e.g. Yardstick inside the LMS iframe); every violation. */
export async function axeViolations(target: Page | Frame): Promise<AxeViolation[]> {
  await target.addScriptTag({ path: axePath });
  return target.evaluate(async () => {
    interface Result {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
    }
    const axe = (window as unknown as { axe: { run: (d: Document) => Promise<Result> } }).axe;
    const results = await axe.run(document);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}

/** The violations the browser tests refuse: serious and critical ones. */
export function blocking(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Serious and critical axe-core violations of a page or frame. */
export async function blockingAxeViolations(target: Page | Frame): Promise<AxeViolation[]> {
  return blocking(await axeViolations(target));
}
