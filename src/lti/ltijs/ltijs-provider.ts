/* eslint-disable @typescript-eslint/no-explicit-any -- ltijs ships no types; this file is the boundary */
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Express } from 'express';
import type { OutboundPolicy } from '../outbound/address-guard.js';
import { guardLtijsHttp } from './ltijs-http-guard.js';

const require = createRequire(import.meta.url);

/** What Yardstick needs from ltijs; nothing else in the code base touches the library. */
export interface LtijsProvider {
  /** ltijs' own express app (login, keyset, launch validation); mounted under /lti by lti-routes.ts. */
  app: Express;
  provider: any;
  databaseUrl: string;
}

export interface LtijsOptions {
  /** Resolved Yardstick DATABASE URL; ltijs keeps its tables in `schema` on the same server. */
  databaseUrl: string;
  schema: string;
  key: string;
  cookieSameSite: 'None' | 'Lax' | 'Strict';
  cookieSecure: boolean;
  /** Seconds since iat that ltijs accepts (its `tokenMaxAge`); our leeway is added by the caller. */
  tokenMaxAgeSeconds: number;
  /** What ltijs' own requests (platform JWKS, tokens, AGS, NRPS) may reach; fixed by the first setup. */
  outbound: OutboundPolicy;
}

const STATE = Symbol.for('yardstick.ltijs-provider');

/**
 * ltijs is one object per process, so what tracks its setup is kept per process too (on globalThis), not
 * per copy of this module: a process that loads this file both as an ES module and as CommonJS (mocha
 * under Node 20 does, test file by test file) still sets ltijs up once and closes it once.
 */
const state = ((globalThis as { [STATE]?: { current?: Promise<LtijsProvider>; url?: string } })[STATE] ??=
  {});

/**
 * Sets up ltijs once per process. ltijs is a process-wide singleton (`module.exports = new Provider()`;
 * `setup` throws PROVIDER_ALREADY_SETUP the second time), so every express app created in this process
 * shares one ltijs bound to one database. A second call with another database URL is refused rather
 * than silently pointing launches at the wrong database.
 */
export function ensureLtijs(options: LtijsOptions): Promise<LtijsProvider> {
  if (state.current) {
    if (state.url !== options.databaseUrl) {
      return Promise.reject(
        new Error(
          `ltijs is already set up in this process on another database; ltijs is a singleton, so one process serves one database (${options.schema} schema).`,
        ),
      );
    }
    return state.current;
  }
  state.url = options.databaseUrl;
  state.current = setUp(options).catch((err) => {
    state.current = undefined;
    state.url = undefined;
    throw err;
  });
  return state.current;
}

async function setUp(options: LtijsOptions): Promise<LtijsProvider> {
  await createSchema(options.databaseUrl, options.schema);
  guardLtijsHttp(require, options.outbound);
  const { Provider } = require('ltijs');
  const Database = require('ltijs-sequelize');
  const u = new URL(options.databaseUrl);
  const plugin = new Database(
    decodeURIComponent(u.pathname.slice(1)),
    decodeURIComponent(u.username),
    decodeURIComponent(u.password),
    {
      host: u.hostname,
      port: Number(u.port || 5432),
      dialect: 'postgres',
      logging: false,
      // Sequelize qualifies some DDL with options.schema (else "public"); models take it from define.
      schema: options.schema,
      define: { schema: options.schema },
      // Every ltijs table (and its umzug migration log) lives in its own schema on Yardstick's server.
      dialectOptions: { options: `-c search_path=${options.schema}`, application_name: 'yardstick-ltijs' },
      pool: { max: 5, min: 0, idle: 10000 },
    },
  );
  Provider.setup(
    options.key,
    { plugin },
    {
      appRoute: '/launch',
      loginRoute: '/login',
      keysetRoute: '/keys',
      dynRegRoute: '/register-ltijs',
      // ltiaas mode: ltijs validates the id_token and hands over at once; Yardstick keeps its own
      // session (lti_session table) instead of ltijs' ltik query parameter and per-platform cookie.
      ltiaas: true,
      cors: false,
      devMode: false,
      tokenMaxAge: options.tokenMaxAgeSeconds,
      cookies: { secure: options.cookieSecure, sameSite: options.cookieSameSite },
    },
  );
  installDelegatingCallbacks(Provider);
  await deployWithoutSignalHooks(Provider);
  return { app: Provider.app as Express, provider: Provider, databaseUrl: options.databaseUrl };
}

/** Per-request handlers, put on `res.locals.yardstickLti` by lti-routes.ts before ltijs runs. */
export interface LtijsHandlers {
  onLaunch(token: any, req: any, res: any, next: any): unknown;
  onRefused(ltijsError: { message?: string; description?: string }, req: any, res: any, next: any): unknown;
}

/**
 * ltijs' callbacks are process-wide; each express app built by createApp has its own services. The
 * callbacks therefore only forward to the handlers the mounting app placed on `res.locals`.
 */
function installDelegatingCallbacks(provider: any): void {
  const handlers = (res: any): LtijsHandlers => res.locals.yardstickLti;
  const launch = (token: any, req: any, res: any, next: any) => handlers(res).onLaunch(token, req, res, next);
  provider.onConnect(launch);
  provider.onDeepLinking(launch);
  const refused = (req: any, res: any, next: any) =>
    handlers(res).onRefused(res.locals.err?.details ?? { message: 'UNREGISTERED_PLATFORM' }, req, res, next);
  provider.onInvalidToken(refused);
  provider.onSessionTimeout(refused);
  provider.onUnregisteredPlatform((req: any, res: any, next: any) =>
    handlers(res).onRefused({ message: 'UNREGISTERED_PLATFORM' }, req, res, next),
  );
  provider.onInactivePlatform((req: any, res: any, next: any) =>
    handlers(res).onRefused({ message: 'PLATFORM_NOT_ACTIVATED' }, req, res, next),
  );
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The owner creates the schema for a runtime role without CREATE on the database (database-roles.ts);
    // CREATE SCHEMA IF NOT EXISTS would still be refused for lack of that privilege.
    const { rowCount } = await client.query('SELECT FROM pg_namespace WHERE nspname = $1', [schema]);
    if (!rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

/**
 * `deploy` installs a SIGINT handler that calls process.exit(), and on a database error it calls
 * process.exit() itself. Yardstick owns shutdown: the handler is removed, and the database was
 * probed by createSchema beforehand so a failing deploy is unlikely to take the process down.
 */
async function deployWithoutSignalHooks(provider: any): Promise<void> {
  const before = new Set(process.listeners('SIGINT'));
  // ltijs-sequelize runs its migrations with `logger: console`; its progress lines would land on
  // stdout (breaking the CLI's --json output), so console.info is muted while it deploys.
  const info = console.info;
  console.info = () => {};
  try {
    await provider.deploy({ serverless: true, silent: true });
  } finally {
    console.info = info;
  }
  for (const listener of process.listeners('SIGINT'))
    if (!before.has(listener)) process.removeListener('SIGINT', listener);
}

/** Closes ltijs' database pool and cron job; the provider cannot be set up again in this process. */
export async function closeLtijs(): Promise<void> {
  if (!state.current) return;
  const lti = await state.current.catch(() => undefined);
  await lti?.provider.Database.Close();
}
