import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compileWithCache } from './compile-cache.js';
import { installTextMetrics } from './text-metrics.js';

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string in Node, headless (renderer "none": no
 * canvas, no browser). Vega measures text with an estimate when no canvas is present, which is enough
 * for layout; the text itself is real SVG text, so it stays selectable and readable by screen readers.
 */

/**
 * Vega-Lite 6.4 warns that it drops "fit-y" whenever `autosize: fit-x` meets a step height, although
 * fit-x never asked for fit-y; the compiled spec is what we want, so the message is ignored.
 */
const spuriousWarnings = [/^Dropping "fit-y" because spec has discrete height\.$/];

/**
 * Collects warnings instead of printing them (a warning means a spec mistake worth seeing) and turns
 * errors into exceptions. Vega calls these methods detached, so they are arrow functions.
 */
function collectingLogger(): vega.LoggerInterface & { warnings: string[] } {
  const warnings: string[] = [];
  let level = vega.Warn;
  const logger: vega.LoggerInterface & { warnings: string[] } = {
    warnings,
    level: ((next?: number) => {
      if (next === undefined) return level;
      level = next;
      return logger;
    }) as vega.LoggerInterface['level'],
    error: (...args: readonly unknown[]): never => {
      throw new Error(`vega: ${args.map(String).join(' ')}`);
    },
    warn: (...args: readonly unknown[]) => {
      const message = args.map(String).join(' ');
      if (!spuriousWarnings.some((re) => re.test(message))) warnings.push(message);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

export interface VegaSvg {
  svg: string;
  /** Warnings from Vega-Lite and Vega; tests expect none. */
  warnings: string[];
}

/** Renders one Vega-Lite spec to SVG. The view is finalized afterwards so nothing keeps running. */
export async function renderVegaLite(spec: TopLevelSpec): Promise<VegaSvg> {
  installTextMetrics();
  const compiled = compileWithCache(spec, () => {
    const logger = collectingLogger();
    return { logger, warnings: logger.warnings };
  });
  const logger = collectingLogger();
  const view = new vega.View(compiled.runtime(), { renderer: 'none', logger });
  try {
    for (const [name, values] of compiled.data) view.data(name, values);
    for (const [name, value] of compiled.params) view.signal(name, value);
    const svg = await view.toSVG();
    return { svg, warnings: [...compiled.warnings, ...logger.warnings] };
  } finally {
    view.finalize();
  }
}
