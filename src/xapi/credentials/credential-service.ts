import { NotFoundError, UnauthenticatedError, ValidationError } from '../../errors.js';
import type { LrsCredentialRepository } from '../../storage/repositories/lrs-credential-repository.js';
import type { TenantService } from '../../tenants/tenant-service.js';
import type { JsonObject } from '../rules/index.js';
import { isLrsScope, LRS_SCOPES } from './scopes.js';
import {
  dummySecretHash,
  hashSecret,
  newCredentialKey,
  newCredentialSecret,
  tenantOfCredentialKey,
  verifySecret,
} from './secret-hash.js';
import type { LrsCredentialRow } from '../model.js';
import { createVerifiedSecretCache, type VerifiedSecretCache } from './verified-secret-cache.js';

/** The 401 message for an unknown key or a wrong secret (the same for both). */
export const WRONG_KEY_OR_SECRET =
  'The LRS key or secret is wrong; send the key and secret an admin created for you as HTTP Basic credentials.';

/** A credential as shown to admins: never the secret or its hash. */
export interface LrsCredentialInfo {
  key: string;
  tenant: string;
  tenantId: string;
  name: string;
  scopes: string[];
  authority: JsonObject;
  createdAt: string;
  revokedAt: string | null;
}

/** What an authenticated xAPI request carries: the tenant, the credential and its authority. */
export interface LrsPrincipal {
  tenantId: string;
  credentialId: string;
  key: string;
  scopes: string[];
  authority: JsonObject;
  /**
   * A cmi5 launch token (src/learning/flow/cmi5-launch-service.ts): statements and state documents only
   * for this actor (agent key) and registration.
   */
  launch?: {
    agentKey: string;
    registration: string;
    /** The launch (cmi5_launch id); set on launches of a package's AU, whose statements follow cmi5 9.3. */
    auLaunchId?: string;
  };
}

export interface CreateCredentialInput {
  tenant: string;
  scopes: string[];
  name?: string;
  /** Base URL of this server: the authority Agent's account homePage. */
  homePage: string;
}

export interface LrsCredentialService {
  /** Creates a credential; the secret is returned here once and stored only as a hash. */
  create(
    input: CreateCredentialInput,
  ): Promise<{ key: string; secret: string; credential: LrsCredentialInfo }>;
  list(tenant: string): Promise<LrsCredentialInfo[]>;
  revoke(key: string): Promise<LrsCredentialInfo>;
  /**
   * Checks an HTTP Basic key/secret. Throws UnauthenticatedError for an unknown key or a wrong
   * secret and ForbiddenError for a revoked credential.
   */
  authenticate(key: string, secret: string): Promise<LrsPrincipal>;
  /**
   * True when this secret was already verified for this key (no scrypt, no database read): such a
   * client may pass a brute-force lock on its key. {@link authenticate} still decides.
   */
  isKnownSecret(key: string, secret: string): boolean;
  /**
   * False when no credential can have this key (its shape is none the LRS issues), so a secret sent
   * with it guesses nothing: such a request is refused without scrypt and counts against no
   * brute-force limit. The shapes are public, so answering it at once tells a client nothing.
   */
  isPossibleKey(key: string): boolean;
}

/** The scrypt check, replaceable so tests can count the work. */
export type VerifySecret = (secret: string, storedHash: string) => Promise<boolean>;

export function createLrsCredentialService(deps: {
  credentials: LrsCredentialRepository;
  tenants: TenantService;
  verify?: VerifySecret;
  verified?: VerifiedSecretCache;
}): LrsCredentialService {
  const verify = deps.verify ?? verifySecret;
  const verified = deps.verified ?? createVerifiedSecretCache();
  // Computed now (on the thread pool), so even the first unknown key costs one scrypt, not two.
  void dummySecretHash();
  const info = async (row: LrsCredentialRow, tenantName?: string): Promise<LrsCredentialInfo> => ({
    key: row.key,
    tenantId: row.tenantId,
    tenant: tenantName ?? (await deps.tenants.list()).find((t) => t.id === row.tenantId)?.name ?? '',
    name: row.name,
    scopes: row.scopes,
    authority: JSON.parse(row.authority) as JsonObject,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  });
  return {
    async create(input) {
      const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
      const bad = scopes.filter((s) => !isLrsScope(s));
      if (scopes.length === 0 || bad.length > 0) {
        throw new ValidationError(
          `${bad.length ? `Unknown scope ${bad.map((b) => `"${b}"`).join(', ')}` : 'No scope given'}; use one or more of ${LRS_SCOPES.join(', ')}.`,
          [{ path: 'scopes', message: 'invalid scopes' }],
        );
      }
      const tenant = await deps.tenants.getByName(input.tenant);
      const key = newCredentialKey(tenant.id);
      const secret = newCredentialSecret();
      const name = input.name?.trim() || `${tenant.name} LRS client`;
      const authority = { objectType: 'Agent', name, account: { homePage: input.homePage, name: key } };
      const row = await deps.credentials.insert({
        tenantId: tenant.id,
        key,
        secretHash: await hashSecret(secret),
        name,
        scopes,
        authority: JSON.stringify(authority),
      });
      return { key, secret, credential: await info(row, tenant.name) };
    },
    async list(tenantName) {
      const tenant = await deps.tenants.getByName(tenantName);
      const rows = await deps.credentials.listForTenant(tenant.id);
      return Promise.all(rows.map((r) => info(r, tenant.name)));
    },
    async revoke(key) {
      const tenantId = tenantOfCredentialKey(key);
      const row = tenantId ? await deps.credentials.revoke(tenantId, key) : undefined;
      verified.forget(key);
      if (!row)
        throw new NotFoundError(
          `There is no LRS credential with key "${key}"; list them with 'npx yardstick lrs-credentials list --tenant NAME'.`,
        );
      return info(row);
    },
    async authenticate(key, secret) {
      const tenantId = tenantOfCredentialKey(key);
      const row = tenantId ? await deps.credentials.findByKey(tenantId, key) : undefined;
      // An unknown key costs the same scrypt work as a wrong secret, so timing does not reveal keys.
      const ok = row
        ? verified.has(key, secret, row.secretHash) || (await verify(secret, row.secretHash))
        : await verify(secret, await dummySecretHash()).then(() => false);
      if (!row || !ok) {
        throw new UnauthenticatedError(WRONG_KEY_OR_SECRET);
      }
      if (row.revokedAt) {
        verified.forget(key);
        throw new UnauthenticatedError('This LRS credential has been revoked; ask an admin for a new one.');
      }
      verified.remember(key, secret, row.secretHash);
      return {
        tenantId: row.tenantId,
        credentialId: row.id,
        key: row.key,
        scopes: row.scopes,
        authority: JSON.parse(row.authority) as JsonObject,
      };
    },
    isKnownSecret(key, secret) {
      return verified.knows(key, secret);
    },
    isPossibleKey(key) {
      return tenantOfCredentialKey(key) !== undefined;
    },
  };
}
