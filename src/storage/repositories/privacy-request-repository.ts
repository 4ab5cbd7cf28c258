import { CompiledQuery, type Kysely } from 'kysely';
import type { PersonLocation } from '../../privacy/model.js';
import type { Database } from '../schema.js';

/**
 * Privacy requests and tombstones (migration 0087). Identifiers are hashed in SQL with the tenant's
 * salt (`sha256(salt || value)`, hex), so no identifying value is written or read back here.
 */
const HASH = (value: string) =>
  `encode(sha256(convert_to((SELECT salt FROM privacy_salt WHERE tenant_id = $1) || ${value}, 'UTF8')), 'hex')`;

export interface PrivacyRequestRecord {
  id: string;
  kind: 'erasure';
  requestedBy: string;
  approvedBy: string;
  identifierHashes: string[];
  found: PersonLocation[];
  erased: PersonLocation[];
  requestedAt: Date;
  completedAt: Date | null;
}

export function createPrivacyRequestRepository(db: Kysely<Database>) {
  const run = async <R>(q: Kysely<Database>, text: string, params: unknown[]) =>
    (await q.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const ensureSalt = (q: Kysely<Database>, tenantId: string) =>
    run(q, `INSERT INTO privacy_salt (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING`, [tenantId]);

  return {
    /**
     * Records a completed erasure in `trx` (the erasing transaction): the hashed identifiers, counts
     * found and erased, and a tombstone per hashed employee id. Returns the request id.
     */
    async recordErasure(
      trx: Kysely<Database>,
      input: {
        tenantId: string;
        requestedBy: string;
        approvedBy: string;
        identifiers: string[];
        employeeIds: string[];
        found: PersonLocation[];
        erased: PersonLocation[];
      },
    ): Promise<{ requestId: string; tombstones: number }> {
      await ensureSalt(trx, input.tenantId);
      const [row] = await run<{ id: string }>(
        trx,
        `INSERT INTO privacy_request (tenant_id, kind, requested_by, approved_by, identifier_hashes, found, erased, completed_at)
         SELECT $1, 'erasure', $2, $3, coalesce(array_agg(DISTINCT ${HASH('v')}), '{}'), $5::jsonb, $6::jsonb, now()
           FROM unnest($4::text[]) v
         RETURNING id`,
        [
          input.tenantId,
          input.requestedBy,
          input.approvedBy,
          input.identifiers,
          JSON.stringify(input.found),
          JSON.stringify(input.erased),
        ],
      );
      const tombstones = await trx.executeQuery(
        CompiledQuery.raw(
          `INSERT INTO privacy_tombstone (tenant_id, employee_id_hash, request_id)
           SELECT DISTINCT $1::uuid, ${HASH('v')}, $2::uuid FROM unnest($3::text[]) v
           ON CONFLICT (tenant_id, employee_id_hash)
           DO UPDATE SET request_id = EXCLUDED.request_id, created_at = now(), lifted_at = NULL, lifted_by = NULL`,
          [input.tenantId, row!.id, input.employeeIds],
        ),
      );
      return { requestId: row!.id, tombstones: Number(tombstones.numAffectedRows ?? 0) };
    },

    /** The given employee ids that an erasure tombstoned and no admin has lifted. */
    async tombstoned(tenantId: string, employeeIds: string[], q: Kysely<Database> = db): Promise<string[]> {
      if (!employeeIds.length) return [];
      const rows = await run<{ v: string }>(
        q,
        `SELECT v FROM unnest($2::text[]) v
          WHERE EXISTS (SELECT 1 FROM privacy_tombstone t WHERE t.tenant_id = $1 AND t.lifted_at IS NULL
                          AND t.employee_id_hash = ${HASH('v')})`,
        [tenantId, employeeIds],
      );
      return rows.map((r) => r.v);
    },

    /** Lifts the tombstone of an employee id; false when there is none in force. */
    async liftTombstone(tenantId: string, employeeId: string, liftedBy: string): Promise<boolean> {
      const result = await db.executeQuery(
        CompiledQuery.raw(
          `UPDATE privacy_tombstone SET lifted_at = now(), lifted_by = $3
            WHERE tenant_id = $1 AND lifted_at IS NULL AND employee_id_hash = ${HASH('$2::text')}`,
          [tenantId, employeeId, liftedBy],
        ),
      );
      return Number(result.numAffectedRows ?? 0) > 0;
    },

    async list(tenantId: string): Promise<PrivacyRequestRecord[]> {
      return run<PrivacyRequestRecord>(
        db,
        `SELECT id, kind, requested_by AS "requestedBy", approved_by AS "approvedBy",
                identifier_hashes AS "identifierHashes", found, erased, requested_at AS "requestedAt",
                completed_at AS "completedAt"
           FROM privacy_request WHERE tenant_id = $1 ORDER BY requested_at DESC`,
        [tenantId],
      );
    },
  };
}

export type PrivacyRequestRepository = ReturnType<typeof createPrivacyRequestRepository>;
