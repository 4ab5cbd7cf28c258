import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Raised when configuration is invalid; `problems` lists every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Yardstick's configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Shortest admin bearer token accepted (YARDSTICK_ADMIN_TOKEN). */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const configSchema = z
  .object({
    env: z.enum(['development', 'test', 'production']),
    server: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(0).max(65535),
        publicUrl: z.string().url(),
        trustProxy: z.boolean(),
        shutdownGraceMs: z.number().int().min(0),
        shutdownDelayMs: z.number().int().min(0),
        bodyLimitBytes: z.number().int().min(1024),
      })
      .strict(),
    database: z
      .object({
        url: z.string(),
        migrationUrl: z.string(),
        replicaUrl: z.string(),
        /** Reports read the primary instead when the replica is further behind than this (seconds). */
        replicaMaxLagSeconds: z.number().int().min(0).max(86400),
        poolSize: z.number().int().min(1).max(500),
        statementTimeoutMs: z.number().int().min(0),
        workMemMb: z.number().int().min(1).max(4096),
      })
      .strict(),
    embeddedDatabase: z
      .object({
        enabled: z.boolean(),
        dataDir: z.string(),
        port: z.number().int().min(0).max(65535),
        persistent: z.boolean(),
      })
      .strict(),
    log: z.object({ level: z.enum(logLevels), pretty: z.boolean() }).strict(),
    demo: z.object({ seed: z.number().int() }).strict(),
    xapi: z
      .object({
        /** Largest statement or document request body, in bytes (413 above it). */
        bodyLimitBytes: z.number().int().min(1024),
        /** Most statements in one POST (413 above it). */
        maxStatementsPerRequest: z.number().int().min(1).max(100000),
        /** Largest JSON text of one statement, in bytes (413 above it). */
        maxStatementBytes: z.number().int().min(1024),
        /** Signs `more` cursors; empty: a random key per process (cursors do not survive a restart). */
        cursorSecret: z
          .string()
          .refine((v) => v === '' || v.length >= 32, 'use 32 or more random characters'),
        /** X-Experience-API-Version on responses to requests with a missing or unsupported version. */
        unversionedResponseVersion: z.enum(['1.0.3', '2.0.0']),
      })
      .strict(),
    admin: z
      .object({
        /** Bearer token of /admin/api; empty disables it. Long enough that guessing is hopeless. */
        token: z
          .string()
          .refine(
            (t) => t === '' || t.length >= ADMIN_TOKEN_MIN_LENGTH,
            `YARDSTICK_ADMIN_TOKEN must be empty (admin API off) or at least ${ADMIN_TOKEN_MIN_LENGTH} characters; generate one with "openssl rand -base64 32"`,
          ),
      })
      .strict(),
    lti: z
      .object({
        /** Signs ltijs cookies and encrypts its keys at rest. Required from the environment in production. */
        key: z.string(),
        /** PostgreSQL schema holding ltijs' own tables (created if missing). */
        schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
        cookieSameSite: z.enum(['None', 'Lax', 'Strict']),
        cookieSecure: z.boolean(),
        /** Add Partitioned (CHIPS) to SameSite=None cookies so browsers blocking third-party cookies keep them. */
        cookiePartitioned: z.boolean(),
        /** Clock skew tolerated between the LMS and Yardstick on iat (seconds). */
        clockLeewaySeconds: z.number().int().min(0).max(300),
        /** Oldest id_token accepted, counted from its iat (seconds). */
        maxTokenAgeSeconds: z.number().int().min(5).max(3600),
        sessionHours: z.number().int().min(1).max(72),
        /**
         * Lifetime of a session token (`yst`, platform-storage launches without a cookie), seconds. Each
         * page carries a fresh one, so it bounds the time between two pages, not the session; signing
         * out revokes the session's tokens at once.
         */
        sessionTokenSeconds: z.number().int().min(60).max(86400),
        /** Comma-separated emails or subs always routed to the admin home. */
        adminUsers: z.string(),
        /** Key rotation: how long a retired tool key stays published in the JWKS (hours). */
        keyOverlapHours: z.number().int().min(0),
        /** AGS passback: retries after the first attempt, and the first retry's delay (doubling after). */
        passback: z
          .object({ retryLimit: z.number().int().min(0).max(20), retryDelaySeconds: z.number().int().min(1) })
          .strict(),
        /** Cron (UTC) of the scheduled NRPS roster sync of every course; empty disables it. */
        rosterSyncCron: z.string(),
        devLms: z.object({ enabled: z.boolean() }).strict(),
        /**
         * Let outbound LTI requests (Dynamic Registration, platform JWKS, AGS, NRPS, tokens) reach
         * private, loopback and link-local addresses. Off in production: a registration or a platform's
         * URLs could otherwise make Yardstick reach internal services.
         */
        allowPrivateNetworkFetch: z.boolean(),
      })
      .strict(),
    /** Learner modules (issue #6): time on task. */
    learning: z
      .object({
        /** Longest gap between two signs of activity counted in full as time on task (seconds). */
        idleCapSeconds: z.number().int().min(10).max(86400),
        /** An active session not seen for this long ends as abandoned (seconds). */
        abandonAfterSeconds: z.number().int().min(60).max(604800),
        /**
         * A cmi5 AU session launched and neither terminated nor heard from for this long is abandoned by
         * the same job (seconds; cmi5 9.3.6). Default 3 hours: many AUs send nothing between initialized
         * and terminated, and an abandoned session's later statements are refused.
         */
        auSessionTimeoutSeconds: z.number().int().min(300).max(604800),
        /** Cron (UTC) of the job that ends stale sessions; empty disables it. */
        abandonCron: z.string(),
      })
      .strict(),
    /** Cron (UTC) of the daily tick refreshing programs whose cadence is due; empty disables it. */
    programs: z.object({ refreshCron: z.string() }).strict(),
    /** Retention sweep (issue #18): cron (UTC) of the job erasing rows past their period; empty disables it. */
    privacy: z.object({ retentionSweepCron: z.string() }).strict(),
    // KPI reports (issue #7)
    reports: z
      .object({
        /** Aggregates over fewer learners are withheld in pages, charts and exports. */
        minimumGroupSize: z.number().int().min(1).max(1000),
        /** Days on each side of a campaign date for the enrollment-rate change. */
        campaignWindowDays: z.number().int().min(1).max(365),
        /** Worker threads drawing report charts off the event loop; 0 draws them in the main thread. */
        chartThreads: z.number().int().min(0).max(16),
        quality: z
          .object({
            /** Largest acceptable share (0..1) of statements missing a metadata field. */
            maxNullRate: z.number().min(0).max(1),
            /** Largest acceptable relative gap between learners with events and enrolled learners. */
            learnerTolerance: z.number().min(0).max(1),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

/** The validated, frozen configuration passed down from server.ts. */
export type AppConfig = Readonly<z.infer<typeof configSchema>>;

interface EnvVarSpec {
  key: string;
  type: 'string' | 'integer' | 'boolean';
  description: string;
}

export interface LoadConfigOptions {
  /** Folder holding default.json, <env>.json and env-vars.json. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides applied last (tests use this). */
  overrides?: DeepPartial<z.infer<typeof configSchema>>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Folder of the repository's config/ directory. */
export const defaultConfigDir = path.resolve(import.meta.dirname, '..', 'config');

/**
 * Loads config/default.json, then config/<NODE_ENV>.json, then the environment variables mapped in
 * config/env-vars.json, then `overrides`; validates once and returns a deeply frozen object.
 * Throws ConfigError naming every bad key.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const dir = options.configDir ?? defaultConfigDir;
  const env = options.env ?? process.env;
  const nodeEnv = env.NODE_ENV || 'development';
  const problems: string[] = [];

  let merged = readJson(path.join(dir, 'default.json'), problems);
  const envFile = path.join(dir, `${nodeEnv}.json`);
  if (existsSync(envFile)) merged = deepMerge(merged, readJson(envFile, problems));
  else
    problems.push(
      `NODE_ENV is "${nodeEnv}" but there is no config/${nodeEnv}.json; use development, test or production.`,
    );

  const envVars = readJson(path.join(dir, 'env-vars.json'), problems) as Record<string, EnvVarSpec>;
  for (const [name, spec] of Object.entries(envVars)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = coerce(raw, spec.type);
    if (value === undefined) {
      problems.push(`${name}="${raw}" is not a valid ${spec.type} (${spec.description})`);
      continue;
    }
    setPath(merged, spec.key, value);
  }
  if (!env.PUBLIC_URL) followPort(merged.server);
  if (options.overrides) merged = deepMerge(merged, options.overrides as Record<string, unknown>);

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const byKey = reverseEnvMap(envVars);
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      const fromEnv = byKey[key] ? ` (environment variable ${byKey[key]})` : '';
      problems.push(`${key || '(root)'}${fromEnv}: ${issue.message}`);
    }
  }
  if (parsed.success && parsed.data.env === 'production') {
    if (!env.LTI_KEY || env.LTI_KEY.length < 32)
      problems.push(
        'LTI_KEY must be set in the environment in production (32 or more random characters); it signs LTI cookies and encrypts tool keys.',
      );
    if (parsed.data.lti.devLms.enabled)
      problems.push('lti.devLms.enabled must be false in production: the development LMS accepts anyone.');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(parsed.data!);
}

function readJson(file: string, problems: string[]): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    problems.push(`cannot read ${file}: ${(err as Error).message}`);
    return {};
  }
}

function coerce(raw: string, type: EnvVarSpec['type']): string | number | boolean | undefined {
  if (type === 'string') return raw;
  if (type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
  const lower = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  return undefined;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function reverseEnvMap(envVars: Record<string, EnvVarSpec>): Record<string, string> {
  return Object.fromEntries(Object.entries(envVars).map(([name, spec]) => [spec.key, name]));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * A localhost public URL follows the port Yardstick listens on, so `PORT=4000 npm start` gives LTI and
 * xAPI links that work; an explicit PUBLIC_URL, another host, or port 0 (a free port) is left alone.
 */
function followPort(server: unknown): void {
  const s = server as { port?: unknown; publicUrl?: unknown } | undefined;
  if (!s || typeof s.publicUrl !== 'string' || typeof s.port !== 'number' || s.port <= 0) return;
  let url: URL;
  try {
    url = new URL(s.publicUrl);
  } catch {
    return; // validation names the bad URL
  }
  if (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') return;
  url.port = String(s.port);
  s.publicUrl = url.origin;
}
