import { parse, type LoggerInterface, type Runtime, type Spec as VegaSpec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Compiling Vega-Lite is the slowest step of a chart (10-50 ms), and parsing the result into a Vega
 * dataflow description the next (a third of what is left), yet a chart kind's spec changes far less
 * often than its numbers. So inline data is lifted out into named data sets before compiling, the
 * compiled Vega spec and its parsed runtime are cached by the data-free Vega-Lite spec, and the values
 * are put back: into a copy of the spec, and into each view drawn from the runtime. The cache is a
 * bounded, pure memo (same input, same output): it holds no request or tenant state, so several app
 * servers never disagree because of it.
 */

const maxEntries = 256;
interface Entry {
  /** The compiled spec without inline values and lifted param values. */
  spec: VegaSpec;
  warnings: string[];
  /** `spec` parsed, on first use; a view only reads it, so every view of the shape shares it. */
  runtime?: Runtime;
}
const cache = new Map<string, Entry>();

/** Data lifted out of a Vega-Lite spec: dataset name -> inline values. */
type Lifted = Map<string, unknown[]>;

/**
 * Values of the spec's top-level params (data-dependent settings such as a trend's tick positions, used
 * through `{ expr: name }`), lifted like inline data: name -> value. They compile to Vega signals of the
 * same name, whose values are put back after compiling.
 */
type LiftedParams = Map<string, unknown>;

function liftParams(spec: TopLevelSpec, params: LiftedParams): TopLevelSpec {
  const list = (spec as { params?: { name: string; value?: unknown; bind?: unknown; select?: unknown }[] })
    .params;
  if (!list) return spec;
  return {
    ...spec,
    params: list.map((p) => {
      if (p.value === undefined || p.bind !== undefined || p.select !== undefined) return p;
      params.set(p.name, p.value);
      return { ...p, value: null };
    }),
  } as TopLevelSpec;
}

function liftInlineData(node: unknown, lifted: Lifted): unknown {
  if (Array.isArray(node)) return node.map((item) => liftInlineData(item, lifted));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const data = value as { values?: unknown };
    if (key === 'data' && data && typeof data === 'object' && Array.isArray(data.values)) {
      const name = `inline_${lifted.size}`;
      lifted.set(name, data.values);
      out[key] = { name };
    } else if (key === 'config') {
      out[key] = value;
    } else {
      out[key] = liftInlineData(value, lifted);
    }
  }
  return out;
}

export interface CompiledSpec {
  /** The compiled spec with its inline values and param values. */
  spec: VegaSpec;
  /** Compiler warnings (from the first compilation of this spec shape). */
  warnings: string[];
  /** The parsed spec shape, without values: draw it with `data` and `params` set on the view. */
  runtime(): Runtime;
  /** Inline values by data set name. */
  data: ReadonlyMap<string, unknown[]>;
  /** Values of the top-level params, by signal name. */
  params: ReadonlyMap<string, unknown>;
}

/**
 * Compiles a Vega-Lite spec to Vega, reusing an earlier compilation of the same spec with other inline
 * values. `makeLogger` gives the logger for a fresh compilation; its warnings are cached with the result.
 */
export function compileWithCache(
  spec: TopLevelSpec,
  makeLogger: () => { logger: LoggerInterface; warnings: string[] },
): CompiledSpec {
  const lifted: Lifted = new Map();
  const params: LiftedParams = new Map();
  const shape = liftInlineData(liftParams(spec, params), lifted) as TopLevelSpec;
  const key = JSON.stringify(shape);
  let entry: Entry | undefined = cache.get(key);
  if (entry) {
    cache.delete(key);
  } else {
    const { logger, warnings } = makeLogger();
    entry = { spec: compile(shape, { logger }).spec, warnings: [...warnings] };
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, entry);
  const data = (entry.spec.data ?? []).map((d) =>
    lifted.has(d.name) ? { ...d, values: lifted.get(d.name) } : d,
  ) as VegaSpec['data'];
  const signals = entry.spec.signals?.map((sg) =>
    params.has(sg.name) ? { ...sg, value: params.get(sg.name) } : sg,
  ) as VegaSpec['signals'];
  const cached = entry;
  return {
    spec: { ...entry.spec, data, ...(signals ? { signals } : {}) },
    warnings: entry.warnings,
    runtime: () => (cached.runtime ??= parse(cached.spec)),
    data: lifted,
    params,
  };
}
