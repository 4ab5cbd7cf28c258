import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from './text-metrics.js';

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string in Node, headless (renderer "none": no
 * canvas, no browser). Vega measures text with an estimate when no canvas is present, which is enough
 * for layout; the text itself is real SVG text, so it stays selectable and readable by screen readers.
 */

/** Collects compiler warnings instead of printing them; a warning means a spec mistake worth seeing. */
class CollectingLogger implements vega.LoggerInterface {
  readonly warnings: string[] = [];
  #level = vega.Warn;
  level(): number;
  level(level: number): this;
  level(level?: number): number | this {
    if (level === undefined) return this.#level;
    this.#level = level;
    return this;
  }
  error(...args: readonly unknown[]): this {
    throw new Error(args.map(String).join(' '));
  }
  warn(...args: readonly unknown[]): this {
    this.warnings.push(args.map(String).join(' '));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

export interface VegaSvg {
  svg: string;
  /** Warnings from Vega-Lite and Vega; tests expect none. */
  warnings: string[];
}

/** Renders one Vega-Lite spec to SVG. The view is finalized afterwards so nothing keeps running. */
export async function renderVegaLite(spec: TopLevelSpec): Promise<VegaSvg> {
  installTextMetrics();
  const logger = new CollectingLogger();
  const vgSpec = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg, warnings: logger.warnings };
  } finally {
    view.finalize();
  }
}
