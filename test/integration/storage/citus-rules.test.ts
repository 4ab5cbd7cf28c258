import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { useTestDatabase } from '../../support/test-database.js';

/**
 * The migrated schema against Citus's rules for a schema sharded by tenant_id (docs/scaling.md):
 * every table is either a named reference table (copied to every node) or distributed by tenant_id;
 * a distributed table's primary key and unique indexes include tenant_id; a foreign key between
 * distributed tables joins tenant_id to tenant_id; no reference table points at a distributed one.
 * Citus itself cannot be installed here, so the rules are read from the catalog.
 */

/**
 * Small, read-mostly tables copied to every node: the tenants, and the route from a launch's issuer
 * and client id to its tenant, read before the tenant is known (its foreign key to the distributed
 * lti_platform was dropped for this: migration 0115).
 */
const REFERENCE_TABLES = new Set(['tenant', 'lti_platform_route']);

/** Coordinator-local bookkeeping, never sharded. */
const LOCAL_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/** Known departures from the rules, each with why it stands and what sharding would do about it. */
const ALLOWED: Record<string, string> = {
  'lti_login_state:no-tenant':
    'OIDC login initiation state, written before any tenant is known (the login request names only the issuer). Short-lived (minutes) and write-heavy, so not a reference table: under Citus it stays a local table on the coordinator, or is distributed by its own key (state), joined to nothing.',
  'lti_used_nonce:no-tenant':
    'Replay guard of id_token nonces, checked on launch before the platform route is read. Short-lived and write-heavy: a local table on the coordinator, or distributed by (issuer, nonce), joined to nothing.',
};

interface Violation {
  key: string;
  message: string;
}

describe('the schema against Citus rules (sharding by tenant_id)', function () {
  const database = useTestDatabase();

  it('names every table as reference, local or distributed by tenant_id, with no unlisted departure from the rules', async () => {
    const violations = await citusViolations(database().db);
    const unexpected = violations.filter((v) => !(v.key in ALLOWED));
    assert.deepEqual(
      unexpected.map((v) => `${v.key}: ${v.message}`),
      [],
      'fix the schema, or add the key to ALLOWED in this file with the reason it stands',
    );
  });

  it('lists no allowed departure that the schema no longer has', async () => {
    const keys = new Set((await citusViolations(database().db)).map((v) => v.key));
    assert.deepEqual(
      Object.keys(ALLOWED).filter((k) => !keys.has(k)),
      [],
      'remove these from ALLOWED',
    );
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads the catalog
async function citusViolations(db: Kysely<any>): Promise<Violation[]> {
  const { rows: tables } = await sql<{ name: string; distributed: boolean }>`
    SELECT c.relname AS name,
           EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                     AND NOT a.attisdropped) AS distributed
    FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY 1`.execute(db);
  const kind = new Map<string, 'reference' | 'local' | 'distributed' | 'none'>();
  const violations: Violation[] = [];
  for (const t of tables) {
    const k = REFERENCE_TABLES.has(t.name)
      ? 'reference'
      : LOCAL_TABLES.has(t.name)
        ? 'local'
        : t.distributed
          ? 'distributed'
          : 'none';
    kind.set(t.name, k);
    if (k === 'none')
      violations.push({
        key: `${t.name}:no-tenant`,
        message: 'has no tenant_id and is not a named reference or local table',
      });
  }

  const { rows: uniques } = await sql<{ tbl: string; idx: string; cols: string[] }>`
    SELECT t.relname AS tbl, i.relname AS idx,
           array(SELECT a.attname FROM unnest(x.indkey) k JOIN pg_attribute a
                   ON a.attrelid = x.indrelid AND a.attnum = k)::text[] AS cols
    FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    WHERE t.relnamespace = 'public'::regnamespace AND x.indisunique AND NOT t.relispartition`.execute(db);
  for (const u of uniques)
    if (kind.get(u.tbl) === 'distributed' && !u.cols.includes('tenant_id'))
      violations.push({
        key: `${u.tbl}:${u.idx}`,
        message: `unique index on (${u.cols.join(', ')}) does not include tenant_id`,
      });

  const { rows: fks } = await sql<{ name: string; src: string; dst: string; pairs: string[] }>`
    SELECT con.conname AS name, s.relname AS src, d.relname AS dst,
           array(SELECT sa.attname || '=' || da.attname
                   FROM unnest(con.conkey, con.confkey) AS p(sk, dk)
                   JOIN pg_attribute sa ON sa.attrelid = con.conrelid AND sa.attnum = p.sk
                   JOIN pg_attribute da ON da.attrelid = con.confrelid AND da.attnum = p.dk)::text[] AS pairs
    FROM pg_constraint con JOIN pg_class s ON s.oid = con.conrelid JOIN pg_class d ON d.oid = con.confrelid
    WHERE con.contype = 'f' AND s.relnamespace = 'public'::regnamespace AND NOT s.relispartition`.execute(db);
  for (const fk of fks) {
    const from = kind.get(fk.src);
    const to = kind.get(fk.dst);
    if (from === 'reference' && to === 'distributed')
      violations.push({
        key: `${fk.src}:${fk.name}`,
        message: `reference table points at distributed ${fk.dst}, which Citus forbids`,
      });
    if (from === 'distributed' && to === 'distributed' && !fk.pairs.includes('tenant_id=tenant_id'))
      violations.push({
        key: `${fk.src}:${fk.name}`,
        message: `foreign key to ${fk.dst} (${fk.pairs.join(', ')}) does not join tenant_id to tenant_id`,
      });
  }
  return violations;
}
