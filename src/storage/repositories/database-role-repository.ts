import { sql, type Kysely } from 'kysely';

/** What a login role may do beyond its grants (pg_roles). */
export interface RoleAttributes {
  superuser: boolean;
  createRole: boolean;
  createDb: boolean;
}

/**
 * Roles and grants, run on the owner connection (the role that runs migrations). The runtime role gets
 * DML on Yardstick's tables, EXECUTE on its functions and USAGE on its sequences, now and, through
 * default privileges, on whatever later migrations create; it owns only the schemas of the libraries
 * that manage their own tables at start (ltijs, pg-boss). Names are quoted identifiers, never spliced.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs before and across any schema
export function createDatabaseRoleRepository(db: Kysely<any>) {
  return {
    /** The role this connection runs as. */
    async currentRole(): Promise<string> {
      const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(db);
      return rows[0]!.role;
    },

    /**
     * Runs `work` holding a session-level advisory lock named `key` (see withStartupLock). `db` must
     * be a pool of one connection, and a session connection: not PgBouncer in transaction mode.
     */
    async withSessionLock<T>(key: string, work: () => Promise<T>): Promise<T> {
      await sql`SELECT pg_advisory_lock(hashtextextended(${key}, 0))`.execute(db);
      try {
        return await work();
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(db);
      }
    },

    async attributes(role: string): Promise<RoleAttributes | undefined> {
      const { rows } = await sql<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>`
        SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = ${role}`.execute(db);
      const r = rows[0];
      return r && { superuser: r.rolsuper, createRole: r.rolcreaterole, createDb: r.rolcreatedb };
    },

    /**
     * Creates the login role, or resets its password and attributes when it exists (the password file
     * is the source of truth). A concurrent start (the CLI next to the server) may create it first.
     */
    async ensureLoginRole(role: string, password: string): Promise<void> {
      const attributes = sql`LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS`;
      if (!(await this.attributes(role))) {
        try {
          await sql`CREATE ROLE ${sql.id(role)} ${attributes} PASSWORD ${sql.lit(password)}`.execute(db);
          return;
        } catch (err) {
          if (!(await this.attributes(role))) throw err;
        }
      }
      await sql`ALTER ROLE ${sql.id(role)} ${attributes} PASSWORD ${sql.lit(password)}`.execute(db);
    },

    /**
     * DML, EXECUTE and sequence USAGE in `schema` for `role`, on what exists and (default privileges of
     * the current role) on what it creates later. MAINTAIN (PostgreSQL 17+) lets the role ANALYZE the
     * staging tables it fills, as outcome imports do.
     */
    async grantDataAccess(schema: string, role: string): Promise<void> {
      const s = sql.id(schema);
      const r = sql.id(role);
      const maintain = (await this.serverVersionNum()) >= 170000 ? sql`, MAINTAIN` : sql``;
      await sql`GRANT USAGE ON SCHEMA ${s} TO ${r}`.execute(db);
      await sql`GRANT SELECT, INSERT, UPDATE, DELETE${maintain} ON ALL TABLES IN SCHEMA ${s} TO ${r}`.execute(
        db,
      );
      await sql`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`.execute(db);
      await sql`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${s} TO ${r}`.execute(db);
      await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s}
        GRANT SELECT, INSERT, UPDATE, DELETE${maintain} ON TABLES TO ${r}`.execute(db);
      await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r}`.execute(
        db,
      );
      await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT EXECUTE ON FUNCTIONS TO ${r}`.execute(db);
    },

    async schemaExists(schema: string): Promise<boolean> {
      const { rows } = await sql<{ ok: boolean }>`
        SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = ${schema}) AS ok`.execute(db);
      return rows[0]!.ok;
    },

    /** Runs a library's own installation script (pg-boss' construction plans) as the owner. */
    async runScript(script: string): Promise<void> {
      await sql.raw(script).execute(db);
    },

    /**
     * Makes `role` the owner of `schema` and of every table, sequence, view, type and function in it,
     * creating the schema when missing, so a library connected as `role` can run its own DDL there.
     */
    async handOverSchema(schema: string, role: string): Promise<void> {
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
      await sql`ALTER SCHEMA ${sql.id(schema)} OWNER TO ${sql.id(role)}`.execute(db);
      await sql`
        DO $$
        DECLARE o record;
        BEGIN
          FOR o IN SELECT c.oid::regclass AS name FROM pg_class c
                   WHERE c.relnamespace = ${sql.lit(schema)}::regnamespace
                     AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                     AND c.relowner <> ${sql.lit(role)}::regrole LOOP
            EXECUTE format('ALTER TABLE %s OWNER TO %I', o.name, ${sql.lit(role)});
          END LOOP;
          FOR o IN SELECT c.oid::regclass AS name FROM pg_class c
                   WHERE c.relnamespace = ${sql.lit(schema)}::regnamespace AND c.relkind = 'S'
                     AND c.relowner <> ${sql.lit(role)}::regrole
                     AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
            EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', o.name, ${sql.lit(role)});
          END LOOP;
          FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                   WHERE p.pronamespace = ${sql.lit(schema)}::regnamespace
                     AND p.proowner <> ${sql.lit(role)}::regrole LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO %I', o.name, ${sql.lit(role)});
          END LOOP;
          FOR o IN SELECT t.oid::regtype AS name FROM pg_type t
                   WHERE t.typnamespace = ${sql.lit(schema)}::regnamespace AND t.typtype IN ('e', 'd')
                     AND t.typowner <> ${sql.lit(role)}::regrole LOOP
            EXECUTE format('ALTER TYPE %s OWNER TO %I', o.name, ${sql.lit(role)});
          END LOOP;
        END $$`.execute(db);
    },

    async serverVersionNum(): Promise<number> {
      const { rows } = await sql<{ v: string }>`SELECT current_setting('server_version_num') AS v`.execute(
        db,
      );
      return Number(rows[0]!.v);
    },
  };
}

export type DatabaseRoleRepository = ReturnType<typeof createDatabaseRoleRepository>;
