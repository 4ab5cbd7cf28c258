/**
 * Input checks and panel bookkeeping for the 2x2 difference-in-differences estimator (`did.ts`).
 * Everything a user can fix in their data is reported here, in their terms, before any fitting.
 */
import { AttributionInputError, listForMessage } from './matrix-errors.js';

/** One observation: a person (unit) in a cluster, before (post = false) or after (post = true). */
export interface DidRow {
  readonly unitId: string;
  /** The unit of assignment or sampling (site, team, clinic); standard errors are clustered on it. */
  readonly clusterId: string;
  /** True for the group that received the training. Constant within a unit. */
  readonly treated: boolean;
  /** True for the measurement after the training window, false before. */
  readonly post: boolean;
  /** The outcome, in its own units (e.g. deferral percentage points, ER visits per person). */
  readonly y: number;
}

/** How units are observed across the two periods. */
export interface DidPanelSummary {
  /** 'panel' when at least one unit appears both before and after, else 'repeated-cross-section'. */
  readonly design: 'panel' | 'repeated-cross-section';
  readonly units: number;
  readonly unitsBothPeriods: number;
  readonly unitsPreOnly: number;
  readonly unitsPostOnly: number;
  /** A panel in which every unit is observed in both periods. */
  readonly balanced: boolean;
}

/** Cell of the 2x2 table: group x period. */
export type DidCell = 'controlPre' | 'controlPost' | 'treatedPre' | 'treatedPost';

/** The cell of the 2x2 table a row falls in. */
export function didCellOf(row: Pick<DidRow, 'treated' | 'post'>): DidCell {
  if (row.treated) return row.post ? 'treatedPost' : 'treatedPre';
  return row.post ? 'controlPost' : 'controlPre';
}

const CELL_WORDS: Record<DidCell, string> = {
  controlPre: 'control before',
  controlPost: 'control after',
  treatedPre: 'treatment before',
  treatedPost: 'treatment after',
};

/**
 * Validates rows for a 2x2 DiD and summarises the panel structure. Throws
 * {@link AttributionInputError} when: there are no rows; an outcome is not finite; an id is empty; a
 * unit switches group or cluster between its rows or has two rows in one period; a cell of the 2x2
 * table is empty; either group has fewer than 2 clusters; or there are 4 rows or fewer.
 */
export function validateDidRows(rows: readonly DidRow[]): DidPanelSummary {
  if (rows.length === 0)
    throw new AttributionInputError('difference-in-differences needs data; no rows were given');
  const badY = rows.flatMap((r, i) => (Number.isFinite(r.y) ? [] : [i + 1]));
  if (badY.length > 0) {
    throw new AttributionInputError(
      `the outcome is missing or not a number on rows ${listForMessage(badY)}; fix or drop those rows`,
      { rows: badY },
    );
  }
  const badIds = rows.flatMap((r, i) => (r.unitId === '' || r.clusterId === '' ? [i + 1] : []));
  if (badIds.length > 0) {
    throw new AttributionInputError(`rows ${listForMessage(badIds)} have an empty unit or cluster id`, {
      rows: badIds,
    });
  }

  const units = new Map<string, { treated: boolean; clusterId: string; pre: number; post: number }>();
  for (const r of rows) {
    const u = units.get(r.unitId);
    if (!u) {
      units.set(r.unitId, {
        treated: r.treated,
        clusterId: r.clusterId,
        pre: r.post ? 0 : 1,
        post: r.post ? 1 : 0,
      });
      continue;
    }
    if (u.treated !== r.treated) {
      throw new AttributionInputError(
        `unit ${r.unitId} is marked treated in some rows and control in others; a unit belongs to one group`,
        { unitId: r.unitId },
      );
    }
    if (u.clusterId !== r.clusterId) {
      throw new AttributionInputError(
        `unit ${r.unitId} appears in clusters ${u.clusterId} and ${r.clusterId}; units must be nested in one cluster`,
        { unitId: r.unitId },
      );
    }
    if (r.post) u.post++;
    else u.pre++;
    if (u.pre > 1 || u.post > 1) {
      throw new AttributionInputError(
        `unit ${r.unitId} has more than one row ${r.post ? 'after' : 'before'} the training; aggregate to one row per unit and period`,
        { unitId: r.unitId },
      );
    }
  }

  const counts: Record<DidCell, number> = { controlPre: 0, controlPost: 0, treatedPre: 0, treatedPost: 0 };
  for (const r of rows) counts[didCellOf(r)]++;
  const empty = (Object.keys(counts) as DidCell[]).filter((c) => counts[c] === 0);
  if (empty.length > 0) {
    throw new AttributionInputError(
      `difference-in-differences needs outcomes for both groups before and after; there are no rows for ${empty
        .map((c) => CELL_WORDS[c])
        .join(', ')}`,
      { emptyCells: empty },
    );
  }

  const treatedClusters = new Set(rows.filter((r) => r.treated).map((r) => r.clusterId)).size;
  const controlClusters = new Set(rows.filter((r) => !r.treated).map((r) => r.clusterId)).size;
  for (const [group, count] of [
    ['treatment', treatedClusters],
    ['control', controlClusters],
  ] as const) {
    if (count < 2) {
      throw new AttributionInputError(
        `difference-in-differences needs at least 2 clusters in each group; ${group} has ${count}. Add clusters or use a finer cluster (e.g. team instead of site)`,
        { treatedClusters, controlClusters },
      );
    }
  }
  if (rows.length <= 4) {
    throw new AttributionInputError(
      `difference-in-differences needs more than 4 rows to estimate a standard error; got ${rows.length}`,
    );
  }

  let both = 0;
  let preOnly = 0;
  let postOnly = 0;
  for (const u of units.values()) {
    if (u.pre && u.post) both++;
    else if (u.pre) preOnly++;
    else postOnly++;
  }
  return {
    design: both > 0 ? 'panel' : 'repeated-cross-section',
    units: units.size,
    unitsBothPeriods: both,
    unitsPreOnly: preOnly,
    unitsPostOnly: postOnly,
    balanced: both > 0 && preOnly === 0 && postOnly === 0,
  };
}
