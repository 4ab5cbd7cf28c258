import { sql, type Kysely } from 'kysely';

/** Where a replica stands against its primary (PostgreSQL docs 9.27.4, recovery information functions). */
export interface ReplicaPosition {
  /** False when the server is not replaying WAL: a primary, or a replica promoted in a failover. */
  recovering: boolean;
  /** WAL bytes the primary has written that the replica has not replayed yet. */
  behindBytes: number;
  /** Seconds since the replica replayed its last transaction (its clock). */
  sinceReplaySeconds: number | null;
}

/** Replication status queries, run on the primary and on the reporting replica. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads server functions only, no tables
export function createReplicationRepository(db: Kysely<any>) {
  return {
    /** The primary's current WAL position (an LSN such as '0/3000148'). */
    async currentWal(): Promise<string> {
      const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db);
      return rows[0]!.lsn;
    },

    /** How far this replica is behind `primaryWal`. */
    async position(primaryWal: string): Promise<ReplicaPosition> {
      const { rows } = await sql<{ recovering: boolean; behind: string | null; since: number | null }>`
        SELECT pg_is_in_recovery() AS recovering,
               pg_wal_lsn_diff(${primaryWal}::pg_lsn, pg_last_wal_replay_lsn()) AS behind,
               extract(epoch FROM now() - pg_last_xact_replay_timestamp())::double precision AS since`.execute(
        db,
      );
      const r = rows[0]!;
      return {
        recovering: r.recovering,
        behindBytes: Math.max(0, Number(r.behind ?? 0)),
        sinceReplaySeconds: r.since === null ? null : Number(r.since),
      };
    },
  };
}
