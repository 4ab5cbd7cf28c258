import { NotFoundError, ValidationError } from '../errors.js';
import type { CohortRepository } from '../storage/repositories/cohort-repository.js';
import { randomizationBalanceTable, type CovariateBalance } from '../reports/stats/balance.js';
import { clusteredMinimumDetectableEffect, tTestMinimumDetectableEffect } from '../reports/stats/power.js';
import { StatsInputError } from '../reports/stats/stats-input-error.js';
import { covariateColumns } from './covariates.js';

/** A calculator's input complaint is the user's to fix: surface it as a validation error. */
function asValidation<T>(compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof StatsInputError) throw new ValidationError(err.message);
    throw err;
  }
}

export interface BalanceRow extends CovariateBalance {
  /** Units with a value for this covariate, per arm. */
  nTreated: number;
  nControl: number;
}

export interface ProgramBalance {
  treatment: { cohorts: string[]; n: number };
  control: { cohorts: string[]; n: number };
  /** Standardized mean differences use the pooled SD, as for randomized groups. */
  denominator: 'pooled';
  rows: BalanceRow[];
  imbalanced: string[];
}

export interface PowerQuestion {
  power?: number;
  sigLevel?: number;
  /** Outcome SD, to express the MDE in outcome units (e.g. 2.1 deferral points). */
  outcomeSd?: number;
  /** For a clustered analysis (e.g. by team): people per cluster and intra-cluster correlation. */
  clusterSize?: number;
  icc?: number;
}

export interface PlannedPower {
  nTreatment: number;
  nControl: number;
  /** Harmonic mean of the two arm sizes: the equal-n design with the same precision. */
  effectiveNPerGroup: number;
  power: number;
  sigLevel: number;
  /** Smallest effect detectable with that power, in SD units (Cohen's d). */
  mdeD: number;
  /** The same in outcome units, when outcomeSd was given. */
  mdeOutcomeUnits: number | null;
  clustered: {
    designEffect: number;
    effectiveNPerGroup: number;
    mdeD: number;
    mdeOutcomeUnits: number | null;
  } | null;
  method: string;
}

/** Balance tables and power for a program's cohorts: is the split fair, and how small an effect can it see? */
export function createDesignAnalysisService(deps: { cohorts: CohortRepository }) {
  async function arms(tenantId: string, programId: string) {
    const members = await deps.cohorts.members(tenantId, programId);
    const treated = members.filter((m) => m.arm === 'treatment');
    const control = members.filter((m) => m.arm === 'control');
    if (members.length === 0) {
      throw new NotFoundError('This program has no cohort members yet; randomize it or add cohorts first.');
    }
    if (treated.length === 0 || control.length === 0) {
      throw new ValidationError(
        'A balance table and power need both a treatment and a control cohort; this program lacks one.',
      );
    }
    return { members, treated, control };
  }

  return {
    async balance(tenantId: string, programId: string, covariates?: string[]): Promise<ProgramBalance> {
      const { treated, control } = await arms(tenantId, programId);
      const units = [...treated, ...control];
      const isTreated = units.map((_, i) => i < treated.length);
      const rows: BalanceRow[] = [];
      for (const column of covariateColumns(
        units.map((u) => u.attributes),
        covariates,
      )) {
        const keep = column.values.map((v, i) => (v === null ? -1 : i)).filter((i) => i >= 0);
        const flags = keep.map((i) => isTreated[i]!);
        const nTreated = flags.filter(Boolean).length;
        if (nTreated < 2 || keep.length - nTreated < 2) continue;
        const table = randomizationBalanceTable(
          [{ name: column.name, values: keep.map((i) => column.values[i]!) }],
          flags,
        );
        rows.push({ ...table.rows[0]!, nTreated, nControl: keep.length - nTreated });
      }
      const cohortNames = (list: typeof treated) => [...new Set(list.map((m) => m.cohortId))];
      return {
        treatment: { cohorts: cohortNames(treated), n: treated.length },
        control: { cohorts: cohortNames(control), n: control.length },
        denominator: 'pooled',
        rows,
        imbalanced: rows.filter((r) => r.imbalanced).map((r) => r.name),
      };
    },

    async plannedPower(tenantId: string, programId: string, q: PowerQuestion): Promise<PlannedPower> {
      const { treated, control } = await arms(tenantId, programId);
      const power = q.power ?? 0.8;
      const sigLevel = q.sigLevel ?? 0.05;
      const nT = treated.length;
      const nC = control.length;
      const effective = (2 * nT * nC) / (nT + nC);
      if (effective < 2)
        throw new ValidationError('Each arm needs at least 2 people for a power calculation.');
      const individual = asValidation(() => tTestMinimumDetectableEffect(effective, power, { sigLevel }));
      const inUnits = (d: number) => (q.outcomeSd ? d * q.outcomeSd : null);
      let clustered: PlannedPower['clustered'] = null;
      if (q.clusterSize !== undefined || q.icc !== undefined) {
        if (q.clusterSize === undefined || q.icc === undefined) {
          throw new ValidationError('A clustered power calculation needs both clusterSize and icc.');
        }
        // Whole clusters only, rounded down: the conservative reading of a partial cluster.
        const clusters = Math.max(1, Math.floor(effective / q.clusterSize));
        const { clusterSize, icc } = q;
        const c = asValidation(() =>
          clusteredMinimumDetectableEffect(clusters, clusterSize, icc, power, { sigLevel }),
        );
        clustered = {
          designEffect: c.designEffect,
          effectiveNPerGroup: c.effectiveNPerGroup,
          mdeD: c.d,
          mdeOutcomeUnits: inUnits(c.d),
        };
      }
      return {
        nTreatment: nT,
        nControl: nC,
        effectiveNPerGroup: effective,
        power,
        sigLevel,
        mdeD: individual.d,
        mdeOutcomeUnits: inUnits(individual.d),
        clustered,
        method:
          'two-sample t-test, two-sided (pwr.t.test); unequal arms via the harmonic mean of their sizes; clustered via the design effect 1 + (m - 1) ICC',
      };
    },
  };
}

export type DesignAnalysisService = ReturnType<typeof createDesignAnalysisService>;
