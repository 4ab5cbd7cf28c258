import { NotFoundError, ValidationError } from '../errors.js';
import type { RetentionRepository } from '../storage/repositories/retention-repository.js';
import {
  RETENTION_KINDS,
  retentionCutoff,
  type RetentionKind,
  type RetentionPolicy,
  type TenantDeletion,
} from './model.js';

/** The queue of the scheduled retention sweep (pg-boss; src/privacy/retention-jobs.ts). */
export const RETENTION_QUEUE = 'privacy-retention-sweep';

export interface SweepResult {
  swept: { tenantId: string; kind: RetentionKind; cutoff: Date; erased: number }[];
  purgedTenants: { tenantId: string; tables: { table: string; count: number }[] }[];
}

export interface RetentionService {
  show(tenantId: string): Promise<{ policies: RetentionPolicy[]; deletion: TenantDeletion | null }>;
  /** Sets the period of a kind in days, or removes it (null: kept until erased). */
  set(tenantId: string, kind: string, days: number | null, by: string): Promise<RetentionPolicy[]>;
  /** Every policy of every tenant applied at `now`, then every tenant past its grace period purged. */
  sweep(now?: Date): Promise<SweepResult>;
  /** Confirms a tenant's deletion: it is purged by the first sweep after `graceDays`. */
  requestTenantDeletion(tenantId: string, by: string, graceDays: number, now?: Date): Promise<TenantDeletion>;
  cancelTenantDeletion(tenantId: string): Promise<void>;
}

export function createRetentionService(deps: { retention: RetentionRepository }): RetentionService {
  const { retention } = deps;
  const isKind = (k: string): k is RetentionKind => (RETENTION_KINDS as readonly string[]).includes(k);
  return {
    async show(tenantId) {
      const [policies, deletion] = await Promise.all([
        retention.policies(tenantId),
        retention.tenantDeletion(tenantId),
      ]);
      return { policies, deletion };
    },

    async set(tenantId, kind, days, by) {
      if (!isKind(kind))
        throw new ValidationError(
          `"${kind}" is not a kind of data; use one of: ${RETENTION_KINDS.join(', ')}.`,
        );
      if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 36500))
        throw new ValidationError(
          'The period is a whole number of days from 1 to 36500 (or "none" to keep).',
        );
      if (!by.trim()) throw new ValidationError('Say who sets the policy (--by).');
      await retention.setPolicy(tenantId, kind, days, by.trim());
      return retention.policies(tenantId);
    },

    async sweep(now = new Date()) {
      const swept: SweepResult['swept'] = [];
      for (const p of await retention.tenantsWithPolicies()) {
        const cutoff = retentionCutoff(now, p.days);
        const erased = await retention.sweep(p.tenantId, p.kind, cutoff, now);
        swept.push({ tenantId: p.tenantId, kind: p.kind, cutoff, erased });
      }
      const purgedTenants: SweepResult['purgedTenants'] = [];
      for (const tenantId of await retention.tenantsDue(now))
        purgedTenants.push({ tenantId, tables: await retention.purgeTenant(tenantId) });
      return { swept, purgedTenants };
    },

    async requestTenantDeletion(tenantId, by, graceDays, now = new Date()) {
      if (!by.trim()) throw new ValidationError('Say who asked for the deletion (--by).');
      if (!(Number.isInteger(graceDays) && graceDays >= 0 && graceDays <= 365))
        throw new ValidationError('The grace period is a whole number of days from 0 to 365.');
      return retention.requestTenantDeletion(
        tenantId,
        by.trim(),
        new Date(now.getTime() + graceDays * 86_400_000),
      );
    },

    async cancelTenantDeletion(tenantId) {
      if (!(await retention.cancelTenantDeletion(tenantId)))
        throw new NotFoundError('No deletion is pending for this tenant.');
    },
  };
}
